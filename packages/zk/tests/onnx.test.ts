// ONNX import: real PyTorch exports (fixtures/onnx, made by fixtures/onnx/generate.py) compared with
// PyTorch's own outputs, and hand-encoded graphs for the forms PyTorch 1.13 does not emit (Gemm with
// transA / alpha / beta, float_data, Keras-style Reshape, Transpose, consecutive linear layers).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadTest } from "../../../examples/fashion-mnist/data.ts";
import {
  MLP_SHAPES,
  OnnxImportError,
  importOnnx,
  quantize,
  type FloatModel,
  type OnnxImportOptions,
  type OnnxIssue,
} from "../src/index.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/onnx/", import.meta.url));
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, "expected.json"), "utf8")) as {
  models: Record<string, { inputs: number[][]; outputs: number[][] }>;
};

/** The imported float model's scores (logits), in float64. */
function logits(m: FloatModel, x: readonly number[]): number[] {
  const h =
    m.H === 0
      ? [...x]
      : m.W1.map((row, j) =>
          Math.max(
            0,
            row.reduce((s, w, d) => s + w * x[d]!, m.b1[j]!),
          ),
        );
  return m.W2.map((row, c) => row.reduce((s, w, j) => s + w * h[j]!, m.b2[c]!));
}
const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const argmax = (z: readonly number[]) => z.reduce((b, v, i) => (v > z[b]! ? i : b), 0);

function issuesOf(bytes: Uint8Array, opts?: OnnxImportOptions): OnnxIssue[] {
  try {
    importOnnx(bytes, opts);
  } catch (e) {
    if (e instanceof OnnxImportError) return e.issues;
    throw e;
  }
  throw new Error("imported without an error");
}

// ---------------------------------------------------------------------------------------------
// A minimal protobuf / ONNX writer for hand-made graphs.

