// What a challenge page shows from the chain: its timeline (the escrow's events as indexed, each with
// its transaction hash) and its pot (read from the escrow, threat I3; the cached pot only as a
// labelled hint when the chain cannot be read).
import type { Challenge, Db } from "@zkarena/db";
import { atBlock, readChallenge, requireEscrow, type EscrowResolver } from "./escrow.ts";

export interface TimelineEntry {
  kind: "draft" | "chain";
  /** "DraftCreated", or the escrow event's name (ChallengeCreated, ChallengeFunded, ModelCommitted, …). */
  event: string;
  at: Date | null;
  blockNumber: string | null;
  txHash: string | null;
  logIndex: number | null;
  /** Decoded event arguments (bigints as decimal strings). */
  args: Record<string, unknown> | null;
}

/** Events per challenge page; older ones are summarised by `challenge.byId`'s counts elsewhere. */
export const TIMELINE_LIMIT = 200;

export async function challengeTimeline(ctx: { db: { db: Db } }, c: Challenge): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [
    {
      kind: "draft",
      event: "DraftCreated",
      at: c.createdAt,
      blockNumber: null,
      txHash: null,
      logIndex: null,
      args: null,
    },
  ];
  if (!c.escrowAddress || c.onchainId === null) return entries;
  const db = ctx.db.db;
  const events = await db.chainEvent.findMany({
    where: {
      chainId: c.chainId,
      address: c.escrowAddress.toLowerCase(),
      args: { path: ["id"], equals: c.onchainId.toFixed(0) },
    },
    orderBy: [{ blockNumber: "asc" }, { txIndex: "asc" }, { logIndex: "asc" }],
    take: TIMELINE_LIMIT,
  });
  const blocks = await db.indexedBlock.findMany({
    where: { chainId: c.chainId, number: { in: [...new Set(events.map((e) => e.blockNumber))] } },
    select: { number: true, timestamp: true },
  });
  const time = new Map(blocks.map((b) => [b.number, b.timestamp]));
  for (const e of events) {
    entries.push({
      kind: "chain",
      event: e.eventName,
      at: time.get(e.blockNumber) ?? null,
      blockNumber: e.blockNumber.toString(),
      txHash: e.txHash,
      logIndex: e.logIndex,
      args: (e.args ?? null) as Record<string, unknown> | null,
    });
  }
  return entries;
}

export type Pot =
  | { source: "chain"; amount: string; blockNumber: string; sponsorCount: number }
  | { source: "not-onchain"; amount: "0"; blockNumber: null; sponsorCount: 0 }
  | {
      source: "unavailable";
      amount: null;
      blockNumber: null;
      /** The indexer's cached pot: informative only, never used for money. */
      cachedAmount: string;
      reason: string;
    };

/** A challenge page waits at most this long for the pot before showing it as unavailable. */
export const POT_TIMEOUT_MS = 2_500;

export async function potOf(ctx: { escrow?: EscrowResolver | null | undefined }, c: Challenge): Promise<Pot> {
  if (c.onchainId === null) return { source: "not-onchain", amount: "0", blockNumber: null, sponsorCount: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const escrow = await requireEscrow(ctx.escrow);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the chain did not answer within ${POT_TIMEOUT_MS / 1000} s`)),
        POT_TIMEOUT_MS,
      );
    });
    const { blockNumber, value } = await Promise.race([
      atBlock(escrow, (b) => readChallenge(escrow, c, b)),
      timeout,
    ]);
    return {
      source: "chain",
      amount: value.totalDeposits.toString(),
      blockNumber: blockNumber.toString(),
      sponsorCount: value.sponsorCount,
    };
  } catch (error) {
    return {
      source: "unavailable",
      amount: null,
      blockNumber: null,
      cachedAmount: c.potCached.toFixed(0),
      reason: error instanceof Error ? error.message : "the chain cannot be read",
    };
  } finally {
    clearTimeout(timer);
  }
}
