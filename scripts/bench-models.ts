// `npm run bench:models` (repository root): real models through the whole platform path, one row per
// registered mlp shape — float accuracy, quantized accuracy, constraints per sample, proving time
// for one batch, peak memory of the proving process, and the gas of the verifier's verifyProof on
// anvil. A benchmark command, not a test: numbers depend on the machine and its load (printed).
//
//   npm run bench:models [-- --only ci,benchmark] [--no-gas]
//
// Models and data (every model was trained in PyTorch outside the platform and is read through
// importOnnx, then quantized with the platform's quantizer):
//   ci        4-3-3   packages/zk/fixtures/onnx/mlp.onnx       iris, 48 held-out flowers (16 per class)
//   ciLinear  4-0-3   packages/zk/fixtures/onnx/logistic.onnx  iris, the same 48
//   demo      64-16-10  examples/fashion-mnist/model-8x8.onnx  Fashion-MNIST 8×8, 560 held-out images
//   benchmark 196-25-10 examples/fashion-mnist/model.onnx      Fashion-MNIST 14×14, 560 held-out images
//
// Each shape runs in its own child process (so its peak RSS, worker threads included, is that
// shape's alone): import → quantize → accuracy → createNodeProver().prove() of the first batch of
// N held-out samples, twice (the first proof in a fresh process, as a CLI run; then warm). The
// parent starts anvil on a free port, deploys each shape's generated Groth16 verifier
// (contracts/out, `npm run build -w @zkarena/contracts`) and sends verifyProof(proof) as a
// transaction: the gas is the receipt's gasUsed (21 000 base + calldata + pairing checks); anvil's
// eth_estimateGas is wrong for this call (TOOLCHAIN.md), so the transaction is sent with a fixed limit
// and its eth_call result must be true.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createPublicClient, createWalletClient, defineChain, http, type Abi, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildAll } from "../circuits/scripts/lib.mjs";
import { loadArtifact } from "../contracts/scripts/lib.mjs";
import { listVerifiers } from "../contracts/scripts/verifiers.mjs";
import {
  MLP_SHAPES,
  SHAPE_NAMES,
  importOnnx,
  quantize,
  quantizeSample,
  randomSalt,
  type FloatSample,
  type ShapeName,
} from "../packages/zk/src/index.ts";
import { createNodeProver, releaseProverThreads } from "../packages/zk/src/node.ts";
import { loadTest } from "../examples/fashion-mnist/data.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const self = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    only: { type: "string" },
    "no-gas": { type: "boolean", default: false },
    child: { type: "string" },
  },
});

interface Task {
  model: string;
  data: string;
  inputMax: number;
  samples: () => FloatSample[];
}

function iris(): FloatSample[] {
  const file = path.join(ROOT, "packages/zk/fixtures/onnx/iris-heldout.json");
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { samples: number[][] };
  return json.samples.map((r) => ({ x: r.slice(0, 4), label: r[4]! }));
}

const TASKS: Record<ShapeName, Task> = {
  ci: {
    model: "packages/zk/fixtures/onnx/mlp.onnx",
    data: "iris (48 held out)",
    inputMax: 8,
    samples: iris,
  },
  ciLinear: {
    model: "packages/zk/fixtures/onnx/logistic.onnx",
    data: "iris (48 held out)",
    inputMax: 8,
    samples: iris,
  },
  demo: {
    model: "examples/fashion-mnist/model-8x8.onnx",
    data: "Fashion-MNIST 8×8 (560 held out)",
    inputMax: 15,
    samples: () => loadTest(undefined, 8),
  },
  benchmark: {
    model: "examples/fashion-mnist/model.onnx",
    data: "Fashion-MNIST 14×14 (560 held out)",
    inputMax: 15,
    samples: () => loadTest(undefined, 14),
  },
};

