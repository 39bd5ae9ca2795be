// challenge.list filters, challenge.byId (indexed timeline with tx hashes, the pot never from the
// cache), and createDraft's metadata hash and on-chain checks (A5, A6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keccak256, stringToHex } from "viem";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { METADATA_FORMAT } from "../src/services/onchain-args.ts";
import { alice, bob, callerFor, expectTRPCError, lower, sessionFor } from "./helpers.ts";
import { seedOnchainChallenge, type SeededChallenge } from "./fixtures.ts";

let db: TestDb;
let seeded: SeededChallenge;
let other: SeededChallenge;
const escrow = "0x00000000000000000000000000000000000e5c40";
const token = "0x00000000000000000000000000000000000000e2";
const hour = 3_600_000;

beforeAll(async () => {
  db = await createTestDb();
  seeded = await seedOnchainChallenge(db, lower(bob), { onchainId: 7n });
  other = await seedOnchainChallenge(db, lower(bob), { onchainId: 8n });
  await db.db.challenge.update({
    where: { id: other.id },
    data: { tokenAddress: token, tokenSymbol: "USDC", modelFamily: "TREE" },
  });
  const event = (n: number, id: string, eventName: string, block: bigint, logIndex: number) =>
    db.db.chainEvent.create({
      data: {
        chainId: 31337,
        address: escrow,
        blockNumber: block,
        blockHash: `0x${String(n).repeat(64).slice(0, 64)}`,
        txHash: `0x${n.toString(16).padStart(64, "0")}`,
        txIndex: 0,
        logIndex,
        eventName,
        args: { id },
      },
    });
  await event(3, "7", "ChallengeFunded", 12n, 0);
  await event(1, "7", "ChallengeCreated", 10n, 0);
  await event(2, "8", "ChallengeCreated", 11n, 0); // another challenge's
  await event(4, "7", "ModelCommitted", 12n, 1);
  await db.db.indexedBlock.create({
    data: {
      chainId: 31337,
      number: 10n,
      hash: `0x${"1".repeat(64)}`,
      parentHash: `0x${"0".repeat(64)}`,
      timestamp: new Date(Date.UTC(2030, 0, 1)),
    },
  });
});

afterAll(async () => {
  await db?.close();
});

describe("challenge.list filters", () => {
  it("filters by prize token (an address or ETH) and model family", async () => {
    const { api } = await callerFor(db, { session: null });
    expect(
      (await api.challenge.list({ token: token.toUpperCase().replace("0X", "0x") })).items.map((c) => c.id),
    ).toEqual([other.id]);
    expect((await api.challenge.list({ token: "ETH" })).items.map((c) => c.id)).toEqual([seeded.id]);
    expect((await api.challenge.list({ family: "TREE" })).items.map((c) => c.id)).toEqual([other.id]);
    await expectTRPCError(api.challenge.list({ token: "DAI" as "ETH" }), "BAD_REQUEST", /token must be/);
    await expectTRPCError(api.challenge.list({ family: "CNN" as "MLP" }), "BAD_REQUEST", /family must be/);
  });
});

describe("challenge.byId", () => {
  it("returns the detail, the indexed timeline of this challenge in chain order with tx hashes, and no cached pot", async () => {
    const { api } = await callerFor(db, { session: null });
    const c = await api.challenge.byId({ id: seeded.id });
    expect(c.slug).toBe(seeded.slug);
    expect(c.timeline.map((e) => [e.event, e.blockNumber, e.logIndex])).toEqual([
      ["DraftCreated", null, null],
      ["ChallengeCreated", "10", 0],
      ["ChallengeFunded", "12", 0],
      ["ModelCommitted", "12", 1],
    ]);
    expect(c.timeline[1]).toMatchObject({
      txHash: `0x${"1".padStart(64, "0")}`,
      at: new Date(Date.UTC(2030, 0, 1)),
    });
    expect(c.pot).toMatchObject({ source: "unavailable", amount: null, cachedAmount: "0" });
    const bySlug = await api.challenge.bySlug({ slug: seeded.slug });
    expect(bySlug.timeline).toEqual(c.timeline);
    await expectTRPCError(api.challenge.byId({ id: "00000000-0000-4000-8000-000000000000" }), "NOT_FOUND");
    await expectTRPCError(api.challenge.byId({ id: "../etc/passwd" }), "BAD_REQUEST", /UUID/);
  });
});

describe("challenge.createDraft (on-chain rules)", () => {
  const draft = (over: Record<string, unknown> = {}) => ({
    slug: `draft-${Math.random().toString(36).slice(2, 8)}`,
    title: "T",
    summary: "S",
    description: "D",
    task: "Classify digits",
    circuitId: "mlp-d4-h3-c3-n4" as const,
    commitDeadline: new Date(Date.now() + hour),
    revealDeadline: new Date(Date.now() + 2 * hour),
    proveDeadline: new Date(Date.now() + 3 * hour),
    payoutSharesBps: [6000, 4000],
    minCorrect: 1,
    ...over,
  });

  it("stores metadataHash = keccak256(canonical JSON of the draft's fixed fields), as documented", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, alice) });
    const input = draft();
    const out = await api.challenge.createDraft(input);
    const canonical = JSON.stringify({
      chainId: 31337,
      circuitId: input.circuitId,
      format: METADATA_FORMAT,
      id: out.id,
      organiser: lower(alice),
      slug: input.slug,
      task: input.task,
    });
    expect(out.metadataHash).toBe(keccak256(stringToHex(canonical)));
    expect(out.onchain).toMatchObject({ ready: false });
    // Text edits until the commit deadline do not change it (it is already on-chain once created).
    const updated = await api.challenge.update({ id: out.id, title: "New title" });
    expect(updated.metadataHash).toBe(out.metadataHash);
  });

  it("refuses increasing payout shares and minCorrect 0 (the escrow would revert) with BAD_REQUEST and no write", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, alice) });
    const before = await db.db.challenge.count();
    await expectTRPCError(
      api.challenge.createDraft(draft({ payoutSharesBps: [4000, 6000] })),
      "BAD_REQUEST",
      /must not increase/,
    );
    await expectTRPCError(api.challenge.createDraft(draft({ minCorrect: 0 })), "BAD_REQUEST", /at least 1/);
    expect(await db.db.challenge.count()).toBe(before);
  });

  it("onchainArgs: FORBIDDEN for another organiser, NOT_FOUND for an unknown id, BAD_REQUEST for a bad id", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, alice) });
    await expectTRPCError(api.challenge.onchainArgs({ id: seeded.id }), "FORBIDDEN");
    await expectTRPCError(
      api.challenge.onchainArgs({ id: "00000000-0000-4000-8000-000000000000" }),
      "NOT_FOUND",
    );
    await expectTRPCError(api.challenge.onchainArgs({ id: "7" }), "BAD_REQUEST");
  });
});
