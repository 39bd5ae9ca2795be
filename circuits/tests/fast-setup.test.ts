// The INSECURE fast development setup (scripts/fast-setup.mjs): a Groth16 .zkey written directly from
// scalars derived from a public seed, without powers of tau. snarkjs must prove with it, export its
// verification key and verify its proofs; the file must have the layout `zkey new` + beacon gives.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPoseidon } from "circomlibjs";
import * as snarkjs from "snarkjs";
import { BN254_R, artifactPaths, buildCircuit, releaseCurves } from "../scripts/lib.mjs";
import {
  circuitPower,
  deriveToxicWaste,
  fastDevZkey,
  lagrangeAtTau,
  type FastDevZkeyResult,
} from "../scripts/fast-setup.mjs";
import {
  infer,
  mlpCircuitInput,
  publicSignalList,
  type IntModel,
  type MlpProofRequest,
  type MlpShape,
  type Sample,
} from "../../packages/zk/src/index.ts";

const COMMIT = "commitment-n4";
const MLP = "mlp-d4-h3-c3-n4";
const SEED = "zkarena fast-dev test seed - PUBLIC, INSECURE";
const MLP_SHAPE: MlpShape = { D: 4, H: 3, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 };

let tmp: string;
const zkeys: Record<string, string> = {};
const results: Record<string, FastDevZkeyResult> = {};

const mod = (x: bigint) => ((x % BN254_R) + BN254_R) % BN254_R;
function powMod(b: bigint, e: bigint): bigint {
  let r = 1n;
  let x = mod(b);
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) r = (r * x) % BN254_R;
    x = (x * x) % BN254_R;
  }
  return r;
}

/** Sections of an iden3 binary file: id → byte ranges (in file order). */
function sections(file: string) {
  const buf = fs.readFileSync(file);
  const list: { id: number; start: number; size: number }[] = [];
  let pos = 12;
  for (let i = 0; i < buf.readUInt32LE(8); i++) {
    const id = buf.readUInt32LE(pos);
    const size = Number(buf.readBigUInt64LE(pos + 4));
    list.push({ id, start: pos + 12, size });
    pos += 12 + size;
  }
  return { buf, list, get: (id: number) => list.find((s) => s.id === id) };
}

async function commitmentInput(challengeId = 7n) {
  const poseidon = await buildPoseidon();
  const values = [11n, 22n, 33n, 2n ** 200n + 5n];
  const salt = 0x1234567890abcdefn;
  const commitment = poseidon.F.toObject(poseidon([salt, ...values]));
  return { commitment, challengeId, submitter: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n, values, salt };
}

function mlpRequest(): MlpProofRequest {
  let a = 12345;
  const r = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => BigInt(lo + Math.floor(r() * (hi - lo + 1)));
  const { D, H, C, N } = MLP_SHAPE;
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => int(-128, 127)));
  const model: IntModel = {
    shape: MLP_SHAPE,
    W1: mat(H, D),
    b1: Array.from({ length: H }, () => int(-300, 300)),
    W2: mat(C, H),
    b2: Array.from({ length: C }, () => int(-300, 300)),
  };
  const samples: Sample[] = Array.from({ length: N }, (_, i) => {
    const x = Array.from({ length: D }, () => int(0, 15));
    const label = i % 2 === 0 ? BigInt(infer(model, x).prediction) : int(0, C - 1);
    return { x, label };
  });
  return {
    model,
    samples,
    modelSalt: 7919n * 1234n,
    testSalt: 104729n * 99n,
    challengeId: 3n,
    submitter: 42n,
  };
}

beforeAll(async () => {
  await buildCircuit(COMMIT, { log: () => {} });
  await buildCircuit(MLP, { log: () => {} });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zkarena-fast-setup-"));
  for (const id of [COMMIT, MLP]) {
    zkeys[id] = path.join(tmp, `${id}.fast-dev.zkey`);
    results[id] = await fastDevZkey({
      r1csPath: artifactPaths(id).r1cs,
      zkeyPath: zkeys[id],
      power: 11,
      seed: SEED,
    });
  }
});

afterAll(async () => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await releaseCurves();
});

describe("field helpers", () => {
  it("evaluates the Lagrange basis at tau: Σ L_i = 1 and Σ ω^i L_i = τ", () => {
    const m = 16;
    // 5 generates the multiplicative group of the BN254 scalar field.
    const omega = powMod(5n, (BN254_R - 1n) / 16n);
    expect(powMod(omega, 16n)).toBe(1n);
    expect(powMod(omega, 8n)).not.toBe(1n);
    const tau = 123456789n;
    const L = lagrangeAtTau(tau, m, omega);
    expect(L.reduce((s, x) => mod(s + x), 0n)).toBe(1n);
    expect(L.reduce((s, x, i) => mod(s + x * powMod(omega, BigInt(i))), 0n)).toBe(tau);
    expect(L.reduce((s, x, i) => mod(s + x * powMod(omega, BigInt(3 * i))), 0n)).toBe(powMod(tau, 3n));
  });

  it("derives the toxic waste deterministically from the seed (gamma = 1 as in snarkjs)", () => {
    const a = deriveToxicWaste(SEED);
    expect(deriveToxicWaste(SEED)).toEqual(a);
    expect(a.gamma).toBe(1n);
    expect(deriveToxicWaste(`${SEED}!`).tau).not.toBe(a.tau);
    for (const v of [a.tau, a.alpha, a.beta, a.delta]) expect(v > 0n && v < BN254_R).toBe(true);
  });

  it("uses the domain `snarkjs zkey new` uses", () => {
    expect(circuitPower(1315, 3)).toBe(11);
    expect(circuitPower(2043, 4)).toBe(11); // 2048 rows exactly
    expect(circuitPower(2044, 4)).toBe(12);
  });
});

