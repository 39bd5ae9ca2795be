// Leaderboards and competitor profiles. Ranking everywhere: correct desc, commit time asc, address asc
// (the escrow's order). PUBLIC split: live from server-verified proofs. HIDDEN split: the escrow's
// leaderboard view (the indexed ProofAccepted rows only when the chain cannot be read, labelled).
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { type Prisma } from "@zkarena/db";
import { address } from "../schemas.ts";
import { requireEscrow } from "../services/escrow.ts";
import {
  hiddenLeaderboardFromChain,
  hiddenLeaderboardFromIndex,
  publicLeaderboard,
} from "../services/leaderboard.ts";
import { publicProcedure } from "../trpc.ts";

const challengeId = z.uuid({ error: "challengeId must be a challenge id (a UUID)" });

const publicInput = z.strictObject({
  challengeId,
  limit: z
    .number()
    .int()
    .min(1, { error: "limit must be between 1 and 100" })
    .max(100, { error: "limit must be between 1 and 100" })
    .default(50),
  offset: z
    .number()
    .int()
    .min(0, { error: "offset must be between 0 and 10000" })
    .max(10_000, { error: "offset must be between 0 and 10000" })
    .default(0),
});

async function challengeOr404(db: Prisma.TransactionClient, id: string) {
  const c = await db.challenge.findUnique({ where: { id } });
  if (!c) throw new TRPCError({ code: "NOT_FOUND", message: `No challenge with the id ${id}.` });
  return c;
}

export const leaderboardRouter = {
  /** Live public-split leaderboard (VERIFIED proofs of each competitor's current commitment). */
  public: publicProcedure.input(publicInput).query(async ({ ctx, input }) => {
    await challengeOr404(ctx.db.db, input.challengeId);
    const board = await publicLeaderboard(ctx.db.db, input.challengeId, input.limit, input.offset);
    return {
      challengeId: input.challengeId,
      split: "PUBLIC" as const,
      source: "verified-proofs" as const,
      ...board,
    };
  }),

  /**
   * Hidden-split leaderboard (what pays): the escrow's top K at one block. With `allowIndexed`, an
   * unreadable chain falls back to the indexed rows (source "indexed"); otherwise SERVICE_UNAVAILABLE.
   */
  hidden: publicProcedure
    .input(z.strictObject({ challengeId, allowIndexed: z.boolean().default(false) }))
    .query(async ({ ctx, input }) => {
      const c = await challengeOr404(ctx.db.db, input.challengeId);
      if (c.onchainId === null)
        return {
          challengeId: c.id,
          split: "HIDDEN" as const,
          source: "not-onchain" as const,
          blockNumber: null,
          final: false,
          rows: [],
        };
      try {
        const escrow = await requireEscrow(ctx.escrow);
        return {
          challengeId: c.id,
          split: "HIDDEN" as const,
          ...(await hiddenLeaderboardFromChain(escrow, c)),
        };
      } catch (error) {
        if (!input.allowIndexed || !(error instanceof TRPCError) || error.code !== "SERVICE_UNAVAILABLE")
          throw error;
        return {
          challengeId: c.id,
          split: "HIDDEN" as const,
          ...(await hiddenLeaderboardFromIndex(ctx.db.db, c)),
        };
      }
    }),

  /**
   * A competitor's profile: challenges entered, wins and earnings. Wins and earnings come from the
   * indexed payouts (PrizeClaimed), per token; they describe history, they are not a claim. Only
   * payouts at or below the indexer's final block count (threat I1: a reorg can still remove the
   * others); those are listed with `final: false` and counted in `pendingPrizes`.
   */
  competitor: publicProcedure.input(z.strictObject({ address })).query(async ({ ctx, input }) => {
    const db = ctx.db.db;
    const who = input.address;
    const [account, commitments, publicProofs, payouts, cursors] = await Promise.all([
      db.account.findUnique({
        where: { address: who },
        select: { displayName: true, bio: true, createdAt: true },
      }),
      db.modelCommitment.findMany({
        where: { competitorAddress: who },
        orderBy: { committedAt: "desc" },
        take: 100,
        include: { challenge: { select: { id: true, slug: true, title: true, state: true } } },
      }),
      db.proof.groupBy({
        by: ["challengeId", "status"],
        where: { competitorAddress: who, split: "PUBLIC" },
        _count: { _all: true },
        _max: { correct: true },
      }),
      db.payout.findMany({
        where: { recipientAddress: who, kind: "PRIZE" },
        include: {
          challenge: {
            select: {
              id: true,
              slug: true,
              title: true,
              tokenAddress: true,
              tokenSymbol: true,
              tokenDecimals: true,
              escrowAddress: true,
            },
          },
        },
        orderBy: { blockNumber: "desc" },
        take: 500,
      }),
      db.indexerCursor.findMany({ select: { chainId: true, address: true, finalizedBlockNumber: true } }),
    ]);
    const finalizedAt = new Map(
      cursors.map((c) => [`${c.chainId}:${c.address.toLowerCase()}`, c.finalizedBlockNumber]),
    );
    const isFinal = (p: (typeof payouts)[number]) => {
      const escrow = p.challenge.escrowAddress?.toLowerCase();
      const finalized = escrow ? finalizedAt.get(`${p.chainId}:${escrow}`) : undefined;
      return finalized !== undefined && finalized !== null && p.blockNumber <= finalized;
    };
    const finalPayouts = payouts.filter(isFinal);
    const earnings = new Map<
      string,
      { token: string | null; symbol: string; decimals: number; amount: bigint }
    >();
    for (const p of finalPayouts) {
      const key = p.challenge.tokenAddress ?? "ETH";
      const e = earnings.get(key) ?? {
        token: p.challenge.tokenAddress,
        symbol: p.challenge.tokenSymbol,
        decimals: p.challenge.tokenDecimals,
        amount: 0n,
      };
      e.amount += BigInt(p.amount.toFixed(0));
      earnings.set(key, e);
    }
    return {
      address: who,
      displayName: account?.displayName ?? null,
      bio: account?.bio ?? null,
      challenges: commitments.map((m) => {
        const proofs = publicProofs.filter((p) => p.challengeId === m.challengeId);
        return {
          challengeId: m.challenge.id,
          slug: m.challenge.slug,
          title: m.challenge.title,
          state: m.challenge.state,
          committedAt: m.committedAt,
          publicProofs: proofs.reduce((n, p) => n + p._count._all, 0),
          bestPublicCorrect: proofs
            .filter((p) => p.status === "VERIFIED")
            .reduce<number | null>((b, p) => Math.max(b ?? 0, p._max.correct ?? 0), null),
        };
      }),
      wins: finalPayouts.filter((p) => p.rank === 0).length,
      podiums: finalPayouts.length,
      pendingPrizes: payouts.length - finalPayouts.length,
      prizes: payouts.map((p) => ({
        challengeId: p.challenge.id,
        slug: p.challenge.slug,
        title: p.challenge.title,
        rank: p.rank === null ? null : p.rank + 1,
        amount: p.amount.toFixed(0),
        token: p.challenge.tokenAddress,
        symbol: p.challenge.tokenSymbol,
        txHash: p.txHash,
        final: isFinal(p),
      })),
      earnings: [...earnings.values()].map((e) => ({ ...e, amount: e.amount.toString() })),
      earningsSource: "indexed" as const,
    };
  }),
} satisfies TRPCRouterRecord;
