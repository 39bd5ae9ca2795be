// The job runner the worker process (apps/worker) starts:
//
//   const runner = await startJobRunner({ databaseUrl: process.env.DATABASE_URL, db, log });
//   …
//   await runner.stop();
//
// pg-boss gets its own small pool on `databaseUrl` (PostgreSQL, or the embedded PGlite through the
// socket `npm start` serves). With no URL and an in-process PGlite handle it runs on that PGlite
// directly (tests, single-process use). On start it creates its schema (pgboss) and the queues, then
// sweeps PENDING public proofs that have no job yet (submitted while no runner was up), and repeats
// that sweep every `sweepIntervalMs`.
import { PgBoss, fromPglite, type PGliteLike } from "pg-boss";
import type { DbHandle } from "@zkarena/db";
import { log as apiLog } from "../log.ts";
import type { EscrowReader } from "../services/escrow.ts";
import type { VerificationKeyLoader } from "../services/proofs.ts";
import { runRefreshLeaderboard, runVerifyProof } from "./handlers.ts";
import {
  DEFAULT_RETRY,
  REFRESH_QUEUE,
  VERIFY_DEAD_LETTER,
  VERIFY_QUEUE,
  refreshQueueOptions,
  verifyQueueOptions,
  type RetryPolicy,
} from "./queue.ts";

export interface RunnerLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export interface JobRunnerOptions {
  /** pg-boss's connection (PostgreSQL URL); omit to run on `db`'s in-process PGlite. */
  databaseUrl?: string | undefined;
  /** The application's database handle (proofs and snapshots are written through it). */
  db: DbHandle;
  log?: RunnerLog;
  /** Retries of a verification that throws (default 3 retries, 2 s doubling up to 60 s). */
  retry?: Partial<RetryPolicy>;
  /** How often an idle worker polls (default 2 s; pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** How often PENDING proofs without a job are queued again (default 60 s). */
  sweepIntervalMs?: number;
  /** Where verification keys come from (default: circuits/build, hash-checked). */
  loadVerificationKey?: VerificationKeyLoader;
  /** The escrow for hidden-split leaderboard refreshes (null: from the indexed rows). */
  escrow?: EscrowReader | null;
}

export interface JobRunner {
  boss: PgBoss;
  /** Queues PENDING public proofs that have no job; returns how many were queued. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const log = options.log ?? apiLog;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const db = options.db.db;
  const pglite = (options.db as DbHandle & { pglite?: PGliteLike }).pglite;
  let boss: PgBoss;
  if (options.databaseUrl) {
    boss = new PgBoss({ connectionString: options.databaseUrl, max: 4, application_name: "zkarena-jobs" });
  } else if (pglite) {
    boss = new PgBoss({ db: fromPglite(pglite) });
  } else {
    throw new Error(
      "startJobRunner needs databaseUrl (the PostgreSQL URL, or the embedded database's socket URL) unless db is an in-process PGlite",
    );
  }
  boss.on("error", (error: Error) => log.error("jobs.error", { error: error.name, message: error.message }));
  const started = performance.now();
  await boss.start();
  await ensureQueue(boss, VERIFY_DEAD_LETTER, { retryLimit: 0 });
  await ensureQueue(boss, VERIFY_QUEUE, verifyQueueOptions(retry));
  await ensureQueue(boss, REFRESH_QUEUE, refreshQueueOptions);

  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 };
  await boss.work<{ proofId: string }>(VERIFY_QUEUE, polling, async ([job]) => {
    if (job)
      await runVerifyProof(
        { db, retry, loadKey: options.loadVerificationKey },
        job.data.proofId,
        job.retryCount,
      );
  });
  await boss.work<{ challengeId: string }>(REFRESH_QUEUE, polling, async ([job]) => {
    if (job) await runRefreshLeaderboard(db, job.data.challengeId, options.escrow ?? null);
  });

  const sweep = async (): Promise<number> => {
    const pending = await db.proof.findMany({
      where: { split: "PUBLIC", status: "PENDING" },
      select: { id: true },
      orderBy: { createdAt: "asc" },
      take: 500,
    });
    let queued = 0;
    for (const p of pending) {
      // The job id is the proof id: a proof that already has a job is not queued twice.
      const id = await boss.send(VERIFY_QUEUE, { proofId: p.id }, { id: p.id });
      if (id) queued++;
    }
    if (queued > 0) log.info("jobs.swept", { queued });
    return queued;
  };
  await sweep();
  const timer = setInterval(() => {
    sweep().catch((error: unknown) =>
      log.warn("jobs.sweep_failed", { error: error instanceof Error ? error.name : "unknown" }),
    );
  }, options.sweepIntervalMs ?? 60_000);
  timer.unref();
  log.info("jobs.started", {
    queues: [VERIFY_QUEUE, REFRESH_QUEUE].join(","),
    backend: options.databaseUrl ? "postgresql" : "pglite",
    startMs: Math.round(performance.now() - started),
  });

  let stopping: Promise<void> | null = null;
  return {
    boss,
    sweep,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await boss.stop({ graceful: true, timeout: 10_000 });
        log.info("jobs.stopped");
      })();
      return stopping;
    },
  };
}

async function ensureQueue(boss: PgBoss, name: string, options: Parameters<PgBoss["createQueue"]>[1]) {
  if (await boss.getQueue(name)) await boss.updateQueue(name, stripCreateOnly(options));
  else await boss.createQueue(name, options);
}

function stripCreateOnly(options: Parameters<PgBoss["createQueue"]>[1]) {
  const {
    policy: _policy,
    partition: _partition,
    deadLetter: _deadLetter,
    retryDelayMax: _max,
    heartbeatSeconds: _hb,
    ...rest
  } = options ?? {};
  return rest;
}
