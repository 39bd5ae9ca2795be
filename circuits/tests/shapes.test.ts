// The demo (64-16-10, N = 32) and benchmark (196-25-10) shapes of the registry, INSECURE fast-dev
// keys: the circuit agrees with the @zkarena/zk reference on random models and batches at the
// declared bounds (witness generation accepts the reference's public signals — count and both
// commitments — and rejects a count off by one), one real proof per shape verifies (and fails with
// a changed public signal), and a representative subset of the negative tests of the CI shape
// (tests/mlp.test.ts has the full list) is repeated at full size.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { rawPack, rng } from "./support.ts";
import { BN254_R, artifactPaths, buildCircuit, releaseCurves } from "../scripts/lib.mjs";
import {
  MLP_SHAPES,
  infer,
  mlpCircuitInput,
  poseidonChain,
  publicSignalList,
  shapeBounds,
  toField,
  type IntModel,
  type MlpProofRequest,
  type MlpShape,
  type NamedShape,
  type Sample,
  type SignalTree,
} from "../../packages/zk/src/index.ts";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zkarena-shapes-"));
});
afterAll(async () => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await releaseCurves();
});

const int = (r: () => number, lo: bigint, hi: bigint) => lo + BigInt(Math.floor(r() * Number(hi - lo + 1n)));

type Kind = "random" | "extreme" | "saturated";

/**
 * A model and batch for `shape`:
 * - random: weights over the whole int range, small biases, uniform features;
 * - extreme: every weight at ±max magnitude, biases at their bounds, features 0 or max;
 * - saturated: positive first layer at its bounds (every hidden unit saturates at 2^hBits − 1).
 * About half of the labels are the model's prediction, so counts vary.
 */
function request(shape: MlpShape, kind: Kind, seed: number): MlpProofRequest {
  const r = rng(seed);
  const wMax = 1n << BigInt(shape.wBits - 1);
  const bMax = 1n << BigInt(shape.bBits - 1);
  const xMax = (1n << BigInt(shape.inBits)) - 1n;
  const weight = () => (kind === "random" ? int(r, -wMax, wMax - 1n) : r() < 0.5 ? -wMax : wMax - 1n);
  const bias = () => (kind === "random" ? int(r, -2000n, 2000n) : r() < 0.5 ? -bMax : bMax - 1n);
  const mat = (rows: number, cols: number, f: () => bigint) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, f));
  const K = shape.H === 0 ? shape.D : shape.H;
  const model: IntModel = {
    shape,
    W1: mat(shape.H, shape.D, kind === "saturated" ? () => wMax - 1n : weight),
    b1: Array.from({ length: shape.H }, kind === "saturated" ? () => bMax - 1n : bias),
    W2: mat(shape.C, K, weight),
    b2: Array.from({ length: shape.C }, bias),
  };
  const samples: Sample[] = Array.from({ length: shape.N }, () => {
    const x = Array.from({ length: shape.D }, () =>
      kind === "random" ? int(r, 0n, xMax) : r() < 0.5 ? 0n : xMax,
    );
    const label = r() < 0.5 ? BigInt(infer(model, x).prediction) : int(r, 0n, BigInt(shape.C - 1));
    return { x, label };
  });
  return {
    model,
    samples,
    modelSalt: int(r, 1n, 1n << 50n) * 7919n,
    testSalt: BN254_R - 1n - int(r, 0n, 1000n),
    challengeId: int(r, 1n, 1n << 60n),
    submitter: (1n << 160n) - 1n - int(r, 0n, 1n << 40n),
  };
}

