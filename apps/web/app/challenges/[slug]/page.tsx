import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { TRPCError } from "@trpc/server";
import { ChallengeActions } from "~/components/challenge-actions";
import { ScoreChart, SubmissionsChart } from "~/components/charts";
import { Countdown } from "~/components/countdown";
import { PublicLeaderboard } from "~/components/public-leaderboard";
import { StateBadge } from "~/components/state-badge";
import { CompetitorLink, TableHead } from "~/components/table";
import { TagList } from "~/components/tag-list";
import { formatAmount, formatDate, sharePercent } from "~/format";
import { phaseLabels } from "~/metadata";
import { clientContracts, readOnchainChallenge, type OnchainChallenge } from "~/server/chain";
import { nowSeconds, shortAddress, shortHash } from "~/short";
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

const timelineLabels: Record<string, string> = {
  created: "Created on-chain",
  funded: "Funded",
  committed: "Model committed",
  revealed: "Hidden split revealed",
  proof: "Proof accepted",
  prize: "Prize claimed",
  refund: "Refund claimed",
  bond: "Bond claimed",
};

/** The live public leaderboard (each row with the proofs it sums), or null when it cannot be read. */
async function loadPublicBoard(challengeId: string) {
  const api = await serverApi();
  try {
    const [board, batches] = await Promise.all([
      api.leaderboard.public({ challengeId }),
      api.submission.publicBatches({ challengeId }),
    ]);
    return { board, totalSamples: batches.batches.length * batches.batchSize };
  } catch (error) {
    console.warn(`public leaderboard of ${challengeId} unavailable:`, error);
    return null;
  }
}

