// PoseidonCommitment(n = 4, bits = 248), registry id "commitment-n4": the pipeline end to end
// (compile → INSECURE dev setup → witness → Groth16 prove → verify), checked against circomlibjs'
// Poseidon as the TypeScript reference, plus one failing case per soundness constraint.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPoseidon, type Poseidon } from "circomlibjs";
import * as snarkjs from "snarkjs";
import {
  BN254_R,
  PACKAGE_ROOT,
  artifactPaths,
  buildCircuit,
  exportSolidityVerifier,
  loadRegistry,
  releaseCurves,
  vkHash,
  type CircuitArtifact,
} from "../scripts/lib.mjs";

const ID = "commitment-n4";
/** Pinned so that a change in constraint count is a visible decision (update it deliberately). */
const PINNED_CONSTRAINTS = 1315;
const BITS = 248n;

const paths = artifactPaths(ID);
let artifact: CircuitArtifact;
let vk: unknown;
let poseidon: Poseidon;
let tmp: string;

interface CommitmentInput {
  values: bigint[];
  salt: bigint;
  challengeId: bigint;
  submitter: bigint;
}

/** TypeScript reference: commitment = Poseidon(salt, values[0..n-1]). */
function commit(values: readonly bigint[], salt: bigint): bigint {
  return poseidon.F.toObject(poseidon([salt, ...values]));
}

function circuitInput(x: CommitmentInput, commitment = commit(x.values, x.salt)): snarkjs.CircuitInput {
  return { commitment, challengeId: x.challengeId, submitter: x.submitter, values: x.values, salt: x.salt };
}

const alice: CommitmentInput = {
  // Includes both range boundaries: 0 and 2^248 - 1.
  values: [
    0n,
    2n ** BITS - 1n,
    123_456_789n,
    0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fn,
  ],
  salt: 0x1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c0dn,
  challengeId: 7n,
  submitter: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n,
};
const bob: CommitmentInput = {
  values: [1n, 2n, 3n, 4n],
  salt: 0x2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c0d1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e0fn,
  challengeId: 8n,
  submitter: 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bcn,
};

async function prove(input: snarkjs.CircuitInput) {
  return snarkjs.groth16.fullProve(input, paths.wasm, paths.zkey);
}

/** Witness (as bigints) for an input, through the compiled wasm. */
async function witness(input: snarkjs.CircuitInput): Promise<bigint[]> {
  const file = path.join(tmp, `w-${Math.random().toString(36).slice(2)}.wtns`);
  await snarkjs.wtns.calculate(input, paths.wasm, file);
  const raw = await snarkjs.wtns.exportJson(file);
  return raw.map((v) => {
    if (typeof v !== "bigint") throw new Error(`unexpected witness element ${String(v)}`);
    return v;
  });
}

const mod = (x: bigint) => ((x % BN254_R) + BN254_R) % BN254_R;

/** Indices of the R1CS constraints that a witness violates (A·w × B·w ≠ C·w mod r). */
function violated(constraints: snarkjs.r1cs.R1csJson["constraints"], w: readonly bigint[]): number[] {
  const lc = (terms: snarkjs.r1cs.LinearCombination) => {
    let acc = 0n;
    for (const [idx, coef] of Object.entries(terms)) acc += BigInt(coef) * (w[Number(idx)] ?? 0n);
    return mod(acc);
  };
  const bad: number[] = [];
  constraints.forEach(([a, b, c], i) => {
    if (mod(lc(a) * lc(b)) !== lc(c)) bad.push(i);
  });
  return bad;
}

beforeAll(async () => {
  // Same function as `npm run build`; a cache hit when the build is up to date.
  artifact = await buildCircuit(ID, { log: () => {} });
  vk = JSON.parse(fs.readFileSync(paths.vk, "utf8"));
  poseidon = await buildPoseidon();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zkarena-circuits-"));
});

afterAll(async () => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await releaseCurves();
});

