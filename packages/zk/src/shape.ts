// Circuit shapes and the bit bounds they imply. One MlpShape is one instance of the circuit
// `MlpAccuracy(D, H, C, N, inBits, wBits, bBits, hBits, shift)`, or of
// `LinearAccuracy(D, C, N, inBits, wBits, bBits)` when H = 0 (circuits/src/mlp.circom); the
// functions here compute the same bounds the circuit asserts, so TypeScript and circuit agree.

/** BN254 scalar field order r (snarkjs / circom's prime). */
export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** Bits of payload per packed field element (31 bytes, safely below r ≈ 2^253.6). */
export const PACK_BITS = 248;

/** Widest bit decomposition the circuit uses anywhere (keeps Num2Bits unique mod r, threat Z5). */
export const MAX_DECOMPOSITION_BITS = 252;

export interface MlpShape {
  /** Input features per sample. */
  D: number;
  /** Hidden ReLU units; 0 = linear / logistic model (circuit template LinearAccuracy). */
  H: number;
  /** Classes. */
  C: number;
  /** Samples per proof. */
  N: number;
  /** Input width: features are integers in [0, 2^inBits − 1]. */
  inBits: number;
  /** Weight width (signed): weights in [−2^(wBits−1), 2^(wBits−1) − 1]. */
  wBits: number;
  /** Bias width (signed): biases in [−2^(bBits−1), 2^(bBits−1) − 1]. */
  bBits: number;
  /** Hidden activation width: h in [0, 2^hBits − 1] (saturating). */
  hBits: number;
  /** Requantization right shift of layer 1: h = min(2^hBits − 1, relu(acc1) >> shift). */
  shift: number;
}

export interface ShapeBounds {
  /** Largest |acc1| any in-range model and input can produce. */
  acc1Max: bigint;
  /** Width of the offset decomposition of acc1: acc1 + 2^(acc1Bits−1) ∈ [0, 2^acc1Bits). */
  acc1Bits: number;
  acc2Max: bigint;
  acc2Bits: number;
  /** Width of a label (labels are < C). */
  labelBits: number;
  /** Inputs of layer 2 (H, or D when H = 0). */
  layer2Inputs: number;
  /** Number of committed model values / packed field elements. */
  modelItems: number;
  modelPacked: number;
  testItems: number;
  testPacked: number;
}

export class ShapeError extends Error {
  override name = "ShapeError";
}

/** Smallest k with x < 2^k (x ≥ 0). Same as the circuit's `nbits`. */
export function bitLength(x: bigint): number {
  let k = 0;
  while (x >= 1n << BigInt(k)) k++;
  return k;
}

function intIn(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new ShapeError(`shape.${name} must be an integer in [${lo}, ${hi}], got ${v}`);
}

/** Validate a shape and compute its bounds (throws ShapeError with the offending field). */
export function shapeBounds(shape: MlpShape): ShapeBounds {
  intIn("D", shape.D, 1, 4096);
  intIn("H", shape.H, 0, 1024);
  intIn("C", shape.C, 2, 1024);
  intIn("N", shape.N, 1, 100_000);
  intIn("inBits", shape.inBits, 1, 16);
  intIn("wBits", shape.wBits, 2, 32);
  intIn("bBits", shape.bBits, 2, 64);
  intIn("hBits", shape.hBits, 1, 16);
  intIn("shift", shape.shift, 0, 64);
  const { D, H, C, inBits, wBits, bBits, hBits } = shape;
  const wMax = 1n << BigInt(wBits - 1); // |w| ≤ 2^(wBits−1)
  const bMax = 1n << BigInt(bBits - 1);
  const acc1Max = bMax + BigInt(D) * wMax * ((1n << BigInt(inBits)) - 1n);
  const acc1Bits = bitLength(acc1Max) + 1;
  const layer2Inputs = H === 0 ? D : H;
  const l2InMax = H === 0 ? (1n << BigInt(inBits)) - 1n : (1n << BigInt(hBits)) - 1n;
  const acc2Max = bMax + BigInt(layer2Inputs) * wMax * l2InMax;
  const acc2Bits = bitLength(acc2Max) + 1;
  if (acc1Bits > MAX_DECOMPOSITION_BITS - 1 || acc2Bits > MAX_DECOMPOSITION_BITS - 1) {
    throw new ShapeError(
      `shape's accumulators need ${Math.max(acc1Bits, acc2Bits)} bits, more than ${MAX_DECOMPOSITION_BITS - 1}`,
    );
  }
  if (H > 0 && shape.shift > acc1Bits - 1)
    throw new ShapeError(`shape.shift must be ≤ acc1Bits − 1 = ${acc1Bits - 1}`);
  const labelBits = Math.max(1, bitLength(BigInt(C - 1)));
  const modelItemBits = modelLayoutBits(shape);
  const testItemBits = testLayoutBits(shape, labelBits);
  return {
    acc1Max,
    acc1Bits,
    acc2Max,
    acc2Bits,
    labelBits,
    layer2Inputs,
    modelItems: modelItemBits.length,
    modelPacked: packedCount(modelItemBits),
    testItems: testItemBits.length,
    testPacked: packedCount(testItemBits),
  };
}