describe("zkey layout", () => {
  it.each([COMMIT, MLP])(
    "%s: same sections, sizes, header and coefficients as the snarkjs dev zkey",
    (id) => {
      const ours = sections(zkeys[id] as string);
      const ref = sections(artifactPaths(id).zkey);
      // Same order and sizes; section 10 holds a hash and no contribution records (68 bytes).
      const layout = (l: { id: number; size: number }[]) => l.map((s) => [s.id, s.id === 10 ? 68 : s.size]);
      expect(ours.list.map((s) => [s.id, s.size])).toEqual(layout(ref.list));
      // Groth header up to the domain size: q, r, nVars, nPublic, domainSize.
      const h1 = ours.get(2);
      const h2 = ref.get(2);
      expect(ours.buf.subarray(h1!.start, h1!.start + 84)).toEqual(
        ref.buf.subarray(h2!.start, h2!.start + 84),
      );
      // gamma2 is the G2 generator in both.
      const g = (s: { buf: Buffer }, h: { start: number }) =>
        s.buf.subarray(h.start + 84 + 256, h.start + 84 + 384);
      expect(g(ours, h1!)).toEqual(g(ref, h2!));
      // The A/B coefficient section depends only on the r1cs.
      const c1 = ours.get(4);
      const c2 = ref.get(4);
      expect(ours.buf.subarray(c1!.start, c1!.start + c1!.size)).toEqual(
        ref.buf.subarray(c2!.start, c2!.start + c2!.size),
      );
      expect(results[id]?.domainSize).toBe(2048);
    },
  );

  it("is deterministic for a seed and differs for another seed", async () => {
    const again = path.join(tmp, "again.zkey");
    const other = path.join(tmp, "other.zkey");
    await fastDevZkey({ r1csPath: artifactPaths(COMMIT).r1cs, zkeyPath: again, seed: SEED });
    await fastDevZkey({ r1csPath: artifactPaths(COMMIT).r1cs, zkeyPath: other, seed: `${SEED} 2` });
    expect(fs.readFileSync(again).equals(fs.readFileSync(zkeys[COMMIT] as string))).toBe(true);
    const vk1 = await snarkjs.zKey.exportVerificationKey(again);
    const vk2 = await snarkjs.zKey.exportVerificationKey(other);
    expect(JSON.stringify(vk1)).not.toBe(JSON.stringify(vk2));
  });

  it("refuses a power smaller than the circuit needs", async () => {
    await expect(
      fastDevZkey({
        r1csPath: artifactPaths(COMMIT).r1cs,
        zkeyPath: path.join(tmp, "small.zkey"),
        power: 10,
        seed: SEED,
      }),
    ).rejects.toThrow(/need 2\^11/);
  });
});

describe("snarkjs proves and verifies with the fast key", () => {
  it("commitment-n4: valid proof verifies; a changed public signal or another key does not", async () => {
    const zkey = zkeys[COMMIT] as string;
    const input = await commitmentInput();
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, artifactPaths(COMMIT).wasm, zkey);
    const vk = await snarkjs.zKey.exportVerificationKey(zkey);
    expect(vk.protocol).toBe("groth16");
    expect(vk.nPublic).toBe(3);
    expect(publicSignals).toEqual([input.commitment, input.challengeId, input.submitter].map(String));
    expect(await snarkjs.groth16.verify(vk, publicSignals, proof)).toBe(true);
    const tampered = [...publicSignals];
    tampered[1] = "8";
    expect(await snarkjs.groth16.verify(vk, tampered, proof)).toBe(false);
    const devVk = JSON.parse(fs.readFileSync(artifactPaths(COMMIT).vk, "utf8"));
    expect(await snarkjs.groth16.verify(devVk, publicSignals, proof)).toBe(false);
  });

  it("mlp-d4-h3-c3-n4: valid proof verifies with the reference's public signals; a changed `correct` does not", async () => {
    const zkey = zkeys[MLP] as string;
    const { input, publicSignals: expected } = await mlpCircuitInput(mlpRequest());
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(
      input as snarkjs.CircuitInput,
      artifactPaths(MLP).wasm,
      zkey,
    );
    expect(publicSignals).toEqual(publicSignalList(expected).map(String));
    const vk = await snarkjs.zKey.exportVerificationKey(zkey);
    expect(await snarkjs.groth16.verify(vk, publicSignals, proof)).toBe(true);
    const tampered = [...publicSignals];
    tampered[2] = String(BigInt(tampered[2] as string) + 1n);
    expect(await snarkjs.groth16.verify(vk, tampered, proof)).toBe(false);
  });
});
