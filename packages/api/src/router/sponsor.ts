// Sponsors: who funded what, the pot and the refunds owed. Every amount is a view call on the escrow
// at one block (threat I3); the indexed Funding rows only say WHICH sponsors and challenges to ask
// about, and list the funding transactions (labelled as indexed).
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { arenaEscrowAbi } from "@zkarena/chain";
import type { Address } from "viem";
import { address } from "../schemas.ts";
import { atBlock, onchainIdOf, readChallenge, requireEscrow, type EscrowReader } from "../services/escrow.ts";
import { publicProcedure } from "../trpc.ts";

/** Sponsors per page: each costs view calls. */
const MAX_SPONSORS = 50;

const byChallengeInput = z.strictObject({
  challengeId: z.uuid({ error: "challengeId must be a challenge id (a UUID)" }),
  /** Sponsors to skip (the order is the first funding's block). */
  offset: z.number().int().min(0).max(100_000).default(0),
  limit: z
    .number()
    .int()
    .min(1, { error: "limit must be between 1 and 50" })
    .max(MAX_SPONSORS, { error: "limit must be between 1 and 50" })
    .default(20),
});

const bySponsorInput = z.strictObject({
  address,
  limit: z
    .number()
    .int()
    .min(1, { error: "limit must be between 1 and 50" })
    .max(MAX_SPONSORS, { error: "limit must be between 1 and 50" })
    .default(20),
});

/** A sponsor's deposit, what the escrow would pay them now, and whether they took their refund, at one block. */
function readSponsorPosition(escrow: EscrowReader, id: bigint, who: Address, blockNumber: bigint) {
  const at = { address: escrow.address, abi: arenaEscrowAbi, args: [id, who], blockNumber } as const;
  return Promise.all([
    escrow.client.readContract({ ...at, functionName: "depositOf" }),
    escrow.client.readContract({ ...at, functionName: "claimableOf" }),
    escrow.client.readContract({ ...at, functionName: "refundClaimed" }),
  ]);
}

const PHASES = ["Open", "AwaitingReveal", "Proving", "Settled", "RevealMissed"] as const;

export const sponsorRouter = {
  /** A challenge's pot and, per sponsor, the deposit and the refund owed now — from the escrow. */
  byChallenge: publicProcedure.input(byChallengeInput).query(async ({ ctx, input }) => {
    const db = ctx.db.db;
    const challenge = await db.challenge.findUnique({ where: { id: input.challengeId } });
    if (!challenge)
      throw new TRPCError({ code: "NOT_FOUND", message: `No challenge with the id ${input.challengeId}.` });
    const id = onchainIdOf(challenge);
    const sponsors = await db.funding.groupBy({
      by: ["sponsorAddress"],
      where: { challengeId: challenge.id },
      _min: { blockNumber: true },
      orderBy: [{ _min: { blockNumber: "asc" } }, { sponsorAddress: "asc" }],
      skip: input.offset,
      take: input.limit,
    });
    const fundings = await db.funding.findMany({
      where: { challengeId: challenge.id, sponsorAddress: { in: sponsors.map((s) => s.sponsorAddress) } },
      orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }],
      take: 500,
    });
    const escrow = await requireEscrow(ctx.escrow);
    const { blockNumber, value } = await atBlock(escrow, async (blockNumber) => {
      const onchain = await readChallenge(escrow, challenge, blockNumber);
      const phase = await escrow.client.readContract({
        address: escrow.address,
        abi: arenaEscrowAbi,
        functionName: "phaseOf",
        args: [id],
        blockNumber,
      });
      const rows = await Promise.all(
        sponsors.map(async (s) => {
          const who = s.sponsorAddress as Address;
          const [deposit, claimable, refunded] = await readSponsorPosition(escrow, id, who, blockNumber);
          return {
            sponsor: s.sponsorAddress,
            deposit: deposit.toString(),
            refundOwed: claimable[1].toString(),
            refundClaimed: refunded,
            fundings: fundings
              .filter((f) => f.sponsorAddress === s.sponsorAddress)
              .map((f) => ({
                txHash: f.txHash,
                logIndex: f.logIndex,
                blockNumber: f.blockNumber.toString(),
              })),
          };
        }),
      );
      return { onchain, phase, rows };
    });
    return {
      challengeId: challenge.id,
      onchainId: id.toString(),
      token: {
        address: challenge.tokenAddress,
        symbol: challenge.tokenSymbol,
        decimals: challenge.tokenDecimals,
      },
      source: "chain" as const,
      blockNumber: blockNumber.toString(),
      phase: PHASES[value.phase] ?? "Open",
      pot: value.onchain.totalDeposits.toString(),
      refunded: value.onchain.refundedAmount.toString(),
      sponsorCount: value.onchain.sponsorCount,
      sponsors: value.rows,
    };
  }),

  /** A sponsor's challenges with their deposit and refund owed in each — from the escrow. */
  bySponsor: publicProcedure.input(bySponsorInput).query(async ({ ctx, input }) => {
    const db = ctx.db.db;
    const funded = await db.funding.groupBy({
      by: ["challengeId"],
      where: { sponsorAddress: input.address },
      _min: { blockNumber: true },
      orderBy: { _min: { blockNumber: "desc" } },
      take: input.limit,
    });
    const challenges = await db.challenge.findMany({
      where: { id: { in: funded.map((f) => f.challengeId) } },
    });
    const escrow = await requireEscrow(ctx.escrow);
    const { blockNumber, value } = await atBlock(escrow, (blockNumber) =>
      Promise.all(
        challenges
          .filter((c) => c.onchainId !== null)
          .map(async (c) => {
            const id = onchainIdOf(c);
            const who = input.address as Address;
            const [deposit, claimable, refunded] = await readSponsorPosition(escrow, id, who, blockNumber);
            return {
              challengeId: c.id,
              slug: c.slug,
              title: c.title,
              onchainId: id.toString(),
              token: { address: c.tokenAddress, symbol: c.tokenSymbol, decimals: c.tokenDecimals },
              deposit: deposit.toString(),
              refundOwed: claimable[1].toString(),
              refundClaimed: refunded,
            };
          }),
      ),
    );
    return {
      sponsor: input.address,
      source: "chain" as const,
      blockNumber: blockNumber.toString(),
      challenges: value,
    };
  }),
} satisfies TRPCRouterRecord;