/** Bit width of each committed model value, in commitment order: W1 (row-major), b1, W2, b2. */
export function modelLayoutBits(shape: MlpShape): number[] {
  const K = shape.H === 0 ? shape.D : shape.H;
  return [
    ...Array<number>(shape.H * shape.D).fill(shape.wBits),
    ...Array<number>(shape.H).fill(shape.bBits),
    ...Array<number>(shape.C * K).fill(shape.wBits),
    ...Array<number>(shape.C).fill(shape.bBits),
  ];
}

/** Bit width of each committed test value, in commitment order: per sample, D features then the label. */
export function testLayoutBits(
  shape: MlpShape,
  labelBits = Math.max(1, bitLength(BigInt(shape.C - 1))),
): number[] {
  const out: number[] = [];
  for (let n = 0; n < shape.N; n++) {
    for (let d = 0; d < shape.D; d++) out.push(shape.inBits);
    out.push(labelBits);
  }
  return out;
}

/** Number of field elements the greedy packer (commit.ts, and the circuit) produces. */
export function packedCount(bits: readonly number[]): number {
  let count = 0;
  let used = PACK_BITS; // forces a new element for the first value
  for (const b of bits) {
    if (used + b > PACK_BITS) {
      count++;
      used = 0;
    }
    used += b;
  }
  return count;
}

/** Registry-style id, e.g. "mlp-d4-h3-c3-n4". */
export function shapeId(shape: Pick<MlpShape, "D" | "H" | "C" | "N">): string {
  return `mlp-d${shape.D}-h${shape.H}-c${shape.C}-n${shape.N}`;
}

/** The circuit template of a shape: MlpAccuracy (H ≥ 1) or LinearAccuracy (H = 0). */
export function shapeTemplate(shape: MlpShape): "MlpAccuracy" | "LinearAccuracy" {
  return shape.H === 0 ? "LinearAccuracy" : "MlpAccuracy";
}

/** Template parameters in the circuit's order (LinearAccuracy has no H, hBits, shift). */
export function shapeParams(shape: MlpShape): number[] {
  if (shape.H === 0) return [shape.D, shape.C, shape.N, shape.inBits, shape.wBits, shape.bBits];
  return [
    shape.D,
    shape.H,
    shape.C,
    shape.N,
    shape.inBits,
    shape.wBits,
    shape.bBits,
    shape.hBits,
    shape.shift,
  ];
}

/** Inverse of shapeParams. For LinearAccuracy, hBits = 8 and shift = 0 (unused when H = 0). */
export function shapeFromParams(params: readonly number[], template: string = "MlpAccuracy"): MlpShape {
  if (template === "LinearAccuracy") {
    if (params.length !== 6) throw new ShapeError(`LinearAccuracy takes 6 parameters, got ${params.length}`);
    const [D, C, N, inBits, wBits, bBits] = params as [number, number, number, number, number, number];
    return { D, H: 0, C, N, inBits, wBits, bBits, hBits: 8, shift: 0 };
  }
  if (template !== "MlpAccuracy") throw new ShapeError(`unknown mlp-family template ${template}`);
  if (params.length !== 9) throw new ShapeError(`MlpAccuracy takes 9 parameters, got ${params.length}`);
  const [D, H, C, N, inBits, wBits, bBits, hBits, shift] = params as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { D, H, C, N, inBits, wBits, bBits, hBits, shift };
}
