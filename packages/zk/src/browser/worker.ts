// Web Worker entry of the browser prover (module worker). Create it from the page with
//
//   new Worker(new URL("./prover.worker.ts", import.meta.url), { type: "module" })
//
// where prover.worker.ts is the one line `import "@zkarena/zk/worker";` (Next 16 / Turbopack and
// esbuild bundle it with snarkjs's browser build), and drive it with createBrowserProver (client.ts).
// Requests are proved one at a time, in order; artifacts are fetched and hash-checked once per
// (base URL, circuit id) and kept for the next batch. Progress (stages and snarkjs' logger lines)
// streams back as messages. Cancelling is the client's job: it terminates this worker.
import { ArtifactIntegrityError, type LoadedCircuit } from "../artifacts.ts";
import { proveWithCircuit } from "../sdk.ts";
import { fetchCircuitArtifacts } from "./loader.ts";
import type { SerializedError, WorkerRequest, WorkerResponse } from "./protocol.ts";

interface WorkerScope {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: "message", listener: (event: MessageEvent<WorkerRequest>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const circuits = new Map<string, Promise<LoadedCircuit>>();
let queue: Promise<void> = Promise.resolve();

function serialize(e: unknown): SerializedError {
  if (e instanceof ArtifactIntegrityError) {
    const { circuitId, kind, file, expected, actual, remedy } = e;
    return {
      name: e.name,
      message: e.message,
      integrity: { circuitId, kind, file, expected, actual, remedy },
    };
  }
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: "Error", message: String(e) };
}

async function handle(msg: WorkerRequest): Promise<void> {
  const startedAt = performance.now();
  scope.postMessage({ type: "progress", id: msg.id, event: { kind: "stage", stage: "load", elapsedMs: 0 } });
  const key = `${msg.artifactsBaseUrl}\n${msg.circuitId}\n${msg.expectVkHash ?? ""}`;
  let loaded = circuits.get(key);
  if (!loaded) {
    const lastReport = new Map<string, number>();
    loaded = fetchCircuitArtifacts(msg.artifactsBaseUrl, msg.circuitId, {
      ...(msg.expectVkHash !== undefined ? { expectVkHash: msg.expectVkHash } : {}),
      onDownload: ({ url, received, total }) => {
        const now = performance.now();
        const last = lastReport.get(url) ?? -Infinity;
        if (received !== total && received !== 0 && now - last < 100) return;
        lastReport.set(url, now);
        scope.postMessage({
          type: "progress",
          id: msg.id,
          event: { kind: "download", url, received, total, elapsedMs: now - startedAt },
        });
      },
      onFile: ({ url, bytes }) =>
        scope.postMessage({
          type: "progress",
          id: msg.id,
          event: {
            kind: "log",
            level: "info",
            message: `fetched ${url} (${bytes} bytes)`,
            elapsedMs: performance.now() - startedAt,
          },
        }),
    });
    loaded.catch(() => circuits.delete(key));
    circuits.set(key, loaded);
  }
  const circuit = await loaded;
  const result = await proveWithCircuit(
    circuit,
    {
      request: msg.request,
      ...(msg.batch ? { batch: msg.batch } : {}),
      onProgress: (event) => scope.postMessage({ type: "progress", id: msg.id, event }),
    },
    { singleThread: msg.singleThread, startedAt, loadMs: performance.now() - startedAt },
  );
  scope.postMessage({ type: "result", id: msg.id, result });
}

scope.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg?.type !== "prove") return;
  queue = queue.then(() =>
    handle(msg).catch((e: unknown) => scope.postMessage({ type: "error", id: msg.id, error: serialize(e) })),
  );
});
scope.postMessage({ type: "ready" });
