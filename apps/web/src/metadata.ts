// The link between an off-chain challenge row and its on-chain challenge.
//
// createChallenge stores a `metadataHash`; ChallengeCreated carries it with the organiser, so
// (organiser, metadataHash) finds the on-chain id of a draft without trusting anyone's word for it.
// challenge.createDraft defines and stores it (packages/api services/onchain-args.ts); the indexer
// links by it. Rows created before that have none: for them the web app used
// keccak256("zkarena:challenge:<draft uuid>"), which `metadataHashOf` still falls back to.
import { keccak256, stringToHex, type Hex } from "viem";

export function metadataHashFor(challengeRowId: string): Hex {
  return keccak256(stringToHex(`zkarena:challenge:${challengeRowId}`));
}

/** The row's stored metadata hash (the API's), else the web app's earlier definition. */
export function metadataHashOf(row: { id: string; metadataHash?: string | null }): Hex {
  return (row.metadataHash as Hex | null | undefined) ?? metadataHashFor(row.id);
}

/** The escrow's Phase enum, in order. */
export const PHASES = ["Open", "AwaitingReveal", "Proving", "Settled", "RevealMissed"] as const;
export type PhaseName = (typeof PHASES)[number];

export const phaseLabels: Record<PhaseName, { label: string; tone: "ok" | "accent" | "neutral" | "warn" }> = {
  Open: { label: "Open: funding and commits", tone: "ok" },
  AwaitingReveal: { label: "Awaiting the reveal", tone: "warn" },
  Proving: { label: "Proving", tone: "accent" },
  Settled: { label: "Settled", tone: "neutral" },
  RevealMissed: { label: "Failed: no reveal (refunds)", tone: "warn" },
};
