// The reorg-safe indexer of one ArenaEscrow on one chain (threats I1, I2).
//
// One step = one of:
//   * reorg check: the stored hash of the cursor block must still be the chain's. If not, walk back
//     through the stored blocks to the newest one the chain still has (the common ancestor) and, in ONE
//     transaction, delete the ChainEvents and IndexedBlocks above it, rebuild the derived rows of the
//     challenges those events touched, and move the cursor back. A walk longer than maxReorgDepth, or
//     an ancestor below the block already reported final, halts instead (nothing is written).
//   * batch: the logs of [cursor + 1, cursor + batchBlocks] (capped at the head), in (block, tx
//     index, log index) order, and in ONE transaction: ChainEvents (INSERT … ON CONFLICT DO NOTHING on
//     chainId + txHash + logIndex), IndexedBlocks, the derived rows of the touched challenges (rebuilt
//     from their events, see derive.ts), and the cursor with finalizedBlockNumber =
//     max(previous, min(cursor, head − finalityDepth)). A crash anywhere leaves the previous state.
//
// Blocks stored: every block holding an event (kept: the release gate compares event hashes with
// them), each batch's last block (the cursor), and every block within maxReorgDepth of the head (so
// the walk-back finds the exact ancestor); blocks below the final one that hold no event are pruned.
// Every stored block above the final one is therefore present, which the walk-back relies on.
//
// Several worker processes may run: each transaction takes a PostgreSQL advisory lock for (chain,
// escrow) and checks the cursor it planned from is still current (else it retries the step).
import type { Address, Hex, Log } from "viem";
import type { Db } from "@zkarena/db";
import { rebuildChallenge, type DeriveContext, type Tx } from "./derive.ts";
import { decodeEscrowLogs, type DecodedEvent } from "./events.ts";
import {
  ChainMovedError,
  CursorMovedError,
  DeepReorgError,
  FinalityViolationError,
  IndexerSetupError,
} from "./errors.ts";
import type { BlockHeader, ChainSource, Groth16ProofJson } from "./source.ts";
import { silentLogger, type Logger } from "../log.ts";

export interface IndexerOptions {
  db: Db;
  source: ChainSource;
  chainId: number;
  escrow: string;
  /** First block to index (the escrow's deployment block). */
  startBlock: bigint;
  finalityDepth: number;
  maxReorgDepth: number;
  batchBlocks: number;
  /** Registry key → circuit id (from the deployment record's verifiers). */
  circuitIds?: ReadonlyMap<string, string>;
  log?: Logger;
  /**
   * Called after a batch or a rollback committed, with the Challenge row ids it rebuilt (e.g. to queue
   * leaderboard refreshes). Errors are logged, never retried: the tables are already consistent.
   */
  onChallengesChanged?: (challengeIds: string[]) => Promise<void>;
  /** Test hooks: called inside the batch transaction after its writes (throw to simulate a crash). */
  hooks?: { beforeCommit?: (batch: { from: bigint; to: bigint; events: number }) => void | Promise<void> };
}

export type StepResult =
  | { kind: "idle"; head: bigint; cursor: bigint }
  | { kind: "batch"; from: bigint; to: bigint; events: number; head: bigint; finalized: bigint | null }
  | { kind: "reorg"; ancestor: bigint | null; depth: number; challenges: number };

interface Cursor {
  blockNumber: bigint;
  blockHash: string;
  finalizedBlockNumber: bigint | null;
}

const TX_OPTIONS = { maxWait: 15_000, timeout: 120_000 } as const;

export class Indexer {
  readonly chainId: number;
  readonly escrow: string;
  private readonly db: Db;
  private readonly source: ChainSource;
  private readonly log: Logger;
  private readonly opts: IndexerOptions;
  private readonly lockKey: bigint;
  private readonly proofCache = new Map<string, Groth16ProofJson | null>();
  private readonly tokenCache = new Map<string, { symbol: string; decimals: number } | null>();

