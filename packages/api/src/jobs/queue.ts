// The job queue: pg-boss on the application's PostgreSQL (also on PGlite, in process or through the
// socket `npm start` serves). Two queues:
//
//   verify-public-proof   { proofId }      snarkjs Groth16 verification of a PUBLIC-split proof with
//                                          the circuit's hash-checked verification key → VERIFIED /
//                                          REJECTED (with the reason). Retried with exponential backoff
//                                          when verification itself throws (a missing build, a database
//                                          error); after the last retry the proof is FAILED with the
//                                          error (the dead-letter state, visible in submission.byId) and
//                                          the job goes to the dead-letter queue verify-public-proof-dlq.
//   refresh-leaderboard   { challengeId }  recomputes the LeaderboardSnapshot rows of a challenge.
//
// Job ids: a verification job's id IS the proof id, so enqueueing twice (the API after the insert,
// the runner's sweep of PENDING proofs) creates one job.
import { PgBoss, fromPrisma, type Db as BossDb, type Queue } from "pg-boss";
import type { Db } from "@zkarena/db";
import { log } from "../log.ts";

export const VERIFY_QUEUE = "verify-public-proof";
export const VERIFY_DEAD_LETTER = "verify-public-proof-dlq";
export const REFRESH_QUEUE = "refresh-leaderboard";

export interface RetryPolicy {
  /** Retries after the first attempt (attempts = limit + 1). */
  limit: number;
  /** First delay in seconds; doubles (with jitter) per retry up to `maxDelaySeconds`. */
  delaySeconds: number;
  maxDelaySeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 3, delaySeconds: 2, maxDelaySeconds: 60 };

export function verifyQueueOptions(retry: RetryPolicy): Omit<Queue, "name"> {
  return {
    retryLimit: retry.limit,
    retryDelay: retry.delaySeconds,
    retryBackoff: true,
    retryDelayMax: retry.maxDelaySeconds,
    // A verification takes ~50 ms; minutes mean a stuck worker, whose job is retried.
    expireInSeconds: 120,
    deadLetter: VERIFY_DEAD_LETTER,
  };
}

export const refreshQueueOptions: Omit<Queue, "name"> = {
  retryLimit: 2,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  // With the challenge as singletonKey: at most one refresh queued and one running per challenge.
  policy: "stately",
};

const producers = new WeakMap<object, PgBoss>();

/**
 * A pg-boss instance that only inserts jobs, through the application's Prisma client (no pool of its
 * own, no maintenance, no migrations: the runner owns those).
 */
function producerFor(db: Db): PgBoss {
  let boss = producers.get(db);
  if (!boss) {
    boss = new PgBoss({
      db: fromPrisma(db as unknown as Parameters<typeof fromPrisma>[0]) as BossDb,
      supervise: false,
      schedule: false,
      migrate: false,
    });
    boss.on("error", (error: Error) => log.warn("jobs.producer_error", { error: error.name }));
    producers.set(db, boss);
  }
  return boss;
}

/**
 * Queues the verification of a stored PENDING proof. Never throws: when the queue is not there yet
 * (no runner has started on this database) the proof stays PENDING and the runner's sweep queues it.
 * @returns whether the job was queued now.
 */
export async function enqueueProofVerification(db: Db, proofId: string): Promise<boolean> {
  try {
    await producerFor(db).send(VERIFY_QUEUE, { proofId }, { id: proofId });
    return true;
  } catch (error) {
    log.warn("jobs.enqueue_deferred", {
      queue: VERIFY_QUEUE,
      proof: proofId,
      error: error instanceof Error ? error.name : "unknown",
    });
    return false;
  }
}

/** Queues a leaderboard refresh (at most one waiting per challenge). Never throws. */
export async function enqueueLeaderboardRefresh(db: Db, challengeId: string): Promise<boolean> {
  try {
    await producerFor(db).send(REFRESH_QUEUE, { challengeId }, { singletonKey: challengeId });
    return true;
  } catch (error) {
    log.warn("jobs.enqueue_deferred", {
      queue: REFRESH_QUEUE,
      challenge: challengeId,
      error: error instanceof Error ? error.name : "unknown",
    });
    return false;
  }
}
