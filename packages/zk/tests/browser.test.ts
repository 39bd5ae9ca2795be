// A real Groth16 proof in Chromium: the worker (src/browser/worker.ts) and a test page are bundled
// with esbuild, served with the circuit build from a loopback HTTP server on a free port, and driven
// with playwright-core; the proof is read back and verified in Node with snarkjs and the registry's
// verification key. Without Chromium the suite is skipped and says why (nothing is downloaded).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { chromium, type Browser, type Page } from "playwright-core";
import { artifactPaths } from "../../../circuits/scripts/lib.mjs";
import { batchProofRequest, hiddenSplitCommitment } from "../src/batch.ts";
import { verifyBatchProof } from "../src/batch-root.ts";
import { proofCalldata } from "../src/calldata.ts";
import { mlpPublicSignals, publicSignalList } from "../src/input.ts";
import { loadCircuitArtifacts, releaseProverThreads } from "../src/node.ts";
import type { LoadedCircuit } from "../src/artifacts.ts";
import { bundleBrowserProver } from "./browser/bundle.ts";
import { fromJson, toJson } from "./browser/json.ts";
import type { PageOutcome, PageTask } from "./browser/page.ts";
import {
  CI_ID,
  CI_SHAPE,
  SUBMITTER,
  ensureBuilt,
  randomModel,
  randomRequest,
  randomSamples,
} from "./helpers.ts";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium)
  console.log(
    `browser prover tests skipped: Chromium not found at ${CHROMIUM} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );

// Launch options of apps/web/e2e/playwright.config.ts (TOOLCHAIN.md).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

let tmp: string;
let server: http.Server;
let origin: string;
let browser: Browser;
let page: Page;
let circuit: LoadedCircuit;
const pageLog: string[] = [];

/** Serve `prefix/…` from `dir` (no path may leave it). */
function staticRoutes(routes: Record<string, string>): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: string | Buffer, type = "text/plain") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (url.pathname === "/")
      return send(200, '<!doctype html><script type="module" src="/page.js"></script>', TYPES[".html"]);
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.resolve(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (
        !file.startsWith(path.resolve(dir) + path.sep) ||
        !fs.existsSync(file) ||
        !fs.statSync(file).isFile()
      )
        return send(404, "not found");
      return send(200, fs.readFileSync(file), TYPES[path.extname(file)] ?? "application/octet-stream");
    }
    send(404, "not found");
  };
}

async function run(task: PageTask): Promise<PageOutcome> {
  const out = await page.evaluate(
    (json) => (globalThis as unknown as { zkTest: { run(j: string): Promise<string> } }).zkTest.run(json),
    toJson(task),
  );
  return fromJson<PageOutcome>(out);
}

describe.skipIf(!hasChromium)("browser prover in Chromium", () => {
  beforeAll(async () => {
    await ensureBuilt(CI_ID);
    circuit = await loadCircuitArtifacts(CI_ID);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zk-browser-"));
    const bundleDir = path.join(tmp, "bundle");
    const sizes = await bundleBrowserProver(bundleDir);
    console.log(
      `bundled with esbuild: ${Object.entries(sizes)
        .map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KiB`)
        .join(", ")}`,
    );
    // A copy of the build with one flipped byte in the zkey, served under /corrupt/.
    const corrupt = path.join(tmp, "corrupt");
    fs.cpSync(path.dirname(artifactPaths(CI_ID).artifact), path.join(corrupt, CI_ID), { recursive: true });
    const zkey = path.join(corrupt, CI_ID, circuit.manifest.files.zkey);
    const bytes = fs.readFileSync(zkey);
    bytes[4096] = (bytes[4096] as number) ^ 0x01;
    fs.writeFileSync(zkey, bytes);

    const buildDir = path.dirname(path.dirname(artifactPaths(CI_ID).artifact));
    server = http.createServer(
      staticRoutes({ "/circuits/": buildDir, "/corrupt/": corrupt, "/": bundleDir }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext();
    page = await context.newPage();
    page.on("console", (m) => pageLog.push(`[${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => pageLog.push(`[pageerror] ${e.message}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "zkTest" in globalThis, undefined, { timeout: 30_000 });
  }, 600_000);

  afterAll(async () => {
    if (pageLog.length > 0) console.log(`page console:\n${pageLog.join("\n")}`);
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    await releaseProverThreads();
  });

  it("proves a batch of a hidden split in a module worker; Node verifies it with the registry's key", async () => {
    const model = randomModel(CI_SHAPE, 31);
    const split = await hiddenSplitCommitment(randomSamples(model, 2 * CI_SHAPE.N, 32), 0x5a17n, CI_SHAPE);
    const { request, batch } = batchProofRequest(split, 1, {
      model,
      modelSalt: 0x7e57n,
      challengeId: 3n,
      submitter: SUBMITTER,
    });
    const out = await run({ artifactsBaseUrl: `${origin}/circuits/`, circuitId: CI_ID, request, batch });
    expect(out.error).toBeUndefined();
    const result = out.result;
    if (!result) throw new Error("no result");

    const stages = out.events.flatMap((e) => (e.kind === "stage" ? [e.stage] : []));
    expect(stages).toEqual(["load", "input", "witness", "prove", "verify", "done"]);
    expect(out.events.some((e) => e.kind === "log" && e.message === "Reading Wtns")).toBe(true);

    // Verified here, in Node, with the hash-checked verification key of the registry's build.
    expect(await snarkjs.groth16.verify(circuit.verificationKey, result.publicSignals, result.proof)).toBe(
      true,
    );
    expect(result.publicSignals).toEqual(publicSignalList(await mlpPublicSignals(request)).map(String));
    expect(BigInt(result.publicSignals[1] as string)).toBe(split.commitments[1]);
    expect(
      verifyBatchProof(split.root, 1, split.commitments[1] as bigint, result.submission.merkleProof ?? []),
    ).toBe(true);
    expect(result.submission).toMatchObject(proofCalldata(result.proof));
    // A changed public signal must not verify (the check above is not vacuous).
    const forged = [...result.publicSignals];
    forged[2] = String(BigInt(forged[2] as string) + 1n);
    expect(await snarkjs.groth16.verify(circuit.verificationKey, forged, result.proof)).toBe(false);
    console.log(
      `browser proof (${circuit.manifest.constraints} constraints, worker with nested workers): ${out.pageMs.toFixed(0)} ms on the page, prove ${result.timings.prove.toFixed(0)} ms, witness ${result.timings.witness.toFixed(0)} ms, load ${result.timings.load.toFixed(0)} ms`,
    );
  });

  it("proves single-threaded (no nested workers) on request", async () => {
    const request = randomRequest(CI_SHAPE, 41);
    const out = await run({
      artifactsBaseUrl: `${origin}/circuits/`,
      circuitId: CI_ID,
      request,
      singleThread: true,
    });
    expect(out.error).toBeUndefined();
    const result = out.result;
    if (!result) throw new Error("no result");
    expect(await snarkjs.groth16.verify(circuit.verificationKey, result.publicSignals, result.proof)).toBe(
      true,
    );
    console.log(`browser proof, single-threaded: prove ${result.timings.prove.toFixed(0)} ms`);
  });

  it("cancels a running proof at once, and proves again afterwards", async () => {
    const request = randomRequest(CI_SHAPE, 51);
    const task = { artifactsBaseUrl: `${origin}/circuits/`, circuitId: CI_ID, request };
    const cancelled = await run({ ...task, cancelAtStage: "prove" });
    expect(cancelled.result).toBeUndefined();
    expect(cancelled.error?.name).toBe("ProofCancelledError");
    const stages = cancelled.events.flatMap((e) => (e.kind === "stage" ? [e.stage] : []));
    expect(stages).not.toContain("verify");
    const again = await run(task);
    expect(again.error).toBeUndefined();
    expect(again.result?.verified).toBe(true);
  });

  it("refuses a served zkey whose SHA-256 is not the manifest's, naming the URL and both hashes", async () => {
    const out = await run({
      artifactsBaseUrl: `${origin}/corrupt/`,
      circuitId: CI_ID,
      request: randomRequest(CI_SHAPE, 61),
    });
    expect(out.result).toBeUndefined();
    expect(out.error).toMatchObject({
      name: "ArtifactIntegrityError",
      kind: "zkey",
      file: `${origin}/corrupt/${CI_ID}/${circuit.manifest.files.zkey}`,
      expected: circuit.manifest.zkeySha256,
    });
    expect(out.error?.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(out.error?.actual).not.toBe(circuit.manifest.zkeySha256);
    expect(out.error?.message).toContain("npm run build -w @zkarena/circuits");
  });

  it("refuses a verification key that is not the pinned one", async () => {
    const out = await run({
      artifactsBaseUrl: `${origin}/circuits/`,
      circuitId: CI_ID,
      request: randomRequest(CI_SHAPE, 71),
      expectVkHash: `0x${"00".repeat(32)}`,
    });
    expect(out.error).toMatchObject({
      name: "ArtifactIntegrityError",
      kind: "verificationKey",
      actual: circuit.manifest.vkHash,
    });
  });

  it("reports a missing circuit with the URL and how to publish it", async () => {
    const out = await run({
      artifactsBaseUrl: `${origin}/circuits/`,
      circuitId: "mlp-d9-h9-c9-n9",
      request: randomRequest(CI_SHAPE, 81),
    });
    expect(out.error?.name).toBe("ArtifactNotFoundError");
    expect(out.error?.message).toContain(`${origin}/circuits/mlp-d9-h9-c9-n9/artifact.json answered 404`);
  });
});
