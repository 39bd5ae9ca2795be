"use client";
// The data scientist's journey on a challenge: import a model, check its quantized accuracy on the
// public split, commit (salt backed up), then after the reveal prove in a Web Worker, verify locally
// and submit. The model and its salt stay in this browser: nothing here sends them anywhere.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { useReadContract } from "wagmi";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import type { IntModel, MlpShape, ProgressEvent, QuantizeReport } from "@zkarena/zk";
import type { ChallengeRef } from "~/components/challenge-actions";
import { usePublicEnv } from "~/components/providers";
import { TxStatus } from "~/components/tx-status";
import {
  MODEL_BACKUP_FORMAT,
  downloadJson,
  loadModel,
  parseSamplesFile,
  storeModel,
  type ModelBackup,
} from "~/local";
import { pollReveal } from "~/reveal";
import type { OnchainChallenge } from "~/server/chain";
import { useTRPC } from "~/trpc/react";
import { useTx } from "~/tx";

const zk = () => import("@zkarena/zk/core");

async function shapeOf(circuitId: string): Promise<{ shape: MlpShape; constraints: number }> {
  const { MLP_SHAPES } = await zk();
  const named = Object.values(MLP_SHAPES).find((s) => s.id === circuitId);
  if (!named) throw new Error(`The circuit ${circuitId} is not in this app's registry; update the app.`);
  return { shape: named.shape, constraints: named.constraints };
}

const toStrings = (m: IntModel): ModelBackup["model"] => ({
  W1: m.W1.map((r) => r.map(String)),
  b1: m.b1.map(String),
  W2: m.W2.map((r) => r.map(String)),
  b2: m.b2.map(String),
});
const fromStrings = (shape: MlpShape, m: ModelBackup["model"]): IntModel => ({
  shape,
  W1: m.W1.map((r) => r.map(BigInt)),
  b1: m.b1.map(BigInt),
  W2: m.W2.map((r) => r.map(BigInt)),
  b2: m.b2.map(BigInt),
});

export function CompetitorPanel({
  challenge,
  onchain,
  address,
  hasPublicSplit,
}: {
  challenge: ChallengeRef;
  onchain: OnchainChallenge;
  address: Address;
  hasPublicSplit: boolean;
}) {
  const env = usePublicEnv();
  const id = BigInt(onchain.id);
  const commitment = useReadContract({
    address: onchain.escrow,
    abi: arenaEscrowAbi,
    functionName: "commitmentOf",
    args: [id, address],
  });
  const [backup, setBackup] = useState<ModelBackup | null>(null);
  useEffect(() => {
    // localStorage is only readable after hydration (the server render has no backup).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setBackup(loadModel(env.chainId, onchain.escrow, onchain.id, address));
  }, [env.chainId, onchain.escrow, onchain.id, address]);
  const committed = commitment.data && commitment.data[1] > 0n ? commitment.data : null;
  const rank = onchain.leaderboard.findIndex((r) => r.competitor.toLowerCase() === address.toLowerCase());
  const proofs = onchain.proofs.filter((p) => p.competitor.toLowerCase() === address.toLowerCase());

  return (
    <div className="panel" data-testid="competitor-panel">
      <h3>Compete</h3>
      <p className="callout callout-info small" data-testid="privacy-note">
        Your model never leaves this browser: it is read, quantized, committed and proved here. Only the
        commitment (a hash) and the proof go on-chain.
      </p>
      {committed ? (
        <p className="small" data-testid="my-commitment">
          Committed at {new Date(Number(committed[1]) * 1000).toISOString().slice(0, 16).replace("T", " ")}{" "}
          UTC: <span className="mono">{committed[0].toString().slice(0, 18)}…</span>
          {backup && BigInt(backup.commitment) !== committed[0] ? (
            <span className="field-error">
              {" "}
              (this browser holds a different model: import the backup of the committed one)
            </span>
          ) : null}
        </p>
      ) : null}
      {rank >= 0 ? (
        <p className="small" data-testid="my-rank">
          Your rank: <strong>#{rank + 1}</strong> with {onchain.leaderboard[rank]?.correct} correct.
        </p>
      ) : proofs.length > 0 ? (
        <p className="small">
          Your score ({proofs.at(-1)?.total} correct) is not in the top {onchain.payoutBps.length}.
        </p>
      ) : null}
      {onchain.phase === "Open" ? (
        <CommitFlow
          challenge={challenge}
          onchain={onchain}
          address={address}
          hasPublicSplit={hasPublicSplit}
          recommit={Boolean(committed)}
          onCommitted={(b) => {
            setBackup(b);
            void commitment.refetch();
          }}
        />
      ) : null}
      {onchain.phase === "AwaitingReveal" && committed ? (
        <p className="muted small">
          Commits are closed. Once the organiser reveals the hidden split, prove your score here.
        </p>
      ) : null}
      {(onchain.phase === "Proving" || onchain.phase === "AwaitingReveal") && committed ? (
        <BackupCheck
          backup={backup}
          expected={committed[0]}
          onImport={(b) => {
            storeModel(b);
            setBackup(b);
          }}
          challengeId={onchain.id}
          address={address}
        />
      ) : null}
      {onchain.phase === "Proving" && committed && backup && BigInt(backup.commitment) === committed[0] ? (
        <ProveFlow challenge={challenge} onchain={onchain} address={address} backup={backup} />
      ) : null}
      {onchain.phase === "Proving" && !committed ? (
        <p className="muted small">
          You did not commit a model before the deadline, so you cannot prove in this challenge.
        </p>
      ) : null}
    </div>
  );
}

