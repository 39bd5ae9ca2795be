// Prover benchmark (a command that prints a table, not a test): the SDK's whole path — artifact load
// with hash checks, witness input, witness, Groth16 prove, local verify — for one registry circuit,
// in Node (multi- and single-threaded) and in Chromium (module worker with and without nested
// workers), with random in-range models and batches.
//
//   npm run bench:prover -w @zkarena/zk -- [--id mlp-d64-h16-c10-n32] [--runs 3] [--no-browser]
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { artifactPaths, buildCircuit } from "../../../circuits/scripts/lib.mjs";
import { createNodeProver, loadCircuitArtifacts, releaseProverThreads } from "../src/node.ts";
import type { ProofResult } from "../src/sdk.ts";
import { randomRequest } from "../tests/helpers.ts";
import { CHROMIUM_PATH, startProverPage } from "./browser/harness.ts";

const { values } = parseArgs({
  options: {
    id: { type: "string", default: "mlp-d4-h3-c3-n4" },
    runs: { type: "string", default: "3" },
    "no-browser": { type: "boolean", default: false },
  },
});
const id = values.id ?? "mlp-d4-h3-c3-n4";
const runs = Math.max(1, Number(values.runs));

const artifact = await buildCircuit(id, { log: () => {} });
const t0 = performance.now();
const circuit = await loadCircuitArtifacts(id);
const loadMs = performance.now() - t0;
const shape = circuit.shape;
if (!shape) throw new Error(`${id} is not an MLP accuracy circuit`);

interface Row {
  mode: string;
  cold: number;
  witness: number[];
  prove: number[];
  verify: number[];
  total: number[];
}
const rows: Row[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
function record(mode: string, results: ProofResult[], cold: number): void {
  rows.push({
    mode,
    cold,
    witness: results.map((r) => r.timings.witness),
    prove: results.map((r) => r.timings.prove),
    verify: results.map((r) => r.timings.verify),
    total: results.map((r) => r.timings.total),
  });
}

for (const singleThread of [false, true]) {
  const prover = createNodeProver({ singleThread });
  const results: ProofResult[] = [];
  let cold = 0;
  for (let i = 0; i <= runs; i++) {
    const r = await prover.prove({ circuitId: id, request: randomRequest(shape, 100 + i) });
    if (i === 0) cold = r.timings.total;
    else results.push(r);
  }
  record(singleThread ? "Node, single-threaded" : "Node, worker threads", results, cold);
  await releaseProverThreads();
}

let bundleNote = "";
if (values["no-browser"]) bundleNote = "browser: skipped (--no-browser)";
else if (!fs.existsSync(CHROMIUM_PATH)) bundleNote = `browser: skipped, no Chromium at ${CHROMIUM_PATH}`;
else {
  const harness = await startProverPage({
    "/circuits/": path.dirname(path.dirname(artifactPaths(id).artifact)),
  });
  try {
    bundleNote = `browser bundle (esbuild, minified): ${Object.entries(harness.bundle)
      .map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KiB`)
      .join(", ")}`;
    for (const singleThread of [false, true]) {
      const results: ProofResult[] = [];
      let cold = 0;
      for (let i = 0; i <= runs; i++) {
        const out = await harness.run({
          artifactsBaseUrl: `${harness.origin}/circuits/`,
          circuitId: id,
          request: randomRequest(shape, 200 + i),
          singleThread,
        });
        if (!out.result) throw new Error(`browser proof failed: ${out.error?.name}: ${out.error?.message}`);
        if (i === 0) cold = out.result.timings.total;
        else results.push(out.result);
      }
      record(singleThread ? "Chromium worker, single" : "Chromium worker, nested", results, cold);
    }
  } finally {
    await harness.close();
  }
}

const zkeyMiB = circuit.zkey.length / 2 ** 20;
console.log(
  `\n${id}: ${artifact.constraints} constraints (N = ${shape.N}, ${(artifact.constraints / shape.N).toFixed(0)} per sample incl. fixed part), 2^${artifact.power}, zkey ${zkeyMiB.toFixed(1)} MiB, wasm ${(circuit.wasm.length / 1024).toFixed(0)} KiB, ${artifact.setup.kind} keys`,
);
console.log(
  `Node artifact load + sha256/vk checks: ${loadMs.toFixed(0)} ms; ${runs} warm runs per mode (median ms), cold = first proof incl. load`,
);
const head = ["mode", "cold total", "witness", "prove", "verify", "total"];
const table = rows.map((r) => [
  r.mode,
  r.cold.toFixed(0),
  median(r.witness).toFixed(0),
  median(r.prove).toFixed(0),
  median(r.verify).toFixed(0),
  median(r.total).toFixed(0),
]);
const widths = head.map((h, c) => Math.max(h.length, ...table.map((row) => (row[c] as string).length)));
const line = (cells: string[]) =>
  cells
    .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number)))
    .join("  ");
console.log(line(head));
for (const row of table) console.log(line(row));
console.log(bundleNote);
console.log(`Node peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
process.exit(0);
