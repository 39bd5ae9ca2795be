// The proving SDK's one code path, shared by Node (node.ts) and the browser Web Worker
// (browser/worker.ts): build the witness input from a model and a batch, compute the witness, prove
// (Groth16, snarkjs), verify locally against the hash-checked verification key, and pack the proof as
// escrow calldata. Artifacts come in through a loader function, so this module does no I/O.
//
// Stages, reported through `onProgress` in this order: load → input → witness → prove → verify →
// done; snarkjs' own logger lines (e.g. "Reading Wtns", "Building ABC", "IFFT_A: fft 11 mix start")
// arrive as { kind: "log" } events in between, and the browser worker reports artifact downloads
// during "load" as { kind: "download" } events.
import * as snarkjs from "snarkjs";
import { proofCalldata, type EscrowSubmission } from "./calldata.ts";
import { mlpCircuitInput, publicSignalList, type MlpProofRequest, type MlpPublicSignals } from "./input.ts";
import { ProofMismatchError } from "./prove.ts";
import type { LoadedCircuit } from "./artifacts.ts";
import type { BatchTarget } from "./batch.ts";

export type ProofStage = "load" | "input" | "witness" | "prove" | "verify" | "done";

export type ProgressEvent =
  | { kind: "stage"; stage: ProofStage; /** ms since prove() was called */ elapsedMs: number }
  | { kind: "log"; level: "debug" | "info" | "warn" | "error"; message: string; elapsedMs: number }
  /** Browser only: artifact bytes arriving (at most every 100 ms per file, and when it completes). */
  | { kind: "download"; url: string; received: number; total: number | null; elapsedMs: number };

export interface ProveTask {
  /** Registry id of the circuit, e.g. "mlp-d4-h3-c3-n4". Its shape must be the request model's. */
  circuitId: string;
  request: MlpProofRequest;
  /** For a batched challenge: which batch this proof is for (from `batchProofRequest`). */
  batch?: BatchTarget;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Node: cancels between stages (a Groth16 prove already running in-process cannot be interrupted).
   * Browser: aborting calls the prover's `cancel()`, which terminates its worker at once — and with
   * it every other proof queued on that prover.
   */
  signal?: AbortSignal;
}

export interface ProofResult {
  circuitId: string;
  proof: snarkjs.Groth16Proof;
  /** Decimal strings in the verifier's order: [modelCommitment, testCommitment, correct, challengeId, submitter]. */
  publicSignals: string[];
  /** The same, from the TypeScript reference (they are checked equal). */
  expected: MlpPublicSignals;
  /** Verified locally with the artifact's hash-checked verification key. */
  verified: true;
  submission: EscrowSubmission;
  /** Wall-clock milliseconds per stage. */
  timings: { load: number; input: number; witness: number; prove: number; verify: number; total: number };
}

export interface ProverOptions {
  /**
   * Prove on the calling thread instead of ffjavascript's worker pool (Node: worker_threads, one per
   * core; browser: nested Web Workers). Default false.
   */
  singleThread?: boolean;
}

export interface Prover {
  prove(task: ProveTask): Promise<ProofResult>;
  /** Release what the prover holds (cached artifacts; the browser prover terminates its worker). */
  close(): Promise<void>;
}

export class ProofCancelledError extends Error {
  override name = "ProofCancelledError";
  constructor(message = "the proof was cancelled") {
    super(message);
  }
}

/** The circuit does not fit the request (wrong shape) or the batch target does not fit the proof. */
export class ProofRequestError extends Error {
  override name = "ProofRequestError";
}

/** The locally computed proof does not verify: never submit it. */
export class LocalVerificationError extends Error {
  override name = "LocalVerificationError";
}

const SHAPE_KEYS = ["D", "H", "C", "N", "inBits", "wBits", "bBits", "hBits", "shift"] as const;

function checkShape(circuit: LoadedCircuit, request: MlpProofRequest): void {
  const { shape } = circuit;
  if (!shape)
    throw new ProofRequestError(
      `circuit ${circuit.id} (${circuit.manifest.template}) is not an MLP accuracy circuit`,
    );
  const keys = shape.H === 0 ? SHAPE_KEYS.filter((k) => k !== "hBits" && k !== "shift") : SHAPE_KEYS;
  const diff = keys.filter((k) => shape[k] !== request.model.shape[k]);
  if (diff.length > 0)
    throw new ProofRequestError(
      `circuit ${circuit.id} does not fit the model: ${diff.map((k) => `${k} ${request.model.shape[k]} ≠ ${shape[k]}`).join(", ")}; quantize the model for this circuit's shape or pick the circuit of the model's shape`,
    );
  if (request.samples.length !== shape.N)
    throw new ProofRequestError(
      `circuit ${circuit.id} proves batches of ${shape.N} samples, got ${request.samples.length}; split the hidden set with splitIntoBatches`,
    );
}

