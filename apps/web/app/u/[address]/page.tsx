import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getAddress, isAddress, zeroAddress, type Address } from "viem";
import { TableHead } from "~/components/table";
import { formatAmount } from "~/format";
import { metadataHashOf } from "~/metadata";
import { activityOf, createdIndex } from "~/server/chain";
import { serverApi } from "~/trpc/server";

export const dynamic = "force-dynamic";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ address: string }>;
}): Promise<Metadata> {
  const { address } = await params;
  return { title: isAddress(address) ? `Competitor ${address.slice(0, 8)}…` : "Competitor" };
}

export default async function ProfilePage({ params }: { params: Promise<{ address: string }> }) {
  const raw = (await params).address;
  if (!isAddress(raw, { strict: false })) notFound();
  const address: Address = getAddress(raw);
  const api = await serverApi();
  const [activity, index, list] = await Promise.all([
    activityOf(address),
    createdIndex(),
    api.challenge.list({ limit: 50 }).catch(() => ({ items: [], nextCursor: null })),
  ]);
  // On-chain id → the challenge row it was created from (by metadata hash), for titles and links.
  const rows = new Map<string, (typeof list.items)[number]>();
  if (activity.status === "ok" && activity.entries.length > 0) {
    const details = await Promise.all(
      list.items.map((item) => api.challenge.bySlug({ slug: item.slug }).catch(() => null)),
    );
    list.items.forEach((item, i) => {
      const d = details[i];
      const onchainId = d?.onchainId ?? (d ? index.get(metadataHashOf(d).toLowerCase())?.id : undefined);
      if (onchainId) rows.set(onchainId, item);
    });
  }
  const entries = activity.status === "ok" ? activity.entries : [];
  const wins = entries.filter((e) => e.earned > 0n).length;
  // Amounts in different tokens cannot be added: the total counts ETH challenges only.
  const earned = entries.filter((e) => e.token === zeroAddress).reduce((s, e) => s + e.earned, 0n);
  return (
    <article data-testid="profile">
      <div className="page-head">
        <div>
          <h1>Competitor</h1>
          <p className="mono">{address}</p>
        </div>
      </div>
      {activity.status === "unavailable" ? (
        <div className="callout callout-bad" role="alert">
          {activity.error}
        </div>
      ) : null}
      <div className="grid stats">
        <div className="card">
          <span className="muted">Challenges</span>
          <strong className="stat">{entries.length}</strong>
        </div>
        <div className="card">
          <span className="muted">Prizes won</span>
          <strong className="stat">{wins}</strong>
        </div>
        <div className="card">
          <span className="muted">Earned (ETH challenges)</span>
          <strong className="stat" data-testid="earned">
            {formatAmount(earned.toString(), 18, "ETH")}
          </strong>
        </div>
      </div>
      <section className="card" style={{ marginTop: 16 }}>
        <h2>Activity</h2>
        {entries.length === 0 ? (
          <p className="muted">No on-chain activity for this address yet.</p>
        ) : (
          <table className="table">
            <TableHead columns={["Challenge", "Role", "Score", "Funded", "Earned"]} />
            <tbody>
              {entries.map((e) => {
                const row = rows.get(e.id);
                return (
                  <tr key={e.id}>
                    <td>{row ? <Link href={`/challenges/${row.slug}`}>{row.title}</Link> : `#${e.id}`}</td>
                    <td>{e.roles.join(", ")}</td>
                    <td>{e.bestCorrect ?? "—"}</td>
                    <td>
                      {e.funded > 0n
                        ? formatAmount(
                            e.funded.toString(),
                            row?.tokenDecimals ?? 18,
                            row?.tokenSymbol ?? "ETH",
                          )
                        : "—"}
                    </td>
                    <td>
                      {e.earned > 0n
                        ? formatAmount(
                            e.earned.toString(),
                            row?.tokenDecimals ?? 18,
                            row?.tokenSymbol ?? "ETH",
                          )
                        : "—"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
