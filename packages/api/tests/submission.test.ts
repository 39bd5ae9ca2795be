// submission.* and leaderboard.* on the database (threats A5, A6, A7): the public-proof submission's
// checks (each refusal typed, with no side effect), the live public leaderboard's ranking (the
// escrow's tie-break), profiles, and the allow-list's new public reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { testCommitment } from "@zkarena/zk";
import { alice, bob, callerFor, carol, expectTRPCError, lower, sessionFor, testEnv } from "./helpers.ts";
import { CI_SHAPE, seedCommitment, seedOnchainChallenge, type SeededChallenge } from "./fixtures.ts";

let db: TestDb;
let challenge: SeededChallenge;
const organiser = lower(carol);
const modelCommitmentOf = { alice: 111n, bob: 222n };
let batchCommitments: bigint[];

/** A well-formed snarkjs proof object (the job verifies it; the submission only checks its form). */
const fakeProof = {
  pi_a: ["1", "2", "1"],
  pi_b: [
    ["3", "4"],
    ["5", "6"],
    ["1", "0"],
  ],
  pi_c: ["7", "8", "1"],
  protocol: "groth16",
  curve: "bn128",
} as {
  pi_a: [string, string, "1"];
  pi_b: [[string, string], [string, string], ["1", "0"]];
  pi_c: [string, string, "1"];
  protocol: "groth16";
  curve: "bn128";
};

function signals(who: string, over: Partial<Record<0 | 1 | 2 | 3 | 4, string>> = {}, batch = 0): string[] {
  const base = [
    (who === lower(alice) ? modelCommitmentOf.alice : modelCommitmentOf.bob).toString(),
    (batchCommitments[batch] as bigint).toString(),
    "3",
    challenge.onchainId.toString(),
    BigInt(who).toString(),
  ];
  for (const [i, v] of Object.entries(over)) base[Number(i)] = v as string;
  return base;
}

beforeAll(async () => {
  db = await createTestDb();
  challenge = await seedOnchainChallenge(db, organiser, { batches: 2 });
  batchCommitments = await Promise.all(
    [0, 1].map((b) =>
      testCommitment(CI_SHAPE, challenge.publicSamples.slice(b * CI_SHAPE.N, (b + 1) * CI_SHAPE.N), 0n),
    ),
  );
  await seedCommitment(db, challenge.id, lower(alice), modelCommitmentOf.alice);
  await seedCommitment(db, challenge.id, lower(bob), modelCommitmentOf.bob);
});

afterAll(async () => {
  await db?.close();
});

const proofCount = () => db.db.proof.count();

describe("submission.publicBatches", () => {
  it("lists the public split's batches with their commitments under test salt 0", async () => {
    const { api } = await callerFor(db, { session: null });
    const out = await api.submission.publicBatches({ challengeId: challenge.id });
    expect(out.batchSize).toBe(4);
    expect(out.testSalt).toBe("0");
    expect(out.batches.map((b) => b.commitment)).toEqual(batchCommitments.map(String));
    expect(out.batches.map((b) => [b.from, b.to])).toEqual([
      [0, 4],
      [4, 8],
    ]);
  });
});

