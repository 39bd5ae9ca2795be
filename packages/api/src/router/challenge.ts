// Challenges as stored off-chain (metadata + the indexed mirror of the escrow): public reads, and
// drafts that their organiser creates and edits until the commit deadline.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ChallengeState, ModelFamily, Prisma, type Challenge } from "@zkarena/db";
import { log } from "../log.ts";
import { address, uint256String } from "../schemas.ts";
import { requireOrganiser } from "../services/authz.ts";
import { challengeTimeline, potOf } from "../services/challenge-chain.ts";
import { metadataHash, onchainCreateArgs } from "../services/onchain-args.ts";
import { protectedProcedure, publicProcedure, writeLimit } from "../trpc.ts";
import { MLP_SHAPES } from "../zk.ts";

export const challengeListInput = z
  .object({
    state: z
      .enum(ChallengeState, { error: `state must be one of ${Object.values(ChallengeState).join(", ")}` })
      .optional(),
    search: z.string().trim().max(100, { error: "search must be at most 100 characters" }).optional(),
    /** Prize token: an ERC-20 address, or "ETH". */
    token: z
      .union([z.literal("ETH"), address], { error: 'token must be "ETH" or a 0x-prefixed 20-byte address' })
      .optional(),
    family: z
      .enum(ModelFamily, { error: `family must be one of ${Object.values(ModelFamily).join(", ")}` })
      .optional(),
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

export const challengeIdInput = z.strictObject({
  id: z.uuid({ error: "id must be a challenge id (a UUID)" }),
});

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
    metadataHash: c.metadataHash,
    createTxHash: c.createTxHash,
    revealTxHash: c.revealTxHash,
    revealUri: c.revealUri,
    revealedAt: c.revealedAt,
    createdAt: c.createdAt,
  };
}

/** The detail plus what the chain says: the indexed timeline (with tx hashes) and the pot. */
async function withChainView(
  ctx: Parameters<typeof potOf>[0] & Parameters<typeof challengeTimeline>[0],
  row: Challenge,
) {
  const [timeline, pot] = await Promise.all([challengeTimeline(ctx, row), potOf(ctx, row)]);
  return { ...toDetail(row), timeline, pot };
}

export type ChallengeSummary = ReturnType<typeof toSummary>;
export type ChallengeDetail = ReturnType<typeof toDetail>;

const title = z
  .string()
  .trim()
  .min(1, { error: "title is required" })
  .max(120, { error: "title must be at most 120 characters" });
const summary = z.string().trim().max(280, { error: "summary must be at most 280 characters" });
const description = z.string().max(20_000, { error: "description must be at most 20000 characters" });
const tags = z
  .array(
    z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: "tags may contain only a-z, 0-9 and single dashes" })
      .max(32, { error: "a tag has at most 32 characters" }),
  )
  .max(10, { error: "at most 10 tags" });

const MAX_HORIZON_MS = 2 * 365 * 24 * 3600 * 1000;

export const createDraftInput = z
  .strictObject({
    slug: challengeSlugInput.shape.slug,
    title,
    summary,
    description,
    task: z
      .string()
      .trim()
      .min(1, { error: "task is required" })
      .max(500, { error: "task must be at most 500 characters" }),
    tags: tags.default([]),
    circuitId: z.enum(
      Object.values(MLP_SHAPES).map((s) => s.id),
      {
        error: `circuitId must be a registered circuit: ${Object.values(MLP_SHAPES)
          .map((s) => s.id)
          .join(", ")}`,
      },
    ),
    commitDeadline: z.date({ error: "commitDeadline must be a date" }),
    revealDeadline: z.date({ error: "revealDeadline must be a date" }),
    proveDeadline: z.date({ error: "proveDeadline must be a date" }),
    payoutSharesBps: z
      .array(z.number().int().min(1, { error: "each share is at least 1 bp" }).max(10_000))
      .min(1, { error: "at least one payout share" })
      .max(10, { error: "at most 10 payout shares" })
      .refine((a) => a.reduce((x, y) => x + y, 0) === 10_000, {
        error: "payout shares must add up to 10000 bp",
      })
      .refine((a) => a.every((v, i) => i === 0 || v <= (a[i - 1] as number)), {
        error: "payout shares must not increase from one rank to the next (the escrow refuses it)",
      }),
    minCorrect: z
      .number()
      .int()
      .min(1, { error: "minCorrect must be at least 1 (the escrow refuses 0)" })
      .max(1_000_000),
    organiserBond: uint256String.default(0n),
    /** ERC-20 token, or null for ETH. */
    tokenAddress: address.nullable().default(null),
    tokenSymbol: z
      .string()
      .regex(/^[A-Za-z0-9]{1,16}$/, { error: "tokenSymbol is 1-16 letters or digits" })
      .default("ETH"),
    tokenDecimals: z.number().int().min(0).max(36).default(18),
  })
  .refine((c) => c.commitDeadline < c.revealDeadline && c.revealDeadline < c.proveDeadline, {
    error: "deadlines must be in order: commitDeadline < revealDeadline < proveDeadline",
    path: ["revealDeadline"],
  })
  .refine((c) => c.proveDeadline.getTime() - Date.now() < MAX_HORIZON_MS, {
    error: "proveDeadline must be within two years",
    path: ["proveDeadline"],
  });

