// Batched hidden splits (briefs/batching.md): splitting, batch salts, per-batch commitments, the root,
// and real CI-shape proofs whose public testCommitment is the batch commitment under the root.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPoseidon } from "circomlibjs";
import { toHex } from "viem";
import { batchRoot, verifyBatchProof } from "../src/batch-root.ts";
import {
  BatchSplitError,
  batchProofRequest,
  batchSalt,
  hiddenSplitCommitment,
  splitIntoBatches,
  verifyBatchedProof,
} from "../src/batch.ts";
import { testCommitment } from "../src/commit.ts";
import { countCorrect } from "../src/reference.ts";
import { BN254_R } from "../src/shape.ts";
import { ProofRequestError } from "../src/sdk.ts";
import { createNodeProver, loadCircuitArtifacts, releaseProverThreads } from "../src/node.ts";
import { CI_ID, CI_SHAPE, SUBMITTER, ensureBuilt, randomModel, randomSamples } from "./helpers.ts";

const TEST_SALT = 0x2a5f_0c11_77e3_90d4_b6a8_1f23_4c5d_6e7f_8091_a2b3_c4d5_e6f7_0819_2a3b_4c5dn;

describe("splitIntoBatches", () => {
  it("cuts a multiple of N into B batches in order", () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    expect(splitIntoBatches(items, 4)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(splitIntoBatches(items, 12)).toEqual([items]);
  });

  it("refuses a split that is not a multiple of N, saying how many samples to drop or add", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(() => splitIntoBatches(items, 4)).toThrow(BatchSplitError);
    expect(() => splitIntoBatches(items, 4)).toThrow(
      /10 samples.*batch size 4: drop 2 samples \(→ 8\) or add 2 \(→ 12\)/,
    );
    expect(() => splitIntoBatches([1, 2, 3], 4)).toThrow(
      /not a multiple of the circuit's batch size 4: add 1 \(→ 4\)/,
    );
  });

  it("refuses an empty split, a bad batch size and more than 4096 batches", () => {
    expect(() => splitIntoBatches([], 4)).toThrow(/empty/);
    expect(() => splitIntoBatches([1], 0)).toThrow(/positive integer/);
    expect(() => splitIntoBatches(new Array<number>(4097).fill(0), 1)).toThrow(/4097 batches.*limit of 4096/);
    expect(splitIntoBatches(new Array<number>(4096).fill(0), 1)).toHaveLength(4096);
  });
});

describe("batchSalt", () => {
  it("is circomlibjs Poseidon([testSalt, i])", async () => {
    const poseidon = await buildPoseidon();
    for (const i of [0, 1, 4095]) {
      expect(await batchSalt(TEST_SALT, i)).toBe(poseidon.F.toObject(poseidon([TEST_SALT, BigInt(i)])));
    }
    expect(await batchSalt(TEST_SALT, 0)).not.toBe(await batchSalt(TEST_SALT, 1));
    expect(await batchSalt(TEST_SALT, 0)).not.toBe(await batchSalt(TEST_SALT + 1n, 0));
  });

  it("refuses a salt ≥ r and an index out of range", async () => {
    await expect(batchSalt(BN254_R, 0)).rejects.toThrow(/field element/);
    await expect(batchSalt(1n, -1)).rejects.toThrow(/batch index/);
    await expect(batchSalt(1n, 4096)).rejects.toThrow(/batch index/);
  });
});

