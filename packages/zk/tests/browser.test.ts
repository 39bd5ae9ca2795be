// A real Groth16 proof in Chromium: the worker (src/browser/worker.ts) and a test page are bundled
// with esbuild, served with the circuit build from a loopback HTTP server on a free port, and driven
// with playwright-core; the proof is read back and verified in Node with snarkjs and the registry's
// verification key. Without Chromium the suite is skipped and says why (nothing is downloaded).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { artifactPaths } from "../../../circuits/scripts/lib.mjs";
import { batchProofRequest, hiddenSplitCommitment } from "../src/batch.ts";
import { verifyBatchProof } from "../src/batch-root.ts";
import { proofCalldata } from "../src/calldata.ts";
import { mlpPublicSignals, publicSignalList } from "../src/input.ts";
import { loadCircuitArtifacts, releaseProverThreads } from "../src/node.ts";
import type { LoadedCircuit } from "../src/artifacts.ts";
import { CHROMIUM_PATH, startProverPage, type ProverPage } from "../tools/browser/harness.ts";
import type { PageOutcome, PageTask } from "../tools/browser/page.ts";
import {
  CI_ID,
  CI_SHAPE,
  SUBMITTER,
  ensureBuilt,
  randomModel,
  randomRequest,
  randomSamples,
} from "./helpers.ts";

const hasChromium = fs.existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.log(
    `browser prover tests skipped: Chromium not found at ${CHROMIUM_PATH} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );

let tmp: string;
let harness: ProverPage;
let origin: string;
let circuit: LoadedCircuit;

const run = (task: PageTask): Promise<PageOutcome> => harness.run(task);

describe.skipIf(!hasChromium)("browser prover in Chromium", () => {
  beforeAll(async () => {
    await ensureBuilt(CI_ID);
    circuit = await loadCircuitArtifacts(CI_ID);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zk-browser-"));
    // A copy of the build with one flipped byte in the zkey, served under /corrupt/.
    const corrupt = path.join(tmp, "corrupt");
    fs.cpSync(path.dirname(artifactPaths(CI_ID).artifact), path.join(corrupt, CI_ID), { recursive: true });
    const zkey = path.join(corrupt, CI_ID, circuit.manifest.files.zkey);
    const bytes = fs.readFileSync(zkey);
    bytes[4096] = (bytes[4096] as number) ^ 0x01;
    fs.writeFileSync(zkey, bytes);
    const buildDir = path.dirname(path.dirname(artifactPaths(CI_ID).artifact));
    harness = await startProverPage({ "/circuits/": buildDir, "/corrupt/": corrupt });
    origin = harness.origin;
    const sizes = Object.entries(harness.bundle).map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KiB`);
    console.log(`bundled with esbuild: ${sizes.join(", ")}`);
  }, 600_000);

  afterAll(async () => {
    if (harness?.log.length) console.log(`page console:\n${harness.log.join("\n")}`);
    await harness?.close();
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

  it("an aborted AbortSignal cancels its proof; a settled task's signal no longer cancels anything", async () => {
    const task = {
      artifactsBaseUrl: `${origin}/circuits/`,
      circuitId: CI_ID,
      request: randomRequest(CI_SHAPE, 55),
    };
    const aborted = await run({ ...task, abortAtStage: "witness" });
    expect(aborted.error?.name).toBe("ProofCancelledError");
    const first = await run(task);
    expect(first.result?.verified).toBe(true);
    // The first task's signal is aborted while the second one is proving: the second must complete.
    const second = await run({ ...task, abortPreviousAtStage: "prove" });
    expect(second.error).toBeUndefined();
    expect(second.result?.verified).toBe(true);
  });

  it("reports artifact downloads (bytes as they arrive) and each fetched file", async () => {
    // A prover with a pinned (correct) vk hash is a new prover, so its worker fetches the files.
    const out = await run({
      artifactsBaseUrl: `${origin}/circuits/`,
      circuitId: CI_ID,
      request: randomRequest(CI_SHAPE, 57),
      expectVkHash: circuit.manifest.vkHash,
    });
    expect(out.error).toBeUndefined();
    const fetched = out.events.flatMap((e) =>
      e.kind === "log" && e.message.startsWith("fetched ") ? [e.message] : [],
    );
    expect(fetched).toContain(
      `fetched ${origin}/circuits/${CI_ID}/artifact.json (${fs.statSync(artifactPaths(CI_ID).artifact).size} bytes)`,
    );
    expect(fetched.some((m) => m.includes(circuit.manifest.files.zkey))).toBe(true);
    // Download progress for the zkey: from 0 to its full size, never decreasing, during "load".
    const zkeyUrl = `${origin}/circuits/${CI_ID}/${circuit.manifest.files.zkey}`;
    const size = circuit.zkey.length;
    const downloads = out.events.flatMap((e) => (e.kind === "download" && e.url === zkeyUrl ? [e] : []));
    expect(downloads[0]).toMatchObject({ received: 0, total: size });
    expect(downloads.at(-1)).toMatchObject({ received: size, total: size });
    downloads
      .slice(1)
      .forEach((d, i) =>
        expect(d.received).toBeGreaterThanOrEqual((downloads[i] as { received: number }).received),
      );
    const proveAt = out.events.findIndex((e) => e.kind === "stage" && e.stage === "input");
    expect(out.events.findLastIndex((e) => e.kind === "download")).toBeLessThan(proveAt);
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