describe("submission.submitPublicProof", () => {
  it("stores the proof PENDING with the score and batch, and reports whether it was queued", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, alice) });
    const out = await api.submission.submitPublicProof({
      challengeId: challenge.id,
      batchIndex: 1,
      proof: fakeProof,
      publicSignals: signals(lower(alice), {}, 1),
    });
    expect(out).toMatchObject({
      status: "PENDING",
      correct: 3,
      total: 4,
      batchIndex: 1,
      competitor: lower(alice),
    });
    // No runner has created the queue on this database: the proof waits for the runner's sweep.
    expect(out.queued).toBe(false);
    const stored = await db.db.proof.findUniqueOrThrow({ where: { id: out.id } });
    expect(stored.publicSignals).toEqual(signals(lower(alice), {}, 1));
    expect(stored.proof).toEqual(fakeProof);
    const { api: anon } = await callerFor(db, { session: null });
    expect((await anon.submission.byId({ id: out.id })).status).toBe("PENDING");
  });

  it("refuses the same result twice with CONFLICT (replay key: the public inputs)", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, alice) });
    const before = await proofCount();
    await expectTRPCError(
      api.submission.submitPublicProof({
        challengeId: challenge.id,
        batchIndex: 1,
        proof: { ...fakeProof, pi_a: ["9", "9", "1"] as [string, string, "1"] },
        publicSignals: signals(lower(alice), {}, 1),
      }),
      "CONFLICT",
      /already submitted/,
    );
    expect(await proofCount()).toBe(before);
  });

  it("answers UNAUTHORIZED without a session and writes nothing", async () => {
    const { api } = await callerFor(db, { session: null });
    const before = await proofCount();
    await expectTRPCError(
      api.submission.submitPublicProof({
        challengeId: challenge.id,
        proof: fakeProof,
        publicSignals: signals(lower(bob)),
      }),
      "UNAUTHORIZED",
    );
    expect(await proofCount()).toBe(before);
  });

  it("answers FORBIDDEN to the challenge's organiser (no self-participation, T3) and writes nothing", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, carol) });
    const before = await proofCount();
    await expectTRPCError(
      api.submission.submitPublicProof({
        challengeId: challenge.id,
        proof: fakeProof,
        publicSignals: signals(lower(carol)),
      }),
      "FORBIDDEN",
      /organiser/,
    );
    expect(await proofCount()).toBe(before);
  });

  const invalid: [string, (who: string) => Record<string, unknown>, RegExp][] = [
    ["a signal ≥ r", (w) => ({ publicSignals: signals(w, { 2: (2n ** 254n).toString() }) }), /field element/],
    ["4 signals", (w) => ({ publicSignals: signals(w).slice(0, 4) }), /5 signals/],
    ["a non-decimal signal", (w) => ({ publicSignals: signals(w, { 0: "0x10" }) }), /decimal/],
    [
      "another submitter",
      (w) => ({ publicSignals: signals(w, { 4: BigInt(lower(carol)).toString() }) }),
      /submitter/,
    ],
    ["another challenge id", (w) => ({ publicSignals: signals(w, { 3: "1" }) }), /challengeId/],
    [
      "someone else's model commitment",
      (w) => ({ publicSignals: signals(w, { 0: "333" }) }),
      /modelCommitment/,
    ],
    [
      "another batch's test commitment",
      (w) => ({ publicSignals: signals(w, {}, 1), batchIndex: 0 }),
      /testCommitment/,
    ],
    [
      "a batch beyond the split",
      (w) => ({ batchIndex: 2, publicSignals: signals(w) }),
      /batchIndex must be below 2/,
    ],
    ["correct above the batch size", (w) => ({ publicSignals: signals(w, { 2: "5" }) }), /cannot exceed/],
    [
      "a proof coordinate ≥ q",
      (w) => ({
        proof: { ...fakeProof, pi_c: [(2n ** 255n).toString(), "8", "1"] },
        publicSignals: signals(w),
      }),
      /base field/,
    ],
    [
      "a PLONK proof",
      (w) => ({ proof: { ...fakeProof, protocol: "plonk" }, publicSignals: signals(w) }),
      /groth16/,
    ],
    ["an unknown key", (w) => ({ publicSignals: signals(w), extra: 1 }), /Unrecognized key|unrecognized/i],
  ];
  for (const [what, patch, message] of invalid) {
    it(`rejects ${what} with BAD_REQUEST and writes nothing`, async () => {
      const { api } = await callerFor(db, { session: await sessionFor(db, bob) });
      const before = await proofCount();
      const input = { challengeId: challenge.id, proof: fakeProof, ...patch(lower(bob)) };
      await expectTRPCError(
        api.submission.submitPublicProof(input as Parameters<typeof api.submission.submitPublicProof>[0]),
        "BAD_REQUEST",
        message,
      );
      expect(await proofCount()).toBe(before);
    });
  }

  it("refuses a competitor without an indexed commitment with PRECONDITION_FAILED", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, bob) });
    const other = await seedOnchainChallenge(db, organiser);
    await expectTRPCError(
      api.submission.submitPublicProof({
        challengeId: other.id,
        proof: fakeProof,
        publicSignals: ["1", "2", "3", other.onchainId.toString(), BigInt(lower(bob)).toString()],
      }),
      "PRECONDITION_FAILED",
      /commit on-chain/,
    );
  });

  it("rate-limits writes per address (A7): the request after the budget gets TOO_MANY_REQUESTS and writes nothing", async () => {
    const env = testEnv({ RATE_LIMIT_WRITE_PER_MINUTE: "2" });
    const session = await sessionFor(db, bob, env);
    const { api } = await callerFor(db, { session, env, clientIp: "198.51.100.9" });
    for (const correct of ["1", "2"]) {
      await api.submission.submitPublicProof({
        challengeId: challenge.id,
        proof: fakeProof,
        publicSignals: signals(lower(bob), { 2: correct }),
      });
    }
    const before = await proofCount();
    await expectTRPCError(
      api.submission.submitPublicProof({
        challengeId: challenge.id,
        proof: fakeProof,
        publicSignals: signals(lower(bob), { 2: "4" }),
      }),
      "TOO_MANY_REQUESTS",
      /Retry after/,
    );
    expect(await proofCount()).toBe(before);
  });
});

