// The indexer on a real anvil with the real contracts and real Groth16 proofs of the CI circuit, into
// a real database (PostgreSQL with DATABASE_URL, else PGlite). One scenario drives every escrow event:
//
//   challenge 1: created by the organiser from a draft (metadataHash + organiser match), funded by two
//                sponsors, alice commits, bob commits twice, revealed, both prove, settled, claims
//   challenge 2: created with no draft (gets a generated row), funded, never revealed: refund + bonds
//
// Then: the derived tables are checked against the chain, a replay of the same range changes nothing
// (row ids included), a crash inside a batch's transaction leaves the previous state and a restart
// reaches the same tables as an uninterrupted run (threat I2), and a corrupted cache does not change
// what the chain says (threat I3).
import { keccak256, parseEther, stringToHex, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readChallengeOnChain } from "@zkarena/chain";
import { Prisma } from "@zkarena/db";
import { artifactPaths, buildAll, releaseCurves } from "../../../circuits/scripts/lib.mjs";
import {
  batchProofRequest,
  hiddenSplitCommitment,
  type HiddenSplit,
} from "../../../packages/zk/src/batch.ts";
import { proofCalldata } from "../../../packages/zk/src/calldata.ts";
import { modelCommitment } from "../../../packages/zk/src/commit.ts";
import { proveMlp } from "../../../packages/zk/src/prove.ts";
import { infer, type IntModel, type Sample } from "../../../packages/zk/src/reference.ts";
import type { MlpShape } from "../../../packages/zk/src/shape.ts";
import { generatedSlug } from "../src/indexer/derive.ts";
import { runIndexer } from "../src/run.ts";
import { proofFromCalldata } from "../src/indexer/source.ts";
import {
  CIRCUIT,
  alice,
  bob,
  createTestDb,
  escrowCalls,
  lower,
  makeIndexer,
  organiser,
  snapshot,
  sponsorA,
  sponsorB,
  startChain,
  type Chain,
  type TestDb,
} from "./support.ts";

const SHAPE: MlpShape = { D: 4, H: 3, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 };

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: () => number, lo: number, hi: number) => BigInt(lo + Math.floor(r() * (hi - lo + 1)));
function model(seed: number): IntModel {
  const r = rng(seed);
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => int(r, -128, 127)));
  return {
    shape: SHAPE,
    W1: mat(SHAPE.H, SHAPE.D),
    b1: Array.from({ length: SHAPE.H }, () => int(r, -300, 300)),
    W2: mat(SHAPE.C, SHAPE.H),
    b2: Array.from({ length: SHAPE.C }, () => int(r, -300, 300)),
  };
}
function samples(seed: number, a: IntModel, b: IntModel): Sample[] {
  const r = rng(seed);
  return Array.from({ length: 4 }, (_, i) => {
    const x = Array.from({ length: SHAPE.D }, () => int(r, 0, 15));
    return { x, label: BigInt(infer(i === 3 ? b : a, x).prediction) };
  });
}

