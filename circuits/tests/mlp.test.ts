// MlpAccuracy(D=4, H=3, C=3, N=4, inBits=4, wBits=8, bBits=12, hBits=8, shift=4), registry id
// "mlp-d4-h3-c3-n4" (the CI shape): proofs for random quantized models and batches whose public
// signals must equal the @zkarena/zk reference (correct count and both commitments), plus one
// failing case per soundness constraint (threat model Z1–Z11, section 3a).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { mod, rawPack, rng } from "./support.ts";
import {
  BN254_R,
  artifactPaths,
  buildCircuit,
  loadRegistry,
  releaseCurves,
  vkHash,
  type CircuitArtifact,
} from "../scripts/lib.mjs";
import {
  MLP_SHAPES,
  infer,
  mlpCircuitInput,
  poseidonChain,
  proveMlp,
  verifyMlp,
  publicSignalList,
  shapeBounds,
  shapeFromParams,
  shapeParams,
  shapeTemplate,
  toField,
  type IntModel,
  type MlpProofRequest,
  type MlpShape,
  type Sample,
  type SignalTree,
} from "../../packages/zk/src/index.ts";

const ID = "mlp-d4-h3-c3-n4";
/** Pinned so that a change in constraint count is a visible decision (update it deliberately). */
const PINNED_CONSTRAINTS = 1498;
const SHAPE: MlpShape = { D: 4, H: 3, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 };

const paths = artifactPaths(ID);
let artifact: CircuitArtifact;
let vk: unknown;
let tmp: string;

const int = (r: () => number, lo: number, hi: number) => BigInt(lo + Math.floor(r() * (hi - lo + 1)));

/** A random in-range model and batch; about half of the labels equal the model's prediction. */
function randomRequest(seed: number): MlpProofRequest {
  const r = rng(seed);
  const { D, H, C, N } = SHAPE;
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => int(r, -128, 127)));
  // Small biases keep the classes competitive; the bound cases are tested separately.
  const model: IntModel = {
    shape: SHAPE,
    W1: mat(H, D),
    b1: Array.from({ length: H }, () => int(r, -300, 300)),
    W2: mat(C, H),
    b2: Array.from({ length: C }, () => int(r, -300, 300)),
  };
  const samples: Sample[] = Array.from({ length: N }, () => {
    const x = Array.from({ length: D }, () => int(r, 0, 15));
    const label = r() < 0.5 ? BigInt(infer(model, x).prediction) : int(r, 0, C - 1);
    return { x, label };
  });
  return {
    model,
    samples,
    modelSalt: int(r, 0, 2 ** 50) * 7919n,
    testSalt: int(r, 0, 2 ** 50) * 104729n,
    challengeId: int(r, 1, 1000),
    submitter: 0x70997970c51812dc3a010c7d01b50e0d17dc79c8n,
  };
}

async function prove(input: snarkjs.CircuitInput) {
  return snarkjs.groth16.fullProve(input, paths.wasm, paths.zkey);
}

async function witness(input: snarkjs.CircuitInput): Promise<bigint[]> {
  const file = path.join(tmp, `w-${Math.random().toString(36).slice(2)}.wtns`);
  await snarkjs.wtns.calculate(input, paths.wasm, file);
  const raw = await snarkjs.wtns.exportJson(file);
  return raw.map((v) => {
    if (typeof v !== "bigint") throw new Error(`unexpected witness element ${String(v)}`);
    return v;
  });
}

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

/** Circuit input with the reference's public signals, then `patch` applied to the private part. */
async function inputFor(req: MlpProofRequest, patch: (input: Record<string, SignalTree>) => void = () => {}) {
  const { input, publicSignals } = await mlpCircuitInput(req);
  patch(input);
  return { input: input as snarkjs.CircuitInput, publicSignals };
}

beforeAll(async () => {
  artifact = await buildCircuit(ID, { log: () => {} });
  vk = JSON.parse(fs.readFileSync(paths.vk, "utf8"));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zkarena-mlp-"));
});

afterAll(async () => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await releaseCurves();
});

