// Deny by default (threat A5): walks the whole router; every procedure that is not on the explicit
// public allow-list must answer UNAUTHORIZED without a session. Adding a procedure built from
// `publicProcedure` without listing it here fails this test. Also the ownership helpers (BOLA).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { appRouter } from "../src/root.ts";
import { requireCommitmentOwner, requireOrganiser } from "../src/services/authz.ts";
import { alice, bob, callerFor, expectTRPCError, lower, sessionFor } from "./helpers.ts";

/** Procedures anyone may call, each with the reason. Keep this list short and justified. */
const PUBLIC_PROCEDURES: Record<string, string> = {
  "status.get": "health of the database/chain/contracts, no user data",
  "auth.nonce": "starts a sign-in; rate-limited per IP",
  "auth.verify": "completes a sign-in; rate-limited per IP and address",
  "auth.me": "answers null without a session",
  "challenge.list": "public challenge metadata",
  "challenge.bySlug": "public challenge metadata",
  "challenge.byId": "public challenge metadata, indexed timeline, pot read from the escrow",
  "sponsor.byChallenge": "pot, deposits and refunds owed are public on-chain state (view calls)",
  "sponsor.bySponsor": "a sponsor's deposits are public on-chain state (view calls)",
  "submission.byCompetitor": "commitments and proofs are public (anyone can re-verify a proof)",
  "submission.byId": "a proof's status and public signals are public",
  "submission.publicBatches": "commitments of the public split, which is itself public",
  "leaderboard.public": "public leaderboard",
  "leaderboard.hidden": "the escrow's leaderboard is public on-chain state",
  "leaderboard.competitor": "public profile: commitments, indexed payouts",
  "dataset.list": "split metadata; a hidden split's hash only after release",
  "dataset.download": "train/public splits are public; the hidden split only after its final on-chain reveal",
};

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
});

afterAll(async () => {
  await db?.close();
});

function procedurePaths(): string[] {
  return Object.keys(appRouter._def.procedures as Record<string, unknown>).sort();
}

type Callable = (input?: unknown) => Promise<unknown>;

function procedureAt(caller: unknown, path: string): Callable {
  let node: unknown = caller;
  for (const part of path.split(".")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "function") throw new Error(`no procedure at ${path}`);
  return node as Callable;
}

describe("the router", () => {
  it("lists every procedure flat, and every allow-listed procedure exists", () => {
    const paths = procedurePaths();
    expect(paths).toContain("auth.signOut");
    expect(paths).toContain("dataset.uploadHidden");
    for (const p of Object.keys(PUBLIC_PROCEDURES))
      expect(paths, `${p} is allow-listed but gone`).toContain(p);
  });

  it("answers UNAUTHORIZED without a session for every procedure not on the public allow-list", async () => {
    const { api } = await callerFor(db, { session: null });
    const protectedPaths = procedurePaths().filter((p) => !(p in PUBLIC_PROCEDURES));
    expect(protectedPaths.length).toBeGreaterThanOrEqual(3);
    const before = await db.db.datasetSplit.count();
    for (const path of protectedPaths) {
      const error = await procedureAt(
        api,
        path,
      )(undefined).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `${path} ran without a session: make it protected or allow-list it`).toBeInstanceOf(
        TRPCError,
      );
      expect((error as TRPCError).code, `${path} must require a session`).toBe("UNAUTHORIZED");
    }
    expect(await db.db.datasetSplit.count()).toBe(before);
  });
});

describe("ownership helpers", () => {
  it("requireOrganiser: FORBIDDEN for another address, NOT_FOUND for an unknown id, the challenge for its organiser", async () => {
    const aliceSession = await sessionFor(db, alice);
    const bobSession = await sessionFor(db, bob);
    const c = await db.db.challenge.create({
      data: {
        slug: "owned",
        title: "t",
        summary: "s",
        description: "d",
        task: "t",
        modelFamily: "MLP",
        circuitId: "mlp-d4-h3-c3-n4",
        organiserAddress: lower(alice),
        chainId: 31337,
        commitDeadline: new Date(Date.now() + 86_400_000),
        revealDeadline: new Date(Date.now() + 2 * 86_400_000),
        proveDeadline: new Date(Date.now() + 3 * 86_400_000),
        payoutSharesBps: [10_000],
        minCorrect: 1,
      },
    });
    expect((await requireOrganiser(db.db, aliceSession, c.id)).id).toBe(c.id);
    await expectTRPCError(requireOrganiser(db.db, bobSession, c.id), "FORBIDDEN", /organiser/);
    await expectTRPCError(
      requireOrganiser(db.db, aliceSession, "00000000-0000-4000-8000-000000000000"),
      "NOT_FOUND",
    );

    const m = await db.db.modelCommitment.create({
      data: {
        challengeId: c.id,
        competitorAddress: lower(bob),
        commitment: "0x01",
        committedAt: new Date(),
        chainId: 31337,
        txHash: `0x${"ab".repeat(32)}`,
        blockNumber: 1n,
        logIndex: 0,
      },
    });
    expect((await requireCommitmentOwner(db.db, bobSession, m.id)).id).toBe(m.id);
    await expectTRPCError(
      requireCommitmentOwner(db.db, aliceSession, m.id),
      "FORBIDDEN",
      /another competitor/,
    );
    await expectTRPCError(
      requireCommitmentOwner(db.db, bobSession, "00000000-0000-4000-8000-000000000000"),
      "NOT_FOUND",
    );
  });
});
