// The Fashion-MNIST example, step 2: import the PyTorch model through ONNX, quantize it for the
// benchmark circuit (mlp-d196-h25-c10-n28) and report float vs quantized accuracy on the held-out
// split; write the challenge's files for the command-line walkthrough (README.md).
//
//   node --import tsx examples/fashion-mnist/evaluate.ts [--model model.onnx] [--out out]
//        [--hidden-batches 2] [--public 56]
//
// Writes to --out (default examples/fashion-mnist/out, git-ignored):
//   model.json      the imported float model (zkarena.model/v1)
//   train.json      the training sample, zkarena-samples-v1 (4-bit features, then the label)
//   public.json     the public (validation) split: --public held-out images
//   hidden.json     the hidden split: --hidden-batches × 28 held-out images (after the public ones)
//   challenge.json  a spec for `zkarena challenge create` (deadlines relative to now)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  MLP_SHAPES,
  OnnxImportError,
  importOnnx,
  infer,
  quantize,
  quantizeSample,
  suggestShift,
  type FloatSample,
} from "@zkarena/zk";
import { CLASS_NAMES, INPUT_MAX, loadTest, loadTrain } from "./data.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: "string", default: path.join(HERE, "model.onnx") },
    out: { type: "string", default: path.join(HERE, "out") },
    "hidden-batches": { type: "string", default: "2" },
    public: { type: "string", default: "56" },
  },
});
const bench = MLP_SHAPES.benchmark;
const { shape } = bench;

function main(): void {
  const bytes = new Uint8Array(fs.readFileSync(values.model!));
  let imported;
  try {
    imported = importOnnx(bytes, { target: "benchmark" });
  } catch (e) {
    if (e instanceof OnnxImportError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const { model, report } = imported;
  console.log(
    `imported ${path.relative(process.cwd(), values.model!)} (${bytes.length} bytes, ${report.producer}, opset ${report.opset})`,
  );
  console.log(
    `  input "${report.input.name}" [${report.input.dims.join(", ")}] → ${model.D}-${model.H}-${model.C}, ${report.parameters} parameters; fits ${report.fits.join(", ")}`,
  );
  for (const l of report.layers) console.log(`  ${l.becomes}  ←  ${l.nodes.join(", ")}`);
  for (const n of report.notes) console.log(`  note: ${n}`);

  const test = loadTest();
  const { samples: train, source } = loadTrain(5000);
  const q = quantize(model, shape, { inputMax: INPUT_MAX, samples: test });
  const r = q.report;
  const shift = suggestShift(model, shape, { inputMax: INPUT_MAX, samples: train });
  const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(2)} %`);
  const rows: [string, string][] = [
    ["held-out split", `${test.length} images (first ${test.length} of the official test set)`],
    [
      "float accuracy (imported model, float64)",
      `${pct(r.floatAccuracy)} (${Math.round(r.floatAccuracy! * test.length)}/${test.length})`,
    ],
    [
      `quantized accuracy (${bench.id}, integer reference)`,
      `${pct(r.quantizedAccuracy)} (${Math.round(r.quantizedAccuracy! * test.length)}/${test.length})`,
    ],
    ["float vs quantized predictions that differ", `${r.disagreements}`],
    [
      "weights / biases bits (used / declared)",
      `${r.bits.weights.used}/${r.bits.weights.declared}, ${r.bits.biases.used}/${r.bits.biases.declared}`,
    ],
    [
      "acc1 / acc2 bits (used / declared)",
      `${r.bits.acc1.used}/${r.bits.acc1.declared}, ${r.bits.acc2.used}/${r.bits.acc2.declared}`,
    ],
    [
      "hidden activations saturated",
      `${r.saturated.count} of ${r.saturated.of} (${pct(r.saturated.count / Math.max(1, r.saturated.of))})`,
    ],
    ["circuit shift / smallest shift with no saturation (train)", `${shape.shift} / ${shift}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nFashion-MNIST 14×14, ${bench.id} (training data for suggestShift: ${source})`);
  console.log(`| ${"measure".padEnd(w)} | value |\n| ${"-".repeat(w)} | ----- |`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);

  // Per-class accuracy of the quantized model.
  const perClass = CLASS_NAMES.map(() => ({ n: 0, ok: 0 }));
  const { model: intModel } = q;
  test.forEach((s) => {
    const best = infer(intModel, quantizeSample(s, shape, INPUT_MAX).x).prediction;
    perClass[s.label]!.n++;
    if (best === s.label) perClass[s.label]!.ok++;
  });
  console.log(
    `\nquantized accuracy per class: ${perClass.map((p, c) => `${CLASS_NAMES[c]} ${p.ok}/${p.n}`).join(", ")}`,
  );

  writeChallenge(model, test, train);
}

function writeChallenge(model: unknown, test: FloatSample[], train: FloatSample[]): void {
  const hiddenN = Number(values["hidden-batches"]) * shape.N;
  const publicN = Number(values.public);
  if (
    !Number.isInteger(hiddenN) ||
    hiddenN < shape.N ||
    !Number.isInteger(publicN) ||
    publicN < 0 ||
    hiddenN + publicN > test.length
  )
    throw new Error(
      `--hidden-batches × ${shape.N} + --public must fit the ${test.length} held-out images (hidden ≥ one batch of ${shape.N})`,
    );
  const out = values.out!;
  fs.mkdirSync(out, { recursive: true });
  const rows = (s: FloatSample[]) => s.map((x) => [...x.x, x.label]);
  const file = (name: string, samples: FloatSample[]) =>
    fs.writeFileSync(
      path.join(out, name),
      JSON.stringify({ format: "zkarena-samples-v1", circuitId: bench.id, samples: rows(samples) }) + "\n",
    );
  fs.writeFileSync(path.join(out, "model.json"), JSON.stringify(model) + "\n");
  file("train.json", train.length > 1000 ? train.slice(0, 1000) : train);
  file("public.json", test.slice(0, publicN));
  file("hidden.json", test.slice(publicN, publicN + hiddenN));
  const spec = {
    slug: "fashion-mnist-14",
    title: "Fashion-MNIST, 14×14",
    summary: "Classify 14×14 Zalando Fashion-MNIST images into 10 clothing classes with a 196-25-10 MLP.",
    description:
      "Images from Fashion-MNIST (© Zalando SE, MIT licence), averaged over 2×2 blocks to 14×14 and quantized to 4 bits per pixel. Train on the training split; the public split scores the live leaderboard; prizes go by the hidden split, revealed after the commit deadline.",
    task: "Classify 14×14 Fashion-MNIST images (10 classes)",
    tags: ["vision", "fashion-mnist", "mlp"],
    circuit: bench.id,
    deadlines: { commit: "+10m", reveal: "+20m", prove: "+60m" },
    payoutShares: [6000, 4000],
    minCorrect: Math.ceil(hiddenN / 2),
    bond: "0.1",
    splits: { train: "train.json", public: "public.json", hidden: "hidden.json" },
  };
  fs.writeFileSync(path.join(out, "challenge.json"), JSON.stringify(spec, null, 2) + "\n");
  console.log(
    `\nwrote ${path.relative(process.cwd(), out)}/: model.json, train.json (${Math.min(train.length, 1000)}), public.json (${publicN}), hidden.json (${hiddenN} = ${hiddenN / shape.N} batches of ${shape.N}), challenge.json`,
  );
}

main();
