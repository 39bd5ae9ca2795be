// Batched hidden splits (the shared spec /work/briefs/batching.md; ArenaEscrow implements the same):
//
//   B = M / N batches of the circuit's N samples, in order. M must be a multiple of N: padding would
//     change what "correct" means, so a remainder is refused and the organiser drops or adds samples.
//   batchSalt_i = Poseidon([testSalt, i])         (circomlibjs Poseidon over two field elements)
//   c_i = testCommitment(shape, batch_i, batchSalt_i)   (commit.ts, unchanged: the circuit's public
//                                                   testCommitment of a proof for batch i)
//   root = batchRoot([c_0, …, c_{B−1}])           (batch-root.ts: c_0 itself when B = 1, else the
//                                                   OpenZeppelin-compatible Merkle root)
//
// The organiser publishes `root` and B at creation and reveals the samples and the one testSalt;
// anyone recomputes every c_i and the root. A competitor proves each batch separately; the escrow
// checks c_i against the root with the Merkle proof and sums the accepted batches' `correct`.
import type * as snarkjs from "snarkjs";
import type { Hex } from "viem";
import { MAX_BATCHES, batchProof, batchRoot, verifyBatchProof } from "./batch-root.ts";
import { getPoseidon, testCommitment } from "./commit.ts";
import type { MlpProofRequest } from "./input.ts";
import { ValueRangeError, checkSample, type IntModel, type Sample } from "./reference.ts";
import { BN254_R, shapeBounds, type MlpShape } from "./shape.ts";

export class BatchSplitError extends Error {
  override name = "BatchSplitError";
}

/**
 * Cut a split into batches of `batchSize` samples, in order. Refuses an empty split, a split that is
 * not a multiple of the batch size (with how many samples to drop or add), and more than MAX_BATCHES.
 */
export function splitIntoBatches<T>(samples: readonly T[], batchSize: number): T[][] {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new BatchSplitError(`the batch size must be a positive integer, got ${batchSize}`);
  const M = samples.length;
  if (M === 0) throw new BatchSplitError("the hidden split is empty: it needs at least one batch of samples");
  const extra = M % batchSize;
  if (extra !== 0) {
    const add = batchSize - extra;
    const dropHint = M > extra ? `drop ${extra} sample${extra === 1 ? "" : "s"} (→ ${M - extra})` : "";
    throw new BatchSplitError(
      `the hidden split has ${M} samples, which is not a multiple of the circuit's batch size ${batchSize}: ` +
        `${dropHint ? `${dropHint} or ` : ""}add ${add} (→ ${M + add}). Samples are never padded: padding would change what "correct" means.`,
    );
  }
  const B = M / batchSize;
  if (B > MAX_BATCHES)
    throw new BatchSplitError(
      `the hidden split has ${B} batches of ${batchSize}, more than the escrow's limit of ${MAX_BATCHES}: use at most ${MAX_BATCHES * batchSize} samples or a circuit with larger batches`,
    );
  return Array.from({ length: B }, (_, i) => samples.slice(i * batchSize, (i + 1) * batchSize));
}

/** batchSalt_i = Poseidon([testSalt, i]). */
export async function batchSalt(testSalt: bigint, i: number): Promise<bigint> {
  if (testSalt < 0n || testSalt >= BN254_R)
    throw new BatchSplitError("testSalt must be a field element (0 ≤ testSalt < r)");
  if (!Number.isSafeInteger(i) || i < 0 || i >= MAX_BATCHES)
    throw new BatchSplitError(`batch index ${i} is not an integer in [0, ${MAX_BATCHES - 1}]`);
  const poseidon = await getPoseidon();
  return poseidon.F.toObject(poseidon([testSalt, BigInt(i)]));
}