describe.each([["demo" as const], ["benchmark" as const]])("%s shape", (name) => {
  const named: NamedShape = MLP_SHAPES[name];
  const { shape, id } = named;
  const paths = artifactPaths(id);
  let vk: unknown;
  let n = 0;

  beforeAll(async () => {
    const artifact = await buildCircuit(id, { log: () => {} });
    expect(artifact.setup.kind).toBe("fast-dev-insecure");
    vk = JSON.parse(fs.readFileSync(paths.vk, "utf8"));
  }, 900_000);

  async function witness(input: Record<string, SignalTree>): Promise<void> {
    await snarkjs.wtns.calculate(
      input as snarkjs.CircuitInput,
      paths.wasm,
      path.join(tmp, `${id}-${n++}.wtns`),
    );
  }

  it("agrees with the reference at the bounds: random, extreme and saturated models (witness)", async () => {
    const counts = new Set<bigint>();
    for (const [kind, seed] of [
      ["random", 1],
      ["extreme", 2],
      ["saturated", 3],
    ] as const) {
      const req = request(shape, kind, seed);
      const { input, publicSignals } = await mlpCircuitInput(req);
      counts.add(publicSignals.correct);
      await witness(input); // accepts the reference's count and commitments…
      const other = (publicSignals.correct + 1n) % BigInt(shape.N + 1);
      await expect(witness({ ...input, correct: other }), `${kind}: count ${other}`).rejects.toThrow(
        /Assert Failed/,
      ); // …and only them
    }
    // The saturated case really saturates every hidden unit: acc1 ≥ b1 = 2^(bBits−1) − 1 and
    // (2^15 − 1) >> 6 = 511 > 2^hBits − 1.
    const sat = request(shape, "saturated", 3);
    for (const s of sat.samples)
      expect(infer(sat.model, s.x).hidden.every((v) => v === (1n << BigInt(shape.hBits)) - 1n)).toBe(true);
    expect(counts.size).toBeGreaterThan(1);
  }, 300_000);

  it("proves a random batch: the proof verifies with the reference's public signals only", async () => {
    const req = request(shape, "random", 11);
    const { input, publicSignals } = await mlpCircuitInput(req);
    const { proof, publicSignals: ps } = await snarkjs.groth16.fullProve(
      input as snarkjs.CircuitInput,
      paths.wasm,
      paths.zkey,
    );
    expect(ps).toEqual(publicSignalList(publicSignals).map(String));
    expect(await snarkjs.groth16.verify(vk, ps, proof)).toBe(true);
    const tweak = (i: number, v: bigint) => ps.map((s, j) => (j === i ? v.toString() : s));
    const correct = BigInt(ps[2]!);
    expect(await snarkjs.groth16.verify(vk, tweak(2, correct === 0n ? 1n : correct - 1n), proof)).toBe(false);
    expect(await snarkjs.groth16.verify(vk, [ps[0]!, ps[1]!, ps[2]!, ps[4]!, ps[3]!], proof)).toBe(false);
    expect(await snarkjs.groth16.verify(vk, tweak(1, BigInt(ps[1]!) + BN254_R), proof)).toBe(false);
  }, 600_000);

  it("rejects a changed weight, bias or label under the same commitments (Z10)", async () => {
    const req = request(shape, "random", 21);
    const patches: ((i: Record<string, SignalTree>) => void)[] = [
      (i) =>
        ((i.W1 as bigint[][])[shape.H - 1]![shape.D - 1] = toField(
          req.model.W1.at(-1)!.at(-1)! === 5n ? 6n : 5n,
        )),
      (i) => ((i.b2 as bigint[])[0] = toField(req.model.b2[0]! + 1n)),
      (i) => ((i.label as bigint[])[shape.N - 1] = (req.samples.at(-1)!.label + 1n) % BigInt(shape.C)),
    ];
    for (const patch of patches) {
      const { input } = await mlpCircuitInput(req);
      patch(input);
      await expect(witness(input)).rejects.toThrow(/Assert Failed[\s\S]*MlpAccuracy/);
    }
  }, 300_000);

  it("rejects an out-of-range feature (2^inBits, and r − 1) with a matching test commitment (Z3/Z4)", async () => {
    const req = request(shape, "random", 31);
    const labelBits = shapeBounds(shape).labelBits;
    for (const bad of [1n << BigInt(shape.inBits), BN254_R - 1n]) {
      const { input } = await mlpCircuitInput(req);
      const x = input.x as bigint[][];
      x[shape.N - 1]![0] = bad;
      const values = x.flatMap((row, k) => [...row, (input.label as bigint[])[k]!]);
      const bits = x.flatMap(() => [...Array<number>(shape.D).fill(shape.inBits), labelBits]);
      input.testCommitment = await poseidonChain(req.testSalt, rawPack(values, bits));
      // The commitment matches, so the failing assertion must be the range check (Num2Bits),
      // which the witness generator reaches before the count.
      await expect(witness(input)).rejects.toThrow(/Assert Failed[\s\S]*Num2Bits/);
    }
  }, 600_000);
});