export default async function ChallengePage({ params }: { params: Params }) {
  const c = await loadChallenge((await params).slug);
  const api = await serverApi();
  const [onchain, splits, contracts, publicBoard] = await Promise.all([
    readOnchainChallenge({
      id: c.id,
      onchainId: c.onchainId,
      organiserAddress: c.organiserAddress,
      metadataHash: c.metadataHash,
    }),
    api.dataset.list({ challengeId: c.id }).catch(() => []),
    clientContracts(),
    loadPublicBoard(c.id),
  ]);
  const oc: OnchainChallenge | null = onchain.status === "ok" ? onchain.challenge : null;
  const serverNow = oc?.serverNow ?? nowSeconds();
  const chainNow = oc?.chainNow ?? serverNow;
  const money = (v: string | null) => formatAmount(v, c.tokenDecimals, c.tokenSymbol);
  const deadlines = oc
    ? [
        { label: "Commits close", at: oc.commitDeadline },
        { label: "Reveal by", at: oc.revealDeadline },
        { label: "Proofs close", at: oc.proveDeadline },
      ]
    : [
        { label: "Commits close", at: Math.floor(c.commitDeadline.getTime() / 1000) },
        { label: "Reveal by", at: Math.floor(c.revealDeadline.getTime() / 1000) },
        { label: "Proofs close", at: Math.floor(c.proveDeadline.getTime() / 1000) },
      ];
  // After a missed reveal nothing is left to wait for (no proofs can come): no countdown.
  const next = oc?.phase === "RevealMissed" ? undefined : deadlines.find((d) => d.at > chainNow);
  const samplesPerBatch = Number(c.circuitId.match(/-n(\d+)$/)?.[1] ?? 0);
  const totalSamples = oc ? oc.batchCount * samplesPerBatch : 0;
  const phase = oc ? phaseLabels[oc.phase] : null;
  const vkHash = contracts.vkHashes[c.circuitId] ?? null;

  return (
    <article data-testid="challenge-page">
      <Link href="/" className="back">
        ← All challenges
      </Link>
      <div className="page-head">
        <div>
          {phase ? (
            <span className={`badge badge-${phase.tone}`} data-testid="phase-badge">
              {phase.label}
            </span>
          ) : (
            <StateBadge state={c.state} />
          )}
          <h1 style={{ marginTop: 10 }}>{c.title}</h1>
          <p>{c.summary}</p>
        </div>
        <div className="pot" aria-label="Prize pot">
          <span className="pot-label">Pot</span>
          <span className="pot-value" data-testid="pot">
            {oc ? money(oc.pot) : money(c.potCached)}
          </span>
          {next ? (
            <span className="muted">
              {next.label.toLowerCase()}{" "}
              <Countdown target={next.at} chainNow={chainNow} serverNow={serverNow} />
            </span>
          ) : null}
        </div>
      </div>

      {onchain.status === "unavailable" ? (
        <div className="callout callout-bad" role="alert">
          <strong>On-chain state unavailable.</strong>
          <span>{onchain.error}</span>
        </div>
      ) : null}

      <div className="detail">
        <div className="stack">
          <section className="card" aria-labelledby="about">
            <h2 id="about">About</h2>
            <p>
              <strong>Task.</strong> {c.task}
            </p>
            <div className="prose">{c.description}</div>
            <TagList tags={c.tags} />
          </section>

          <section className="card" aria-labelledby="data">
            <h2 id="data">Data</h2>
            {splits.length === 0 ? (
              <p className="muted">No data published yet.</p>
            ) : (
              <ul className="list-reset rows" data-testid="datasets">
                {splits.map((s) => (
                  <li key={s.id} className="row">
                    <div>
                      <strong>
                        {s.kind === "HIDDEN"
                          ? "Hidden test split"
                          : s.kind === "PUBLIC"
                            ? "Public (validation) split"
                            : "Training split"}
                      </strong>
                      <span className="muted">
                        {" "}
                        · {s.rowCount} samples × {s.featureCount} features · {(s.byteSize / 1024).toFixed(1)}{" "}
                        KiB
                      </span>
                      <div className="mono muted" title="sha256 of the file">
                        sha256 {s.sha256 ?? "sealed until the reveal is final"}
                      </div>
                    </div>
                    {s.released ? (
                      <a
                        className="btn btn-ghost btn-sm"
                        href={`/challenges/${c.slug}/data/${s.kind.toLowerCase()}`}
                        download
                      >
                        Download
                      </a>
                    ) : (
                      <span className="badge badge-neutral">Sealed</span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {oc ? (
              <p className="muted small">
                Hidden split: {oc.batchCount} batch{oc.batchCount === 1 ? "" : "es"} of {samplesPerBatch}{" "}
                samples, committed as{" "}
                <span className="mono" data-testid="test-commitment">
                  {oc.testCommitment}
                </span>
                .{" "}
                {oc.revealUri
                  ? "Revealed: anyone can recompute the commitment from the published split and salt."
                  : "It is revealed after the commit deadline."}
              </p>
            ) : null}
          </section>

          <section className="card" aria-labelledby="board">
            <div className="card-head">
              <h2 id="board">
                {oc?.phase === "Settled" ? "Final leaderboard" : "Leaderboard (hidden split, on-chain)"}
              </h2>
              {oc ? <span className="muted">{oc.payoutBps.length} paid ranks</span> : null}
            </div>
            {!oc || oc.leaderboard.length === 0 ? (
              <p className="muted" data-testid="leaderboard-empty">
                {oc?.revealedAt
                  ? "No accepted proofs yet."
                  : "Scores appear once the hidden split is revealed and competitors prove."}
              </p>
            ) : (
              <>
                <table className="table" data-testid="leaderboard">
                  <TableHead columns={["Rank", "Competitor", "Correct", "Prize"]} />
                  <tbody>
                    {oc.leaderboard.map((row, i) => (
                      <tr key={row.competitor}>
                        <td>{i + 1}</td>
                        <td>
                          <CompetitorLink address={row.competitor} />
                        </td>
                        <td>
                          {row.correct}/{totalSamples}
                        </td>
                        <td>
                          {money(((BigInt(oc.pot) * BigInt(oc.payoutBps[i] ?? 0)) / 10_000n).toString())}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <h3 className="subhead">Score distribution</h3>
                <ScoreChart
                  rows={oc.leaderboard.map((r) => ({
                    label: shortAddress(r.competitor),
                    correct: r.correct,
                  }))}
                  total={totalSamples}
                  minCorrect={oc.minCorrect}
                />
                <h3 className="subhead">Submissions over time</h3>
                <SubmissionsChart
                  times={oc.proofs.map((p) => p.time)}
                  from={oc.revealedAt || oc.commitDeadline}
                  to={oc.proveDeadline}
                />
              </>
            )}
          </section>

          {splits.some((s) => s.kind === "PUBLIC") ? (
            <section className="card" aria-labelledby="public-board" data-testid="public-board">
              <div className="card-head">
                <h2 id="public-board">Public leaderboard (live)</h2>
                <span className="muted">public split, verified off-chain</span>
              </div>
              {publicBoard ? (
                <PublicLeaderboard
                  challengeId={c.id}
                  circuitId={c.circuitId}
                  initialBoard={publicBoard.board}
                  live={!oc || (oc.phase !== "Settled" && oc.phase !== "RevealMissed")}
                  totalSamples={publicBoard.totalSamples}
                  from={Math.floor(c.createdAt.getTime() / 1000)}
                  renderedAt={serverNow}
                />
              ) : (
                <p className="callout callout-bad" role="alert">
                  The public leaderboard cannot be read right now; reload in a moment.
                </p>
              )}
            </section>
          ) : null}

          <section className="card" aria-labelledby="timeline">
            <h2 id="timeline">Timeline</h2>
            {!oc || oc.timeline.length === 0 ? (
              <p className="muted">Nothing on-chain yet.</p>
            ) : (
              <ol className="list-reset timeline" data-testid="timeline">
                {oc.timeline.map((t) => (
                  <li key={`${t.txHash}-${t.kind}-${t.actor}`}>
                    <span className="timeline-kind">{timelineLabels[t.kind]}</span>{" "}
                    <Link href={`/u/${t.actor}`} className="mono">
                      {shortAddress(t.actor)}
                    </Link>
                    {t.amount && t.amount !== "0" ? (
                      <>
                        {" "}
                        ·{" "}
                        {t.kind === "created" ? `bond ${formatAmount(t.amount, 18, "ETH")}` : money(t.amount)}
                      </>
                    ) : null}
                    {t.detail ? <> · {t.detail}</> : null}
                    <div className="muted small">
                      {formatDate(new Date(t.time * 1000))} · block {t.blockNumber} ·{" "}
                      <Link href={`/tx/${t.txHash}`} className="mono">
                        tx {shortHash(t.txHash)}
                      </Link>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <aside className="stack">
          <ChallengeActions
            challenge={{
              rowId: c.id,
              slug: c.slug,
              circuitId: c.circuitId,
              organiserAddress: c.organiserAddress,
              tokenSymbol: c.tokenSymbol,
              tokenDecimals: c.tokenDecimals,
              tokenAddress: c.tokenAddress,
              commitDeadline: c.commitDeadline.getTime(),
              revealDeadline: c.revealDeadline.getTime(),
              proveDeadline: c.proveDeadline.getTime(),
              payoutSharesBps: c.payoutSharesBps,
              minCorrect: c.minCorrect,
              organiserBond: c.organiserBond ?? "0",
              metadataHash: c.metadataHash,
            }}
            onchain={oc}
            notOnchain={onchain.status === "not-onchain"}
            hasPublicSplit={splits.some((s) => s.kind === "PUBLIC")}
          />
          <section className="card" aria-labelledby="facts">
            <h2 id="facts">Details</h2>
            <dl className="facts">
              {deadlines.map((d) => (
                <FactRow key={d.label} label={d.label} value={formatDate(new Date(d.at * 1000))} />
              ))}
              <dt>Sponsors</dt>
              <dd>{oc ? oc.sponsorCount : "—"}</dd>
              <dt>Committed</dt>
              <dd data-testid="committer-count">{oc ? oc.committerCount : "—"}</dd>
              <dt>Model family</dt>
              <dd>{c.modelFamily}</dd>
              <dt>Circuit</dt>
              <dd className="mono">{c.circuitId}</dd>
              {oc ? (
                <>
                  <dt>Verifier</dt>
                  <dd className="mono">{oc.verifier}</dd>
                </>
              ) : null}
              {vkHash ? (
                <>
                  <dt>Verification key</dt>
                  <dd className="mono" title="sha256 of the verification key (canonical JSON)">
                    {vkHash}
                  </dd>
                </>
              ) : null}
              <dt>Minimum correct</dt>
              <dd>{oc ? oc.minCorrect : c.minCorrect}</dd>
              <dt>Payout shares</dt>
              <dd>{(oc?.payoutBps ?? c.payoutSharesBps).map((bps) => `${bps / 100}%`).join(" / ") || "—"}</dd>
              <dt>Token</dt>
              <dd>
                {c.tokenSymbol}
                {c.tokenAddress ? <span className="mono"> {c.tokenAddress}</span> : null}
              </dd>
              <dt>Organiser bond</dt>
              <dd>{oc ? formatAmount(oc.bond, 18, "ETH") : formatAmount(c.organiserBond, 18, "ETH")}</dd>
              <dt>Organiser</dt>
              <dd>
                <Link href={`/u/${c.organiserAddress}`} className="mono">
                  {c.organiserAddress}
                </Link>
              </dd>
              {oc ? (
                <>
                  <dt>On-chain id</dt>
                  <dd>
                    #{oc.id}
                    {oc.createTxHash ? (
                      <>
                        {" "}
                        · <Link href={`/tx/${oc.createTxHash}`}>creation tx</Link>
                      </>
                    ) : null}
                  </dd>
                  <dt>Metadata hash</dt>
                  <dd className="mono">{oc.metadataHash}</dd>
                </>
              ) : null}
            </dl>
          </section>
          {oc && oc.sponsors.length > 0 ? (
            <section className="card" aria-labelledby="sponsors">
              <h2 id="sponsors">Sponsors</h2>
              <ul className="list-reset rows" data-testid="sponsors">
                {oc.sponsors.map((s) => (
                  <li key={s.address} className="row">
                    <Link href={`/u/${s.address}`} className="mono">
                      {shortAddress(s.address)}
                    </Link>
                    <span>
                      {money(s.amount)}{" "}
                      <span className="muted">({sharePercent(BigInt(s.amount), BigInt(oc.pot))})</span>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section className="card" aria-labelledby="rules">
            <h2 id="rules">Rules</h2>
            <ul className="rules">
              <li>
                Fund and commit before the commit deadline; re-committing replaces your model and resets your
                time.
              </li>
              <li>
                The organiser reveals the hidden split between the commit deadline and the reveal deadline;
                without a reveal, sponsors are refunded in full and the bond goes to the committed
                competitors.
              </li>
              <li>
                After the reveal, prove your committed model&apos;s score; one accepted proof per batch.
              </li>
              <li>
                Ranking: most correct, then earliest commitment, then address. Scores below the minimum do not
                rank.
              </li>
              <li>Shares of unfilled ranks and rounding dust go back to the sponsors pro rata.</li>
            </ul>
          </section>
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
