// zkarena model import | quantize | evaluate — the data scientist's loop before committing.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  ModelFormatError,
  QuantizationError,
  countCorrect,
  infer,
  parseModel,
  quantize,
  shapeBounds,
  splitIntoBatches,
  type FloatModel,
  type FloatSample,
} from "@zkarena/zk";
import type { Ctx } from "../context.ts";
import { CliError, EXIT, inputError } from "../errors.ts";
import {
  circuitShape,
  intModelDocument,
  modelCircuitIds,
  readIntModel,
  readJson,
  readSplit,
  toSamples,
  writeJson,
} from "../files.ts";
import { parseIntOption, pct, table } from "../util.ts";

type OnnxImporter = (bytes: Uint8Array, opts?: unknown) => { model: unknown; report?: unknown };

/** packages/zk's importOnnx (issue 7's ONNX engineer); absent in builds that predate it. */
async function onnxImporter(): Promise<OnnxImporter | null> {
  const zk = (await import("@zkarena/zk")) as Record<string, unknown>;
  return typeof zk.importOnnx === "function" ? (zk.importOnnx as OnnxImporter) : null;
}

function onnxNotes(report: unknown): string[] {
  const r = report as { producer?: unknown; notes?: unknown } | null;
  const notes = Array.isArray(r?.notes) ? r.notes.filter((n): n is string => typeof n === "string") : [];
  return typeof r?.producer === "string" && r.producer ? [`exported by ${r.producer}`, ...notes] : notes;
}

export async function importModel(ctx: Ctx, file: string, opts: { out?: string }) {
  const src = path.resolve(ctx.io.cwd, file);
  let model: FloatModel;
  let report: unknown = null;
  if (/\.onnx$/i.test(src)) {
    const importOnnx = await onnxImporter();
    if (!importOnnx)
      throw new CliError(
        "this build has no ONNX importer yet (packages/zk importOnnx); export the model as zkarena.model/v1 JSON meanwhile",
        EXIT.input,
      );
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(src));
    } catch (e) {
      throw inputError(`cannot read ${src} (${(e as NodeJS.ErrnoException).code})`);
    }
    try {
      const r = importOnnx(bytes);
      model = parseModel(r.model);
      report = r.report ?? null;
    } catch (e) {
      throw inputError(`${src}: ${(e as Error).message}`);
    }
  } else {
    try {
      model = parseModel(readJson(src, "model"));
    } catch (e) {
      if (e instanceof ModelFormatError) throw inputError(`${src}: ${e.message}`, { field: e.field });
      throw e;
    }
  }
  const out = path.resolve(
    ctx.io.cwd,
    opts.out ?? `${path.basename(src).replace(/\.(onnx|json)$/i, "")}.model.json`,
  );
  writeJson(out, model);
  const fits = modelCircuitIds().filter((id) => {
    const s = circuitShape(id);
    return s.D === model.D && s.H === model.H && s.C === model.C;
  });
  ctx.out({ file: out, D: model.D, H: model.H, C: model.C, circuits: fits, report }, () =>
    [
      `wrote ${out}: ${model.H === 0 ? "linear" : "MLP"} ${model.D}-${model.H}-${model.C} (zkarena.model/v1)`,
      ...onnxNotes(report).map((n) => `  note: ${n}`),
      fits.length
        ? `  fits circuit(s): ${fits.join(", ")}`
        : "  no registered circuit has this shape: retrain for one of the registered shapes",
    ].join("\n"),
  );
}

function floatSamples(rows: number[][], D: number, C: number, where: string): FloatSample[] {
  return rows.map((r, i) => {
    if (r.length !== D + 1)
      throw inputError(`${where}: row ${i} has ${r.length} values, expected ${D} features and a label`);
    const label = r[D] as number;
    if (!Number.isInteger(label) || label < 0 || label >= C)
      throw inputError(`${where}: row ${i} label must be an integer in [0, ${C - 1}]`);
    return { x: r.slice(0, D), label };
  });
}

