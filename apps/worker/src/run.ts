// The indexer's loop: steps until caught up, then polls. Transient failures (RPC, database, a chain
// that moved under a batch, another worker's cursor) are retried with exponential back-off; halts
// (deep reorg, finality violated, wrong chain) end the loop by throwing.
import { type Indexer } from "./indexer/indexer.ts";
import { IndexerHaltError } from "./indexer/errors.ts";
import type { Logger } from "./log.ts";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

export async function runIndexer(
  indexer: Indexer,
  options: { pollIntervalMs: number; signal: AbortSignal; log: Logger; maxBackoffMs?: number },
): Promise<void> {
  const { signal, log } = options;
  let failures = 0;
  let announcedHead = false;
  while (!signal.aborted) {
    try {
      const step = await indexer.step();
      failures = 0;
      if (step.kind === "idle") {
        if (!announcedHead) log.info("indexer.at_head", { head: step.head });
        announcedHead = true;
        await sleep(options.pollIntervalMs, signal);
      } else {
        announcedHead = false;
      }
    } catch (error) {
      if (error instanceof IndexerHaltError) throw error;
      failures += 1;
      const wait = Math.min(options.maxBackoffMs ?? 30_000, 250 * 2 ** Math.min(failures, 10));
      log.warn("indexer.retry", {
        error: (error as Error).name,
        message: (error as Error).message.slice(0, 300),
        attempt: failures,
        waitMs: wait,
      });
      await sleep(wait, signal);
    }
  }
}
