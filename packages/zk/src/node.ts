// @zkarena/zk/node — the Node half of the SDK: file I/O for circuit artifacts (the package core
// does none) and a Node prover. Import it from Node only (CLI, server, tests, scripts).
//
//   const circuit = await loadCircuitArtifacts("mlp-d4-h3-c3-n4");      // hashes checked
//   const prover = createNodeProver();                                   // multi-threaded
//   const result = await prover.prove({ circuitId, request });           // prove + verify + calldata
//   await releaseProverThreads();                                        // let the process exit
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  ArtifactNotFoundError,
  CIRCUIT_ID_RE,
  NODE_REMEDY,
  checkArtifacts,
  parseArtifactManifest,
  type LoadedCircuit,
} from "./artifacts.ts";
import { createProver, type Prover, type ProverOptions } from "./sdk.ts";

/** circuits/build of this repository (where `npm run build -w @zkarena/circuits` writes). */
export const DEFAULT_BUILD_DIR = fileURLToPath(new URL("../../../circuits/build", import.meta.url));

export interface LoadOptions {
  /** Folder holding <id>/artifact.json (default: the repository's circuits/build). */
  buildDir?: string;
  /** A vk hash pinned elsewhere (e.g. the VerifierRegistry entry); the key must match it too. */
  expectVkHash?: string;
}

async function readOrNull(file: string): Promise<Uint8Array | null> {
  try {
    const buf = await fs.readFile(file);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength); // a view, not a copy (zkeys are large)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** Ids in circuits.json next to the build folder, or null when there is no registry there. */
async function registeredIds(buildDir: string): Promise<string[] | null> {
  const raw = await readOrNull(path.join(buildDir, "..", "circuits.json"));
  if (!raw) return null;
  try {
    const json = JSON.parse(new TextDecoder().decode(raw)) as { circuits?: { id?: unknown }[] };
    return (json.circuits ?? []).map((c) => String(c.id));
  } catch {
    return null;
  }
}

/**
 * Read build/<id>/artifact.json and the files it names, check the sha256 of the zkey and the wasm and
 * the vk hash, and return the verified bytes (what is checked is what snarkjs gets: no file is read
 * twice, so nothing can change in between).
 */
export async function loadCircuitArtifacts(
  circuitId: string,
  options: LoadOptions = {},
): Promise<LoadedCircuit> {
  const buildDir = path.resolve(options.buildDir ?? DEFAULT_BUILD_DIR);
  if (!CIRCUIT_ID_RE.test(circuitId)) {
    throw new ArtifactNotFoundError(
      circuitId,
      buildDir,
      `"${circuitId}" is not a circuit id (kebab-case, as in circuits/circuits.json, e.g. mlp-d4-h3-c3-n4)`,
    );
  }
  const dir = path.join(buildDir, circuitId);
  const manifestFile = path.join(dir, "artifact.json");
  const manifestBytes = await readOrNull(manifestFile);
  if (!manifestBytes) {
    const ids = await registeredIds(buildDir);
    const known = ids && !ids.includes(circuitId);
    throw new ArtifactNotFoundError(
      circuitId,
      manifestFile,
      known
        ? `circuit ${circuitId} is not in the registry (circuits/circuits.json has: ${ids.join(", ")}); use one of those ids`
        : `circuit ${circuitId} is not built (${manifestFile} is missing): ${NODE_REMEDY}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch {
    json = null;
  }
  const manifest = parseArtifactManifest(json, circuitId, manifestFile, NODE_REMEDY);
  const sources = {
    manifest: manifestFile,
    wasm: path.join(dir, manifest.files.wasm),
    zkey: path.join(dir, manifest.files.zkey),
    verificationKey: path.join(dir, manifest.files.verificationKey),
  };
  const read = async (kind: "wasm" | "zkey" | "verificationKey") => {
    const bytes = await readOrNull(sources[kind]);
    if (!bytes)
      throw new ArtifactNotFoundError(
        circuitId,
        sources[kind],
        `circuit ${circuitId}: ${sources[kind]} is missing: ${NODE_REMEDY}`,
      );
    return bytes;
  };
  return checkArtifacts({
    manifest,
    wasm: await read("wasm"),
    zkey: await read("zkey"),
    verificationKey: await read("verificationKey"),
    sources,
    remedy: NODE_REMEDY,
    ...(options.expectVkHash !== undefined ? { expectVkHash: options.expectVkHash } : {}),
  });
}

export interface NodeProverOptions extends LoadOptions, ProverOptions {}

/**
 * A prover over locally built circuits: artifacts are loaded (and hash-checked) once per circuit id.
 * Multi-threaded by default (ffjavascript spawns one worker thread per core, shared process-wide);
 * `singleThread: true` proves on the calling thread. Call `releaseProverThreads()` before exit.
 */
export function createNodeProver(options: NodeProverOptions = {}): Prover {
  const cache = new Map<string, Promise<LoadedCircuit>>();
  const load = (circuitId: string) => {
    let loaded = cache.get(circuitId);
    if (!loaded) {
      loaded = loadCircuitArtifacts(circuitId, options);
      loaded.catch(() => cache.delete(circuitId));
      cache.set(circuitId, loaded);
    }
    return loaded;
  };
  return createProver(load, options, () => cache.clear());
}

/**
 * Terminate snarkjs' shared multi-threaded curve (ffjavascript keeps its worker threads alive, which
 * keeps Node from exiting). The next multi-threaded proof starts new threads.
 */
export async function releaseProverThreads(): Promise<void> {
  const holder = globalThis as { curve_bn128?: { terminate?: () => Promise<void> } | null };
  const curve = holder.curve_bn128;
  if (curve && typeof curve.terminate === "function") await curve.terminate();
}

export { type LoadedCircuit } from "./artifacts.ts";