describe("build artifact", () => {
  it("records the registry's public signals and a vkHash that matches verification_key.json", () => {
    const entry = loadRegistry().find((e) => e.id === ID);
    expect(entry).toBeDefined();
    expect(artifact.publicSignals).toEqual(entry?.publicSignals);
    expect(artifact.publicSignals).toEqual(["commitment", "challengeId", "submitter"]);
    expect(artifact.vkHash).toBe(vkHash(vk));
    expect(artifact.setup.kind).toBe("dev-insecure");
    expect(path.basename(paths.zkey)).toContain("dev-insecure");
  });

  it("keeps the pinned constraint count", async () => {
    const info = await snarkjs.r1cs.info(paths.r1cs, null);
    expect(
      info.nConstraints,
      `constraint count changed: now ${info.nConstraints}, pinned ${PINNED_CONSTRAINTS}; update PINNED_CONSTRAINTS if intended`,
    ).toBe(PINNED_CONSTRAINTS);
    expect(artifact.constraints).toBe(info.nConstraints);
  });

  it("has exactly three public inputs and no public outputs (Z9)", async () => {
    const info = await snarkjs.r1cs.info(paths.r1cs, null);
    expect(info.nPubInputs).toBe(3);
    expect(info.nOutputs).toBe(0);
    expect(info.nPrvInputs).toBe(5);
  });

  it("constrains every public input; challengeId and submitter by a dummy square that survives --O2 (Z9)", async () => {
    const r1cs = await snarkjs.r1cs.exportJson(paths.r1cs);
    const constrained = (i: number) => r1cs.constraints.some((c) => c.some((lc) => String(i) in lc));
    // commitment: the last Poseidon row's output, equated linearly (so it sits in C).
    expect(constrained(1), "commitment is in no constraint").toBe(true);
    for (const signal of [2, 3]) {
      const square = r1cs.constraints.some(([a, b]) => String(signal) in a && String(signal) in b);
      expect(
        square,
        `public signal #${signal} (${artifact.publicSignals[signal - 1]}) is in no product`,
      ).toBe(true);
    }
  });
});

describe("PoseidonCommitment prove/verify", () => {
  it("proves and verifies a commitment that matches the TypeScript reference", async () => {
    const commitment = commit(alice.values, alice.salt);
    const { proof, publicSignals } = await prove(circuitInput(alice));
    expect(publicSignals).toEqual([commitment, alice.challengeId, alice.submitter].map(String));
    expect(await snarkjs.groth16.verify(vk, publicSignals, proof)).toBe(true);
  });

  it("rejects a proof whose challengeId is changed", async () => {
    const { proof, publicSignals } = await prove(circuitInput(alice));
    const [commitment, challengeId, submitter] = publicSignals.map(BigInt) as [bigint, bigint, bigint];
    expect(
      await snarkjs.groth16.verify(vk, [commitment, challengeId + 1n, submitter].map(String), proof),
    ).toBe(false);
  });

  it("rejects a proof whose submitter is swapped for another address", async () => {
    const { proof, publicSignals } = await prove(circuitInput(alice));
    const [commitment, challengeId] = publicSignals;
    expect(
      await snarkjs.groth16.verify(
        vk,
        [commitment ?? "", challengeId ?? "", bob.submitter.toString()],
        proof,
      ),
    ).toBe(false);
  });

  it("rejects a public signal aliased by the field order (commitment + r, Z7)", async () => {
    const { proof, publicSignals } = await prove(circuitInput(alice));
    const [commitment, challengeId, submitter] = publicSignals;
    const aliased = (BigInt(commitment ?? "") + BN254_R).toString();
    expect(await snarkjs.groth16.verify(vk, [aliased, challengeId ?? "", submitter ?? ""], proof)).toBe(
      false,
    );
  });

  it("rejects a valid proof of another input set presented with swapped public signals", async () => {
    const a = await prove(circuitInput(alice));
    const b = await prove(circuitInput(bob));
    expect(await snarkjs.groth16.verify(vk, b.publicSignals, b.proof)).toBe(true);
    expect(await snarkjs.groth16.verify(vk, a.publicSignals, b.proof)).toBe(false);
    expect(await snarkjs.groth16.verify(vk, b.publicSignals, a.proof)).toBe(false);
    // Bob's commitment with Alice's binding, and vice versa.
    const [bc, ,] = b.publicSignals;
    const [, ac, as] = a.publicSignals;
    expect(await snarkjs.groth16.verify(vk, [bc ?? "", ac ?? "", as ?? ""], b.proof)).toBe(false);
  });
});

