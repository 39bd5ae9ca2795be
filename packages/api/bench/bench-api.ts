// npm run bench:api — load benchmark of the HTTP API (not a test).
//
// Seeds 1 000 challenges, 25 000 model commitments and 100 000 public-split proofs into a scratch
// database (a fresh database on the DATABASE_URL server, dropped afterwards; without DATABASE_URL an
// in-memory PGlite), serves the REST handler (the same code as /api/v1 in the web app) on a free
// loopback port, drives it with a small keep-alive load generator at several concurrencies and prints
// endpoint, concurrency, requests, p50, p99 and req/s.
//
// Options (environment): BENCH_SECONDS (per row, default 5), BENCH_CONCURRENCY (default "1,16,64"),
// BENCH_POOL (database connections of the server, default 10).
// The load generator runs in the same process as the server, on the same cores: read the numbers as
// a lower bound of what a dedicated server does, and compare rows with each other.
import os from "node:os";
import { connectPostgres, type DbHandle } from "@zkarena/db";
import { createTestDb } from "@zkarena/db/testing";
import { handleRestRequest } from "../src/rest.ts";
import { serveFetch } from "../src/node-server.ts";
import { readApiEnv } from "../src/env.ts";
import { setLogSink } from "../src/log.ts";

const CHALLENGES = 1_000;
const COMPETITORS_PER_CHALLENGE = 25;
const PROOFS_PER_COMPETITOR = 4; // 2 batches × 2 attempts → 100 000 proofs
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "1,16,64").split(",").map(Number);
const POOL = Number(process.env.BENCH_POOL ?? 10);

setLogSink(() => {});

async function seed(handle: DbHandle): Promise<number> {
  const t0 = performance.now();
  const db = handle.db;
  const addr = (expr: string) => `'0x' || lpad(to_hex(${expr}), 40, '0')`;
  await db.$executeRawUnsafe(`
    INSERT INTO "Account"(address, "updatedAt")
    SELECT ${addr("g")}, now() FROM generate_series(1, 2001) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Challenge"(id, slug, title, summary, description, task, tags, "modelFamily", "circuitId", state,
      "organiserAddress", "chainId", "escrowAddress", "onchainId", "commitDeadline", "revealDeadline", "proveDeadline",
      "payoutSharesBps", "minCorrect", "updatedAt")
    SELECT gen_random_uuid(), 'bench-' || g,
      (CASE g % 3 WHEN 0 THEN 'Digits ' WHEN 1 THEN 'Iris flowers ' ELSE 'Wine quality ' END) || g,
      'Benchmark challenge ' || g, 'A long description', 'Classify', ARRAY['bench', CASE g % 2 WHEN 0 THEN 'vision' ELSE 'tabular' END],
      'MLP', 'mlp-d4-h3-c3-n4',
      (CASE g % 4 WHEN 0 THEN 'OPEN' WHEN 1 THEN 'REVEALED' WHEN 2 THEN 'SETTLED' ELSE 'OPEN' END)::"ChallengeState",
      ${addr("2001")}, 31337, '0x00000000000000000000000000000000000e5c40', g,
      now() + g * interval '1 hour', now() + g * interval '1 hour' + interval '1 day',
      now() + g * interval '1 hour' + interval '2 days', ARRAY[6000, 4000], 1, now()
    FROM generate_series(1, ${CHALLENGES}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ModelCommitment"(id, "challengeId", "competitorAddress", commitment, "committedAt", "chainId", "txHash", "blockNumber", "logIndex")
    SELECT gen_random_uuid(), c.id, ${addr("1 + ((c.n * 7 + k) % 2000)")}, (c.n * 100 + k)::text,
      now() - (k * interval '1 minute'), 31337, '0x' || lpad(to_hex(c.n * 100 + k), 64, '0'), c.n, k
    FROM (SELECT id, row_number() OVER (ORDER BY slug) AS n FROM "Challenge") c, generate_series(1, ${COMPETITORS_PER_CHALLENGE}) k`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Proof"(id, "challengeId", "competitorAddress", split, "batchIndex", "circuitId", "modelCommitment",
      "publicSignals", proof, correct, total, status, "createdAt")
    SELECT gen_random_uuid(), m."challengeId", m."competitorAddress", 'PUBLIC', a % 2, 'mlp-d4-h3-c3-n4', m.commitment,
      '["1","2","3","4","5"]'::jsonb, '{"protocol":"groth16"}'::jsonb, floor(random() * 5)::int, 4,
      (CASE WHEN random() < 0.9 THEN 'VERIFIED' ELSE 'REJECTED' END)::"ProofStatus", now()
    FROM "ModelCommitment" m, generate_series(0, ${PROOFS_PER_COMPETITOR - 1}) a`);
  await db.$executeRawUnsafe(`ANALYZE`);
  return performance.now() - t0;
}

/** BENCH_EXPLAIN=1: the plans of the two hot queries (to decide on indexes). */
async function explain(handle: DbHandle, challengeId: string): Promise<void> {
  const plans: [string, string][] = [
    ["challenge list", `SELECT * FROM "Challenge" ORDER BY "commitDeadline", id LIMIT 21`],
    [
      "public leaderboard",
      `WITH best AS (SELECT p."competitorAddress" AS competitor, p."batchIndex", max(p.correct) AS correct, max(p.total) AS total
         FROM "Proof" p JOIN "ModelCommitment" m ON m."challengeId" = p."challengeId" AND m."competitorAddress" = p."competitorAddress" AND m.commitment = p."modelCommitment"
         WHERE p."challengeId" = '${challengeId}'::uuid AND p.split = 'PUBLIC' AND p.status = 'VERIFIED'
         GROUP BY p."competitorAddress", p."batchIndex")
       SELECT b.competitor, sum(b.correct) AS correct FROM best b
       JOIN "ModelCommitment" m ON m."challengeId" = '${challengeId}'::uuid AND m."competitorAddress" = b.competitor
       GROUP BY b.competitor, m."committedAt" ORDER BY correct DESC LIMIT 50`,
    ],
  ];
  for (const [name, sql] of plans) {
    const rows = await handle.db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ANALYZE ${sql}`);
    console.log(`\n${name}:\n${rows.map((r) => `  ${r["QUERY PLAN"]}`).join("\n")}`);
  }
}

