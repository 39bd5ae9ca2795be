// The derived tables (Challenge mirror, Funding, ModelCommitment, HIDDEN Proof, Payout) as a pure
// function of one challenge's stored ChainEvents and the chain time of the indexed head.
//
// Every batch, every reorg rollback and every replay calls `rebuildChallenge` for the challenges it
// touched, inside the batch's transaction. Rows are matched by their natural keys (txHash + logIndex,
// or challenge + competitor) and only inserted, updated or deleted where they differ, so replaying a
// range leaves the tables identical (ids included) and a rollback leaves exactly what the remaining
// events imply. Nothing is incremented blindly: potCached is a sum, commitCount a count.
import type { Hex } from "viem";
import { Prisma, type ChallengeState, type ModelFamily, type PayoutKind } from "@zkarena/db";
import type { Groth16ProofJson } from "./source.ts";

export type Tx = Prisma.TransactionClient;

export interface DeriveContext {
  chainId: number;
  /** The escrow, lower-case. */
  escrow: string;
  /** Registry key (keccak256 of the circuit id, lower-case hex) → circuit id. */
  circuitIds: ReadonlyMap<string, string>;
  /** The proof of a ProofAccepted transaction (null when it cannot be decoded). */
  proofOf(txHash: Hex): Promise<Groth16ProofJson | null>;
  /** symbol/decimals of an ERC-20 prize token (null when it does not answer). */
  tokenInfo(token: Hex): Promise<{ symbol: string; decimals: number } | null>;
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const hex32 = (decimal: string) => `0x${BigInt(decimal).toString(16).padStart(64, "0")}`;
const str = (v: unknown): string => {
  if (typeof v !== "string") throw new Error(`malformed stored event argument: ${JSON.stringify(v)}`);
  return v;
};
const obj = (v: unknown): Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("malformed stored event");
  return v as Record<string, unknown>;
};
const date = (seconds: string) => new Date(Number(BigInt(seconds)) * 1000);

/** The generated slug of an on-chain challenge that matched no draft. */
export function generatedSlug(chainId: number, escrow: string, onchainId: bigint): string {
  return `onchain-${chainId}-${escrow.slice(2, 8)}-${onchainId}`;
}

function familyOf(circuitId: string): ModelFamily {
  if (circuitId.startsWith("weightless")) return "WEIGHTLESS";
  if (circuitId.startsWith("tree")) return "TREE";
  return "MLP";
}

/** Samples per batch of a circuit id such as mlp-d4-h3-c3-n4 (0 when the id does not say). */
function samplesPerBatch(circuitId: string): number {
  const match = /-n(\d+)$/.exec(circuitId);
  return match ? Number(match[1]) : 0;
}

/** The phase the escrow is in at chain time `now` (IArenaEscrow.Phase, mapped to ChallengeState). */
export function stateAt(
  now: Date,
  deadlines: { revealDeadline: Date; proveDeadline: Date },
  revealed: boolean,
  hasRankedProof: boolean,
): ChallengeState {
  if (revealed) {
    if (now < deadlines.proveDeadline) return "REVEALED";
    return hasRankedProof ? "SETTLED" : "REFUNDING_NO_WINNER";
  }
  return now < deadlines.revealDeadline ? "OPEN" : "REFUNDING_NO_REVEAL";
}

type KeyedRow = { txHash: string; logIndex: number; chainId: number | null };
const eventKey = (r: { txHash?: string | null; logIndex?: number | null }) => `${r.txHash}:${r.logIndex}`;

/**
 * Rebuilds everything derived from challenge `onchainId` of the context's escrow. `now` is the
 * timestamp of the newest indexed block (chain time, so the result depends on indexed data only).
 * @returns the Challenge row id, or null when no ChallengeCreated event remains.
 */
