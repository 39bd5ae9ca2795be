"use client";
// In-browser proving, shared by the hidden-split flow (competitor-panel.tsx) and the public-split
// flow (public-proof-panel.tsx): the circuit's shape from the app's registry, the committed model
// from its backup, and one Web Worker prover (src/prover.worker.ts = @zkarena/zk/worker) with its
// progress and time estimate. The model stays in this browser: only proofs come out of here.
import { useCallback, useEffect, useRef, useState } from "react";
import type { IntModel, MlpShape, ProgressEvent, ProofResult, ProveTask } from "@zkarena/zk";
import type { BrowserProver } from "@zkarena/zk/browser";
import { usePublicEnv } from "~/components/providers";
import type { ModelBackup } from "~/local";

export const zk = () => import("@zkarena/zk/core");

export async function shapeOf(circuitId: string): Promise<{ shape: MlpShape; constraints: number }> {
  const { MLP_SHAPES } = await zk();
  const named = Object.values(MLP_SHAPES).find((s) => s.id === circuitId);
  if (!named) throw new Error(`The circuit ${circuitId} is not in this app's registry; update the app.`);
  return { shape: named.shape, constraints: named.constraints };
}

export const toStrings = (m: IntModel): ModelBackup["model"] => ({
  W1: m.W1.map((r) => r.map(String)),
  b1: m.b1.map(String),
  W2: m.W2.map((r) => r.map(String)),
  b2: m.b2.map(String),
});
export const fromStrings = (shape: MlpShape, m: ModelBackup["model"]): IntModel => ({
  shape,
  W1: m.W1.map((r) => r.map(BigInt)),
  b1: m.b1.map(BigInt),
  W2: m.W2.map((r) => r.map(BigInt)),
  b2: m.b2.map(BigInt),
});

/** Measured in Chromium (packages/zk README): ~0.45 ms per constraint single-threaded, plus start-up. */
export const estimateProofMs = (constraints: number) => 2500 + constraints * 0.45;

export interface Progress {
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

/**
 * One prover worker for the page (created on first use, terminated on unmount or cancel) and the
 * progress of the batch it is proving. `prove` resolves with a proof already verified locally.
 */
export function useBrowserProver() {
  const env = usePublicEnv();
  const [progress, setProgress] = useState<Progress | null>(null);
  const proverRef = useRef<BrowserProver | null>(null);
  useEffect(() => () => proverRef.current?.cancel(), []);

  const prove = useCallback(
    async (
      circuitId: string,
      position: { batch: number; batches: number },
      task: Omit<ProveTask, "circuitId" | "onProgress">,
    ): Promise<ProofResult> => {
      const { createBrowserProver } = await import("@zkarena/zk/browser");
      const { constraints } = await shapeOf(circuitId);
      proverRef.current ??= createBrowserProver({
        createWorker: () => new Worker(new URL("./prover.worker.ts", import.meta.url), { type: "module" }),
        artifactsBaseUrl: new URL("/circuits/", window.location.href).href,
        expectVkHash: env.vkHashes,
        singleThread: (navigator.hardwareConcurrency || 2) <= 2,
      });
      const estimateMs = estimateProofMs(constraints);
      const t0 = performance.now();
      const onProgress = (e: ProgressEvent) => {
        const elapsedMs = performance.now() - t0;
        setProgress((p) => {
          const stage = e.kind === "stage" ? e.stage : (p?.stage ?? "load");
          let percent = stageStart[stage] ?? 0;
          if (stage === "prove") percent = Math.min(90, 35 + (55 * elapsedMs) / estimateMs);
          if (e.kind === "download" && e.total) percent = Math.min(15, (15 * e.received) / e.total);
          return { ...position, stage, percent, elapsedMs, estimateMs };
        });
      };
      const result = await proverRef.current.prove({ circuitId, ...task, onProgress });
      setProgress({
        ...position,
        stage: "submit",
        percent: 100,
        elapsedMs: performance.now() - t0,
        estimateMs,
      });
      return result;
    },
    [env.vkHashes],
  );
  const cancel = useCallback(() => proverRef.current?.cancel(), []);
  return { progress, prove, cancel };
}
