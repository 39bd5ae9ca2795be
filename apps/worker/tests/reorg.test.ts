// Reorgs on a real anvil (threat I1): `anvil_reorg` replaces the last blocks with new ones (same
// heights, new hashes, optionally other transactions). After every rollback the tables must equal a
// fresh index of the canonical chain (the ground truth), a reorged-out reveal must not release the
// hidden split through the API's release gate, and reorgs the indexer must not absorb (deeper than
// INDEXER_MAX_REORG_DEPTH, or below the block it reported final) must halt it with nothing changed.
import { encodeFunctionData, parseEther, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arenaEscrowAbi } from "@zkarena/chain";
import { Prisma } from "@zkarena/db";
import { hiddenSplitRelease } from "../../../packages/api/src/services/release.ts";
import { DeepReorgError, FinalityViolationError } from "../src/indexer/errors.ts";
import type { IndexerOptions } from "../src/indexer/indexer.ts";
import {
  alice,
  bob,
  createTestDb,
  escrowCalls,
  lower,
  makeIndexer,
  reorg,
  snapshot,
  sponsorA,
  sponsorB,
  startChain,
  type Chain,
  type TestDb,
} from "./support.ts";

describe("indexer reorgs on anvil", () => {
  let chain: Chain;
  let calls: ReturnType<typeof escrowCalls>;
  const dbs: TestDb[] = [];

  beforeAll(async () => {
    chain = await startChain();
    calls = escrowCalls(chain);
  }, 300_000);

  afterAll(async () => {
    await chain?.stop();
    await Promise.all(dbs.map((d) => d.close()));
  });

  const freshDb = async () => {
    const d = await createTestDb();
    dbs.push(d);
    return d;
  };
  /** The tables a fresh indexer builds from the chain as it is now. */
  const groundTruth = async () => {
    const d = await freshDb();
    await makeIndexer(chain, d.db, { finalityDepth: 0 }).syncToHead();
    return snapshot(d.db);
  };
  const challengeRow = (db: TestDb, id: bigint) =>
    db.db.challenge.findFirstOrThrow({ where: { onchainId: new Prisma.Decimal(id.toString()) } });
  const head = () => chain.publicClient.getBlockNumber();
  const blockHash = async (n: bigint) => (await chain.publicClient.getBlock({ blockNumber: n })).hash;
  /** A transaction anvil signs itself (its dev accounts are unlocked) for anvil_reorg's replacement blocks. */
  const fundTx = (from: Address, id: bigint, amount: bigint) => ({
    from,
    to: chain.escrow,
    value: `0x${amount.toString(16)}`,
    gas: "0x40000", // anvil_reorg does not estimate: without it the call runs out of gas
    data: encodeFunctionData({ abi: arenaEscrowAbi, functionName: "fund", args: [id, amount] }),
  });

  it("rolls back a reorg of depth 1 and re-indexes the new block", async () => {
    const db = await freshDb();
    const opts: Partial<IndexerOptions> = { finalityDepth: 2, maxReorgDepth: 10 };
    const id = await calls.create({ t0: await calls.now(), metadata: "reorg depth 1" });
    await calls.fund(sponsorA, id, parseEther("1"));
    await calls.fund(sponsorB, id, parseEther("2"));
    await makeIndexer(chain, db.db, opts).syncToHead();
    expect((await challengeRow(db, id)).potCached.toFixed(0)).toBe(parseEther("3").toString());
    const top = await head();
    const oldHash = await blockHash(top);

    await reorg(chain, 1); // the block holding sponsorB's deposit is replaced by an empty one
    expect(await head()).toBe(top);
    expect(await blockHash(top)).not.toBe(oldHash);

    const step = await makeIndexer(chain, db.db, opts).step();
    expect(step).toMatchObject({ kind: "reorg", ancestor: top - 1n, depth: 1, challenges: 1 });
    expect(await db.db.chainEvent.count({ where: { blockNumber: top } })).toBe(0);
    await makeIndexer(chain, db.db, opts).syncToHead();
    const cursor = await db.db.indexerCursor.findFirstOrThrow();
    expect(cursor.blockHash).toBe((await blockHash(top)).toLowerCase());
    expect(
      (
        await db.db.indexedBlock.findUniqueOrThrow({
          where: { chainId_number: { chainId: 31337, number: top } },
        })
      ).hash,
    ).toBe((await blockHash(top)).toLowerCase());
    const pot = BigInt((await challengeRow(db, id)).potCached.toFixed(0));
    const onChain = (
      await chain.publicClient.readContract({
        address: chain.escrow,
        abi: arenaEscrowAbi,
        functionName: "getChallenge",
        args: [id],
      })
    ).totalDeposits;
    expect(pot).toBe(onChain);
    expect(await snapshot(db.db)).toEqual(await groundTruth());
  });

  it("rolls back a reorg of depth 5 whose new blocks carry other transactions", async () => {
    const db = await freshDb();
    const opts: Partial<IndexerOptions> = { finalityDepth: 6, maxReorgDepth: 10 };
    const id = await calls.create({ t0: await calls.now(), metadata: "reorg depth 5" });
    await calls.fund(sponsorA, id, parseEther("1"));
    // The five blocks that will be replaced: two commits, a re-commit, two deposits.
    await calls.commit(alice, id, 11n);
    await calls.commit(bob, id, 22n);
    await calls.commit(bob, id, 23n);
    await calls.fund(sponsorB, id, parseEther("5"));
    await calls.fund(sponsorA, id, parseEther("7"));
    await makeIndexer(chain, db.db, opts).syncToHead();
    expect(
      await db.db.modelCommitment.count({ where: { challengeId: (await challengeRow(db, id)).id } }),
    ).toBe(2);

    // The new branch: only a deposit of 4 ETH by sponsorB (in its first block) and one of 1 wei by alice.
    await reorg(chain, 5, [
      [fundTx(sponsorB.address, id, parseEther("4")) as never, 0],
      [fundTx(alice.address, id, 1n) as never, 3],
    ]);
    const step = await makeIndexer(chain, db.db, opts).step();
    expect(step).toMatchObject({ kind: "reorg", depth: 5 });
    await makeIndexer(chain, db.db, opts).syncToHead();

    const row = await challengeRow(db, id);
    expect(row.potCached.toFixed(0)).toBe((parseEther("1") + parseEther("4") + 1n).toString());
    expect(await db.db.modelCommitment.count({ where: { challengeId: row.id } })).toBe(0);
    expect(
      (await db.db.funding.findMany({ where: { challengeId: row.id }, orderBy: { blockNumber: "asc" } })).map(
        (f) => [f.sponsorAddress, f.amount.toFixed(0)],
      ),
    ).toEqual([
      [lower(sponsorA), parseEther("1").toString()],
      [lower(sponsorB), parseEther("4").toString()],
      [lower(alice), "1"],
    ]);
    expect(await snapshot(db.db)).toEqual(await groundTruth());
  });

  it("never releases a hidden split whose reveal was reorged out (the API's release gate)", async () => {
    const db = await freshDb();
    const opts: Partial<IndexerOptions> = { finalityDepth: 2, maxReorgDepth: 10 };
    const t0 = await calls.now();
    const id = await calls.create({ t0, metadata: "reorged reveal" });
    await calls.commit(alice, id, 5n);
    await calls.advanceTo(t0 + 1_000n);
    await calls.reveal(id, "ipfs://first-reveal");
    await makeIndexer(chain, db.db, opts).syncToHead();
    let row = await challengeRow(db, id);
    expect(row).toMatchObject({ state: "REVEALED", revealUri: "ipfs://first-reveal" });
    expect(await hiddenSplitRelease(db.db, row)).toMatchObject({
      released: false,
      reason: expect.stringMatching(/not final yet/),
    });

    await reorg(chain, 1); // the reveal's block is replaced by an empty one
    await makeIndexer(chain, db.db, opts).syncToHead();
    row = await challengeRow(db, id);
    expect(row).toMatchObject({ state: "OPEN", revealUri: null, revealTxHash: null, revealedAt: null });
    expect(await db.db.chainEvent.count({ where: { eventName: "TestSetRevealed" } })).toBe(0);
    // However many blocks follow, the reorged-out reveal never counts.
    await chain.testClient.mine({ blocks: 3 });
    await makeIndexer(chain, db.db, opts).syncToHead();
    expect(await hiddenSplitRelease(db.db, row)).toMatchObject({ released: false });

    // A reveal on the canonical chain is released once it is two blocks deep, and not before.
    const { receipt } = await calls.reveal(id, "ipfs://second-reveal");
    await makeIndexer(chain, db.db, opts).syncToHead();
    expect(await hiddenSplitRelease(db.db, row)).toMatchObject({ released: false });
    await chain.testClient.mine({ blocks: 2 });
    await makeIndexer(chain, db.db, opts).syncToHead();
    expect(await hiddenSplitRelease(db.db, row)).toEqual({
      released: true,
      revealBlock: receipt.blockNumber,
      revealTxHash: receipt.transactionHash,
    });
    expect(await snapshot(db.db)).toEqual(await groundTruth());
  });

  it("halts on a reorg deeper than maxReorgDepth and changes nothing", async () => {
    const db = await freshDb();
    const opts: Partial<IndexerOptions> = { finalityDepth: 3, maxReorgDepth: 3 };
    const id = await calls.create({ t0: await calls.now(), metadata: "deep reorg" });
    for (let i = 0; i < 5; i += 1) await calls.fund(sponsorA, id, BigInt(i + 1));
    await makeIndexer(chain, db.db, opts).syncToHead();
    const before = await snapshot(db.db, true);
    const cursor = await db.db.indexerCursor.findFirstOrThrow();

    await reorg(chain, 5);
    const error = await makeIndexer(chain, db.db, opts)
      .step()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeepReorgError);
    expect((error as Error).message).toMatch(
      /deeper than INDEXER_MAX_REORG_DEPTH=3.*halted and changed nothing/,
    );
    expect(await snapshot(db.db, true)).toEqual(before);
    expect(await db.db.indexerCursor.findFirstOrThrow()).toEqual(cursor);
  });

  it("halts on a reorg below the block it reported final and changes nothing", async () => {
    const db = await freshDb();
    const opts: Partial<IndexerOptions> = { finalityDepth: 1, maxReorgDepth: 10 };
    const id = await calls.create({ t0: await calls.now(), metadata: "final block reorged" });
    for (let i = 0; i < 3; i += 1) await calls.fund(sponsorB, id, BigInt(i + 1));
    await makeIndexer(chain, db.db, opts).syncToHead();
    const cursor = await db.db.indexerCursor.findFirstOrThrow();
    expect(cursor.finalizedBlockNumber).toBe(cursor.blockNumber - 1n);
    const before = await snapshot(db.db, true);

    await reorg(chain, 3);
    const error = await makeIndexer(chain, db.db, opts)
      .step()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinalityViolationError);
    expect((error as Error).message).toMatch(/reorg below the final block/);
    expect(await snapshot(db.db, true)).toEqual(before);
    expect(await db.db.indexerCursor.findFirstOrThrow()).toEqual(cursor);
  });
});
