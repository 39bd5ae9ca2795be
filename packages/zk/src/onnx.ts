// ONNX → `zkarena.model/v1` float model. Browser-safe (no Node APIs): the CLI (`zkarena model
// import`) and the web app both call `importOnnx`.
//
// The file is read with a small hand-rolled protobuf reader of the few ONNX messages an MLP needs
// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto; field numbers
// from onnx/onnx.proto, ONNX 1.12). No new dependency: onnx.ts with model.ts, shapes.ts and the
// registry bundles to 28.7 KB minified (10.5 KB gzip) besides zod, which the package already uses
// (esbuild --bundle --minify, measured 2026-12).
//
// The graph is then interpreted symbolically, in the node order ONNX guarantees (topological),
// on the path from the graph input to the chosen output. Every op on that path is either
//   - affine (Gemm; MatMul; Add / Sub / Mul / Div by a constant; Transpose of a 2-D tensor):
//     composed into the current affine map, so Gemm, MatMul + Add, input scaling (x − m) / s and
//     even two linear layers without an activation between them collapse to one W·x + b;
//   - ReLU: closes the current affine map as a hidden layer;
//   - shape-only (Flatten; Reshape to [batch, features]; Identity; Dropout; Cast to float);
//   - a final Softmax / LogSoftmax / Sigmoid: monotone, so argmax (the circuit's prediction) is
//     unchanged: dropped, with a note;
// and anything else is collected as an issue. The result must be one affine map (H = 0: a linear /
// logistic model) or affine → ReLU → affine (one hidden layer), which is exactly the platform's
// `mlp` family. One OnnxImportError lists EVERY unsupported operator (with its node name) and every
// shape mismatch with the circuit shapes at once, so a user fixes the export in one round.
import { MODEL_FORMAT, MODEL_LIMITS, ModelFormatError, parseModel, type FloatModel } from "./model.ts";
import { MLP_SHAPES } from "./shapes.ts";
import { shapeId, type MlpShape } from "./shape.ts";

// ---------------------------------------------------------------------------------------------
// Public API

export interface OnnxImportOptions {
  /**
   * The circuit shape the model must fit: a registered shape name ("ci", "ciLinear", "demo",
   * "benchmark"), a registry circuit id ("mlp-d196-h25-c10-n28"), an MlpShape, or "any" (no shape
   * check beyond the float format's limits). Default: the model must fit at least one registered
   * shape; the error lists how it differs from each.
   */
  target?: string | MlpShape;
  /** Name of the graph output to read as the class scores (default: the only output, else the first float output). */
  output?: string;
}

export interface OnnxLayerReport {
  /** Nodes (by name, op type) that were composed into this layer. */
  nodes: string[];
  /** "W1"/"b1" (hidden layer) or "W2"/"b2" (output layer), with its size. */
  becomes: string;
}

export interface OnnxImportReport {
  /** ModelProto.producer_name / producer_version, e.g. "pytorch 1.13.1". */
  producer: string;
  irVersion: number;
  /** Version of the default ("ai.onnx") operator set. */
  opset: number | null;
  input: { name: string; dims: (number | string)[] };
  output: string;
  D: number;
  H: number;
  C: number;
  /** Number of float parameters of the imported model. */
  parameters: number;
  layers: OnnxLayerReport[];
  /** What was dropped, merged or reinterpreted, in words (e.g. "Softmax dropped: argmax-invariant"). */
  notes: string[];
  /** Registered circuit ids whose D-H-C this model has (any batch size N). */
  fits: string[];
}

export type OnnxIssueKind =
  | "not-onnx"
  | "unsupported-operator"
  | "unsupported-usage"
  | "unsupported-structure"
  | "unsupported-tensor"
  | "shape-mismatch";

export interface OnnxIssue {
  kind: OnnxIssueKind;
  /** Node name (or "#index" when the node has none), when the issue is about one node. */
  node?: string;
  opType?: string;
  message: string;
}

/** Everything wrong with the file, found in one pass (`issues`); the message lists them all. */
export class OnnxImportError extends Error {
  override name = "OnnxImportError";
  constructor(readonly issues: OnnxIssue[]) {
    super(
      issues.length === 1
        ? `ONNX import failed: ${issues[0]!.message}`
        : `ONNX import failed with ${issues.length} problems:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`,
    );
  }
}

/** Import an ONNX model (the bytes of a .onnx file) as a `zkarena.model/v1` float model. */
export function importOnnx(
  bytes: Uint8Array,
  opts: OnnxImportOptions = {},
): { model: FloatModel; report: OnnxImportReport } {
  let proto: ModelProto;
  try {
    proto = decodeModel(bytes);
  } catch (e) {
    if (e instanceof ProtoError)
      throw new OnnxImportError([
        {
          kind: "not-onnx",
          message: `not an ONNX model (${e.message}); export the model with torch.onnx.export, skl2onnx or tf2onnx and pass the .onnx file (a zkarena.model/v1 JSON file is read with parseModel)`,
        },
      ]);
    throw e;
  }
  return new Interpreter(proto, opts).run();
}

// ---------------------------------------------------------------------------------------------
// Protobuf wire format (https://protobuf.dev/programming-guides/encoding/)

class ProtoError extends Error {}

/** Largest file accepted (an MLP within MODEL_LIMITS is < 20 MB even as float64). */
const MAX_BYTES = 64 * 2 ** 20;
/** Largest tensor (elements) decoded. */
const MAX_ELEMENTS = MODEL_LIMITS.maxInputs * MODEL_LIMITS.maxHidden;

type WireValue =
  | { wire: 0; v: bigint }
  | { wire: 1; b: Uint8Array }
  | { wire: 2; b: Uint8Array }
  | { wire: 5; b: Uint8Array };

