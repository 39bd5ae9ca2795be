// Prove/verify timings for an MlpAccuracy registry entry (a benchmark command, not a timed test):
// builds it through circuits/scripts/lib.mjs (cache hit when up to date), then proves random
// in-range models and batches with proveMlp (witness + Groth16, in-process) and verifies them.
//
//   npm run bench -w @zkarena/zk -- [--id mlp-d4-h3-c3-n4] [--runs 5]
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { artifactPaths, buildCircuit, loadRegistry, releaseCurves } from "../../../circuits/scripts/lib.mjs";
import {
  infer,
  proveMlp,
  shapeFromParams,
  verifyMlp,
  type IntModel,
  type MlpProofRequest,
  type MlpShape,
} from "../src/index.ts";

const { values } = parseArgs({
  options: { id: { type: "string", default: "mlp-d4-h3-c3-n4" }, runs: { type: "string", default: "5" } },
});
const id = values.id ?? "mlp-d4-h3-c3-n4";
const runs = Math.max(1, Number(values.runs));
const entry = loadRegistry().find((e) => e.id === id);
if (!entry || (entry.template !== "MlpAccuracy" && entry.template !== "LinearAccuracy"))
  throw new Error(`${id} is not an MlpAccuracy / LinearAccuracy entry of circuits.json`);
const shape: MlpShape = shapeFromParams(entry.params, entry.template);

let seed = 1;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const int = (lo: number, hi: number) => BigInt(lo + Math.floor(rand() * (hi - lo + 1)));

function request(): MlpProofRequest {
  const wHi = 2 ** (shape.wBits - 1) - 1;
  const mat = (r: number, c: number) =>
    Array.from({ length: r }, () => Array.from({ length: c }, () => int(-wHi, wHi)));
  const K = shape.H === 0 ? shape.D : shape.H;
  const model: IntModel = {
    shape,
    W1: mat(shape.H, shape.D),
    b1: Array.from({ length: shape.H }, () => int(-100, 100)),
    W2: mat(shape.C, K),
    b2: Array.from({ length: shape.C }, () => int(-100, 100)),
  };
  const samples = Array.from({ length: shape.N }, () => {
    const x = Array.from({ length: shape.D }, () => int(0, 2 ** shape.inBits - 1));
    return { x, label: rand() < 0.5 ? BigInt(infer(model, x).prediction) : int(0, shape.C - 1) };
  });
  return {
    model,
    samples,
    modelSalt: int(0, 2 ** 40),
    testSalt: int(0, 2 ** 40),
    challengeId: 1n,
    submitter: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n,
  };
}

const artifact = await buildCircuit(id, { log: () => {} });
const paths = artifactPaths(id);
const vk: unknown = JSON.parse(fs.readFileSync(paths.vk, "utf8"));
const prove: number[] = [];
const verify: number[] = [];
for (let i = 0; i < runs + 1; i++) {
  const t0 = performance.now();
  const p = await proveMlp(request(), { wasm: paths.wasm, zkey: paths.zkey });
  const t1 = performance.now();
  if (!(await verifyMlp(vk, p.publicSignals, p.proof))) throw new Error("proof did not verify");
  const t2 = performance.now();
  if (i === 0) console.log(`cold: prove ${(t1 - t0).toFixed(0)} ms, verify ${(t2 - t1).toFixed(0)} ms`);
  else {
    prove.push(t1 - t0);
    verify.push(t2 - t1);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(
  `\n${id} (${artifact.constraints} constraints, N = ${shape.N}, 2^${artifact.power}, INSECURE dev keys), ${runs} warm runs`,
);
console.log("step          median ms  min ms  max ms");
for (const [name, xs] of [
  ["proveMlp", prove],
  ["verify", verify],
] as const) {
  console.log(
    `${name.padEnd(12)}  ${median(xs).toFixed(0).padStart(9)}  ${Math.min(...xs)
      .toFixed(0)
      .padStart(6)}  ${Math.max(...xs)
      .toFixed(0)
      .padStart(6)}`,
  );
}
await releaseCurves();
process.exit(0);
