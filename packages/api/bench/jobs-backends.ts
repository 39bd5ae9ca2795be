// Measures the job queue on each database back end (not a test): pg-boss on PostgreSQL (DATABASE_URL,
// a scratch database) and on the embedded PGlite served over its socket (what `npm start` runs),
// plus in-process PGlite. Per back end: runner start (pg-boss schema + queues), and the round trip
// from a public-proof submission to its verdict, and from a refresh request to the snapshot.
//   node --import tsx packages/api/bench/jobs-backends.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectPostgres, openPglite, type DbHandle } from "@zkarena/db";
import { startEmbeddedServer } from "@zkarena/db/embedded";
import { createTestDb } from "@zkarena/db/testing";
import { enqueueLeaderboardRefresh, enqueueProofVerification, startJobRunner } from "../src/jobs/index.ts";
import { setLogSink } from "../src/log.ts";

setLogSink(() => {});
const quiet = { info() {}, warn() {}, error() {} };

async function until(read: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function measure(name: string, db: DbHandle, databaseUrl: string | undefined) {
  const organiser = "0x00000000000000000000000000000000000000a1";
  await db.db.account.upsert({ where: { address: organiser }, create: { address: organiser }, update: {} });
  const c = await db.db.challenge.create({
    data: {
      slug: `jobs-${Date.now()}`,
      title: "t",
      summary: "s",
      description: "d",
      task: "t",
      modelFamily: "MLP",
      circuitId: "mlp-d4-h3-c3-n4",
      organiserAddress: organiser,
      chainId: 31337,
      onchainId: "1",
      commitDeadline: new Date(Date.now() + 86_400_000),
      revealDeadline: new Date(Date.now() + 2 * 86_400_000),
      proveDeadline: new Date(Date.now() + 3 * 86_400_000),
      payoutSharesBps: [10_000],
      minCorrect: 1,
    },
  });
  const t0 = performance.now();
  const runner = await startJobRunner({ databaseUrl, db, log: quiet, pollingIntervalSeconds: 0.5 });
  const startMs = performance.now() - t0;
  const verify: number[] = [];
  const refresh: number[] = [];
  for (let i = 0; i < 5; i++) {
    // A proof whose signals do not match (no commitment): decided REJECTED without a key.
    const p = await db.db.proof.create({
      data: {
        challengeId: c.id,
        competitorAddress: organiser,
        split: "PUBLIC",
        circuitId: "mlp-d4-h3-c3-n4",
        modelCommitment: "1",
        publicSignals: ["1", "2", "3", "1", BigInt(organiser).toString()],
        proof: {},
        correct: 3,
        total: 4,
      },
    });
    const t1 = performance.now();
    await enqueueProofVerification(db.db, p.id);
    await until(
      async () => (await db.db.proof.findUniqueOrThrow({ where: { id: p.id } })).status !== "PENDING",
    );
    verify.push(performance.now() - t1);
    await db.db.leaderboardSnapshot.deleteMany({ where: { challengeId: c.id } });
    const t2 = performance.now();
    await enqueueLeaderboardRefresh(db.db, c.id);
    await until(async () => (await db.db.leaderboardSnapshot.count({ where: { challengeId: c.id } })) > 0);
    refresh.push(performance.now() - t2);
  }
  await runner.stop();
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;
  return { name, startMs, verifyMs: med(verify), refreshMs: med(refresh) };
}

async function main() {
  const rows = [];
  if (process.env.DATABASE_URL) {
    const scratch = await createTestDb();
    try {
      rows.push(await measure("PostgreSQL (pg-boss pool)", scratch, scratch.url));
    } finally {
      await scratch.close();
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), "zkarena-jobs-pglite-"));
  try {
    const t = performance.now();
    const server = await startEmbeddedServer({ dataDir: dir });
    const createMs = performance.now() - t;
    const client = connectPostgres(server.url, 4);
    try {
      rows.push({
        ...(await measure("PGlite over its socket (npm start)", client, server.url)),
        note: `new data dir ${(createMs / 1000).toFixed(1)} s`,
      });
    } finally {
      await client.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const mem = await openPglite();
  try {
    rows.push(await measure("PGlite in process (fromPglite)", mem, undefined));
  } finally {
    await mem.close();
  }
  console.log(
    "\n| back end | runner start | submit → verdict (median of 5) | refresh → snapshot (median of 5) |",
  );
  console.log("|---|--:|--:|--:|");
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.startMs.toFixed(0)} ms | ${r.verifyMs.toFixed(0)} ms | ${r.refreshMs.toFixed(0)} ms |${"note" in r ? ` ${r.note}` : ""}`,
    );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