function BackupCheck({
  backup,
  expected,
  onImport,
  challengeId,
  address,
}: {
  backup: ModelBackup | null;
  expected: bigint;
  onImport: (b: ModelBackup) => void;
  challengeId: string;
  address: Address;
}) {
  const [error, setError] = useState<string | null>(null);
  if (backup && BigInt(backup.commitment) === expected) return null;
  return (
    <div className="field">
      <label htmlFor="model-backup">Model backup file (from your commit)</label>
      <input
        id="model-backup"
        type="file"
        accept="application/json,.json"
        className="input"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          try {
            const doc = JSON.parse(await f.text()) as ModelBackup;
            if (doc.format !== MODEL_BACKUP_FORMAT) throw new Error(`not a ${MODEL_BACKUP_FORMAT} file`);
            if (doc.challengeId !== challengeId || doc.address.toLowerCase() !== address.toLowerCase())
              throw new Error("it belongs to another challenge or address");
            if (BigInt(doc.commitment) !== expected)
              throw new Error("its commitment is not your on-chain commitment");
            setError(null);
            onImport(doc);
          } catch (err) {
            setError(`That backup cannot be used: ${err instanceof Error ? err.message : String(err)}.`);
          }
        }}
      />
      <span className="muted small">
        This browser does not hold the committed model; load the backup you downloaded.
      </span>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface Imported {
  fileName: string;
  model: IntModel;
  report: QuantizeReport;
  publicSamples: number;
}

