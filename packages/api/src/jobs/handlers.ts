// What the jobs do, separate from the queue so tests can call them directly.
import type { Db, Prisma } from "@zkarena/db";
import { log } from "../log.ts";
import type { EscrowReader } from "../services/escrow.ts";
import {
  hiddenLeaderboardFromChain,
  hiddenLeaderboardFromIndex,
  publicLeaderboard,
  type LeaderboardRow,
} from "../services/leaderboard.ts";
import { defaultKeyLoader, verifyPublicProof, type VerificationKeyLoader } from "../services/proofs.ts";
import { enqueueLeaderboardRefresh, type RetryPolicy } from "./queue.ts";

/** Rows kept in a snapshot. */
export const SNAPSHOT_ROWS = 100;

/** An error's text for the Proof row (the user reads it through submission.byId); bounded. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, " ").slice(0, 600);
}

export interface VerifyJobContext {
  db: Db;
  retry: RetryPolicy;
  loadKey?: VerificationKeyLoader;
}

/**
 * One attempt at verifying a PUBLIC proof. `retryCount` is pg-boss's count of earlier attempts.
 * A verdict (VERIFIED / REJECTED) is final; a thrown error is recorded on the proof and rethrown so
 * the queue retries, and on the last attempt the proof becomes FAILED (the dead-letter state).
 */
export async function runVerifyProof(
  ctx: VerifyJobContext,
  proofId: string,
  retryCount: number,
): Promise<void> {
  const { db } = ctx;
  const proof = await db.proof.findUnique({ where: { id: proofId } });
  if (!proof || proof.split !== "PUBLIC" || proof.status !== "PENDING") return; // already decided
  const attempt = retryCount + 1;
  await db.proof.update({ where: { id: proofId }, data: { attempts: attempt } });
  try {
    const verdict = await verifyPublicProof(db, proof, ctx.loadKey ?? defaultKeyLoader);
    const decided = await db.proof.updateMany({
      where: { id: proofId, status: "PENDING" },
      data:
        verdict.status === "VERIFIED"
          ? { status: "VERIFIED", error: null, verifiedAt: new Date() }
          : { status: "REJECTED", error: verdict.reason, verifiedAt: new Date() },
    });
    log.info("jobs.proof_verified", { proof: proofId, status: verdict.status, attempt });
    if (decided.count === 1 && verdict.status === "VERIFIED")
      await enqueueLeaderboardRefresh(db, proof.challengeId);
  } catch (error) {
    const last = retryCount >= ctx.retry.limit;
    const text = describe(error);
    await db.proof.updateMany({
      where: { id: proofId, status: "PENDING" },
      data: last
        ? { status: "FAILED", error: `Verification failed after ${attempt} attempts: ${text}` }
        : { error: `Attempt ${attempt} of ${ctx.retry.limit + 1} failed (${text}); retrying.` },
    });
    log.warn("jobs.proof_verification_failed", {
      proof: proofId,
      attempt,
      final: last,
      error: error instanceof Error ? error.name : "unknown",
    });
    throw error;
  }
}

const toJson = (rows: LeaderboardRow[]) =>
  rows.map((r) => ({ ...r, committedAt: r.committedAt.toISOString() })) as unknown as Prisma.InputJsonValue;

/** Recomputes both leaderboard snapshots of a challenge. */
export async function runRefreshLeaderboard(
  db: Db,
  challengeId: string,
  escrow: EscrowReader | null,
): Promise<void> {
  const challenge = await db.challenge.findUnique({ where: { id: challengeId } });
  if (!challenge) return;
  const pub = await publicLeaderboard(db, challengeId, SNAPSHOT_ROWS);
  const snapshots: Prisma.LeaderboardSnapshotCreateManyInput[] = [
    { challengeId, split: "PUBLIC", rows: toJson(pub.rows), source: "verified-proofs" },
  ];
  if (challenge.onchainId !== null) {
    let hidden = null;
    if (escrow) {
      try {
        hidden = await hiddenLeaderboardFromChain(escrow, challenge);
      } catch (error) {
        log.warn("jobs.hidden_leaderboard_chain_failed", {
          challenge: challengeId,
          error: error instanceof Error ? error.name : "unknown",
        });
      }
    }
    hidden ??= await hiddenLeaderboardFromIndex(db, challenge);
    snapshots.push({
      challengeId,
      split: "HIDDEN",
      rows: toJson(hidden.rows),
      source: hidden.source,
      blockNumber: hidden.blockNumber === null ? null : BigInt(hidden.blockNumber),
    });
  }
  await db.$transaction(async (tx) => {
    for (const s of snapshots) {
      await tx.leaderboardSnapshot.upsert({
        where: { challengeId_split: { challengeId, split: s.split } },
        create: s,
        update: {
          rows: s.rows,
          source: s.source,
          blockNumber: s.blockNumber ?? null,
          refreshedAt: new Date(),
        },
      });
    }
  });
}
