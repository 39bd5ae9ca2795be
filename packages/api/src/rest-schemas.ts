// Response schemas of the main REST endpoints, for the OpenAPI document. They describe the JSON the
// endpoints send (dates as ISO strings, amounts as decimal strings); tests/rest.test.ts parses real
// responses with them, so the document cannot drift from the code unnoticed.
import { z } from "zod";
import { ChallengeState, ModelFamily, ProofSplit, ProofStatus } from "@zkarena/db";

const iso = z.iso.datetime({ offset: true }).describe("ISO 8601 date-time (UTC)");
const decimal = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/)
  .describe("decimal integer string");
const address = z
  .string()
  .regex(/^0x[0-9a-f]{40}$/)
  .describe("lower-case 0x address");

export const challengeSummarySchema = z.strictObject({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  tags: z.array(z.string()),
  state: z.enum(ChallengeState),
  modelFamily: z.enum(ModelFamily),
  circuitId: z.string(),
  chainId: z.number().int(),
  tokenSymbol: z.string(),
  tokenDecimals: z.number().int(),
  potCached: decimal
    .nullable()
    .describe("the indexer's cached pot: informative only (money: sponsor.byChallenge)"),
  commitDeadline: iso,
  revealDeadline: iso,
  proveDeadline: iso,
});

export const challengeListSchema = z.strictObject({
  items: z.array(challengeSummarySchema),
  nextCursor: z.uuid().nullable().describe("pass as `cursor` for the next page; null on the last page"),
});

export const leaderboardRowSchema = z.strictObject({
  rank: z.number().int().min(1),
  competitor: address,
  correct: z.number().int(),
  total: z.number().int().nullable(),
  committedAt: iso,
  batches: z.number().int().nullable(),
});

export const publicLeaderboardSchema = z.strictObject({
  challengeId: z.uuid(),
  split: z.literal("PUBLIC"),
  source: z.literal("verified-proofs"),
  rows: z.array(
    leaderboardRowSchema.extend({
      proofs: z
        .array(
          z.strictObject({
            id: z.uuid(),
            batchIndex: z.number().int(),
            correct: z.number().int(),
            total: z.number().int(),
            createdAt: iso,
          }),
        )
        .describe("the verified proofs the score sums, one per batch (GET /proofs/{id} serves each)"),
      submittedAt: iso.nullable(),
    }),
  ),
  competitors: z.number().int(),
});

export const proofSummarySchema = z.strictObject({
  id: z.uuid(),
  challengeId: z.uuid(),
  competitor: address,
  split: z.enum(ProofSplit),
  batchIndex: z.number().int(),
  circuitId: z.string(),
  modelCommitment: z.string(),
  correct: z.number().int(),
  total: z.number().int(),
  status: z
    .enum(ProofStatus)
    .describe("PENDING → VERIFIED | REJECTED (final) | FAILED (verification kept failing); HIDDEN: ACCEPTED"),
  error: z.string().nullable().describe("why REJECTED or FAILED, or the last retry's error while PENDING"),
  attempts: z.number().int(),
  txHash: z.string().nullable(),
  blockNumber: decimal.nullable(),
  verifiedAt: iso.nullable(),
  createdAt: iso,
});

export const proofDetailSchema = proofSummarySchema.extend({
  publicSignals: z.array(decimal),
  proof: z.record(z.string(), z.unknown()).describe("the snarkjs Groth16 proof as submitted"),
});

export const submittedProofSchema = proofSummarySchema.extend({
  queued: z.boolean().describe("false: no job runner has set up the queue yet; the runner's sweep queues it"),
});

/** Response schema per procedure (the others are documented as a JSON object). */
export const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  "challenge.list": challengeListSchema,
  "leaderboard.public": publicLeaderboardSchema,
  "submission.byId": proofDetailSchema,
  "submission.submitPublicProof": submittedProofSchema,
};