/** Prove one task with already loaded artifacts. */
export async function proveWithCircuit(
  circuit: LoadedCircuit,
  task: Omit<ProveTask, "circuitId">,
  options: ProverOptions & { startedAt?: number; loadMs?: number } = {},
): Promise<ProofResult> {
  const t0 = options.startedAt ?? performance.now();
  const since = () => performance.now() - t0;
  const emit = (stage: ProofStage) => task.onProgress?.({ kind: "stage", stage, elapsedMs: since() });
  const checkCancel = () => {
    if (task.signal?.aborted) throw new ProofCancelledError();
  };
  const logger: snarkjs.Logger = {
    debug: (message) => task.onProgress?.({ kind: "log", level: "debug", message, elapsedMs: since() }),
    info: (message) => task.onProgress?.({ kind: "log", level: "info", message, elapsedMs: since() }),
    warn: (message) => task.onProgress?.({ kind: "log", level: "warn", message, elapsedMs: since() }),
    error: (message) => task.onProgress?.({ kind: "log", level: "error", message, elapsedMs: since() }),
  };

  checkCancel();
  checkShape(circuit, task.request);
  emit("input");
  const tInput = performance.now();
  const { input, publicSignals: expected } = await mlpCircuitInput(task.request);
  if (task.batch && task.batch.commitment !== expected.testCommitment)
    throw new ProofRequestError(
      `batch ${task.batch.index}: its commitment ${task.batch.commitment} is not the commitment of the request's samples under the batch salt (${expected.testCommitment}); build the request with batchProofRequest`,
    );
  checkCancel();

  emit("witness");
  const tWitness = performance.now();
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input as snarkjs.CircuitInput, circuit.wasm, wtns);
  checkCancel();

  emit("prove");
  const tProve = performance.now();
  const { proof, publicSignals } = await snarkjs.groth16.prove(circuit.zkey, wtns, logger, {
    singleThread: options.singleThread === true,
  });
  const want = publicSignalList(expected).map(String);
  if (publicSignals.length !== want.length || publicSignals.some((s, i) => s !== want[i])) {
    throw new ProofMismatchError(
      `circuit ${circuit.id}: public signals [${publicSignals.join(", ")}] differ from the reference [${want.join(", ")}]`,
    );
  }
  checkCancel();

  emit("verify");
  const tVerify = performance.now();
  const ok = await snarkjs.groth16.verify(circuit.verificationKey, publicSignals, proof);
  if (!ok)
    throw new LocalVerificationError(
      `circuit ${circuit.id}: the proof does not verify against its own verification key; do not submit it (rebuild the circuits and try again)`,
    );
  const tDone = performance.now();

  const submission: EscrowSubmission = {
    ...proofCalldata(proof),
    correct: Number(expected.correct),
    ...(task.batch
      ? {
          batchIndex: task.batch.index,
          batchCommitment: task.batch.commitment,
          merkleProof: task.batch.merkleProof,
        }
      : {}),
  };
  emit("done");
  return {
    circuitId: circuit.id,
    proof,
    publicSignals,
    expected,
    verified: true,
    submission,
    timings: {
      load: options.loadMs ?? 0,
      input: tWitness - tInput,
      witness: tProve - tWitness,
      prove: tVerify - tProve,
      verify: tDone - tVerify,
      total: tDone - t0,
    },
  };
}

/** A Prover over any artifact loader (Node files, browser fetch). */
export function createProver(
  load: (circuitId: string) => Promise<LoadedCircuit>,
  options: ProverOptions = {},
  onClose: () => void = () => {},
): Prover {
  return {
    async prove(task) {
      const startedAt = performance.now();
      task.onProgress?.({ kind: "stage", stage: "load", elapsedMs: 0 });
      if (task.signal?.aborted) throw new ProofCancelledError();
      const circuit = await load(task.circuitId);
      return proveWithCircuit(circuit, task, {
        ...options,
        startedAt,
        loadMs: performance.now() - startedAt,
      });
    },
    async close() {
      onClose();
    },
  };
}
