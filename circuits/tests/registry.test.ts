// The shape registry (circuits.json) is the one source of circuit shapes: packages/zk's typed
// MLP_SHAPES must agree with it, and every compiled circuit must have the registry's public
// signals and pinned constraint count (a regression fails here, printing the new number).
import { beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import {
  artifactPaths,
  buildAll,
  loadRegistry,
  readR1csInfo,
  type CircuitEntry,
  type R1csInfo,
} from "../scripts/lib.mjs";
import {
  CIRCUIT_REGISTRY,
  MLP_SHAPES,
  SHAPE_NAMES,
  shapeBounds,
  shapeId,
  shapeParams,
  shapeTemplate,
} from "../../packages/zk/src/index.ts";

/** circomlib-ml / snarkjs anchor: a 196-25-10 MLP, 18 075 constraints per inference, no commitment. */
const ANCHOR_PER_INFERENCE = 18_075;

const registry: CircuitEntry[] = loadRegistry();
const info = new Map<string, R1csInfo>();

beforeAll(async () => {
  await buildAll({ log: () => {} });
  for (const e of registry) info.set(e.id, await readR1csInfo(artifactPaths(e.id).r1cs));
}, 900_000);

describe("packages/zk shapes derive from circuits.json", () => {
  it("parses the same entries as the build", () => {
    expect(CIRCUIT_REGISTRY.map((e) => [e.id, e.template, e.params, e.power, e.setup])).toEqual(
      registry.map((e) => [e.id, e.template, e.params, e.power, e.setup]),
    );
  });

  it.each(SHAPE_NAMES)("%s: id, template, parameters, power and pinned count match its entry", (name) => {
    const named = MLP_SHAPES[name];
    const entry = registry.find((e) => e.name === name);
    expect(entry, `no circuits.json entry named ${name}`).toBeDefined();
    expect(named.id).toBe(entry!.id);
    expect(shapeId(named.shape)).toBe(entry!.id);
    expect(shapeTemplate(named.shape)).toBe(entry!.template);
    expect(shapeParams(named.shape)).toEqual(entry!.params);
    expect(named.power).toBe(entry!.power);
    expect(named.constraints).toBe(entry!.constraints);
    expect(() => shapeBounds(named.shape)).not.toThrow();
  });

  it("has the shapes issue 3 asks for", () => {
    const { ci, demo, benchmark } = MLP_SHAPES;
    expect(ci.constraints).toBeLessThan(2_048); // tiny: power 11
    expect([demo.shape.D, demo.shape.H, demo.shape.C]).toEqual([64, 16, 10]); // 8×8 digits
    expect(demo.shape.N).toBeGreaterThanOrEqual(32);
    expect([benchmark.shape.D, benchmark.shape.C]).toEqual([196, 10]); // 14×14 Fashion-MNIST
    expect(benchmark.shape.H).toBeGreaterThanOrEqual(25);
    expect(demo.setup).toBe("fast-dev");
    expect(benchmark.setup).toBe("fast-dev");
  });
});

describe("compiled circuits match the registry", () => {
  it.each(registry.map((e) => e.id))("%s keeps its pinned constraint count and public signals", (id) => {
    const entry = registry.find((e) => e.id === id)!;
    const r1cs = info.get(id)!;
    expect(
      r1cs.nConstraints,
      `${id}: constraint count changed: now ${r1cs.nConstraints}, pinned ${entry.constraints}; update "constraints" in circuits.json if intended`,
    ).toBe(entry.constraints);
    expect(r1cs.nPubInputs + r1cs.nOutputs).toBe(entry.publicSignals.length);
    // snarkjs adds one row per public input plus one: the domain must hold them.
    expect(2 ** entry.power).toBeGreaterThanOrEqual(r1cs.nConstraints + r1cs.nPubInputs + r1cs.nOutputs + 1);
    expect(2 ** (entry.power - 1)).toBeLessThan(r1cs.nConstraints + r1cs.nPubInputs + r1cs.nOutputs + 1);
  });

  it("reads r1cs headers as snarkjs' r1cs info does (the build no longer parses whole files)", async () => {
    for (const id of ["commitment-n4", MLP_SHAPES.ci.id, MLP_SHAPES.ciLinear.id]) {
      const ours = info.get(id)!;
      const theirs = await snarkjs.r1cs.info(artifactPaths(id).r1cs, null);
      for (const key of ["nVars", "nOutputs", "nPubInputs", "nPrvInputs", "nLabels", "nConstraints"] as const)
        expect(ours[key], `${id} ${key}`).toBe(theirs[key]);
    }
  });

  it("benchmark: constraints per sample, commitments included, are at most half the 18 075 anchor", () => {
    const { benchmark } = MLP_SHAPES;
    const total = info.get(benchmark.id)!.nConstraints;
    // Everything (model commitment, range checks, test commitment, inference) divided by N: the
    // strictest reading; the marginal per-sample cost is lower (README: 7 047).
    const perSample = total / benchmark.shape.N;
    expect(
      perSample,
      `${total} / ${benchmark.shape.N} = ${perSample.toFixed(0)} per sample`,
    ).toBeLessThanOrEqual(ANCHOR_PER_INFERENCE / 2);
  });
});
