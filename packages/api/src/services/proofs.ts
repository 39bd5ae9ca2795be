// Off-chain verification of PUBLIC-split proofs (what the verify-public-proof job runs).
//
// A proof is VERIFIED when snarkjs accepts it under the circuit's verification key (loaded from
// circuits/build through @zkarena/zk/node, every file hash-checked) AND its public signals still
// match what the server knows: the competitor's current model commitment, the commitment of the
// public batch it names, its challenge id and its submitter. A proof that fails either is REJECTED
// with the reason; both outcomes are final. Anything that throws (a missing build, a database error)
// is retried by the queue and ends as FAILED after the last retry.
import * as snarkjs from "snarkjs";
import type { Db, Proof } from "@zkarena/db";
import { loadCircuitArtifacts } from "@zkarena/zk/node";
import { publicBatchCommitments } from "./public-split.ts";

export type VerificationKeyLoader = (circuitId: string) => Promise<Record<string, unknown>>;

const keys = new Map<string, Promise<Record<string, unknown>>>();

/** The circuit's verification key, hash-checked, cached per process. */
export const defaultKeyLoader: VerificationKeyLoader = (circuitId) => {
  let key = keys.get(circuitId);
  if (!key) {
    key = loadCircuitArtifacts(circuitId).then((c) => c.verificationKey);
    key.catch(() => keys.delete(circuitId));
    keys.set(circuitId, key);
  }
  return key;
};

export type Verdict = { status: "VERIFIED" } | { status: "REJECTED"; reason: string };

/** Checks the signals against the server's state, then the pairing. Throws only on infrastructure errors. */
export async function verifyPublicProof(
  db: Db,
  proof: Proof,
  loadKey: VerificationKeyLoader = defaultKeyLoader,
): Promise<Verdict> {
  const challenge = await db.challenge.findUniqueOrThrow({ where: { id: proof.challengeId } });
  const signals = proof.publicSignals as string[];
  if (!Array.isArray(signals) || signals.length !== 5)
    return { status: "REJECTED", reason: "the proof must carry 5 public signals" };
  const [modelCommitment, testCommitment, correct, challengeId, submitter] = signals.map((s) => BigInt(s));
  if (challenge.circuitId !== proof.circuitId)
    return { status: "REJECTED", reason: `the challenge uses circuit ${challenge.circuitId}` };
  if (challenge.onchainId === null || challengeId !== BigInt(challenge.onchainId.toFixed(0)))
    return { status: "REJECTED", reason: "the challengeId signal is not this challenge's on-chain id" };
  if (submitter !== BigInt(proof.competitorAddress))
    return { status: "REJECTED", reason: "the submitter signal is not the submitting address" };
  const commitment = await db.modelCommitment.findUnique({
    where: {
      challengeId_competitorAddress: {
        challengeId: proof.challengeId,
        competitorAddress: proof.competitorAddress,
      },
    },
  });
  if (!commitment || BigInt(commitment.commitment) !== modelCommitment)
    return {
      status: "REJECTED",
      reason: "the model commitment is not the competitor's current on-chain commitment",
    };
  const batches = await publicBatchCommitments(db, challenge);
  const expected = batches?.[proof.batchIndex];
  if (expected === undefined)
    return { status: "REJECTED", reason: `the public split has no batch ${proof.batchIndex}` };
  if (expected !== testCommitment)
    return {
      status: "REJECTED",
      reason: `the test commitment is not the commitment of public batch ${proof.batchIndex}`,
    };
  if (Number(correct) !== proof.correct)
    return { status: "REJECTED", reason: "the correct signal differs from the stored score" };

  const vk = await loadKey(proof.circuitId);
  const ok = await snarkjs.groth16.verify(vk, signals, proof.proof as unknown as snarkjs.Groth16Proof);
  return ok
    ? { status: "VERIFIED" }
    : {
        status: "REJECTED",
        reason: "the Groth16 proof does not verify under the circuit's verification key",
      };
}