describe("submission.mine / byCompetitor", () => {
  it("lists the caller's own commitments and proofs; UNAUTHORIZED without a session", async () => {
    const { api } = await callerFor(db, { session: await sessionFor(db, alice) });
    const mine = await api.submission.mine({ challengeId: challenge.id });
    expect(mine.competitor).toBe(lower(alice));
    expect(mine.commitments.map((c) => c.commitment)).toEqual(["111"]);
    expect(mine.proofs.every((p) => p.competitor === lower(alice))).toBe(true);
    const { api: anon } = await callerFor(db, { session: null });
    await expectTRPCError(anon.submission.mine(), "UNAUTHORIZED");
    const theirs = await anon.submission.byCompetitor({ address: alice.address });
    expect(theirs.proofs.length).toBe(mine.proofs.length);
    await expectTRPCError(anon.submission.byCompetitor({ address: "0x1234" }), "BAD_REQUEST", /address/);
  });
});

describe("leaderboard.public", () => {
  it("ranks by correct desc, commit time asc, address asc; sums best-per-batch of the current commitment", async () => {
    const c = await seedOnchainChallenge(db, organiser, { batches: 2 });
    const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
    const who = {
      a: "0x00000000000000000000000000000000000000aa",
      b: "0x00000000000000000000000000000000000000bb",
      c: "0x00000000000000000000000000000000000000cc",
      d: "0x00000000000000000000000000000000000000dd",
      e: "0x0000000000000000000000000000000000000abc",
    };
    await seedCommitment(db, c.id, who.a, 1n, t(10));
    await seedCommitment(db, c.id, who.b, 2n, t(5)); // same score as a, earlier commit: above a
    await seedCommitment(db, c.id, who.c, 3n, t(10)); // same score and time as a, higher address: below a
    await seedCommitment(db, c.id, who.d, 4n, t(1)); // only proofs of an old commitment: not ranked
    await seedCommitment(db, c.id, who.e, 5n, t(1)); // a REJECTED proof only: not ranked
    const proof = (
      competitor: string,
      commitment: string,
      batchIndex: number,
      correct: number,
      status = "VERIFIED",
    ) =>
      db.db.proof.create({
        data: {
          challengeId: c.id,
          competitorAddress: competitor,
          split: "PUBLIC",
          batchIndex,
          circuitId: "mlp-d4-h3-c3-n4",
          modelCommitment: commitment,
          publicSignals: [],
          proof: {},
          correct,
          total: 4,
          status: status as "VERIFIED",
        },
      });
    const a0 = await proof(who.a, "1", 0, 3);
    await proof(who.a, "1", 0, 2); // worse proof of the same batch: the best counts
    const a1 = await proof(who.a, "1", 1, 2); // a: 3 + 2 = 5
    await proof(who.b, "2", 0, 4);
    await proof(who.b, "2", 1, 1); // b: 5
    await proof(who.c, "3", 0, 4);
    await proof(who.c, "3", 1, 1); // c: 5
    await proof(who.d, "999", 0, 4); // d re-committed since
    await proof(who.e, "5", 0, 4, "REJECTED");
    const { api } = await callerFor(db, { session: null });
    const board = await api.leaderboard.public({ challengeId: c.id });
    expect(board.rows.map((r) => [r.rank, r.competitor, r.correct, r.batches])).toEqual([
      [1, who.b, 5, 2],
      [2, who.a, 5, 2],
      [3, who.c, 5, 2],
    ]);
    expect(board.competitors).toBe(3);
    // Each row names the proofs it sums (one query for the page, not one per competitor).
    const rowA = board.rows.find((r) => r.competitor === who.a)!;
    expect(rowA.proofs.map((p) => [p.id, p.batchIndex, p.correct, p.total])).toEqual([
      [a0.id, 0, 3, 4],
      [a1.id, 1, 2, 4],
    ]);
    expect(rowA.submittedAt).toEqual(a1.createdAt);
    for (const row of board.rows) {
      expect(row.proofs.reduce((n, p) => n + p.correct, 0)).toBe(row.correct);
    }
    const page2 = await api.leaderboard.public({ challengeId: c.id, limit: 2, offset: 2 });
    expect(page2.rows.map((r) => [r.rank, r.competitor])).toEqual([[3, who.c]]);
  });

  it("answers NOT_FOUND for an unknown challenge and BAD_REQUEST for bounds", async () => {
    const { api } = await callerFor(db, { session: null });
    await expectTRPCError(
      api.leaderboard.public({ challengeId: "00000000-0000-4000-8000-000000000000" }),
      "NOT_FOUND",
    );
    await expectTRPCError(
      api.leaderboard.public({ challengeId: challenge.id, limit: 101 }),
      "BAD_REQUEST",
      /limit/,
    );
    await expectTRPCError(api.leaderboard.public({ challengeId: "x" }), "BAD_REQUEST", /UUID/);
  });
});