interface ChildResult {
  floatAccuracy: number;
  quantizedAccuracy: number;
  evaluated: number;
  batchCorrect: number;
  loadMs: number;
  firstProofMs: number;
  warmProofMs: number;
  maxRssMb: number;
  pA: string[];
  pB: string[][];
  pC: string[];
  publicSignals: string[];
}

// ---------------------------------------------------------------------------------------------
// Child: one shape.

async function child(name: ShapeName): Promise<void> {
  const named = MLP_SHAPES[name];
  const task = TASKS[name];
  const { model } = importOnnx(new Uint8Array(fs.readFileSync(path.join(ROOT, task.model))), {
    target: name,
  });
  const samples = task.samples();
  const { model: intModel, report } = quantize(model, named.shape, { inputMax: task.inputMax, samples });
  const batch = samples.slice(0, named.shape.N).map((s) => quantizeSample(s, named.shape, task.inputMax));
  const prover = createNodeProver();
  const request = {
    model: intModel,
    samples: batch,
    modelSalt: randomSalt(),
    testSalt: randomSalt(),
    challengeId: 1n,
    submitter: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n,
  };
  const t0 = performance.now();
  const first = await prover.prove({ circuitId: named.id, request });
  const t1 = performance.now();
  const warm = await prover.prove({ circuitId: named.id, request: { ...request, modelSalt: randomSalt() } });
  const t2 = performance.now();
  await prover.close();
  await releaseProverThreads();
  const s = first.submission;
  const result: ChildResult = {
    floatAccuracy: report.floatAccuracy!,
    quantizedAccuracy: report.quantizedAccuracy!,
    evaluated: samples.length,
    batchCorrect: s.correct,
    loadMs: first.timings.load,
    firstProofMs: t1 - t0,
    warmProofMs: t2 - t1 - warm.timings.load,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    pA: s.pA.map(String),
    pB: s.pB.map((row) => row.map(String)),
    pC: s.pC.map(String),
    publicSignals: first.publicSignals,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

// ---------------------------------------------------------------------------------------------
// Parent.

function anvilBinary(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve("@foundry-rs/anvil-linux-amd64/package.json");
    return path.join(path.dirname(pkg), "bin", "anvil");
  } catch {
    return "anvil";
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      server.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/** anvil's account 0 (public test mnemonic; never holds real funds). */
const ANVIL_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

async function measureGas(results: Map<ShapeName, ChildResult>): Promise<Map<ShapeName, string>> {
  const out = new Map<ShapeName, string>();
  const verifiers = listVerifiers();
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const anvil = spawn(anvilBinary(), ["--host", "127.0.0.1", "--port", String(port), "--silent"], {
    stdio: "ignore",
  });
  try {
    const chain = defineChain({
      id: 31337,
      name: "anvil",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    });
    const pub = createPublicClient({ chain, transport: http(rpcUrl), cacheTime: 0 });
    const wallet = createWalletClient({
      chain,
      transport: http(rpcUrl),
      account: privateKeyToAccount(ANVIL_KEY),
    });
    for (let i = 0; ; i++) {
      try {
        await pub.getBlockNumber();
        break;
      } catch {
        if (i > 100) throw new Error(`anvil did not answer at ${rpcUrl}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    for (const [name, r] of results) {
      const id = MLP_SHAPES[name].id;
      const v = verifiers.find((x) => x.circuitId === id);
      if (!v) {
        out.set(name, "no verifier (npm run verifiers -w @zkarena/contracts)");
        continue;
      }
      let artifact: { abi: Abi; bytecode: Hex };
      try {
        artifact = loadArtifact(v.contractName) as { abi: Abi; bytecode: Hex };
      } catch (e) {
        out.set(name, `no build: ${(e as Error).message.split("\n")[0]}`);
        continue;
      }
      const deployHash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode });
      const deployed = await pub.waitForTransactionReceipt({ hash: deployHash });
      const address = deployed.contractAddress!;
      const args = [
        r.pA.map(BigInt),
        r.pB.map((row) => row.map(BigInt)),
        r.pC.map(BigInt),
        r.publicSignals.map(BigInt),
      ] as const;
      const ok = await pub.readContract({ address, abi: artifact.abi, functionName: "verifyProof", args });
      if (ok !== true) {
        out.set(
          name,
          "verifyProof returned false (the build's key differs from the committed verifier: npm run verifiers -- --check)",
        );
        continue;
      }
      const hash = await wallet.writeContract({
        address,
        abi: artifact.abi,
        functionName: "verifyProof",
        args,
        gas: 3_000_000n,
        chain,
      });
      const receipt = await pub.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") out.set(name, "verifyProof transaction reverted");
      else out.set(name, `${receipt.gasUsed.toLocaleString("en-US").replace(/,/g, " ")}`);
    }
  } finally {
    anvil.kill("SIGKILL");
  }
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const sec = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

async function main(): Promise<void> {
  const wanted = values.only ? values.only.split(",").map((s) => s.trim()) : [...SHAPE_NAMES];
  const names = SHAPE_NAMES.filter((n) => wanted.includes(n) || wanted.includes(MLP_SHAPES[n].id));
  if (names.length === 0) throw new Error(`--only ${values.only}: no such shape (${SHAPE_NAMES.join(", ")})`);
  for (const n of names) {
    const file = path.join(ROOT, TASKS[n].model);
    if (!fs.existsSync(file))
      throw new Error(
        `${TASKS[n].model} is missing: run /usr/bin/python3 examples/fashion-mnist/train.py${n === "demo" ? " --size 8" : ""}`,
      );
  }
  console.log(
    `bench:models — ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}, Node ${process.version}; building the circuits if needed…`,
  );
  await buildAll({ only: names.map((n) => MLP_SHAPES[n].id), log: () => {} });

  const results = new Map<ShapeName, ChildResult>();
  for (const n of names) {
    const t0 = performance.now();
    const out = spawnSync(process.execPath, ["--import", "tsx", self, "--child", n], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (out.status !== 0 || !line)
      throw new Error(`bench child for ${n} failed:\n${out.stderr}\n${out.stdout}`);
    results.set(n, JSON.parse(line.slice(7)) as ChildResult);
    console.log(`  ${MLP_SHAPES[n].id}: done in ${sec(performance.now() - t0)}`);
  }
  const gas = values["no-gas"] ? new Map<ShapeName, string>() : await measureGas(results);

  const head = [
    "shape",
    "circuit",
    "data (task)",
    "float acc",
    "quant acc",
    "constraints / sample",
    "prove 1 batch (first / warm)",
    "peak RSS",
    "verifyProof gas",
  ];
  const rows = names.map((n) => {
    const s = MLP_SHAPES[n];
    const r = results.get(n)!;
    return [
      n,
      `${s.id} (N = ${s.shape.N})`,
      TASKS[n].data,
      pct(r.floatAccuracy),
      pct(r.quantizedAccuracy),
      `${Math.round(s.constraints / s.shape.N)} (${s.constraints} / ${s.shape.N})`,
      `${sec(r.firstProofMs)} / ${sec(r.warmProofMs)}`,
      `${Math.round(r.maxRssMb)} MiB`,
      gas.get(n) ?? "-",
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n${line(head)}\n| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const r of rows) console.log(line(r));
  console.log(
    `\naccuracy: float = the imported model in float64; quant = the circuit's integer semantics (reference), on the whole held-out split.` +
      `\nprove: createNodeProver (witness + Groth16 on ${os.cpus().length} worker threads + local verify) of the first N held-out samples; first = in a fresh process (artifact load, curve start-up); warm = the second proof.` +
      `\npeak RSS: maxRSS of the proving child process (worker threads included). gas: receipt gasUsed of a verifyProof transaction on anvil (incl. 21 000 base and calldata).` +
      `\nINSECURE development keys. load average at the end: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
  );
}

try {
  if (values.child) await child(values.child as ShapeName);
  else await main();
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
