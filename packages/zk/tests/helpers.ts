// Shared test fixtures: deterministic random models and samples, and a real build of a circuit
// through the circuits package's pipeline (a cache hit when it is up to date).
import { buildCircuit, releaseCurves } from "../../../circuits/scripts/lib.mjs";
import type { MlpProofRequest } from "../src/input.ts";
import { infer, type IntModel, type Sample } from "../src/reference.ts";
import type { MlpShape } from "../src/shape.ts";

export const CI_ID = "mlp-d4-h3-c3-n4";
export const CI_SHAPE: MlpShape = {
  D: 4,
  H: 3,
  C: 3,
  N: 4,
  inBits: 4,
  wBits: 8,
  bBits: 12,
  hBits: 8,
  shift: 4,
};
export const SUBMITTER = 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n;

/** Build (or reuse) a registry circuit; returns its artifact.json contents. */
export async function ensureBuilt(id: string) {
  return buildCircuit(id, { log: () => {} });
}

export { releaseCurves };

/** mulberry32: deterministic, so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: () => number, lo: number, hi: number) => BigInt(lo + Math.floor(r() * (hi - lo + 1)));

export function randomModel(shape: MlpShape, seed: number): IntModel {
  const r = rng(seed);
  const wHi = 2 ** (shape.wBits - 1) - 1;
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => int(r, -wHi, wHi)));
  const K = shape.H === 0 ? shape.D : shape.H;
  return {
    shape,
    W1: mat(shape.H, shape.D),
    b1: Array.from({ length: shape.H }, () => int(r, -300, 300)),
    W2: mat(shape.C, K),
    b2: Array.from({ length: shape.C }, () => int(r, -300, 300)),
  };
}

/** `count` samples; about half of the labels equal the model's prediction. */
export function randomSamples(model: IntModel, count: number, seed: number): Sample[] {
  const r = rng(seed);
  const { D, C, inBits } = model.shape;
  return Array.from({ length: count }, () => {
    const x = Array.from({ length: D }, () => int(r, 0, 2 ** inBits - 1));
    const label = r() < 0.5 ? BigInt(infer(model, x).prediction) : int(r, 0, C - 1);
    return { x, label };
  });
}

export function randomRequest(shape: MlpShape, seed: number): MlpProofRequest {
  const model = randomModel(shape, seed);
  return {
    model,
    samples: randomSamples(model, shape.N, seed + 1),
    modelSalt: 0x1234_5678_9abc_def0n * BigInt(seed + 1),
    testSalt: 0x0fed_cba9_8765_4321n * BigInt(seed + 1),
    challengeId: 7n,
    submitter: SUBMITTER,
  };
}
