// The circuit input (witness generator input) for MlpAccuracy, and the public signals a correct
// proof must carry — computed by the reference, so a prover can check before proving.
import { BN254_R, shapeBounds } from "./shape.ts";
import { modelCommitment, testCommitment } from "./commit.ts";
import { countCorrect, type IntModel, type Sample } from "./reference.ts";

export interface MlpProofRequest {
  model: IntModel;
  samples: readonly Sample[];
  modelSalt: bigint;
  testSalt: bigint;
  challengeId: bigint;
  /** Address as an integer (uint160). */
  submitter: bigint;
}

export interface MlpPublicSignals {
  modelCommitment: bigint;
  testCommitment: bigint;
  correct: bigint;
  challengeId: bigint;
  submitter: bigint;
}

/** A signal value as a field element (negative v → r − |v|). */
export const toField = (v: bigint): bigint => ((v % BN254_R) + BN254_R) % BN254_R;

/** Public signals in the verifier's order. */
export function publicSignalList(p: MlpPublicSignals): bigint[] {
  return [p.modelCommitment, p.testCommitment, p.correct, p.challengeId, p.submitter];
}

export async function mlpPublicSignals(req: MlpProofRequest): Promise<MlpPublicSignals> {
  for (const [name, v] of [
    ["challengeId", req.challengeId],
    ["submitter", req.submitter],
  ] as const) {
    if (v < 0n || v >= BN254_R) throw new RangeError(`${name} must be a field element (0 ≤ ${name} < r)`);
  }
  return {
    modelCommitment: await modelCommitment(req.model, req.modelSalt),
    testCommitment: await testCommitment(req.model.shape, req.samples, req.testSalt),
    correct: BigInt(countCorrect(req.model, req.samples)),
    challengeId: req.challengeId,
    submitter: req.submitter,
  };
}

export type SignalTree = bigint | SignalTree[];

/** Input for snarkjs `groth16.fullProve` / `wtns.calculate` (MlpAccuracy, or LinearAccuracy when H = 0), plus the expected public signals. */
export async function mlpCircuitInput(
  req: MlpProofRequest,
): Promise<{ input: Record<string, SignalTree>; publicSignals: MlpPublicSignals }> {
  shapeBounds(req.model.shape);
  const publicSignals = await mlpPublicSignals(req);
  const f = (v: bigint) => toField(v);
  // LinearAccuracy (H = 0) has no W1 / b1 inputs.
  const layer1: Record<string, SignalTree> =
    req.model.shape.H === 0 ? {} : { W1: req.model.W1.map((r) => r.map(f)), b1: req.model.b1.map(f) };
  const input: Record<string, SignalTree> = {
    ...Object.fromEntries(Object.entries(publicSignals)),
    ...layer1,
    W2: req.model.W2.map((r) => r.map(f)),
    b2: req.model.b2.map(f),
    modelSalt: req.modelSalt,
    x: req.samples.map((s) => s.x.map(f)),
    label: req.samples.map((s) => s.label),
    testSalt: req.testSalt,
  };
  return { input, publicSignals };
}
