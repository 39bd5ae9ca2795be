// Threat I3 on a real anvil with the real escrow (contracts/scripts/deploy.mjs, CI circuit verifier):
// an organiser's draft goes on-chain with exactly the calldata challenge.onchainArgs returns, two
// sponsors fund it, then the indexer's tables are corrupted (wrong Funding amounts, a wrong cached
// pot, a fake accepted hidden proof): the pot, deposits, refunds owed and the hidden leaderboard are
// still the chain's, before and after the reveal deadline passes with no reveal (full refunds owed).
// A corrupted on-chain link (another metadata hash) is refused instead of answered.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClient, decodeEventLog, http, parseEther, type Address } from "viem";
import { arenaEscrowAbi, chainFromId, createChainClients, createChainWallet } from "@zkarena/chain";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { ensureDeployed } from "../../../contracts/scripts/deploy.mjs";
import { startAnvil, type Anvil } from "../../chain/tests/support/anvil.ts";
import type { EscrowReader } from "../src/services/escrow.ts";
import { alice, bob, callerFor, carol, expectTRPCError, lower, sessionFor, testEnv } from "./helpers.ts";
import { CI_CIRCUIT, ensureCiCircuit } from "./fixtures.ts";

let anvil: Anvil;
let deploymentsDir: string;
let db: TestDb;
let escrow: EscrowReader;
let challengeId = "";
let onchainId = 0n;
let chainNow = 0;

const wallet = (who: typeof alice) =>
  createChainWallet(anvil.rpcUrl, who, { chain: chainFromId(31337, anvil.rpcUrl) });

async function mined(hash: `0x${string}`) {
  const receipt = await escrow.client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

beforeAll(async () => {
  await ensureCiCircuit();
  anvil = await startAnvil();
  deploymentsDir = await mkdtemp(path.join(tmpdir(), "zkarena-api-i3-"));
  const { deployment } = await ensureDeployed({ rpcUrl: anvil.rpcUrl, deploymentsDir, log: () => {} });
  escrow = {
    address: deployment.contracts.ArenaEscrow.address,
    client: createChainClients(anvil.rpcUrl).publicClient,
    chainId: 31337,
  };
  const test = createTestClient({ mode: "anvil", transport: http(anvil.rpcUrl), cacheTime: 0 });
  for (const who of [alice, bob, carol])
    await test.setBalance({ address: who.address, value: parseEther("100") });
  db = await createTestDb();
  chainNow = Number((await escrow.client.getBlock()).timestamp) * 1000;
}, 900_000);

afterAll(async () => {
  await anvil?.stop();
  await db?.close();
  if (deploymentsDir) await rm(deploymentsDir, { recursive: true, force: true });
});

describe("a draft goes on-chain with the API's calldata", () => {
  it("createDraft stores the metadata hash; onchainArgs is ready after the hidden upload and its calldata creates the challenge", async () => {
    const env = testEnv();
    const { api } = await callerFor(db, { session: await sessionFor(db, alice), escrow, env });
    const hour = 3_600_000;
    const draft = await api.challenge.createDraft({
      slug: "i3-digits",
      title: "I3",
      summary: "s",
      description: "d",
      task: "Classify",
      circuitId: CI_CIRCUIT,
      commitDeadline: new Date(chainNow + hour),
      revealDeadline: new Date(chainNow + 2 * hour),
      proveDeadline: new Date(chainNow + 3 * hour),
      payoutSharesBps: [7000, 3000],
      minCorrect: 1,
      organiserBond: "1000",
    });
    expect(draft.metadataHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(draft.onchain).toEqual({
      ready: false,
      missing: ["testCommitment: upload the hidden split with dataset.uploadHidden"],
    });
    challengeId = draft.id;
    const hidden = await api.dataset.uploadHidden({
      challengeId,
      samples: [
        [1, 2, 3, 4, 0],
        [5, 6, 7, 8, 1],
        [9, 10, 11, 12, 2],
        [13, 14, 15, 0, 1],
      ],
    });
    const args = await api.challenge.onchainArgs({ id: challengeId });
    if (!args.ready) throw new Error(`not ready: ${args.missing.join("; ")}`);
    expect(args.to).toBe(escrow.address);
    expect(args.args.testCommitment).toBe(BigInt(hidden.testCommitment).toString());
    expect(args.args.metadataHash).toBe(draft.metadataHash);

    const receipt = await mined(
      await wallet(alice).sendTransaction({
        to: args.to as Address,
        data: args.data,
        value: BigInt(args.value),
      }),
    );
    const created = receipt.logs
      .map((l) => {
        try {
          return decodeEventLog({ abi: arenaEscrowAbi, data: l.data, topics: l.topics });
        } catch {
          return null;
        }
      })
      .find((e) => e?.eventName === "ChallengeCreated");
    if (created?.eventName !== "ChallengeCreated") throw new Error("no ChallengeCreated");
    expect(created.args.organiser.toLowerCase()).toBe(lower(alice));
    expect(created.args.params.metadataHash).toBe(draft.metadataHash);
    expect(created.args.bond).toBe(1000n);
    onchainId = created.args.id;
    // What the indexer does on ChallengeCreated (linking by organiser + metadataHash).
    await db.db.challenge.updateMany({
      where: { organiserAddress: lower(alice), metadataHash: created.args.params.metadataHash },
      data: { onchainId: onchainId.toString(), escrowAddress: escrow.address.toLowerCase(), state: "OPEN" },
    });
    await expectTRPCError(api.challenge.onchainArgs({ id: challengeId }), "CONFLICT", /already on-chain/);
  });

  it("onchainArgs is the organiser's only: FORBIDDEN for others, UNAUTHORIZED without a session", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, bob), escrow });
    await expectTRPCError(api.challenge.onchainArgs({ id: challengeId }), "FORBIDDEN");
    const { api: anon } = await callerFor(db, { session: null, escrow });
    await expectTRPCError(anon.challenge.onchainArgs({ id: challengeId }), "UNAUTHORIZED");
  });
});