function CommitFlow({
  challenge,
  onchain,
  address,
  hasPublicSplit,
  recommit,
  onCommitted,
}: {
  challenge: ChallengeRef;
  onchain: OnchainChallenge;
  address: Address;
  hasPublicSplit: boolean;
  recommit: boolean;
  onCommitted: (b: ModelBackup) => void;
}) {
  const env = usePublicEnv();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tx = useTx();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const [pending, setPending] = useState<ModelBackup | null>(null);
  const [savedBackup, setSavedBackup] = useState(false);

  // Leaving before the backup is saved loses the salt (and with it the ability to prove).
  useEffect(() => {
    if (!pending || savedBackup) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [pending, savedBackup]);

  const importModel = async (file: File) => {
    setError(null);
    setImported(null);
    setBusy(true);
    try {
      const { quantize, parseModel, importOnnx } = await zk();
      const { shape } = await shapeOf(challenge.circuitId);
      const bytes = new Uint8Array(await file.arrayBuffer());
      let json: unknown;
      if (file.name.toLowerCase().endsWith(".onnx") || (bytes.length > 0 && bytes[0] !== 0x7b)) {
        // ONNX (e.g. PyTorch's export): read here, in the browser, into the float format.
        json = importOnnx(bytes, { target: challenge.circuitId }).model;
      } else {
        try {
          json = JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          throw new Error(
            "The file is neither JSON nor ONNX. Export your model as ONNX, or in the zkarena.model/v1 JSON format (see the CLI's `zkarena model` help).",
          );
        }
      }
      parseModel(json);
      let samples: { x: number[]; label: number }[] = [];
      if (hasPublicSplit) {
        const split = await queryClient.fetchQuery(
          trpc.dataset.download.queryOptions({ challengeId: challenge.rowId, kind: "PUBLIC" }),
        );
        samples = parseSamplesFile(split.content).map((r) => ({
          x: r.slice(0, shape.D),
          label: r[shape.D] ?? 0,
        }));
      }
      // Public-split features are already the circuit's integers: inputMax = 2^inBits − 1 keeps them.
      const { model, report } = quantize(json, shape, { inputMax: 2 ** shape.inBits - 1, samples });
      setImported({ fileName: file.name, model, report, publicSamples: samples.length });
    } catch (e) {
      setError(e instanceof Error ? `${e.message}` : String(e));
    } finally {
      setBusy(false);
    }
  };

  const commit = async () => {
    if (!imported || !env.escrow) return;
    setError(null);
    const { randomSalt, modelCommitment } = await zk();
    const salt = randomSalt();
    const c = await modelCommitment(imported.model, salt);
    const record: ModelBackup = {
      format: MODEL_BACKUP_FORMAT,
      chainId: env.chainId,
      escrow: onchain.escrow,
      challengeId: onchain.id,
      address,
      circuitId: challenge.circuitId,
      modelSalt: salt.toString(),
      commitment: c.toString(),
      model: toStrings(imported.model),
    };
    // Kept before the transaction: a confirmed commit without its salt could never be proved.
    storeModel(record);
    setPending(record);
    setSavedBackup(false);
    const receipt = await tx.send(
      recommit ? "Re-commit" : "Commit",
      { address: onchain.escrow, abi: arenaEscrowAbi, functionName: "commit", args: [BigInt(onchain.id), c] },
      address,
    );
    if (receipt) onCommitted(record);
  };

  const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
  return (
    <div className="stack" data-testid="commit-flow">
      <div className="field">
        <label htmlFor="model-file">
          {recommit
            ? "Replace your model (re-commit resets your time)"
            : "Import your model (ONNX or zkarena.model/v1 JSON)"}
        </label>
        <input
          id="model-file"
          type="file"
          accept="application/json,.json,.onnx"
          className="input"
          disabled={busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importModel(f);
          }}
        />
      </div>
      {busy ? <p className="muted small">Quantizing and scoring on the public split…</p> : null}
      {error ? (
        <p className="field-error" role="alert" data-testid="model-error">
          {error}
        </p>
      ) : null}
      {imported ? (
        <div className="small" data-testid="model-report">
          <strong>{imported.fileName}</strong>
          <dl className="facts">
            <dt>Quantized accuracy</dt>
            <dd data-testid="quantized-accuracy">
              {imported.publicSamples
                ? `${pct(imported.report.quantizedAccuracy)} on ${imported.publicSamples} public samples`
                : "no public split published"}
            </dd>
            <dt>Float accuracy</dt>
            <dd>{pct(imported.report.floatAccuracy)}</dd>
            <dt>Disagreements</dt>
            <dd>{imported.report.disagreements}</dd>
            <dt>Saturated</dt>
            <dd>
              {imported.report.saturated.count} / {imported.report.saturated.of}
            </dd>
          </dl>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void commit()}
            data-testid="commit"
            disabled={tx.state.status === "pending" || tx.state.status === "wallet"}
          >
            {recommit ? "Re-commit this model" : "Commit this model"}
          </button>
        </div>
      ) : null}
      {pending ? (
        <div
          className={`callout ${savedBackup ? "callout-ok" : "callout-warn"}`}
          data-testid="backup-callout"
        >
          <strong>
            {savedBackup ? "Backup saved." : "Save your backup: without its salt you cannot prove."}
          </strong>
          <span>
            It holds your quantized model and salt; keep it private. This browser also keeps a copy.
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            data-testid="download-backup"
            onClick={() => {
              downloadJson(`zkarena-model-${onchain.id}-${address.slice(2, 8)}.json`, pending);
              setSavedBackup(true);
            }}
          >
            Download backup
          </button>
        </div>
      ) : null}
      <TxStatus state={tx.state} />
    </div>
  );
}

