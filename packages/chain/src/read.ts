// Money and eligibility straight from the escrow (threat I3: the indexer's tables are only a cache).
// Every value of one answer is read at one block, so the answer is a consistent snapshot.
import type { Address, PublicClient } from "viem";
import { arenaEscrowAbi } from "./generated/abis.ts";

/** IArenaEscrow.Phase by index. */
export const ESCROW_PHASES = ["Open", "AwaitingReveal", "Proving", "Settled", "RevealMissed"] as const;
export type EscrowPhase = (typeof ESCROW_PHASES)[number];

export interface OnChainChallenge {
  id: bigint;
  /** The block every value was read at. */
  blockNumber: bigint;
  phase: EscrowPhase;
  /** Lower-case addresses. */
  organiser: string;
  token: string;
  /** Σ deposits (the pot), in the token's base unit. */
  pot: bigint;
  bond: bigint;
  refundedAmount: bigint;
  bondPaid: bigint;
  /** Seconds; 0 = not revealed. */
  revealedAt: bigint;
  commitDeadline: bigint;
  revealDeadline: bigint;
  proveDeadline: bigint;
  minCorrect: number;
  payoutBps: number[];
  committerCount: number;
  sponsorCount: number;
  /** The top-K leaderboard, best first (final once the prove deadline has passed). */
  leaderboard: { competitor: string; correct: number; committedAt: bigint }[];
}

/**
 * Reads challenge `id` of `escrow` at `blockNumber` (default: the latest block).
 * @throws the escrow's ArenaEscrow__UnknownChallenge revert for an id that does not exist.
 */
export async function readChallengeOnChain(
  client: Pick<PublicClient, "readContract" | "getBlockNumber">,
  escrow: Address,
  id: bigint,
  options: { blockNumber?: bigint } = {},
): Promise<OnChainChallenge> {
  const blockNumber = options.blockNumber ?? (await client.getBlockNumber({ cacheTime: 0 }));
  const read = { address: escrow, abi: arenaEscrowAbi, blockNumber } as const;
  const [c, phase, board] = await Promise.all([
    client.readContract({ ...read, functionName: "getChallenge", args: [id] }),
    client.readContract({ ...read, functionName: "phaseOf", args: [id] }),
    client.readContract({ ...read, functionName: "leaderboard", args: [id] }),
  ]);
  return {
    id,
    blockNumber,
    phase: ESCROW_PHASES[phase] ?? "Open",
    organiser: c.organiser.toLowerCase(),
    token: c.token.toLowerCase(),
    pot: c.totalDeposits,
    bond: c.bond,
    refundedAmount: c.refundedAmount,
    bondPaid: c.bondPaid,
    revealedAt: c.revealedAt,
    commitDeadline: c.commitDeadline,
    revealDeadline: c.revealDeadline,
    proveDeadline: c.proveDeadline,
    minCorrect: c.minCorrect,
    payoutBps: [...c.payoutBps],
    committerCount: c.committerCount,
    sponsorCount: c.sponsorCount,
    leaderboard: board.map((r) => ({
      competitor: r.competitor.toLowerCase(),
      correct: r.correct,
      committedAt: r.committedAt,
    })),
  };
}
