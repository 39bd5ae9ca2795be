import Link from "next/link";
import { TRPCError } from "@trpc/server";
import type { ChallengeSummary } from "@zkarena/api";
import { Countdown } from "~/components/countdown";
import { StateBadge } from "~/components/state-badge";
import { TagList } from "~/components/tag-list";
import { formatAmount, formatDate, stateLabels, type ChallengeStateName } from "~/format";
import { nowSeconds } from "~/short";
import { serverApi } from "~/trpc/server";

const families = { MLP: "MLP", WEIGHTLESS: "Weightless", TREE: "Trees" } as const;
type Family = keyof typeof families;

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isState(value: string | undefined): value is ChallengeStateName {
  return value !== undefined && value in stateLabels;
}

export default async function ChallengesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const search = first(params.q)?.slice(0, 100) || undefined;
  const stateParam = first(params.state);
  const state = isState(stateParam) ? stateParam : undefined;
  const cursor = first(params.cursor) || undefined;
  const familyParam = first(params.family);
  const family = familyParam && familyParam in families ? (familyParam as Family) : undefined;
  const now = nowSeconds();

  let page: { items: ChallengeSummary[]; nextCursor: string | null } | null = null;
  let error: string | null = null;
  try {
    const api = await serverApi();
    page = await api.challenge.list({ search, state, family, cursor, limit: 12 });
  } catch (e) {
    error = e instanceof TRPCError || e instanceof Error ? e.message : String(e);
  }
  const filtered = Boolean(search || state || family || cursor);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Challenges</h1>
          <p>
            Train privately, commit to your model, and prove its accuracy on the hidden test set in zero
            knowledge. The escrow pays the winners.
          </p>
        </div>
        <form className="filters" action="/" method="get" role="search">
          <label className="sr-only" htmlFor="q">
            Search challenges
          </label>
          <input
            id="q"
            name="q"
            type="search"
            className="input"
            placeholder="Search…"
            maxLength={100}
            defaultValue={search}
          />
          <label className="sr-only" htmlFor="state">
            State
          </label>
          <select id="state" name="state" className="input" defaultValue={state ?? ""}>
            <option value="">All states</option>
            {Object.entries(stateLabels).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <label className="sr-only" htmlFor="family">
            Model family
          </label>
          <select id="family" name="family" className="input" defaultValue={family ?? ""}>
            <option value="">All model families</option>
            {Object.entries(families).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-ghost">
            Filter
          </button>
        </form>
      </div>

      {error ? (
        <div className="callout callout-bad" role="alert">
          <strong>The challenges could not be loaded.</strong>
          <span>{error}</span>
          <span>
            See the <Link href="/status">status page</Link> for what is down.
          </span>
        </div>
      ) : page && page.items.length === 0 ? (
        filtered ? (
          <div className="empty" data-testid="empty-state">
            <h2>No challenges match</h2>
            <p>Try another search or state.</p>
            <Link href="/" className="btn btn-ghost btn-sm">
              Clear filters
            </Link>
          </div>
        ) : (
          <div className="empty" data-testid="empty-state">
            <h2>No challenges yet</h2>
            <p>
              Load the demo challenge with <code>npm run seed -w @zkarena/db</code>, or create your own
              challenge once the organiser tools land. Check the <Link href="/status">status page</Link> to
              make sure the database and the chain are up.
            </p>
          </div>
        )
      ) : page ? (
        <>
          <ul className="grid list-reset" data-testid="challenge-list">
            {page.items.map((c) => (
              <li key={c.id}>
                <Link href={`/challenges/${c.slug}`} className="card card-link" data-testid="challenge-card">
                  <div className="card-head">
                    <StateBadge state={c.state} />
                    <span className="muted mono">
                      {families[c.modelFamily as Family] ?? c.modelFamily} · {c.circuitId}
                    </span>
                  </div>
                  <h2>{c.title}</h2>
                  <p className="card-summary">{c.summary}</p>
                  <TagList tags={c.tags} />
                  <div className="card-foot">
                    <span>Pot {formatAmount(c.potCached, c.tokenDecimals, c.tokenSymbol)}</span>
                    <CardDeadline c={c} now={now} />
                  </div>
                </Link>
              </li>
            ))}
          </ul>
          {page.nextCursor ? (
            <div className="pager">
              <Link
                className="btn btn-ghost"
                href={{
                  pathname: "/",
                  query: {
                    ...(search ? { q: search } : {}),
                    ...(state ? { state } : {}),
                    ...(family ? { family } : {}),
                    cursor: page.nextCursor,
                  },
                }}
              >
                More challenges →
              </Link>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function CardDeadline({ c, now }: { c: ChallengeSummary; now: number }) {
  const deadlines = [
    { label: "Commits close", at: c.commitDeadline },
    { label: "Reveal by", at: c.revealDeadline },
    { label: "Proofs close", at: c.proveDeadline },
  ];
  const next = deadlines.find((d) => d.at.getTime() / 1000 > now);
  if (!next) return <span>Ended {formatDate(c.proveDeadline)}</span>;
  return (
    <span title={formatDate(next.at)}>
      {next.label} <Countdown target={Math.floor(next.at.getTime() / 1000)} chainNow={now} serverNow={now} />
    </span>
  );
}
