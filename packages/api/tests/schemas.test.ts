// Input schemas at the edges (A6), and the PostgreSQL rate limiter under real concurrency (A7).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { BN254_R } from "@zkarena/zk";
import { UINT256_MAX, address, bytes32, fieldElementString, uint256String } from "../src/schemas.ts";
import { pruneRateLimitBuckets, takeToken } from "../src/services/rate-limit.ts";

describe("input schemas", () => {
  it("accepts exactly the uint256 range", () => {
    expect(uint256String.parse("0")).toBe(0n);
    expect(uint256String.parse(UINT256_MAX.toString())).toBe(UINT256_MAX);
    for (const bad of [
      (UINT256_MAX + 1n).toString(),
      "-1",
      "01",
      "1e3",
      " 1",
      "0x10",
      "1.0",
      "",
      "9".repeat(79),
    ]) {
      expect(uint256String.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("accepts exactly the field elements below r", () => {
    expect(fieldElementString.parse((BN254_R - 1n).toString())).toBe(BN254_R - 1n);
    expect(fieldElementString.safeParse(BN254_R.toString()).success).toBe(false);
    expect(fieldElementString.safeParse(UINT256_MAX.toString()).success).toBe(false);
  });

  it("accepts addresses and 32-byte hashes only in their exact shape, normalised to lower case", () => {
    expect(address.parse("0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266")).toBe(
      "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
    );
    for (const bad of [
      "0x123",
      "f39fd6e51aad88f6f4ce6ab8827279cfffb92266",
      "0xg39fd6e51aad88f6f4ce6ab8827279cfffb92266",
      `0x${"a".repeat(41)}`,
    ]) {
      expect(address.safeParse(bad).success, bad).toBe(false);
    }
    expect(bytes32.safeParse(`0x${"A".repeat(64)}`).success).toBe(true);
    expect(bytes32.safeParse(`0x${"a".repeat(63)}`).success).toBe(false);
  });
});

describe("takeToken on the database", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("grants exactly the burst to concurrent requests on one key, then a retry time", async () => {
    const rule = { capacity: 5, windowSeconds: 3600 };
    const results = await Promise.all(Array.from({ length: 20 }, () => takeToken(db.db, "test:burst", rule)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    const refused = results.filter((r) => !r.allowed);
    expect(refused).toHaveLength(15);
    // One token refills in windowSeconds / capacity = 720 s.
    for (const r of refused) {
      expect(r.retryAfterSeconds).toBeGreaterThan(700);
      expect(r.retryAfterSeconds).toBeLessThanOrEqual(720);
    }
  });

  it("refills over time", async () => {
    // One token comes back every 30 s; the bucket's clock is moved back instead of sleeping, so a
    // slow machine cannot refill it between the takes.
    const rule = { capacity: 2, windowSeconds: 60 };
    expect((await takeToken(db.db, "test:refill", rule)).allowed).toBe(true);
    expect((await takeToken(db.db, "test:refill", rule)).allowed).toBe(true);
    expect((await takeToken(db.db, "test:refill", rule)).allowed).toBe(false);
    const back = async (ms: number) => {
      const row = await db.db.rateLimitBucket.findUniqueOrThrow({ where: { key: "test:refill" } });
      await db.db.rateLimitBucket.update({
        where: { key: "test:refill" },
        data: { updatedAt: new Date(row.updatedAt.getTime() - ms) },
      });
    };
    await back(20_000);
    expect((await takeToken(db.db, "test:refill", rule)).allowed).toBe(false);
    await back(31_000);
    expect((await takeToken(db.db, "test:refill", rule)).allowed).toBe(true);
    expect((await takeToken(db.db, "test:refill", rule)).allowed).toBe(false);
  });

  it("prunes only buckets idle long enough to be full again", async () => {
    const rule = { capacity: 1, windowSeconds: 60 };
    await takeToken(db.db, "test:idle", rule);
    await takeToken(db.db, "test:busy", rule);
    await db.db.rateLimitBucket.update({
      where: { key: "test:idle" },
      data: { updatedAt: new Date(Date.now() - 2 * 3600_000) },
    });
    expect(await pruneRateLimitBuckets(db.db, 3600)).toBe(1);
    expect(await db.db.rateLimitBucket.findUnique({ where: { key: "test:idle" } })).toBeNull();
    expect(await db.db.rateLimitBucket.findUnique({ where: { key: "test:busy" } })).not.toBeNull();
  });
});