export async function rebuildChallenge(
  tx: Tx,
  ctx: DeriveContext,
  onchainId: bigint,
  now: Date,
): Promise<string | null> {
  const { chainId, escrow } = ctx;
  const events = await tx.chainEvent.findMany({
    where: { chainId, address: escrow, args: { path: ["id"], equals: onchainId.toString() } },
    orderBy: [{ blockNumber: "asc" }, { txIndex: "asc" }, { logIndex: "asc" }],
  });
  const linked = await tx.challenge.findFirst({
    where: { chainId, escrowAddress: escrow, onchainId: new Prisma.Decimal(onchainId.toString()) },
  });
  const created = events.find((e) => e.eventName === "ChallengeCreated");

  if (!created) {
    if (linked) await unlink(tx, linked, generatedSlug(chainId, escrow, onchainId));
    return null;
  }

  const args = obj(created.args);
  const params = obj(args.params);
  const organiser = str(args.organiser);
  const circuitKey = str(args.circuitId);
  const circuitId = ctx.circuitIds.get(circuitKey) ?? circuitKey;
  const token = str(params.token);
  const metadataHash = str(params.metadataHash);

  // Every account an event names must exist (foreign keys of the derived rows).
  const addresses = new Set<string>([organiser]);
  for (const e of events) {
    const a = obj(e.args);
    for (const k of ["sponsor", "competitor", "winner", "account"])
      if (typeof a[k] === "string") addresses.add(a[k]);
  }
  await tx.account.createMany({ data: [...addresses].map((address) => ({ address })), skipDuplicates: true });

  // The Challenge row: the linked one, else the organiser's draft with this metadata hash, else a new
  // minimal row so that no on-chain challenge is lost.
  let row =
    linked ??
    (await tx.challenge.findFirst({
      where: { chainId, state: "DRAFT", onchainId: null, organiserAddress: organiser, metadataHash },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }));
  const tokenAddress = token === ZERO_ADDRESS ? null : token;
  let tokenSymbol = "ETH";
  let tokenDecimals = 18;
  if (tokenAddress) {
    if (row && row.tokenAddress?.toLowerCase() === tokenAddress) {
      tokenSymbol = row.tokenSymbol;
      tokenDecimals = row.tokenDecimals;
    } else {
      const info = await ctx.tokenInfo(tokenAddress as Hex);
      tokenSymbol = info && /^[A-Za-z0-9]{1,16}$/.test(info.symbol) ? info.symbol : "ERC20";
      tokenDecimals = info && info.decimals <= 36 ? info.decimals : 18;
    }
  }

  const revealEvent = events.find((e) => e.eventName === "TestSetRevealed");
  const revealBlock = revealEvent
    ? await tx.indexedBlock.findUnique({
        where: { chainId_number: { chainId, number: revealEvent.blockNumber } },
      })
    : null;
  const hasRankedProof = events.some((e) => e.eventName === "ProofAccepted" && obj(e.args).ranked === true);
  const deadlines = {
    commitDeadline: date(str(params.commitDeadline)),
    revealDeadline: date(str(params.revealDeadline)),
    proveDeadline: date(str(params.proveDeadline)),
  };
  const fundings = events.filter((e) => e.eventName === "ChallengeFunded");
  const pot = fundings.reduce((sum, e) => sum + BigInt(str(obj(e.args).amountReceived)), 0n);

  const mirror = {
    chainId,
    escrowAddress: escrow,
    onchainId: new Prisma.Decimal(onchainId.toString()),
    organiserAddress: organiser,
    circuitId,
    modelFamily: familyOf(circuitId),
    metadataHash,
    state: stateAt(now, deadlines, revealEvent !== undefined, hasRankedProof),
    tokenAddress,
    tokenSymbol,
    tokenDecimals,
    ...deadlines,
    payoutSharesBps: (params.payoutBps as unknown[]).map((v) => Number(v)),
    minCorrect: Number(params.minCorrect),
    organiserBond: new Prisma.Decimal(str(args.bond)),
    testCommitment: hex32(str(params.testCommitment)),
    potCached: new Prisma.Decimal(pot.toString()),
    createTxHash: created.txHash,
    createdBlock: created.blockNumber,
    revealedAt: revealBlock?.timestamp ?? null,
    revealTxHash: revealEvent?.txHash ?? null,
    revealUri: revealEvent ? str(obj(revealEvent.args).uri).slice(0, 500) : null,
  };

  if (!row) {
    let slug = generatedSlug(chainId, escrow, onchainId);
    if (await tx.challenge.findUnique({ where: { slug }, select: { id: true } })) {
      slug = `${slug}-${created.txHash.slice(2, 10)}`; // the plain slug is taken by someone's draft
    }
    row = await tx.challenge.create({
      data: {
        slug,
        title: `On-chain challenge #${onchainId}`,
        summary: `Created on-chain by ${organiser}; no draft on this site matched its metadata hash.`,
        description: "",
        task: "Not described: the organiser published no metadata here for this challenge.",
        tags: [],
        ...mirror,
      },
    });
  } else if (!sameMirror(row, mirror)) {
    row = await tx.challenge.update({ where: { id: row.id }, data: mirror });
  }
  const challengeId = row.id;

  // Funding: one row per ChallengeFunded.
  await syncKeyed(
    {
      remove: (ids) => tx.funding.deleteMany({ where: { id: { in: ids } } }),
      removeKeys: (keys) => tx.funding.deleteMany({ where: { OR: keys } }),
      insert: (data) => tx.funding.createMany({ data }),
      update: (id, data) => tx.funding.update({ where: { id }, data }),
    },
    await tx.funding.findMany({ where: { challengeId } }),
    fundings.map((e) => ({
      challengeId,
      sponsorAddress: str(obj(e.args).sponsor),
      amount: new Prisma.Decimal(str(obj(e.args).amountReceived)),
      chainId,
      txHash: e.txHash,
      logIndex: e.logIndex,
      blockNumber: e.blockNumber,
    })),
  );

  // Payouts: PrizeClaimed / RefundClaimed / BondClaimed.
  const payoutKinds: Record<string, [PayoutKind, string]> = {
    PrizeClaimed: ["PRIZE", "winner"],
    RefundClaimed: ["REFUND", "sponsor"],
    BondClaimed: ["BOND", "account"],
  };
  await syncKeyed(
    {
      remove: (ids) => tx.payout.deleteMany({ where: { id: { in: ids } } }),
      removeKeys: (keys) => tx.payout.deleteMany({ where: { OR: keys } }),
      insert: (data) => tx.payout.createMany({ data }),
      update: (id, data) => tx.payout.update({ where: { id }, data }),
    },
    await tx.payout.findMany({ where: { challengeId } }),
    events.flatMap((e) => {
      const kind = payoutKinds[e.eventName];
      if (!kind) return [];
      const a = obj(e.args);
      return [
        {
          challengeId,
          recipientAddress: str(a[kind[1]]),
          kind: kind[0] as PayoutKind,
          amount: new Prisma.Decimal(str(a.amount)),
          rank: kind[0] === "PRIZE" ? Number(str(a.rank)) : null,
          chainId,
          txHash: e.txHash,
          logIndex: e.logIndex,
          blockNumber: e.blockNumber,
        },
      ];
    }),
  );

  // Model commitments: the latest commit per competitor, and how many commits it took.
  const latest = new Map<string, { e: (typeof events)[number]; count: number }>();
  const commitmentAt = new Map<string, string>(); // competitor → commitment as of the event being read
  const proofs: Prisma.ProofCreateManyInput[] = [];
  const blockTimes = new Map(
    (
      await tx.indexedBlock.findMany({
        where: {
          chainId,
          number: { in: events.filter((e) => e.eventName === "ProofAccepted").map((e) => e.blockNumber) },
        },
      })
    ).map((b) => [b.number, b.timestamp]),
  );
  for (const e of events) {
    const a = obj(e.args);
    if (e.eventName === "ModelCommitted") {
      const who = str(a.competitor);
      latest.set(who, { e, count: (latest.get(who)?.count ?? 0) + 1 });
      commitmentAt.set(who, str(a.commitment));
    } else if (e.eventName === "ProofAccepted") {
      const who = str(a.competitor);
      const commitment = commitmentAt.get(who) ?? "0";
      proofs.push({
        challengeId,
        competitorAddress: who,
        split: "HIDDEN",
        batchIndex: Number(str(a.batchIndex)),
        circuitId,
        modelCommitment: hex32(commitment),
        // The escrow's public signals, in circuit order: model, test (batch) commitment, correct, id, submitter.
        publicSignals: [
          commitment,
          str(a.batchCommitment),
          String(a.correct),
          onchainId.toString(),
          BigInt(who).toString(),
        ],
        proof: {}, // filled below for new rows only (one RPC per new proof)
        correct: Number(a.correct),
        total: samplesPerBatch(circuitId),
        status: "ACCEPTED",
        chainId,
        txHash: e.txHash,
        blockNumber: e.blockNumber,
        logIndex: e.logIndex,
        verifiedAt: blockTimes.get(e.blockNumber) ?? null,
      });
    }
  }
  const commitments = [...latest.entries()].map(([who, { e, count }]) => ({
    challengeId,
    competitorAddress: who,
    commitment: hex32(str(obj(e.args).commitment)),
    committedAt: date(str(obj(e.args).at)),
    commitCount: count,
    chainId,
    txHash: e.txHash,
    blockNumber: e.blockNumber,
    logIndex: e.logIndex,
  }));
  const storedCommitments = await tx.modelCommitment.findMany({ where: { challengeId } });
  const wanted = new Map(commitments.map((c) => [c.competitorAddress, c]));
  const stale = storedCommitments.filter((s) => !wanted.has(s.competitorAddress)).map((s) => s.id);
  if (stale.length > 0) await tx.modelCommitment.deleteMany({ where: { id: { in: stale } } });
  for (const c of commitments) {
    const stored = storedCommitments.find((s) => s.competitorAddress === c.competitorAddress);
    if (!stored) await tx.modelCommitment.create({ data: c });
    else if (!sameFields(stored, c)) await tx.modelCommitment.update({ where: { id: stored.id }, data: c });
  }

  // Accepted hidden-split proofs (rows the API created without a transaction are left alone).
  const storedProofs = await tx.proof.findMany({
    where: { challengeId, split: "HIDDEN", txHash: { not: null } },
  });
  const proofKeys = new Set(proofs.map(eventKey));
  const staleProofs = storedProofs.filter((p) => !proofKeys.has(eventKey(p))).map((p) => p.id);
  if (staleProofs.length > 0) await tx.proof.deleteMany({ where: { id: { in: staleProofs } } });
  for (const p of proofs) {
    const stored = storedProofs.find((s) => eventKey(s) === eventKey(p));
    const { proof: _proof, ...fields } = p;
    if (!stored) {
      const proof = await ctx.proofOf(p.txHash as Hex);
      const data = {
        ...p,
        proof: (proof ?? { unavailable: "submitted through a contract; see the transaction" }) as object,
      };
      await tx.proof.upsert({
        where: { chainId_txHash_logIndex: { chainId, txHash: p.txHash!, logIndex: p.logIndex! } },
        create: data,
        update: data,
      });
    } else if (!sameFields(stored, fields)) {
      await tx.proof.update({ where: { id: stored.id }, data: fields });
    }
  }
  return challengeId;
}