  constructor(options: IndexerOptions) {
    if (options.finalityDepth > options.maxReorgDepth) {
      throw new IndexerSetupError("finalityDepth must not exceed maxReorgDepth");
    }
    this.opts = options;
    this.db = options.db;
    this.source = options.source;
    this.chainId = options.chainId;
    this.escrow = options.escrow.toLowerCase();
    this.log = options.log ?? silentLogger;
    // A stable 63-bit advisory-lock key for (chain, escrow).
    this.lockKey = BigInt.asIntN(64, BigInt(`0x${this.escrow.slice(2, 18)}`) ^ BigInt(this.chainId));
  }

  /** Refuses a node on another chain or an escrow address without code (clear, fatal errors). */
  async checkSetup(): Promise<void> {
    const chainId = await this.source.chainId();
    if (chainId !== this.chainId) {
      throw new IndexerSetupError(
        `the node reports chain ${chainId}, but the worker is configured for chain ${this.chainId}: ` +
          "point RPC_URL at the right chain or set CHAIN_ID",
      );
    }
    if (!(await this.source.hasCode(this.escrow as Address))) {
      throw new IndexerSetupError(
        `there is no contract at the escrow address ${this.escrow} on chain ${chainId}: ` +
          "is the deployments file from another chain (or an anvil that was reset)? Redeploy or fix INDEXER_ESCROW_ADDRESS",
      );
    }
  }

  private async readCursor(db: Db | Tx = this.db): Promise<Cursor | null> {
    return db.indexerCursor.findUnique({
      where: { chainId_address: { chainId: this.chainId, address: this.escrow } },
      select: { blockNumber: true, blockHash: true, finalizedBlockNumber: true },
    });
  }

  /** Runs steps until the cursor is at the head. Returns the steps taken. */
  async syncToHead(maxSteps = 100_000): Promise<StepResult[]> {
    const steps: StepResult[] = [];
    for (let i = 0; i < maxSteps; i += 1) {
      const step = await this.step();
      steps.push(step);
      if (step.kind === "idle") return steps;
    }
    throw new Error(`not at the head after ${maxSteps} steps`);
  }

  /** One reorg check and at most one batch (or one rollback). */
  async step(): Promise<StepResult> {
    const cursor = await this.readCursor();
    if (cursor) {
      const onChain = await this.source.block(cursor.blockNumber);
      if (!onChain || onChain.hash.toLowerCase() !== cursor.blockHash.toLowerCase()) {
        return this.rollback(cursor);
      }
    }
    const head = await this.source.headNumber();
    const from = cursor ? cursor.blockNumber + 1n : this.opts.startBlock;
    if (from > head) return { kind: "idle", head, cursor: cursor?.blockNumber ?? from - 1n };
    let to = from + BigInt(this.opts.batchBlocks) - 1n;
    if (to > head) to = head;
    return this.batch(cursor, from, to, head);
  }

  private async fetchLogs(from: bigint, to: bigint): Promise<Log[]> {
    try {
      return await this.source.logs(this.escrow as Address, from, to);
    } catch (error) {
      // Providers cap getLogs by range or result count: split the range and try again.
      if (to > from) {
        const mid = from + (to - from) / 2n;
        this.log.warn("indexer.getlogs_split", { from, to, reason: (error as Error).message.slice(0, 200) });
        return [...(await this.fetchLogs(from, mid)), ...(await this.fetchLogs(mid + 1n, to))];
      }
      throw error;
    }
  }

