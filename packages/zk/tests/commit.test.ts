import { describe, expect, it } from "vitest";
import {
  BN254_R,
  PACK_BITS,
  PackError,
  modelCommitment,
  modelLayoutBits,
  modelPackItems,
  pack,
  packedCount,
  poseidonChain,
  randomSalt,
  shapeBounds,
  testCommitment,
  testPackItems,
  toOffset,
  unpack,
  getPoseidon,
  type IntModel,
  type MlpShape,
  type Sample,
} from "../src/index.ts";

const shape: MlpShape = { D: 4, H: 3, C: 3, N: 2, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 };
const model: IntModel = {
  shape,
  W1: [
    [127n, -128n, 0n, 5n],
    [-1n, 2n, -3n, 4n],
    [9n, 9n, 9n, 9n],
  ],
  b1: [2047n, -2048n, 0n],
  W2: [
    [1n, 2n, 3n],
    [-4n, -5n, -6n],
    [7n, 8n, 9n],
  ],
  b2: [10n, -20n, 30n],
};
const samples: Sample[] = [
  { x: [0n, 15n, 7n, 1n], label: 2n },
  { x: [15n, 15n, 15n, 15n], label: 0n },
];

describe("packing", () => {
  it("round-trips values at the bounds of mixed widths", () => {
    const items = [
      { value: 0n, bits: 8 },
      { value: 255n, bits: 8 },
      { value: 2n ** 248n - 1n, bits: 248 },
      { value: 4095n, bits: 12 },
      { value: 1n, bits: 1 },
    ];
    const packed = pack(items);
    expect(packed).toHaveLength(3);
    expect(packed.every((e) => e < 2n ** BigInt(PACK_BITS))).toBe(true);
    expect(
      unpack(
        packed,
        items.map((i) => i.bits),
      ),
    ).toEqual(items.map((i) => i.value));
    expect(packedCount(items.map((i) => i.bits))).toBe(3);
  });

  it("never lets a value straddle two elements (31 × 8-bit values per element)", () => {
    const items = Array.from({ length: 32 }, (_, i) => ({ value: BigInt(i), bits: 8 }));
    const packed = pack(items);
    expect(packed).toHaveLength(2);
    expect(packed[1]).toBe(31n);
    expect(packed[0]).toBe(items.slice(0, 31).reduce((acc, it, i) => acc + (it.value << BigInt(8 * i)), 0n));
  });

  it("refuses a value outside its width (so packing stays injective)", () => {
    expect(() => pack([{ value: 256n, bits: 8 }])).toThrow(PackError);
    expect(() => pack([{ value: -1n, bits: 8 }])).toThrow(PackError);
    expect(() => pack([{ value: 0n, bits: 249 }])).toThrow(PackError);
    // 256 in 8 bits would collide with (0, 1): pack([256]) is refused, pack([0, 1]) is fine.
    expect(
      pack([
        { value: 0n, bits: 8 },
        { value: 1n, bits: 8 },
      ]),
    ).toEqual([256n]);
  });

  it("lays out the model as W1, b1, W2, b2 offset to unsigned", () => {
    const items = modelPackItems(model);
    expect(items.map((i) => i.bits)).toEqual(modelLayoutBits(shape));
    expect(items[0]).toEqual({ value: 255n, bits: 8 });
    expect(items[1]).toEqual({ value: 0n, bits: 8 });
    expect(items[12]).toEqual({ value: toOffset(2047n, 12), bits: 12 });
    expect(items[12]?.value).toBe(4095n);
    expect(items[13]?.value).toBe(0n);
    expect(pack(items)).toHaveLength(shapeBounds(shape).modelPacked);
    expect(unpack(pack(items), modelLayoutBits(shape))).toEqual(items.map((i) => i.value));
  });

  it("lays out the test set as features then label, per sample", () => {
    const items = testPackItems(shape, samples);
    expect(items.map((i) => i.value)).toEqual([0n, 15n, 7n, 1n, 2n, 15n, 15n, 15n, 15n, 0n]);
    expect(items.map((i) => i.bits)).toEqual([4, 4, 4, 4, 2, 4, 4, 4, 4, 2]);
    expect(() => testPackItems(shape, samples.slice(0, 1))).toThrow(/2 samples/);
  });
});

describe("commitments", () => {
  it("chains Poseidon over ≤ 15 elements per link, starting from the salt", async () => {
    const poseidon = await getPoseidon();
    const h = (xs: bigint[]) => poseidon.F.toObject(poseidon(xs));
    expect(await poseidonChain(7n, [1n, 2n])).toBe(h([7n, 1n, 2n]));
    const xs = Array.from({ length: 16 }, (_, i) => BigInt(i + 1));
    expect(await poseidonChain(7n, xs)).toBe(h([h([7n, ...xs.slice(0, 15)]), 16n]));
    await expect(poseidonChain(BN254_R, [1n])).rejects.toThrow(/salt/);
  });

  it("is deterministic and sensitive to every weight, label, feature and salt", async () => {
    const mc = await modelCommitment(model, 42n);
    expect(await modelCommitment(model, 42n)).toBe(mc);
    expect(await modelCommitment(model, 43n)).not.toBe(mc);
    const w = structuredClone(model);
    (w.W2[2] as bigint[])[2] = 8n;
    expect(await modelCommitment(w, 42n)).not.toBe(mc);
    const b = structuredClone(model);
    b.b1[1] = -2047n;
    expect(await modelCommitment(b, 42n)).not.toBe(mc);

    const tc = await testCommitment(shape, samples, 5n);
    expect(await testCommitment(shape, samples, 5n)).toBe(tc);
    const l = structuredClone(samples);
    (l[0] as Sample).label = 1n;
    expect(await testCommitment(shape, l, 5n)).not.toBe(tc);
    const f = structuredClone(samples);
    ((f[1] as Sample).x as bigint[])[3] = 14n;
    expect(await testCommitment(shape, f, 5n)).not.toBe(tc);
    expect(await testCommitment(shape, samples, 6n)).not.toBe(tc);
  });

  it("refuses out-of-range values instead of committing to them", async () => {
    const bad = structuredClone(model);
    (bad.W1[0] as bigint[])[0] = 128n;
    await expect(modelCommitment(bad, 1n)).rejects.toThrow(/W1\[0\]\[0\]/);
  });

  it("draws salts below r", () => {
    for (let i = 0; i < 20; i++) {
      const s = randomSalt();
      expect(s >= 0n && s < BN254_R).toBe(true);
    }
    expect(randomSalt()).not.toBe(randomSalt());
  });
});
