import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { createCaller, createTRPCContext } from "../src/index.ts";

const organiser = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const day = 24 * 60 * 60 * 1000;
const base = Date.UTC(2030, 0, 1);

let testDb: TestDb;
let api: ReturnType<typeof createCaller>;

async function seedChallenge(
  slug: string,
  i: number,
  extra: { state?: "OPEN" | "SETTLED"; title?: string; tags?: string[] } = {},
) {
  await testDb.db.challenge.create({
    data: {
      slug,
      title: extra.title ?? `Challenge ${slug}`,
      summary: `Summary of ${slug}`,
      description: `# ${slug}\n\nLong description.`,
      task: "Classify 8×8 handwritten digits (10 classes)",
      tags: extra.tags ?? ["vision"],
      modelFamily: "MLP",
      circuitId: "mlp-d64-h16-c10-n32",
      state: extra.state ?? "OPEN",
      organiserAddress: organiser,
      chainId: 31337,
      commitDeadline: new Date(base + i * day),
      revealDeadline: new Date(base + (i + 1) * day),
      proveDeadline: new Date(base + (i + 2) * day),
      payoutSharesBps: [5000, 3000, 2000],
      minCorrect: 10,
      potCached: "1000000000000000000",
    },
  });
}

beforeAll(async () => {
  testDb = await createTestDb();
  await testDb.db.account.create({ data: { address: organiser } });
  // Inserted out of deadline order on purpose.
  await seedChallenge("digits-c", 3, { title: "Digits, third" });
  await seedChallenge("digits-a", 1, { title: "Digits, first", tags: ["vision", "mnist"] });
  await seedChallenge("iris-b", 2, { title: "Iris flowers", state: "SETTLED", tags: ["tabular"] });
  await seedChallenge("wine-d", 4, { title: "Wine quality", tags: ["tabular"] });
  api = createCaller(await createTRPCContext({ headers: new Headers(), db: testDb }));
});

afterAll(async () => {
  await testDb?.close();
});

async function expectTRPCError(promise: Promise<unknown>, code: TRPCError["code"]): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

describe("challenge.list", () => {
  it("returns challenges ordered by commit deadline", async () => {
    const page = await api.challenge.list();
    expect(page.items.map((c) => c.slug)).toEqual(["digits-a", "iris-b", "digits-c", "wine-d"]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]?.potCached).toBe("1000000000000000000");
    expect(page.items[0]?.commitDeadline).toBeInstanceOf(Date);
  });

  it("filters by state", async () => {
    const page = await api.challenge.list({ state: "SETTLED" });
    expect(page.items.map((c) => c.slug)).toEqual(["iris-b"]);
  });

  it("searches titles, summaries, slugs and tags case-insensitively", async () => {
    expect((await api.challenge.list({ search: "DIGITS" })).items.map((c) => c.slug)).toEqual([
      "digits-a",
      "digits-c",
    ]);
    expect((await api.challenge.list({ search: "tabular" })).items.map((c) => c.slug)).toEqual([
      "iris-b",
      "wine-d",
    ]);
    expect((await api.challenge.list({ search: "nothing like this" })).items).toEqual([]);
  });

  it("paginates with a cursor without overlaps or gaps", async () => {
    const first = await api.challenge.list({ limit: 3 });
    expect(first.items.map((c) => c.slug)).toEqual(["digits-a", "iris-b", "digits-c"]);
    expect(first.nextCursor).toBe(first.items[2]?.id);
    const second = await api.challenge.list({ limit: 3, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((c) => c.slug)).toEqual(["wine-d"]);
    expect(second.nextCursor).toBeNull();
  });

  it("rejects a limit of 0 with BAD_REQUEST and changes nothing", async () => {
    const before = await testDb.db.challenge.count();
    const error = await expectTRPCError(api.challenge.list({ limit: 0 }), "BAD_REQUEST");
    expect(error.message).toContain("limit must be between 1 and 50");
    expect(await testDb.db.challenge.count()).toBe(before);
  });

  it("rejects a limit above 50", async () => {
    await expectTRPCError(api.challenge.list({ limit: 51 }), "BAD_REQUEST");
  });

  it("rejects a search longer than 100 characters with BAD_REQUEST and changes nothing", async () => {
    const before = await testDb.db.challenge.count();
    const error = await expectTRPCError(api.challenge.list({ search: "x".repeat(101) }), "BAD_REQUEST");
    expect(error.message).toContain("search must be at most 100 characters");
    expect(await testDb.db.challenge.count()).toBe(before);
  });

  it("rejects an unknown state", async () => {
    // @ts-expect-error — deliberately invalid input
    await expectTRPCError(api.challenge.list({ state: "PAUSED" }), "BAD_REQUEST");
  });
});

describe("challenge.bySlug", () => {
  it("returns the challenge with its details", async () => {
    const c = await api.challenge.bySlug({ slug: "iris-b" });
    expect(c.title).toBe("Iris flowers");
    expect(c.state).toBe("SETTLED");
    expect(c.description).toContain("Long description");
    expect(c.payoutSharesBps).toEqual([5000, 3000, 2000]);
    expect(c.organiserBond).toBe("0");
  });

  it("rejects an unknown slug with NOT_FOUND and a clear message", async () => {
    const error = await expectTRPCError(api.challenge.bySlug({ slug: "no-such-challenge" }), "NOT_FOUND");
    expect(error.message).toContain('No challenge with the slug "no-such-challenge"');
  });

  it("rejects a malformed slug with BAD_REQUEST", async () => {
    await expectTRPCError(api.challenge.bySlug({ slug: "../etc/passwd" }), "BAD_REQUEST");
  });
});
