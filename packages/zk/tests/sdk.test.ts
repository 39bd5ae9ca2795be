// The Node prover: stages and snarkjs progress, multi- and single-threaded proofs that verify, the
// escrow calldata, and the refusals (wrong shape, cancelled, corrupted artifacts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as snarkjs from "snarkjs";
import { artifactPaths } from "../../../circuits/scripts/lib.mjs";
import { ArtifactIntegrityError } from "../src/artifacts.ts";
import { proofCalldata, submitProofArgs } from "../src/calldata.ts";
import { mlpPublicSignals, publicSignalList } from "../src/input.ts";
import { createNodeProver, loadCircuitArtifacts, releaseProverThreads } from "../src/node.ts";
import { decodeFunctionData, encodeFunctionData, parseAbi } from "viem";
import { batchProofRequest, hiddenSplitCommitment } from "../src/batch.ts";
import { ProofCancelledError, ProofRequestError, type ProgressEvent } from "../src/sdk.ts";
import {
  CI_ID,
  CI_SHAPE,
  SUBMITTER,
  ensureBuilt,
  randomModel,
  randomRequest,
  randomSamples,
} from "./helpers.ts";

let vk: unknown;
beforeAll(async () => {
  await ensureBuilt(CI_ID);
  vk = JSON.parse(fs.readFileSync(artifactPaths(CI_ID).vk, "utf8"));
}, 600_000);
afterAll(releaseProverThreads);

