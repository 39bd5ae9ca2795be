// `npm run bench:zk` (repository root): one table per registered mlp shape (ci, ciLinear, demo,
// benchmark) — constraints, constraints per sample, compile, setup (first and cached), witness,
// prove (Node, multi-threaded and single-threaded), verify, proof size, zkey size, peak memory —
// and the comparison with the circomlib-ml / snarkjs anchor (a 196-25-10 MLP: 18 075 constraints
// per inference, without any commitment). A benchmark command, not a test: numbers depend on the
// machine and its load, which the output prints.
//
//   npm run bench:zk [-- --only demo,benchmark] [--runs 3] [--no-compile]
//
// Compile and first setup run from scratch in a temporary build folder (--no-compile skips them);
// "cached" is a no-op rebuild of the real build folder. Proving runs in one child process per
// shape so that its peak memory (maxRSS, worker threads included) is that shape's alone.
// Single-threaded proving: snarkjs' groth16.prove(zkey, wtns, logger, { singleThread: true })
// builds the curve with ffjavascript's buildBn128(true) (no worker threads).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as snarkjs from "snarkjs";
import {
  artifactPaths,
  buildAll,
  loadRegistry,
  readR1csInfo,
  releaseCurves,
} from "../../../circuits/scripts/lib.mjs";
import {
  MLP_SHAPES,
  SHAPE_NAMES,
  infer,
  mlpCircuitInput,
  type MlpProofRequest,
  type NamedShape,
} from "../src/index.ts";

const ANCHOR = 18_075;
const self = fileURLToPath(import.meta.url);

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    runs: { type: "string", default: "3" },
    "no-compile": { type: "boolean", default: false },
    child: { type: "string" },
  },
});
const runs = Math.max(1, Number(values.runs ?? 3));

// ---------------------------------------------------------------------------------------------
// Child: witness / prove / verify for one shape, prints one JSON line.

interface ChildResult {
  witnessMs: number;
  proveMs: number;
  proveSingleMs: number;
  verifyMs: number;
  proofJsonBytes: number;
  maxRssMb: number;
}

function request(named: NamedShape, seed: number): MlpProofRequest {
  const { shape } = named;
  let a = seed;
  const r = () => {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    return a / 2 ** 31;
  };
  const int = (lo: number, hi: number) => BigInt(lo + Math.floor(r() * (hi - lo + 1)));
  const w = 2 ** (shape.wBits - 1);
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => int(-w, w - 1)));
  const model = {
    shape,
    W1: mat(shape.H, shape.D),
    b1: Array.from({ length: shape.H }, () => int(-1000, 1000)),
    W2: mat(shape.C, shape.H === 0 ? shape.D : shape.H),
    b2: Array.from({ length: shape.C }, () => int(-1000, 1000)),
  };
  const samples = Array.from({ length: shape.N }, () => {
    const x = Array.from({ length: shape.D }, () => int(0, 2 ** shape.inBits - 1));
    return { x, label: r() < 0.5 ? BigInt(infer(model, x).prediction) : int(0, shape.C - 1) };
  });
  return {
    model,
    samples,
    modelSalt: int(1, 2 ** 40),
    testSalt: int(1, 2 ** 40),
    challengeId: 1n,
    submitter: 0xabcn,
  };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;

