// The worker process: `npm start -w @zkarena/worker` (npm start at the root runs it for you).
//   1. configuration (env.ts, @zkarena/db's env) — errors name the variable and exit 2;
//   2. the database (DATABASE_URL, or the embedded one `npm start` serves);
//   3. the escrow from the deployment record (or INDEXER_ESCROW_ADDRESS), checked on the chain;
//   4. the indexer loop and the job runner, until SIGINT/SIGTERM (graceful: the current batch's
//      transaction finishes or rolls back, nothing is half-written).
// Exit codes: 0 stopped by a signal, 2 configuration / setup, 3 indexer halted (deep reorg or
// finality violated: see README "Recovering from a halt"), 1 anything else.
import { keccak256, stringToHex } from "viem";
import { loadDeployment } from "@zkarena/chain/deployments";
import { ConfigError, openDb, readDbEnv } from "@zkarena/db";
import { readWorkerEnv, WorkerConfigError } from "./env.ts";
import { Indexer } from "./indexer/indexer.ts";
import { IndexerHaltError } from "./indexer/errors.ts";
import { rpcChainSource } from "./indexer/source.ts";
import type { JobRunner } from "./jobs.ts";
import { createLogger } from "./log.ts";
import { runIndexer } from "./run.ts";

const log = createLogger();

async function main(): Promise<number> {
  const env = readWorkerEnv();
  const dbEnv = readDbEnv();
  const controller = new AbortController();
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info("worker.stopping", { signal });
      controller.abort();
    });
  }

  // Everything that can be wrong in the configuration fails here, before anything is opened.
  let target: { escrow: string; startBlock: number; circuitIds: Map<string, string> } | null = null;
  if (env.indexer) {
    const deployment = await loadDeployment(env.CHAIN_ID, env.deploymentsDir);
    const escrow = env.escrowAddress ?? deployment?.contracts.ArenaEscrow.address.toLowerCase();
    if (!escrow) {
      throw new WorkerConfigError(
        `no escrow to index: ${env.deploymentsDir}/${env.CHAIN_ID}.json does not exist. Deploy the contracts ` +
          "(`npm start` does it for anvil; else `node contracts/scripts/deploy.mjs --rpc-url <url>`), set " +
          "ZKARENA_DEPLOYMENTS_DIR to the folder holding the record, or set INDEXER_ESCROW_ADDRESS.",
      );
    }
    const recorded = deployment?.contracts.ArenaEscrow;
    const startBlock =
      env.startBlock ?? (recorded && recorded.address.toLowerCase() === escrow ? recorded.blockNumber : 0);
    const circuitIds = new Map<string, string>();
    for (const id of Object.keys(deployment?.verifiers ?? {})) circuitIds.set(keccak256(stringToHex(id)), id);
    target = { escrow, startBlock, circuitIds };
  }

  // The job runner (and packages/api behind it) loads only when this worker runs jobs.
  const jobsModule = env.jobs ? await import("./jobs.ts") : null;
  const handle = await openDb(dbEnv);
  let jobs: JobRunner | null = null;
  try {
    log.info("worker.database", { kind: handle.kind, location: handle.location });
    const tasks: Promise<void>[] = [];
    if (target) {
      const { escrow, startBlock, circuitIds } = target;
      const indexer = new Indexer({
        db: handle.db,
        source: rpcChainSource(env.RPC_URL),
        chainId: env.CHAIN_ID,
        escrow,
        startBlock: BigInt(startBlock),
        finalityDepth: env.finalityDepth,
        maxReorgDepth: env.maxReorgDepth,
        batchBlocks: env.batchBlocks,
        circuitIds,
        log,
        // Leaderboards follow the indexed proofs and commitments (a job per challenge, deduplicated).
        onChallengesChanged: jobsModule
          ? async (ids) => {
              for (const id of ids) await jobsModule.enqueueLeaderboardRefresh(handle.db, id);
            }
          : undefined,
      });
      await indexer.checkSetup().catch((error: unknown) => {
        if (error instanceof IndexerHaltError) throw error;
        throw new WorkerConfigError(
          `no usable Ethereum node at RPC_URL=${env.RPC_URL} (${(error as Error).message.split("\n")[0]}). ` +
            "Start the node or point RPC_URL at it.",
        );
      });
      log.info("indexer.started", {
        chainId: env.CHAIN_ID,
        escrow,
        startBlock,
        finalityDepth: env.finalityDepth,
        maxReorgDepth: env.maxReorgDepth,
        batchBlocks: env.batchBlocks,
      });
      tasks.push(
        runIndexer(indexer, { pollIntervalMs: env.pollIntervalMs, signal: controller.signal, log }).catch(
          (error: unknown) => {
            controller.abort();
            throw error;
          },
        ),
      );
    }
    if (jobsModule) jobs = await jobsModule.startJobs(handle, dbEnv, log);
    if (tasks.length === 0 && !jobs) {
      log.warn("worker.nothing_to_do", { reason: "WORKER_INDEXER=0 and WORKER_JOBS=0" });
      return 0;
    }
    await Promise.all(tasks);
    if (tasks.length === 0)
      await new Promise((resolve) => controller.signal.addEventListener("abort", resolve));
    return 0;
  } finally {
    await jobs
      ?.stop()
      .catch((error: unknown) => log.error("worker.jobs_stop_failed", { message: String(error) }));
    await handle.close();
    log.info("worker.stopped");
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    if (e instanceof IndexerHaltError) {
      log.error("worker.halted", { error: e.name, message: e.message });
      console.error(`\n[worker] HALTED: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    if (e instanceof WorkerConfigError || e instanceof ConfigError || e.name === "DeploymentFileError") {
      console.error(`\n[worker] cannot start: ${e.message}\n`);
      process.exit(2);
    }
    log.error("worker.crashed", { error: e.name, message: e.message });
    console.error(e);
    process.exit(1);
  },
);
