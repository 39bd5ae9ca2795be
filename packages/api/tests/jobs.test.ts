// The proof-verification jobs on pg-boss with real Groth16 proofs of the CI circuit (mlp-d4-h3-c3-n4):
// a proof submitted before any runner is swept up and VERIFIED, a tampered one is REJECTED with the
// reason, and a verification that keeps throwing is retried with backoff and ends FAILED (the
// dead-letter state) — visible through submission.byId — with its job in the dead-letter queue.
// Runs on the test database: PostgreSQL with DATABASE_URL (pg-boss on its own pool), else PGlite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { releaseProverThreads } from "@zkarena/zk/node";
import { startJobRunner, VERIFY_DEAD_LETTER, type JobRunner } from "../src/jobs/index.ts";
import { alice, bob, callerFor, lower, sessionFor } from "./helpers.ts";
import {
  competitorModel,
  ensureCiCircuit,
  provePublic,
  seedCommitment,
  seedOnchainChallenge,
  type Competitor,
  type SeededChallenge,
} from "./fixtures.ts";

let db: TestDb;
let challenge: SeededChallenge;
let aliceModel: Competitor;
let bobModel: Competitor;
let runner: JobRunner | null = null;
const quiet = { info() {}, warn() {}, error() {} };

async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 45_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const proofStatus = async (id: string) => {
  const { api } = await callerFor(db, { session: null });
  return api.submission.byId({ id });
};

beforeAll(async () => {
  await ensureCiCircuit();
  db = await createTestDb();
  challenge = await seedOnchainChallenge(db, "0x000000000000000000000000000000000000c0de", {
    batches: 1,
    seed: 5,
  });
  aliceModel = await competitorModel(11);
  bobModel = await competitorModel(12);
  await seedCommitment(db, challenge.id, lower(alice), aliceModel.commitment);
  await seedCommitment(db, challenge.id, lower(bob), bobModel.commitment);
}, 900_000);

afterAll(async () => {
  await runner?.stop();
  await db?.close();
  await releaseProverThreads();
});

describe("verify-public-proof", () => {
  let aliceProofId = "";

  it("verifies a real proof submitted before any runner started (the runner's sweep queues it)", async () => {
    const { proof, publicSignals } = await provePublic(challenge, aliceModel, lower(alice));
    const { api } = await callerFor(db, { session: await sessionFor(db, alice) });
    const submitted = await api.submission.submitPublicProof({
      challengeId: challenge.id,
      proof: proof as never,
      publicSignals,
    });
    expect(submitted.queued).toBe(false);
    aliceProofId = submitted.id;

    runner = await startJobRunner({
      databaseUrl: db.url,
      db,
      log: quiet,
      retry: { limit: 2, delaySeconds: 1, maxDelaySeconds: 1 },
      pollingIntervalSeconds: 0.5,
      sweepIntervalMs: 1_000,
    });
    const verified = await until(
      "VERIFIED",
      () => proofStatus(aliceProofId),
      (p) => p.status !== "PENDING",
    );
    expect(verified).toMatchObject({ status: "VERIFIED", error: null, attempts: 1 });
    expect(verified.verifiedAt).toBeInstanceOf(Date);

    const { api: anon } = await callerFor(db, { session: null });
    const board = await anon.leaderboard.public({ challengeId: challenge.id });
    expect(board.rows.map((r) => [r.competitor, r.correct])).toEqual([
      [lower(alice), Number(publicSignals[2])],
    ]);
    // The refresh-leaderboard job the verification queued writes the snapshot.
    const snapshot = await until(
      "a PUBLIC snapshot",
      () =>
        db.db.leaderboardSnapshot.findUnique({
          where: { challengeId_split: { challengeId: challenge.id, split: "PUBLIC" } },
        }),
      (s) => s !== null,
    );
    expect((snapshot?.rows as { competitor: string }[]).map((r) => r.competitor)).toEqual([lower(alice)]);
  }, 120_000);

  it("rejects a tampered proof (another score under the same proof) with the reason; nothing is retried", async () => {
    const { proof, publicSignals } = await provePublic(challenge, bobModel, lower(bob));
    const claimed = Number(publicSignals[2]) === 4 ? "3" : String(Number(publicSignals[2]) + 1);
    const { api } = await callerFor(db, { session: await sessionFor(db, bob) });
    const submitted = await api.submission.submitPublicProof({
      challengeId: challenge.id,
      proof: proof as never,
      publicSignals: [
        publicSignals[0],
        publicSignals[1],
        claimed,
        publicSignals[3],
        publicSignals[4],
      ] as string[],
    });
    expect(submitted.queued).toBe(true);
    const done = await until(
      "a verdict",
      () => proofStatus(submitted.id),
      (p) => p.status !== "PENDING",
    );
    expect(done.status).toBe("REJECTED");
    expect(done.error).toMatch(/does not verify/);
    expect(done.attempts).toBe(1);
    const { api: anon } = await callerFor(db, { session: null });
    const board = await anon.leaderboard.public({ challengeId: challenge.id });
    expect(board.rows.map((r) => r.competitor)).not.toContain(lower(bob));
  }, 120_000);

  it("rejects a proof whose points are not on the curve", async () => {
    const { proof, publicSignals } = await provePublic(challenge, bobModel, lower(bob));
    const broken = { ...proof, pi_a: ["1", "3", "1"] };
    const { api } = await callerFor(db, { session: await sessionFor(db, bob) });
    const submitted = await api.submission.submitPublicProof({
      challengeId: challenge.id,
      proof: broken as never,
      publicSignals,
    });
    const done = await until(
      "a verdict",
      () => proofStatus(submitted.id),
      (p) => p.status !== "PENDING",
    );
    expect(done.status).toBe("REJECTED");
  }, 120_000);

  it("retries a verification that throws with backoff, then marks the proof FAILED with the error (dead letter)", async () => {
    await runner?.stop();
    let calls = 0;
    runner = await startJobRunner({
      databaseUrl: db.url,
      db,
      log: quiet,
      retry: { limit: 2, delaySeconds: 1, maxDelaySeconds: 1 },
      pollingIntervalSeconds: 0.5,
      sweepIntervalMs: 60_000,
      loadVerificationKey: () => {
        calls += 1;
        return Promise.reject(new Error("verification key store unreachable"));
      },
    });
    const { proof, publicSignals } = await provePublic(challenge, bobModel, lower(bob));
    const { api } = await callerFor(db, { session: await sessionFor(db, bob) });
    const submitted = await api.submission.submitPublicProof({
      challengeId: challenge.id,
      proof: proof as never,
      publicSignals,
    });
    const during = await until(
      "a first failed attempt",
      () => proofStatus(submitted.id),
      (p) => p.attempts >= 1 && p.error !== null,
    );
    expect(during.status).toBe("PENDING");
    expect(during.error).toMatch(/Attempt 1 of 3 failed .*unreachable.*retrying/);
    const failed = await until(
      "FAILED",
      () => proofStatus(submitted.id),
      (p) => p.status === "FAILED",
      60_000,
    );
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatch(
      /Verification failed after 3 attempts: Error: verification key store unreachable/,
    );
    expect(calls).toBe(3);
    const dead = await until(
      "the dead-letter job",
      () => runner!.boss.fetch<{ proofId: string }>(VERIFY_DEAD_LETTER),
      (j) => j.length > 0,
    );
    expect(dead[0]?.data.proofId).toBe(submitted.id);
  }, 120_000);
});