describe("money and eligibility come from the escrow, not the indexer's tables (I3)", () => {
  it("answers pot, deposits and refunds from the chain after the cache is corrupted", async () => {
    for (const [who, eth] of [
      [bob, "1"],
      [carol, "2"],
    ] as const) {
      const amount = parseEther(eth);
      await mined(
        await wallet(who).writeContract({
          address: escrow.address,
          abi: arenaEscrowAbi,
          functionName: "fund",
          args: [onchainId, amount],
          value: amount,
        }),
      );
    }
    // Corrupt the cache: wrong amounts, a wrong pot, a fake accepted hidden proof for carol.
    for (const [who, amount, i] of [
      [lower(bob), "5000000000000000000", 1],
      [lower(carol), "1", 2],
    ] as const) {
      await db.db.account.upsert({ where: { address: who }, create: { address: who }, update: {} });
      await db.db.funding.create({
        data: {
          challengeId,
          sponsorAddress: who,
          amount,
          chainId: 31337,
          txHash: `0x${String(i).repeat(64)}`,
          logIndex: 0,
          blockNumber: BigInt(i),
        },
      });
    }
    await db.db.challenge.update({ where: { id: challengeId }, data: { potCached: "999" } });
    await db.db.modelCommitment.create({
      data: {
        challengeId,
        competitorAddress: lower(carol),
        commitment: "1",
        committedAt: new Date(),
        chainId: 31337,
        txHash: `0x${"c".repeat(64)}`,
        blockNumber: 1n,
        logIndex: 0,
      },
    });
    await db.db.proof.create({
      data: {
        challengeId,
        competitorAddress: lower(carol),
        split: "HIDDEN",
        circuitId: CI_CIRCUIT,
        modelCommitment: "1",
        publicSignals: [],
        proof: {},
        correct: 4,
        total: 4,
        status: "ACCEPTED",
      },
    });

    const { api } = await callerFor(db, { session: null, escrow });
    const sponsors = await api.sponsor.byChallenge({ challengeId });
    expect(sponsors.source).toBe("chain");
    expect(sponsors.pot).toBe(parseEther("3").toString());
    expect(sponsors.phase).toBe("Open");
    expect(sponsors.sponsors.map((s) => [s.sponsor, s.deposit, s.refundOwed])).toEqual([
      [lower(bob), parseEther("1").toString(), "0"],
      [lower(carol), parseEther("2").toString(), "0"],
    ]);
    const detail = await api.challenge.byId({ id: challengeId });
    expect(detail.pot).toMatchObject({
      source: "chain",
      amount: parseEther("3").toString(),
      sponsorCount: 2,
    });
    const hidden = await api.leaderboard.hidden({ challengeId });
    expect(hidden).toMatchObject({ source: "chain", rows: [], final: false });
    // The indexed rows alone would have ranked carol: eligibility is not taken from them.
    const indexed = await api.leaderboard.hidden({ challengeId, allowIndexed: true });
    expect(indexed.source).toBe("chain");
  });

  it("owes every sponsor a full refund once the reveal deadline passes unrevealed, though the cache knows nothing of it", async () => {
    const test = createTestClient({ mode: "anvil", transport: http(anvil.rpcUrl), cacheTime: 0 });
    await test.setNextBlockTimestamp({ timestamp: BigInt(Math.floor(chainNow / 1000) + 2 * 3600 + 10) });
    await test.mine({ blocks: 1 });
    const { api } = await callerFor(db, { session: null, escrow });
    const sponsors = await api.sponsor.byChallenge({ challengeId });
    expect(sponsors.phase).toBe("RevealMissed");
    expect(sponsors.sponsors.map((s) => [s.sponsor, s.refundOwed, s.refundClaimed])).toEqual([
      [lower(bob), parseEther("1").toString(), false],
      [lower(carol), parseEther("2").toString(), false],
    ]);
    const mine = await api.sponsor.bySponsor({ address: bob.address });
    expect(mine.challenges).toEqual([
      expect.objectContaining({
        challengeId,
        deposit: parseEther("1").toString(),
        refundOwed: parseEther("1").toString(),
      }),
    ]);
    expect(Number(mine.blockNumber)).toBeGreaterThan(0);
  });

  it("refuses a corrupted on-chain link (another metadata hash) with CONFLICT instead of answering", async () => {
    await db.db.challenge.update({
      where: { id: challengeId },
      data: { metadataHash: `0x${"ab".repeat(32)}` },
    });
    const { api } = await callerFor(db, { session: null, escrow });
    await expectTRPCError(api.sponsor.byChallenge({ challengeId }), "CONFLICT", /cached link is wrong/);
    const detail = await api.challenge.byId({ id: challengeId });
    expect(detail.pot).toMatchObject({ source: "unavailable", amount: null, cachedAmount: "999" });
  });

  it("answers SERVICE_UNAVAILABLE when the chain is down, never the cached amounts", async () => {
    await db.db.challenge.update({ where: { id: challengeId }, data: { metadataHash: null } });
    const down: EscrowReader = {
      ...escrow,
      client: createChainClients("http://127.0.0.1:9", { retryCount: 0, timeoutMs: 500 }).publicClient,
    };
    const { api } = await callerFor(db, { session: null, escrow: down });
    await expectTRPCError(api.sponsor.byChallenge({ challengeId }), "SERVICE_UNAVAILABLE", /cannot be read/);
  });
});
