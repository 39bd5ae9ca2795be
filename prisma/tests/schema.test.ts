import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../src/index.ts";
import { ConfigError, readDbEnv } from "../src/env.ts";
import { seedDemo, demoAccounts } from "../src/seed.ts";
import { createTestDb, type TestDb } from "../src/testing.ts";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await seedDemo(t.db, { chainId: 31337, now: new Date("2026-11-25T00:00:00Z") });
});
afterAll(async () => {
  await t?.close();
});

const txHash = `0x${"a".repeat(64)}`;
const blockHash = `0x${"b".repeat(64)}`;

describe("token amounts", () => {
  it("stores uint256 values exactly as Decimal(78,0)", async () => {
    const max = (2n ** 256n - 1n).toString();
    const challenge = await t.db.challenge.findUniqueOrThrow({ where: { slug: "digits-8x8" } });
    const funding = await t.db.funding.create({
      data: {
        challengeId: challenge.id,
        sponsorAddress: demoAccounts.sponsorA,
        amount: new Prisma.Decimal(max),
        chainId: 31337,
        txHash,
        logIndex: 0,
        blockNumber: 12n,
      },
    });
    const read = await t.db.funding.findUniqueOrThrow({ where: { id: funding.id } });
    expect(read.amount.toFixed()).toBe(max);
  });

  it("keeps scale 0: a fractional amount is never stored as a fraction", async () => {
    const challenge = await t.db.challenge.findUniqueOrThrow({ where: { slug: "digits-8x8" } });
    await expect(
      t.db.funding.create({
        data: {
          challengeId: challenge.id,
          sponsorAddress: demoAccounts.sponsorB,
          amount: new Prisma.Decimal("1.5"),
          chainId: 31337,
          txHash,
          logIndex: 99,
          blockNumber: 12n,
        },
      }),
    ).resolves.toMatchObject({ amount: expect.anything() });
    const row = await t.db.funding.findFirstOrThrow({ where: { logIndex: 99 } });
    // Decimal(78,0) has scale 0: PostgreSQL rounds, so callers must pass integers (zod enforces it at the API).
    expect(row.amount.isInteger()).toBe(true);
  });
});

describe("ChainEvent", () => {
  it("rejects the same (chainId, txHash, logIndex) twice, so replayed logs cannot double count", async () => {
    const event = {
      chainId: 31337,
      address: `0x${"1".repeat(40)}`,
      blockNumber: 5n,
      blockHash,
      txHash,
      txIndex: 0,
      logIndex: 3,
      eventName: "ChallengeFunded",
      args: { amount: "10" },
    };
    await t.db.chainEvent.create({ data: event });
    await expect(t.db.chainEvent.create({ data: event })).rejects.toMatchObject({ code: "P2002" });
    expect(await t.db.chainEvent.count({ where: { txHash, logIndex: 3 } })).toBe(1);
  });
});

describe("seedDemo", () => {
  it("is idempotent and creates the demo challenges with valid timelines", async () => {
    const before = await t.db.challenge.count();
    await seedDemo(t.db, { chainId: 31337 });
    expect(await t.db.challenge.count()).toBe(before);
    const demo = await t.db.challenge.findUniqueOrThrow({
      where: { slug: "digits-8x8" },
      include: { organiser: true },
    });
    expect(demo.organiser.displayName).toBe("Digits Lab");
    expect(demo.commitDeadline < demo.revealDeadline && demo.revealDeadline < demo.proveDeadline).toBe(true);
    expect(demo.payoutSharesBps.reduce((a, b) => a + b, 0)).toBe(10_000);
  });
});

describe("readDbEnv", () => {
  it("rejects a malformed DATABASE_URL with a message that shows the expected form", () => {
    expect(() => readDbEnv({ DATABASE_URL: "localhost:5432/zkarena" })).toThrow(ConfigError);
    expect(() => readDbEnv({ DATABASE_URL: "mysql://u@h/db" })).toThrow(/postgresql:\/\/USER/);
  });

  it("treats an empty DATABASE_URL as unset (embedded database)", () => {
    expect(readDbEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });
});
