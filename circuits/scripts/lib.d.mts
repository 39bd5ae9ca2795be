// Types of scripts/lib.mjs (the build pipeline). Keep in step with the implementation.

/** One entry of circuits.json. */
export interface CircuitEntry {
  /** Kebab-case circuit id, e.g. "commitment-n4"; names build/<id>/ and the verifier contract. */
  id: string;
  /** Source file below the package, e.g. "src/commitment.circom". */
  file: string;
  /** Template instantiated as `component main`. */
  template: string;
  /** Template parameters, in order. */
  params: number[];
  /** Public signals in the verifier's order (outputs first, then inputs in declaration order). */
  publicSignals: string[];
  /** Which publicSignals are template outputs (not listed in `{public [...]}`); default []. */
  outputs: string[];
  /** Powers-of-tau size: 2^power ≥ constraints + public signals + 1. */
  power: number;
  /**
   * Development setup: "dev-ptau" (default; powers of tau + beacon, snarkjs all the way) or
   * "fast-dev" (scripts/fast-setup.mjs: keys from a known tau, seconds at 2^17). Both INSECURE.
   */
  setup: "dev-ptau" | "fast-dev";
  /** Shape name for packages/zk (ci, ciLinear, demo, benchmark). */
  name?: string;
  /** Pinned constraint count (circom2 --O2). */
  constraints?: number;
  /** Pinned production ceremony (ceremony.mjs pin). */
  production?: ProductionPin;
}

export interface ProductionPin {
  ptau: { power: number; file: string; blake2b: string };
  contributors: string[];
  beacon: { hash: string; iterationsExp: number };
  vkHash: string;
  zkeySha256: string;
  transcript: string;
}

/** build/<id>/artifact.json */
export interface CircuitArtifact {
  format: number;
  id: string;
  template: string;
  file: string;
  params: number[];
  publicSignals: string[];
  /** Expanded public signal names (array elements listed one by one). */
  publicSignalNames: string[];
  power: number;
  protocol: "groth16";
  curve: "bn128";
  setup:
    | {
        kind: "dev-insecure";
        INSECURE: string;
        phase1Beacon: string;
        phase2Beacon: string;
        beaconIterationsExp: number;
      }
    | { kind: "fast-dev-insecure"; INSECURE: string; seed: string; version: number };
  constraints: number;
  wires: number;
  nPublic: number;
  nPrivateInputs: number;
  /** Paths relative to build/<id>/. */
  files: { r1cs: string; wasm: string; sym: string; zkey: string; verificationKey: string };
  /** `0x` + sha256 of the canonical JSON of verification_key.json. */
  vkHash: string;
  vkHashAlgorithm: string;
  zkeySha256: string;
  r1csSha256: string;
  wasmSha256: string;
  /** null for "fast-dev" entries (no powers of tau). */
  ptauSha256: string | null;
  tools: { circom2: string; circomlib: string; snarkjs: string };
  compileStamp: string;
  setupStamp: string;
}

export interface BuildOptions {
  /** Build only these ids (default: every registry entry). */
  only?: string | string[];
  /** Output folder (default: <package>/build). */
  buildDir?: string;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
  /** Ignore the caches for compile and zkey (the ptau cache is kept). */
  force?: boolean;
  /** Forward snarkjs' info messages to `log`. */
  verbose?: boolean;
  /** Registry file (default: <package>/circuits.json). */
  registryPath?: string;
}

export interface BuildResult {
  id: string;
  /** Absolute build/<id>/ folder. */
  dir: string;
  constraints: number;
  compileCached: boolean;
  setupCached: boolean;
  ptauCached: boolean;
  /** null when cached. */
  compileSeconds: number | null;
  ptauSeconds: number | null;
  setupSeconds: number | null;
  artifact: CircuitArtifact;
}

export const PACKAGE_ROOT: string;
export const DEFAULT_BUILD_DIR: string;
export const REGISTRY_PATH: string;
export const BN254_R: bigint;
export const DEV_SETUP: Readonly<{
  label: "dev-insecure";
  phase1Beacon: string;
  phase2Beacon: string;
  beaconIterationsExp: number;
  fastDevSeed: string;
}>;
export const SOLIDITY_PRAGMA: string;

