// Datasets of a challenge: train and public splits (in the clear, with sha256) and the hidden split
// (committed, sealed, released only after the on-chain reveal is final; services/release.ts).
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import type { SplitKind } from "@zkarena/db";
import { log } from "../log.ts";
import { bytes32, fieldElementString, uint256String } from "../schemas.ts";
import { requireOrganiser } from "../services/authz.ts";
import { uploadHiddenSplit, uploadPublicSplit, unsealHidden } from "../services/datasets.ts";
import { hiddenSplitRelease } from "../services/release.ts";
import { downloadLimit, protectedProcedure, publicProcedure, writeLimit } from "../trpc.ts";

/** Rows per upload; the request body limit (API_MAX_BODY_BYTES) usually binds first. */
export const MAX_SAMPLES = 200_000;

const challengeId = z.uuid({ error: "challengeId must be a challenge id (a UUID)" });

const samplesInput = z
  .array(
    z
      .array(
        z
          .number({ error: "each value must be an integer" })
          .int({ error: "each value must be an integer" })
          .min(0, { error: "values must be ≥ 0" })
          .max(65_535, { error: "values must be ≤ 65535" }),
      )
      .min(2, { error: "each sample is its features then its label" })
      .max(4097, { error: "a sample has at most 4096 features" }),
  )
  .min(1, { error: "at least one sample is required" })
  .max(MAX_SAMPLES, { error: `at most ${MAX_SAMPLES} samples per upload` });

export const uploadInput = z.strictObject({
  challengeId,
  kind: z.enum(["TRAIN", "PUBLIC"], {
    error: "kind must be TRAIN or PUBLIC (the hidden split has uploadHidden)",
  }),
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
      error:
        "fileName may use A-Z a-z 0-9 . _ - (no slashes), start with a letter or digit, 1-100 characters",
    })
    .refine((n) => !n.includes(".."), { error: "fileName must not contain '..'" }),
  samples: samplesInput,
});

/**
 * A test commitment (c_0, or the keccak Merkle root of the batch commitments: any uint256) as the API
 * returns it (0x + 64 hex digits) or as the browser shows it (decimal).
 */
const testCommitmentInput = z.union([bytes32.transform((h) => BigInt(h)), uint256String], {
  error: "expectedTestCommitment must be 32 bytes: 0x + 64 hex digits, or a decimal integer below 2^256",
});

export const uploadHiddenInput = z.strictObject({
  challengeId,
  samples: samplesInput,
  /**
   * The organiser's own salt (the hidden-split file's form: a decimal integer < r), so the commitment
   * can be computed and shown in the browser before anything is sent. Omitted: a fresh CSPRNG salt.
   */
  testSalt: fieldElementString.optional(),
  /** Refuse (and store nothing) unless the commitment computed here equals this one. */
  expectedTestCommitment: testCommitmentInput.optional(),
});

export const downloadInput = z.strictObject({
  challengeId,
  kind: z.enum(["TRAIN", "PUBLIC", "HIDDEN"], { error: "kind must be TRAIN, PUBLIC or HIDDEN" }),
});

const listInput = z.strictObject({ challengeId });

const sealedMessage = (reason: string) =>
  `The hidden split is released only after the organiser's on-chain reveal is final, and ${reason}. Try again later.`;

