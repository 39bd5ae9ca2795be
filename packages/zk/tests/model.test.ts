import { describe, expect, it } from "vitest";
import { MODEL_FORMAT, ModelFormatError, parseModel } from "../src/index.ts";

const valid = {
  format: MODEL_FORMAT,
  family: "mlp",
  D: 2,
  H: 2,
  C: 2,
  W1: [
    [1, -1],
    [0.5, 0.25],
  ],
  b1: [0, 0.1],
  W2: [
    [1, 0],
    [0, 1],
  ],
  b2: [0, 0],
};

function fieldOf(value: unknown): string {
  try {
    parseModel(value);
  } catch (e) {
    if (e instanceof ModelFormatError) return e.field;
    throw e;
  }
  throw new Error("parsed");
}

describe("zkarena.model/v1 schema", () => {
  it("accepts a valid model, and a linear model (H = 0, W2 is [C][D])", () => {
    expect(parseModel(valid).H).toBe(2);
    expect(
      parseModel({
        ...valid,
        H: 0,
        W1: [],
        b1: [],
        W2: [
          [1, 2],
          [3, 4],
        ],
      }).H,
    ).toBe(0);
  });

  it("names the bad field", () => {
    expect(fieldOf({ ...valid, format: "zkarena.model/v0" })).toBe("format");
    expect(fieldOf({ ...valid, family: "tree" })).toBe("family");
    expect(
      fieldOf({
        ...valid,
        W1: [
          [1, Number.NaN],
          [0, 0],
        ],
      }),
    ).toBe("W1.0.1");
    expect(fieldOf({ ...valid, b2: [0, Infinity] })).toBe("b2.1");
    expect(
      fieldOf({
        ...valid,
        W1: [
          [1, 2, 3],
          [0, 0],
        ],
      }),
    ).toBe("W1.0");
    expect(fieldOf({ ...valid, b1: [0] })).toBe("b1");
    expect(fieldOf({ ...valid, W2: [[1, 0]] })).toBe("W2");
    expect(fieldOf({ ...valid, D: 0 })).toBe("D");
    expect(fieldOf({ ...valid, C: 1 })).toBe("C");
    expect(fieldOf({ ...valid, H: 1.5 })).toBe("H");
    expect(fieldOf({ ...valid, extra: 1 })).toBe("(root)");
    expect(fieldOf(null)).toBe("(root)");
  });

  it("bounds sizes", () => {
    expect(fieldOf({ ...valid, D: 5000 })).toBe("D");
    expect(fieldOf({ ...valid, b2: Array(2000).fill(0) })).toBe("b2");
  });

  it("puts the field in the message", () => {
    expect(() => parseModel({ ...valid, b2: [0, "x"] })).toThrow(/b2\.1/);
  });
});
