// Float model (zkarena.model/v1) → the integer model the circuit evaluates, plus a report.
//
// Inputs: a float feature in [0, inputMax] becomes round(x · (2^inBits − 1) / inputMax), clamped to
//   [0, 2^inBits − 1]. For the 8×8 digits (values 0..16) with inBits = 4: 16 → 15, 8 → 8 (7.5
//   rounds half up), 1 → 1. Input scale sx = (2^inBits − 1) / inputMax.
// Weights: per layer, s = (2^(wBits−1) − 1) / max|W| so the largest weight maps to ±127 (wBits = 8);
//   W_q = round(W · s), rounding half away from zero. An all-zero layer keeps s = 1.
// Biases: at the product scale of their layer, b_q = round(b · s_W · s_in), and must fit bBits
//   (signed) or the model is refused — clamping a bias would silently change predictions.
// Hidden layer: h = min(2^hBits − 1, relu(acc1) >> shift) — `shift` is a parameter of the circuit
//   shape, so the hidden scale is s1 · sx / 2^shift; saturated activations are counted in the report.
// No rescaling after layer 2: argmax is invariant under a positive scale.
import { parseModel, type FloatModel } from "./model.ts";
import { countCorrect, infer, type IntModel, type Sample } from "./reference.ts";
import { bitLength, shapeBounds, type MlpShape } from "./shape.ts";

export interface FloatSample {
  x: number[];
  label: number;
}

export interface QuantizeOptions {
  /** Largest float feature value (e.g. 16 for the 8×8 digits); features are clamped to [0, inputMax]. */
  inputMax: number;
  /** Labelled split to measure float vs quantized accuracy on (optional). */
  samples?: readonly FloatSample[];
}

export interface QuantizeReport {
  floatAccuracy: number | null;
  quantizedAccuracy: number | null;
  /** Samples where float and quantized predictions differ. */
  disagreements: number;
  scales: { input: number; W1: number; W2: number; hidden: number };
  /** Widest value seen, in bits (signed: including the sign), vs what the shape declares. */
  bits: {
    weights: { used: number; declared: number };
    biases: { used: number; declared: number };
    acc1: { used: number; declared: number };
    acc2: { used: number; declared: number };
  };
  /** Hidden activations that hit 2^hBits − 1 (saturation), out of all evaluated. */
  saturated: { count: number; of: number };
}

export type QuantizeRefusal =
  "shape-mismatch" | "bias-overflow" | "weight-overflow" | "accumulator-overflow" | "bad-input";

