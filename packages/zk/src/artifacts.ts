// Circuit artifacts (witness generator, proving key, verification key) and their integrity checks,
// shared by the Node loader (node.ts: files under circuits/build/<id>/) and the browser loader
// (browser/loader.ts: fetched by absolute URL). This module does no I/O: loaders hand it the bytes
// they read, and it checks them against the build's manifest `artifact.json`
// (circuits/scripts/lib.d.mts `CircuitArtifact`):
//
//   zkeySha256 / wasmSha256  hex sha256 of the files' bytes
//   vkHash                   `0x` + sha256 of the verification key as canonical JSON
//                            (keys sorted recursively, no whitespace) — the hash the on-chain
//                            VerifierRegistry pins, so a caller may also pass it as `expectVkHash`.
//
// What the checks buy: a truncated download, a zkey from another build or circuit, or a tampered
// verification key fails here with the file, both hashes and the fix, instead of as an opaque
// snarkjs error or — worse — a proof that the escrow rejects after the user paid for gas.
import { z } from "zod";
import { shapeFromParams, type MlpShape } from "./shape.ts";

/** Circuit ids as circuits.json spells them (kebab-case; also keeps loaders inside their folder). */
export const CIRCUIT_ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const sha256Field = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits");
const fileName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, "a relative path without '..'")
  .refine((p) => !p.split("/").includes(".."), "a relative path without '..'");

/** The fields of artifact.json this package relies on (unknown fields are kept). */
export const artifactManifestSchema = z.looseObject({
  format: z.number().int().positive(),
  id: z.string().regex(CIRCUIT_ID_RE),
  template: z.string().min(1).max(100),
  params: z.array(z.number().int()).max(64),
  publicSignals: z.array(z.string().max(100)).max(64),
  power: z.number().int().min(1).max(28),
  protocol: z.literal("groth16"),
  curve: z.literal("bn128"),
  setup: z.looseObject({ kind: z.string().max(100), INSECURE: z.string().optional() }),
  constraints: z.number().int().nonnegative(),
  nPublic: z.number().int().nonnegative(),
  files: z.looseObject({ wasm: fileName, zkey: fileName, verificationKey: fileName }),
  vkHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  zkeySha256: sha256Field,
  wasmSha256: sha256Field,
});
export type ArtifactManifest = z.infer<typeof artifactManifestSchema>;

/** What to do when a local build is missing or does not match its manifest. */
export const NODE_REMEDY = "rebuild the circuits with `npm run build -w @zkarena/circuits`";
/** What to do when served artifacts do not match their manifest. */
export const BROWSER_REMEDY =
  "the server's circuit files are inconsistent: rebuild them with `npm run build -w @zkarena/circuits` and publish the whole build/<id>/ folder again (then reload the page)";

export type ArtifactFileKind = "zkey" | "wasm" | "verificationKey" | "artifact.json";

/** A file whose hash is not the one its manifest (or the caller) pins. */
export class ArtifactIntegrityError extends Error {
  override name = "ArtifactIntegrityError";
  constructor(
    readonly circuitId: string,
    readonly kind: ArtifactFileKind,
    /** Path or URL of the offending file. */
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
    readonly remedy: string,
  ) {
    super(
      `circuit ${circuitId}: ${kind} ${file} has ${kind === "verificationKey" ? "vk hash" : "sha256"} ${actual}, ` +
        `but ${kind === "verificationKey" ? "the pinned vk hash is" : "artifact.json expects"} ${expected} ` +
        `(corrupted, truncated or from another build): ${remedy}`,
    );
  }
}

/** A missing build, an unknown circuit id or an unreadable manifest. */
export class ArtifactNotFoundError extends Error {
  override name = "ArtifactNotFoundError";
  constructor(
    readonly circuitId: string,
    /** Path or URL that could not be read. */
    readonly location: string,
    message: string,
  ) {
    super(message);
  }
}

