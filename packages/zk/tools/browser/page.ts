// Test page for the browser prover (bundled by tests/browser/bundle.ts, loaded by
// tests/browser.test.ts in Chromium): window.zkTest.run(json) proves through createBrowserProver and
// a module Web Worker, and returns what happened as JSON.
import { ArtifactIntegrityError } from "../../src/artifacts.ts";
import { createBrowserProver, type BrowserProver } from "../../src/browser/index.ts";
import type { BatchTarget } from "../../src/batch.ts";
import type { MlpProofRequest } from "../../src/input.ts";
import type { ProgressEvent, ProofResult } from "../../src/sdk.ts";
import { fromJson, toJson } from "./json.ts";

export interface PageTask {
  artifactsBaseUrl: string;
  circuitId: string;
  request: MlpProofRequest;
  batch?: BatchTarget;
  singleThread?: boolean;
  /** Cancel the prover when this stage starts (then the outcome is an error). */
  cancelAtStage?: string;
  /** Abort the task's AbortSignal when this stage starts. */
  abortAtStage?: string;
  /** Abort the previous (settled) task's AbortSignal when this stage starts. */
  abortPreviousAtStage?: string;
  expectVkHash?: string;
}

export interface PageOutcome {
  result?: ProofResult;
  error?: { name: string; message: string; kind?: string; file?: string; expected?: string; actual?: string };
  events: ProgressEvent[];
  /** Milliseconds measured on the page around prove(). */
  pageMs: number;
}

const provers = new Map<string, BrowserProver>();
let previous: AbortController | undefined;

function prover(task: PageTask): BrowserProver {
  const key = `${task.artifactsBaseUrl} ${task.singleThread === true} ${task.expectVkHash ?? ""}`;
  let p = provers.get(key);
  if (!p) {
    p = createBrowserProver({
      createWorker: () => new Worker(new URL("/worker.js", location.href), { type: "module" }),
      artifactsBaseUrl: task.artifactsBaseUrl,
      singleThread: task.singleThread === true,
      ...(task.expectVkHash ? { expectVkHash: { [task.circuitId]: task.expectVkHash } } : {}),
    });
    provers.set(key, p);
  }
  return p;
}

async function run(json: string): Promise<string> {
  const task = fromJson<PageTask>(json);
  const events: ProgressEvent[] = [];
  const p = prover(task);
  const t0 = performance.now();
  const outcome: PageOutcome = { events, pageMs: 0 };
  const controller = new AbortController();
  try {
    outcome.result = await p.prove({
      circuitId: task.circuitId,
      request: task.request,
      ...(task.batch ? { batch: task.batch } : {}),
      signal: controller.signal,
      onProgress: (e) => {
        events.push(e);
        if (e.kind === "stage" && e.stage === task.cancelAtStage) p.cancel();
        if (e.kind === "stage" && e.stage === task.abortAtStage) controller.abort();
        if (e.kind === "stage" && e.stage === task.abortPreviousAtStage) previous?.abort();
      },
    });
  } catch (e) {
    const err = e as Error;
    outcome.error = { name: err.name, message: err.message };
    if (e instanceof ArtifactIntegrityError)
      Object.assign(outcome.error, { kind: e.kind, file: e.file, expected: e.expected, actual: e.actual });
  }
  previous = controller;
  outcome.pageMs = performance.now() - t0;
  return toJson(outcome);
}

(globalThis as unknown as { zkTest: { run: typeof run } }).zkTest = { run };