describe("leaderboard.hidden / competitor", () => {
  it("refuses to answer the hidden leaderboard from the cache when the chain cannot be read, unless asked", async () => {
    const { api } = await callerFor(db, { session: null });
    await expectTRPCError(
      api.leaderboard.hidden({ challengeId: challenge.id }),
      "SERVICE_UNAVAILABLE",
      /escrow/,
    );
    const indexed = await api.leaderboard.hidden({ challengeId: challenge.id, allowIndexed: true });
    expect(indexed.source).toBe("indexed");
  });

  it("builds a profile with wins and per-token earnings from indexed payouts", async () => {
    const winner = lower(alice);
    await db.db.payout.createMany({
      data: [0, 1].map((rank) => ({
        challengeId: challenge.id,
        recipientAddress: winner,
        kind: "PRIZE" as const,
        amount: "1000000000000000000",
        rank,
        chainId: 31337,
        txHash: `0x${"f".repeat(63)}${rank}`,
        logIndex: 0,
        blockNumber: 5n,
      })),
    });
    const { api } = await callerFor(db, { session: null });
    const read = () =>
      api.leaderboard.competitor({ address: alice.address.toUpperCase().replace("0X", "0x") });
    // Indexed at block 5 but final only up to block 4: listed, not counted (a reorg may remove them).
    const { escrowAddress } = await db.db.challenge.findUniqueOrThrow({ where: { id: challenge.id } });
    const escrow = escrowAddress!;
    await db.db.indexerCursor.upsert({
      where: { chainId_address: { chainId: 31337, address: escrow } },
      create: {
        chainId: 31337,
        address: escrow,
        blockNumber: 6n,
        blockHash: `0x${"a".repeat(64)}`,
        finalizedBlockNumber: 4n,
      },
      update: { blockNumber: 6n, finalizedBlockNumber: 4n },
    });
    const early = await read();
    expect([early.wins, early.podiums, early.pendingPrizes, early.earnings]).toEqual([0, 0, 2, []]);
    expect(early.prizes.map((p) => p.final)).toEqual([false, false]);
    await db.db.indexerCursor.update({
      where: { chainId_address: { chainId: 31337, address: escrow } },
      data: { finalizedBlockNumber: 5n },
    });
    const profile = await read();
    expect(profile.pendingPrizes).toBe(0);
    expect(profile.wins).toBe(1);
    expect(profile.podiums).toBe(2);
    expect(profile.earnings).toEqual([
      { token: null, symbol: "ETH", decimals: 18, amount: "2000000000000000000" },
    ]);
    expect(profile.challenges.map((c) => c.challengeId)).toContain(challenge.id);
  });
});

describe("sponsor (no chain)", () => {
  it("answers SERVICE_UNAVAILABLE rather than money from the cache (I3)", async () => {
    const { api } = await callerFor(db, { session: null });
    await expectTRPCError(
      api.sponsor.byChallenge({ challengeId: challenge.id }),
      "SERVICE_UNAVAILABLE",
      /read only from the escrow/,
    );
    await expectTRPCError(api.sponsor.bySponsor({ address: alice.address }), "SERVICE_UNAVAILABLE");
    await expectTRPCError(
      api.sponsor.byChallenge({ challengeId: challenge.id, limit: 51 }),
      "BAD_REQUEST",
      /limit/,
    );
  });
});