export async function quantizeModel(
  ctx: Ctx,
  file: string,
  opts: { circuit: string; inputMax: string; data?: string; weightBits?: string; out?: string },
) {
  const src = path.resolve(ctx.io.cwd, file);
  const shape = circuitShape(opts.circuit);
  const inputMax = Number(opts.inputMax);
  if (!(inputMax > 0) || !Number.isFinite(inputMax))
    throw inputError(
      `--input-max must be the largest raw feature value (e.g. 255 or 16), got "${opts.inputMax}"`,
    );
  const wBits = opts.weightBits
    ? parseIntOption(opts.weightBits, "--weight-bits", 2, shape.wBits)
    : shape.wBits;
  const raw = readJson(src, "model");
  let parsed: FloatModel;
  try {
    parsed = parseModel(raw);
  } catch (e) {
    if (e instanceof ModelFormatError) throw inputError(`${src}: ${e.message}`, { field: e.field });
    throw e;
  }
  const samples = opts.data
    ? floatSamples(readSplit(path.resolve(ctx.io.cwd, opts.data)).rows, parsed.D, parsed.C, opts.data)
    : undefined;
  // Fewer weight bits than the circuit allows: quantize into the narrower range; the values still fit.
  const target = { ...shape, wBits };
  let result: ReturnType<typeof quantize>;
  try {
    result = quantize(parsed, target, { inputMax, ...(samples ? { samples } : {}) });
  } catch (e) {
    if (e instanceof QuantizationError)
      throw inputError(`cannot quantize for ${opts.circuit}: ${e.message}`, { reason: e.reason });
    throw e;
  }
  const model = { ...result.model, shape };
  const bounds = shapeBounds(shape);
  const report = {
    ...result.report,
    weightBits: wBits,
    circuitBounds: { acc1Bits: bounds.acc1Bits, acc2Bits: bounds.acc2Bits },
  };
  const out = path.resolve(
    ctx.io.cwd,
    opts.out ?? src.replace(/(\.model)?\.json$/i, `.${opts.circuit}.q.json`),
  );
  writeJson(out, intModelDocument(opts.circuit, inputMax, model, report));
  const b = result.report.bits;
  ctx.out({ file: out, circuitId: opts.circuit, report }, () =>
    [
      `wrote ${out} (quantized for ${opts.circuit}, ${wBits}-bit weights)`,
      samples
        ? `accuracy on ${samples.length} samples: float ${pct(result.report.floatAccuracy)}, quantized ${pct(result.report.quantizedAccuracy)} (${result.report.disagreements} prediction(s) differ)`
        : "no --data: accuracy not measured",
      table(
        ["value", "bits used", "circuit allows"],
        [
          ["weights", b.weights.used, shape.wBits],
          ["biases", b.biases.used, b.biases.declared],
          ["layer-1 accumulator", samples ? b.acc1.used : "-", b.acc1.declared],
          ["layer-2 accumulator", samples ? b.acc2.used : "-", b.acc2.declared],
        ],
      ),
      shape.H > 0 && result.report.saturated.of > 0
        ? `saturated hidden activations: ${result.report.saturated.count} of ${result.report.saturated.of}`
        : "",
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

export async function evaluateModel(ctx: Ctx, file: string, opts: { data: string }) {
  const m = readIntModel(path.resolve(ctx.io.cwd, file));
  const split = readSplit(path.resolve(ctx.io.cwd, opts.data));
  const samples = toSamples(split.rows, m.model.shape, opts.data);
  const correct = countCorrect(m.model, samples);
  const perBatch =
    samples.length % m.model.shape.N === 0
      ? splitIntoBatches(samples, m.model.shape.N).map((b, i) => ({
          batch: i,
          correct: countCorrect(m.model, b),
          of: b.length,
        }))
      : null;
  const confusion = Array.from({ length: m.model.shape.C }, () =>
    Array.from({ length: m.model.shape.C }, () => 0),
  );
  for (const s of samples) (confusion[Number(s.label)] as number[])[infer(m.model, s.x).prediction]! += 1;
  ctx.out(
    {
      circuitId: m.circuitId,
      samples: samples.length,
      correct,
      accuracy: correct / samples.length,
      perBatch,
      confusion,
    },
    () =>
      [
        `${correct}/${samples.length} correct (${pct(correct / samples.length)}) with the circuit's exact integer semantics (${m.circuitId})`,
        perBatch
          ? table(
              ["batch", "correct"],
              perBatch.map((b) => [b.batch, `${b.correct}/${b.of}`]),
            )
          : `(${samples.length} samples is not a whole number of ${m.model.shape.N}-sample batches)`,
      ].join("\n"),
  );
}
