// snarkjs Groth16 proof → the arguments of the generated Solidity verifier and of ArenaEscrow.submitProof.
//
// snarkjs keeps points in projective JSON: pi_a = [x, y, "1"], pi_c likewise, and pi_b = [[x0, x1],
// [y0, y1], ["1", "0"]] with each Fp2 coordinate as (c0, c1). The EVM pairing precompile (EIP-197) wants
// Fp2 elements as (c1, c0), so B's coordinates are swapped, exactly as snarkjs' `exportSolidityCallData`
// prints them. Every coordinate must be a canonical base-field element (< q): the verifier reduces
// nothing and an out-of-range value is a malformed proof, refused here with a message.
import type { Hex } from "viem";
import { z } from "zod";
import { BN254_R } from "./shape.ts";

/** BN254 base field order q (point coordinates live here; public signals live below r). */
export const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

export interface ProofCalldata {
  pA: readonly [bigint, bigint];
  /** B with each Fp2 coordinate as (c1, c0), the precompile's order. */
  pB: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  pC: readonly [bigint, bigint];
}

export class ProofFormatError extends Error {
  override name = "ProofFormatError";
}

const decimal = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, { error: "must be a decimal integer string" });
const coordinate = decimal
  .transform((s) => BigInt(s))
  .refine((v) => v < BN254_Q, { error: "must be below the BN254 base field order q" });
const pair = z.tuple([coordinate, coordinate]);
/** A snarkjs Groth16 proof (`proof.json`), points in projective form with z = 1 (as snarkjs writes them). */
export const groth16ProofSchema = z.object({
  pi_a: z.tuple([coordinate, coordinate, z.literal("1")]),
  pi_b: z.tuple([pair, pair, z.tuple([z.literal("1"), z.literal("0")])]),
  pi_c: z.tuple([coordinate, coordinate, z.literal("1")]),
  protocol: z.literal("groth16"),
  curve: z.literal("bn128"),
});

/** The verifier's `(pA, pB, pC)` from a snarkjs proof. @throws ProofFormatError naming the bad field. */
export function proofCalldata(proof: unknown): ProofCalldata {
  const parsed = groth16ProofSchema.safeParse(proof);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    throw new ProofFormatError(
      `not a snarkjs Groth16 BN254 proof: ${where} ${issue?.message ?? "is invalid"} ` +
        "(pass the `proof` object snarkjs.groth16.fullProve returned, unchanged)",
    );
  }
  const { pi_a: a, pi_b: b, pi_c: c } = parsed.data;
  return {
    pA: [a[0], a[1]],
    pB: [
      [b[0][1], b[0][0]],
      [b[1][1], b[1][0]],
    ],
    pC: [c[0], c[1]],
  };
}

/** Public signals (decimal strings from snarkjs) as bigints; each must be below r. */
export function publicSignalsCalldata(signals: readonly string[]): bigint[] {
  return signals.map((s, i) => {
    if (!/^(0|[1-9][0-9]{0,77})$/.test(s))
      throw new ProofFormatError(`public signal ${i} is not a decimal integer string: ${JSON.stringify(s)}`);
    const v = BigInt(s);
    if (v >= BN254_R) throw new ProofFormatError(`public signal ${i} is not below the field order r`);
    return v;
  });
}

/** What ArenaEscrow.submitProof takes (besides the challenge id), in its argument names. */
export interface EscrowSubmission extends ProofCalldata {
  correct: number;
  /** Set when the task names a batch: its index, commitment and Merkle proof ([] when B = 1). */
  batchIndex?: number;
  batchCommitment?: bigint;
  merkleProof?: readonly Hex[];
}

/**
 * The arguments of ArenaEscrow.submitProof for a submission, in ABI order: the 5-argument form
 * `(id, pA, pB, pC, correct)` for an unbatched proof, the 8-argument form
 * `(id, batchIndex, batchCommitment, merkleProof, pA, pB, pC, correct)` when the proof names a batch.
 */
export function submitProofArgs(
  challengeId: bigint,
  s: EscrowSubmission,
):
  | readonly [bigint, ProofCalldata["pA"], ProofCalldata["pB"], ProofCalldata["pC"], number]
  | readonly [
      bigint,
      bigint,
      bigint,
      readonly Hex[],
      ProofCalldata["pA"],
      ProofCalldata["pB"],
      ProofCalldata["pC"],
      number,
    ] {
  if (s.batchIndex === undefined || s.batchCommitment === undefined || s.merkleProof === undefined)
    return [challengeId, s.pA, s.pB, s.pC, s.correct] as const;
  return [
    challengeId,
    BigInt(s.batchIndex),
    s.batchCommitment,
    s.merkleProof,
    s.pA,
    s.pB,
    s.pC,
    s.correct,
  ] as const;
}