describe("createNodeProver", () => {
  it("proves, verifies and packs calldata, reporting the stages in order and snarkjs' log lines", async () => {
    const request = randomRequest(CI_SHAPE, 1);
    const events: ProgressEvent[] = [];
    const result = await createNodeProver().prove({
      circuitId: CI_ID,
      request,
      onProgress: (e) => events.push(e),
    });
    const stages = events.flatMap((e) => (e.kind === "stage" ? [e.stage] : []));
    expect(stages).toEqual(["load", "input", "witness", "prove", "verify", "done"]);
    const logs = events.flatMap((e) => (e.kind === "log" ? [e.message] : []));
    expect(logs).toContain("Reading Wtns");
    expect(logs.some((m) => m.includes("FFT"))).toBe(true);
    // Log lines arrive while proving, between the "prove" and "verify" stages.
    const at = (pred: (e: ProgressEvent) => boolean) => events.findIndex(pred);
    expect(at((e) => e.kind === "log")).toBeGreaterThan(at((e) => e.kind === "stage" && e.stage === "prove"));

    const expected = await mlpPublicSignals(request);
    expect(result.publicSignals).toEqual(publicSignalList(expected).map(String));
    expect(result.verified).toBe(true);
    expect(await snarkjs.groth16.verify(vk, result.publicSignals, result.proof)).toBe(true);
    expect(result.submission).toEqual({ ...proofCalldata(result.proof), correct: Number(expected.correct) });
    expect(result.timings.total).toBeGreaterThan(0);
  });

  it("proves single-threaded on request (no worker pool) with an equally valid proof", async () => {
    await releaseProverThreads();
    const holder = globalThis as { curve_bn128?: unknown };
    const request = randomRequest(CI_SHAPE, 2);
    const prover = createNodeProver({ singleThread: true });
    let poolDuringProve: unknown = "unset";
    const result = await prover.prove({
      circuitId: CI_ID,
      request,
      onProgress: (e) => {
        if (e.kind === "stage" && e.stage === "verify") poolDuringProve = holder.curve_bn128;
      },
    });
    // ffjavascript caches only its multi-threaded curve on globalThis: none was built to prove.
    expect(poolDuringProve).toBeNull();
    expect(await snarkjs.groth16.verify(vk, result.publicSignals, result.proof)).toBe(true);
  });

  it("refuses a model of another shape, naming the differences", async () => {
    const request = randomRequest({ ...CI_SHAPE, H: 0 }, 3);
    await expect(createNodeProver().prove({ circuitId: CI_ID, request })).rejects.toThrow(ProofRequestError);
    await expect(createNodeProver().prove({ circuitId: CI_ID, request })).rejects.toThrow(/H 0 ≠ 3/);
  });

  it("refuses a batch of the wrong size", async () => {
    const request = randomRequest(CI_SHAPE, 4);
    const short = { ...request, samples: request.samples.slice(0, 3) };
    await expect(createNodeProver().prove({ circuitId: CI_ID, request: short })).rejects.toThrow(
      /batches of 4 samples, got 3; split the hidden set with splitIntoBatches/,
    );
  });

  it("stops at the next stage once the signal is aborted", async () => {
    const controller = new AbortController();
    const request = randomRequest(CI_SHAPE, 5);
    const stages: string[] = [];
    const run = createNodeProver().prove({
      circuitId: CI_ID,
      request,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind !== "stage") return;
        stages.push(e.stage);
        if (e.stage === "witness") controller.abort();
      },
    });
    await expect(run).rejects.toThrow(ProofCancelledError);
    expect(stages).not.toContain("prove");
  });

  it("refuses to prove with a corrupted zkey", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zk-sdk-"));
    try {
      const dir = path.join(tmp, CI_ID);
      fs.cpSync(path.dirname(artifactPaths(CI_ID).artifact), dir, { recursive: true });
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "artifact.json"), "utf8")) as {
        files: { zkey: string };
      };
      const zkey = path.join(dir, manifest.files.zkey);
      const bytes = fs.readFileSync(zkey);
      bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0xff;
      fs.writeFileSync(zkey, bytes);
      const prover = createNodeProver({ buildDir: tmp });
      await expect(prover.prove({ circuitId: CI_ID, request: randomRequest(CI_SHAPE, 6) })).rejects.toThrow(
        ArtifactIntegrityError,
      );
      await expect(loadCircuitArtifacts(CI_ID, { buildDir: tmp })).rejects.toThrow(/zkey .* has sha256/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("submitProofArgs", () => {
  // ArenaEscrow's two submitProof overloads (contracts/src/interfaces/IArenaEscrow.sol).
  const abi = parseAbi([
    "function submitProof(uint256 id, uint256[2] pA, uint256[2][2] pB, uint256[2] pC, uint32 correct)",
    "function submitProof(uint256 id, uint256 batchIndex, uint256 batchCommitment, bytes32[] merkleProof, uint256[2] pA, uint256[2][2] pB, uint256[2] pC, uint32 correct)",
  ]);

  it("encodes an unbatched and a batched submission for the escrow's two overloads", async () => {
    const prover = createNodeProver();
    const plain = await prover.prove({ circuitId: CI_ID, request: randomRequest(CI_SHAPE, 8) });
    const args5 = submitProofArgs(9n, plain.submission);
    expect(args5).toHaveLength(5);
    const data5 = encodeFunctionData({ abi, functionName: "submitProof", args: args5 });
    expect(decodeFunctionData({ abi, data: data5 }).args).toEqual([9n, ...args5.slice(1)]);

    const model = randomModel(CI_SHAPE, 9);
    const split = await hiddenSplitCommitment(randomSamples(model, 12, 10), 77n, CI_SHAPE);
    const { request, batch } = batchProofRequest(split, 2, {
      model,
      modelSalt: 5n,
      challengeId: 9n,
      submitter: SUBMITTER,
    });
    const batched = await prover.prove({ circuitId: CI_ID, request, batch });
    const args8 = submitProofArgs(9n, batched.submission);
    expect(args8.slice(0, 4)).toEqual([9n, 2n, split.commitments[2], batch.merkleProof]);
    const data8 = encodeFunctionData({ abi, functionName: "submitProof", args: args8 });
    const decoded = decodeFunctionData({ abi, data: data8 });
    expect(decoded.args).toHaveLength(8);
    expect(decoded.args?.[2]).toBe(BigInt(batched.publicSignals[1] as string));
  });
});
