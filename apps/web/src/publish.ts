"use client";
// The on-chain create of a draft: ArenaEscrow.createChallenge with the draft's parameters, the test
// commitment computed in this browser, and the draft's metadata hash (src/metadata.ts).
import { keccak256, stringToHex, zeroAddress, type Address } from "viem";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import { metadataHashOf } from "~/metadata";
import type { ContractCall } from "~/tx";

export interface DraftParams {
  rowId: string;
  circuitId: string;
  commitDeadline: number;
  revealDeadline: number;
  proveDeadline: number;
  payoutSharesBps: number[];
  minCorrect: number;
  organiserBond: string;
  tokenAddress: string | null;
  /** The draft's stored metadata hash (challenge.createDraft's); null for rows from before it. */
  metadataHash: string | null;
}

/** The registry key of a circuit id, as contracts/scripts/deploy.mjs registers it. */
export const circuitKey = (circuitId: string) => keccak256(stringToHex(circuitId));

export function createChallengeCall(
  escrow: Address,
  draft: DraftParams,
  hidden: { testCommitment: string; batchCount: number },
): ContractCall {
  const seconds = (ms: number) => BigInt(Math.floor(ms / 1000));
  return {
    address: escrow,
    abi: arenaEscrowAbi,
    functionName: "createChallenge",
    args: [
      {
        circuitId: circuitKey(draft.circuitId),
        testCommitment: BigInt(hidden.testCommitment),
        batchCount: hidden.batchCount,
        commitDeadline: seconds(draft.commitDeadline),
        revealDeadline: seconds(draft.revealDeadline),
        proveDeadline: seconds(draft.proveDeadline),
        token: (draft.tokenAddress ?? zeroAddress) as Address,
        minCorrect: draft.minCorrect,
        payoutBps: draft.payoutSharesBps,
        metadataHash: metadataHashOf({ id: draft.rowId, metadataHash: draft.metadataHash }),
      },
    ],
    value: BigInt(draft.organiserBond || "0"),
  };
}
