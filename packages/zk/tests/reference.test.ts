import { describe, expect, it } from "vitest";
import {
  MLP_SHAPES,
  ValueRangeError,
  shapeFromParams,
  shapeParams,
  shapeTemplate,
  argmaxFirst,
  checkModel,
  countCorrect,
  infer,
  requantize,
  shapeBounds,
  type IntModel,
  type MlpShape,
} from "../src/index.ts";

const shape: MlpShape = { D: 2, H: 2, C: 3, N: 2, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 2 };
const model: IntModel = {
  shape,
  W1: [
    [3n, -2n],
    [-1n, 4n],
  ],
  b1: [5n, -7n],
  W2: [
    [1n, 0n],
    [0n, 1n],
    [1n, 1n],
  ],
  b2: [0n, 2n, -100n],
};

describe("shape bounds", () => {
  it("derives the accumulator widths from the declared bit widths", () => {
    const b = shapeBounds(shape);
    // acc1Max = 2^11 + 2 · 128 · 15 = 5888 < 2^13 → 13 + 1 sign bit
    expect(b.acc1Max).toBe(5888n);
    expect(b.acc1Bits).toBe(14);
    // acc2Max = 2^11 + 2 · 128 · 255 = 67328 < 2^17
    expect(b.acc2Max).toBe(67328n);
    expect(b.acc2Bits).toBe(18);
    expect(b.labelBits).toBe(2);
  });
  it("rejects bad shapes naming the field", () => {
    expect(() => shapeBounds({ ...shape, C: 1 })).toThrow(/shape\.C/);
    expect(() => shapeBounds({ ...shape, inBits: 0 })).toThrow(/shape\.inBits/);
  });
});

describe("reference inference (hand-computed)", () => {
  it("computes acc1, ReLU + shift, acc2 and the prediction", () => {
    // x = (10, 3): acc1 = (5 + 30 − 6, −7 − 10 + 12) = (29, −5); h = (29 >> 2, 0) = (7, 0)
    // acc2 = (7, 0 + 2, 7 − 100) = (7, 2, −93) → class 0
    const r = infer(model, [10n, 3n]);
    expect(r.acc1).toEqual([29n, -5n]);
    expect(r.hidden).toEqual([7n, 0n]);
    expect(r.acc2).toEqual([7n, 2n, -93n]);
    expect(r.prediction).toBe(0);
  });

  it("breaks ties to the first index", () => {
    expect(argmaxFirst([1n, 5n, 5n])).toBe(1);
    expect(argmaxFirst([-3n, -3n, -3n])).toBe(0);
    // x = (0, 0): acc1 = (5, −7) → h = (1, 0); acc2 = (1, 2, −99) → 1
    expect(infer(model, [0n, 0n]).prediction).toBe(1);
    // Every class scores 2 here (classes 0 and 1 tie at the maximum) → the first, 0.
    const tie: IntModel = {
      ...model,
      b2: [2n, 2n, 2n],
      W2: [
        [0n, 0n],
        [0n, 0n],
        [0n, 0n],
      ],
    };
    expect(infer(tie, [1n, 1n]).prediction).toBe(0);
  });

  it("saturates the hidden activation at 2^hBits − 1", () => {
    expect(requantize(-1n, 2, 8)).toBe(0n);
    expect(requantize(0n, 2, 8)).toBe(0n);
    expect(requantize(1023n, 2, 8)).toBe(255n);
    expect(requantize(1024n, 2, 8)).toBe(255n);
    expect(requantize(5000n, 2, 8)).toBe(255n);
    expect(requantize(7n, 0, 2)).toBe(3n);
  });

  it("counts correct predictions", () => {
    expect(
      countCorrect(model, [
        { x: [10n, 3n], label: 0n },
        { x: [0n, 0n], label: 0n },
      ]),
    ).toBe(1);
    expect(
      countCorrect(model, [
        { x: [10n, 3n], label: 0n },
        { x: [0n, 0n], label: 1n },
      ]),
    ).toBe(2);
  });

  it("supports H = 0 (linear model)", () => {
    const lin: IntModel = {
      shape: { ...shape, H: 0 },
      W1: [],
      b1: [],
      W2: [
        [1n, 0n],
        [0n, 1n],
        [-1n, -1n],
      ],
      b2: [0n, 0n, 0n],
    };
    expect(infer(lin, [3n, 9n]).prediction).toBe(1);
    expect(countCorrect(lin, [{ x: [3n, 9n], label: 1n }])).toBe(1);
  });

  it("refuses out-of-range values, naming them", () => {
    expect(() =>
      checkModel({
        ...model,
        W1: [
          [128n, 0n],
          [0n, 0n],
        ],
      }),
    ).toThrow(/W1\[0\]\[0\] = 128/);
    expect(() => checkModel({ ...model, b2: [0n, 2048n, 0n] })).toThrow(ValueRangeError);
    expect(() => countCorrect(model, [{ x: [16n, 0n], label: 0n }])).toThrow(/samples\[0\]\.x\[0\]/);
    expect(() => countCorrect(model, [{ x: [1n, 0n], label: 3n }])).toThrow(/label/);
    // at the bounds: fine
    expect(() =>
      checkModel({
        ...model,
        W1: [
          [127n, -128n],
          [0n, 0n],
        ],
        b1: [2047n, -2048n],
      }),
    ).not.toThrow();
  });
});

describe("named shapes", () => {
  it("are valid and fit their powers of tau", () => {
    for (const s of Object.values(MLP_SHAPES)) {
      expect(() => shapeBounds(s.shape)).not.toThrow();
      expect(2 ** s.power).toBeGreaterThanOrEqual(s.constraints + 6);
    }
    expect(MLP_SHAPES.ci.id).toBe("mlp-d4-h3-c3-n4");
    expect(MLP_SHAPES.ci.power).toBe(11);
    expect(MLP_SHAPES.demo.id).toBe("mlp-d64-h16-c10-n32");
  });
});

describe("shape parameters", () => {
  it("round-trip through the templates' parameter lists", () => {
    expect(shapeTemplate(shape)).toBe("MlpAccuracy");
    expect(shapeFromParams(shapeParams(shape))).toEqual(shape);
    const linear = { ...shape, H: 0, hBits: 8, shift: 0 };
    expect(shapeTemplate(linear)).toBe("LinearAccuracy");
    expect(shapeParams(linear)).toEqual([2, 3, 2, 4, 8, 12]);
    expect(shapeFromParams(shapeParams(linear), "LinearAccuracy")).toEqual(linear);
    expect(() => shapeFromParams([1, 2, 3])).toThrow(/9 parameters/);
    expect(() => shapeFromParams([1], "Tree")).toThrow(/unknown/);
  });
});