/** All fields of one message, by field number, in order (views into the input, no copies). */
function fields(buf: Uint8Array): Map<number, WireValue[]> {
  const out = new Map<number, WireValue[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new ProtoError(`truncated varint at byte ${pos}`);
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new ProtoError(`varint longer than 10 bytes at byte ${pos}`);
  };
  const take = (n: number): Uint8Array => {
    if (n < 0 || pos + n > buf.length)
      throw new ProtoError(`field of ${n} bytes runs past the end of its message at byte ${pos}`);
    const b = buf.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new ProtoError(`field number 0 at byte ${pos}`);
    let value: WireValue;
    if (wire === 0) value = { wire: 0, v: varint() };
    else if (wire === 1) value = { wire: 1, b: take(8) };
    else if (wire === 2) {
      const len = varint();
      if (len > BigInt(buf.length)) throw new ProtoError(`length ${len} past the end at byte ${pos}`);
      value = { wire: 2, b: take(Number(len)) };
    } else if (wire === 5) value = { wire: 5, b: take(4) };
    else throw new ProtoError(`unsupported wire type ${wire} at byte ${pos}`);
    const list = out.get(field);
    if (list) list.push(value);
    else out.set(field, [value]);
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function str(f: Map<number, WireValue[]>, n: number): string {
  const v = f.get(n)?.at(-1);
  if (!v) return "";
  if (v.wire !== 2) throw new ProtoError(`field ${n} should be a string`);
  return utf8.decode(v.b);
}
function strs(f: Map<number, WireValue[]>, n: number): string[] {
  return (f.get(n) ?? []).map((v) => {
    if (v.wire !== 2) throw new ProtoError(`field ${n} should be a string`);
    return utf8.decode(v.b);
  });
}
function msgs(f: Map<number, WireValue[]>, n: number): Uint8Array[] {
  return (f.get(n) ?? []).map((v) => {
    if (v.wire !== 2) throw new ProtoError(`field ${n} should be a message`);
    return v.b;
  });
}
function msg(f: Map<number, WireValue[]>, n: number): Uint8Array | null {
  return msgs(f, n).at(-1) ?? null;
}
/** Signed 64-bit integers (int64 / int32 / enum), packed or not. */
function ints(f: Map<number, WireValue[]>, n: number): bigint[] {
  const out: bigint[] = [];
  for (const v of f.get(n) ?? []) {
    if (v.wire === 0) out.push(BigInt.asIntN(64, v.v));
    else if (v.wire === 2) {
      for (const x of fields(packedAsVarints(v.b)).get(1) ?? [])
        if (x.wire === 0) out.push(BigInt.asIntN(64, x.v));
    } else throw new ProtoError(`field ${n} should be an integer`);
  }
  return out;
}
function int(f: Map<number, WireValue[]>, n: number, dflt = 0n): bigint {
  return ints(f, n).at(-1) ?? dflt;
}
/** Packed varints re-framed as repeated field 1 (tag 0x08 before each) so `fields` can read them. */
function packedAsVarints(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (i === 0 || (b[i - 1]! & 0x80) === 0) out.push(0x08);
    out.push(b[i]!);
  }
  return Uint8Array.from(out);
}
/** float (fixed32) values, packed or not. */
function floats(f: Map<number, WireValue[]>, n: number): number[] {
  const out: number[] = [];
  for (const v of f.get(n) ?? []) {
    if (v.wire === 5 || v.wire === 2) {
      if (v.b.length % 4 !== 0) throw new ProtoError(`packed floats of ${v.b.length} bytes`);
      const dv = new DataView(v.b.buffer, v.b.byteOffset, v.b.byteLength);
      for (let i = 0; i < v.b.length; i += 4) out.push(dv.getFloat32(i, true));
    } else throw new ProtoError(`field ${n} should be a float`);
  }
  return out;
}
/** double (fixed64) values, packed or not. */
function doubles(f: Map<number, WireValue[]>, n: number): number[] {
  const out: number[] = [];
  for (const v of f.get(n) ?? []) {
    if (v.wire === 1 || v.wire === 2) {
      if (v.b.length % 8 !== 0) throw new ProtoError(`packed doubles of ${v.b.length} bytes`);
      const dv = new DataView(v.b.buffer, v.b.byteOffset, v.b.byteLength);
      for (let i = 0; i < v.b.length; i += 8) out.push(dv.getFloat64(i, true));
    } else throw new ProtoError(`field ${n} should be a double`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ONNX messages (only the fields used here)

const DT = { FLOAT: 1, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;
const DT_NAMES: Record<number, string> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "float64",
  12: "uint32",
  13: "uint64",
  16: "bfloat16",
};

interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  /** Decoded numbers (floats, doubles, or integers as numbers), or null when the type is not numeric here. */
  values: number[] | null;
  external: boolean;
}
interface AttributeProto {
  name: string;
  f: number | null;
  i: bigint | null;
  s: string | null;
  t: TensorProto | null;
  ints: bigint[];
  floats: number[];
}
interface NodeProto {
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  domain: string;
  attrs: Map<string, AttributeProto>;
}
interface ValueInfoProto {
  name: string;
  elemType: number | null;
  dims: (number | string)[] | null;
}
interface GraphProto {
  name: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  sparseInitializers: number;
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
}
interface ModelProto {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: string;
  graph: GraphProto;
}

function decodeModel(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new ProtoError("expected the file's bytes as a Uint8Array");
  if (bytes.length === 0) throw new ProtoError("the file is empty");
  if (bytes.length > MAX_BYTES) throw new ProtoError(`the file is larger than ${MAX_BYTES / 2 ** 20} MiB`);
  const f = fields(bytes);
  const graphBytes = msg(f, 7);
  if (!graphBytes) throw new ProtoError("no graph (ModelProto.graph is missing)");
  const irVersion = Number(int(f, 1));
  if (irVersion <= 0) throw new ProtoError("no ir_version");
  const opsets = msgs(f, 8).map((b) => {
    const o = fields(b);
    return { domain: str(o, 1), version: Number(int(o, 2)) };
  });
  const producer = [str(f, 2), str(f, 3)].filter((s) => s !== "").join(" ");
  return { irVersion, opsets, producer: producer || "unknown producer", graph: decodeGraph(graphBytes) };
}

function decodeGraph(b: Uint8Array): GraphProto {
  const f = fields(b);
  return {
    name: str(f, 2),
    nodes: msgs(f, 1).map(decodeNode),
    initializers: msgs(f, 5).map(decodeTensor),
    sparseInitializers: msgs(f, 15).length,
    inputs: msgs(f, 11).map(decodeValueInfo),
    outputs: msgs(f, 12).map(decodeValueInfo),
  };
}

function decodeNode(b: Uint8Array): NodeProto {
  const f = fields(b);
  const attrs = new Map<string, AttributeProto>();
  for (const a of msgs(f, 5)) {
    const af = fields(a);
    const t = msg(af, 5);
    const s = af.get(4)?.at(-1);
    const attr: AttributeProto = {
      name: str(af, 1),
      f: af.has(2) ? (floats(af, 2).at(-1) ?? null) : null,
      i: af.has(3) ? int(af, 3) : null,
      s: s && s.wire === 2 ? utf8.decode(s.b) : null,
      t: t ? decodeTensor(t) : null,
      ints: ints(af, 8),
      floats: floats(af, 7),
    };
    attrs.set(attr.name, attr);
  }
  return {
    inputs: strs(f, 1),
    outputs: strs(f, 2),
    name: str(f, 3),
    opType: str(f, 4),
    domain: str(f, 7),
    attrs,
  };
}

function decodeTensor(b: Uint8Array): TensorProto {
  const f = fields(b);
  const dims = ints(f, 1).map((d) => {
    if (d < 0n || d > BigInt(MAX_ELEMENTS)) throw new ProtoError(`tensor dimension ${d} out of range`);
    return Number(d);
  });
  const count = dims.reduce((a, d) => a * d, 1);
  if (count > MAX_ELEMENTS) throw new ProtoError(`tensor of ${count} elements (at most ${MAX_ELEMENTS})`);
  const dataType = Number(int(f, 2));
  const external = int(f, 14) === 1n;
  const raw = msg(f, 9);
  let values: number[] | null = null;
  if (!external) {
    if (raw) {
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const width =
        dataType === DT.FLOAT || dataType === DT.INT32
          ? 4
          : dataType === DT.INT64 || dataType === DT.DOUBLE
            ? 8
            : 0;
      if (width > 0) {
        if (raw.length !== count * width)
          throw new ProtoError(
            `tensor "${str(f, 8)}": raw_data has ${raw.length} bytes, its ${count} ${DT_NAMES[dataType]} values need ${count * width}`,
          );
        values = [];
        for (let i = 0; i < raw.length; i += width) {
          values.push(
            dataType === DT.FLOAT
              ? dv.getFloat32(i, true)
              : dataType === DT.DOUBLE
                ? dv.getFloat64(i, true)
                : dataType === DT.INT32
                  ? dv.getInt32(i, true)
                  : Number(dv.getBigInt64(i, true)),
          );
        }
      }
    } else if (dataType === DT.FLOAT) values = floats(f, 4);
    else if (dataType === DT.DOUBLE) values = doubles(f, 10);
    else if (dataType === DT.INT32) values = ints(f, 5).map(Number);
    else if (dataType === DT.INT64) values = ints(f, 7).map(Number);
    if (values && values.length !== count)
      throw new ProtoError(`tensor "${str(f, 8)}" has ${values.length} values for dims [${dims.join(", ")}]`);
  }
  return { name: str(f, 8), dims, dataType, values, external };
}

function decodeValueInfo(b: Uint8Array): ValueInfoProto {
  const f = fields(b);
  const type = msg(f, 2);
  const tensor = type ? msg(fields(type), 1) : null;
  if (!tensor) return { name: str(f, 1), elemType: null, dims: null };
  const tf = fields(tensor);
  const shape = msg(tf, 2);
  const dims = shape
    ? msgs(fields(shape), 1).map((d) => {
        const df = fields(d);
        if (df.has(1)) return Number(int(df, 1));
        const p = str(df, 2);
        return p === "" ? "?" : p;
      })
    : null;
  return { name: str(f, 1), elemType: Number(int(tf, 1)), dims };
}

// ---------------------------------------------------------------------------------------------
// Symbolic interpretation

/** y = W·x + b over the flattened features; W null = identity, b null = 0. */
interface Affine {
  W: number[][] | null;
  b: number[] | null;
  /** Number of weight matrices (Gemm / MatMul) composed into this map. */
  weightOps: number;
  nodes: string[];
}

/** The model input, as transformed by the nodes so far. */
interface DataState {
  kind: "data";
  /** Feature dimensions after the batch axis ([1, 14, 14] before Flatten, [196] after); null when unknown. */
  feat: number[] | null;
  /** Rank-2 tensor stored as [features, batch] (after a Transpose) instead of [batch, features]. */
  transposed: boolean;
  /** Hidden layers closed by an activation. */
  layers: Affine[];
  pending: Affine | null;
  /** Set after an unsupported op: values no longer mean anything (dims may still be tracked). */
  poisoned: boolean;
  /** The final activation applied (Softmax/LogSoftmax/Sigmoid), with its node label. */
  final: { op: string; node: string } | null;
}

interface ConstValue {
  kind: "const";
  dims: number[];
  values: number[] | null;
  dataType: number;
}

type Value = DataState | ConstValue;

const SUPPORTED = [
  "Gemm",
  "MatMul",
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Relu",
  "Flatten",
  "Reshape",
  "Transpose",
  "Identity",
  "Dropout",
  "Cast",
  "Constant",
  "Softmax",
  "LogSoftmax",
  "Sigmoid",
] as const;

/** Element-wise activations we cannot express: reported, but shapes keep being tracked through them. */
const ELEMENTWISE = new Set([
  "Tanh",
  "LeakyRelu",
  "Elu",
  "Selu",
  "Celu",
  "PRelu",
  "ThresholdedRelu",
  "HardSigmoid",
  "HardSwish",
  "Softplus",
  "Softsign",
  "Gelu",
  "Erf",
  "Mish",
  "Clip",
  "Exp",
  "Log",
  "Abs",
  "Sqrt",
  "Pow",
  "Sin",
  "Cos",
  "BatchNormalization",
]);

const HINTS: Record<string, string> = {
  Conv: "convolutions are not in the mlp family: flatten the image and use Linear / Dense layers",
  ConvTranspose: "convolutions are not in the mlp family",
  MaxPool: "pooling is not in the mlp family: downsample the inputs before training instead",
  AveragePool: "pooling is not in the mlp family: downsample the inputs before training instead",
  GlobalAveragePool: "pooling is not in the mlp family",
  BatchNormalization:
    "fold the batch norm into the preceding Linear layer before export (or train without it)",
  Shape:
    "use nn.Flatten() (or x.flatten(1)) instead of x.view(x.size(0), -1), which exports Shape/Gather/Concat",
  Gather: "use nn.Flatten() instead of x.view(x.size(0), -1)",
  Concat: "use nn.Flatten() instead of x.view(x.size(0), -1)",
  Unsqueeze: "use nn.Flatten() instead of x.view(x.size(0), -1)",
  ArgMax:
    "export the scores, not the predicted label (skl2onnx: pick the probabilities output with `output`)",
  ZipMap: "convert with skl2onnx options {zipmap: False}",
  LinearClassifier: "convert the scikit-learn model to Gemm form, or train it in PyTorch",
};

function activationHint(op: string): string {
  return op === "BatchNormalization"
    ? HINTS.BatchNormalization!
    : `only ReLU is supported as the hidden activation (retrain with ReLU)`;
}

const fmtDims = (d: readonly (number | string)[]) => `[${d.join(", ")}]`;

class Interpreter {
  private issues: OnnxIssue[] = [];
  private notes: string[] = [];
  private values = new Map<string, Value>();
  /** An unsupported op changed the tensor's shape in a way not tracked: no shape checks after it. */
  private shapesLost = false;

  constructor(
    private readonly proto: ModelProto,
    private readonly opts: OnnxImportOptions,
  ) {}

  private issue(kind: OnnxIssueKind, message: string, node?: NodeProto, label?: string): void {
    this.issues.push({
      kind,
      message,
      ...(node ? { node: label ?? node.name, opType: node.opType } : {}),
    });
  }

  run(): { model: FloatModel; report: OnnxImportReport } {
    const { graph } = this.proto;
    const defaultOpset = this.proto.opsets.find((o) => o.domain === "" || o.domain === "ai.onnx");
    const opset = defaultOpset?.version ?? null;
    if (graph.sparseInitializers > 0)
      this.issue(
        "unsupported-tensor",
        `the graph has ${graph.sparseInitializers} sparse initializer(s); export dense weights`,
      );

    // Constants: initializers (and, below, Constant nodes).
    for (const t of graph.initializers) {
      if (t.external)
        this.issue(
          "unsupported-tensor",
          `initializer "${t.name}" is stored in an external data file; save the model with its weights inside the .onnx file (onnx.save(model, path, save_as_external_data=False))`,
        );
      this.values.set(t.name, { kind: "const", dims: t.dims, values: t.values, dataType: t.dataType });
    }

    // The model input: graph inputs that are not initializers (ONNX < IR 4 lists initializers as inputs too).
    const realInputs = graph.inputs.filter((i) => !this.values.has(i.name));
    if (realInputs.length !== 1) {
      throw new OnnxImportError([
        {
          kind: "unsupported-structure",
          message:
            realInputs.length === 0
              ? "the graph has no input (every input is an initializer)"
              : `the graph has ${realInputs.length} inputs (${realInputs.map((i) => `"${i.name}"`).join(", ")}); an mlp model takes one input tensor of features`,
        },
      ]);
    }
    const input = realInputs[0]!;
    if (input.elemType !== null && input.elemType !== DT.FLOAT && input.elemType !== DT.DOUBLE)
      this.issue(
        "unsupported-tensor",
        `the input "${input.name}" is ${DT_NAMES[input.elemType] ?? `type ${input.elemType}`}; export with a float32 input`,
      );
    const inDims = input.dims;
    let feat: number[] | null = null;
    if (
      inDims &&
      inDims.length >= 2 &&
      inDims.slice(1).every((d): d is number => typeof d === "number" && d > 0)
    )
      feat = inDims.slice(1) as number[];
    else if (inDims && inDims.length < 2)
      this.issue(
        "unsupported-structure",
        `the input "${input.name}" has shape ${fmtDims(inDims)}; export with a batch axis first, e.g. [batch, features] (torch.onnx.export with an input of shape (1, D))`,
      );
    this.values.set(input.name, {
      kind: "data",
      feat,
      transposed: false,
      layers: [],
      pending: null,
      poisoned: false,
      final: null,
    });

    // The output to read.
    const output = this.pickOutput(graph);

    // Nodes on the path to the output (backward closure); others are ignored with a note.
    const producer = new Map<string, number>();
    graph.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
    const needed = new Set<number>();
    const stack = [output];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const i = producer.get(name);
      if (i === undefined) continue;
      needed.add(i);
      for (const inp of graph.nodes[i]!.inputs) if (inp !== "") stack.push(inp);
    }
    const ignored = graph.nodes.filter((_, i) => !needed.has(i));
    if (ignored.length > 0)
      this.notes.push(
        `${ignored.length} node(s) not on the path to output "${output}" ignored: ${ignored
          .slice(0, 8)
          .map((n, k) => `${n.opType} ${JSON.stringify(n.name || `#${graph.nodes.indexOf(ignored[k]!)}`)}`)
          .join(", ")}${ignored.length > 8 ? ", …" : ""}`,
      );

    graph.nodes.forEach((node, index) => {
      if (needed.has(index)) this.step(node, node.name || `#${index}`);
    });

    const result = this.values.get(output);
    if (!result || result.kind !== "data") {
      throw new OnnxImportError([
        ...this.issues,
        {
          kind: "unsupported-structure",
          message: result
            ? `output "${output}" is a constant: it does not depend on the input`
            : `output "${output}" is not computed by any node on the input's path`,
        },
      ]);
    }
    return this.finish(result, input, output, opset);
  }

  private pickOutput(graph: GraphProto): string {
    const names = graph.outputs.map((o) => o.name);
    if (this.opts.output !== undefined) {
      if (!names.includes(this.opts.output))
        throw new OnnxImportError([
          {
            kind: "unsupported-structure",
            message: `the graph has no output "${this.opts.output}" (outputs: ${names.map((n) => `"${n}"`).join(", ")})`,
          },
        ]);
      return this.opts.output;
    }
    if (graph.outputs.length === 0)
      throw new OnnxImportError([{ kind: "unsupported-structure", message: "the graph has no output" }]);
    if (graph.outputs.length === 1) return graph.outputs[0]!.name;
    const float = graph.outputs.find((o) => o.elemType === DT.FLOAT || o.elemType === DT.DOUBLE);
    // skl2onnx with its default ZipMap: outputs are a label and a sequence of maps; the scores are
    // the ZipMap's input tensor.
    const zipmap = float ? undefined : graph.nodes.find((n) => n.opType === "ZipMap" && n.inputs[0]);
    const chosen = float?.name ?? zipmap?.inputs[0] ?? graph.outputs[0]!.name;
    this.notes.push(
      `the graph has ${names.length} outputs (${names.map((n) => `"${n}"`).join(", ")}); read "${chosen}" as the class scores (choose another with the output option)`,
    );
    return chosen;
  }

  private const(name: string): ConstValue | null {
    const v = this.values.get(name);
    return v && v.kind === "const" ? v : null;
  }

  private step(node: NodeProto, label: string): void {
    const op = node.opType;
    const tag = `${op} "${label}"`;
    const set = (v: Value, k = 0) => {
      const out = node.outputs[k];
      if (out) this.values.set(out, v);
    };
    if (node.domain !== "" && node.domain !== "ai.onnx") {
      this.issue(
        "unsupported-operator",
        `${tag} (domain ${node.domain}) is not supported${HINTS[op] ? `: ${HINTS[op]}` : ""}`,
        node,
        label,
      );
      this.poisonOutputs(node);
      return;
    }
    if (op === "Constant") {
      const t = node.attrs.get("value")?.t;
      if (!t) {
        this.issue(
          "unsupported-usage",
          `${tag}: only tensor-valued Constant nodes are supported`,
          node,
          label,
        );
        return;
      }
      set({ kind: "const", dims: t.dims, values: t.values, dataType: t.dataType });
      return;
    }
    // Reshape's data is its first input; a shape computed from the input (Shape → … → Concat) is
    // reported at the Reshape as a run-time shape, not as a second branch.
    const dataInputs = (op === "Reshape" ? node.inputs.slice(0, 1) : node.inputs).filter(
      (n) => this.values.get(n)?.kind === "data",
    );
    const unknown = node.inputs.filter((n) => n !== "" && !this.values.has(n));
    if (dataInputs.length === 0) {
      // A computation on constants only (e.g. a folded shape): not evaluated here.
      if (unknown.length === 0 && !(SUPPORTED as readonly string[]).includes(op))
        this.issue(
          "unsupported-operator",
          `${tag} is not supported${HINTS[op] ? `: ${HINTS[op]}` : ""}`,
          node,
          label,
        );
      else if (unknown.length === 0)
        this.issue(
          "unsupported-usage",
          `${tag} computes a constant from constants; export with constant folding (torch.onnx.export(..., do_constant_folding=True))`,
          node,
          label,
        );
      return;
    }
    if (dataInputs.length > 1 || new Set(dataInputs).size !== dataInputs.length) {
      this.issue(
        "unsupported-structure",
        `${tag} combines two branches of the input (${dataInputs.join(", ")}); the mlp family is a single chain (no skip connections)`,
        node,
        label,
      );
      this.poisonOutputs(node, null);
      return;
    }
    const x = this.values.get(dataInputs[0]!) as DataState;
    const dataPos = node.inputs.indexOf(dataInputs[0]!);

    if (!(SUPPORTED as readonly string[]).includes(op)) {
      if (ELEMENTWISE.has(op)) {
        this.issue("unsupported-operator", `${tag} is not supported: ${activationHint(op)}`, node, label);
        // Shapes keep flowing: treat it as an activation boundary (values become meaningless).
        set({ ...this.close(x, tag), poisoned: true });
      } else {
        this.issue(
          "unsupported-operator",
          `${tag} is not supported${HINTS[op] ? `: ${HINTS[op]}` : ""}`,
          node,
          label,
        );
        this.poisonOutputs(node, null);
      }
      return;
    }

    // A final activation followed by more computation was not final after all.
    if (x.final && !["Identity", "Dropout", "Cast"].includes(op)) {
      this.issue(
        "unsupported-operator",
        `${x.final.op} "${x.final.node}" is followed by ${tag}: Softmax / LogSoftmax / Sigmoid are supported only as the last operation; ${activationHint(x.final.op)}`,
        undefined,
      );
      this.issues.at(-1)!.node = x.final.node;
      this.issues.at(-1)!.opType = x.final.op;
      const reopened: DataState = { ...x, final: null };
      return this.step2(node, label, tag, { ...this.close(reopened, tag), poisoned: true }, dataPos, set);
    }
    this.step2(node, label, tag, x, dataPos, set);
  }

  private step2(
    node: NodeProto,
    label: string,
    tag: string,
    x: DataState,
    dataPos: number,
    set: (v: Value, k?: number) => void,
  ): void {
    const op = node.opType;
    const attrI = (name: string, dflt: number) => {
      const a = node.attrs.get(name);
      return a?.i != null ? Number(a.i) : dflt;
    };
    const attrF = (name: string, dflt: number) => node.attrs.get(name)?.f ?? dflt;
    const bad = (kind: OnnxIssueKind, message: string) => {
      this.issue(kind, `${tag}: ${message}`, node, label);
      this.poisonOutputs(node, x);
    };
    const rank = x.feat ? x.feat.length + 1 : null;

    switch (op) {
      case "Identity":
      case "Dropout":
        set(x);
        return;
      case "Cast": {
        const to = attrI("to", 0);
        if (to !== DT.FLOAT && to !== DT.DOUBLE && to !== DT.FLOAT16)
          return bad(
            "unsupported-usage",
            `casts to ${DT_NAMES[to] ?? to}; the scores must stay floating point`,
          );
        set(x);
        return;
      }
      case "Flatten": {
        const axis = attrI("axis", 1);
        if (x.transposed) return bad("unsupported-usage", "flattens a transposed tensor");
        if (rank !== null && axis !== 1 && axis !== 1 - rank)
          return bad(
            "unsupported-usage",
            `axis ${axis} would mix the batch axis into the features; use axis 1`,
          );
        set({ ...x, feat: x.feat ? [x.feat.reduce((a, d) => a * d, 1)] : null });
        return;
      }
      case "Reshape": {
        const shape = this.const(node.inputs[1] ?? "");
        if (!shape || !shape.values) {
          return bad("unsupported-usage", `its target shape is computed at run time; ${HINTS.Shape}`);
        }
        if (x.transposed) return bad("unsupported-usage", "reshapes a transposed tensor");
        const target = shape.values;
        const D = x.feat ? x.feat.reduce((a, d) => a * d, 1) : null;
        // [batch, features]: [-1, D], [0, -1], [0, D], [N?, -1] with the batch first.
        const ok =
          target.length === 2 &&
          (target[0] === -1 || target[0] === 0 || (target[0]! > 0 && target[1] === -1)) &&
          (target[1] === -1 || target[1] === D || (D === null && target[1]! > 0));
        if (!ok)
          return bad(
            "unsupported-usage",
            `reshapes to ${fmtDims(target)}; only a flatten to [batch, features] (e.g. [-1, ${D ?? "D"}]) is supported`,
          );
        set({ ...x, feat: D !== null ? [D] : target[1]! > 0 ? [target[1]!] : null });
        return;
      }
      case "Transpose": {
        const perm = node.attrs.get("perm")?.ints.map(Number) ?? null;
        if (rank !== 2 || (perm !== null && !(perm[0] === 1 && perm[1] === 0)))
          return bad(
            "unsupported-usage",
            "only the transpose of a 2-D [batch, features] tensor is supported",
          );
        set({ ...x, transposed: !x.transposed });
        return;
      }
      case "Relu": {
        if (x.poisoned) {
          set(this.close(x, tag));
          return;
        }
        if (x.pending === null || x.pending.weightOps === 0) {
          if (x.pending === null && x.layers.length > 0) {
            this.notes.push(`${tag} repeats a ReLU: no-op`);
            set(x);
            return;
          }
          return bad(
            "unsupported-structure",
            "ReLU before any Gemm / MatMul: the first layer must be linear (inputs are non-negative anyway)",
          );
        }
        set(this.close(x, tag));
        return;
      }
      case "Softmax":
      case "LogSoftmax":
      case "Sigmoid": {
        if (op !== "Sigmoid") {
          const opset =
            this.proto.opsets.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version ?? 13;
          const axis = attrI("axis", opset < 13 ? 1 : -1);
          const classAxis = x.transposed ? 0 : 1;
          if (rank === 2 && axis !== classAxis && axis !== classAxis - 2)
            return bad("unsupported-usage", `normalises over axis ${axis}, not over the classes`);
        }
        set({
          ...x,
          pending: x.pending ? { ...x.pending, nodes: [...x.pending.nodes, tag] } : null,
          final: { op, node: label },
        });
        return;
      }
      case "Gemm":
      case "MatMul": {
        if (x.feat && x.feat.length !== 1)
          return bad(
            "unsupported-structure",
            `multiplies a ${x.feat.length + 1}-D tensor; flatten the input first (nn.Flatten())`,
          );
        const transA = op === "Gemm" ? attrI("transA", 0) === 1 : false;
        const transB = op === "Gemm" ? attrI("transB", 0) === 1 : false;
        const alpha = op === "Gemm" ? attrF("alpha", 1) : 1;
        const beta = op === "Gemm" ? attrF("beta", 1) : 1;
        const otherPos = dataPos === 0 ? 1 : 0;
        if (dataPos > 1) return bad("unsupported-usage", "the input must be A or B, not the bias C");
        const w = this.const(node.inputs[otherPos] ?? "");
        if (!w || !w.values || w.dims.length !== 2)
          return bad(
            "unsupported-usage",
            w
              ? `its weight "${node.inputs[otherPos]}" is not a 2-D float tensor`
              : `its weight "${node.inputs[otherPos]}" is not a constant`,
          );
        // Data as A: A' = transA ? Xt^T : Xt must be [batch, k]; Y = alpha·A'·B' is [batch, out].
        // Data as B: B' must be [k, batch]; Y = alpha·A'·B' is [out, batch] (transposed).
        const dataTrans = dataPos === 0 ? transA : transB;
        const effectiveTransposed = x.transposed !== dataTrans; // orientation of A' (or B')
        let Wm: number[][]; // [out][k]
        if (dataPos === 0) {
          if (effectiveTransposed)
            return bad(
              "unsupported-usage",
              "multiplies along the batch axis (check transA / the Transpose before it)",
            );
          const [r, c] = w.dims as [number, number];
          const B = (i: number, j: number) => w.values![i * c + j]!;
          // B' = transB ? B^T : B, shape [k, out]; W[o][i] = alpha · B'[i][o]
          const k = transB ? c : r;
          const out = transB ? r : c;
          Wm = Array.from({ length: out }, (_, o) =>
            Array.from({ length: k }, (_, i) => alpha * (transB ? B(o, i) : B(i, o))),
          );
        } else {
          if (!effectiveTransposed)
            return bad(
              "unsupported-usage",
              "multiplies along the batch axis (check transB / the Transpose before it)",
            );
          const transW = op === "Gemm" ? transA : false;
          const [r, c] = w.dims as [number, number];
          const A = (i: number, j: number) => w.values![i * c + j]!;
          // A' = transA ? A^T : A, shape [out, k]; W = alpha · A'
          const out = transW ? c : r;
          const k = transW ? r : c;
          Wm = Array.from({ length: out }, (_, o) =>
            Array.from({ length: k }, (_, i) => alpha * (transW ? A(i, o) : A(o, i))),
          );
        }
        const k = Wm[0]?.length ?? 0;
        if (x.feat && x.feat[0] !== k)
          return bad(
            "shape-mismatch",
            `its weight "${node.inputs[otherPos]}" ${fmtDims(w.dims)} takes ${k} features, the tensor before it has ${x.feat[0]}`,
          );
        const yTransposed = dataPos === 1;
        let next = this.compose(x, Wm, tag);
        // Bias C (Gemm): unidirectionally broadcast to Y.
        if (op === "Gemm" && node.inputs[2]) {
          const cIn = this.const(node.inputs[2]);
          if (!cIn || !cIn.values)
            return bad("unsupported-usage", `its bias "${node.inputs[2]}" is not a constant`);
          const vec = this.perFeature(cIn, Wm.length, yTransposed);
          if (!vec)
            return bad(
              "unsupported-usage",
              `its bias ${fmtDims(cIn.dims)} does not broadcast per output feature`,
            );
          next = this.addBias(
            next,
            vec.map((v) => beta * v),
          );
        }
        set({ ...next, feat: [Wm.length], transposed: yTransposed });
        return;
      }
      case "Add":
      case "Sub":
      case "Mul":
      case "Div": {
        const otherName = node.inputs[dataPos === 0 ? 1 : 0] ?? "";
        const c = this.const(otherName);
        if (!c || !c.values)
          return bad("unsupported-usage", `its other operand "${otherName}" is not a constant`);
        const n = x.feat ? x.feat.reduce((a, d) => a * d, 1) : null;
        let vec: number[] | null;
        if (c.values.length === 1) vec = n === null ? null : Array<number>(n).fill(c.values[0]!);
        else vec = x.feat && x.feat.length === 1 ? this.perFeature(c, x.feat[0]!, x.transposed) : null;
        if (!vec)
          return bad(
            "unsupported-usage",
            `its constant ${fmtDims(c.dims)} does not broadcast per feature of the ${x.feat ? fmtDims(["batch", ...x.feat]) : "input"} tensor`,
          );
        if (op === "Add") set(this.addBias(this.touch(x, tag), vec));
        else if (op === "Sub")
          set(
            dataPos === 0
              ? this.addBias(
                  this.touch(x, tag),
                  vec.map((v) => -v),
                )
              : this.addBias(
                  this.scale(
                    this.touch(x, tag),
                    vec.map(() => -1),
                  ),
                  vec,
                ),
          );
        else if (op === "Mul") set(this.scale(this.touch(x, tag), vec));
        else {
          if (dataPos !== 0) return bad("unsupported-usage", "divides a constant by the input (not affine)");
          if (vec.some((v) => v === 0)) return bad("unsupported-usage", "divides by zero");
          set(
            this.scale(
              this.touch(x, tag),
              vec.map((v) => 1 / v),
            ),
          );
        }
        return;
      }
      default:
        return bad("unsupported-operator", "is not supported");
    }
  }

  /** Mark every output of a node as unknown data (shapes lost). */
  private poisonOutputs(node: NodeProto, x: DataState | null = null): void {
    this.shapesLost = true;
    for (const o of node.outputs)
      if (o)
        this.values.set(o, {
          kind: "data",
          feat: null,
          transposed: false,
          layers: x?.layers ?? [],
          pending: null,
          poisoned: true,
          final: null,
        });
  }

  /** Close the pending affine map as a hidden layer (an activation follows it). */
  private close(x: DataState, tag: string): DataState {
    const pending = x.pending ?? { W: null, b: null, weightOps: 0, nodes: [] };
    return { ...x, layers: [...x.layers, { ...pending, nodes: [...pending.nodes, tag] }], pending: null };
  }

  private touch(x: DataState, tag: string): DataState {
    const p = x.pending ?? { W: null, b: null, weightOps: 0, nodes: [] };
    return { ...x, pending: { ...p, nodes: [...p.nodes, tag] } };
  }

  /** pending ← Wn · pending. */
  private compose(x: DataState, Wn: number[][], tag: string): DataState {
    const p = x.pending;
    if (x.poisoned)
      return {
        ...x,
        pending: { W: Wn, b: null, weightOps: (p?.weightOps ?? 0) + 1, nodes: [...(p?.nodes ?? []), tag] },
      };
    if (!p || p.W === null) {
      const b = p?.b ? Wn.map((row) => row.reduce((s, w, i) => s + w * p.b![i]!, 0)) : null;
      return {
        ...x,
        pending: { W: Wn, b, weightOps: (p?.weightOps ?? 0) + 1, nodes: [...(p?.nodes ?? []), tag] },
      };
    }
    const Wp = p.W;
    const inDim = Wp[0]?.length ?? 0;
    const W = Wn.map((row) => {
      const out = new Array<number>(inDim).fill(0);
      row.forEach((w, k) => {
        if (w === 0) return;
        const src = Wp[k]!;
        for (let i = 0; i < inDim; i++) out[i]! += w * src[i]!;
      });
      return out;
    });
    const b = p.b ? Wn.map((row) => row.reduce((s, w, i) => s + w * p.b![i]!, 0)) : null;
    return { ...x, pending: { W, b, weightOps: p.weightOps + 1, nodes: [...p.nodes, tag] } };
  }

  private addBias(x: DataState, v: number[]): DataState {
    const p = x.pending ?? { W: null, b: null, weightOps: 0, nodes: [] };
    const b = p.b ? p.b.map((bi, i) => bi + v[i]!) : [...v];
    return { ...x, pending: { ...p, b } };
  }

  private scale(x: DataState, v: number[]): DataState {
    const p = x.pending ?? { W: null, b: null, weightOps: 0, nodes: [] };
    const W = p.W
      ? p.W.map((row, i) => row.map((w) => w * v[i]!))
      : v.map((s, i) => v.map((_, j) => (i === j ? s : 0)));
    const b = p.b ? p.b.map((bi, i) => bi * v[i]!) : null;
    return { ...x, pending: { ...p, W, b } };
  }

  /** A constant as one value per feature of a [batch, n] (or transposed [n, batch]) tensor, or null. */
  private perFeature(c: ConstValue, n: number, transposed: boolean): number[] | null {
    const vals = c.values!;
    if (vals.length === 1) return Array<number>(n).fill(vals[0]!);
    if (vals.length !== n) return null;
    const d = c.dims.filter((_, i, all) => i >= all.length - 2); // last two dims at most
    if (c.dims.length > 2 && c.dims.slice(0, -2).some((k) => k !== 1)) return null;
    if (!transposed) {
      // [n], [1, n]
      if (d.length === 1 || (d.length === 2 && d[0] === 1)) return [...vals];
      return null;
    }
    // transposed [n, batch]: needs [n, 1]
    if (d.length === 2 && d[1] === 1) return [...vals];
    return n === 1 ? [...vals] : null;
  }

  private finish(
    y: DataState,
    input: ValueInfoProto,
    output: string,
    opset: number | null,
  ): { model: FloatModel; report: OnnxImportReport } {
    if (y.final)
      this.notes.push(
        `${y.final.op} "${y.final.node}" at the end dropped: it is monotone, so the predicted class (argmax) is unchanged`,
      );
    if (y.transposed)
      this.issue(
        "unsupported-structure",
        `output "${output}" is [classes, batch] (transposed); export [batch, classes]`,
      );
    const layers = y.layers;
    if (this.shapesLost) throw new OnnxImportError(this.issues);
    if (!y.poisoned) {
      if (y.pending === null || y.pending.weightOps === 0) {
        if (layers.length > 0 || y.pending !== null)
          this.issue(
            "unsupported-structure",
            `the model ends with ${layers.length > 0 ? "an activation" : "no layer"} after its last Gemm / MatMul; the output must be the last linear layer's scores (drop the final ReLU)`,
          );
        else
          this.issue(
            "unsupported-structure",
            "the model has no Gemm / MatMul layer between its input and output",
          );
      }
    }
    if (layers.length > 1)
      this.issue(
        "unsupported-structure",
        `the model has ${layers.length} hidden layers (${layers.map((l) => l.nodes.find((n) => /^(Gemm|MatMul)/.test(n)) ?? l.nodes[0]).join("; ")}); the mlp circuits take at most one hidden ReLU layer`,
      );
    for (const l of [...layers, ...(y.pending ? [y.pending] : [])])
      if (l.weightOps > 1)
        this.notes.push(
          `${l.weightOps} linear layers without an activation between them merged into one (${l.nodes.filter((n) => /^(Gemm|MatMul)/.test(n)).join(", ")})`,
        );

    // Dimensions, even when some values are meaningless (for the shape check).
    const width = (a: Affine | null) => a?.W?.length ?? null;
    const inWidth = (a: Affine | null) => a?.W?.[0]?.length ?? null;
    const first = layers[0] ?? y.pending;
    const declaredD =
      input.dims && input.dims.slice(1).every((d) => typeof d === "number")
        ? (input.dims.slice(1) as number[]).reduce((a, d) => a * d, 1)
        : null;
    const D = inWidth(first) ?? declaredD;
    const H = layers.length === 0 ? 0 : width(layers[0]!);
    let C = width(y.pending);
    if (C === 1) {
      this.notes.push(
        `one output score read as the logit of class 1 (class 1 when it is > 0, i.e. sigmoid > 0.5): expanded to two classes with class 0 fixed at 0`,
      );
      C = 2;
    }
    this.checkShape(D, H, C);

    if (this.issues.length > 0) throw new OnnxImportError(this.issues);

    const hidden = layers[0];
    const out = y.pending!;
    const W2raw = out.W!;
    const b2raw = out.b ?? Array<number>(W2raw.length).fill(0);
    const single = W2raw.length === 1;
    const build = () =>
      parseModel({
        format: MODEL_FORMAT,
        family: "mlp",
        D,
        H: H ?? 0,
        C,
        W1: hidden ? hidden.W! : [],
        b1: hidden ? (hidden.b ?? Array<number>(hidden.W!.length).fill(0)) : [],
        W2: single ? [W2raw[0]!.map(() => 0), W2raw[0]!] : W2raw,
        b2: single ? [0, b2raw[0]!] : b2raw,
        meta: {
          source: "onnx",
          producer: this.proto.producer.slice(0, 1024),
          ...(this.proto.graph.name ? { graph: this.proto.graph.name.slice(0, 1024) } : {}),
        },
      });
    let model: FloatModel;
    try {
      model = build();
    } catch (e) {
      if (!(e instanceof ModelFormatError)) throw e;
      throw new OnnxImportError([
        {
          kind: "unsupported-tensor",
          message: `the weights do not form a valid model (${e.message}); check the exported initializers for NaN or infinite values`,
        },
      ]);
    }
    const fits = Object.values(MLP_SHAPES)
      .filter((s) => s.shape.D === model.D && s.shape.H === model.H && s.shape.C === model.C)
      .map((s) => s.id);
    const layerReports: OnnxLayerReport[] = [];
    if (hidden)
      layerReports.push({
        nodes: hidden.nodes,
        becomes: `W1 [${model.H}×${model.D}] + b1 [${model.H}], ReLU`,
      });
    layerReports.push({
      nodes: out.nodes,
      becomes: `W2 [${model.C}×${model.H === 0 ? model.D : model.H}] + b2 [${model.C}]`,
    });
    return {
      model,
      report: {
        producer: this.proto.producer,
        irVersion: this.proto.irVersion,
        opset,
        input: { name: input.name, dims: input.dims ?? [] },
        output,
        D: model.D,
        H: model.H,
        C: model.C,
        parameters: model.H * model.D + model.H + model.C * (model.H === 0 ? model.D : model.H) + model.C,
        layers: layerReports,
        notes: this.notes,
        fits,
      },
    };
  }

  private checkShape(D: number | null, H: number | null, C: number | null): void {
    const have = `${D ?? "?"}-${H ?? "?"}-${C ?? "?"}`;
    if (D !== null && D > MODEL_LIMITS.maxInputs)
      this.issue("shape-mismatch", `the model takes ${D} inputs, more than ${MODEL_LIMITS.maxInputs}`);
    if (H !== null && H > MODEL_LIMITS.maxHidden)
      this.issue("shape-mismatch", `the model has ${H} hidden units, more than ${MODEL_LIMITS.maxHidden}`);
    if (C !== null && C > MODEL_LIMITS.maxClasses)
      this.issue("shape-mismatch", `the model has ${C} classes, more than ${MODEL_LIMITS.maxClasses}`);
    const target = this.opts.target;
    if (target === "any") return;
    const diff = (s: MlpShape) =>
      (
        [
          ["D (inputs)", D, s.D],
          ["H (hidden units)", H, s.H],
          ["C (classes)", C, s.C],
        ] as const
      )
        .filter(([, got, want]) => got !== null && got !== want)
        .map(([k, got, want]) => `${k} ${got} ≠ ${want}`);
    if (target !== undefined) {
      const shape = resolveTarget(target);
      const d = diff(shape);
      if (d.length > 0)
        this.issue(
          "shape-mismatch",
          `the model is ${have} (D-H-C), the circuit ${shapeId(shape)} needs ${shape.D}-${shape.H}-${shape.C}: ${d.join(", ")}`,
        );
      return;
    }
    const named = Object.values(MLP_SHAPES);
    const diffs = named.map((s) => ({ s, d: diff(s.shape) }));
    if (D === null || H === null || C === null) return; // unknown dims: unsupported ops already reported
    if (diffs.some((x) => x.d.length === 0)) return;
    for (const { s, d } of diffs)
      this.issue(
        "shape-mismatch",
        `the model is ${have} (D-H-C); registered circuit ${s.id} ("${s.name}") needs ${s.shape.D}-${s.shape.H}-${s.shape.C}: ${d.join(", ")}`,
      );
  }
}

/** A registered shape name or circuit id, or an MlpShape, as an MlpShape. */
export function resolveTarget(target: string | MlpShape): MlpShape {
  if (typeof target !== "string") return target;
  const named = Object.values(MLP_SHAPES).find((s) => s.name === target || s.id === target);
  if (!named)
    throw new OnnxImportError([
      {
        kind: "shape-mismatch",
        message: `unknown circuit shape "${target}"; registered: ${Object.values(MLP_SHAPES)
          .map((s) => `${s.name} (${s.id})`)
          .join(", ")}`,
      },
    ]);
  return named.shape;
}
