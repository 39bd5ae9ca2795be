// The worker as a process (src/main.ts): configuration errors exit 2 with a message naming the
// variable; against real PostgreSQL it indexes, stops cleanly on SIGTERM (exit 0) and halts with exit
// code 3 on a reorg deeper than INDEXER_MAX_REORG_DEPTH.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTestDb,
  escrowCalls,
  reorg,
  sponsorA,
  startChain,
  type Chain,
  type TestDb,
} from "./support.ts";

const workerDir = path.resolve(import.meta.dirname, "..");

interface Run {
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
  output(): string;
}

function runWorker(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: workerDir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", WORKER_JOBS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return {
    exit: new Promise((resolve) =>
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      }),
    ),
    kill: (signal) => child.kill(signal),
    output: () => stdout + stderr,
  };
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("worker process", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it("refuses a finality depth above the reorg limit with exit code 2 and says what to change", async () => {
    const { code, stderr } = await runWorker({ INDEXER_FINALITY_DEPTH: "100", INDEXER_MAX_REORG_DEPTH: "10" })
      .exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(/INDEXER_FINALITY_DEPTH \(100\) exceeds INDEXER_MAX_REORG_DEPTH \(10\)/);
  });

  it("refuses a malformed variable and a missing deployment record with exit code 2", async () => {
    const bad = await runWorker({ INDEXER_BATCH_BLOCKS: "lots" }).exit;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/INDEXER_BATCH_BLOCKS: INDEXER_BATCH_BLOCKS must be an integer/);
    const empty = await mkdtemp(path.join(tmpdir(), "zkarena-worker-empty-"));
    cleanup.push(() => rm(empty, { recursive: true, force: true }));
    const missing = await runWorker({ ZKARENA_DEPLOYMENTS_DIR: empty, CHAIN_ID: "31337" }).exit;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no escrow to index: .*31337\.json does not exist/);
  });

  // Two processes cannot share an in-memory PGlite: this one needs a PostgreSQL server (CI has one).
  it.skipIf(!process.env.DATABASE_URL)(
    "indexes, stops on SIGTERM with exit 0, and halts with exit 3 on a reorg past its limit",
    async () => {
      const chain: Chain = await startChain();
      cleanup.push(() => chain.stop());
      const db: TestDb = await createTestDb();
      cleanup.push(() => db.close());
      const calls = escrowCalls(chain);
      const id = await calls.create({ t0: await calls.now(), metadata: "process" });
      const env = {
        DATABASE_URL: db.url!,
        RPC_URL: chain.anvil.rpcUrl,
        CHAIN_ID: "31337",
        ZKARENA_DEPLOYMENTS_DIR: chain.deploymentsDir,
        INDEXER_POLL_INTERVAL_MS: "100",
        INDEXER_FINALITY_DEPTH: "3",
        INDEXER_MAX_REORG_DEPTH: "3",
      };
      const atHead = async () => {
        const head = await chain.publicClient.getBlockNumber();
        const cursor = await db.db.indexerCursor.findFirst();
        return cursor?.blockNumber === head;
      };

      const first = runWorker(env);
      await until("the first run to reach the head", atHead);
      first.kill("SIGTERM");
      const stopped = await first.exit;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toMatch(/"event":"worker.stopped"/);

      const second = runWorker(env);
      for (let i = 0; i < 5; i += 1) await calls.fund(sponsorA, id, BigInt(i + 1));
      await until("the second run to index the deposits", atHead);
      expect(await db.db.funding.count()).toBe(5);
      await reorg(chain, 5);
      const halted = await second.exit;
      expect(halted.code).toBe(3);
      expect(halted.stderr).toMatch(/HALTED: reorg deeper than INDEXER_MAX_REORG_DEPTH=3/);
      expect(await db.db.funding.count()).toBe(5); // nothing was rolled back or re-indexed
    },
    120_000,
  );
});