/** Reverses the link of a challenge whose ChallengeCreated was reorged out. */
async function unlink(tx: Tx, row: { id: string; slug: string }, generated: string): Promise<void> {
  if (row.slug === generated || row.slug.startsWith(`${generated}-`)) {
    await tx.challenge.delete({ where: { id: row.id } }); // created by the indexer: cascades
    return;
  }
  const where = { challengeId: row.id };
  await tx.funding.deleteMany({ where });
  await tx.payout.deleteMany({ where });
  await tx.modelCommitment.deleteMany({ where });
  await tx.proof.deleteMany({ where: { ...where, split: "HIDDEN", txHash: { not: null } } });
  await tx.challenge.update({
    where: { id: row.id },
    data: {
      state: "DRAFT",
      escrowAddress: null,
      onchainId: null,
      createTxHash: null,
      createdBlock: null,
      revealedAt: null,
      revealTxHash: null,
      revealUri: null,
      potCached: new Prisma.Decimal(0),
    },
  });
}

function normalise(v: unknown): unknown {
  if (v instanceof Prisma.Decimal) return v.toFixed(0);
  if (v instanceof Date) return v.getTime();
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  }
  return v;
}

/** Whether `stored` already has every field of `wanted` (Decimals, Dates and bigints compared by value). */
function sameFields(stored: object, wanted: object): boolean {
  const s = stored as Record<string, unknown>;
  return Object.entries(wanted).every(
    ([k, v]) => JSON.stringify(normalise(s[k])) === JSON.stringify(normalise(v)),
  );
}
const sameMirror = sameFields;