describe("build artifact", () => {
  it("matches the registry entry and the TypeScript shape", () => {
    const entry = loadRegistry().find((e) => e.id === ID);
    expect(entry?.params).toEqual(shapeParams(SHAPE));
    expect(shapeFromParams(entry?.params ?? [])).toEqual(SHAPE);
    expect(MLP_SHAPES.ci.shape).toEqual(SHAPE);
    expect(MLP_SHAPES.ci.constraints).toBe(PINNED_CONSTRAINTS);
    expect(entry?.power).toBe(MLP_SHAPES.ci.power);
    expect(artifact.publicSignals).toEqual([
      "modelCommitment",
      "testCommitment",
      "correct",
      "challengeId",
      "submitter",
    ]);
    expect(artifact.vkHash).toBe(vkHash(vk));
    expect(artifact.setup.kind).toBe("dev-insecure");
  });

  it("keeps the pinned constraint count", async () => {
    const info = await snarkjs.r1cs.info(paths.r1cs, null);
    expect(
      info.nConstraints,
      `constraint count changed: now ${info.nConstraints}, pinned ${PINNED_CONSTRAINTS}; update PINNED_CONSTRAINTS if intended`,
    ).toBe(PINNED_CONSTRAINTS);
    expect(artifact.constraints).toBe(info.nConstraints);
    expect(2 ** artifact.power).toBeGreaterThan(info.nConstraints + 5 + 1);
  });

  it("has exactly five public inputs; challengeId and submitter are in a product (Z9)", async () => {
    const info = await snarkjs.r1cs.info(paths.r1cs, null);
    expect(info.nPubInputs).toBe(5);
    expect(info.nOutputs).toBe(0);
    const r1cs = await snarkjs.r1cs.exportJson(paths.r1cs);
    for (const signal of [1, 2, 3]) {
      expect(
        r1cs.constraints.some((c) => c.some((lc) => String(signal) in lc)),
        `public signal #${signal} is in no constraint`,
      ).toBe(true);
    }
    for (const signal of [4, 5]) {
      expect(
        r1cs.constraints.some(([a, b]) => String(signal) in a && String(signal) in b),
        `public signal #${signal} is in no product`,
      ).toBe(true);
    }
  });
});

describe("MlpAccuracy equals the TypeScript reference", () => {
  it.each([1, 2, 3])(
    "proves a random model and batch (seed %i) with the reference's public signals",
    async (seed) => {
      const req = randomRequest(seed);
      const { input, publicSignals } = await inputFor(req);
      const { proof, publicSignals: ps } = await prove(input);
      expect(ps).toEqual(publicSignalList(publicSignals).map(String));
      expect(await snarkjs.groth16.verify(vk, ps, proof)).toBe(true);
    },
  );

  it("agrees on 40 random batches (witness generation accepts the reference's correct count, and only it)", async () => {
    const counts = new Set<bigint>();
    for (let seed = 100; seed < 140; seed++) {
      const req = randomRequest(seed);
      const { input, publicSignals } = await inputFor(req);
      counts.add(publicSignals.correct);
      await witness(input);
      const other = (publicSignals.correct + 1n) % BigInt(SHAPE.N + 1);
      await expect(witness({ ...input, correct: other })).rejects.toThrow(/Assert Failed/);
    }
    expect(counts.size).toBeGreaterThan(2); // the batches exercise several counts
  });

  it("is exact at the declared bounds (max-magnitude weights, biases and inputs; saturation)", async () => {
    const { D, H, C, N } = SHAPE;
    const fill = (rows: number, cols: number, v: bigint) =>
      Array.from({ length: rows }, () => Array<bigint>(cols).fill(v));
    const cases: IntModel[] = [
      // acc1 = −2048 − 4·128·15 = −acc1Max; acc2 = −2048 − 3·128·0 …
      {
        shape: SHAPE,
        W1: fill(H, D, -128n),
        b1: Array<bigint>(H).fill(-2048n),
        W2: fill(C, H, -128n),
        b2: Array<bigint>(C).fill(-2048n),
      },
      // acc1 = 2047 + 4·127·15 = 9667 → 9667 >> 4 = 604 → saturates at 255; acc2 = −2048 − 3·128·255 = −acc2Max
      {
        shape: SHAPE,
        W1: fill(H, D, 127n),
        b1: Array<bigint>(H).fill(2047n),
        W2: fill(C, H, -128n),
        b2: [-2048n, -2048n, -2047n],
      },
      {
        shape: SHAPE,
        W1: fill(H, D, 127n),
        b1: Array<bigint>(H).fill(2047n),
        W2: fill(C, H, 127n),
        b2: [2047n, 2047n, 2046n],
      },
    ];
    for (const model of cases) {
      const samples: Sample[] = Array.from({ length: N }, (_, n) => ({
        x: Array<bigint>(D).fill(n === 0 ? 0n : 15n),
        label: BigInt(n % C),
      }));
      const req: MlpProofRequest = {
        model,
        samples,
        modelSalt: 1n,
        testSalt: BN254_R - 1n,
        challengeId: BN254_R - 1n,
        submitter: 2n ** 160n - 1n,
      };
      const { input, publicSignals } = await inputFor(req);
      const { proof, publicSignals: ps } = await prove(input);
      expect(ps).toEqual(publicSignalList(publicSignals).map(String));
      expect(await snarkjs.groth16.verify(vk, ps, proof)).toBe(true);
    }
    const acc1 = infer(cases[1] as IntModel, Array<bigint>(D).fill(15n)).acc1[0];
    expect(acc1).toBe(9667n);
    expect(shapeBounds(SHAPE).acc1Bits).toBe(15);
  });
});