  private async batch(cursor: Cursor | null, from: bigint, to: bigint, head: bigint): Promise<StepResult> {
    const started = performance.now();
    const logs = await this.fetchLogs(from, to);
    const { events, unknown } = decodeEscrowLogs(this.chainId, this.escrow, logs);
    if (unknown > 0) this.log.warn("indexer.unknown_logs", { from, to, count: unknown });

    // Headers: event blocks, the last block, and everything within maxReorgDepth of the head.
    const wanted = new Set<bigint>(events.map((e) => e.blockNumber));
    wanted.add(to);
    let denseFrom = head - BigInt(this.opts.maxReorgDepth);
    if (denseFrom < from) denseFrom = from;
    for (let n = denseFrom; n <= to; n += 1n) wanted.add(n);
    const headers = await this.source.blocks([...wanted]);
    for (const n of wanted) if (!headers.has(n)) throw new ChainMovedError(`block ${n} disappeared`);
    // The logs and the headers must describe one chain, linked to the cursor.
    for (const e of events) {
      if (headers.get(e.blockNumber)!.hash.toLowerCase() !== e.blockHash) {
        throw new ChainMovedError(`block ${e.blockNumber} changed while the batch was read`);
      }
    }
    for (let n = denseFrom + 1n; n <= to; n += 1n) {
      if (headers.get(n)!.parentHash.toLowerCase() !== headers.get(n - 1n)!.hash.toLowerCase()) {
        throw new ChainMovedError(`block ${n} does not extend block ${n - 1n}`);
      }
    }
    if (cursor && denseFrom === from && headers.get(from)!.parentHash.toLowerCase() !== cursor.blockHash) {
      throw new ChainMovedError(`block ${from} does not extend the cursor block ${cursor.blockNumber}`);
    }

    // What the transaction needs from the chain, fetched before it opens.
    await this.prefetch(events);

    const last = headers.get(to)!;
    const finalTarget = head - BigInt(this.opts.finalityDepth);
    let finalized: bigint | null = finalTarget < to ? finalTarget : to;
    if (finalized < this.opts.startBlock - 1n) finalized = null;
    const previousFinal = cursor?.finalizedBlockNumber ?? null;
    if (previousFinal !== null && (finalized === null || finalized < previousFinal))
      finalized = previousFinal;

    const changed: string[] = [];
    await this.db.$transaction(async (tx) => {
      await this.lock(tx, cursor);
      if (events.length > 0) {
        await tx.chainEvent.createMany({
          data: events.map((e) => ({
            chainId: e.chainId,
            address: e.address,
            blockNumber: e.blockNumber,
            blockHash: e.blockHash,
            txHash: e.txHash,
            txIndex: e.txIndex,
            logIndex: e.logIndex,
            eventName: e.eventName,
            args: e.args,
          })),
          skipDuplicates: true, // INSERT … ON CONFLICT DO NOTHING (threat I2)
        });
      }
      const blocks = [...headers.values()];
      await tx.indexedBlock.deleteMany({
        where: { chainId: this.chainId, number: { in: blocks.map((b) => b.number) } },
      });
      await tx.indexedBlock.createMany({ data: blocks.map((b) => this.blockRow(b)) });

      const touched = new Set(events.map((e) => e.challengeId));
      for (const id of await this.timeTriggered(tx, new Date(Number(last.timestamp) * 1000))) touched.add(id);
      const now = new Date(Number(last.timestamp) * 1000);
      for (const id of [...touched].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const row = await rebuildChallenge(tx, this.deriveContext(), id, now);
        if (row) changed.push(row);
      }

      await tx.indexerCursor.upsert({
        where: { chainId_address: { chainId: this.chainId, address: this.escrow } },
        create: {
          chainId: this.chainId,
          address: this.escrow,
          blockNumber: to,
          blockHash: last.hash.toLowerCase(),
          finalizedBlockNumber: finalized,
        },
        update: { blockNumber: to, blockHash: last.hash.toLowerCase(), finalizedBlockNumber: finalized },
      });
      if (finalized !== null) {
        const lowest = (previousFinal ?? from) < from ? (previousFinal ?? from) : from;
        await this.prune(tx, lowest - BigInt(this.opts.maxReorgDepth), finalized, to);
      }
      await this.opts.hooks?.beforeCommit?.({ from, to, events: events.length });
    }, TX_OPTIONS);

    await this.notify(changed);
    this.log.info("indexer.batch", {
      from,
      to,
      head,
      events: events.length,
      finalized,
      ms: Math.round(performance.now() - started),
    });
    return { kind: "batch", from, to, events: events.length, head, finalized };
  }

  private async notify(challengeIds: string[]): Promise<void> {
    if (challengeIds.length === 0 || !this.opts.onChallengesChanged) return;
    try {
      await this.opts.onChallengesChanged(challengeIds);
    } catch (error) {
      this.log.warn("indexer.notify_failed", { message: (error as Error).message.slice(0, 200) });
    }
  }