export class QuantizationError extends Error {
  override name = "QuantizationError";
  constructor(
    readonly reason: QuantizeRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Round half away from zero (so that quantizing −w gives −quantize(w); Math.round(−63.5) = −63). */
export function roundHalfAway(v: number): number {
  return Math.sign(v) * Math.round(Math.abs(v));
}

function maxAbs(values: readonly number[]): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** Bits of a signed two's-complement-style width that holds v: v ∈ [−2^(k−1), 2^(k−1)). */
export function signedBits(v: bigint): number {
  return v >= 0n ? bitLength(v) + 1 : bitLength(-v - 1n) + 1;
}

export function quantizeInput(x: number, inBits: number, inputMax: number): bigint {
  const top = 2 ** inBits - 1;
  const q = Math.floor((Math.min(Math.max(x, 0), inputMax) * top) / inputMax + 0.5);
  return BigInt(Math.min(Math.max(q, 0), top));
}

export function quantizeSample(s: FloatSample, shape: MlpShape, inputMax: number): Sample {
  return { x: s.x.map((v) => quantizeInput(v, shape.inBits, inputMax)), label: BigInt(s.label) };
}

function floatPredict(m: FloatModel, x: readonly number[]): number {
  const hidden =
    m.H === 0
      ? [...x]
      : m.W1.map((row, j) =>
          Math.max(
            0,
            row.reduce((s, w, d) => s + w * (x[d] ?? 0), m.b1[j] ?? 0),
          ),
        );
  const out = m.W2.map((row, c) => row.reduce((s, w, j) => s + w * (hidden[j] ?? 0), m.b2[c] ?? 0));
  let best = 0;
  for (let c = 1; c < out.length; c++) if ((out[c] ?? 0) > (out[best] ?? 0)) best = c;
  return best;
}

/** Quantize a float model for a circuit shape; refuses (QuantizationError) what the shape cannot hold. */
export function quantize(
  input: unknown,
  shape: MlpShape,
  options: QuantizeOptions,
): { model: IntModel; report: QuantizeReport } {
  const m = parseModel(input);
  const bounds = shapeBounds(shape);
  if (m.D !== shape.D || m.H !== shape.H || m.C !== shape.C) {
    throw new QuantizationError(
      "shape-mismatch",
      `model is ${m.D}-${m.H}-${m.C}, the circuit shape is ${shape.D}-${shape.H}-${shape.C}`,
    );
  }
  if (!(options.inputMax > 0) || !Number.isFinite(options.inputMax))
    throw new QuantizationError("bad-input", "inputMax must be a positive number");

  const wTop = 2 ** (shape.wBits - 1) - 1;
  const bLimit = 2n ** BigInt(shape.bBits - 1);
  const sx = (2 ** shape.inBits - 1) / options.inputMax;
  const scaleOf = (w: number[][]) => {
    const a = maxAbs(w.flat());
    return a === 0 ? 1 : wTop / a;
  };
  const s1 = shape.H === 0 ? 1 : scaleOf(m.W1);
  const sh = shape.H === 0 ? sx : (s1 * sx) / 2 ** shape.shift;
  const s2 = scaleOf(m.W2);
  const qw = (w: number[][], s: number) => w.map((row) => row.map((v) => BigInt(roundHalfAway(v * s))));
  const qb = (name: string, b: number[], s: number) =>
    b.map((v, i) => {
      const q = BigInt(roundHalfAway(v * s));
      if (q >= bLimit || q < -bLimit) {
        throw new QuantizationError(
          "bias-overflow",
          `${name}[${i}] = ${v} quantizes to ${q}, outside the shape's ${shape.bBits}-bit signed bias range [${-bLimit}, ${bLimit - 1n}]`,
        );
      }
      return q;
    });
  const model: IntModel = {
    shape,
    W1: qw(m.W1, s1),
    b1: qb("b1", m.b1, s1 * sx),
    W2: qw(m.W2, s2),
    b2: qb("b2", m.b2, s2 * sh),
  };
  const weights = [...model.W1.flat(), ...model.W2.flat()];
  const biases = [...model.b1, ...model.b2];
  const wUsed = weights.reduce((k, w) => Math.max(k, signedBits(w)), 1);
  if (wUsed > shape.wBits)
    throw new QuantizationError(
      "weight-overflow",
      `weights need ${wUsed} bits, the shape declares ${shape.wBits}`,
    );

  const report: QuantizeReport = {
    floatAccuracy: null,
    quantizedAccuracy: null,
    disagreements: 0,
    scales: { input: sx, W1: s1, W2: s2, hidden: sh },
    bits: {
      weights: { used: wUsed, declared: shape.wBits },
      biases: { used: biases.reduce((k, b) => Math.max(k, signedBits(b)), 1), declared: shape.bBits },
      acc1: { used: 0, declared: bounds.acc1Bits },
      acc2: { used: 0, declared: bounds.acc2Bits },
    },
    saturated: { count: 0, of: 0 },
  };
  const samples = options.samples ?? [];
  if (samples.length > 0) {
    const hMax = (1n << BigInt(shape.hBits)) - 1n;
    let floatOk = 0;
    const qs = samples.map((s, i) => {
      if (s.x.length !== shape.D || !s.x.every(Number.isFinite))
        throw new QuantizationError("bad-input", `samples[${i}].x must be ${shape.D} finite numbers`);
      if (!Number.isInteger(s.label) || s.label < 0 || s.label >= shape.C)
        throw new QuantizationError("bad-input", `samples[${i}].label must be in [0, ${shape.C - 1}]`);
      return quantizeSample(s, shape, options.inputMax);
    });
    qs.forEach((q, i) => {
      const r = infer(model, q.x);
      const fp = floatPredict(m, (samples[i] as FloatSample).x);
      if (fp === (samples[i] as FloatSample).label) floatOk++;
      if (fp !== r.prediction) report.disagreements++;
      for (const a of r.acc1) report.bits.acc1.used = Math.max(report.bits.acc1.used, signedBits(a));
      for (const a of r.acc2) report.bits.acc2.used = Math.max(report.bits.acc2.used, signedBits(a));
      if (shape.H > 0) {
        report.saturated.of += r.hidden.length;
        report.saturated.count += r.hidden.filter((h) => h === hMax).length;
      }
    });
    if (report.bits.acc1.used > bounds.acc1Bits || report.bits.acc2.used > bounds.acc2Bits) {
      // Unreachable while the shape bounds hold; kept as a guard against a bounds bug.
      throw new QuantizationError(
        "accumulator-overflow",
        `accumulators need ${report.bits.acc1.used}/${report.bits.acc2.used} bits, the shape declares ${bounds.acc1Bits}/${bounds.acc2Bits}`,
      );
    }
    report.floatAccuracy = floatOk / samples.length;
    report.quantizedAccuracy = countCorrect(model, qs) / samples.length;
  }
  return { model, report };
}

/**
 * The smallest requantization shift for which no hidden activation of the labelled split saturates
 * (relu(acc1) >> shift < 2^hBits), given the shape's other widths — a guide for choosing the
 * circuit shape's `shift` (it is a circuit parameter, not a per-model choice). Returns
 * `shape.shift` unchanged for H = 0. A smaller shift keeps more resolution; saturation is sound
 * (the circuit computes it) but loses information.
 */
export function suggestShift(
  input: unknown,
  shape: MlpShape,
  options: QuantizeOptions & { samples: readonly FloatSample[] },
): number {
  if (shape.H === 0) return shape.shift;
  // Layer 1 does not depend on the shift; zero b2 so that its scale at shift 0 cannot overflow.
  const parsed = parseModel(input);
  const { model } = quantize(
    { ...parsed, b2: parsed.b2.map(() => 0) },
    { ...shape, shift: 0 },
    { inputMax: options.inputMax },
  );
  let maxAcc = 0n;
  for (const s of options.samples) {
    const q = quantizeSample(s, shape, options.inputMax);
    for (const a of infer(model, q.x).acc1) if (a > maxAcc) maxAcc = a;
  }
  return Math.max(0, bitLength(maxAcc) - shape.hBits);
}
