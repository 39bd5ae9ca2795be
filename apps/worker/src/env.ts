// The only place in @zkarena/worker that reads process.env (CONVENTIONS.md: parsed once, with zod).
// Every variable has one line in the root .env.example. The database variables (DATABASE_URL,
// DATABASE_POOL_MAX, ZKARENA_DATA_DIR) are parsed by @zkarena/db's own env.ts.
import path from "node:path";
import { z } from "zod";
import { repoRoot } from "@zkarena/db/env";

/** anvil's chain id: blocks only come with transactions, and reorgs only when someone asks for one. */
export const LOCAL_CHAIN_ID = 31337;
/** Finality depth on the local chain (see README: with automine a depth > 0 would hold every reveal back). */
export const LOCAL_FINALITY_DEPTH = 0;
/** Finality depth on every other chain unless INDEXER_FINALITY_DEPTH says otherwise. */
export const DEFAULT_FINALITY_DEPTH = 64;

const blankAsUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const int = (name: string, min: number, max: number, example: number) =>
  z.coerce
    .number({ error: `${name} must be an integer, e.g. ${example}` })
    .int({ error: `${name} must be an integer, e.g. ${example}` })
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} must be at most ${max}` });

const schema = z.object({
  /** JSON-RPC endpoint of the chain the escrow lives on. */
  RPC_URL: z.preprocess(
    blankAsUndefined,
    z
      .url({ protocol: /^https?$/, error: "RPC_URL must be an http(s) URL, e.g. http://127.0.0.1:8545" })
      .default("http://127.0.0.1:8545"),
  ),
  /** The chain the node must report; the deployments file <CHAIN_ID>.json is read for it. */
  CHAIN_ID: z.preprocess(blankAsUndefined, int("CHAIN_ID", 1, 2 ** 31 - 1, 31337).default(LOCAL_CHAIN_ID)),
  /** Folder of deployment records <chainId>.json; unset = packages/chain/deployments. */
  ZKARENA_DEPLOYMENTS_DIR: z.preprocess(blankAsUndefined, z.string().optional()),
  /** The escrow to index; unset = ArenaEscrow of the deployments file. */
  INDEXER_ESCROW_ADDRESS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, { error: "INDEXER_ESCROW_ADDRESS must be a 0x address (40 hex digits)" })
      .optional(),
  ),
  /** First block to index; unset = the escrow's deployment block from the deployments file (else 0). */
  INDEXER_START_BLOCK: z.preprocess(
    blankAsUndefined,
    int("INDEXER_START_BLOCK", 0, Number.MAX_SAFE_INTEGER, 0).optional(),
  ),
  /**
   * Blocks behind the head the indexer treats as final (IndexerCursor.finalizedBlockNumber). Unset:
   * 0 on the local chain (31337), 64 elsewhere. Must not exceed INDEXER_MAX_REORG_DEPTH.
   */
  INDEXER_FINALITY_DEPTH: z.preprocess(
    blankAsUndefined,
    int("INDEXER_FINALITY_DEPTH", 0, 10_000, 2).optional(),
  ),
  /** A reorg deeper than this halts the worker (exit code 3) and changes nothing. */
  INDEXER_MAX_REORG_DEPTH: z.preprocess(
    blankAsUndefined,
    int("INDEXER_MAX_REORG_DEPTH", 1, 10_000, 64).default(64),
  ),
  /** Blocks per batch (one getLogs call and one database transaction). */
  INDEXER_BATCH_BLOCKS: z.preprocess(
    blankAsUndefined,
    int("INDEXER_BATCH_BLOCKS", 1, 100_000, 500).default(500),
  ),
  /** Pause between polls once the indexer has caught up with the head. */
  INDEXER_POLL_INTERVAL_MS: z.preprocess(
    blankAsUndefined,
    int("INDEXER_POLL_INTERVAL_MS", 50, 600_000, 1000).default(1000),
  ),
  /** 0 = do not run the job runner in this process (e.g. a dedicated indexer). */
  WORKER_JOBS: z.preprocess(blankAsUndefined, z.enum(["0", "1"]).default("1")),
  /** 0 = do not run the indexer in this process (e.g. extra job-only workers). */
  WORKER_INDEXER: z.preprocess(blankAsUndefined, z.enum(["0", "1"]).default("1")),
});

export interface WorkerEnv {
  RPC_URL: string;
  CHAIN_ID: number;
  deploymentsDir: string;
  escrowAddress?: string;
  startBlock?: number;
  finalityDepth: number;
  maxReorgDepth: number;
  batchBlocks: number;
  pollIntervalMs: number;
  jobs: boolean;
  indexer: boolean;
}

export class WorkerConfigError extends Error {
  override name = "WorkerConfigError";
}

/** Parses the worker's configuration; throws a WorkerConfigError naming every bad variable. */
export function readWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "env"}: ${i.message}`);
    throw new WorkerConfigError(`invalid worker configuration (see .env.example):\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const finalityDepth =
    e.INDEXER_FINALITY_DEPTH ??
    (e.CHAIN_ID === LOCAL_CHAIN_ID ? LOCAL_FINALITY_DEPTH : DEFAULT_FINALITY_DEPTH);
  if (finalityDepth > e.INDEXER_MAX_REORG_DEPTH) {
    throw new WorkerConfigError(
      `invalid worker configuration: INDEXER_FINALITY_DEPTH (${finalityDepth}) exceeds INDEXER_MAX_REORG_DEPTH ` +
        `(${e.INDEXER_MAX_REORG_DEPTH}). Blocks above the final one must be recoverable after a reorg: ` +
        `raise INDEXER_MAX_REORG_DEPTH or lower INDEXER_FINALITY_DEPTH.`,
    );
  }
  return {
    RPC_URL: e.RPC_URL,
    CHAIN_ID: e.CHAIN_ID,
    deploymentsDir: path.resolve(
      repoRoot,
      e.ZKARENA_DEPLOYMENTS_DIR ?? path.join("packages", "chain", "deployments"),
    ),
    escrowAddress: e.INDEXER_ESCROW_ADDRESS?.toLowerCase(),
    startBlock: e.INDEXER_START_BLOCK,
    finalityDepth,
    maxReorgDepth: e.INDEXER_MAX_REORG_DEPTH,
    batchBlocks: e.INDEXER_BATCH_BLOCKS,
    pollIntervalMs: e.INDEXER_POLL_INTERVAL_MS,
    jobs: e.WORKER_JOBS === "1",
    indexer: e.WORKER_INDEXER === "1",
  };
}
