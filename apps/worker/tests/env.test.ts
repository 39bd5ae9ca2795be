import { describe, expect, it } from "vitest";
import { readWorkerEnv, WorkerConfigError } from "../src/env.ts";

describe("readWorkerEnv", () => {
  it("uses finality depth 0 on the local chain and 64 elsewhere unless told otherwise", () => {
    expect(readWorkerEnv({}).finalityDepth).toBe(0);
    expect(readWorkerEnv({ CHAIN_ID: "8453" }).finalityDepth).toBe(64);
    expect(readWorkerEnv({ CHAIN_ID: "8453", INDEXER_FINALITY_DEPTH: "12" }).finalityDepth).toBe(12);
    expect(readWorkerEnv({ INDEXER_FINALITY_DEPTH: "" }).finalityDepth).toBe(0);
  });

  it("parses every variable and lower-cases the escrow address", () => {
    const env = readWorkerEnv({
      RPC_URL: "https://rpc.example.org",
      CHAIN_ID: "84532",
      INDEXER_ESCROW_ADDRESS: "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01",
      INDEXER_START_BLOCK: "1234",
      INDEXER_FINALITY_DEPTH: "10",
      INDEXER_MAX_REORG_DEPTH: "100",
      INDEXER_BATCH_BLOCKS: "2000",
      INDEXER_POLL_INTERVAL_MS: "250",
      WORKER_JOBS: "0",
    });
    expect(env).toMatchObject({
      RPC_URL: "https://rpc.example.org",
      CHAIN_ID: 84532,
      escrowAddress: "0xabcdef0123456789abcdef0123456789abcdef01",
      startBlock: 1234,
      finalityDepth: 10,
      maxReorgDepth: 100,
      batchBlocks: 2000,
      pollIntervalMs: 250,
      jobs: false,
      indexer: true,
    });
  });

  it("rejects bad values with a message naming each variable", () => {
    const error = (() => {
      try {
        readWorkerEnv({ RPC_URL: "ftp://x", INDEXER_ESCROW_ADDRESS: "0x12", INDEXER_BATCH_BLOCKS: "0" });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(WorkerConfigError);
    expect(error?.message).toMatch(/RPC_URL: RPC_URL must be an http\(s\) URL/);
    expect(error?.message).toMatch(/INDEXER_ESCROW_ADDRESS: .*40 hex digits/);
    expect(error?.message).toMatch(/INDEXER_BATCH_BLOCKS: INDEXER_BATCH_BLOCKS must be at least 1/);
  });

  it("refuses a finality depth the reorg limit could not roll back", () => {
    expect(() => readWorkerEnv({ INDEXER_FINALITY_DEPTH: "65" })).toThrow(
      /exceeds INDEXER_MAX_REORG_DEPTH \(64\)/,
    );
    expect(readWorkerEnv({ INDEXER_FINALITY_DEPTH: "64" }).finalityDepth).toBe(64);
  });
});
