// Shared test support: a private anvil with the contracts deployed the way npm start deploys them
// (contracts/scripts/deploy.mjs), a fresh database (real PostgreSQL with DATABASE_URL, else in-memory
// PGlite), escrow calls that are simulated, sent and checked, and a snapshot of the indexed tables.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createTestClient,
  http,
  keccak256,
  stringToHex,
  zeroAddress,
  type Account,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { arenaEscrowAbi, chainFromId, createChainClients, createChainWallet } from "@zkarena/chain";
import type { Db } from "@zkarena/db";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { ensureDeployed } from "../../../contracts/scripts/deploy.mjs";
import { startAnvil, type Anvil } from "../../../packages/chain/tests/support/anvil.ts";
import { Indexer, type IndexerOptions } from "../src/indexer/indexer.ts";
import { rpcChainSource } from "../src/indexer/source.ts";

export const CIRCUIT = "mlp-d4-h3-c3-n4";
export const CIRCUIT_KEY = keccak256(stringToHex(CIRCUIT));
const MNEMONIC = "test test test test test test test test test test test junk"; // anvil's public accounts
export const account = (i: number): Account => mnemonicToAccount(MNEMONIC, { addressIndex: i });
export const [deployer, organiser, sponsorA, sponsorB, alice, bob] = [0, 1, 2, 3, 4, 5].map(account) as [
  Account,
  Account,
  Account,
  Account,
  Account,
  Account,
];
export const lower = (a: Account | Address) => (typeof a === "string" ? a : a.address).toLowerCase();

export interface Chain {
  anvil: Anvil;
  escrow: Address;
  deployBlock: bigint;
  publicClient: ReturnType<typeof createChainClients>["publicClient"];
  testClient: ReturnType<typeof createTestClient>;
  deploymentsDir: string;
  stop(): Promise<void>;
}

