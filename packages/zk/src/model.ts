// Versioned float model format `zkarena.model/v1` (what a participant trains and uploads), validated
// with zod. Quantization (quantize.ts) turns it into the integer model the circuit evaluates.
import { z } from "zod";

export const MODEL_FORMAT = "zkarena.model/v1";

/** Size bounds of the float format (the circuit shapes are much smaller). */
export const MODEL_LIMITS = { maxInputs: 4096, maxHidden: 1024, maxClasses: 1024 } as const;

const finite = z.number().finite();
const vector = (max: number) => z.array(finite).max(max);
const matrix = (rows: number, cols: number) => z.array(vector(cols)).max(rows);

export const floatModelSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    family: z.literal("mlp"),
    D: z.number().int().min(1).max(MODEL_LIMITS.maxInputs),
    H: z.number().int().min(0).max(MODEL_LIMITS.maxHidden),
    C: z.number().int().min(2).max(MODEL_LIMITS.maxClasses),
    /** [H][D]; empty when H = 0. */
    W1: matrix(MODEL_LIMITS.maxHidden, MODEL_LIMITS.maxInputs),
    /** [H]; empty when H = 0. */
    b1: vector(MODEL_LIMITS.maxHidden),
    /** [C][H], or [C][D] when H = 0. */
    W2: matrix(MODEL_LIMITS.maxClasses, Math.max(MODEL_LIMITS.maxHidden, MODEL_LIMITS.maxInputs)),
    b2: vector(MODEL_LIMITS.maxClasses),
    /** Free-form metadata (not committed). */
    meta: z.record(z.string().max(64), z.union([z.string().max(1024), finite, z.boolean()])).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const dims = (path: string, value: number[][] | number[], rows: number, cols?: number) => {
      if (value.length !== rows) {
        ctx.addIssue({
          code: "custom",
          path: [path],
          message: `${path} must have ${rows} rows, has ${value.length}`,
        });
        return;
      }
      if (cols === undefined) return;
      (value as number[][]).forEach((row, i) => {
        if (row.length !== cols) {
          ctx.addIssue({
            code: "custom",
            path: [path, i],
            message: `${path}[${i}] must have ${cols} entries, has ${row.length}`,
          });
        }
      });
    };
    const K = m.H === 0 ? m.D : m.H;
    dims("W1", m.W1, m.H, m.D);
    dims("b1", m.b1, m.H);
    dims("W2", m.W2, m.C, K);
    dims("b2", m.b2, m.C);
  });

export type FloatModel = z.infer<typeof floatModelSchema>;

export class ModelFormatError extends Error {
  override name = "ModelFormatError";
  constructor(
    message: string,
    /** Path of the first bad field, e.g. "W1.3.2". */
    readonly field: string,
  ) {
    super(message);
  }
}

/** Parse and validate an unknown value (e.g. JSON.parse output) as a `zkarena.model/v1` model. */
export function parseModel(value: unknown): FloatModel {
  const result = floatModelSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more issues)` : "";
  throw new ModelFormatError(
    `invalid ${MODEL_FORMAT} model: ${field}: ${issue?.message ?? "invalid"}${more}`,
    field,
  );
}