interface KeyedOps<Input> {
  remove(ids: string[]): Promise<unknown>;
  /** Removes rows with these natural keys wherever they are (a corrupted table may hold them elsewhere). */
  removeKeys(keys: { chainId: number; txHash: string; logIndex: number }[]): Promise<unknown>;
  insert(rows: Input[]): Promise<unknown>;
  update(id: string, row: Input): Promise<unknown>;
}

/**
 * Makes the rows of one challenge equal to `wanted` (keyed by txHash + logIndex): deletes the
 * stale ones, inserts the missing ones, updates the ones that differ.
 */
async function syncKeyed<Input extends { chainId: number; txHash: string; logIndex: number }>(
  ops: KeyedOps<Input>,
  stored: (KeyedRow & { id: string })[],
  wanted: Input[],
): Promise<void> {
  const wantedKeys = new Set(wanted.map(eventKey));
  const stale = stored.filter((r) => !wantedKeys.has(eventKey(r))).map((r) => r.id);
  if (stale.length > 0) await ops.remove(stale);
  const byKey = new Map(stored.map((r) => [eventKey(r), r]));
  const missing: Input[] = [];
  for (const w of wanted) {
    const s = byKey.get(eventKey(w));
    if (!s) missing.push(w);
    else if (!sameFields(s, w)) await ops.update(s.id, w);
  }
  // Chunks keep every statement far below PostgreSQL's 65 535 bind parameters.
  for (let i = 0; i < missing.length; i += 1000) {
    const chunk = missing.slice(i, i + 1000);
    await ops.removeKeys(chunk.map(({ chainId, txHash, logIndex }) => ({ chainId, txHash, logIndex })));
    await ops.insert(chunk);
  }
}
