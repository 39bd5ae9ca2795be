// The page-side client of the browser prover: the same `Prover` interface as the Node prover
// (createNodeProver), backed by a Web Worker (worker.ts) so the page stays responsive.
//
//   const prover = createBrowserProver({
//     createWorker: () => new Worker(new URL("./prover.worker.ts", import.meta.url), { type: "module" }),
//     artifactsBaseUrl: new URL("/circuits/", location.href).href,
//   });
//   const result = await prover.prove({ circuitId, request, onProgress: (e) => … });
//   prover.cancel();   // stops a running proof now (terminates the worker; the next prove starts a new one)
import { ArtifactIntegrityError } from "../artifacts.ts";
import { ProofCancelledError, type ProofResult, type ProveTask, type Prover } from "../sdk.ts";
import type { SerializedError, WorkerRequest, WorkerResponse } from "./protocol.ts";

export interface BrowserProverOptions {
  /** Creates the prover worker (called lazily, and again after a cancel). */
  createWorker: () => Worker;
  /** Absolute URL of the published circuits/build folder (<base>/<id>/artifact.json). */
  artifactsBaseUrl: string | URL;
  /** Prove without nested workers (default false: snarkjs uses navigator.hardwareConcurrency workers). */
  singleThread?: boolean;
  /** Pinned vk hashes by circuit id (e.g. from the VerifierRegistry), checked besides artifact.json. */
  expectVkHash?: Readonly<Record<string, string>>;
}

export interface BrowserProver extends Prover {
  /** Stop every running and queued proof at once; their promises reject with ProofCancelledError. */
  cancel(): void;
}

/** An error the worker reported (its original name is kept). */
export class BrowserProverError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function rebuild(e: SerializedError): Error {
  if (e.integrity) {
    const i = e.integrity;
    return new ArtifactIntegrityError(i.circuitId, i.kind, i.file, i.expected, i.actual, i.remedy);
  }
  if (e.name === "ProofCancelledError") return new ProofCancelledError(e.message);
  return new BrowserProverError(e.name, e.message);
}

interface Pending {
  resolve: (r: ProofResult) => void;
  reject: (e: Error) => void;
  onProgress: ProveTask["onProgress"];
}

export function createBrowserProver(options: BrowserProverOptions): BrowserProver {
  const base = new URL(String(options.artifactsBaseUrl)).href; // throws early on a relative URL
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const fail = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = options.createWorker();
    w.addEventListener("message", (event: MessageEvent<WorkerResponse>) => {
      const msg = event.data;
      if (msg.type === "ready") return;
      const p = pending.get(msg.id);
      if (!p) return;
      if (msg.type === "progress") p.onProgress?.(msg.event);
      else if (msg.type === "result") {
        pending.delete(msg.id);
        p.resolve(msg.result);
      } else {
        pending.delete(msg.id);
        p.reject(rebuild(msg.error));
      }
    });
    w.addEventListener("error", (event: ErrorEvent) => {
      worker?.terminate();
      worker = undefined;
      fail(
        new BrowserProverError(
          "WorkerError",
          `the prover worker failed (${event.message || "it could not be loaded"}); reload the page and try again`,
        ),
      );
    });
    worker = w;
    return w;
  };

  const cancel = () => {
    worker?.terminate();
    worker = undefined;
    fail(new ProofCancelledError());
  };

  return {
    prove(task) {
      if (task.signal?.aborted) return Promise.reject(new ProofCancelledError());
      const id = nextId++;
      const message: WorkerRequest = {
        type: "prove",
        id,
        artifactsBaseUrl: base,
        circuitId: task.circuitId,
        request: task.request,
        ...(task.batch ? { batch: task.batch } : {}),
        singleThread: options.singleThread === true,
        ...(options.expectVkHash?.[task.circuitId] !== undefined
          ? { expectVkHash: options.expectVkHash[task.circuitId] }
          : {}),
      };
      const signal = task.signal;
      return new Promise<ProofResult>((resolve, reject) => {
        // The signal cancels the worker only while this task is pending.
        const settle = () => signal?.removeEventListener("abort", cancel);
        pending.set(id, {
          resolve: (r) => (settle(), resolve(r)),
          reject: (e) => (settle(), reject(e)),
          onProgress: task.onProgress,
        });
        signal?.addEventListener("abort", cancel, { once: true });
        ensureWorker().postMessage(message);
      });
    },
    cancel,
    async close() {
      cancel();
    },
  };
}