describe("PoseidonCommitment witness generation", () => {
  it("rejects a wrong commitment", async () => {
    const wrong = commit(alice.values, alice.salt + 1n);
    await expect(prove(circuitInput(alice, wrong))).rejects.toThrow(/Assert Failed[\s\S]*PoseidonCommitment/);
  });

  it("rejects a value of 2^bits (range check), even with a matching commitment", async () => {
    const values = [...alice.values];
    values[2] = 2n ** BITS;
    const x = { ...alice, values };
    // The commitment is correct for these values, so only Num2Bits can fail.
    await expect(prove(circuitInput(x))).rejects.toThrow(/Assert Failed[\s\S]*Num2Bits/);
  });

  it("rejects a field-negative value (r - 1)", async () => {
    const values = [...alice.values];
    values[0] = BN254_R - 1n;
    await expect(prove(circuitInput({ ...alice, values }))).rejects.toThrow(/Assert Failed[\s\S]*Num2Bits/);
  });
});

describe("PoseidonCommitment constraints on a tampered witness", () => {
  let constraints: snarkjs.r1cs.R1csJson["constraints"];
  let honest: bigint[];

  beforeAll(async () => {
    constraints = (await snarkjs.r1cs.exportJson(paths.r1cs)).constraints;
    honest = await witness(circuitInput(alice));
  });

  it("accepts the honest witness (so the checker below can tell)", () => {
    expect(violated(constraints, honest)).toEqual([]);
  });

  // Witness layout (see build/<id>/<id>.sym): 0 = constant 1, 1 = commitment, 2 = challengeId,
  // 3 = submitter, 4..7 = values, 8 = salt.
  it.each([
    ["commitment", 1],
    ["challengeId", 2],
    ["submitter", 3],
    ["values[0]", 4],
    ["salt", 8],
  ])("rejects a witness whose %s is changed after the fact", (_name, index) => {
    const w = [...honest];
    w[index] = mod((w[index] ?? 0n) + 1n);
    expect(violated(constraints, w).length).toBeGreaterThan(0);
  });
});

describe("exported Solidity verifier", () => {
  it("has the banner, the contract name, a pinned pragma and three public inputs", async () => {
    const out = path.join(tmp, "CommitmentN4Verifier.sol");
    const { file, contractName } = await exportSolidityVerifier(ID, { out, log: () => {} });
    expect(contractName).toBe("CommitmentN4Verifier");
    const sol = fs.readFileSync(file, "utf8");
    const firstLine = sol.split("\n")[0];
    expect(firstLine).toBe(
      `// generated by circuits/scripts/export-verifier.mjs from ${ID} (${artifact.vkHash}) — do not edit; INSECURE development setup`,
    );
    expect(sol).toMatch(/^pragma solidity 0\.8\.37;$/m);
    expect(sol).not.toMatch(/pragma solidity [^;]*[<>]/);
    expect(sol).toMatch(/\bcontract CommitmentN4Verifier \{/);
    expect(sol).not.toContain("Groth16Verifier");
    expect(sol).toContain("uint[3] calldata _pubSignals");
    // One IC point per public input plus IC0, equal to the verification key's.
    const ic = [...sol.matchAll(/uint256 constant IC(\d+)x = (\d+);/g)].map((m) => m[2]);
    const vkIc = (vk as { IC: string[][] }).IC.map((p) => p[0]);
    expect(ic).toEqual(vkIc);
    expect(ic).toHaveLength(4);
  });

  it("writes through the export-verifier CLI to --out", async () => {
    const out = path.join(tmp, "cli", "Out.sol");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["scripts/export-verifier.mjs", ID, "--out", out],
      {
        cwd: PACKAGE_ROOT,
      },
    );
    expect(stdout).toContain("CommitmentN4Verifier");
    expect(fs.readFileSync(out, "utf8").split("\n")[0]).toContain(`from ${ID} (${artifact.vkHash})`);
  });
});