describe("hiddenSplitCommitment", () => {
  const model = randomModel(CI_SHAPE, 11);
  const samples = randomSamples(model, 5 * CI_SHAPE.N, 12);

  it("commits each batch under its batch salt and roots them; every Merkle proof checks", async () => {
    const split = await hiddenSplitCommitment(samples, TEST_SALT, CI_SHAPE);
    expect(split.batchCount).toBe(5);
    for (let i = 0; i < 5; i++) {
      const batch = samples.slice(i * 4, i * 4 + 4);
      expect(split.batches[i]).toEqual(batch);
      expect(split.batchSalts[i]).toBe(await batchSalt(TEST_SALT, i));
      expect(split.commitments[i]).toBe(await testCommitment(CI_SHAPE, batch, await batchSalt(TEST_SALT, i)));
    }
    expect(new Set(split.commitments).size).toBe(5);
    expect(split.root).toBe(batchRoot(split.commitments));
    for (let i = 0; i < 5; i++) {
      const { batch } = batchProofRequest(split, i, {
        model,
        modelSalt: 1n,
        challengeId: 1n,
        submitter: SUBMITTER,
      });
      expect(verifyBatchProof(split.root, i, batch.commitment, batch.merkleProof)).toBe(true);
      // The proof binds the index and the commitment.
      expect(verifyBatchProof(split.root, (i + 1) % 5, batch.commitment, batch.merkleProof)).toBe(false);
      expect(
        verifyBatchProof(split.root, i, split.commitments[(i + 1) % 5] as bigint, batch.merkleProof),
      ).toBe(false);
    }
  });

  it("B = 1: the root is c_0 itself (the batch-0 salt still applies) and the proof is empty", async () => {
    const one = samples.slice(0, 4);
    const split = await hiddenSplitCommitment(one, TEST_SALT, CI_SHAPE);
    const c0 = await testCommitment(CI_SHAPE, one, await batchSalt(TEST_SALT, 0));
    expect(split.commitments).toEqual([c0]);
    expect(split.root).toBe(toHex(c0, { size: 32 }));
    const { batch } = batchProofRequest(split, 0, {
      model,
      modelSalt: 1n,
      challengeId: 1n,
      submitter: SUBMITTER,
    });
    expect(batch.merkleProof).toEqual([]);
    expect(verifyBatchProof(split.root, 0, c0, [])).toBe(true);
  });

  it("changes every commitment and the root with the salt", async () => {
    const a = await hiddenSplitCommitment(samples, TEST_SALT, CI_SHAPE);
    const b = await hiddenSplitCommitment(samples, TEST_SALT + 1n, CI_SHAPE);
    a.commitments.forEach((c, i) => expect(b.commitments[i]).not.toBe(c));
    expect(b.root).not.toBe(a.root);
  });

  it("refuses out-of-range samples and a remainder, before hashing anything", async () => {
    const bad = samples.map((s, i) => (i === 7 ? { ...s, label: 3n } : s));
    await expect(hiddenSplitCommitment(bad, TEST_SALT, CI_SHAPE)).rejects.toThrow(/samples\[7\]\.label/);
    await expect(hiddenSplitCommitment(samples.slice(0, 6), TEST_SALT, CI_SHAPE)).rejects.toThrow(
      /6 samples.*drop 2 samples \(→ 4\) or add 2 \(→ 8\)/,
    );
  });

  it("batchProofRequest refuses an index outside the split", async () => {
    const split = await hiddenSplitCommitment(samples, TEST_SALT, CI_SHAPE);
    expect(() =>
      batchProofRequest(split, 5, { model, modelSalt: 1n, challengeId: 1n, submitter: SUBMITTER }),
    ).toThrow(/not in \[0, 4\]/);
  });
});

describe("batched proofs (real Groth16, CI shape)", () => {
  const model = randomModel(CI_SHAPE, 21);
  const samples = randomSamples(model, 3 * CI_SHAPE.N, 22);
  const competitor = { model, modelSalt: 0xabcdefn, challengeId: 42n, submitter: SUBMITTER };
  const prover = createNodeProver();

  beforeAll(() => ensureBuilt(CI_ID), 600_000);
  afterAll(releaseProverThreads);

  it("each batch's proof carries its batch commitment, which the root's Merkle proof accepts", async () => {
    const split = await hiddenSplitCommitment(samples, TEST_SALT, CI_SHAPE);
    let total = 0;
    for (let i = 0; i < split.batchCount; i++) {
      const { request, batch } = batchProofRequest(split, i, competitor);
      const result = await prover.prove({ circuitId: CI_ID, request, batch });
      const publicTestCommitment = BigInt(result.publicSignals[1] as string);
      expect(publicTestCommitment).toBe(split.commitments[i]);
      expect(verifyBatchProof(split.root, i, publicTestCommitment, result.submission.merkleProof ?? [])).toBe(
        true,
      );
      expect(result.submission.batchIndex).toBe(i);
      expect(result.submission.batchCommitment).toBe(split.commitments[i]);
      expect(result.submission.correct).toBe(countCorrect(model, split.batches[i] ?? []));
      total += result.submission.correct;
    }
    expect(total).toBe(countCorrect(model, samples));
  });

  it("verifyBatchedProof accepts a batch proof under its root only at its index and with its signals", async () => {
    const split = await hiddenSplitCommitment(samples, TEST_SALT, CI_SHAPE);
    const { verificationKey } = await loadCircuitArtifacts(CI_ID);
    const { request, batch } = batchProofRequest(split, 2, competitor);
    const { proof, publicSignals } = await prover.prove({ circuitId: CI_ID, request, batch });
    expect(await verifyBatchedProof(verificationKey, publicSignals, proof, batch)).toBe(true);
    // Another index, another split's root, a changed signal: all refused.
    expect(await verifyBatchedProof(verificationKey, publicSignals, proof, { ...batch, index: 1 })).toBe(
      false,
    );
    const other = await hiddenSplitCommitment(samples, TEST_SALT + 1n, CI_SHAPE);
    expect(
      await verifyBatchedProof(verificationKey, publicSignals, proof, { ...batch, root: other.root }),
    ).toBe(false);
    const forged = publicSignals.map((s, i) => (i === 2 ? String(BigInt(s) + 1n) : s));
    expect(await verifyBatchedProof(verificationKey, forged, proof, batch)).toBe(false);
    const offField = publicSignals.map((s, i) => (i === 1 ? String(BigInt(s) + BN254_R) : s));
    expect(await verifyBatchedProof(verificationKey, offField, proof, batch)).toBe(false);
  });

  it("refuses a batch target that is not the request's batch", async () => {
    const split = await hiddenSplitCommitment(samples, TEST_SALT, CI_SHAPE);
    const { request } = batchProofRequest(split, 0, competitor);
    const { batch } = batchProofRequest(split, 1, competitor);
    await expect(prover.prove({ circuitId: CI_ID, request, batch })).rejects.toThrow(ProofRequestError);
  });
});
