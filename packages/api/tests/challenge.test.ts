import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { createCaller, createTRPCContext } from "../src/index.ts";
import { alice, bob, callerFor, expectTRPCError, lower, sessionFor, testEnv } from "./helpers.ts";

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
  api = createCaller(
    await createTRPCContext({ headers: new Headers(), db: testDb, env: testEnv(), chain: null }),
  );
});

afterAll(async () => {
  await testDb?.close();
});

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

describe("challenge.createDraft and challenge.update", () => {
  const draft = () => ({
    slug: "new-draft",
    title: "A new draft",
    summary: "Short",
    description: "Long",
    task: "Classify",
    tags: ["tabular"],
    circuitId: "mlp-d4-h3-c3-n4",
    commitDeadline: new Date(Date.now() + day),
    revealDeadline: new Date(Date.now() + 2 * day),
    proveDeadline: new Date(Date.now() + 3 * day),
    payoutSharesBps: [6000, 4000],
    minCorrect: 2,
    organiserBond: "1000000000000000000",
  });

  it("creates a draft organised by the signed-in wallet, with exact amounts", async () => {
    const session = await sessionFor(testDb, alice);
    const { api: signedIn } = await callerFor(testDb, { session });
    const c = await signedIn.challenge.createDraft(draft());
    expect(c).toMatchObject({
      state: "DRAFT",
      organiserAddress: lower(alice),
      organiserBond: "1000000000000000000",
    });
    await expectTRPCError(signedIn.challenge.createDraft(draft()), "CONFLICT", /slug "new-draft" is taken/);
  });

  it("is UNAUTHORIZED without a session", async () => {
    await expectTRPCError(api.challenge.createDraft(draft()), "UNAUTHORIZED");
  });

  it("rejects invalid drafts with BAD_REQUEST and writes nothing (A6)", async () => {
    const session = await sessionFor(testDb, bob);
    const { api: signedIn } = await callerFor(testDb, { session });
    const before = await testDb.db.challenge.count();
    const bad: Record<string, unknown>[] = [
      { organiserBond: (1n << 256n).toString() },
      { organiserBond: "-1" },
      { organiserBond: "1e18" },
      { tokenAddress: "0x1234" },
      { payoutSharesBps: [5000, 4000] },
      { payoutSharesBps: Array.from({ length: 11 }, () => 1000) },
      { circuitId: "mlp-d9-h9-c9-n9" },
      { revealDeadline: new Date(Date.now() + 4 * day) },
      { commitDeadline: new Date(Date.now() - day) },
      { proveDeadline: new Date(Date.now() + 3 * 365 * day) },
      { slug: "../admin" },
      { tags: ["x".repeat(33)] },
      { title: "x".repeat(121) },
      { isAdmin: true },
    ];
    for (const change of bad) {
      const input = { ...draft(), slug: "bad-draft", ...change } as ReturnType<typeof draft>;
      await expectTRPCError(signedIn.challenge.createDraft(input), "BAD_REQUEST");
    }
    expect(await testDb.db.challenge.count()).toBe(before);
  });

  it("lets only the organiser update, and only before the commit deadline", async () => {
    const aliceSession = await sessionFor(testDb, alice);
    const bobSession = await sessionFor(testDb, bob);
    const { api: asAlice } = await callerFor(testDb, { session: aliceSession });
    const { api: asBob } = await callerFor(testDb, { session: bobSession });
    const c = await asAlice.challenge.createDraft({ ...draft(), slug: "editable" });
    expect((await asAlice.challenge.update({ id: c.id, title: "Edited" })).title).toBe("Edited");
    await expectTRPCError(asBob.challenge.update({ id: c.id, title: "Hijacked" }), "FORBIDDEN");
    await expectTRPCError(api.challenge.update({ id: c.id, title: "Anon" }), "UNAUTHORIZED");
    await expectTRPCError(asAlice.challenge.update({ id: c.id }), "BAD_REQUEST", /nothing to update/);
    // The organiser is not editable: unknown keys are refused.
    const hijack = { id: c.id, organiserAddress: lower(bob) } as unknown as { id: string; title: string };
    await expectTRPCError(asAlice.challenge.update(hijack), "BAD_REQUEST");
    expect((await testDb.db.challenge.findUniqueOrThrow({ where: { id: c.id } })).title).toBe("Edited");
    await testDb.db.challenge.update({
      where: { id: c.id },
      data: { commitDeadline: new Date(Date.now() - 1000) },
    });
    await expectTRPCError(
      asAlice.challenge.update({ id: c.id, title: "Late" }),
      "CONFLICT",
      /commit deadline has passed/,
    );
  });
});
