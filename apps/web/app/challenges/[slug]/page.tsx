import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { TRPCError } from "@trpc/server";
import { StateBadge } from "~/components/state-badge";
import { TagList } from "~/components/tag-list";
import { formatAmount, formatDate } from "~/format";
import { serverApi } from "~/trpc/server";

export const dynamic = "force-dynamic";

type Params = Promise<{ slug: string }>;

const loadChallenge = cache(async (slug: string) => {
  const api = await serverApi();
  try {
    return await api.challenge.bySlug({ slug });
  } catch (error) {
    // A malformed slug cannot name a challenge either: both are a 404 for the visitor.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const challenge = await loadChallenge((await params).slug);
  return { title: challenge.title, description: challenge.summary };
}

export default async function ChallengePage({ params }: { params: Params }) {
  const c = await loadChallenge((await params).slug);
  const timeline = [
    { label: "Commits close", date: c.commitDeadline },
    { label: "Reveal by", date: c.revealDeadline },
    { label: "Proofs close", date: c.proveDeadline },
  ];
  return (
    <article>
      <Link href="/" className="back">
        ← All challenges
      </Link>
      <div className="page-head">
        <div>
          <StateBadge state={c.state} />
          <h1 style={{ marginTop: 10 }}>{c.title}</h1>
          <p>{c.summary}</p>
        </div>
      </div>
      <div className="detail">
        <section className="card" aria-labelledby="about">
          <h2 id="about">About</h2>
          <p>
            <strong>Task.</strong> {c.task}
          </p>
          <div className="prose">{c.description}</div>
        </section>
        <aside className="card" aria-labelledby="facts">
          <h2 id="facts">Details</h2>
          <dl className="facts">
            <dt>Pot</dt>
            <dd>{formatAmount(c.potCached, c.tokenDecimals, c.tokenSymbol)}</dd>
            {timeline.map((t) => (
              <FactRow key={t.label} label={t.label} value={formatDate(t.date)} />
            ))}
            <dt>Model family</dt>
            <dd>{c.modelFamily}</dd>
            <dt>Circuit</dt>
            <dd className="mono">{c.circuitId}</dd>
            <dt>Minimum correct</dt>
            <dd>{c.minCorrect}</dd>
            <dt>Payout shares</dt>
            <dd>{c.payoutSharesBps.map((bps) => `${bps / 100}%`).join(" / ") || "—"}</dd>
            <dt>Organiser</dt>
            <dd className="mono">{c.organiserAddress}</dd>
          </dl>
          <TagList tags={c.tags} />
        </aside>
      </div>
    </article>
  );
}

function FactRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