describe("proving SDK (@zkarena/zk proveMlp / verifyMlp)", () => {
  it("proves from file paths and from bytes, and checks the public signals against the reference", async () => {
    const req = randomRequest(5);
    const fromPaths = await proveMlp(req, { wasm: paths.wasm, zkey: paths.zkey });
    expect(fromPaths.publicSignals).toEqual(publicSignalList(fromPaths.expected).map(String));
    expect(await verifyMlp(vk, fromPaths.publicSignals, fromPaths.proof)).toBe(true);
    const bytes = await proveMlp(req, {
      wasm: new Uint8Array(fs.readFileSync(paths.wasm)),
      zkey: new Uint8Array(fs.readFileSync(paths.zkey)),
    });
    expect(await verifyMlp(vk, bytes.publicSignals, bytes.proof)).toBe(true);
  });
});

describe("MlpAccuracy rejects (witness generation)", () => {
  const req = randomRequest(7);

  it("a correct count off by one either way", async () => {
    const { input, publicSignals } = await inputFor(req);
    for (const delta of [1n, -1n]) {
      await expect(prove({ ...input, correct: toField(publicSignals.correct + delta) })).rejects.toThrow(
        /Assert Failed/,
      );
    }
  });

  it("a changed weight, bias, feature or label under the same commitments (Z10)", async () => {
    const patches: ((i: Record<string, SignalTree>) => void)[] = [
      (i) => ((i.W1 as bigint[][])[1]![2] = toField((req.model.W1[1]![2]! + 1n) % 128n)),
      (i) => ((i.W2 as bigint[][])[0]![0] = toField(req.model.W2[0]![0]! === 0n ? 1n : 0n)),
      (i) => ((i.b2 as bigint[])[2] = toField(req.model.b2[2]! + 1n)),
      (i) => ((i.x as bigint[][])[3]![1] = (req.samples[3]!.x[1]! + 1n) % 16n),
      (i) => ((i.label as bigint[])[0] = (req.samples[0]!.label + 1n) % 3n),
      (i) => (i.modelSalt = (i.modelSalt as bigint) + 1n),
      (i) => (i.testSalt = (i.testSalt as bigint) + 1n),
    ];
    for (const patch of patches) {
      const { input } = await inputFor(req, patch);
      await expect(witness(input)).rejects.toThrow(/Assert Failed[\s\S]*MlpAccuracy/);
    }
  });

  /** Replace one value and recompute the commitment over the raw (unchecked) packing, so that the
   *  commitment matches and only a range check can fail. */
  async function outOfRange(kind: "feature" | "weight" | "bias" | "label", value: bigint) {
    const { input } = await inputFor(req);
    const q = structuredClone(req);
    const bounds = shapeBounds(SHAPE);
    if (kind === "feature" || kind === "label") {
      if (kind === "feature") (input.x as bigint[][])[0]![0] = toField(value);
      else (input.label as bigint[])[0] = toField(value);
      const values = (input.x as bigint[][]).flatMap((x, n) => [...x, (input.label as bigint[])[n]!]);
      const bits = (input.x as bigint[][]).flatMap(() => [
        ...Array<number>(SHAPE.D).fill(SHAPE.inBits),
        bounds.labelBits,
      ]);
      input.testCommitment = await poseidonChain(q.testSalt, rawPack(values, bits));
    } else {
      if (kind === "weight") (input.W1 as bigint[][])[0]![0] = toField(value);
      else (input.b1 as bigint[])[0] = toField(value);
      const off = (v: bigint, b: number) => v + (1n << BigInt(b - 1));
      const W1 = input.W1 as bigint[][];
      const values = [
        ...W1.flat().map((v) => off(v, SHAPE.wBits)),
        ...(input.b1 as bigint[]).map((v) => off(v, SHAPE.bBits)),
        ...(input.W2 as bigint[][]).flat().map((v) => off(v, SHAPE.wBits)),
        ...(input.b2 as bigint[]).map((v) => off(v, SHAPE.bBits)),
      ];
      const bits = [
        ...Array<number>(SHAPE.H * SHAPE.D).fill(SHAPE.wBits),
        ...Array<number>(SHAPE.H).fill(SHAPE.bBits),
        ...Array<number>(SHAPE.C * SHAPE.H).fill(SHAPE.wBits),
        ...Array<number>(SHAPE.C).fill(SHAPE.bBits),
      ];
      input.modelCommitment = await poseidonChain(q.modelSalt, rawPack(values, bits));
    }
    // `correct` may change with the value; try every count so only the range check can fail.
    for (let c = 0; c <= SHAPE.N; c++) {
      await expect(witness({ ...(input as snarkjs.CircuitInput), correct: BigInt(c) })).rejects.toThrow(
        /Assert Failed[\s\S]*Num2Bits/,
      );
    }
  }

  it("an out-of-range feature (16, and field-negative r − 1) with a matching commitment (Z3/Z4)", async () => {
    await outOfRange("feature", 16n);
    await outOfRange("feature", -1n);
  });

  it("an out-of-range weight (128, −129) and bias (2048) with a matching commitment (Z4)", async () => {
    await outOfRange("weight", 128n);
    await outOfRange("weight", -129n);
    await outOfRange("bias", 2048n);
  });

  it("an out-of-range label (4) with a matching commitment", async () => {
    await outOfRange("label", 4n);
  });

  it("the sanity check of the helper: an in-range value through rawPack gives the real commitment", async () => {
    const { input, publicSignals } = await inputFor(req);
    const values = (input.x as bigint[][]).flatMap((x, n) => [...x, (input.label as bigint[])[n]!]);
    const bits = (input.x as bigint[][]).flatMap(() => [
      ...Array<number>(SHAPE.D).fill(SHAPE.inBits),
      shapeBounds(SHAPE).labelBits,
    ]);
    expect(await poseidonChain(req.testSalt, rawPack(values, bits))).toBe(publicSignals.testCommitment);
  });
});