interface Row {
  endpoint: string;
  concurrency: number;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  rps: number;
}

async function drive(name: string, url: () => string, concurrency: number): Promise<Row> {
  const run = async (ms: number, latencies: number[] | null) => {
    let errors = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          const res = await fetch(url());
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
          latencies?.push(performance.now() - t);
        }
      }),
    );
    return errors;
  };
  await run(500, null); // warm-up: connections, plans, JIT
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(SECONDS * 1000, latencies);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    endpoint: name,
    concurrency,
    requests: latencies.length,
    errors,
    p50: q(0.5),
    p99: q(0.99),
    rps: latencies.length / elapsed,
  };
}

async function main() {
  const t0 = performance.now();
  const scratch = await createTestDb();
  const handle = scratch.url ? connectPostgres(scratch.url, POOL) : scratch;
  try {
    const seedMs = await seed(handle);
    const counts = {
      challenges: await handle.db.challenge.count(),
      proofs: await handle.db.proof.count(),
      commitments: await handle.db.modelCommitment.count(),
    };
    const ids = (await handle.db.challenge.findMany({ select: { id: true } })).map((c) => c.id);
    if (process.env.BENCH_EXPLAIN === "1") await explain(handle, ids[0] as string);
    const env = readApiEnv({ NODE_ENV: "test", RPC_URL: "http://127.0.0.1:9" });
    const server = await serveFetch((req) =>
      handleRestRequest(req, { prefix: "/api/v1", env, context: { db: handle, chain: null, escrow: null } }),
    );
    const pick = () => ids[Math.floor(Math.random() * ids.length)] as string;
    const endpoints: [string, () => string][] = [
      ["GET /challenges?limit=20", () => `${server.url}/api/v1/challenges?limit=20`],
      [
        "GET /challenges?state=OPEN&search=digits",
        () => `${server.url}/api/v1/challenges?state=OPEN&search=digits&limit=20`,
      ],
      [
        "GET /challenges/{id}/leaderboard/public",
        () => `${server.url}/api/v1/challenges/${pick()}/leaderboard/public?limit=50`,
      ],
    ];
    const rows: Row[] = [];
    for (const [name, url] of endpoints) for (const c of CONCURRENCY) rows.push(await drive(name, url, c));
    await server.close();

    const db = scratch.url ? `PostgreSQL (${handle.location}, pool ${POOL})` : "embedded PGlite (in memory)";
    console.log(
      `\nbench:api — ${db}; ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}; Node ${process.version}`,
    );
    console.log(
      `seeded ${counts.challenges} challenges, ${counts.commitments} commitments, ${counts.proofs} proofs in ${(seedMs / 1000).toFixed(1)} s; ${SECONDS} s per row\n`,
    );
    const header = ["endpoint", "concurrency", "requests", "errors", "p50 ms", "p99 ms", "req/s"];
    const table = rows.map((r) => [
      r.endpoint,
      String(r.concurrency),
      String(r.requests),
      String(r.errors),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      r.rps.toFixed(0),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => (t[i] as string).length)));
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(" | ")} |`;
    console.log(line(header));
    console.log(
      `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    );
    for (const t of table) console.log(line(t));
    console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    if (handle !== scratch) await handle.close();
    await scratch.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
