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
  setup: {
    kind: "dev-insecure";
    INSECURE: string;
    phase1Beacon: string;
    phase2Beacon: string;
    beaconIterationsExp: number;
  };
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
  ptauSha256: string;
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
