// Submissions: competitors' model commitments (as indexed from the escrow) and proofs, and the
// submission of PUBLIC-split proofs for off-chain verification (queued; verify-public-proof job).
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { groth16ProofSchema } from "@zkarena/zk";
import type { Proof } from "@zkarena/db";
import { log } from "../log.ts";
import { address, fieldElementString } from "../schemas.ts";
import { enqueueProofVerification } from "../jobs/queue.ts";
import { publicBatches } from "../services/public-split.ts";
import { protectedProcedure, publicProcedure, writeLimit } from "../trpc.ts";
import { shapeOf } from "../services/datasets.ts";

const challengeId = z.uuid({ error: "challengeId must be a challenge id (a UUID)" });

const coordinate = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, { error: "proof coordinates are decimal integer strings" });
const pair = z.tuple([coordinate, coordinate]);

/** A snarkjs Groth16 BN254 proof as snarkjs writes it (kept as given; coordinates checked < q). */
export const groth16ProofInput = z
  .strictObject({
    pi_a: z.tuple([coordinate, coordinate, z.literal("1")]),
    pi_b: z.tuple([pair, pair, z.tuple([z.literal("1"), z.literal("0")])]),
    pi_c: z.tuple([coordinate, coordinate, z.literal("1")]),
    protocol: z.literal("groth16", { error: 'proof.protocol must be "groth16"' }),
    curve: z.literal("bn128", { error: 'proof.curve must be "bn128"' }),
  })
  .refine((p) => groth16ProofSchema.safeParse(p).success, {
    error: "proof coordinates must be below the BN254 base field order q",
  });

export const submitPublicProofInput = z.strictObject({
  challengeId,
  /** Which batch of the public split the proof is for (submission.publicBatches lists them). */
  batchIndex: z
    .number()
    .int()
    .min(0, { error: "batchIndex must be between 0 and 4095" })
    .max(4095, { error: "batchIndex must be between 0 and 4095" })
    .default(0),
  /** The `proof` object snarkjs.groth16.fullProve returned, unchanged. */
  proof: groth16ProofInput,
  /** The public signals snarkjs returned: [modelCommitment, testCommitment, correct, challengeId, submitter]. */
  publicSignals: z.array(fieldElementString).length(5, {
    error:
      "publicSignals must be the 5 signals [modelCommitment, testCommitment, correct, challengeId, submitter]",
  }),
});

const listInput = z.strictObject({
  challengeId: challengeId.optional(),
  limit: z
    .number()
    .int()
    .min(1, { error: "limit must be between 1 and 100" })
    .max(100, { error: "limit must be between 1 and 100" })
    .default(50),
});

const byCompetitorInput = listInput.extend({ address });

const proofIdInput = z.strictObject({ id: z.uuid({ error: "id must be a proof id (a UUID)" }) });

function proofSummary(p: Proof) {
  return {
    id: p.id,
    challengeId: p.challengeId,
    competitor: p.competitorAddress,
    split: p.split,
    batchIndex: p.batchIndex,
    circuitId: p.circuitId,
    modelCommitment: p.modelCommitment,
    correct: p.correct,
    total: p.total,
    /** PENDING → VERIFIED | REJECTED (final) | FAILED (verification kept failing: the dead-letter state); HIDDEN: ACCEPTED. */
    status: p.status,
    /** Why it was REJECTED or FAILED (or the last retry's error while PENDING). */
    error: p.error,
    attempts: p.attempts,
    txHash: p.txHash,
    blockNumber: p.blockNumber === null ? null : p.blockNumber.toString(),
    verifiedAt: p.verifiedAt,
    createdAt: p.createdAt,
  };
}

export type ProofSummary = ReturnType<typeof proofSummary>;

async function commitmentsAndProofs(
  db: Parameters<typeof publicBatches>[0],
  competitor: string,
  challenge: string | undefined,
  limit: number,
) {
  const where = { competitorAddress: competitor, ...(challenge ? { challengeId: challenge } : {}) };
  const [commitments, proofs] = await Promise.all([
    db.modelCommitment.findMany({ where, orderBy: { committedAt: "desc" }, take: limit }),
    db.proof.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: limit }),
  ]);
  return {
    competitor,
    commitments: commitments.map((m) => ({
      id: m.id,
      challengeId: m.challengeId,
      commitment: m.commitment,
      committedAt: m.committedAt,
      commitCount: m.commitCount,
      txHash: m.txHash,
      blockNumber: m.blockNumber.toString(),
    })),
    proofs: proofs.map(proofSummary),
  };
}

