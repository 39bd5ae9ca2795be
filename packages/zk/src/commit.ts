// Commitments, exactly as circuits/src/mlp.circom computes them:
//
//  1. every committed value is made unsigned (signed values get + 2^(bits−1)) and has a declared
//     width (shape.ts: modelLayoutBits / testLayoutBits);
//  2. values are packed greedily, in order, little-endian into field elements of at most 248 bits
//     (PACK_BITS): a value that does not fit in the current element starts the next one, so no value
//     straddles two elements. With every value range-checked to its width the packing is injective;
//  3. a Poseidon chain: h = salt; for each chunk of ≤ 15 packed elements, h = Poseidon(h, chunk…).
//
// modelCommitment = chain(modelSalt, pack(W1, b1, W2, b2)); testCommitment = chain(testSalt,
// pack(x[0], label[0], x[1], label[1], …)).
import { buildPoseidon, type Poseidon } from "circomlibjs";
import { BN254_R, PACK_BITS, modelLayoutBits, shapeBounds, testLayoutBits, type MlpShape } from "./shape.ts";
import { ValueRangeError, checkModel, checkSample, type IntModel, type Sample } from "./reference.ts";

/** Poseidon inputs per chain link besides the running hash (circomlib's Poseidon takes ≤ 16). */
export const CHAIN_CHUNK = 15;

export class PackError extends Error {
  override name = "PackError";
}

export interface PackItem {
  /** Unsigned value, 0 ≤ value < 2^bits. */
  value: bigint;
  bits: number;
}

/** Greedy little-endian packing into ≤ 248-bit field elements (see the header). */
export function pack(items: readonly PackItem[]): bigint[] {
  const out: bigint[] = [];
  let acc = 0n;
  let used = PACK_BITS;
  items.forEach(({ value, bits }, i) => {
    if (!Number.isInteger(bits) || bits < 1 || bits > PACK_BITS)
      throw new PackError(`item ${i}: width ${bits} is not in [1, ${PACK_BITS}]`);
    if (value < 0n || value >= 1n << BigInt(bits))
      throw new PackError(`item ${i}: value ${value} does not fit in ${bits} bits`);
    if (used + bits > PACK_BITS) {
      if (i > 0) out.push(acc);
      acc = 0n;
      used = 0;
    }
    acc += value << BigInt(used);
    used += bits;
  });
  if (items.length > 0) out.push(acc);
  return out;
}

/** Inverse of `pack` for a known layout of widths. */
export function unpack(packed: readonly bigint[], bits: readonly number[]): bigint[] {
  const out: bigint[] = [];
  let k = -1;
  let used = PACK_BITS;
  for (const b of bits) {
    if (used + b > PACK_BITS) {
      k++;
      used = 0;
    }
    const element = packed[k];
    if (element === undefined) throw new PackError(`layout needs more than ${packed.length} packed elements`);
    out.push((element >> BigInt(used)) & ((1n << BigInt(b)) - 1n));
    used += b;
  }
  if (k + 1 !== packed.length)
    throw new PackError(`layout uses ${k + 1} packed elements, got ${packed.length}`);
  return out;
}

/** Signed value → unsigned (offset by 2^(bits−1)). */
export function toOffset(value: bigint, bits: number): bigint {
  return value + (1n << BigInt(bits - 1));
}

/** The committed model values, unsigned, in layout order (W1 row-major, b1, W2, b2). */
export function modelPackItems(model: IntModel): PackItem[] {
  checkModel(model);
  const { wBits, bBits } = model.shape;
  const values = [
    ...model.W1.flat().map((w) => toOffset(w, wBits)),
    ...model.b1.map((b) => toOffset(b, bBits)),
  ];
  const values2 = [
    ...model.W2.flat().map((w) => toOffset(w, wBits)),
    ...model.b2.map((b) => toOffset(b, bBits)),
  ];
  const bits = modelLayoutBits(model.shape);
  return [...values, ...values2].map((value, i) => ({ value, bits: bits[i] as number }));
}

export function testPackItems(shape: MlpShape, samples: readonly Sample[]): PackItem[] {
  if (samples.length !== shape.N)
    throw new ValueRangeError(`the shape commits ${shape.N} samples, got ${samples.length}`, "samples");
  samples.forEach((s, i) => checkSample(shape, s, `samples[${i}]`));
  const bits = testLayoutBits(shape, shapeBounds(shape).labelBits);
  const values = samples.flatMap((s) => [...s.x, s.label]);
  return values.map((value, i) => ({ value, bits: bits[i] as number }));
}

let poseidonPromise: Promise<Poseidon> | undefined;
/** circomlibjs' Poseidon (same constants as circomlib's circuit), built once. */
export function getPoseidon(): Promise<Poseidon> {
  poseidonPromise ??= buildPoseidon();
  return poseidonPromise;
}

/** h = salt; h = Poseidon(h, chunk…) for each chunk of ≤ 15 elements. */
export async function poseidonChain(salt: bigint, elements: readonly bigint[]): Promise<bigint> {
  if (salt < 0n || salt >= BN254_R) throw new PackError("salt must be a field element (0 ≤ salt < r)");
  const poseidon = await getPoseidon();
  let h = salt;
  for (let i = 0; i < elements.length; i += CHAIN_CHUNK) {
    h = poseidon.F.toObject(poseidon([h, ...elements.slice(i, i + CHAIN_CHUNK)]));
  }
  return h;
}

export async function modelCommitment(model: IntModel, salt: bigint): Promise<bigint> {
  return poseidonChain(salt, pack(modelPackItems(model)));
}

export async function testCommitment(
  shape: MlpShape,
  samples: readonly Sample[],
  salt: bigint,
): Promise<bigint> {
  return poseidonChain(salt, pack(testPackItems(shape, samples)));
}

/** A uniformly random salt below r (Web Crypto; Node ≥ 19 and browsers). */
export function randomSalt(): bigint {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  bytes[0] = (bytes[0] as number) & 0x1f; // < 2^253; reject-sample below r
  const v = BigInt("0x" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""));
  return v < BN254_R ? v : randomSalt();
}
