"use client";
// Proving on the public (validation) split: every public batch is proved in this browser's Web Worker
// against the committed model (src/prove.ts, the same prover as the hidden split), verified locally,
// then only the proofs and their public signals are sent (submission.submitPublicProof, signed in with
// SIWE). The server verifies them off-chain; their status is polled until VERIFIED, REJECTED or FAILED.
// Public scores rank the live public leaderboard; payouts depend only on the hidden split.
import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import type { inferRouterInputs } from "@trpc/server";
import { useEffect, useState } from "react";
import type { AppRouter } from "@zkarena/api";
import type { PanelProps } from "~/components/challenge-actions";
import { ProofProgress, ProveButtons } from "~/components/proof-progress";
import { parseSamplesFile, type ModelBackup } from "~/local";
import { fromStrings, shapeOf, useBrowserProver } from "~/prove";
import { publicProofRequest } from "~/public-split";
import { useSession } from "~/siwe";
import { useTRPC } from "~/trpc/react";

/** How long to wait for the indexer to record a fresh commitment before giving up. */
const INDEX_WAIT_MS = 120_000;

const statusTone: Record<string, string> = {
  PENDING: "badge-neutral",
  VERIFIED: "badge-ok",
  REJECTED: "badge-bad",
  FAILED: "badge-bad",
};