  /** Takes the (chain, escrow) lock and insists the cursor is still the one this step planned from. */
  private async lock(tx: Tx, expected: Cursor | null): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${this.lockKey})`;
    const now = await this.readCursor(tx);
    const same =
      now === null
        ? expected === null
        : expected !== null &&
          now.blockNumber === expected.blockNumber &&
          now.blockHash === expected.blockHash;
    if (!same) throw new CursorMovedError("another indexer moved the cursor; retrying");
  }

  private blockRow(b: BlockHeader) {
    return {
      chainId: this.chainId,
      number: b.number,
      hash: b.hash.toLowerCase(),
      parentHash: b.parentHash.toLowerCase(),
      timestamp: new Date(Number(b.timestamp) * 1000),
    };
  }

  /**
   * Challenges whose phase changes with time alone at the indexed chain time `now`: deadlines passed
   * (forward), or — after a rollback to an earlier block — a later phase that is not reached yet.
   */
  private async timeTriggered(tx: Tx, now: Date): Promise<bigint[]> {
    const rows = await tx.challenge.findMany({
      where: {
        chainId: this.chainId,
        escrowAddress: this.escrow,
        OR: [
          { state: "OPEN", revealDeadline: { lte: now } },
          { state: "REVEALED", proveDeadline: { lte: now } },
          { state: { in: ["SETTLED", "REFUNDING_NO_WINNER"] }, proveDeadline: { gt: now } },
          { state: "REFUNDING_NO_REVEAL", revealDeadline: { gt: now } },
        ],
      },
      select: { onchainId: true },
    });
    return rows.flatMap((r) => (r.onchainId === null ? [] : [BigInt(r.onchainId.toFixed(0))]));
  }

  /** Drops stored blocks below the final one that hold no event of any indexed contract. */
  private async prune(tx: Tx, lowest: bigint, finalized: bigint, cursor: bigint): Promise<void> {
    await tx.$executeRaw`
      DELETE FROM "IndexedBlock" b
       WHERE b."chainId" = ${this.chainId}
         AND b."number" >= ${lowest}
         AND b."number" < ${finalized}
         AND b."number" <> ${cursor}
         AND NOT EXISTS (SELECT 1 FROM "ChainEvent" e WHERE e."chainId" = b."chainId" AND e."blockNumber" = b."number")
         AND NOT EXISTS (SELECT 1 FROM "IndexerCursor" c WHERE c."chainId" = b."chainId" AND c."blockNumber" = b."number")`;
  }

  private async prefetch(events: DecodedEvent[]): Promise<void> {
    const work: Promise<unknown>[] = [];
    for (const e of events) {
      if (e.eventName === "ProofAccepted" && !this.proofCache.has(e.txHash)) {
        work.push(this.source.submittedProof(e.txHash).then((p) => this.proofCache.set(e.txHash, p)));
      }
      const token = (e.args.params as { token?: string } | undefined)?.token;
      if (
        e.eventName === "ChallengeCreated" &&
        token &&
        !/^0x0{40}$/.test(token) &&
        !this.tokenCache.has(token)
      ) {
        work.push(this.source.tokenInfo(token as Address).then((t) => this.tokenCache.set(token, t)));
      }
    }
    await Promise.all(work);
  }

  private deriveContext(): DeriveContext {
    return {
      chainId: this.chainId,
      escrow: this.escrow,
      circuitIds: this.opts.circuitIds ?? new Map(),
      proofOf: async (txHash: Hex) => {
        if (!this.proofCache.has(txHash))
          this.proofCache.set(txHash, await this.source.submittedProof(txHash));
        return this.proofCache.get(txHash) ?? null;
      },
      tokenInfo: async (token: Hex) => {
        if (!this.tokenCache.has(token)) this.tokenCache.set(token, await this.source.tokenInfo(token));
        return this.tokenCache.get(token) ?? null;
      },
    };
  }

  /**
   * The cursor block is no longer canonical: find the common ancestor among the stored blocks and roll
   * back to it in one transaction, or halt (deeper than maxReorgDepth / below the final block).
   */
  private async rollback(cursor: Cursor): Promise<StepResult> {
    const floor = cursor.blockNumber - BigInt(this.opts.maxReorgDepth);
    const stored = await this.db.indexedBlock.findMany({
      where: { chainId: this.chainId, number: { lte: cursor.blockNumber, gte: floor < 0n ? 0n : floor } },
      orderBy: { number: "desc" },
    });
    const chain = await this.source.blocks(stored.map((b) => b.number));
    const ancestor =
      stored.find((b) => chain.get(b.number)?.hash.toLowerCase() === b.hash.toLowerCase()) ?? null;
    const finalized = cursor.finalizedBlockNumber;
    const beforeStart = floor < this.opts.startBlock; // the walk reached below the first indexed block

    if (!ancestor && !beforeStart) {
      const message =
        `reorg deeper than INDEXER_MAX_REORG_DEPTH=${this.opts.maxReorgDepth}: none of the stored blocks ` +
        `${floor}..${cursor.blockNumber} is on the chain any more (the cursor block ${cursor.blockNumber} was ` +
        `${cursor.blockHash}). The indexer halted and changed nothing. Investigate the node; if the chain really ` +
        "reorganised this deep, re-index from scratch (README: Recovering from a halt).";
      this.log.error("indexer.deep_reorg", {
        cursor: cursor.blockNumber,
        maxReorgDepth: this.opts.maxReorgDepth,
      });
      throw new DeepReorgError(message, cursor.blockNumber, this.opts.maxReorgDepth);
    }
    const ancestorNumber = ancestor?.number ?? null;
    if (finalized !== null && (ancestorNumber === null || ancestorNumber < finalized)) {
      const message =
        `reorg below the final block: block ${finalized} was reported final (IndexerCursor.finalizedBlockNumber) ` +
        `but the chain now differs ${ancestorNumber === null ? "from the first indexed block on" : `above block ${ancestorNumber}`}. ` +
        "The API may already have acted on it (released a hidden split), so the indexer halted and changed nothing. " +
        `Raise INDEXER_FINALITY_DEPTH (now ${this.opts.finalityDepth}) and re-index from scratch (README: Recovering from a halt).`;
      this.log.error("indexer.finality_violated", {
        finalized,
        ancestor: ancestorNumber,
        cursor: cursor.blockNumber,
      });
      throw new FinalityViolationError(message, finalized, ancestorNumber);
    }

    const depth = Number(cursor.blockNumber - (ancestorNumber ?? this.opts.startBlock - 1n));
    let challenges = 0;
    const changed: string[] = [];
    await this.db.$transaction(async (tx) => {
      await this.lock(tx, cursor);
      const above = ancestorNumber ?? this.opts.startBlock - 1n;
      const gone = await tx.chainEvent.findMany({
        where: { chainId: this.chainId, address: this.escrow, blockNumber: { gt: above } },
        select: { args: true },
      });
      const touched = new Set(gone.map((e) => BigInt((e.args as { id: string }).id)));
      await tx.chainEvent.deleteMany({
        where: { chainId: this.chainId, address: this.escrow, blockNumber: { gt: above } },
      });
      await tx.indexedBlock.deleteMany({ where: { chainId: this.chainId, number: { gt: above } } });
      if (ancestor) {
        await tx.indexerCursor.update({
          where: { chainId_address: { chainId: this.chainId, address: this.escrow } },
          data: { blockNumber: ancestor.number, blockHash: ancestor.hash },
        });
      } else {
        await tx.indexerCursor.delete({
          where: { chainId_address: { chainId: this.chainId, address: this.escrow } },
        });
      }
      const now = ancestor?.timestamp ?? new Date(0);
      for (const id of await this.timeTriggered(tx, now)) touched.add(id);
      for (const id of touched) {
        const row = await rebuildChallenge(tx, this.deriveContext(), id, now);
        if (row) changed.push(row);
      }
      challenges = touched.size;
    }, TX_OPTIONS);
    await this.notify(changed);

    this.log.warn("indexer.reorg", {
      depth,
      cursor: cursor.blockNumber,
      replacedHash: cursor.blockHash,
      ancestor: ancestorNumber,
      challengesRebuilt: challenges,
    });
    return { kind: "reorg", ancestor: ancestorNumber, depth, challenges };
  }
}
