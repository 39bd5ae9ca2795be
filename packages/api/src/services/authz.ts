// Ownership checks (threat A5, BOLA): a signed-in caller may act only on what is theirs. Each helper
// loads the resource, answers NOT_FOUND when it does not exist and FORBIDDEN when it belongs to
// someone else; the message says whose it must be, never anything about the resource's contents.
import { TRPCError } from "@trpc/server";
import type { Challenge, Db, ModelCommitment } from "@zkarena/db";
import type { Session } from "./session.ts";

/**
 * The challenge, if `session` is its organiser. The organiser is the address that created the
 * draft, which the indexer confirms from the escrow's ChallengeCreated event (chain-derived once
 * the challenge is on-chain).
 */
export async function requireOrganiser(db: Db, session: Session, challengeId: string): Promise<Challenge> {
  const challenge = await db.challenge.findUnique({ where: { id: challengeId } });
  if (!challenge) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `No challenge with the id ${challengeId}. Check the id (challenge.list shows them).`,
    });
  }
  if (challenge.organiserAddress.toLowerCase() !== session.address.toLowerCase()) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Only the organiser of this challenge may do this. Sign in with the organiser's wallet.",
    });
  }
  return challenge;
}

/** The model commitment, if `session` is the competitor who made it. */
export async function requireCommitmentOwner(
  db: Db,
  session: Session,
  commitmentId: string,
): Promise<ModelCommitment> {
  const commitment = await db.modelCommitment.findUnique({ where: { id: commitmentId } });
  if (!commitment) {
    throw new TRPCError({ code: "NOT_FOUND", message: `No model commitment with the id ${commitmentId}.` });
  }
  if (commitment.competitorAddress.toLowerCase() !== session.address.toLowerCase()) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message:
        "This model commitment belongs to another competitor. Sign in with the wallet that committed it.",
    });
  }
  return commitment;
}
