// Proving SDK (Node and browser): snarkjs Groth16 over a compiled MlpAccuracy circuit. Artifacts are
// passed in — a file path in Node, or the bytes (Uint8Array) fetched by a browser worker — so this
// module does no I/O of its own. The proof's public signals are checked against the reference
// before they are returned, so a mismatch between circuit and reference surfaces here, not on chain.
import * as snarkjs from "snarkjs";
import { mlpCircuitInput, publicSignalList, type MlpProofRequest, type MlpPublicSignals } from "./input.ts";

export interface CircuitArtifacts {
  /** The witness generator: build/<id>/<id>_js/<id>.wasm (path or bytes). */
  wasm: string | Uint8Array;
  /** The Groth16 proving key (path or bytes). */
  zkey: string | Uint8Array;
}

export interface MlpProof {
  proof: snarkjs.Groth16Proof;
  /** Decimal strings in the verifier's order: [modelCommitment, testCommitment, correct, challengeId, submitter]. */
  publicSignals: string[];
  expected: MlpPublicSignals;
}

export class ProofMismatchError extends Error {
  override name = "ProofMismatchError";
}

export async function proveMlp(
  req: MlpProofRequest,
  artifacts: CircuitArtifacts,
  logger?: snarkjs.Logger,
): Promise<MlpProof> {
  const { input, publicSignals: expected } = await mlpCircuitInput(req);
  const { proof, publicSignals } = await snarkjs.groth16.fullProve(
    input as snarkjs.CircuitInput,
    artifacts.wasm,
    artifacts.zkey,
    logger,
  );
  const want = publicSignalList(expected).map(String);
  if (publicSignals.length !== want.length || publicSignals.some((s, i) => s !== want[i])) {
    throw new ProofMismatchError(
      `circuit public signals [${publicSignals.join(", ")}] differ from the reference [${want.join(", ")}]`,
    );
  }
  return { proof, publicSignals, expected };
}

/** Verify a proof against a verification key (false, never a throw, for a bad proof). */
export async function verifyMlp(
  verificationKey: unknown,
  publicSignals: readonly (string | bigint)[],
  proof: snarkjs.Groth16Proof,
): Promise<boolean> {
  return snarkjs.groth16.verify(verificationKey, publicSignals, proof);
}
