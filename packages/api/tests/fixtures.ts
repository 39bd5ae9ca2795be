// Fixtures for the routers and jobs: an on-chain-looking challenge with a public split, indexed model
// commitments, and real Groth16 proofs of the CI circuit (mlp-d4-h3-c3-n4) on its public batches.
import type { TestDb } from "@zkarena/db/testing";
import { createNodeProver } from "@zkarena/zk/node";
import { modelCommitment, type IntModel, type Sample } from "@zkarena/zk";
import { randomModel, randomSamples, CI_SHAPE } from "../../zk/tests/helpers.ts";
import { buildCircuit } from "../../../circuits/scripts/lib.mjs";
import { uploadPublicSplit } from "../src/services/datasets.ts";

export const CI_CIRCUIT = "mlp-d4-h3-c3-n4";
export { CI_SHAPE };

const day = 86_400_000;
let counter = 0;

export async function ensureCiCircuit(): Promise<void> {
  await buildCircuit(CI_CIRCUIT, { log: () => {} });
}

export interface SeededChallenge {
  id: string;
  slug: string;
  onchainId: bigint;
  publicSamples: Sample[];
  publicRows: number[][];
}

/** A challenge as the indexer leaves it after ChallengeCreated, with a public split of `batches` batches. */
export async function seedOnchainChallenge(
  db: TestDb,
  organiser: string,
  opts: { onchainId?: bigint; batches?: number; seed?: number; escrow?: string; metadataHash?: string } = {},
): Promise<SeededChallenge> {
  counter += 1;
  const onchainId = opts.onchainId ?? BigInt(1000 + counter);
  await db.db.account.upsert({ where: { address: organiser }, create: { address: organiser }, update: {} });
  const slug = `seeded-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const challenge = await db.db.challenge.create({
    data: {
      slug,
      title: `Seeded ${counter}`,
      summary: "s",
      description: "d",
      task: "t",
      modelFamily: "MLP",
      circuitId: CI_CIRCUIT,
      state: "OPEN",
      organiserAddress: organiser,
      chainId: 31337,
      escrowAddress: opts.escrow ?? "0x00000000000000000000000000000000000e5c40",
      onchainId: onchainId.toString(),
      metadataHash: opts.metadataHash ?? null,
      commitDeadline: new Date(Date.now() + day),
      revealDeadline: new Date(Date.now() + 2 * day),
      proveDeadline: new Date(Date.now() + 3 * day),
      payoutSharesBps: [6000, 4000],
      minCorrect: 1,
    },
  });
  const labeller = randomModel(CI_SHAPE, 900 + (opts.seed ?? counter));
  const publicSamples = randomSamples(
    labeller,
    CI_SHAPE.N * (opts.batches ?? 1),
    77 + (opts.seed ?? counter),
  );
  const publicRows = publicSamples.map((s) => [...s.x.map(Number), Number(s.label)]);
  await uploadPublicSplit(db.db, { challenge, kind: "PUBLIC", fileName: "public.json", samples: publicRows });
  return { id: challenge.id, slug, onchainId, publicSamples, publicRows };
}

/** The indexed ModelCommitment of `competitor` (as after ModelCommitted). */
export async function seedCommitment(
  db: TestDb,
  challengeId: string,
  competitor: string,
  commitment: bigint,
  committedAt = new Date(),
): Promise<void> {
  await db.db.account.upsert({ where: { address: competitor }, create: { address: competitor }, update: {} });
  await db.db.modelCommitment.upsert({
    where: { challengeId_competitorAddress: { challengeId, competitorAddress: competitor } },
    create: {
      challengeId,
      competitorAddress: competitor,
      commitment: commitment.toString(),
      committedAt,
      chainId: 31337,
      txHash: `0x${(counter++).toString(16).padStart(64, "0")}`,
      blockNumber: 1n,
      logIndex: 0,
    },
    update: { commitment: commitment.toString(), committedAt },
  });
}

export interface Competitor {
  model: IntModel;
  salt: bigint;
  commitment: bigint;
}

export async function competitorModel(seed: number): Promise<Competitor> {
  const model = randomModel(CI_SHAPE, seed);
  const salt = 0xabcdefn * BigInt(seed);
  return { model, salt, commitment: await modelCommitment(model, salt) };
}

const prover = createNodeProver({ singleThread: true });

/** A real proof of `who`'s model on public batch `batch` (test salt 0, as the server expects). */
export async function provePublic(challenge: SeededChallenge, who: Competitor, submitter: string, batch = 0) {
  const samples = challenge.publicSamples.slice(batch * CI_SHAPE.N, (batch + 1) * CI_SHAPE.N);
  const result = await prover.prove({
    circuitId: CI_CIRCUIT,
    request: {
      model: who.model,
      samples,
      modelSalt: who.salt,
      testSalt: 0n,
      challengeId: challenge.onchainId,
      submitter: BigInt(submitter),
    },
  });
  return { proof: result.proof, publicSignals: result.publicSignals };
}
