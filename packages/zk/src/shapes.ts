// Named circuit shapes, derived from the ONE shape registry: circuits/circuits.json. Every
// MlpAccuracy / LinearAccuracy entry there carries a `name` (ci, ciLinear, demo, benchmark), its
// template parameters and its pinned constraint count; this module parses the file (zod) and turns
// each named entry into a typed MlpShape. Nothing about a shape is written twice:
// circuits/tests/shapes.test.ts checks that the circuits compiled from the registry have these
// parameters, public signals and constraint counts.
import { z } from "zod";
import registryJson from "../../../circuits/circuits.json" with { type: "json" };
import { ShapeError, shapeFromParams, shapeId, type MlpShape } from "./shape.ts";

const circuitId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);

/** A production (ceremony) block: what `circuits/scripts/ceremony.mjs pin` writes. */
export const productionSchema = z.strictObject({
  /** Phase 1: the public Hermez / Perpetual Powers of Tau file, by power and blake2b-512. */
  ptau: z.strictObject({
    power: z.number().int().min(8).max(28),
    file: z.string().max(200),
    blake2b: z.string().regex(/^[0-9a-f]{128}$/),
  }),
  /** Phase-2 contributor names, in order, then the final beacon. */
  contributors: z.array(z.string().min(1).max(200)).min(1).max(1000),
  beacon: z.strictObject({ hash: z.string().regex(/^[0-9a-f]{2,510}$/), iterationsExp: z.number().int() }),
  /** `0x` + sha256 of the verification key as canonical JSON (circuits/scripts/lib.mjs vkHash). */
  vkHash: hex32,
  /** sha256 of the final zkey, so a downloaded key can be checked before use. */
  zkeySha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Path of the ceremony transcript, relative to circuits/. */
  transcript: z.string().max(300),
});

/** One entry of circuits/circuits.json (the build validates the rest; unknown keys are kept). */
export const registryEntrySchema = z.looseObject({
  id: circuitId,
  /** Short name of a registered shape (ci, ciLinear, demo, benchmark). */
  name: z
    .string()
    .regex(/^[a-z][A-Za-z0-9]*$/)
    .optional(),
  file: z.string(),
  template: z.string(),
  params: z.array(z.number().int().nonnegative()),
  publicSignals: z.array(z.string()).min(1),
  power: z.number().int().min(8).max(20),
  setup: z.enum(["dev-ptau", "fast-dev"]).default("dev-ptau"),
  /** Pinned constraint count (circom2 --O2); a test fails with the new number when it changes. */
  constraints: z.number().int().positive().optional(),
  production: productionSchema.optional(),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

export const registrySchema = z.looseObject({ circuits: z.array(registryEntrySchema).min(1) });

/** Every entry of circuits/circuits.json, parsed. */
export const CIRCUIT_REGISTRY: readonly RegistryEntry[] = registrySchema.parse(registryJson).circuits;

export interface NamedShape {
  /** Circuit id in circuits/circuits.json, e.g. "mlp-d64-h16-c10-n32" (= shapeId(shape)). */
  id: string;
  name: ShapeName;
  template: "MlpAccuracy" | "LinearAccuracy";
  shape: MlpShape;
  /** Pinned constraint count from the registry. */
  constraints: number;
  /** Domain of the Groth16 setup: 2^power ≥ constraints + public signals + 1. */
  power: number;
  /** Development setup kind (both INSECURE): snarkjs powers of tau, or the fast known-tau setup. */
  setup: "dev-ptau" | "fast-dev";
}

export const SHAPE_NAMES = ["ci", "ciLinear", "demo", "benchmark"] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

function namedShape(name: ShapeName): NamedShape {
  const matches = CIRCUIT_REGISTRY.filter((e) => e.name === name);
  if (matches.length !== 1)
    throw new ShapeError(
      `circuits/circuits.json must name exactly one entry "${name}" (found ${matches.length}); add "name": "${name}" to its entry`,
    );
  const entry = matches[0] as RegistryEntry;
  if (entry.template !== "MlpAccuracy" && entry.template !== "LinearAccuracy")
    throw new ShapeError(`circuits/circuits.json entry ${entry.id} ("${name}") is not an mlp-family circuit`);
  if (entry.constraints === undefined)
    throw new ShapeError(`circuits/circuits.json entry ${entry.id} ("${name}") has no pinned "constraints"`);
  const shape = shapeFromParams(entry.params, entry.template);
  if (shapeId(shape) !== entry.id)
    throw new ShapeError(
      `circuits/circuits.json entry ${entry.id}: its params give the id ${shapeId(shape)}`,
    );
  return {
    id: entry.id,
    name,
    template: entry.template,
    shape,
    constraints: entry.constraints,
    power: entry.power,
    setup: entry.setup,
  };
}

/**
 * The registered shapes:
 * - `ci`: 4-3-3, N = 4 (MlpAccuracy), tiny; proves in well under a second;
 * - `ciLinear`: 4-0-3, N = 4 (LinearAccuracy);
 * - `demo`: 8×8 digits, 64-16-10, N = 32;
 * - `benchmark`: 14×14 Fashion-MNIST, 196-25-10 (see circuits/README.md for the batch size).
 */
export const MLP_SHAPES: Readonly<Record<ShapeName, NamedShape>> = Object.freeze({
  ci: namedShape("ci"),
  ciLinear: namedShape("ciLinear"),
  demo: namedShape("demo"),
  benchmark: namedShape("benchmark"),
});