export const datasetRouter = {
  /** The challenge's splits: what exists, sizes, hashes (a hidden split's hash only once released). */
  list: publicProcedure.input(listInput).query(async ({ ctx, input }) => {
    const db = ctx.db.db;
    const challenge = await db.challenge.findUnique({ where: { id: input.challengeId } });
    if (!challenge)
      throw new TRPCError({ code: "NOT_FOUND", message: `No challenge with the id ${input.challengeId}.` });
    const splits = await db.datasetSplit.findMany({
      where: { challengeId: input.challengeId },
      select: {
        id: true,
        kind: true,
        fileName: true,
        mediaType: true,
        byteSize: true,
        sha256: true,
        rowCount: true,
        featureCount: true,
        commitment: true,
        batchCommitments: true,
        createdAt: true,
      },
      orderBy: { kind: "asc" },
    });
    const release = splits.some((s) => s.kind === "HIDDEN") ? await hiddenSplitRelease(db, challenge) : null;
    return splits.map((s) => {
      const sealed = s.kind === "HIDDEN" && !release?.released;
      return {
        ...s,
        sha256: sealed ? null : s.sha256,
        released: s.kind !== "HIDDEN" || release?.released === true,
        batchCount: s.kind === "HIDDEN" ? s.batchCommitments.length : null,
      };
    });
  }),

  /** Uploads (or replaces) the train or public split; organiser only, until the commit deadline. */
  upload: protectedProcedure
    .input(uploadInput)
    .use(writeLimit)
    .mutation(async ({ ctx, input }) => {
      const challenge = await requireOrganiser(ctx.db.db, ctx.session, input.challengeId);
      const split = await uploadPublicSplit(ctx.db.db, {
        challenge,
        kind: input.kind,
        fileName: input.fileName,
        samples: input.samples,
      });
      log.info("dataset.uploaded", { challenge: challenge.id, kind: input.kind, rows: split.rowCount });
      return {
        splitId: split.id,
        kind: split.kind,
        sha256: split.sha256,
        byteSize: split.byteSize,
        rowCount: split.rowCount,
      };
    }),

  /**
   * Uploads the hidden split of a draft: validated against the circuit, committed with the
   * organiser's salt (or a fresh one), checked against the expected commitment when given, sealed.
   * Returns the test commitment (and batch count) for the on-chain create; never the salt.
   */
  uploadHidden: protectedProcedure
    .input(uploadHiddenInput)
    .use(writeLimit)
    .mutation(async ({ ctx, input }) => {
      const challenge = await requireOrganiser(ctx.db.db, ctx.session, input.challengeId);
      const result = await uploadHiddenSplit(ctx.db.db, ctx.env, challenge, input.samples, {
        testSalt: input.testSalt,
        expectedTestCommitment: input.expectedTestCommitment,
      });
      log.info("dataset.hidden_sealed", {
        challenge: challenge.id,
        rows: result.rowCount,
        batches: result.batchCount,
        testCommitment: result.testCommitment,
        saltSource: input.testSalt === undefined ? "generated" : "organiser",
      });
      return result;
    }),

  /**
   * Downloads a split with its sha256. TRAIN and PUBLIC: anyone. HIDDEN: anyone, but only once the
   * chain has revealed it at a final block; before that, nobody (not even its organiser).
   */
  download: publicProcedure
    .input(downloadInput)
    .use(downloadLimit)
    .query(async ({ ctx, input }) => {
      const db = ctx.db.db;
      const kind: SplitKind = input.kind;
      const challenge = await db.challenge.findUnique({ where: { id: input.challengeId } });
      const split = challenge
        ? await db.datasetSplit.findUnique({
            where: { challengeId_kind: { challengeId: input.challengeId, kind } },
          })
        : null;
      if (!challenge || !split) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `This challenge has no ${kind.toLowerCase()} split (yet). dataset.list shows what exists.`,
        });
      }
      let content: Buffer;
      if (kind === "HIDDEN") {
        const release = await hiddenSplitRelease(db, challenge);
        if (!release.released) {
          log.info("dataset.hidden_refused", { challenge: challenge.id, reason: release.reason });
          throw new TRPCError({ code: "FORBIDDEN", message: sealedMessage(release.reason) });
        }
        content = unsealHidden(ctx.env, split);
        if (!split.releasedAt) {
          await db.datasetSplit.updateMany({
            where: { id: split.id, releasedAt: null },
            data: { releasedAt: new Date() },
          });
          log.info("dataset.hidden_released", {
            challenge: challenge.id,
            revealBlock: release.revealBlock.toString(),
          });
        }
      } else {
        if (!split.content)
          throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "The split has no stored content." });
        content = Buffer.from(split.content);
      }
      return {
        kind: split.kind,
        fileName: split.fileName,
        mediaType: split.mediaType,
        sha256: split.sha256,
        byteSize: content.byteLength,
        rowCount: split.rowCount,
        /** The JSON document as stored (UTF-8); its sha256 is `sha256`. */
        content: content.toString("utf8"),
      };
    }),
} satisfies TRPCRouterRecord;