/** A committed hidden split: what the organiser publishes (root, B) and what provers need. */
export interface HiddenSplit {
  shape: MlpShape;
  testSalt: bigint;
  /** B. */
  batchCount: number;
  batches: Sample[][];
  batchSalts: bigint[];
  /** c_i, each the public testCommitment of a proof for batch i. */
  commitments: bigint[];
  /** The escrow's testCommitment: c_0 when B = 1, else the Merkle root. */
  root: Hex;
}

/** Split, salt and commit a hidden split for a circuit shape (samples are range-checked). */
export async function hiddenSplitCommitment(
  samples: readonly Sample[],
  testSalt: bigint,
  shape: MlpShape,
): Promise<HiddenSplit> {
  shapeBounds(shape);
  samples.forEach((s, i) => {
    try {
      checkSample(shape, s, `samples[${i}]`);
    } catch (e) {
      if (e instanceof ValueRangeError) throw new BatchSplitError(`hidden split: ${e.message}`);
      throw e;
    }
  });
  const batches = splitIntoBatches(samples, shape.N);
  const batchSalts: bigint[] = [];
  const commitments: bigint[] = [];
  for (let i = 0; i < batches.length; i++) {
    const salt = await batchSalt(testSalt, i);
    batchSalts.push(salt);
    commitments.push(await testCommitment(shape, batches[i] as Sample[], salt));
  }
  return {
    shape,
    testSalt,
    batchCount: batches.length,
    batches,
    batchSalts,
    commitments,
    root: batchRoot(commitments),
  };
}

/** Which batch a proof is for, with what the escrow needs to place it under the root. */
export interface BatchTarget {
  index: number;
  /** c_index: must equal the proof's public testCommitment. */
  commitment: bigint;
  /** Siblings bottom-up ([] when B = 1). */
  merkleProof: Hex[];
  root: Hex;
}

export interface Competitor {
  model: IntModel;
  modelSalt: bigint;
  challengeId: bigint;
  /** Address as an integer (uint160). */
  submitter: bigint;
}

/** The proof request for batch `index` of a (revealed) hidden split, and its batch target. */
export function batchProofRequest(
  split: HiddenSplit,
  index: number,
  competitor: Competitor,
): { request: MlpProofRequest; batch: BatchTarget } {
  if (!Number.isSafeInteger(index) || index < 0 || index >= split.batchCount)
    throw new BatchSplitError(
      `batch index ${index} is not in [0, ${split.batchCount - 1}] (the split has ${split.batchCount} batches)`,
    );
  return {
    request: {
      model: competitor.model,
      samples: split.batches[index] as Sample[],
      modelSalt: competitor.modelSalt,
      testSalt: split.batchSalts[index] as bigint,
      challengeId: competitor.challengeId,
      submitter: competitor.submitter,
    },
    batch: {
      index,
      commitment: split.commitments[index] as bigint,
      merkleProof: batchProof(split.commitments, index),
      root: split.root,
    },
  };
}

/**
 * Off-chain check of a batch proof as the escrow does it: the Groth16 proof verifies, and its public
 * testCommitment (signal 1) is batch `target.index` of the split with root `target.root`. False, never
 * a throw, for a bad proof or a commitment not under the root.
 */
export async function verifyBatchedProof(
  verificationKey: unknown,
  publicSignals: readonly string[],
  proof: snarkjs.Groth16Proof,
  target: Pick<BatchTarget, "index" | "merkleProof" | "root">,
): Promise<boolean> {
  const c = publicSignals[1];
  if (c === undefined || !/^(0|[1-9][0-9]{0,77})$/.test(c) || BigInt(c) >= BN254_R) return false;
  if (!verifyBatchProof(target.root, target.index, BigInt(c), target.merkleProof)) return false;
  // Loaded here, not at the top: commitments and batch targets must not pull snarkjs into a page
  // that only quantizes or commits (the "@zkarena/zk/core" entry).
  const { groth16 } = await import("snarkjs");
  return groth16.verify(verificationKey, publicSignals, proof);
}