export const submissionRouter = {
  /** The signed-in competitor's commitments and proofs (optionally in one challenge). */
  mine: protectedProcedure
    .input(listInput.default({ limit: 50 }))
    .query(({ ctx, input }) =>
      commitmentsAndProofs(ctx.db.db, ctx.session.address, input.challengeId, input.limit),
    ),

  /** Anyone's commitments and proofs (proofs are public: anyone can re-verify them). */
  byCompetitor: publicProcedure
    .input(byCompetitorInput)
    .query(({ ctx, input }) =>
      commitmentsAndProofs(ctx.db.db, input.address, input.challengeId, input.limit),
    ),

  /** One proof with its status, error and attempts, its public signals and the proof itself. */
  byId: publicProcedure.input(proofIdInput).query(async ({ ctx, input }) => {
    const p = await ctx.db.db.proof.findUnique({ where: { id: input.id } });
    if (!p) throw new TRPCError({ code: "NOT_FOUND", message: `No proof with the id ${input.id}.` });
    return { ...proofSummary(p), publicSignals: p.publicSignals as string[], proof: p.proof };
  }),

  /** The public split's batches: what a PUBLIC proof's batchIndex and testCommitment must be. */
  publicBatches: publicProcedure.input(z.strictObject({ challengeId })).query(async ({ ctx, input }) => {
    const challenge = await ctx.db.db.challenge.findUnique({ where: { id: input.challengeId } });
    if (!challenge)
      throw new TRPCError({ code: "NOT_FOUND", message: `No challenge with the id ${input.challengeId}.` });
    const batches = (await publicBatches(ctx.db.db, challenge)) ?? [];
    return {
      challengeId: challenge.id,
      circuitId: challenge.circuitId,
      batchSize: shapeOf(challenge.circuitId).N,
      testSalt: "0",
      batches: batches.map((b) => ({ ...b, commitment: b.commitment.toString() })),
    };
  }),

  /**
   * Submits a PUBLIC-split proof: checked here against the challenge, the caller's on-chain model
   * commitment and the public batch, stored PENDING and queued for verification (submission.byId
   * shows the outcome). The hidden split's proofs go to the escrow, not here.
   */
  submitPublicProof: protectedProcedure
    .input(submitPublicProofInput)
    .use(writeLimit)
    .mutation(async ({ ctx, input }) => {
      const db = ctx.db.db;
      const me = ctx.session.address.toLowerCase();
      const challenge = await db.challenge.findUnique({ where: { id: input.challengeId } });
      if (!challenge)
        throw new TRPCError({ code: "NOT_FOUND", message: `No challenge with the id ${input.challengeId}.` });
      if (challenge.onchainId === null)
        throw new TRPCError({
          code: "PRECONDITION_FAILED",
          message:
            "This challenge is not on-chain yet: public proofs are accepted once it is created on-chain.",
        });
      if (challenge.organiserAddress.toLowerCase() === me)
        throw new TRPCError({
          code: "FORBIDDEN",
          message:
            "The organiser cannot compete in their own challenge (the escrow refuses their commits too).",
        });
      const [modelCommitment, testCommitment, correct, signalChallengeId, submitter] =
        input.publicSignals as [bigint, bigint, bigint, bigint, bigint];
      const bad = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });
      const onchainId = BigInt(challenge.onchainId.toFixed(0));
      if (signalChallengeId !== onchainId)
        throw bad(
          `publicSignals[3] (challengeId) must be this challenge's on-chain id ${onchainId}; prove again with it.`,
        );
      if (submitter !== BigInt(me))
        throw bad(
          `publicSignals[4] (submitter) must be your address ${me} as an integer; prove again with it.`,
        );
      const commitment = await db.modelCommitment.findUnique({
        where: { challengeId_competitorAddress: { challengeId: challenge.id, competitorAddress: me } },
      });
      if (!commitment)
        throw new TRPCError({
          code: "PRECONDITION_FAILED",
          message:
            "You have no model commitment in this challenge yet: commit on-chain (escrow.commit) and wait for it to be indexed, then submit.",
        });
      if (BigInt(commitment.commitment) !== modelCommitment)
        throw bad(
          "publicSignals[0] (modelCommitment) is not your current on-chain commitment: prove with the model (and salt) you committed last.",
        );
      const batches = await publicBatches(db, challenge);
      if (!batches || batches.length === 0)
        throw new TRPCError({
          code: "PRECONDITION_FAILED",
          message: "This challenge has no public split with a full batch yet; the organiser must upload one.",
        });
      const batch = batches[input.batchIndex];
      if (!batch) throw bad(`batchIndex must be below ${batches.length} (the public split's batch count).`);
      if (batch.commitment !== testCommitment)
        throw bad(
          `publicSignals[1] (testCommitment) is not the commitment of public batch ${input.batchIndex}: prove on samples [${batch.from}, ${batch.to}) of the public split with test salt 0.`,
        );
      const total = batch.to - batch.from;
      if (correct > BigInt(total))
        throw bad(`publicSignals[2] (correct) cannot exceed the batch size ${total}.`);

      // Replay key: the public inputs (Groth16 proofs are malleable, their bytes are not a key).
      const duplicate = await db.proof.findFirst({
        where: {
          challengeId: challenge.id,
          competitorAddress: me,
          split: "PUBLIC",
          batchIndex: input.batchIndex,
          modelCommitment: commitment.commitment,
          correct: Number(correct),
          status: { in: ["PENDING", "VERIFIED"] },
        },
        select: { id: true, status: true },
      });
      if (duplicate)
        throw new TRPCError({
          code: "CONFLICT",
          message: `You already submitted this result (proof ${duplicate.id}, ${duplicate.status}); see submission.byId.`,
        });

      const proof = await db.proof.create({
        data: {
          challengeId: challenge.id,
          competitorAddress: me,
          split: "PUBLIC",
          batchIndex: input.batchIndex,
          circuitId: challenge.circuitId,
          modelCommitment: commitment.commitment,
          publicSignals: input.publicSignals.map(String),
          proof: input.proof as unknown as object,
          correct: Number(correct),
          total,
          status: "PENDING",
        },
      });
      const queued = await enqueueProofVerification(db, proof.id);
      log.info("submission.public_proof", { proof: proof.id, challenge: challenge.id, queued });
      return { ...proofSummary(proof), queued };
    }),
} satisfies TRPCRouterRecord;
