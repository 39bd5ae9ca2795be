// The files the CLI reads and writes. Every file is JSON with a `format` tag, validated with zod on
// the way in (exit code 2 with the field at fault), and written atomically (temp file + rename) so
// an interrupted command never leaves half a file.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  CIRCUIT_REGISTRY,
  checkModel,
  shapeFromParams,
  type IntModel,
  type MlpShape,
  type Sample,
  ValueRangeError,
} from "@zkarena/zk";
import { CliError, EXIT, inputError } from "./errors.ts";

export const INT_MODEL_FORMAT = "zkarena.int-model/v1";
export const SAMPLES_FORMAT = "zkarena-samples-v1";
export const HIDDEN_FORMAT = "zkarena-hidden-split-v1";
export const COMMIT_FORMAT = "zkarena.commit/v1";
export const PROOF_FORMAT = "zkarena.proof/v1";

export function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw inputError(
      `${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError(`${what} ${file} is not valid JSON (${(e as Error).message})`);
  }
}

/** Writes atomically; `secret` files are created 0600 (and the folder 0700). */
export function writeFileAtomic(file: string, content: string, opts: { secret?: boolean } = {}): void {
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true, ...(opts.secret ? { mode: 0o700 } : {}) });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(tmp, content, { mode: opts.secret ? 0o600 : 0o644 });
  if (opts.secret) chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export const writeJson = (file: string, value: unknown, opts: { secret?: boolean } = {}) =>
  writeFileAtomic(
    file,
    `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
    opts,
  );

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** Ids of the registered model circuits (circuits/circuits.json). */
export function modelCircuitIds(): string[] {
  return CIRCUIT_REGISTRY.filter((c) => c.template === "MlpAccuracy" || c.template === "LinearAccuracy").map(
    (c) => c.id,
  );
}

/** A registered MLP circuit's shape by id, or an error listing the ids. */
export function circuitShape(circuitId: string): MlpShape {
  const entry = CIRCUIT_REGISTRY.find((c) => c.id === circuitId);
  const mlp = modelCircuitIds();
  if (!entry || !mlp.includes(circuitId))
    throw inputError(`"${circuitId}" is not a registered model circuit; use one of: ${mlp.join(", ")}`);
  return shapeFromParams(entry.params, entry.template);
}

const intString = z
  .union([z.string().regex(/^-?\d{1,40}$/, { error: "must be an integer" }), z.number().int()])
  .transform((v) => BigInt(v));

const intModelSchema = z.strictObject({
  format: z.literal(INT_MODEL_FORMAT, {
    error: `format must be "${INT_MODEL_FORMAT}" (made by \`zkarena model quantize\`)`,
  }),
  circuitId: z.string(),
  inputMax: z.number().positive(),
  W1: z.array(z.array(intString)),
  b1: z.array(intString),
  W2: z.array(z.array(intString)),
  b2: z.array(intString),
  report: z.unknown().optional(),
});

export interface IntModelFile {
  circuitId: string;
  inputMax: number;
  model: IntModel;
}

export function readIntModel(file: string): IntModelFile {
  const parsed = intModelSchema.safeParse(readJson(file, "quantized model"));
  if (!parsed.success) throw inputError(`quantized model ${file}: ${issues(parsed.error)}`);
  const d = parsed.data;
  const model: IntModel = { shape: circuitShape(d.circuitId), W1: d.W1, b1: d.b1, W2: d.W2, b2: d.b2 };
  try {
    checkModel(model);
  } catch (e) {
    if (e instanceof ValueRangeError)
      throw inputError(`quantized model ${file}: ${e.message} (for circuit ${d.circuitId})`);
    throw e;
  }
  return { circuitId: d.circuitId, inputMax: d.inputMax, model };
}

export function intModelDocument(circuitId: string, inputMax: number, model: IntModel, report?: unknown) {
  const s = (v: bigint) => v.toString();
  return {
    format: INT_MODEL_FORMAT,
    circuitId,
    inputMax,
    W1: model.W1.map((r) => r.map(s)),
    b1: model.b1.map(s),
    W2: model.W2.map((r) => r.map(s)),
    b2: model.b2.map(s),
    ...(report === undefined ? {} : { report }),
  };
}

const rowsSchema = z
  .array(
    z
      .array(
        z
          .number({ error: "values must be numbers" })
          .refine(Number.isFinite, { error: "values must be finite" }),
      )
      .min(2),
  )
  .min(1)
  .max(1_000_000);
const samplesFileSchema = z.looseObject({
  format: z.literal(SAMPLES_FORMAT, { error: `format must be "${SAMPLES_FORMAT}"` }),
  samples: rowsSchema,
});
const hiddenFileSchema = z.looseObject({
  format: z.literal(HIDDEN_FORMAT),
  circuitId: z.string(),
  testSalt: z.string().regex(/^\d{1,78}$/, { error: "testSalt must be a decimal integer" }),
  testCommitment: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .optional(),
  samples: rowsSchema,
});

