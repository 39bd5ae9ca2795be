// The public (validation) split as proof targets. It is published at creation, so it needs no secret
// salt: batch i is samples [i·N, (i+1)·N) of the stored split (N = the circuit's batch size; a last
// partial batch cannot be proven and is ignored), and its commitment is the circuit's test commitment
// of those samples under the public salt PUBLIC_SPLIT_SALT = 0:
//   Poseidon chain over the packed samples, exactly `@zkarena/zk` testCommitment(shape, batch, 0n).
// A PUBLIC-split proof's testCommitment signal must equal the commitment of the batch it names.
import type { Challenge, Db } from "@zkarena/db";
import { testCommitment, type Sample } from "@zkarena/zk";
import { SAMPLES_FORMAT, shapeOf } from "./datasets.ts";

export const PUBLIC_SPLIT_SALT = 0n;

export interface PublicBatch {
  index: number;
  /** Rows [from, to) of the public split. */
  from: number;
  to: number;
  commitment: bigint;
}

const cache = new Map<string, Promise<PublicBatch[]>>();
const MAX_CACHED = 256;

async function compute(circuitId: string, content: Uint8Array): Promise<PublicBatch[]> {
  const shape = shapeOf(circuitId);
  const doc = JSON.parse(Buffer.from(content).toString("utf8")) as { format?: string; samples?: number[][] };
  if (doc.format !== SAMPLES_FORMAT || !Array.isArray(doc.samples)) return [];
  const rows = doc.samples;
  const out: PublicBatch[] = [];
  for (let i = 0; (i + 1) * shape.N <= rows.length; i++) {
    const samples: Sample[] = rows.slice(i * shape.N, (i + 1) * shape.N).map((row) => ({
      x: row.slice(0, shape.D).map(BigInt),
      label: BigInt(row[shape.D] as number),
    }));
    out.push({
      index: i,
      from: i * shape.N,
      to: (i + 1) * shape.N,
      commitment: await testCommitment(shape, samples, PUBLIC_SPLIT_SALT),
    });
  }
  return out;
}

/** The public split's batches and commitments, or null when the challenge has no public split. */
export async function publicBatches(
  db: Db,
  challenge: Pick<Challenge, "id" | "circuitId">,
): Promise<PublicBatch[] | null> {
  const split = await db.datasetSplit.findUnique({
    where: { challengeId_kind: { challengeId: challenge.id, kind: "PUBLIC" } },
    select: { id: true, sha256: true },
  });
  if (!split) return null;
  const key = `${split.id}:${split.sha256}:${challenge.circuitId}`;
  let batches = cache.get(key);
  if (!batches) {
    const row = await db.datasetSplit.findUniqueOrThrow({
      where: { id: split.id },
      select: { content: true },
    });
    batches = compute(challenge.circuitId, row.content ?? new Uint8Array());
    batches.catch(() => cache.delete(key));
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, batches);
  }
  return batches;
}

export async function publicBatchCommitments(
  db: Db,
  challenge: Pick<Challenge, "id" | "circuitId">,
): Promise<bigint[] | null> {
  const batches = await publicBatches(db, challenge);
  return batches ? batches.map((b) => b.commitment) : null;
}
