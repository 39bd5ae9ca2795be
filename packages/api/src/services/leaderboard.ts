// Leaderboards, ranked exactly as the escrow ranks (correct desc, then commit time asc, then address
// asc — the address compared as a number, which for lower-case 0x-hex of equal length is byte order,
// hence COLLATE "C").
//
// PUBLIC split: live from server-VERIFIED proofs. A competitor's score is the sum over the public
// split's batches of their best verified `correct` for that batch, counting only proofs of their
// current model commitment (a re-commit starts from zero, as on-chain). Ties use the indexed commit
// time of that commitment.
// HIDDEN split: the escrow's `leaderboard(id)` view (top K, final once proveDeadline has passed); the
// indexed ProofAccepted rows only when the chain cannot be read, and then labelled as such.
import { Prisma, type Challenge, type Db } from "@zkarena/db";
import { arenaEscrowAbi } from "@zkarena/chain";
import { atBlock, readChallenge, type EscrowReader } from "./escrow.ts";

export interface LeaderboardRow {
  rank: number;
  competitor: string;
  correct: number;
  /** Samples proved (PUBLIC); null for the hidden split's chain rows. */
  total: number | null;
  committedAt: Date;
  /** PUBLIC: how many public batches the score covers. */
  batches: number | null;
}

/** A proof a public-leaderboard row counts: the best verified one per batch (earliest on a tie). */
export interface CountedProof {
  id: string;
  batchIndex: number;
  correct: number;
  total: number;
  createdAt: Date;
}

export interface PublicLeaderboardRow extends LeaderboardRow {
  /** The proofs the score sums, by batch (anyone can download and re-verify them). */
  proofs: CountedProof[];
  /** When the newest counted proof was submitted. */
  submittedAt: Date | null;
}

export interface PublicLeaderboard {
  rows: PublicLeaderboardRow[];
  /** Competitors with at least one verified proof of their current commitment. */
  competitors: number;
}

interface RawRow {
  competitor: string;
  correct: bigint | number;
  total: bigint | number;
  batches: bigint | number;
  committedAt: Date;
  competitors: bigint | number;
}

/** The proofs a public score may count: VERIFIED, PUBLIC, of the competitor's current commitment. */
const countedProofs = (challengeId: string) => Prisma.sql`"Proof" p
  JOIN "ModelCommitment" m
    ON m."challengeId" = p."challengeId"
   AND m."competitorAddress" = p."competitorAddress"
   AND m.commitment = p."modelCommitment"
  WHERE p."challengeId" = ${challengeId}::uuid AND p.split = 'PUBLIC' AND p.status = 'VERIFIED'`;

export async function publicLeaderboard(
  db: Db,
  challengeId: string,
  limit: number,
  offset = 0,
): Promise<PublicLeaderboard> {
  const rows = await db.$queryRaw<RawRow[]>(Prisma.sql`
    WITH best AS (
      SELECT p."competitorAddress" AS competitor, p."batchIndex", max(p.correct) AS correct, max(p.total) AS total
      FROM ${countedProofs(challengeId)}
      GROUP BY p."competitorAddress", p."batchIndex"
    )
    SELECT b.competitor, sum(b.correct)::int AS correct, sum(b.total)::int AS total,
           count(*)::int AS batches, m."committedAt", count(*) OVER ()::int AS competitors
    FROM best b
    JOIN "ModelCommitment" m ON m."challengeId" = ${challengeId}::uuid AND m."competitorAddress" = b.competitor
    GROUP BY b.competitor, m."committedAt"
    ORDER BY correct DESC, m."committedAt" ASC, b.competitor COLLATE "C" ASC
    LIMIT ${limit} OFFSET ${offset}`);
  // The proofs behind the page's rows, in one query (no call per competitor).
  const counted =
    rows.length === 0
      ? []
      : await db.$queryRaw<(CountedProof & { competitor: string })[]>(Prisma.sql`
    SELECT DISTINCT ON (p."competitorAddress", p."batchIndex")
           p.id, p."competitorAddress" AS competitor, p."batchIndex", p.correct, p.total, p."createdAt"
    FROM ${countedProofs(challengeId)}
      AND p."competitorAddress" IN (${Prisma.join(rows.map((r) => r.competitor))})
    ORDER BY p."competitorAddress", p."batchIndex", p.correct DESC, p."createdAt" ASC, p.id ASC`);
  const proofsOf = new Map<string, CountedProof[]>();
  for (const { competitor, ...proof } of counted) {
    const list = proofsOf.get(competitor) ?? [];
    list.push({
      ...proof,
      batchIndex: Number(proof.batchIndex),
      correct: Number(proof.correct),
      total: Number(proof.total),
    });
    proofsOf.set(competitor, list);
  }
  return {
    rows: rows.map((r, i) => {
      const proofs = proofsOf.get(r.competitor) ?? [];
      const newest = proofs.reduce<Date | null>((t, p) => (t && t >= p.createdAt ? t : p.createdAt), null);
      return {
        rank: offset + i + 1,
        competitor: r.competitor,
        correct: Number(r.correct),
        total: Number(r.total),
        committedAt: r.committedAt,
        batches: Number(r.batches),
        proofs,
        submittedAt: newest,
      };
    }),
    competitors: Number(rows[0]?.competitors ?? 0),
  };
}

