// The public (validation) split as proof targets, on the browser side. Batch i is rows [from, to) of
// the published split, committed with the public test salt 0 (submission.publicBatches says so), so
// anyone recomputes its commitment; a competitor's public score counts only their VERIFIED proofs of
// their current model commitment (packages/api services/leaderboard.ts ranks them).
import type { IntModel, MlpProofRequest, MlpShape } from "@zkarena/zk";

/** One row of submission.publicBatches. */
export interface PublicBatchTarget {
  index: number;
  from: number;
  to: number;
  commitment: string;
}

/** The proof request for one public batch: its rows of the split, the public salt, the committed model. */
export function publicProofRequest(
  shape: MlpShape,
  rows: readonly number[][],
  target: PublicBatchTarget,
  testSalt: string,
  competitor: { model: IntModel; modelSalt: bigint; challengeId: bigint; submitter: bigint },
): MlpProofRequest {
  const batch = rows.slice(target.from, target.to);
  if (batch.length !== target.to - target.from)
    throw new Error(
      `The public split has ${rows.length} rows, fewer than batch ${target.index} needs (rows ${target.from}-${target.to - 1}): reload the page.`,
    );
  return {
    ...competitor,
    samples: batch.map((r) => ({ x: r.slice(0, shape.D).map(BigInt), label: BigInt(r[shape.D] ?? 0) })),
    testSalt: BigInt(testSalt),
  };
}
