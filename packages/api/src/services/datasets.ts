// Dataset custody. TRAIN and PUBLIC splits are stored in the clear with their sha256; the HIDDEN
// split is validated against the challenge's circuit shape, committed with the organiser's salt
// (chosen in their browser, which shows the commitment before anything is sent) or a fresh one
// (@zkarena/zk hiddenSplitCommitment: batches of the circuit's N samples, batch salts
// Poseidon(testSalt, i), root = c_0 or the batch Merkle root) and stored only as ciphertext
// (crypto.ts) until release.ts says the chain revealed it at a final block.
//
// Rule for every message in this file: never include a sample value, the salt or anything derived
// from the plaintext except salted commitments (threat T1). Validation errors name positions only.
import { createHash, randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { Challenge, Db, DatasetSplit } from "@zkarena/db";
import {
  BN254_R,
  MAX_BATCHES,
  MLP_SHAPES,
  hiddenSplitCommitment,
  type MlpShape,
  type Sample,
} from "../zk.ts";
import type { ApiEnv } from "../env.ts";
import { openSplit, sealSplit } from "./crypto.ts";

export const SAMPLES_FORMAT = "zkarena-samples-v1";
export const HIDDEN_FORMAT = "zkarena-hidden-split-v1";
export const HIDDEN_FILE_NAME = "hidden-split.json";

/** A sample as uploaded: its features then its label, `[x_0, …, x_{D−1}, label]`. */
export type SampleRow = number[];

export function shapeOf(circuitId: string): MlpShape {
  const named = Object.values(MLP_SHAPES).find((s) => s.id === circuitId);
  if (!named) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `The challenge's circuit "${circuitId}" is not a registered shape; datasets can only be checked against a registered circuit.`,
    });
  }
  return named.shape;
}