type PublicProofInput = inferRouterInputs<AppRouter>["submission"]["submitPublicProof"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function PublicProofPanel({
  challenge,
  onchain,
  address,
  commitment,
  backup,
}: PanelProps & {
  /** The address's current on-chain model commitment. */
  commitment: bigint;
  backup: ModelBackup | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const { progress, prove, cancel } = useBrowserProver();
  const [running, setRunning] = useState(false);
  const [step, setStep] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState<string[]>([]);
  const submit = useMutation(trpc.submission.submitPublicProof.mutationOptions());
  const statuses = useQueries({
    queries: submitted.map((id) =>
      trpc.submission.byId.queryOptions(
        { id },
        {
          staleTime: 0,
          refetchInterval: (q) => (q.state.data && q.state.data.status !== "PENDING" ? false : 1500),
        },
      ),
    ),
  });
  const holdsModel = Boolean(backup && BigInt(backup.commitment) === commitment);
  const allVerified = statuses.length > 0 && statuses.every((s) => s.data?.status === "VERIFIED");
  useEffect(() => {
    // The new row: refresh the live public leaderboard now rather than at its next poll.
    if (allVerified) void queryClient.invalidateQueries({ queryKey: trpc.leaderboard.public.pathKey() });
  }, [allVerified, queryClient, trpc]);

  /** The indexer must have recorded this commitment before the server accepts a proof of it. */
  const waitForIndexedCommitment = async () => {
    const until = Date.now() + INDEX_WAIT_MS;
    for (;;) {
      const mine = await queryClient.fetchQuery({
        ...trpc.submission.byCompetitor.queryOptions({ address, challengeId: challenge.rowId, limit: 5 }),
        staleTime: 0,
      });
      if (mine.commitments.some((m) => BigInt(m.commitment) === commitment)) return;
      if (Date.now() > until)
        throw new Error(
          "The server has not indexed your on-chain commitment yet (is its worker running?), so nothing was submitted. Try again in a minute (the proofs are computed again).",
        );
      await sleep(2000);
    }
  };

  const run = async () => {
    if (!backup || !holdsModel) return;
    setError(null);
    setSubmitted([]);
    setRunning(true);
    try {
      setStep("Reading the public split…");
      const { shape } = await shapeOf(challenge.circuitId);
      const [targets, split] = await Promise.all([
        queryClient.fetchQuery(trpc.submission.publicBatches.queryOptions({ challengeId: challenge.rowId })),
        queryClient.fetchQuery(
          trpc.dataset.download.queryOptions({ challengeId: challenge.rowId, kind: "PUBLIC" }),
        ),
      ]);
      if (targets.batches.length === 0)
        throw new Error(
          `The public split has no full batch of ${targets.batchSize} samples, so nothing can be proved on it.`,
        );
      const rows = parseSamplesFile(split.content);
      const model = fromStrings(shape, backup.model);
      const proofs = [];
      for (const [i, target] of targets.batches.entries()) {
        setStep(null);
        const result = await prove(
          challenge.circuitId,
          { batch: i + 1, batches: targets.batches.length },
          {
            request: publicProofRequest(shape, rows, target, targets.testSalt, {
              model,
              modelSalt: BigInt(backup.modelSalt),
              challengeId: BigInt(onchain.id),
              submitter: BigInt(address),
            }),
          },
        );
        if (result.publicSignals[1] !== target.commitment)
          throw new Error(
            `The public split this server sends does not hash to its batch ${target.index} commitment; nothing was submitted.`,
          );
        proofs.push({ batchIndex: target.index, proof: result.proof, publicSignals: result.publicSignals });
      }
      if (!session.signedIn) {
        setStep("Sign in with your wallet to submit (a signature, no transaction)…");
        await session.signIn.mutateAsync();
      }
      setStep("Waiting for the server to index your commitment…");
      await waitForIndexedCommitment();
      setStep("Submitting the proofs…");
      for (const p of proofs) {
        const created = await submit.mutateAsync({
          challengeId: challenge.rowId,
          batchIndex: p.batchIndex,
          // snarkjs types its proof loosely; the server checks its exact shape (groth16ProofInput).
          proof: p.proof as unknown as PublicProofInput["proof"],
          publicSignals: p.publicSignals,
        });
        setSubmitted((ids) => [...ids, created.id]);
      }
      setStep(null);
    } catch (e) {
      setStep(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };

  // Once the challenge is over its public board is final: nothing more to prove.
  if (onchain.phase === "Settled" || onchain.phase === "RevealMissed") return null;
  const samples = statuses.reduce((n, s) => n + (s.data?.total ?? 0), 0);
  const correct = statuses.reduce((n, s) => n + (s.data?.status === "VERIFIED" ? s.data.correct : 0), 0);
  return (
    <div className="stack" data-testid="public-proof-panel">
      <h4>Public split (live leaderboard)</h4>
      <p className="muted small">
        Prove your committed model on the public validation split to appear on the live public leaderboard.
        The server verifies the proofs and publishes them so anyone can re-verify; payouts depend only on the
        hidden split. Only the proofs and their public signals leave this browser.
      </p>
      {!holdsModel ? (
        <p className="muted small" data-testid="public-proof-no-model">
          This browser does not hold your committed model: load its backup file above to prove on the public
          split.
        </p>
      ) : (
        <ProveButtons
          running={running}
          onRun={() => void run()}
          onCancel={cancel}
          label="Prove on the public split"
          runningLabel="Proving on the public split…"
          testId="prove-public"
          tone="ghost"
        />
      )}
      {running && step ? (
        <p className="muted small" role="status">
          {step}
        </p>
      ) : null}
      {running && !step && progress ? (
        <ProofProgress progress={progress} testId="public-prove-progress" />
      ) : null}
      {error ? (
        <p className="field-error" role="alert" data-testid="public-proof-error">
          {error}
        </p>
      ) : null}
      {statuses.length > 0 ? (
        <ul className="list-reset rows" data-testid="public-proof-status">
          {statuses.map((s, i) => (
            <li key={submitted[i]} className="row">
              <span>
                Batch {s.data ? s.data.batchIndex + 1 : i + 1}:{" "}
                {s.data ? `${s.data.correct}/${s.data.total}` : "…"}
              </span>
              <span>
                <span className={`badge ${statusTone[s.data?.status ?? "PENDING"] ?? "badge-neutral"}`}>
                  {s.data?.status ?? "PENDING"}
                </span>
                {s.data?.error && s.data.status !== "PENDING" ? (
                  <span className="field-error"> {s.data.error}</span>
                ) : null}
                {s.error ? <span className="field-error"> {s.error.message}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {allVerified ? (
        <p className="callout callout-ok small" data-testid="public-proof-verified">
          Verified by the server: {correct}/{samples} correct on the public split. Your row is on the public
          leaderboard.
        </p>
      ) : null}
    </div>
  );
}
