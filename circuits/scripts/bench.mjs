#!/usr/bin/env node
// Prove/verify timings for the commitment circuit (a benchmark command, not a timed test):
// witness + Groth16 proof with snarkjs.groth16.fullProve, then groth16.verify, in-process.
//
//   node scripts/bench.mjs [--runs 5]
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { buildPoseidon } from "circomlibjs";
import * as snarkjs from "snarkjs";
import { artifactPaths, buildCircuit, releaseCurves } from "./lib.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Math.max(1, Number(values.runs));
const ID = "commitment-n4";

const artifact = await buildCircuit(ID, { log: () => {} });
const paths = artifactPaths(ID);
const vk = JSON.parse(fs.readFileSync(paths.vk, "utf8"));
const poseidon = await buildPoseidon();
const salt = 0x1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c0dn;

const prove = [];
const verify = [];
for (let i = 0; i < runs + 1; i++) {
  const v = [1n, 2n, 3n, BigInt(i)];
  const input = {
    commitment: poseidon.F.toObject(poseidon([salt, ...v])),
    challengeId: 7n,
    submitter: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n,
    values: v,
    salt,
  };
  const t0 = performance.now();
  const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, paths.wasm, paths.zkey);
  const t1 = performance.now();
  const ok = await snarkjs.groth16.verify(vk, publicSignals, proof);
  const t2 = performance.now();
  if (!ok) throw new Error("proof did not verify");
  if (i > 0) {
    prove.push(t1 - t0);
    verify.push(t2 - t1);
  } else {
    console.log(`cold: prove ${(t1 - t0).toFixed(0)} ms, verify ${(t2 - t1).toFixed(0)} ms`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `\n${ID} (${artifact.constraints} constraints, 2^${artifact.power}, INSECURE dev keys), ${runs} warm runs`,
);
console.log("step          median ms  min ms  max ms");
for (const [name, xs] of [
  ["fullProve", prove],
  ["verify", verify],
]) {
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