export interface HiddenLeaderboard {
  rows: LeaderboardRow[];
  source: "chain" | "indexed";
  /** Block of the chain read (source "chain"). */
  blockNumber: string | null;
  /** True once proveDeadline has passed on-chain time: the ranking pays out. */
  final: boolean;
}

/** The escrow's top-K leaderboard at one block. */
export async function hiddenLeaderboardFromChain(
  escrow: EscrowReader,
  challenge: Pick<Challenge, "onchainId" | "slug" | "metadataHash">,
): Promise<HiddenLeaderboard> {
  const { blockNumber, value } = await atBlock(escrow, async (blockNumber) => {
    const onchain = await readChallenge(escrow, challenge, blockNumber);
    const [entries, block] = await Promise.all([
      escrow.client.readContract({
        address: escrow.address,
        abi: arenaEscrowAbi,
        functionName: "leaderboard",
        args: [onchain.id],
        blockNumber,
      }),
      escrow.client.getBlock({ blockNumber }),
    ]);
    return { entries, final: block.timestamp >= onchain.proveDeadline && onchain.revealedAt > 0n };
  });
  return {
    rows: value.entries.map((e, i) => ({
      rank: i + 1,
      competitor: e.competitor.toLowerCase(),
      correct: e.correct,
      total: null,
      committedAt: new Date(Number(e.committedAt) * 1000),
      batches: null,
    })),
    source: "chain",
    blockNumber: blockNumber.toString(),
    final: value.final,
  };
}

/** From the indexed ProofAccepted rows (Proof split HIDDEN, status ACCEPTED): a fallback only. */
export async function hiddenLeaderboardFromIndex(
  db: Db,
  challenge: Pick<Challenge, "id" | "minCorrect" | "payoutSharesBps" | "proveDeadline">,
): Promise<HiddenLeaderboard> {
  const rows = await db.$queryRaw<Omit<RawRow, "total" | "batches" | "competitors">[]>(Prisma.sql`
    SELECT p."competitorAddress" AS competitor, sum(p.correct)::int AS correct, m."committedAt"
    FROM "Proof" p
    JOIN "ModelCommitment" m ON m."challengeId" = p."challengeId" AND m."competitorAddress" = p."competitorAddress"
    WHERE p."challengeId" = ${challenge.id}::uuid AND p.split = 'HIDDEN' AND p.status = 'ACCEPTED'
    GROUP BY p."competitorAddress", m."committedAt"
    HAVING sum(p.correct) >= ${challenge.minCorrect}
    ORDER BY correct DESC, m."committedAt" ASC, p."competitorAddress" COLLATE "C" ASC
    LIMIT ${Math.max(1, challenge.payoutSharesBps.length)}`);
  return {
    rows: rows.map((r, i) => ({
      rank: i + 1,
      competitor: r.competitor,
      correct: Number(r.correct),
      total: null,
      committedAt: r.committedAt,
      batches: null,
    })),
    source: "indexed",
    blockNumber: null,
    final: challenge.proveDeadline <= new Date(),
  };
}