export function canonicalJson(value: unknown): string;
export function vkHash(vk: unknown): string;
export function pascalId(id: string): string;
export function releaseCurves(): Promise<void>;
export function loadRegistry(registryPath?: string): CircuitEntry[];
export function artifactPaths(
  id: string,
  buildDir?: string,
): {
  dir: string;
  wrapper: string;
  r1cs: string;
  sym: string;
  wasm: string;
  zkey: string;
  vk: string;
  artifact: string;
  compileStamp: string;
};
export function ptauPath(power: number, buildDir?: string): string;
export function wrapperSource(entry: CircuitEntry): string;
export function ensureDevPtau(
  power: number,
  options?: { buildDir?: string; log?: (line: string) => void; verbose?: boolean },
): Promise<{ file: string; cached: boolean; seconds: number }>;
export function buildAll(options?: BuildOptions): Promise<BuildResult[]>;
export function buildCircuit(id: string, options?: Omit<BuildOptions, "only">): Promise<CircuitArtifact>;
export function formatBuildTable(results: BuildResult[]): string;
export function defaultVerifierPath(id: string): string;
export function renderSolidityVerifier(
  id: string,
  options?: { buildDir?: string; log?: (line: string) => void },
): Promise<string>;
export function exportSolidityVerifier(
  id: string,
  options?: { out?: string; buildDir?: string; log?: (line: string) => void },
): Promise<{ file: string; contractName: string }>;

// ---- Production setup (ceremony) ----

/** snarkjs Groth16 verification key (the fields the checks read). */
export interface VerificationKey {
  protocol: string;
  curve: string;
  nPublic: number;
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  IC: string[][];
  [key: string]: unknown;
}

export interface CeremonyStep {
  step: "new" | "contribute" | "beacon" | "verify";
  at: string;
  zkey?: string;
  zkeySha256?: string;
  name?: string;
  index?: number;
  contributionHash?: string;
  hash?: string;
  iterationsExp?: number;
  circuitHash?: string;
  ok?: boolean;
  vkHash?: string;
  verifier?: string;
  verifierSha256?: string;
  contributions?: number;
}

export interface CeremonyTranscript {
  format: "zkarena.ceremony/v1";
  circuit: string;
  template: string;
  params: number[];
  constraints: number;
  r1csSha256: string;
  phase1: { file: string; power: number; blake2b: string; published: boolean };
  snarkjs: string;
  steps: CeremonyStep[];
}

export const CEREMONY_FORMAT: "zkarena.ceremony/v1";
export const DEFAULT_CEREMONY_DIR: string;
export function blake2bFile(file: string): Promise<string>;
export interface R1csInfo {
  n8: number;
  nVars: number;
  nOutputs: number;
  nPubInputs: number;
  nPrvInputs: number;
  nLabels: number;
  nConstraints: number;
}
/** The .r1cs header (as `snarkjs r1cs info`) without reading the constraints. */
export function readR1csInfo(file: string): Promise<R1csInfo>;
export function readPtauInfo(
  file: string,
): Promise<{ power: number; ceremonyPower: number; prepared: boolean }>;
export function checkPtau(
  file: string,
  options?: { expectedBlake2b?: string; minPower?: number },
): Promise<{ file: string; power: number; blake2b: string; published: boolean }>;
export function verifierKeyMismatches(sol: string, vk: VerificationKey): string[];
export function assertVerifierMatchesKey(sol: string, vk: VerificationKey, what?: string): void;
export function ceremonyPaths(
  id: string,
  dir?: string,
): {
  dir: string;
  transcript: string;
  zkey: (index: number) => string;
  final: string;
  vk: string;
  verifier: string;
};
interface CeremonyCommon {
  /** Ceremony folder (default <package>/ceremony/<id>). */
  dir?: string;
  log?: (line: string) => void;
}
export function ceremonyNew(
  id: string,
  options: CeremonyCommon & { ptau: string; ptauHash?: string; buildDir?: string; registryPath?: string },
): Promise<CeremonyTranscript>;
export function ceremonyContribute(
  id: string,
  options: CeremonyCommon & { name: string; entropy: string },
): Promise<CeremonyStep>;
export function ceremonyBeacon(
  id: string,
  options: CeremonyCommon & { hash: string; iterationsExp?: number; name?: string },
): Promise<CeremonyStep>;
export function ceremonyVerify(
  id: string,
  options: CeremonyCommon & { ptau: string; verifierFile?: string; buildDir?: string; registryPath?: string },
): Promise<{ vkHash: string; vk: VerificationKey; verifier: string; transcript: CeremonyTranscript }>;
export function ceremonyPin(
  id: string,
  options?: CeremonyCommon & { registryPath?: string },
): Promise<ProductionPin>;