export const updateInput = z
  .strictObject({
    id: z.uuid({ error: "id must be a challenge id (a UUID)" }),
    title: title.optional(),
    summary: summary.optional(),
    description: description.optional(),
    tags: tags.optional(),
  })
  .refine((u) => Object.keys(u).length > 1, {
    error: "nothing to update: give title, summary, description or tags",
  });

export const challengeRouter = {
  /** Challenges by commit deadline (soonest first), optionally filtered; cursor-paginated. */
  list: publicProcedure.input(challengeListInput).query(async ({ ctx, input }) => {
    const where: Prisma.ChallengeWhereInput = {};
    if (input.state) where.state = input.state;
    if (input.token) where.tokenAddress = input.token === "ETH" ? null : input.token;
    if (input.family) where.modelFamily = input.family;
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
    return withChainView(ctx, row);
  }),

  /** One challenge by its id, with its on-chain timeline and pot. */
  byId: publicProcedure.input(challengeIdInput).query(async ({ ctx, input }) => {
    const row = await ctx.db.db.challenge.findUnique({ where: { id: input.id } });
    if (!row) {
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `No challenge with the id ${input.id}. Check the id (challenge.list shows them).`,
      });
    }
    return withChainView(ctx, row);
  }),

  /**
   * The arguments and calldata of the escrow's `createChallenge` for this draft (organiser only): ready
   * once the hidden split is uploaded (its commitment and batch count go on-chain).
   */
  onchainArgs: protectedProcedure.input(challengeIdInput).query(async ({ ctx, input }) => {
    const challenge = await requireOrganiser(ctx.db.db, ctx.session, input.id);
    return onchainCreateArgs(ctx, challenge);
  }),

  /** A new draft organised by the signed-in wallet (off-chain until its on-chain create is indexed). */
  createDraft: protectedProcedure
    .input(createDraftInput)
    .use(writeLimit)
    .mutation(async ({ ctx, input }) => {
      if (input.commitDeadline <= new Date()) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "commitDeadline must be in the future." });
      }
      try {
        const id = crypto.randomUUID();
        const row = await ctx.db.db.challenge.create({
          data: {
            id,
            metadataHash: metadataHash({
              id,
              slug: input.slug,
              organiser: ctx.session.address,
              chainId: ctx.env.CHAIN_ID,
              circuitId: input.circuitId,
              task: input.task,
            }),
            slug: input.slug,
            title: input.title,
            summary: input.summary,
            description: input.description,
            task: input.task,
            tags: input.tags,
            modelFamily: "MLP",
            circuitId: input.circuitId,
            state: "DRAFT",
            organiserAddress: ctx.session.address,
            chainId: ctx.env.CHAIN_ID,
            tokenAddress: input.tokenAddress,
            tokenSymbol: input.tokenSymbol,
            tokenDecimals: input.tokenDecimals,
            commitDeadline: input.commitDeadline,
            revealDeadline: input.revealDeadline,
            proveDeadline: input.proveDeadline,
            payoutSharesBps: input.payoutSharesBps,
            minCorrect: input.minCorrect,
            organiserBond: input.organiserBond.toString(),
          },
        });
        log.info("challenge.draft_created", { challenge: row.id, organiser: ctx.session.address });
        return { ...toDetail(row), onchain: await onchainCreateArgs(ctx, row) };
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          throw new TRPCError({
            code: "CONFLICT",
            message: `The slug "${input.slug}" is taken; choose another.`,
          });
        }
        throw error;
      }
    }),

  /** Edits a challenge's text and tags; its organiser only, until the commit deadline. */
  update: protectedProcedure
    .input(updateInput)
    .use(writeLimit)
    .mutation(async ({ ctx, input }) => {
      const challenge = await requireOrganiser(ctx.db.db, ctx.session, input.id);
      const { id, ...changes } = input;
      const updated = await ctx.db.db.challenge.updateMany({
        where: { id, organiserAddress: challenge.organiserAddress, commitDeadline: { gt: new Date() } },
        data: changes,
      });
      if (updated.count !== 1) {
        throw new TRPCError({
          code: "CONFLICT",
          message: "The commit deadline has passed: the challenge's description can no longer change.",
        });
      }
      return toDetail(await ctx.db.db.challenge.findUniqueOrThrow({ where: { id } }));
    }),
} satisfies TRPCRouterRecord;