/** Checks every row against the shape; the message names the first few bad positions, never values. */
export function checkRows(shape: MlpShape, rows: readonly SampleRow[]): void {
  const xMax = 2 ** shape.inBits - 1;
  const problems: string[] = [];
  let bad = 0;
  rows.forEach((row, i) => {
    let problem: string | null = null;
    if (row.length !== shape.D + 1) {
      problem = `samples[${i}] has ${row.length} values; each sample is ${shape.D} features then its label (${shape.D + 1} values)`;
    } else {
      const f = row.slice(0, shape.D).findIndex((v) => v > xMax);
      if (f >= 0)
        problem = `samples[${i}][${f}] is not a feature in [0, ${xMax}] (the circuit reads ${shape.inBits}-bit inputs)`;
      else if ((row[shape.D] as number) > shape.C - 1) {
        problem = `samples[${i}]'s label is not a class in [0, ${shape.C - 1}]`;
      }
    }
    if (problem) {
      bad++;
      if (problems.length < 5) problems.push(problem);
    }
  });
  if (bad > 0) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${bad} sample${bad === 1 ? "" : "s"} do not fit the circuit ${shape.D}-${shape.H}-${shape.C}: ${problems.join("; ")}${bad > problems.length ? "; …" : ""}.`,
    });
  }
}

const sha256 = (data: Uint8Array) => `0x${createHash("sha256").update(data).digest("hex")}`;

/** A uniformly random field element (0 ≤ salt < r) from the CSPRNG, by rejection sampling. */
export function randomFieldElement(): bigint {
  for (;;) {
    const candidate = BigInt(`0x${randomBytes(32).toString("hex")}`) & ((1n << 254n) - 1n);
    if (candidate < BN254_R) return candidate;
  }
}

const hex32 = (v: bigint) => `0x${v.toString(16).padStart(64, "0")}`;

function conflict(message: string): never {
  throw new TRPCError({ code: "CONFLICT", message });
}

export interface UploadPublicInput {
  challenge: Challenge;
  kind: "TRAIN" | "PUBLIC";
  fileName: string;
  samples: SampleRow[];
}

/** Stores a TRAIN or PUBLIC split (replacing the previous one) until the commit deadline. */
export async function uploadPublicSplit(db: Db, input: UploadPublicInput): Promise<DatasetSplit> {
  const { challenge, kind, samples } = input;
  const shape = shapeOf(challenge.circuitId);
  checkRows(shape, samples);
  if (challenge.commitDeadline <= new Date()) {
    conflict(`The ${kind.toLowerCase()} split can no longer change: the commit deadline has passed.`);
  }
  const content = Buffer.from(
    JSON.stringify({ format: SAMPLES_FORMAT, circuitId: challenge.circuitId, kind, samples }),
    "utf8",
  );
  const data = {
    fileName: input.fileName,
    mediaType: "application/json",
    byteSize: content.byteLength,
    sha256: sha256(content),
    rowCount: samples.length,
    featureCount: shape.D,
    content: new Uint8Array(content),
  };
  return db.datasetSplit.upsert({
    where: { challengeId_kind: { challengeId: challenge.id, kind } },
    create: { challengeId: challenge.id, kind, ...data },
    update: { ...data, createdAt: new Date() },
  });
}

export interface HiddenUploadResult {
  splitId: string;
  rowCount: number;
  batchCount: number;
  /** The escrow's testCommitment: c_0 when there is one batch, else the batch Merkle root. */
  testCommitment: string;
  /** c_i per batch (salted Poseidon commitments, safe to publish). */
  batchCommitments: string[];
}

export interface HiddenUploadOptions {
  /** The organiser's salt (0 ≤ salt < r); undefined = a fresh one from the CSPRNG (threat T2). */
  testSalt?: bigint | undefined;
  /** Refuse, storing nothing, unless the computed testCommitment equals this. */
  expectedTestCommitment?: bigint | undefined;
}

/**
 * Validates, commits (the organiser's salt or a fresh one) and seals the HIDDEN split. Only while the
 * challenge is a DRAFT: its commitment goes on-chain at creation and can never change afterwards.
 * Re-uploading a draft's hidden split replaces it (and its commitment).
 */
export async function uploadHiddenSplit(
  db: Db,
  env: ApiEnv,
  challenge: Challenge,
  samples: SampleRow[],
  options: HiddenUploadOptions = {},
): Promise<HiddenUploadResult> {
  const shape = shapeOf(challenge.circuitId);
  checkRows(shape, samples);
  if (challenge.state !== "DRAFT") {
    conflict(
      "The hidden split is fixed once the challenge is on-chain; it can only be uploaded while the challenge is a draft.",
    );
  }
  if (samples.length % shape.N !== 0) {
    const extra = samples.length % shape.N;
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `The hidden split has ${samples.length} samples, which is not a multiple of the circuit's batch size ${shape.N}: drop ${extra} or add ${shape.N - extra}. Samples are never padded (padding would change what "correct" means).`,
    });
  }
  if (samples.length / shape.N > MAX_BATCHES) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `The hidden split has ${samples.length / shape.N} batches; the escrow accepts at most ${MAX_BATCHES} (${MAX_BATCHES * shape.N} samples).`,
    });
  }
  const testSalt = options.testSalt ?? randomFieldElement();
  if (testSalt < 0n || testSalt >= BN254_R) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "testSalt must be a field element (0 ≤ testSalt < r, the BN254 scalar field order).",
    });
  }
  const parsed: Sample[] = samples.map((row) => ({
    x: row.slice(0, shape.D).map(BigInt),
    label: BigInt(row[shape.D] as number),
  }));
  let committed: Awaited<ReturnType<typeof hiddenSplitCommitment>>;
  try {
    committed = await hiddenSplitCommitment(parsed, testSalt, shape);
  } catch (error) {
    // Every input problem was reported above; whatever this is, its text may quote a value.
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message:
        "The hidden split could not be committed. Check that it matches the challenge's circuit and try again.",
      cause: error instanceof Error ? new Error(error.name) : undefined,
    });
  }
  const expected = options.expectedTestCommitment;
  if (expected !== undefined && BigInt(committed.root) !== expected) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `The hidden split's commitment computed by the platform (${committed.root}) is not the expected test commitment (${hex32(expected)}): the samples or the salt differ from the ones committed in your browser. Nothing was stored; choose the hidden split again.`,
    });
  }
  const batchCommitments = committed.commitments.map(hex32);
  const plaintext = Buffer.from(
    JSON.stringify({
      format: HIDDEN_FORMAT,
      circuitId: challenge.circuitId,
      testSalt: testSalt.toString(),
      batchCount: committed.batchCount,
      testCommitment: committed.root,
      batchCommitments,
      samples,
    }),
    "utf8",
  );
  const sealed = sealSplit(env.DATASET_MASTER_KEY, env.DATASET_MASTER_KEY_ID, challenge.id, plaintext);
  // The salted document's hash: publishable after release, useless for guessing before it.
  const digest = sha256(plaintext);
  plaintext.fill(0);
  const data = {
    fileName: HIDDEN_FILE_NAME,
    mediaType: "application/json",
    byteSize: sealed.ciphertext.byteLength,
    sha256: digest,
    rowCount: samples.length,
    featureCount: shape.D,
    content: null,
    ciphertext: sealed.ciphertext,
    encIv: sealed.encIv,
    encTag: sealed.encTag,
    wrappedKey: sealed.wrappedKey,
    encKeyId: sealed.encKeyId,
    saltCiphertext: null,
    commitment: committed.root,
    batchCommitments,
    releasedAt: null,
  };
  const split = await db.$transaction(async (tx) => {
    // Atomic with the state check: a challenge that went on-chain meanwhile is not touched.
    const updated = await tx.challenge.updateMany({
      where: { id: challenge.id, state: "DRAFT", organiserAddress: challenge.organiserAddress },
      data: { testCommitment: committed.root },
    });
    if (updated.count !== 1) {
      conflict(
        "The hidden split is fixed once the challenge is on-chain; it can only be uploaded while the challenge is a draft.",
      );
    }
    return tx.datasetSplit.upsert({
      where: { challengeId_kind: { challengeId: challenge.id, kind: "HIDDEN" } },
      create: { challengeId: challenge.id, kind: "HIDDEN", ...data },
      update: { ...data, createdAt: new Date() },
    });
  });
  return {
    splitId: split.id,
    rowCount: samples.length,
    batchCount: committed.batchCount,
    testCommitment: committed.root,
    batchCommitments,
  };
}

/** The plaintext of a sealed HIDDEN split (call only after release.ts said it is released). */
export function unsealHidden(env: ApiEnv, split: DatasetSplit): Buffer {
  if (!split.ciphertext || !split.encIv || !split.encTag || !split.wrappedKey || !split.encKeyId) {
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: "The hidden split's stored ciphertext is incomplete.",
    });
  }
  return openSplit(new Map([[env.DATASET_MASTER_KEY_ID, env.DATASET_MASTER_KEY]]), split.challengeId, {
    ciphertext: split.ciphertext,
    encIv: split.encIv,
    encTag: split.encTag,
    wrappedKey: split.wrappedKey,
    encKeyId: split.encKeyId,
  });
}
