// Server-side chain reads: the escrow is the source of truth for money, phases, commitments and the
// final leaderboard (DESIGN.md, "Data flow"). The database is a cache; these views never read it.
import { cache } from "react";
import { createPublicClient, http, zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import { loadDeployment, type Deployment } from "@zkarena/chain/deployments";
import { publicEnv, serverEnv } from "~/env";
import { PHASES, metadataHashOf, type PhaseName } from "~/metadata";

export interface ChainContext {
  client: PublicClient;
  chainId: number;
  deployment: Deployment | null;
  escrow: Address | null;
  deployBlock: bigint;
  /** Why the chain cannot be read, in words a visitor can act on (null when it can). */
  error: string | null;
}

let contextPromise: Promise<ChainContext> | undefined;

async function buildContext(): Promise<ChainContext> {
  const env = serverEnv();
  const { chainId } = publicEnv();
  const client = createPublicClient({ transport: http(env.rpcUrl, { timeout: 10_000 }) }) as PublicClient;
  try {
    const deployment = await loadDeployment(chainId, env.deploymentsDir);
    if (!deployment) throw new Error("no deployment record");
    return {
      client,
      chainId,
      deployment,
      escrow: deployment.contracts.ArenaEscrow.address,
      deployBlock: BigInt(deployment.contracts.ArenaEscrow.blockNumber),
      error: null,
    };
  } catch (error) {
    return {
      client,
      chainId,
      deployment: null,
      escrow: null,
      deployBlock: 0n,
      error: `No escrow deployment is known for chain ${chainId} (${error instanceof Error ? error.message.split("\n")[0] : String(error)}). Run \`npm start\`, which deploys the contracts, or set ZKARENA_DEPLOYMENTS_DIR.`,
    };
  }
}

/** One per process; a failed load is retried on the next request. */
export async function chainContext(): Promise<ChainContext> {
  contextPromise ??= buildContext();
  const ctx = await contextPromise;
  if (ctx.error) contextPromise = undefined;
  return ctx;
}

/** What the browser needs to send transactions (addresses and pinned verification keys). */
export interface ClientContracts {
  escrow: Address | null;
  deployBlock: string;
  vkHashes: Record<string, string>;
  /** The development ERC-20 of the local chain (deployment record, chain 31337 only), else null. */
  devToken: DevToken | null;
}

export interface DevToken {
  address: Address;
  name: string;
  symbol: string;
  decimals: number;
}

export async function clientContracts(): Promise<ClientContracts> {
  const ctx = await chainContext();
  const dev = ctx.deployment?.devToken;
  return {
    devToken: dev ? { address: dev.address, name: dev.name, symbol: dev.symbol, decimals: dev.decimals } : null,
    escrow: ctx.escrow,
    deployBlock: ctx.deployBlock.toString(),
    vkHashes: Object.fromEntries(
      Object.entries(ctx.deployment?.verifiers ?? {}).map(([id, v]) => [id, v.vkHash]),
    ),
  };
}

export interface TimelineEntry {
  kind: "created" | "funded" | "committed" | "revealed" | "proof" | "prize" | "refund" | "bond";
  actor: string;
  /** Human summary of the amount or value, if any. */
  detail: string;
  amount: string | null;
  txHash: Hex;
  blockNumber: string;
  /** Block time, seconds since the epoch (chain clock). */
  time: number;
}

export interface OnchainChallenge {
  id: string;
  escrow: Address;
  phase: PhaseName;
  organiser: Address;
  token: Address;
  commitDeadline: number;
  revealDeadline: number;
  proveDeadline: number;
  revealedAt: number;
  minCorrect: number;
  payoutBps: number[];
  batchCount: number;
  testCommitment: string;
  circuitKey: Hex;
  verifier: Address;
  metadataHash: Hex;
  bond: string;
  pot: string;
  refunded: string;
  committerCount: number;
  sponsorCount: number;
  leaderboard: { competitor: Address; correct: number; committedAt: number }[];
  sponsors: { address: Address; amount: string }[];
  committers: { address: Address; commitment: string; at: number; recommits: number }[];
  /** Accepted proofs in order (one per batch). */
  proofs: {
    competitor: Address;
    batchIndex: number;
    correct: number;
    total: number;
    time: number;
    txHash: Hex;
  }[];
  revealUri: string | null;
  timeline: TimelineEntry[];
  /** Latest block's timestamp: the clock every phase is judged by. */
  chainNow: number;
  /** The server's wall clock when it read the chain (seconds): lets the browser advance chainNow. */
  serverNow: number;
  createTxHash: Hex | null;
}

export type OnchainLookup =
  | { status: "ok"; challenge: OnchainChallenge }
  | { status: "not-onchain"; metadataHash: Hex }
  | { status: "unavailable"; error: string };

interface ChallengeRowRef {
  id: string;
  onchainId: string | null;
  organiserAddress: string;
  metadataHash: string | null;
}

async function findOnchainId(ctx: ChainContext, row: ChallengeRowRef): Promise<bigint | null> {
  if (row.onchainId !== null) return BigInt(row.onchainId);
  if (!ctx.escrow) return null;
  const expected = metadataHashOf(row);
  const logs = await ctx.client.getContractEvents({
    address: ctx.escrow,
    abi: arenaEscrowAbi,
    eventName: "ChallengeCreated",
    args: { organiser: row.organiserAddress as Address },
    fromBlock: ctx.deployBlock,
    toBlock: "latest",
    strict: true,
  });
  const match = logs.find((l) => l.args.params?.metadataHash?.toLowerCase() === expected.toLowerCase());
  return match?.args.id ?? null;
}

/** The challenge as the escrow sees it, or why it cannot be shown. Cached per request. */
export const readOnchainChallenge = cache(async (row: ChallengeRowRef): Promise<OnchainLookup> => {
  const ctx = await chainContext();
  if (ctx.error || !ctx.escrow) return { status: "unavailable", error: ctx.error ?? "no escrow" };
  try {
    const id = await findOnchainId(ctx, row);
    if (id === null) return { status: "not-onchain", metadataHash: metadataHashOf(row) };
    return { status: "ok", challenge: await readById(ctx, id) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      status: "unavailable",
      error: `The chain could not be read (${message}). The status page shows whether the node is up.`,
    };
  }
});

async function readById(ctx: ChainContext, id: bigint): Promise<OnchainChallenge> {
  const escrow = ctx.escrow as Address;
  const base = { address: escrow, abi: arenaEscrowAbi } as const;
  const [c, phase, board, block, logs] = await Promise.all([
    ctx.client.readContract({ ...base, functionName: "getChallenge", args: [id] }),
    ctx.client.readContract({ ...base, functionName: "phaseOf", args: [id] }),
    ctx.client.readContract({ ...base, functionName: "leaderboard", args: [id] }),
    ctx.client.getBlock({ blockTag: "latest" }),
    ctx.client.getContractEvents({ ...base, fromBlock: ctx.deployBlock, toBlock: "latest", strict: true }),
  ]);
  const mine = logs.filter((l) => "args" in l && (l.args as { id?: bigint }).id === id);
  const blockTimes = new Map<bigint, number>();
  await Promise.all(
    [...new Set(mine.map((l) => l.blockNumber))].map(async (n) => {
      const b = await ctx.client.getBlock({ blockNumber: n });
      blockTimes.set(n, Number(b.timestamp));
    }),
  );

  const sponsors = new Map<Address, bigint>();
  const committers = new Map<Address, { commitment: string; at: number; recommits: number }>();
  const proofs: OnchainChallenge["proofs"] = [];
  const timeline: TimelineEntry[] = [];
  let revealUri: string | null = null;
  let createTxHash: Hex | null = null;
  for (const log of mine) {
    const time = blockTimes.get(log.blockNumber) ?? 0;
    const common = { txHash: log.transactionHash, blockNumber: log.blockNumber.toString(), time };
    switch (log.eventName) {
      case "ChallengeCreated":
        createTxHash = log.transactionHash;
        timeline.push({
          kind: "created",
          actor: log.args.organiser,
          detail: "",
          amount: log.args.bond.toString(),
          ...common,
        });
        break;
      case "ChallengeFunded":
        sponsors.set(log.args.sponsor, (sponsors.get(log.args.sponsor) ?? 0n) + log.args.amountReceived);
        timeline.push({
          kind: "funded",
          actor: log.args.sponsor,
          detail: "",
          amount: log.args.amountReceived.toString(),
          ...common,
        });
        break;
      case "ModelCommitted": {
        const prev = committers.get(log.args.competitor);
        committers.set(log.args.competitor, {
          commitment: log.args.commitment.toString(),
          at: Number(log.args.at),
          recommits: prev ? prev.recommits + 1 : 0,
        });
        timeline.push({
          kind: "committed",
          actor: log.args.competitor,
          detail: log.args.recommit ? "re-commit" : "",
          amount: null,
          ...common,
        });
        break;
      }
      case "TestSetRevealed":
        revealUri = log.args.uri;
        timeline.push({ kind: "revealed", actor: c.organiser, detail: "", amount: null, ...common });
        break;
      case "ProofAccepted":
        proofs.push({
          competitor: log.args.competitor,
          batchIndex: Number(log.args.batchIndex),
          correct: log.args.correct,
          total: log.args.total,
          time,
          txHash: log.transactionHash,
        });
        timeline.push({
          kind: "proof",
          actor: log.args.competitor,
          detail: `${log.args.correct} correct (batch ${log.args.batchIndex}), total ${log.args.total}`,
          amount: null,
          ...common,
        });
        break;
      case "PrizeClaimed":
        timeline.push({
          kind: "prize",
          actor: log.args.winner,
          detail: `rank ${Number(log.args.rank) + 1}`,
          amount: log.args.amount.toString(),
          ...common,
        });
        break;
      case "RefundClaimed":
        timeline.push({
          kind: "refund",
          actor: log.args.sponsor,
          detail: "",
          amount: log.args.amount.toString(),
          ...common,
        });
        break;
      case "BondClaimed":
        timeline.push({
          kind: "bond",
          actor: log.args.account,
          detail: "",
          amount: log.args.amount.toString(),
          ...common,
        });
        break;
      default:
        break;
    }
  }
  return {
    id: id.toString(),
    escrow,
    phase: PHASES[phase] ?? "Open",
    organiser: c.organiser,
    token: c.token,
    commitDeadline: Number(c.commitDeadline),
    revealDeadline: Number(c.revealDeadline),
    proveDeadline: Number(c.proveDeadline),
    revealedAt: Number(c.revealedAt),
    minCorrect: c.minCorrect,
    payoutBps: c.payoutBps.map(Number),
    batchCount: c.batchCount,
    testCommitment: c.testCommitment.toString(),
    circuitKey: c.circuitId,
    verifier: c.verifier,
    metadataHash: c.metadataHash,
    bond: c.bond.toString(),
    pot: c.totalDeposits.toString(),
    refunded: c.refundedAmount.toString(),
    committerCount: c.committerCount,
    sponsorCount: c.sponsorCount,
    leaderboard: board.map((e) => ({
      competitor: e.competitor,
      correct: e.correct,
      committedAt: Number(e.committedAt),
    })),
    sponsors: [...sponsors]
      .map(([address, amount]) => ({ address, amount: amount.toString() }))
      .sort((a, b) => (BigInt(b.amount) > BigInt(a.amount) ? 1 : -1)),
    committers: [...committers].map(([address, v]) => ({ address, ...v })).sort((a, b) => a.at - b.at),
    proofs,
    revealUri,
    timeline,
    chainNow: Number(block.timestamp),
    serverNow: Math.floor(Date.now() / 1000),
    createTxHash,
  };
}

/** metadataHash → on-chain id for every challenge created on the escrow (links drafts to ids). */
export async function createdIndex(): Promise<Map<string, { id: string; organiser: string }>> {
  const ctx = await chainContext();
  const out = new Map<string, { id: string; organiser: string }>();
  if (ctx.error || !ctx.escrow) return out;
  const logs = await ctx.client.getContractEvents({
    address: ctx.escrow,
    abi: arenaEscrowAbi,
    eventName: "ChallengeCreated",
    fromBlock: ctx.deployBlock,
    toBlock: "latest",
    strict: true,
  });
  for (const l of logs) {
    out.set(l.args.params.metadataHash.toLowerCase(), {
      id: l.args.id.toString(),
      organiser: l.args.organiser,
    });
  }
  return out;
}

/** Every challenge an address took part in, from the escrow's events (profile pages). */
export async function activityOf(
  address: Address,
): Promise<
  | {
      status: "ok";
      entries: {
        id: string;
        roles: string[];
        committed: boolean;
        bestCorrect: number | null;
        earned: bigint;
        funded: bigint;
        /** The challenge's prize token (zero address: ETH); earned and funded are in its units. */
        token: Address;
      }[];
    }
  | { status: "unavailable"; error: string }
> {
  const ctx = await chainContext();
  if (ctx.error || !ctx.escrow) return { status: "unavailable", error: ctx.error ?? "no escrow" };
  const logs = await ctx.client.getContractEvents({
    address: ctx.escrow,
    abi: arenaEscrowAbi,
    fromBlock: ctx.deployBlock,
    toBlock: "latest",
    strict: true,
  });
  const me = address.toLowerCase();
  const tokens = new Map<string, Address>();
  for (const log of logs)
    if (log.eventName === "ChallengeCreated") tokens.set(log.args.id.toString(), log.args.params.token);
  const byId = new Map<
    string,
    { roles: Set<string>; committed: boolean; bestCorrect: number | null; earned: bigint; funded: bigint }
  >();
  const entry = (id: bigint) => {
    const key = id.toString();
    let e = byId.get(key);
    if (!e) {
      e = { roles: new Set(), committed: false, bestCorrect: null, earned: 0n, funded: 0n };
      byId.set(key, e);
    }
    return e;
  };
  for (const log of logs) {
    switch (log.eventName) {
      case "ChallengeCreated":
        if (log.args.organiser.toLowerCase() === me) entry(log.args.id).roles.add("organiser");
        break;
      case "ChallengeFunded":
        if (log.args.sponsor.toLowerCase() === me) {
          const e = entry(log.args.id);
          e.roles.add("sponsor");
          e.funded += log.args.amountReceived;
        }
        break;
      case "ModelCommitted":
        if (log.args.competitor.toLowerCase() === me) {
          const e = entry(log.args.id);
          e.roles.add("competitor");
          e.committed = true;
        }
        break;
      case "ProofAccepted":
        if (log.args.competitor.toLowerCase() === me) {
          const e = entry(log.args.id);
          e.bestCorrect = Math.max(e.bestCorrect ?? 0, log.args.total);
        }
        break;
      case "PrizeClaimed":
        if (log.args.winner.toLowerCase() === me) entry(log.args.id).earned += log.args.amount;
        break;
      default:
        break;
    }
  }
  return {
    status: "ok",
    entries: [...byId].map(([id, e]) => ({
      id,
      ...e,
      roles: [...e.roles],
      token: tokens.get(id) ?? zeroAddress,
    })),
  };
}
