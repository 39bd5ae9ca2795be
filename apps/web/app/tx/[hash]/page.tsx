import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { decodeEventLog, formatEther, type Hex } from "viem";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import { formatDate } from "~/format";
import { chainContext } from "~/server/chain";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Transaction" };

export default async function TxPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) notFound();
  const ctx = await chainContext();
  let receipt;
  try {
    receipt = await ctx.client.getTransactionReceipt({ hash: hash as Hex });
  } catch {
    return (
      <div className="empty" data-testid="tx-missing">
        <h1>Transaction not found</h1>
        <p>
          The chain this server reads (chain {ctx.chainId}) has no transaction{" "}
          <span className="mono">{hash}</span>. It may be pending, on another chain, or the local chain was
          reset.
        </p>
      </div>
    );
  }
  const [tx, block] = await Promise.all([
    ctx.client.getTransaction({ hash: hash as Hex }),
    ctx.client.getBlock({ blockNumber: receipt.blockNumber }),
  ]);
  const events = receipt.logs.flatMap((log) => {
    try {
      const d = decodeEventLog({ abi: arenaEscrowAbi, data: log.data, topics: log.topics });
      return [{ name: d.eventName, args: d.args as Record<string, unknown> }];
    } catch {
      return [];
    }
  });
  const show = (v: unknown): string =>
    typeof v === "bigint"
      ? v.toString()
      : typeof v === "string"
        ? v.length > 120
          ? `${v.slice(0, 117)}…`
          : v
        : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  return (
    <article data-testid="tx-page">
      <Link href="/" className="back">
        ← All challenges
      </Link>
      <div className="page-head">
        <div>
          <span className={`badge ${receipt.status === "success" ? "badge-ok" : "badge-bad"}`}>
            {receipt.status === "success" ? "Success" : "Reverted"}
          </span>
          <h1 style={{ marginTop: 10 }}>Transaction</h1>
          <p className="mono">{hash}</p>
        </div>
      </div>
      <section className="card">
        <dl className="facts">
          <dt>Block</dt>
          <dd>
            {receipt.blockNumber.toString()} · {formatDate(new Date(Number(block.timestamp) * 1000))}
          </dd>
          <dt>From</dt>
          <dd>
            <Link className="mono" href={`/u/${receipt.from}`}>
              {receipt.from}
            </Link>
          </dd>
          <dt>To</dt>
          <dd className="mono">{receipt.to ?? "contract creation"}</dd>
          <dt>Value</dt>
          <dd>{formatEther(tx.value)} ETH</dd>
          <dt>Gas used</dt>
          <dd>{receipt.gasUsed.toLocaleString("en-GB")}</dd>
        </dl>
      </section>
      {events.length > 0 ? (
        <section className="card" style={{ marginTop: 16 }}>
          <h2>Escrow events</h2>
          <ul className="list-reset rows">
            {events.map((e, i) => (
              <li key={i} className="row" style={{ display: "block" }}>
                <strong>{e.name}</strong>
                <dl className="facts small">
                  {Object.entries(e.args).map(([k, v]) => (
                    <div key={k} style={{ display: "contents" }}>
                      <dt>{k}</dt>
                      <dd className="mono">{show(v)}</dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