async function child(id: string): Promise<void> {
  const named = Object.values(MLP_SHAPES).find((s) => s.id === id);
  if (!named) throw new Error(`${id} is not a named shape`);
  const paths = artifactPaths(id);
  const vk: unknown = JSON.parse(fs.readFileSync(paths.vk, "utf8"));
  const witness: number[] = [];
  const prove: number[] = [];
  const single: number[] = [];
  const verify: number[] = [];
  let proofJsonBytes = 0;
  // One warm-up round (curve, wasm and zkey caches), then `runs` measured rounds.
  for (let i = 0; i <= runs; i++) {
    const { input } = await mlpCircuitInput(request(named, i + 1));
    const wtns: snarkjs.MemFile = { type: "mem" };
    const t0 = performance.now();
    await snarkjs.wtns.calculate(input as snarkjs.CircuitInput, paths.wasm, wtns);
    const t1 = performance.now();
    const { proof, publicSignals } = await snarkjs.groth16.prove(paths.zkey, wtns);
    const t2 = performance.now();
    const ok = await snarkjs.groth16.verify(vk, publicSignals, proof);
    const t3 = performance.now();
    if (!ok) throw new Error(`${id}: proof did not verify`);
    if (i === 0) continue; // warm-up: curve workers, wasm and zkey caches
    const s0 = performance.now();
    const p1 = await snarkjs.groth16.prove(paths.zkey, wtns, undefined, { singleThread: true });
    const s1 = performance.now();
    if (!(await snarkjs.groth16.verify(vk, p1.publicSignals, p1.proof)))
      throw new Error("single-thread proof invalid");
    proofJsonBytes = JSON.stringify(proof).length;
    witness.push(t1 - t0);
    prove.push(t2 - t1);
    verify.push(t3 - t2);
    single.push(s1 - s0);
  }
  const result: ChildResult = {
    witnessMs: median(witness),
    proveMs: median(prove),
    proveSingleMs: median(single),
    verifyMs: median(verify),
    proofJsonBytes,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  await releaseCurves();
}

// ---------------------------------------------------------------------------------------------
// Parent

const fmtS = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US").replace(/,/g, " ");

async function main(): Promise<void> {
  const wanted = values.only ? values.only.split(",").map((s) => s.trim()) : [...SHAPE_NAMES];
  const shapes = SHAPE_NAMES.filter((n) => wanted.includes(n) || wanted.includes(MLP_SHAPES[n].id)).map(
    (n) => MLP_SHAPES[n],
  );
  if (shapes.length === 0)
    throw new Error(`--only ${values.only}: no such shape (${SHAPE_NAMES.join(", ")})`);
  const registry = loadRegistry();
  const load = os.loadavg().map((x) => x.toFixed(1));
  console.log(
    `bench:zk — ${os.cpus().length} cores, load average ${load.join(" ")}, Node ${process.version}, ${registry.length} registry entries; ${runs} measured run(s) after one warm-up`,
  );

  // Fresh compile + first setup in a temporary build folder (the ptau of dev-ptau shapes is made
  // once there and shared, as in a first `npm start`).
  const fresh = new Map<string, { compile: number | null; setup: number | null; ptau: number | null }>();
  if (!values["no-compile"]) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zkarena-bench-"));
    try {
      for (const s of shapes) {
        const [r] = await buildAll({ only: s.id, buildDir: tmp, log: () => {} });
        fresh.set(s.id, {
          compile: r!.compileSeconds,
          setup: r!.setupSeconds,
          ptau: r!.ptauCached ? null : r!.ptauSeconds,
        });
        console.log(`  ${s.id}: compiled in ${r!.compileSeconds} s, first setup ${r!.setupSeconds} s`);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  // Make sure the real build is there, then time a cached (no-op) build per shape.
  await buildAll({ only: shapes.map((s) => s.id), log: () => {} });
  const cached = new Map<string, number>();
  for (const s of shapes) {
    const t0 = performance.now();
    await buildAll({ only: s.id, log: () => {} });
    cached.set(s.id, performance.now() - t0);
  }
  await releaseCurves();

  for (const s of shapes) {
    const out = spawnSync(
      process.execPath,
      ["--import", "tsx", self, "--child", s.id, "--runs", String(runs)],
      {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      },
    );
    const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (out.status !== 0 || !line)
      throw new Error(`bench child for ${s.id} failed:\n${out.stderr}\n${out.stdout}`);
    const c = JSON.parse(line.slice(7)) as ChildResult;
    const r1cs = await readR1csInfo(artifactPaths(s.id).r1cs);
    const zkeyBytes = fs.statSync(artifactPaths(s.id).zkey).size;
    const f = fresh.get(s.id);
    const perSample = r1cs.nConstraints / s.shape.N;
    const { D, H, C, N } = s.shape;
    const rows: [string, string][] = [
      ["constraints", fmtInt(r1cs.nConstraints)],
      ["constraints per sample (all / N)", fmtInt(perSample)],
      ["domain (setup power)", `2^${s.power}`],
      ["compile (circom2 --O2)", f?.compile == null ? "-" : `${f.compile} s`],
      [
        `setup, first (${s.setup === "fast-dev" ? "fast-dev, known tau" : "zkey new + beacon"})`,
        f?.setup == null
          ? "-"
          : `${f.setup} s${f.ptau != null ? ` (+ ${f.ptau} s dev ptau 2^${s.power}, shared)` : ""}`,
      ],
      ["setup, cached (no-op build)", `${fmtS(cached.get(s.id)!)} s`],
      ["witness (wasm)", `${fmtS(c.witnessMs)} s`],
      ["prove, Node multi-threaded", `${fmtS(c.proveMs)} s`],
      ["prove, Node single-threaded", `${fmtS(c.proveSingleMs)} s`],
      ["verify (snarkjs, in-process)", `${c.verifyMs.toFixed(0)} ms`],
      ["proof size", `${c.proofJsonBytes} B JSON, 256 B calldata (+ 5 × 32 B public signals)`],
      ["zkey size", `${(zkeyBytes / 2 ** 20).toFixed(1)} MiB`],
      ["peak memory (prove process, maxRSS)", `${fmtInt(c.maxRssMb)} MiB`],
    ];
    if (D === 196)
      rows.push([
        "vs anchor 196-25-10 (18 075 / inference, no commitment)",
        `${fmtInt(perSample)} = ${((100 * perSample) / ANCHOR).toFixed(1)} % (must be ≤ 50 %)`,
      ]);
    const w = Math.max(...rows.map(([k]) => k.length));
    console.log(`\n${s.name}: ${s.id} — ${s.template}(${D}-${H}-${C}), N = ${N}, INSECURE dev keys`);
    console.log(`| ${"measure".padEnd(w)} | value |`);
    console.log(`| ${"-".repeat(w)} | ----- |`);
    for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);
  }
  console.log(
    `\nload average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
}

try {
  if (values.child) await child(values.child);
  else await main();
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await releaseCurves();
  process.exit(1);
}
