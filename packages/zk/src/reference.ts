// BigInt-exact reference of the circuit's integer semantics (circuits/src/mlp.circom). The circuit's
// public `correct` must equal `countCorrect` for the same model and samples, sample for sample.
//
//   acc1[j] = b1[j] + Σ_d W1[j][d]·x[d]                       (signed, |acc1| ≤ acc1Max)
//   h[j]    = min(2^hBits − 1, max(acc1[j], 0) >> shift)     (ReLU, requantization, saturation)
//   acc2[c] = b2[c] + Σ_j W2[c][j]·h[j]                       (x instead of h when H = 0)
//   prediction = the first index of the maximum of acc2      (ties go to the lower class)
import { shapeBounds, type MlpShape } from "./shape.ts";

/** The integer model the circuit evaluates. Values are signed integers. */
export interface IntModel {
  shape: MlpShape;
  W1: bigint[][];
  b1: bigint[];
  W2: bigint[][];
  b2: bigint[];
}

export interface Sample {
  /** D features, each in [0, 2^inBits − 1]. */
  x: bigint[];
  /** Class in [0, C − 1]. */
  label: bigint;
}

export interface Inference {
  acc1: bigint[];
  hidden: bigint[];
  acc2: bigint[];
  prediction: number;
}

export class ValueRangeError extends Error {
  override name = "ValueRangeError";
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

function checkRange(field: string, v: bigint, lo: bigint, hi: bigint): void {
  if (v < lo || v > hi) throw new ValueRangeError(`${field} = ${v} is outside [${lo}, ${hi}]`, field);
}

const signedRange = (bits: number): [bigint, bigint] => [
  -(1n << BigInt(bits - 1)),
  (1n << BigInt(bits - 1)) - 1n,
];

/** Check dimensions and the circuit's value ranges (throws ValueRangeError naming the field). */
export function checkModel(model: IntModel): void {
  const { shape } = model;
  shapeBounds(shape);
  const K = shape.H === 0 ? shape.D : shape.H;
  const [wLo, wHi] = signedRange(shape.wBits);
  const [bLo, bHi] = signedRange(shape.bBits);
  const dims = (field: string, n: number, expected: number) => {
    if (n !== expected)
      throw new ValueRangeError(`${field} has ${n} entries, the shape needs ${expected}`, field);
  };
  dims("W1", model.W1.length, shape.H);
  dims("b1", model.b1.length, shape.H);
  dims("W2", model.W2.length, shape.C);
  dims("b2", model.b2.length, shape.C);
  model.W1.forEach((row, j) => {
    dims(`W1[${j}]`, row.length, shape.D);
    row.forEach((w, d) => checkRange(`W1[${j}][${d}]`, w, wLo, wHi));
  });
  model.b1.forEach((b, j) => checkRange(`b1[${j}]`, b, bLo, bHi));
  model.W2.forEach((row, c) => {
    dims(`W2[${c}]`, row.length, K);
    row.forEach((w, j) => checkRange(`W2[${c}][${j}]`, w, wLo, wHi));
  });
  model.b2.forEach((b, c) => checkRange(`b2[${c}]`, b, bLo, bHi));
}

export function checkSample(shape: MlpShape, sample: Sample, where = "sample"): void {
  if (sample.x.length !== shape.D)
    throw new ValueRangeError(
      `${where}.x has ${sample.x.length} features, the shape needs ${shape.D}`,
      `${where}.x`,
    );
  const xMax = (1n << BigInt(shape.inBits)) - 1n;
  sample.x.forEach((v, d) => checkRange(`${where}.x[${d}]`, v, 0n, xMax));
  checkRange(`${where}.label`, sample.label, 0n, BigInt(shape.C - 1));
}

/** First index of the maximum (ties → the lowest index), as the circuit's running argmax. */
export function argmaxFirst(values: readonly bigint[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as bigint) > (values[best] as bigint)) best = i;
  return best;
}

/** Requantize one layer-1 accumulator: ReLU, right shift, saturate at 2^hBits − 1. */
export function requantize(acc: bigint, shift: number, hBits: number): bigint {
  if (acc <= 0n) return 0n;
  const q = acc >> BigInt(shift);
  const hMax = (1n << BigInt(hBits)) - 1n;
  return q > hMax ? hMax : q;
}

/** Evaluate one sample. Assumes `checkModel` / `checkSample` passed (countCorrect calls them). */
export function infer(model: IntModel, x: readonly bigint[]): Inference {
  const { shape } = model;
  const acc1 = model.W1.map((row, j) =>
    row.reduce((s, w, d) => s + w * (x[d] as bigint), model.b1[j] as bigint),
  );
  const hidden = shape.H === 0 ? [...x] : acc1.map((a) => requantize(a, shape.shift, shape.hBits));
  const acc2 = model.W2.map((row, c) =>
    row.reduce((s, w, j) => s + w * (hidden[j] as bigint), model.b2[c] as bigint),
  );
  return { acc1, hidden, acc2, prediction: argmaxFirst(acc2) };
}

/** Number of samples whose prediction equals the label (the circuit's public `correct`). */
export function countCorrect(model: IntModel, samples: readonly Sample[]): number {
  checkModel(model);
  let correct = 0;
  samples.forEach((s, i) => {
    checkSample(model.shape, s, `samples[${i}]`);
    if (BigInt(infer(model, s.x).prediction) === s.label) correct++;
  });
  return correct;
}