describe("MlpAccuracy verification", () => {
  it("rejects a changed correct count, swapped challengeId/submitter, and a public signal + r (Z7, Z9)", async () => {
    const req = randomRequest(11);
    const { input } = await inputFor(req);
    const { proof, publicSignals } = await prove(input);
    const ps = publicSignals.map(BigInt);
    const tweak = (i: number, v: bigint) => ps.map((s, j) => (j === i ? v : s).toString());
    expect(await snarkjs.groth16.verify(vk, ps.map(String), proof)).toBe(true);
    const correct = ps[2]!;
    expect(await snarkjs.groth16.verify(vk, tweak(2, correct === 4n ? 3n : correct + 1n), proof)).toBe(false);
    expect(await snarkjs.groth16.verify(vk, tweak(3, ps[3]! + 1n), proof)).toBe(false);
    expect(
      await snarkjs.groth16.verify(vk, tweak(4, 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bcn), proof),
    ).toBe(false);
    // challengeId and submitter swapped
    expect(
      await snarkjs.groth16.verify(vk, [ps[0]!, ps[1]!, ps[2]!, ps[4]!, ps[3]!].map(String), proof),
    ).toBe(false);
    for (let i = 0; i < 5; i++)
      expect(await snarkjs.groth16.verify(vk, tweak(i, ps[i]! + BN254_R), proof)).toBe(false);
  });

  it("rejects another batch's public signals on this proof", async () => {
    const a = await prove((await inputFor(randomRequest(12))).input);
    const b = await prove((await inputFor(randomRequest(13))).input);
    expect(await snarkjs.groth16.verify(vk, b.publicSignals, a.proof)).toBe(false);
    // b's test commitment with a's model commitment and count
    const mixed = [a.publicSignals[0]!, b.publicSignals[1]!, ...a.publicSignals.slice(2)];
    expect(await snarkjs.groth16.verify(vk, mixed, a.proof)).toBe(false);
  });
});