export interface SplitFile {
  kind: "samples" | "hidden";
  rows: number[][];
  circuitId: string | null;
  testSalt: bigint | null;
  testCommitment: string | null;
}

/** A samples file (rows [x_0 … x_{D−1}, label]) or a revealed hidden split (with its salt). */
export function readSplit(file: string): SplitFile {
  const json = readJson(file, "split");
  const fmt = (json as { format?: unknown } | null)?.format;
  if (fmt === HIDDEN_FORMAT) {
    const p = hiddenFileSchema.safeParse(json);
    if (!p.success) throw inputError(`hidden split ${file}: ${issues(p.error)}`);
    return {
      kind: "hidden",
      rows: p.data.samples,
      circuitId: p.data.circuitId,
      testSalt: BigInt(p.data.testSalt),
      testCommitment: p.data.testCommitment ?? null,
    };
  }
  const p = samplesFileSchema.safeParse(json);
  if (!p.success)
    throw inputError(
      `split ${file}: ${issues(p.error)} (expected {"format":"${SAMPLES_FORMAT}","samples":[[x…, label], …]} or a revealed "${HIDDEN_FORMAT}")`,
    );
  const cid: unknown = p.data.circuitId;
  const circuitId = typeof cid === "string" ? cid : null;
  return { kind: "samples", rows: p.data.samples, circuitId, testSalt: null, testCommitment: null };
}

/** Integer samples for a shape; every problem names its row and column. */
export function toSamples(rows: number[][], shape: MlpShape, where: string): Sample[] {
  const top = 2 ** shape.inBits - 1;
  return rows.map((row, i) => {
    if (row.length !== shape.D + 1)
      throw inputError(
        `${where}: row ${i} has ${row.length} values, the circuit needs ${shape.D} features and a label (${shape.D + 1})`,
      );
    row.forEach((v, j) => {
      const max = j === shape.D ? shape.C - 1 : top;
      if (!Number.isInteger(v) || v < 0 || v > max)
        throw inputError(
          `${where}: row ${i} ${j === shape.D ? "label" : `feature ${j}`} must be an integer in [0, ${max}]; quantize the data or pick the matching circuit`,
        );
    });
    return { x: row.slice(0, shape.D).map(BigInt), label: BigInt(row[shape.D] as number) };
  });
}

// ---- commitments (salts) -------------------------------------------------------------------------

const commitRecordSchema = z.object({
  format: z.literal(COMMIT_FORMAT),
  chainId: z.number(),
  escrow: z.string(),
  challengeId: z.string(),
  address: z.string(),
  circuitId: z.string(),
  modelFile: z.string(),
  modelSha256: z.string(),
  salt: z.string().regex(/^\d+$/),
  commitment: z.string(),
  txHash: z.string().nullable(),
  committedAt: z.string(),
  previous: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type CommitRecord = z.infer<typeof commitRecordSchema>;

export function commitRecordPath(
  home: string,
  chainId: number,
  escrow: string,
  id: bigint,
  address: string,
): string {
  return path.join(
    home,
    "commitments",
    String(chainId),
    escrow.toLowerCase(),
    `${id}-${address.toLowerCase()}.json`,
  );
}

export function readCommitRecord(file: string): CommitRecord | null {
  if (!existsSync(file)) return null;
  const p = commitRecordSchema.safeParse(readJson(file, "commitment record"));
  if (!p.success)
    throw new CliError(`commitment record ${file} is damaged: ${issues(p.error)}`, EXIT.integrity);
  return p.data;
}

// ---- proofs ---------------------------------------------------------------------------------------

const u256 = z.string().regex(/^\d{1,78}$/);
const proofFileSchema = z.object({
  format: z.literal(PROOF_FORMAT, { error: `format must be "${PROOF_FORMAT}" (made by \`zkarena prove\`)` }),
  chainId: z.number(),
  escrow: z.string(),
  challengeId: u256,
  circuitId: z.string(),
  submitter: z.string(),
  split: z.enum(["hidden", "public"]),
  proofs: z
    .array(
      z.object({
        batchIndex: z.number().int().min(0),
        correct: z.number().int().min(0),
        publicSignals: z.array(u256),
        proof: z.looseObject({
          pi_a: z.array(z.string()),
          pi_b: z.array(z.array(z.string())),
          pi_c: z.array(z.string()),
        }),
        pA: z.tuple([u256, u256]),
        pB: z.tuple([z.tuple([u256, u256]), z.tuple([u256, u256])]),
        pC: z.tuple([u256, u256]),
        batchCommitment: u256,
        merkleProof: z.array(z.string().regex(/^0x[0-9a-fA-F]{64}$/)),
      }),
    )
    .min(1),
});
export type ProofFile = z.infer<typeof proofFileSchema>;

export function readProofFile(file: string): ProofFile {
  const p = proofFileSchema.safeParse(readJson(file, "proof file"));
  if (!p.success) throw inputError(`proof file ${file}: ${issues(p.error)}`);
  return p.data;
}