describe("indexer on anvil", () => {
  let chain: Chain;
  let db: TestDb;
  let calls: ReturnType<typeof escrowCalls>;
  let split: HiddenSplit;
  let draftId: string;
  let draftData: Prisma.ChallengeUncheckedCreateInput;
  const createDraft = async (target: TestDb) => {
    await target.db.account.create({ data: { address: lower(organiser) } });
    return (await target.db.challenge.create({ data: draftData })).id;
  };
  const ids = { one: 0n, two: 0n };
  const proofs: Record<string, unknown> = {};
  let groundTruth: unknown;
  let eventCount = 0;

  const aliceModel = model(101);
  const bobModel = model(202);
  const aliceSalt = 0xa11ce5a17n;
  const bobSalt = 0xb0b5a17n;

  beforeAll(async () => {
    await buildAll({ only: [CIRCUIT], log: () => {} });
    [chain, db] = await Promise.all([startChain(), createTestDb()]);
    calls = escrowCalls(chain);
    split = await hiddenSplitCommitment(samples(7, aliceModel, bobModel), 0x5eedn, SHAPE);

    // The draft challenge.createDraft leaves: off-chain, with the metadata hash the on-chain create carries.
    const t0 = await calls.now();
    draftData = {
      slug: "digits-ci",
      title: "Digits (CI circuit)",
      summary: "",
      description: "A draft that the chain makes real",
      task: "classify",
      modelFamily: "MLP",
      circuitId: CIRCUIT,
      metadataHash: keccak256(stringToHex("metadata one")),
      organiserAddress: lower(organiser),
      chainId: 31337,
      commitDeadline: new Date(Number(t0 + 1_000n) * 1000),
      revealDeadline: new Date(Number(t0 + 2_000n) * 1000),
      proveDeadline: new Date(Number(t0 + 3_000n) * 1000),
      payoutSharesBps: [6000, 4000],
      minCorrect: 1,
    } satisfies Prisma.ChallengeUncheckedCreateInput;
    draftId = await createDraft(db);

    // The scenario (one transaction per block: anvil automines).
    ids.one = await calls.create({
      t0,
      metadata: "metadata one",
      bond: parseEther("1"),
      testCommitment: BigInt(split.root),
    });
    ids.two = await calls.create({
      t0,
      metadata: "no draft for this one",
      bond: parseEther("0.3") + 1n,
      payoutBps: [10_000],
    });
    await calls.fund(sponsorA, ids.one, parseEther("3"));
    await calls.fund(sponsorB, ids.one, parseEther("1"));
    await calls.fund(sponsorB, ids.two, parseEther("2"));
    await calls.commit(alice, ids.one, await modelCommitment(aliceModel, aliceSalt));
    await calls.commit(bob, ids.one, await modelCommitment(model(203), bobSalt));
    await chain.testClient.increaseTime({ seconds: 10 });
    await calls.commit(bob, ids.one, await modelCommitment(bobModel, bobSalt));
    await calls.commit(alice, ids.two, await modelCommitment(aliceModel, aliceSalt));
    await calls.commit(bob, ids.two, await modelCommitment(bobModel, bobSalt));
    await calls.advanceTo(t0 + 1_000n);
    await calls.reveal(ids.one, "ipfs://hidden-split-1");
    const { zkey, wasm } = artifactPaths(CIRCUIT);
    for (const [who, m, salt] of [
      [alice, aliceModel, aliceSalt],
      [bob, bobModel, bobSalt],
    ] as const) {
      const { request } = batchProofRequest(split, 0, {
        model: m,
        modelSalt: salt,
        challengeId: ids.one,
        submitter: BigInt(who.address),
      });
      const { proof, expected } = await proveMlp(request, { wasm, zkey });
      const { pA, pB, pC } = proofCalldata(proof);
      proofs[lower(who)] = proof;
      await calls.send(who, "submitProof", [ids.one, pA, pB, pC, Number(expected.correct)]);
    }
    await calls.advanceTo(t0 + 3_000n);
    await calls.send(alice, "claimPrize", [ids.one]);
    await calls.send(bob, "claimPrize", [ids.one]);
    await calls.send(sponsorA, "claimRefund", [ids.one]);
    await calls.send(organiser, "claimBond", [ids.one]);
    await calls.send(sponsorB, "claimRefund", [ids.two]);
    await calls.send(alice, "claimBond", [ids.two]);
    await calls.send(bob, "claimBond", [ids.two]);
    eventCount = (await chain.publicClient.getLogs({ address: chain.escrow, fromBlock: 0n })).length;
  }, 600_000);

  afterAll(async () => {
    await chain?.stop();
    await db?.close();
    await releaseCurves();
  });

  it("indexes every event into ChainEvent and the derived tables, in small batches", async () => {
    const changed = new Set<string>();
    const steps = await makeIndexer(chain, db.db, {
      batchBlocks: 3,
      onChallengesChanged: async (rows) => rows.forEach((r) => changed.add(r)),
    }).syncToHead();
    expect(steps.filter((s) => s.kind === "batch").length).toBeGreaterThan(5);
    const head = await chain.publicClient.getBlockNumber();
    const cursor = await db.db.indexerCursor.findFirstOrThrow();
    expect(cursor).toMatchObject({
      blockNumber: head,
      address: lower(chain.escrow),
      finalizedBlockNumber: head,
    });
    expect(await db.db.chainEvent.count()).toBe(eventCount);

    // The draft became challenge 1 (same row), settled at the indexed chain time.
    const one = await db.db.challenge.findUniqueOrThrow({ where: { id: draftId } });
    expect(one).toMatchObject({
      slug: "digits-ci",
      state: "SETTLED",
      escrowAddress: lower(chain.escrow),
      revealUri: "ipfs://hidden-split-1",
      testCommitment: split.root.toLowerCase(),
      circuitId: CIRCUIT,
    });
    expect(one.onchainId?.toFixed(0)).toBe(ids.one.toString());
    expect(one.potCached.toFixed(0)).toBe(parseEther("4").toString());
    expect(one.revealedAt).not.toBeNull();

    // Challenge 2 had no draft: a generated row, refunding after the missed reveal.
    const two = await db.db.challenge.findFirstOrThrow({
      where: { onchainId: new Prisma.Decimal(ids.two.toString()) },
    });
    expect(two).toMatchObject({
      slug: generatedSlug(31337, lower(chain.escrow), ids.two),
      state: "REFUNDING_NO_REVEAL",
      organiserAddress: lower(organiser),
      tokenAddress: null,
      payoutSharesBps: [10_000],
    });
    expect(two.organiserBond.toFixed(0)).toBe((parseEther("0.3") + 1n).toString());
    // Both rows were reported (for leaderboard refreshes) after their batches committed.
    expect([...changed].sort()).toEqual([draftId, two.id].sort());

    const fundings = await db.db.funding.findMany({
      where: { challengeId: draftId },
      orderBy: { blockNumber: "asc" },
    });
    expect(fundings.map((f) => [f.sponsorAddress, f.amount.toFixed(0)])).toEqual([
      [lower(sponsorA), parseEther("3").toString()],
      [lower(sponsorB), parseEther("1").toString()],
    ]);
    const commits = await db.db.modelCommitment.findMany({
      where: { challengeId: draftId },
      orderBy: { competitorAddress: "asc" },
    });
    const bobC = commits.find((c) => c.competitorAddress === lower(bob))!;
    expect(bobC.commitCount).toBe(2);
    expect(BigInt(bobC.commitment)).toBe(await modelCommitment(bobModel, bobSalt));
    expect(commits.find((c) => c.competitorAddress === lower(alice))?.commitCount).toBe(1);

    // Hidden-split proofs: ACCEPTED with their transaction, the proof decoded from the calldata equals
    // the snarkjs proof that was submitted, and the public signals are the escrow's.
    const accepted = await db.db.proof.findMany({
      where: { challengeId: draftId },
      orderBy: { competitorAddress: "asc" },
    });
    expect(accepted).toHaveLength(2);
    for (const p of accepted) {
      expect(p).toMatchObject({
        split: "HIDDEN",
        status: "ACCEPTED",
        chainId: 31337,
        circuitId: CIRCUIT,
        total: 4,
      });
      expect(p.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      const submitted = proofs[p.competitorAddress] as Parameters<typeof proofCalldata>[0];
      const { pA, pB, pC } = proofCalldata(submitted);
      expect(p.proof).toEqual(proofFromCalldata(pA, pB, pC));
      expect((p.proof as { pi_a: string[] }).pi_a).toEqual((submitted as { pi_a: string[] }).pi_a);
      expect((p.publicSignals as string[])[1]).toBe(BigInt(split.root).toString());
      expect((p.publicSignals as string[])[4]).toBe(BigInt(p.competitorAddress).toString());
    }

    const payouts = await db.db.payout.findMany({ orderBy: [{ blockNumber: "asc" }] });
    expect(payouts.map((p) => [p.kind, p.recipientAddress, p.rank])).toEqual([
      ["PRIZE", lower(alice), 0],
      ["PRIZE", lower(bob), 1],
      ["REFUND", lower(sponsorA), null],
      ["BOND", lower(organiser), null],
      ["REFUND", lower(sponsorB), null],
      ["BOND", lower(alice), null],
      ["BOND", lower(bob), null],
    ]);
    expect(payouts[0]!.amount.toFixed(0)).toBe(((parseEther("4") * 6000n) / 10_000n).toString());
    // Every prize, refund and bond the chain paid is there: Σ payouts of challenge 2 = pot + bond.
    const paidTwo = payouts
      .filter((p) => p.challengeId === two.id)
      .reduce((s, p) => s + BigInt(p.amount.toFixed(0)), 0n);
    expect(paidTwo).toBe(parseEther("2") + parseEther("0.3") + 1n);
    groundTruth = await snapshot(db.db);
  });

  it("replays the same range twice with no change at all (row ids included)", async () => {
    const before = await snapshot(db.db, true);
    // Forget the cursor (as after a restore from an old backup) and index everything again, in other batches.
    await db.db.indexerCursor.deleteMany();
    await makeIndexer(chain, db.db, { batchBlocks: 7 }).syncToHead();
    expect(await snapshot(db.db, true)).toEqual(before);
    // The same block range delivered again through a fresh cursor at its middle: still nothing changes.
    const middle = chain.deployBlock + 10n;
    const block = await chain.publicClient.getBlock({ blockNumber: middle });
    await db.db.indexerCursor.updateMany({ data: { blockNumber: middle, blockHash: block.hash } });
    await makeIndexer(chain, db.db, { batchBlocks: 2 }).syncToHead();
    expect(await snapshot(db.db, true)).toEqual(before);
  });

  it("resumes after a crash inside a batch's transaction without double counting", async () => {
    const fresh = await createTestDb();
    try {
      await createDraft(fresh);
      // Crash on the third batch that carries events, after its writes, before its commit.
      let batchesWithEvents = 0;
      const crashing = makeIndexer(chain, fresh.db, {
        batchBlocks: 4,
        hooks: {
          beforeCommit: ({ events }) => {
            if (events > 0 && ++batchesWithEvents === 3) throw new Error("simulated crash");
          },
        },
      });
      await expect(crashing.syncToHead()).rejects.toThrow("simulated crash");
      const cursor = await fresh.db.indexerCursor.findFirstOrThrow();
      // Nothing of the crashed batch is there: every stored event is at or below the cursor.
      const newest = await fresh.db.chainEvent.findFirst({ orderBy: { blockNumber: "desc" } });
      expect(newest!.blockNumber <= cursor.blockNumber).toBe(true);
      const partial = await fresh.db.chainEvent.count();
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(eventCount);

      await makeIndexer(chain, fresh.db, { batchBlocks: 4 }).syncToHead();
      expect(await fresh.db.chainEvent.count()).toBe(eventCount);
      expect(await snapshot(fresh.db)).toEqual(groundTruth);
    } finally {
      await fresh.close();
    }
  });

  it("two workers on one database apply every batch once (advisory lock + cursor check)", async () => {
    const shared = await createTestDb();
    try {
      await createDraft(shared);
      const controller = new AbortController();
      const retries: string[] = [];
      const log = {
        info: () => {},
        warn: (event: string, fields: Record<string, unknown> = {}) => {
          if (event === "indexer.retry") retries.push(String(fields.error));
        },
        error: () => {},
      };
      const loops = [0, 1].map((i) =>
        runIndexer(makeIndexer(chain, shared.db, { batchBlocks: 2 + i }), {
          pollIntervalMs: 50,
          signal: controller.signal,
          log,
          maxBackoffMs: 200,
        }),
      );
      const head = await chain.publicClient.getBlockNumber();
      const deadline = Date.now() + 120_000;
      while ((await shared.db.indexerCursor.findFirst())?.blockNumber !== head) {
        if (Date.now() > deadline) throw new Error("the two workers did not reach the head");
        await new Promise((r) => setTimeout(r, 100));
      }
      controller.abort();
      await Promise.all(loops);
      // Whatever interleaving happened, only CursorMovedError retries, and the tables are the ground truth.
      expect(retries.every((name) => name === "CursorMovedError")).toBe(true);
      expect(await shared.db.chainEvent.count()).toBe(eventCount);
      expect(await snapshot(shared.db)).toEqual(groundTruth);
    } finally {
      await shared.close();
    }
  });

  it("I3: a corrupted cache changes nothing the chain says about money and eligibility", async () => {
    const one = await db.db.challenge.findUniqueOrThrow({ where: { id: draftId } });
    const truth = await readChallengeOnChain(chain.publicClient, chain.escrow, ids.one);
    // Corrupt the cache: pot, a funding, a payout, a commitment.
    await db.db.challenge.update({ where: { id: one.id }, data: { potCached: new Prisma.Decimal("999") } });
    await db.db.funding.deleteMany({ where: { challengeId: one.id, sponsorAddress: lower(sponsorB) } });
    await db.db.payout.updateMany({
      where: { challengeId: one.id, kind: "PRIZE" },
      data: { amount: new Prisma.Decimal(1) },
    });
    await db.db.modelCommitment.updateMany({ where: { challengeId: one.id }, data: { commitCount: 99 } });

    const read = await readChallengeOnChain(chain.publicClient, chain.escrow, ids.one);
    expect(read).toEqual(truth);
    expect(read.pot).toBe(parseEther("4"));
    expect(read.phase).toBe("Settled");
    expect(read.organiser).toBe(lower(organiser));
    expect(read.leaderboard.map((r) => r.competitor)).toEqual([lower(alice), lower(bob)]);
    expect(read.token).toBe(zeroAddress);

    // And the indexer repairs the cache from its events when it next rebuilds the challenge.
    await db.db.indexerCursor.deleteMany();
    await makeIndexer(chain, db.db).syncToHead();
    expect(await snapshot(db.db)).toEqual(groundTruth);
  });
});