const enc = new TextEncoder();
function varint(n: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const fVarint = (field: number, v: bigint | number) => [...key(field, 0), ...varint(v)];
const fBytes = (field: number, b: ArrayLike<number>) => [
  ...key(field, 2),
  ...varint(b.length),
  ...Array.from(b),
];
const fStr = (field: number, s: string) => fBytes(field, enc.encode(s));
const f32s = (xs: number[]) => {
  const b = new Uint8Array(xs.length * 4);
  const dv = new DataView(b.buffer);
  xs.forEach((x, i) => dv.setFloat32(i * 4, x, true));
  return b;
};

interface T {
  name: string;
  dims: number[];
  data: number[];
  /** raw: raw_data float32 (default); float: float_data; double: raw_data float64; int64: int64_data */
  as?: "raw" | "float" | "double" | "int64";
}
function tensor(t: T): number[] {
  const as = t.as ?? "raw";
  const dt = as === "double" ? 11 : as === "int64" ? 7 : 1;
  const body = [...t.dims.flatMap((d) => fVarint(1, d)), ...fVarint(2, dt), ...fStr(8, t.name)];
  if (as === "raw") body.push(...fBytes(9, f32s(t.data)));
  else if (as === "float") body.push(...fBytes(4, f32s(t.data)));
  else if (as === "int64")
    body.push(
      ...fBytes(
        7,
        t.data.flatMap((v) => varint(v)),
      ),
    );
  else {
    const b = new Uint8Array(t.data.length * 8);
    const dv = new DataView(b.buffer);
    t.data.forEach((x, i) => dv.setFloat64(i * 8, x, true));
    body.push(...fBytes(9, b));
  }
  return body;
}
type Attr = { name: string; i?: number; f?: number; ints?: number[] };
function node(op: string, inputs: string[], outputs: string[], name: string, attrs: Attr[] = []): number[] {
  return [
    ...inputs.flatMap((i) => fStr(1, i)),
    ...outputs.flatMap((o) => fStr(2, o)),
    ...fStr(3, name),
    ...fStr(4, op),
    ...attrs.flatMap((a) =>
      fBytes(5, [
        ...fStr(1, a.name),
        ...(a.f !== undefined ? [...key(2, 5), ...f32s([a.f])] : []),
        ...(a.i !== undefined ? fVarint(3, a.i) : []),
        ...(a.ints ?? []).flatMap((v) => fVarint(8, v)),
      ]),
    ),
  ];
}
/** elemType: 1 = float, 7 = int64; null = not a tensor (e.g. ZipMap's sequence of maps). */
function valueInfo(name: string, dims: (number | string)[], elemType: number | null = 1): number[] {
  const shape = dims.flatMap((d) => fBytes(1, typeof d === "number" ? fVarint(1, d) : fStr(2, d)));
  if (elemType === null) return [...fStr(1, name), ...fBytes(2, fBytes(4, []))];
  return [...fStr(1, name), ...fBytes(2, fBytes(1, [...fVarint(1, elemType), ...fBytes(2, shape)]))];
}
function onnxModel(g: {
  nodes: number[][];
  inits: T[];
  input: (number | string)[];
  outputs?: string[];
  outputTypes?: (number | null)[];
}): Uint8Array {
  const graph = [
    ...g.nodes.flatMap((n) => fBytes(1, n)),
    ...fStr(2, "hand"),
    ...g.inits.flatMap((t) => fBytes(5, tensor(t))),
    ...fBytes(11, valueInfo("x", g.input)),
    ...(g.outputs ?? ["y"]).flatMap((o, i) =>
      fBytes(12, valueInfo(o, ["batch", "?"], g.outputTypes?.[i] === undefined ? 1 : g.outputTypes[i]!)),
    ),
  ];
  return Uint8Array.from([
    ...fVarint(1, 8),
    ...fStr(2, "hand"),
    ...fStr(3, "1"),
    ...fBytes(8, fVarint(2, 13)),
    ...fBytes(7, graph),
  ]);
}

// ---------------------------------------------------------------------------------------------

describe("importOnnx on PyTorch exports", () => {
  it("imports Flatten → Gemm → Relu → Gemm as a one-hidden-layer MLP with PyTorch's logits", () => {
    const { model, report } = importOnnx(fixture("mlp.onnx"));
    expect([model.D, model.H, model.C]).toEqual([4, 3, 3]);
    expect(report.fits).toContain(MLP_SHAPES.ci.id);
    expect(report.producer).toBe("pytorch 1.13.0");
    expect(report.opset).toBe(13);
    expect(report.input).toEqual({ name: "x", dims: ["batch", 1, 2, 2] });
    expect(report.layers.map((l) => l.becomes)).toEqual(["W1 [3×4] + b1 [3], ReLU", "W2 [3×3] + b2 [3]"]);
    expect(report.parameters).toBe(3 * 4 + 3 + 3 * 3 + 3);
    const { inputs, outputs } = expected.models.mlp!;
    inputs.forEach((x, i) => {
      const z = logits(model, x);
      z.forEach((v, c) => expect(v).toBeCloseTo(outputs[i]![c]!, 5));
    });
  });

  it("imports a logistic regression (Gemm + Softmax) as H = 0 and drops the Softmax with a note", () => {
    const { model, report } = importOnnx(fixture("logistic.onnx"));
    expect([model.D, model.H, model.C]).toEqual([4, 0, 3]);
    expect(model.W1).toEqual([]);
    expect(report.fits).toEqual([MLP_SHAPES.ciLinear.id]);
    expect(report.notes.join("\n")).toMatch(/Softmax "\/1\/Softmax" at the end dropped/);
    const { inputs, outputs } = expected.models.logistic!;
    inputs.forEach((x, i) => {
      softmax(logits(model, x)).forEach((p, c) => expect(p).toBeCloseTo(outputs[i]![c]!, 5));
      expect(argmax(logits(model, x))).toBe(argmax(outputs[i]!));
    });
  });

  it("folds (x − mean) / std, Reshape and MatMul + Add into the layers (LogSoftmax dropped)", () => {
    const { model, report } = importOnnx(fixture("matmul.onnx"));
    expect([model.D, model.H, model.C]).toEqual([4, 3, 3]);
    expect(report.layers[0]!.nodes).toEqual([
      'Sub "/Sub"',
      'Div "/Div"',
      'MatMul "/MatMul"',
      'Add "/Add"',
      'Relu "/Relu"',
    ]);
    const { inputs, outputs } = expected.models.matmul!;
    inputs.forEach((x, i) => {
      const z = logits(model, x);
      const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
      z.forEach((v, c) => expect(v - lse).toBeCloseTo(outputs[i]![c]!, 4));
    });
  });

  it("reads one sigmoid logit as two classes (class 1 iff the logit is > 0)", () => {
    const { model, report } = importOnnx(fixture("binary.onnx"), { target: "any" });
    expect([model.D, model.H, model.C]).toEqual([4, 0, 2]);
    expect(model.W2[0]).toEqual([0, 0, 0, 0]);
    expect(report.notes.join("\n")).toMatch(/logit of class 1/);
    const { inputs, outputs } = expected.models.binary!;
    inputs.forEach((x, i) => {
      const [z0, z1] = logits(model, x) as [number, number];
      expect(1 / (1 + Math.exp(-(z1 - z0)))).toBeCloseTo(outputs[i]![0]!, 5);
      expect(argmax([z0, z1])).toBe(outputs[i]![0]! > 0.5 ? 1 : 0);
    });
  });

  it("lists every unsupported operator, the extra hidden layer and every shape mismatch in one error", () => {
    const issues = issuesOf(fixture("unsupported.onnx"));
    const ops = issues.filter((i) => i.kind === "unsupported-operator").map((i) => [i.opType, i.node]);
    expect(ops).toEqual([
      ["Tanh", "/2/Tanh"],
      ["LeakyRelu", "/4/LeakyRelu"],
    ]);
    expect(issues.filter((i) => i.kind === "unsupported-structure").map((i) => i.message)).toEqual([
      expect.stringMatching(/2 hidden layers .* at most one hidden ReLU layer/),
    ]);
    // D = 6 fits no registered shape: one mismatch per registered shape, each naming the differences.
    const mismatches = issues.filter((i) => i.kind === "shape-mismatch").map((i) => i.message);
    expect(mismatches).toHaveLength(Object.keys(MLP_SHAPES).length);
    expect(mismatches[0]).toMatch(
      /the model is 6-5-3 .* mlp-d4-h3-c3-n4 .* D \(inputs\) 6 ≠ 4, H \(hidden units\) 5 ≠ 3/,
    );
    let message = "";
    try {
      importOnnx(fixture("unsupported.onnx"));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^ONNX import failed with 7 problems:/);
    expect(message).toContain('Tanh "/2/Tanh" is not supported: only ReLU');
    expect(message).toContain('LeakyRelu "/4/LeakyRelu" is not supported');
  });

  it("names a convolution with a hint and does not invent shapes after it", () => {
    const issues = issuesOf(fixture("conv.onnx"));
    expect(issues.map((i) => [i.kind, i.opType, i.node])).toEqual([
      ["unsupported-operator", "Conv", "/0/Conv"],
    ]);
    expect(issues[0]!.message).toMatch(/flatten the image and use Linear/);
  });

  it("checks a chosen target shape and names each mismatching dimension", () => {
    const issues = issuesOf(fixture("mlp.onnx"), { target: "demo" });
    expect(issues).toEqual([
      {
        kind: "shape-mismatch",
        message:
          "the model is 4-3-3 (D-H-C), the circuit mlp-d64-h16-c10-n32 needs 64-16-10: D (inputs) 4 ≠ 64, H (hidden units) 3 ≠ 16, C (classes) 3 ≠ 10",
      },
    ]);
    expect(importOnnx(fixture("mlp.onnx"), { target: "mlp-d4-h3-c3-n4" }).model.H).toBe(3);
    expect(importOnnx(fixture("mlp.onnx"), { target: MLP_SHAPES.ci.shape }).model.H).toBe(3);
    expect(() => importOnnx(fixture("mlp.onnx"), { target: "huge" })).toThrow(
      /unknown circuit shape "huge"; registered: ci/,
    );
  });

  it("imports models that keep their accuracy on held-out iris once quantized for the ci circuits", () => {
    const iris = JSON.parse(fs.readFileSync(path.join(FIXTURES, "iris-heldout.json"), "utf8")) as {
      samples: number[][];
    };
    const samples = iris.samples.map((r) => ({ x: r.slice(0, 4), label: r[4]! }));
    expect(samples).toHaveLength(48);
    for (const [file, shape] of [
      ["mlp.onnx", MLP_SHAPES.ci.shape],
      ["logistic.onnx", MLP_SHAPES.ciLinear.shape],
      ["matmul.onnx", MLP_SHAPES.ci.shape],
    ] as const) {
      const { model } = importOnnx(fixture(file));
      const { report } = quantize(model, shape, { inputMax: 8, samples });
      expect(report.floatAccuracy, file).toBeGreaterThanOrEqual(0.9);
      expect(report.quantizedAccuracy, file).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe("importOnnx on the Fashion-MNIST baseline (examples/fashion-mnist)", () => {
  it("imports the 196-25-10 PyTorch model for the benchmark circuit and keeps its held-out accuracy quantized", () => {
    const bytes = new Uint8Array(
      fs.readFileSync(fileURLToPath(new URL("../../../examples/fashion-mnist/model.onnx", import.meta.url))),
    );
    const { model, report } = importOnnx(bytes, { target: "benchmark" });
    expect(report.fits).toEqual([MLP_SHAPES.benchmark.id]);
    expect(report.layers[0]!.nodes[0]).toMatch(/^Div /); // x / 15 folded into W1
    const test = loadTest();
    expect(test).toHaveLength(560);
    const { report: q } = quantize(model, MLP_SHAPES.benchmark.shape, { inputMax: 15, samples: test });
    // train.py printed 0.8839 for PyTorch on the same 560 images.
    expect(q.floatAccuracy).toBeCloseTo(495 / 560, 6);
    expect(q.quantizedAccuracy).toBeGreaterThanOrEqual(0.87);
    expect(q.saturated.count).toBe(0);
  });
});

describe("importOnnx on bad input", () => {
  it.each([
    ["an empty file", new Uint8Array(0), /the file is empty/],
    ["a JSON model", new TextEncoder().encode('{"format":"zkarena.model/v1"}'), /not an ONNX model/],
    [
      "a truncated file",
      fixture("mlp.onnx").subarray(0, 300),
      /not an ONNX model \(.*(past the end|truncated)/,
    ],
  ])("refuses %s as not ONNX, saying what to pass", (_, bytes, re) => {
    const issues = issuesOf(bytes);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.kind).toBe("not-onnx");
    expect(issues[0]!.message).toMatch(re);
    expect(issues[0]!.message).toMatch(/torch\.onnx\.export/);
  });

  it("refuses an unknown output name, listing the outputs", () => {
    expect(() => importOnnx(fixture("mlp.onnx"), { output: "probabilities" })).toThrow(
      'the graph has no output "probabilities" (outputs: "scores")',
    );
  });
});

describe("importOnnx on hand-encoded graphs", () => {
  const W = [
    [0.5, -1, 2, 0.25],
    [1, 1, -1, 0],
    [-0.5, 0, 0.75, 1.5],
  ]; // [out=3][in=4]
  const b = [0.1, -0.2, 0.3];
  const x = [1, 2, 3, 4];
  const ref = W.map((row, o) => row.reduce((s, w, i) => s + w * x[i]!, b[o]!));
  const WT = [0, 1, 2, 3].map((i) => W.map((row) => row[i]!)); // [in][out]

  it("reads Gemm with transB = 0, alpha, beta and float_data initializers", () => {
    const bytes = onnxModel({
      nodes: [
        node("Gemm", ["x", "W", "b"], ["y"], "g", [
          { name: "alpha", f: 2 },
          { name: "beta", f: 0.5 },
        ]),
      ],
      inits: [
        { name: "W", dims: [4, 3], data: WT.flat(), as: "float" },
        { name: "b", dims: [3], data: b, as: "float" },
      ],
      input: ["N", 4],
    });
    const { model } = importOnnx(bytes, { target: "any" });
    const got = logits(model, x);
    const want = W.map((row, o) => 2 * row.reduce((s, w, i) => s + w * x[i]!, 0) + 0.5 * b[o]!);
    got.forEach((v, c) => expect(v).toBeCloseTo(want[c]!, 5));
  });

  it("reads Transpose → Gemm(W, xᵀ, transA) → Transpose (data as B) and float64 weights", () => {
    const bytes = onnxModel({
      nodes: [
        node("Transpose", ["x"], ["xt"], "t1", [{ name: "perm", ints: [1, 0] }]),
        node("Gemm", ["WT", "xt", "bc"], ["yt"], "g", [{ name: "transA", i: 1 }]),
        node("Transpose", ["yt"], ["y"], "t2", [{ name: "perm", ints: [1, 0] }]),
      ],
      inits: [
        { name: "WT", dims: [4, 3], data: WT.flat(), as: "double" },
        { name: "bc", dims: [3, 1], data: b },
      ],
      input: ["N", 4],
    });
    const got = logits(importOnnx(bytes, { target: "any" }).model, x);
    got.forEach((v, c) => expect(v).toBeCloseTo(ref[c]!, 5));
  });

  it("reads a Keras-style Reshape(-1, D) → MatMul → Add and merges two linear layers with a note", () => {
    const I3 = [1, 0, 0, 0, 2, 0, 0, 0, 3];
    const bytes = onnxModel({
      nodes: [
        node("Reshape", ["x", "shape"], ["flat"], "reshape"),
        node("MatMul", ["flat", "W"], ["m"], "dense/MatMul"),
        node("Add", ["m", "b"], ["a"], "dense/BiasAdd"),
        node("MatMul", ["a", "I"], ["y"], "dense_1/MatMul"),
      ],
      inits: [
        { name: "shape", dims: [2], data: [-1, 4], as: "int64" },
        { name: "W", dims: [4, 3], data: WT.flat() },
        { name: "b", dims: [3], data: b },
        { name: "I", dims: [3, 3], data: I3 },
      ],
      input: ["N", 2, 2],
    });
    const { model, report } = importOnnx(bytes, { target: "any" });
    expect([model.D, model.H, model.C]).toEqual([4, 0, 3]);
    expect(report.notes.join("\n")).toMatch(/2 linear layers without an activation between them merged/);
    logits(model, x).forEach((v, c) => expect(v).toBeCloseTo(ref[c]! * (c + 1), 5));
  });

  it("refuses a run-time Reshape (Shape → Reshape) and a skip connection in one error", () => {
    const bytes = onnxModel({
      nodes: [
        node("Shape", ["x"], ["s"], "shape"),
        node("Reshape", ["x", "s"], ["r"], "reshape"),
        node("Gemm", ["r", "W"], ["h"], "fc1", [{ name: "transB", i: 1 }]),
        node("Softmax", ["h"], ["p"], "sm", [{ name: "axis", i: 1 }]),
        node("Add", ["p", "h"], ["y"], "skip"),
      ],
      inits: [{ name: "W", dims: [3, 4], data: W.flat() }],
      input: ["N", 4],
    });
    const issues = issuesOf(bytes, { target: "any" });
    expect(issues.map((i) => [i.kind, i.opType, i.node])).toEqual([
      ["unsupported-operator", "Shape", "shape"],
      ["unsupported-usage", "Reshape", "reshape"],
      ["unsupported-structure", "Add", "skip"],
    ]);
    expect(issues[1]!.message).toMatch(/computed at run time; use nn\.Flatten\(\)/);
  });

  it("refuses a model that ends with ReLU and one with two hidden layers", () => {
    const relu = onnxModel({
      nodes: [
        node("Gemm", ["x", "W"], ["h"], "fc", [{ name: "transB", i: 1 }]),
        node("Relu", ["h"], ["y"], "relu"),
      ],
      inits: [{ name: "W", dims: [3, 4], data: W.flat() }],
      input: ["N", 4],
    });
    expect(issuesOf(relu, { target: "any" }).map((i) => i.message)).toEqual([
      expect.stringMatching(/ends with an activation after its last Gemm/),
    ]);
  });

  it("refuses a Softmax that is not the last operation", () => {
    const bytes = onnxModel({
      nodes: [
        node("Gemm", ["x", "W"], ["h"], "fc1", [{ name: "transB", i: 1 }]),
        node("Softmax", ["h"], ["p"], "sm", [{ name: "axis", i: -1 }]),
        node("Gemm", ["p", "W2"], ["y"], "fc2", [{ name: "transB", i: 1 }]),
      ],
      inits: [
        { name: "W", dims: [3, 4], data: W.flat() },
        { name: "W2", dims: [3, 3], data: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
      ],
      input: ["N", 4],
    });
    const issues = issuesOf(bytes);
    expect(issues.map((i) => [i.kind, i.opType, i.node])).toEqual([
      ["unsupported-operator", "Softmax", "sm"],
    ]);
    expect(issues[0]!.message).toMatch(
      /supported only as the last operation; only ReLU is supported as the hidden activation/,
    );
  });

  it("refuses NaN or infinite weights as a model error, not a crash", () => {
    const bytes = onnxModel({
      nodes: [node("Gemm", ["x", "W"], ["y"], "fc", [{ name: "transB", i: 1 }])],
      inits: [{ name: "W", dims: [3, 4], data: [...W.flat().slice(0, 11), NaN] }],
      input: ["N", 4],
    });
    expect(issuesOf(bytes, { target: "any" })).toEqual([
      expect.objectContaining({
        kind: "unsupported-tensor",
        message: expect.stringMatching(/NaN or infinite/),
      }),
    ]);
  });

  it("reads skl2onnx-style outputs (label + ZipMap): the scores are the ZipMap's input; the label branch is ignored", () => {
    const bytes = onnxModel({
      nodes: [
        node("MatMul", ["x", "W"], ["m"], "MatMul"),
        node("Add", ["m", "b"], ["z"], "Add"),
        node("Softmax", ["z"], ["probabilities"], "Softmax", [{ name: "axis", i: 1 }]),
        node("ArgMax", ["probabilities"], ["label"], "ArgMax", [{ name: "axis", i: 1 }]),
        node("ZipMap", ["probabilities"], ["output_probability"], "ZipMap"),
      ],
      inits: [
        { name: "W", dims: [4, 3], data: WT.flat() },
        { name: "b", dims: [3], data: b },
      ],
      input: ["N", 4],
      outputs: ["label", "output_probability"],
      outputTypes: [7, null],
    });
    const { model, report } = importOnnx(bytes, { target: "any" });
    logits(model, x).forEach((v, c) => expect(v).toBeCloseTo(ref[c]!, 5));
    expect(report.output).toBe("probabilities");
    expect(report.notes.join("\n")).toMatch(
      /2 node\(s\) not on the path to output "probabilities" ignored: ArgMax "ArgMax", ZipMap "ZipMap"/,
    );
  });

  it("refuses a graph with no layer", () => {
    const none = onnxModel({ nodes: [node("Identity", ["x"], ["y"], "id")], inits: [], input: ["N", 4] });
    expect(issuesOf(none, { target: "any" })[0]!.message).toMatch(/no Gemm \/ MatMul layer/);
  });
});
