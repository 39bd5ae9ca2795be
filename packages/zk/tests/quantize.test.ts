import { describe, expect, it } from "vitest";
import {
  MODEL_FORMAT,
  QuantizationError,
  countCorrect,
  quantize,
  quantizeInput,
  quantizeSample,
  shapeBounds,
  signedBits,
  suggestShift,
  infer,
  type FloatSample,
  type MlpShape,
} from "../src/index.ts";

const shape: MlpShape = { D: 4, H: 3, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 };

// Deterministic pseudo-random numbers (mulberry32).
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function floatModel(seed: number, biasScale = 0.1) {
  const r = rng(seed);
  const m = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => r() * 2 - 1));
  return {
    format: MODEL_FORMAT,
    family: "mlp",
    D: 4,
    H: 3,
    C: 3,
    W1: m(3, 4),
    b1: Array.from({ length: 3 }, () => (r() * 2 - 1) * biasScale),
    W2: m(3, 3),
    b2: Array.from({ length: 3 }, () => (r() * 2 - 1) * biasScale),
  };
}

function split(seed: number, n: number): FloatSample[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => ({
    x: Array.from({ length: 4 }, () => Math.floor(r() * 17)),
    label: Math.floor(r() * 3),
  }));
}

describe("quantization", () => {
  it("maps 8×8-digit features 0..16 onto 4 bits", () => {
    expect([0, 1, 8, 15, 16, 17, -1].map((v) => quantizeInput(v, 4, 16))).toEqual([
      0n,
      1n,
      8n,
      14n,
      15n,
      15n,
      0n,
    ]);
  });

  it("scales each layer so that max |w| becomes 127 and stays within the declared bounds", () => {
    const { model, report } = quantize(floatModel(1), shape, { inputMax: 16, samples: split(2, 200) });
    const w1 = model.W1.flat().map((w) => (w < 0n ? -w : w));
    const w2 = model.W2.flat().map((w) => (w < 0n ? -w : w));
    expect(w1.reduce((a, b) => (a > b ? a : b))).toBe(127n);
    expect(w2.reduce((a, b) => (a > b ? a : b))).toBe(127n);
    expect(report.bits.weights).toEqual({ used: 8, declared: 8 });
    expect(report.bits.biases.used).toBeLessThanOrEqual(12);
    expect(report.bits.acc1.used).toBeLessThanOrEqual(shapeBounds(shape).acc1Bits);
    expect(report.bits.acc2.used).toBeLessThanOrEqual(shapeBounds(shape).acc2Bits);
    expect(report.floatAccuracy).not.toBeNull();
    expect(report.quantizedAccuracy).not.toBeNull();
    expect(report.saturated.of).toBe(600);
    // quantized accuracy equals the reference's count over the same quantized split
    const qs = split(2, 200).map((s) => quantizeSample(s, shape, 16));
    expect(report.quantizedAccuracy).toBe(countCorrect(model, qs) / 200);
  });

  it("mostly agrees with the float model", () => {
    const { report } = quantize(
      floatModel(3),
      { ...shape, shift: 6 },
      { inputMax: 16, samples: split(4, 300) },
    );
    expect(report.disagreements).toBeLessThan(300 * 0.15);
  });

  it("refuses a bias that overflows the shape, with the reason", () => {
    try {
      quantize(floatModel(1, 1000), shape, { inputMax: 16 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(QuantizationError);
      expect((e as QuantizationError).reason).toBe("bias-overflow");
      expect((e as QuantizationError).message).toMatch(/b1\[\d\]|b2\[\d\]/);
    }
  });

  it("refuses a model of another shape", () => {
    expect(() => quantize(floatModel(1), { ...shape, D: 5 }, { inputMax: 16 })).toThrow(QuantizationError);
  });

  it("suggests the smallest shift without saturation on the split", () => {
    const samples = split(5, 200);
    const shift = suggestShift(floatModel(1), shape, { inputMax: 16, samples });
    const { model, report } = quantize(floatModel(1), { ...shape, shift }, { inputMax: 16, samples });
    expect(report.saturated.count).toBe(0);
    const hMax = 2n ** BigInt(shape.hBits) - 1n;
    // one less saturates somewhere (or the shift is already 0)
    if (shift > 0) {
      const tighter = quantize(floatModel(1), { ...shape, shift: shift - 1 }, { inputMax: 16, samples });
      expect(tighter.report.saturated.count).toBeGreaterThan(0);
    }
    expect(infer(model, [15n, 15n, 15n, 15n]).hidden.every((h) => h <= hMax)).toBe(true);
  });

  it("quantizes a linear model (H = 0) with biases at the input × weight scale", () => {
    const linear = {
      format: MODEL_FORMAT,
      family: "mlp",
      D: 4,
      H: 0,
      C: 3,
      W1: [],
      b1: [],
      W2: [
        [1, 0, 0, -0.5],
        [0, 1, 0, 0],
        [0, 0, 1, 0.25],
      ],
      b2: [0.5, 0, -0.5],
    };
    const lshape = { ...shape, H: 0, shift: 0 };
    const { model, report } = quantize(linear, lshape, { inputMax: 16, samples: split(6, 100) });
    expect(model.W2[0]).toEqual([127n, 0n, 0n, -64n]); // −63.5 rounds away from zero
    // ±0.5 · 127 · 15/16 = ±59.53 → ±60
    expect(model.b2).toEqual([60n, 0n, -60n]);
    expect(report.saturated.of).toBe(0);
    expect(report.quantizedAccuracy).not.toBeNull();
  });

  it("counts signed bit widths", () => {
    expect([0n, 1n, -1n, 127n, -128n, 128n, -129n].map(signedBits)).toEqual([1, 2, 1, 8, 8, 9, 9]);
  });
});
