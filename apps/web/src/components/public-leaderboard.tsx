"use client";
// The live public leaderboard: server-verified proofs on the public (validation) split. The page
// renders it from the server's read (leaderboard.public: each row carries the proofs it sums); while
// the challenge is live the same typed tRPC query refreshes it here. Every proof is public: its JSON
// (proof + public signals) downloads from the REST API, to re-verify with the circuit's key.
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@zkarena/api";
import { ScoreChart, SubmissionsChart } from "~/components/charts";
import { formatDate } from "~/format";
import { CompetitorLink, TableHead } from "~/components/table";
import { shortAddress } from "~/short";
import { useTRPC } from "~/trpc/react";

type Outputs = inferRouterOutputs<AppRouter>;
export type PublicBoard = Outputs["leaderboard"]["public"];

/** How often a live board is read again. */
const REFRESH_MS = 10_000;

export function PublicLeaderboard({
  challengeId,
  circuitId,
  initialBoard,
  live,
  totalSamples,
  from,
  renderedAt,
}: {
  challengeId: string;
  circuitId: string;
  initialBoard: PublicBoard;
  live: boolean;
  /** Samples in the public split's full batches (a competitor who proved every batch has this many). */
  totalSamples: number;
  /** Chart range, seconds: from the challenge's creation to at least the server render. */
  from: number;
  renderedAt: number;
}) {
  const trpc = useTRPC();
  const refetchInterval = live ? REFRESH_MS : false;
  const board = useQuery(
    trpc.leaderboard.public.queryOptions({ challengeId }, { initialData: initialBoard, refetchInterval }),
  );
  const rows = board.data.rows;
  const times = rows.flatMap((r) => r.proofs).map((p) => Math.floor(new Date(p.createdAt).getTime() / 1000));

  return (
    <>
      <p className="muted small" data-testid="public-board-note">
        Scores on the public validation split, from proofs the server verified off-chain (anyone can re-verify
        them: download a proof and check it with the circuit&apos;s{" "}
        <a href={`/circuits/${circuitId}/verification_key.json`}>verification key</a>
        ). {live ? "Refreshed every 10 s. " : ""}
        <strong>Payouts depend only on the hidden split</strong> (the on-chain leaderboard).
      </p>
      {board.error ? (
        <p className="field-error" role="alert">
          The live refresh failed ({board.error.message}); showing the last scores read.
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="muted" data-testid="public-leaderboard-empty">
          No verified public proofs yet. Competitors who committed a model can prove on the public split from
          “Take part”.
        </p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table" data-testid="public-leaderboard">
              <TableHead columns={["Rank", "Competitor", "Correct", "Accuracy", "Proofs", "Submitted"]} />
              <tbody>
                {rows.map((row) => {
                  const proofs = row.proofs;
                  const total = row.total ?? 0;
                  return (
                    <tr key={row.competitor} data-competitor={row.competitor}>
                      <td>{row.rank}</td>
                      <td>
                        <CompetitorLink address={row.competitor} />
                      </td>
                      <td>
                        {row.correct}/{total}
                        {total < totalSamples ? (
                          <span className="muted small"> ({row.batches} batches)</span>
                        ) : null}
                      </td>
                      <td>{total > 0 ? `${((100 * row.correct) / total).toFixed(1)}%` : "—"}</td>
                      <td>
                        <span className="badge badge-ok">VERIFIED</span>{" "}
                        {proofs.map((p) => (
                          <a
                            key={p.id}
                            href={`/api/v1/proofs/${p.id}`}
                            download={`zkarena-proof-${p.id}.json`}
                            className="small"
                            title={`Proof of batch ${p.batchIndex + 1}: proof and public signals (JSON)`}
                            data-testid="public-proof-link"
                          >
                            {proofs.length > 1 ? `batch ${p.batchIndex + 1} ` : "proof "}
                          </a>
                        ))}
                      </td>
                      <td className="small">
                        {row.submittedAt ? formatDate(new Date(row.submittedAt)) : "—"}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {board.data.competitors > rows.length ? (
            <p className="muted small">
              Top {rows.length} of {board.data.competitors} competitors.
            </p>
          ) : null}
          <h3 className="subhead">Score distribution</h3>
          <ScoreChart
            rows={rows.map((r) => ({ label: shortAddress(r.competitor), correct: r.correct }))}
            total={totalSamples}
            minCorrect={0}
          />
          <h3 className="subhead">Submissions over time</h3>
          <SubmissionsChart
            times={times}
            from={from}
            to={Math.max(renderedAt, ...times)}
            labels={{ from: "created", to: "latest", noun: "verified proof" }}
          />
        </>
      )}
    </>
  );
}