interface Progress {
  batch: number;
  batches: number;
  stage: string;
  percent: number;
  elapsedMs: number;
  estimateMs: number;
}

const stageStart: Record<string, number> = {
  load: 0,
  input: 15,
  witness: 20,
  prove: 35,
  verify: 92,
  done: 100,
};

function ProveFlow({
  challenge,
  onchain,
  address,
  backup,
}: {
  challenge: ChallengeRef;
  onchain: OnchainChallenge;
  address: Address;
  backup: ModelBackup;
}) {
  const env = usePublicEnv();
  const tx = useTx();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<{ correct: number; verified: boolean; ms: number } | null>(null);
  /** The platform's reason while the revealed split is not released yet (403: reveal not final). */
  const [waiting, setWaiting] = useState<string | null>(null);
  const proverRef = useRef<{ cancel(): void } | null>(null);
  const cancelledRef = useRef(false);
  const scored = useReadContract({
    address: onchain.escrow,
    abi: arenaEscrowAbi,
    functionName: "competitorOf",
    args: [BigInt(onchain.id), address],
  });
  const batchesScored = scored.data?.batchesScored ?? 0;
  const allScored = batchesScored >= onchain.batchCount;

  useEffect(
    () => () => {
      cancelledRef.current = true;
      proverRef.current?.cancel();
    },
    [],
  );

  const run = useCallback(async () => {
    setError(null);
    setDone(null);
    setRunning(true);
    cancelledRef.current = false;
    const started = performance.now();
    try {
      const lib = await zk();
      const { createBrowserProver } = await import("@zkarena/zk/browser");
      const { shape, constraints } = await shapeOf(challenge.circuitId);
      const revealed = await pollReveal(onchain.revealUri ?? "", {
        onWaiting: setWaiting,
        isCancelled: () => cancelledRef.current,
      });
      setWaiting(null);
      if (!revealed) return;
      const samples = revealed.samples.map((r) => ({
        x: r.slice(0, shape.D).map(BigInt),
        label: BigInt(r[shape.D] ?? 0),
      }));
      const split = await lib.hiddenSplitCommitment(samples, BigInt(revealed.testSalt), shape);
      if (BigInt(split.root) !== BigInt(onchain.testCommitment))
        throw new Error(
          "The revealed split does not match the challenge's on-chain test commitment: do not prove against it.",
        );
      const model = fromStrings(shape, backup.model);
      const prover = createBrowserProver({
        createWorker: () => new Worker(new URL("../prover.worker.ts", import.meta.url), { type: "module" }),
        artifactsBaseUrl: new URL("/circuits/", window.location.href).href,
        expectVkHash: env.vkHashes,
        singleThread: (navigator.hardwareConcurrency || 2) <= 2,
      });
      proverRef.current = prover;
      // Measured in Chromium (packages/zk README): ~0.45 ms per constraint single-threaded, plus start-up.
      const estimateMs = 2500 + constraints * 0.45;
      let correct = 0;
      for (let i = 0; i < split.batchCount; i++) {
        const already = await scored.refetch();
        if (already.data && i < 120 && (already.data.lowBatchBits >> BigInt(i)) & 1n) continue;
        const { request, batch } = lib.batchProofRequest(split, i, {
          model,
          modelSalt: BigInt(backup.modelSalt),
          challengeId: BigInt(onchain.id),
          submitter: BigInt(address),
        });
        const t0 = performance.now();
        const onProgress = (e: ProgressEvent) => {
          const elapsed = performance.now() - t0;
          let percent = 0;
          let stage = "load";
          if (e.kind === "stage") stage = e.stage;
          setProgress((p) => {
            const s = e.kind === "stage" ? e.stage : (p?.stage ?? "load");
            stage = s;
            percent = stageStart[s] ?? 0;
            if (s === "prove") percent = Math.min(90, 35 + (55 * elapsed) / estimateMs);
            if (e.kind === "download" && e.total) percent = Math.min(15, (15 * e.received) / e.total);
            return {
              batch: i + 1,
              batches: split.batchCount,
              stage,
              percent,
              elapsedMs: elapsed,
              estimateMs,
            };
          });
        };
        const result = await prover.prove({ circuitId: challenge.circuitId, request, batch, onProgress });
        correct += result.submission.correct;
        setProgress({
          batch: i + 1,
          batches: split.batchCount,
          stage: "submit",
          percent: 100,
          elapsedMs: performance.now() - t0,
          estimateMs,
        });
        const args = lib.submitProofArgs(BigInt(onchain.id), result.submission);
        const receipt = await tx.send(
          split.batchCount > 1 ? `Submit proof (batch ${i + 1} of ${split.batchCount})` : "Submit proof",
          { address: onchain.escrow, abi: arenaEscrowAbi, functionName: "submitProof", args },
          address,
        );
        if (!receipt) return;
      }
      setDone({ correct, verified: true, ms: performance.now() - started });
      await scored.refetch();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setWaiting(null);
      setRunning(false);
    }
  }, [address, backup, challenge.circuitId, env.vkHashes, onchain, scored, tx]);

  return (
    <div className="stack" data-testid="prove-flow">
      <p className="small">
        The hidden split is revealed.{" "}
        {allScored
          ? "Your proof is accepted."
          : "Prove your committed model's score: the proof is computed here, in a Web Worker, and verified locally before it is sent."}
      </p>
      {!allScored ? (
        <div className="inline">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void run()}
            disabled={running}
            data-testid="prove"
          >
            {running ? "Proving…" : "Prove and submit"}
          </button>
          {running ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                cancelledRef.current = true;
                proverRef.current?.cancel();
                setRunning(false);
              }}
            >
              Cancel
            </button>
          ) : null}
        </div>
      ) : null}
      {waiting && running ? (
        <div className="callout callout-info" role="status" data-testid="reveal-waiting">
          <strong>Waiting for the reveal to become final.</strong>
          <span>{waiting}</span>
          <span className="small">
            The platform releases the hidden split once the reveal transaction is final. This page asks again
            every few seconds and starts proving as soon as it is released.
          </span>
        </div>
      ) : null}
      {progress && running ? (
        <div data-testid="prove-progress">
          <progress
            max={100}
            value={Math.round(progress.percent)}
            aria-label="Proof progress"
            className="progress"
          />
          <span className="muted small">
            Batch {progress.batch}/{progress.batches} · {progress.stage} ·{" "}
            {(progress.elapsedMs / 1000).toFixed(1)} s of about {(progress.estimateMs / 1000).toFixed(0)} s
          </span>
        </div>
      ) : null}
      {done ? (
        <p className="callout callout-ok small" data-testid="prove-done">
          Proof verified locally and accepted on-chain: {done.correct} correct ({(done.ms / 1000).toFixed(1)}{" "}
          s).
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert" data-testid="prove-error">
          {error}
        </p>
      ) : null}
      <TxStatus state={tx.state} />
    </div>
  );
}
