// The escrow's createChallenge for a draft: its arguments (ChallengeParams), the encoded calldata and
// the value (the organiser bond), so the organiser's wallet only has to send it.
//
// metadataHash — how the indexer links ChallengeCreated to the draft (by (organiser, metadataHash)):
//
//   metadataHash = keccak256(utf8(canonicalJson({
//     format: "zkarena-challenge-metadata-v1",
//     id, slug, organiser, chainId, circuitId, task })))
//
// canonicalJson = keys sorted, no whitespace (JSON.stringify of the sorted object); `id` is the
// draft's UUID, `organiser` its lower-case 0x address, `chainId` a number. It commits to the draft's
// identity and the fields that never change after creation; the text the organiser may still edit
// until the commit deadline (title, summary, description, tags) is deliberately outside it. The
// draft id makes it unique, so one hash never matches two drafts. Stored in Challenge.metadataHash.
import { TRPCError } from "@trpc/server";
import { arenaEscrowAbi } from "@zkarena/chain";
import type { Challenge, Db } from "@zkarena/db";
import { encodeFunctionData, keccak256, stringToHex, zeroAddress, type Address, type Hex } from "viem";
import type { ApiEnv } from "../env.ts";
import type { EscrowResolver } from "./escrow.ts";

export const METADATA_FORMAT = "zkarena-challenge-metadata-v1";

export interface MetadataFields {
  id: string;
  slug: string;
  organiser: string;
  chainId: number;
  circuitId: string;
  task: string;
}

export function metadataHash(m: MetadataFields): Hex {
  const doc: Record<string, string | number> = {
    chainId: m.chainId,
    circuitId: m.circuitId,
    format: METADATA_FORMAT,
    id: m.id,
    organiser: m.organiser.toLowerCase(),
    slug: m.slug,
    task: m.task,
  };
  const canonical = JSON.stringify(doc, Object.keys(doc).sort());
  return keccak256(stringToHex(canonical));
}

/** The escrow's registry key of a circuit id (as contracts/scripts/deploy.mjs registers it). */
export const circuitKey = (circuitId: string): Hex => keccak256(stringToHex(circuitId));

export type OnchainCreate =
  | {
      ready: true;
      /** The escrow to send to (null when no deployment record exists for CHAIN_ID). */
      to: Address | null;
      chainId: number;
      functionName: "createChallenge";
      /** ChallengeParams with uint256/uint64 values as decimal strings. */
      args: {
        circuitId: Hex;
        testCommitment: string;
        batchCount: number;
        commitDeadline: string;
        revealDeadline: string;
        proveDeadline: string;
        token: Address;
        minCorrect: number;
        payoutBps: number[];
        metadataHash: Hex;
      };
      data: Hex;
      /** msg.value: the organiser bond in wei. */
      value: string;
    }
  | { ready: false; missing: string[] };

const seconds = (d: Date) => BigInt(Math.floor(d.getTime() / 1000));

export async function onchainCreateArgs(
  ctx: { db: { db: Db }; env: ApiEnv; escrow?: EscrowResolver | null | undefined },
  c: Challenge,
): Promise<OnchainCreate> {
  if (c.onchainId !== null) {
    throw new TRPCError({
      code: "CONFLICT",
      message: `The challenge is already on-chain (id ${c.onchainId.toFixed(0)}); it cannot be created twice.`,
    });
  }
  const missing: string[] = [];
  const hidden = await ctx.db.db.datasetSplit.findUnique({
    where: { challengeId_kind: { challengeId: c.id, kind: "HIDDEN" } },
    select: { commitment: true, batchCommitments: true },
  });
  if (!hidden?.commitment || !c.testCommitment)
    missing.push("testCommitment: upload the hidden split with dataset.uploadHidden");
  if (!c.metadataHash) missing.push("metadataHash: this draft predates metadata hashes; create a new draft");
  if (c.minCorrect < 1) missing.push("minCorrect: must be at least 1");
  if (c.commitDeadline <= new Date()) missing.push("commitDeadline: it has passed; create a new draft");
  if (missing.length > 0 || !hidden?.commitment || !c.metadataHash) return { ready: false, missing };

  const args = {
    circuitId: circuitKey(c.circuitId),
    testCommitment: BigInt(hidden.commitment),
    batchCount: Math.max(1, hidden.batchCommitments.length),
    commitDeadline: seconds(c.commitDeadline),
    revealDeadline: seconds(c.revealDeadline),
    proveDeadline: seconds(c.proveDeadline),
    token: (c.tokenAddress ?? zeroAddress) as Address,
    minCorrect: c.minCorrect,
    payoutBps: c.payoutSharesBps,
    metadataHash: c.metadataHash as Hex,
  };
  const data = encodeFunctionData({ abi: arenaEscrowAbi, functionName: "createChallenge", args: [args] });
  let to: Address | null = null;
  try {
    to = (await ctx.escrow?.())?.address ?? null;
  } catch {
    to = null;
  }
  return {
    ready: true,
    to,
    chainId: ctx.env.CHAIN_ID,
    functionName: "createChallenge",
    args: {
      ...args,
      testCommitment: args.testCommitment.toString(),
      commitDeadline: args.commitDeadline.toString(),
      revealDeadline: args.revealDeadline.toString(),
      proveDeadline: args.proveDeadline.toString(),
    },
    data,
    value: c.organiserBond.toFixed(0),
  };
}