describe("MlpAccuracy constraints on a tampered witness (Z1, Z11)", () => {
  let constraints: snarkjs.r1cs.R1csJson["constraints"];
  let honest: bigint[];
  let index: Map<string, number>;

  beforeAll(async () => {
    constraints = (await snarkjs.r1cs.exportJson(paths.r1cs)).constraints;
    honest = await witness((await inputFor(randomRequest(21))).input);
    // .sym lines: labelIndex,witnessIndex,componentIndex,name (witnessIndex −1: removed by --O2).
    index = new Map();
    for (const line of fs.readFileSync(paths.sym, "utf8").split("\n")) {
      const [, w, , name] = line.split(",");
      if (name && w && Number(w) >= 0) index.set(name, Number(w));
    }
  });

  it("accepts the honest witness (so the checker below can tell)", () => {
    expect(violated(constraints, honest)).toEqual([]);
  });

  it.each([
    "main.modelCommitment",
    "main.testCommitment",
    "main.correct",
    "main.challengeId",
    "main.submitter",
    "main.W1[0][0]",
    "main.b2[1]",
    "main.x[2][3]",
    "main.label[1]",
    "main.modelSalt",
    "main.isCorrect[0]",
    "main.argmax[0].index",
    "main.hidden[0][0].h",
    "main.hidden[1][2].h",
  ])("rejects a witness whose %s is changed after the fact", (name) => {
    const i = index.get(name);
    expect(i, `${name} is not in the witness (removed by --O2?)`).toBeDefined();
    for (const delta of [1n, BN254_R - 1n, 2n]) {
      const w = [...honest];
      w[i!] = mod(w[i!]! + delta);
      expect(violated(constraints, w).length, `${name} + ${delta}`).toBeGreaterThan(0);
    }
  });

  it("rejects a change to ANY single witness signal, every <-- (bits, inverses) included (Z1)", () => {
    // The only `<--` assignments are circomlib's: Num2Bits' bits (also inside LessThan) and
    // IsZero's `inv`. Rather than list them, tamper every wire of the witness one at a time: each
    // change must violate a constraint, except an IsZero inverse whose input is 0 (then `inv` is
    // multiplied by 0 and is free by design; it influences nothing).
    const names = new Map<number, string[]>();
    for (const [name, j] of index) names.set(j, [...(names.get(j) ?? []), name]);
    const byWire = new Map<number, number[]>();
    constraints.forEach((c, k) => {
      for (const lc of c)
        for (const w of Object.keys(lc)) {
          const list = byWire.get(Number(w)) ?? [];
          if (list.at(-1) !== k) list.push(k);
          byWire.set(Number(w), list);
        }
    });
    const lc = (terms: snarkjs.r1cs.LinearCombination, w: readonly bigint[]) => {
      let acc = 0n;
      for (const [idx, coef] of Object.entries(terms)) acc += BigInt(coef) * (w[Number(idx)] ?? 0n);
      return mod(acc);
    };
    const free: string[] = [];
    let bits = 0;
    for (let j = 1; j < honest.length; j++) {
      const w = [...honest];
      w[j] = mod(w[j]! + 1n);
      const broken = (byWire.get(j) ?? []).some((k) => {
        const [a, b, c] = constraints[k]!;
        return mod(lc(a, w) * lc(b, w)) !== lc(c, w);
      });
      const label = (names.get(j) ?? [`#${j}`]).join("|");
      if (/\.out\[\d+\]$/.test(label)) bits++; // a Num2Bits output bit (assigned with <--)
      if (!broken) free.push(label);
    }
    for (const label of free) {
      expect(label, `${label} can be changed without violating any constraint`).toMatch(/\.inv$/);
      const j = index.get(label)!;
      expect(honest[j], `${label} is free although its IsZero input is non-zero`).toBe(0n);
    }
    expect(bits).toBeGreaterThan(100); // the bit decompositions were among the wires checked
  });

  it("rejects isCorrect = 2 and any inverse changed where its input is non-zero (every <--)", () => {
    const i = index.get("main.isCorrect[0]")!;
    const w = [...honest];
    w[i] = 2n;
    expect(violated(constraints, w).length).toBeGreaterThan(0);
    let checked = 0;
    for (const [name, j] of index) {
      if (!name.endsWith(".inv") || honest[j] === 0n) continue; // inv is free only when its input is 0
      const t = [...honest];
      t[j] = mod(t[j]! + 1n);
      expect(violated(constraints, t).length, name).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

// LinearAccuracy (H = 0), registry id "mlp-d4-h0-c3-n4": same statement, signals and commitments.
describe("LinearAccuracy (mlp-d4-h0-c3-n4)", () => {
  const LID = "mlp-d4-h0-c3-n4";
  const LINEAR_PINNED_CONSTRAINTS = 1066;
  const LSHAPE: MlpShape = { ...SHAPE, H: 0, shift: 0 };
  const lpaths = artifactPaths(LID);
  let lvk: unknown;

  function linearRequest(seed: number): MlpProofRequest {
    const r = rng(seed);
    const model: IntModel = {
      shape: LSHAPE,
      W1: [],
      b1: [],
      W2: Array.from({ length: LSHAPE.C }, () => Array.from({ length: LSHAPE.D }, () => int(r, -128, 127))),
      b2: Array.from({ length: LSHAPE.C }, () => int(r, -300, 300)),
    };
    const samples: Sample[] = Array.from({ length: LSHAPE.N }, () => {
      const x = Array.from({ length: LSHAPE.D }, () => int(r, 0, 15));
      return { x, label: r() < 0.5 ? BigInt(infer(model, x).prediction) : int(r, 0, LSHAPE.C - 1) };
    });
    return {
      model,
      samples,
      modelSalt: int(r, 0, 2 ** 40),
      testSalt: int(r, 0, 2 ** 40),
      challengeId: 3n,
      submitter: 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bcn,
    };
  }

  beforeAll(async () => {
    const a = await buildCircuit(LID, { log: () => {} });
    expect(a.constraints).toBe(LINEAR_PINNED_CONSTRAINTS);
    lvk = JSON.parse(fs.readFileSync(lpaths.vk, "utf8"));
  });

  it("matches the registry entry and keeps the pinned constraint count", async () => {
    const entry = loadRegistry().find((e) => e.id === LID);
    expect(entry?.template).toBe(shapeTemplate(LSHAPE));
    expect(entry?.params).toEqual(shapeParams(LSHAPE));
    expect(shapeFromParams(entry?.params ?? [], entry?.template)).toEqual({ ...LSHAPE, hBits: 8 });
    const info = await snarkjs.r1cs.info(lpaths.r1cs, null);
    expect(info.nConstraints, `now ${info.nConstraints}; update LINEAR_PINNED_CONSTRAINTS if intended`).toBe(
      LINEAR_PINNED_CONSTRAINTS,
    );
    expect(info.nPubInputs).toBe(5);
    expect(MLP_SHAPES.ciLinear.constraints).toBe(LINEAR_PINNED_CONSTRAINTS);
  });

  it.each([1, 2])(
    "proves a random linear model (seed %i) with the reference's public signals",
    async (seed) => {
      const req = linearRequest(seed);
      const p = await proveMlp(req, { wasm: lpaths.wasm, zkey: lpaths.zkey });
      expect(p.publicSignals).toEqual(publicSignalList(p.expected).map(String));
      expect(await verifyMlp(lvk, p.publicSignals, p.proof)).toBe(true);
      const swapped = [...p.publicSignals.slice(0, 3), p.publicSignals[4]!, p.publicSignals[3]!];
      expect(await verifyMlp(lvk, swapped, p.proof)).toBe(false);
    },
  );

  it("rejects a changed count, weight or label under the same commitments", async () => {
    const req = linearRequest(3);
    const { input, publicSignals } = await mlpCircuitInput(req);
    const calc = (i: Record<string, SignalTree>) =>
      snarkjs.wtns.calculate(i as snarkjs.CircuitInput, lpaths.wasm, path.join(tmp, "linear.wtns"));
    await calc(input);
    await expect(calc({ ...input, correct: (publicSignals.correct + 1n) % 5n })).rejects.toThrow(
      /Assert Failed/,
    );
    const w = structuredClone(input);
    (w.W2 as bigint[][])[0]![0] = toField(req.model.W2[0]![0]! === 5n ? 6n : 5n);
    await expect(calc(w)).rejects.toThrow(/Assert Failed[\s\S]*LinearAccuracy/);
    const l = structuredClone(input);
    (l.label as bigint[])[2] = (req.samples[2]!.label + 1n) % 3n;
    await expect(calc(l)).rejects.toThrow(/Assert Failed[\s\S]*LinearAccuracy/);
  });
});
