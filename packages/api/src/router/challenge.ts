// Challenges as stored off-chain (metadata + the indexed mirror of the escrow). Read-only for now.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ChallengeState, type Challenge, type Prisma } from "@zkarena/db";
import { publicProcedure } from "../trpc.ts";

export const challengeListInput = z
  .object({
    state: z
      .enum(ChallengeState, { error: `state must be one of ${Object.values(ChallengeState).join(", ")}` })
      .optional(),
    search: z.string().trim().max(100, { error: "search must be at most 100 characters" }).optional(),
    /** The `nextCursor` of the previous page. */
    cursor: z.uuid({ error: "cursor must be the nextCursor of a previous page" }).optional(),
    limit: z
      .number()
      .int()
      .min(1, { error: "limit must be between 1 and 50" })
      .max(50, { error: "limit must be between 1 and 50" })
      .default(20),
  })
  .default({ limit: 20 });

export const challengeSlugInput = z.object({
  slug: z
    .string()
    .trim()
    .min(1, { error: "slug is required" })
    .max(80, { error: "slug must be at most 80 characters" })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: "slug may contain only a-z, 0-9 and single dashes" }),
});

/** Token amounts and uint256 values leave the API as exact decimal strings (never floats). */
function decimalString(value: Prisma.Decimal | null): string | null {
  return value === null ? null : value.toFixed(0);
}

function toSummary(c: Challenge) {
  return {
    id: c.id,
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    tags: c.tags,
    state: c.state,
    modelFamily: c.modelFamily,
    circuitId: c.circuitId,
    chainId: c.chainId,
    tokenSymbol: c.tokenSymbol,
    tokenDecimals: c.tokenDecimals,
    potCached: decimalString(c.potCached),
    commitDeadline: c.commitDeadline,
    revealDeadline: c.revealDeadline,
    proveDeadline: c.proveDeadline,
  };
}

function toDetail(c: Challenge) {
  return {
    ...toSummary(c),
    description: c.description,
    task: c.task,
    organiserAddress: c.organiserAddress,
    escrowAddress: c.escrowAddress,
    onchainId: decimalString(c.onchainId),
    tokenAddress: c.tokenAddress,
    payoutSharesBps: c.payoutSharesBps,
    minCorrect: c.minCorrect,
    organiserBond: decimalString(c.organiserBond),
    testCommitment: c.testCommitment,
    revealedAt: c.revealedAt,
    createdAt: c.createdAt,
  };
}

export type ChallengeSummary = ReturnType<typeof toSummary>;
export type ChallengeDetail = ReturnType<typeof toDetail>;

export const challengeRouter = {
  /** Challenges by commit deadline (soonest first), optionally filtered; cursor-paginated. */
  list: publicProcedure.input(challengeListInput).query(async ({ ctx, input }) => {
    const where: Prisma.ChallengeWhereInput = {};
    if (input.state) where.state = input.state;
    if (input.search) {
      const q = input.search;
      where.OR = [
        { title: { contains: q, mode: "insensitive" } },
        { summary: { contains: q, mode: "insensitive" } },
        { slug: { contains: q.toLowerCase() } },
        { tags: { has: q.toLowerCase() } },
      ];
    }
    const rows = await ctx.db.db.challenge.findMany({
      where,
      // id breaks ties so that pages never overlap or skip rows.
      orderBy: [{ commitDeadline: "asc" }, { id: "asc" }],
      take: input.limit + 1,
      ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    });
    const hasMore = rows.length > input.limit;
    const items = (hasMore ? rows.slice(0, input.limit) : rows).map(toSummary);
    return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
  }),

  /** One challenge by its URL slug. */
  bySlug: publicProcedure.input(challengeSlugInput).query(async ({ ctx, input }) => {
    const row = await ctx.db.db.challenge.findUnique({ where: { slug: input.slug } });
    if (!row) {
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `No challenge with the slug "${input.slug}". Check the link, or browse the list of challenges.`,
      });
    }
    return toDetail(row);
  }),
} satisfies TRPCRouterRecord;
