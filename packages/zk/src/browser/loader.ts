// Browser artifact loader: fetches build/<id>/artifact.json and the files it names from an absolute
// base URL (a Web Worker has no page URL to resolve relative paths against, and Next serves the
// worker from /_next/static/…), and checks the SHA-256 of the zkey and the wasm and the vk hash with
// Web Crypto before anything reaches snarkjs. The only network I/O of @zkarena/zk lives here.
import {
  ArtifactNotFoundError,
  BROWSER_REMEDY,
  CIRCUIT_ID_RE,
  checkArtifacts,
  parseArtifactManifest,
  type LoadedCircuit,
} from "../artifacts.ts";

export interface FetchArtifactsOptions {
  /** A vk hash pinned elsewhere (e.g. the VerifierRegistry entry): the key must match it too. */
  expectVkHash?: string;
  /** fetch implementation (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Called after each file with its size. */
  onFile?: (file: { url: string; bytes: number }) => void;
  /** Called as each file's bytes arrive (`total` from Content-Length, null when the server omits it). */
  onDownload?: (progress: { url: string; received: number; total: number | null }) => void;
}

/** The body as bytes, reporting progress chunk by chunk when asked to. */
async function readBody(
  response: Response,
  url: string,
  onDownload: FetchArtifactsOptions["onDownload"],
): Promise<Uint8Array> {
  if (!onDownload || !response.body) return new Uint8Array(await response.arrayBuffer());
  const length = Number(response.headers.get("content-length"));
  const total = Number.isSafeInteger(length) && length > 0 ? length : null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  onDownload({ url, received, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onDownload({ url, received, total });
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** `base` as an absolute folder URL ending in "/". */
export function artifactsBase(baseUrl: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new ArtifactNotFoundError(
      "",
      String(baseUrl),
      `artifactsBaseUrl must be an absolute URL (e.g. new URL("/circuits/", location.href).href), got "${String(baseUrl)}"`,
    );
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** Fetch and hash-check the artifacts of one circuit. */
export async function fetchCircuitArtifacts(
  baseUrl: string | URL,
  circuitId: string,
  options: FetchArtifactsOptions = {},
): Promise<LoadedCircuit> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  if (!CIRCUIT_ID_RE.test(circuitId))
    throw new ArtifactNotFoundError(
      circuitId,
      String(baseUrl),
      `"${circuitId}" is not a circuit id (e.g. mlp-d4-h3-c3-n4)`,
    );
  const dir = new URL(`${circuitId}/`, artifactsBase(baseUrl));
  const get = async (url: URL): Promise<Uint8Array> => {
    let response: Response;
    try {
      response = await doFetch(url);
    } catch (e) {
      throw new ArtifactNotFoundError(
        circuitId,
        url.href,
        `circuit ${circuitId}: could not fetch ${url.href} (${e instanceof Error ? e.message : String(e)}); check the connection and that the circuit files are served there`,
      );
    }
    if (!response.ok)
      throw new ArtifactNotFoundError(
        circuitId,
        url.href,
        `circuit ${circuitId}: ${url.href} answered ${response.status}: publish circuits/build/${circuitId}/ at ${dir.href} (build it with \`npm run build -w @zkarena/circuits\`)`,
      );
    const bytes = await readBody(response, url.href, options.onDownload);
    options.onFile?.({ url: url.href, bytes: bytes.length });
    return bytes;
  };
  const manifestUrl = new URL("artifact.json", dir);
  const manifestBytes = await get(manifestUrl);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch {
    json = null;
  }
  const manifest = parseArtifactManifest(json, circuitId, manifestUrl.href, BROWSER_REMEDY);
  const sources = {
    manifest: manifestUrl.href,
    wasm: new URL(manifest.files.wasm, dir).href,
    zkey: new URL(manifest.files.zkey, dir).href,
    verificationKey: new URL(manifest.files.verificationKey, dir).href,
  };
  const [wasm, zkey, verificationKey] = await Promise.all([
    get(new URL(sources.wasm)),
    get(new URL(sources.zkey)),
    get(new URL(sources.verificationKey)),
  ]);
  return checkArtifacts({
    manifest,
    wasm,
    zkey,
    verificationKey,
    sources,
    remedy: BROWSER_REMEDY,
    ...(options.expectVkHash !== undefined ? { expectVkHash: options.expectVkHash } : {}),
  });
}
