// When may a hidden split be decrypted and served? Only once the CHAIN has revealed it and that
// reveal is final (threats T1, I1). The API never reads the chain for this: it trusts the indexer's
// tables, under this contract (apps/worker must fulfil it; packages/api/README.md repeats it):
//
//  1. Every `TestSetRevealed(uint256 indexed id, string uri)` log of an escrow is stored as a
//     ChainEvent row: eventName "TestSetRevealed", `address` = the escrow (lower-case 0x hex),
//     `chainId`, `blockNumber`, `blockHash`, and `args.id` = the on-chain challenge id as a decimal
//     string (bigints as decimal strings, as for every ChainEvent).
//  2. The block of every stored event has its IndexedBlock row (chainId, number, hash).
//  3. IndexerCursor (chainId, escrow address) carries `finalizedBlockNumber` = the newest block the
//     indexer treats as final (≤ its processed head minus its finality depth), updated in the same
//     transaction as the cursor. It never moves backwards; a reorg deeper than the finality depth
//     halts the indexer instead.
//  4. On a reorg the indexer deletes the ChainEvent and IndexedBlock rows above the common
//     ancestor in the same transaction that moves the cursor back.
//  5. Challenge.chainId / escrowAddress (lower-case) / onchainId mirror the ChallengeCreated event.
//
// The split is released iff there is a TestSetRevealed event for (chainId, escrow, onchainId) with
// blockNumber ≤ finalizedBlockNumber whose blockHash equals the IndexedBlock hash at that height.
// Everything else — no cursor, no finality yet, an event only above the final block, a stale event
// whose block hash no longer matches — keeps it sealed.
import type { Challenge, Db } from "@zkarena/db";

export type ReleaseState =
  { released: true; revealBlock: bigint; revealTxHash: string } | { released: false; reason: string };

export const REVEAL_EVENT = "TestSetRevealed";

export async function hiddenSplitRelease(
  db: Db,
  challenge: Pick<Challenge, "chainId" | "escrowAddress" | "onchainId">,
): Promise<ReleaseState> {
  if (!challenge.escrowAddress || challenge.onchainId === null) {
    return { released: false, reason: "the challenge is not on-chain yet" };
  }
  const escrow = challenge.escrowAddress.toLowerCase();
  const cursor = await db.indexerCursor.findUnique({
    where: { chainId_address: { chainId: challenge.chainId, address: escrow } },
  });
  const finalized = cursor?.finalizedBlockNumber ?? null;
  const events = await db.chainEvent.findMany({
    where: {
      chainId: challenge.chainId,
      address: escrow,
      eventName: REVEAL_EVENT,
      args: { path: ["id"], equals: challenge.onchainId.toFixed(0) },
    },
    orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }],
    take: 10,
  });
  if (events.length === 0)
    return { released: false, reason: "the organiser has not revealed it on-chain yet" };
  if (finalized === null) {
    return { released: false, reason: "the indexer has not reported a final block yet" };
  }
  for (const event of events) {
    if (event.blockNumber > finalized) continue;
    const block = await db.indexedBlock.findUnique({
      where: { chainId_number: { chainId: challenge.chainId, number: event.blockNumber } },
    });
    if (block && block.hash.toLowerCase() === event.blockHash.toLowerCase()) {
      return { released: true, revealBlock: event.blockNumber, revealTxHash: event.txHash };
    }
  }
  const first = events[0]?.blockNumber;
  return {
    released: false,
    reason:
      first !== undefined && first > finalized
        ? `the reveal at block ${first} is not final yet (final block: ${finalized})`
        : "the reveal is not on the canonical chain as indexed",
  };
}