export async function startChain(): Promise<Chain> {
  const anvil = await startAnvil();
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "zkarena-worker-"));
  try {
    const { deployment } = await ensureDeployed({ rpcUrl: anvil.rpcUrl, deploymentsDir, log: () => {} });
    const { publicClient } = createChainClients(anvil.rpcUrl);
    const testClient = createTestClient({ mode: "anvil", transport: http(anvil.rpcUrl), cacheTime: 0 });
    return {
      anvil,
      escrow: deployment.contracts.ArenaEscrow.address,
      deployBlock: BigInt(deployment.contracts.ArenaEscrow.blockNumber),
      publicClient,
      testClient,
      deploymentsDir,
      async stop() {
        await anvil.stop();
        await rm(deploymentsDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

export function makeIndexer(chain: Chain, db: Db, overrides: Partial<IndexerOptions> = {}): Indexer {
  return new Indexer({
    db,
    source: rpcChainSource(chain.anvil.rpcUrl),
    chainId: 31337,
    escrow: chain.escrow,
    startBlock: chain.deployBlock,
    finalityDepth: 0,
    maxReorgDepth: 64,
    batchBlocks: 500,
    circuitIds: new Map([[CIRCUIT_KEY, CIRCUIT]]),
    ...overrides,
  });
}

/** Escrow calls as the app makes them: simulated first, then sent, the receipt's status checked. */
export function escrowCalls(chain: Chain) {
  const { publicClient, escrow } = chain;
  const wallet = (who: Account) =>
    createChainWallet(chain.anvil.rpcUrl, who, { chain: chainFromId(31337, chain.anvil.rpcUrl) });
  async function mined(hash: Hex): Promise<TransactionReceipt> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  }
  async function send(
    who: Account,
    functionName: string,
    args: readonly unknown[],
    value?: bigint,
  ): Promise<{ receipt: TransactionReceipt; result: unknown }> {
    const { request, result } = await publicClient.simulateContract({
      account: who,
      address: escrow,
      abi: arenaEscrowAbi,
      functionName,
      args,
      value,
    } as Parameters<typeof publicClient.simulateContract>[0]);
    const receipt = await mined(await wallet(who).writeContract(request as never));
    return { receipt, result };
  }
  return {
    send,
    async now(): Promise<bigint> {
      return (await publicClient.getBlock()).timestamp;
    },
    async create(opts: {
      t0: bigint;
      metadata: string;
      bond?: bigint;
      payoutBps?: number[];
      testCommitment?: bigint;
    }): Promise<bigint> {
      const params = {
        circuitId: CIRCUIT_KEY,
        testCommitment: opts.testCommitment ?? 12345n,
        batchCount: 1,
        commitDeadline: opts.t0 + 1_000n,
        revealDeadline: opts.t0 + 2_000n,
        proveDeadline: opts.t0 + 3_000n,
        token: zeroAddress,
        minCorrect: 1,
        payoutBps: opts.payoutBps ?? [6000, 4000],
        metadataHash: keccak256(stringToHex(opts.metadata)),
      };
      const { result } = await send(organiser, "createChallenge", [params], opts.bond ?? 0n);
      return result as bigint;
    },
    fund: (who: Account, id: bigint, amount: bigint) => send(who, "fund", [id, amount], amount),
    commit: (who: Account, id: bigint, commitment: bigint) => send(who, "commit", [id, commitment]),
    reveal: (id: bigint, uri: string) => send(organiser, "reveal", [id, uri]),
    async advanceTo(timestamp: bigint): Promise<void> {
      await chain.testClient.setNextBlockTimestamp({ timestamp });
      await chain.testClient.mine({ blocks: 1 });
    },
  };
}

/** anvil_reorg: replaces the last `depth` blocks by new ones holding `txs` ([raw tx, block offset]). */
export async function reorg(chain: Chain, depth: number, txs: [Hex, number][] = []): Promise<void> {
  await chain.testClient.request({
    method: "anvil_reorg" as never,
    params: [depth, txs] as never,
  });
}

/**
 * Every indexed table as plain data, ordered by natural keys, without the columns that legitimately
 * differ between two databases (row ids, createdAt/updatedAt); the challenge a row belongs to is named
 * by its slug. Account rows are left out: the indexer creates them for every address an event names
 * and never deletes them (the API creates them at sign-in too). With `keepIds`, row ids are kept (replays in one database must not change them).
 */
export async function snapshot(db: Db, keepIds = false): Promise<unknown> {
  const challenges = await db.challenge.findMany({ orderBy: { slug: "asc" } });
  const slugOf = new Map(challenges.map((c) => [c.id, c.slug]));
  const clean = (row: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k === "createdAt" || k === "updatedAt") continue;
      if (k === "id" && !keepIds) continue;
      if (k === "challengeId") out.challenge = slugOf.get(v as string);
      else if (v && typeof v === "object" && "toFixed" in v)
        out[k] = (v as { toFixed(n: number): string }).toFixed(0);
      else if (typeof v === "bigint") out[k] = v.toString();
      else if (v instanceof Date) out[k] = v.toISOString();
      else out[k] = v;
    }
    return out;
  };
  const byKey = {
    orderBy: [{ chainId: "asc" as const }, { txHash: "asc" as const }, { logIndex: "asc" as const }],
  };
  return {
    challenges: challenges.map(clean),
    fundings: (await db.funding.findMany(byKey)).map(clean),
    payouts: (await db.payout.findMany(byKey)).map(clean),
    proofs: (await db.proof.findMany(byKey)).map(clean),
    commitments: (
      await db.modelCommitment.findMany({ orderBy: [{ competitorAddress: "asc" }, { txHash: "asc" }] })
    )
      .map(clean)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    events: (await db.chainEvent.findMany(byKey)).map(clean),
    blocksWithEvents: (
      await db.indexedBlock.findMany({
        where: {
          number: {
            in: (await db.chainEvent.findMany({ select: { blockNumber: true } })).map((e) => e.blockNumber),
          },
        },
        orderBy: { number: "asc" },
      })
    ).map(clean),
  };
}

export { createTestDb, type TestDb };