/** Verified artifacts, ready for snarkjs: the bytes that were hashed are the bytes that are used. */
export interface LoadedCircuit {
  id: string;
  manifest: ArtifactManifest;
  /** The MLP shape when the template is MlpAccuracy / LinearAccuracy, otherwise undefined. */
  shape: MlpShape | undefined;
  wasm: Uint8Array;
  zkey: Uint8Array;
  /** snarkjs verification key (verification_key.json), its hash checked. */
  verificationKey: Record<string, unknown>;
  /** Where each file came from (paths in Node, URLs in a browser), for messages. */
  sources: { manifest: string; wasm: string; zkey: string; verificationKey: string };
}

/** Canonical JSON: keys sorted recursively, no whitespace (same as circuits/scripts/lib.mjs). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  return JSON.stringify(value);
}

/** Hex sha256 with Web Crypto (Node ≥ 19 and browsers, also inside workers). */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `0x` + sha256 of the canonical JSON of a verification key (artifact.json `vkHash`). */
export async function verificationKeyHash(vk: unknown): Promise<string> {
  return `0x${await sha256Hex(canonicalJson(vk))}`;
}

/** Validate artifact.json contents; `where` names the file in the error. */
export function parseArtifactManifest(
  value: unknown,
  circuitId: string,
  where: string,
  remedy: string,
): ArtifactManifest {
  const parsed = artifactManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    throw new ArtifactNotFoundError(
      circuitId,
      where,
      `circuit ${circuitId}: ${where} is not a valid artifact manifest (${field}: ${issue?.message ?? "invalid"}): ${remedy}`,
    );
  }
  if (parsed.data.id !== circuitId) {
    throw new ArtifactNotFoundError(
      circuitId,
      where,
      `circuit ${circuitId}: ${where} describes circuit ${parsed.data.id}: ${remedy}`,
    );
  }
  return parsed.data;
}

export interface CheckArtifactsInput {
  manifest: ArtifactManifest;
  wasm: Uint8Array;
  zkey: Uint8Array;
  /** The verification key file's bytes (JSON). */
  verificationKey: Uint8Array;
  sources: LoadedCircuit["sources"];
  /** What the user should do on a mismatch (NODE_REMEDY or BROWSER_REMEDY). */
  remedy: string;
  /**
   * A vk hash pinned outside the build (e.g. the VerifierRegistry's entry for this circuit id): the
   * verification key must also match it, so a rebuilt or swapped key cannot pass silently.
   */
  expectVkHash?: string;
}

/** Check every hash; throws ArtifactIntegrityError for the first file that does not match. */
export async function checkArtifacts(input: CheckArtifactsInput): Promise<LoadedCircuit> {
  const { manifest, sources, remedy } = input;
  const id = manifest.id;
  const zkeySha = await sha256Hex(input.zkey);
  if (zkeySha !== manifest.zkeySha256)
    throw new ArtifactIntegrityError(id, "zkey", sources.zkey, manifest.zkeySha256, zkeySha, remedy);
  const wasmSha = await sha256Hex(input.wasm);
  if (wasmSha !== manifest.wasmSha256)
    throw new ArtifactIntegrityError(id, "wasm", sources.wasm, manifest.wasmSha256, wasmSha, remedy);
  let vk: unknown;
  try {
    vk = JSON.parse(new TextDecoder().decode(input.verificationKey));
  } catch {
    vk = undefined;
  }
  const vkHash = vk === undefined ? "(not JSON)" : await verificationKeyHash(vk);
  const pinned = input.expectVkHash?.toLowerCase();
  if (vkHash !== manifest.vkHash)
    throw new ArtifactIntegrityError(
      id,
      "verificationKey",
      sources.verificationKey,
      manifest.vkHash,
      vkHash,
      remedy,
    );
  if (pinned !== undefined && pinned !== vkHash) {
    throw new ArtifactIntegrityError(
      id,
      "verificationKey",
      sources.verificationKey,
      pinned,
      vkHash,
      "the local build is not the circuit the verifier registry pins: build the registered version of the circuit (or update the registry entry through its governance)",
    );
  }
  return {
    id,
    manifest,
    shape:
      manifest.template === "MlpAccuracy" || manifest.template === "LinearAccuracy"
        ? shapeFromParams(manifest.params, manifest.template)
        : undefined,
    wasm: input.wasm,
    zkey: input.zkey,
    verificationKey: vk as Record<string, unknown>,
    sources,
  };
}
