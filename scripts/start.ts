// `npm start`: the whole platform on one machine.
//
//  1. builds what is missing (turbo run build: Prisma client, contracts + ABIs, circuits + their
//     INSECURE development setup, the web app) — cached after the first run;
//  2. database: DATABASE_URL when set (migrations applied), otherwise the embedded PGlite database in
//     ZKARENA_DATA_DIR, owned and served on 127.0.0.1 by this process;
//  3. chain: RPC_URL when set, otherwise anvil on 127.0.0.1:8545 with its state kept in
//     ZKARENA_DATA_DIR/anvil between runs;
//  4. contracts deployed (or re-used when the recorded ones are still there), demo data seeded;
//  5. the worker (apps/worker: the escrow indexer and the job runner), unless ZKARENA_WORKER=0;
//  6. the web app on http://127.0.0.1:3000.
// Ctrl-C (or SIGTERM) stops everything it started, in reverse order, and keeps the data.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { parseStartEnv, repoRoot, type StartEnv } from "./env.ts";

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
const startedAt = performance.now();
const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);

class StartError extends Error {
  override name = "StartError";
}

const say = (line: string) => console.log(`[zkarena] ${line}`);

// ---- cleanup, in reverse order of start -------------------------------------------------------
const cleanups: { name: string; run: () => Promise<void> }[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`[zkarena] stopping ${name} failed: ${(error as Error).message}`);
      }
    }
  }
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    say(`${signal}: stopping (data is kept in place)…`);
    void stopAll(0);
  });
}

// ---- helpers ------------------------------------------------------------------------------------
async function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function logFile(env: StartEnv, name: string) {
  const dir = path.join(env.ZKARENA_DATA_DIR, "logs");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.log`);
  return { file, stream: createWriteStream(file, { flags: "a" }) };
}

async function tail(file: string, lines = 25): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Spawns a long-running child; if it dies while we are not stopping, everything stops. */
function supervise(name: string, child: ChildProcess, log: string) {
  child.once("exit", (code, signal) => {
    if (stopping) return;
    void tail(log).then((t) => {
      console.error(
        `[zkarena] ${name} exited unexpectedly (${signal ?? `code ${code}`}). Last lines of ${log}:\n${t}`,
      );
      void stopAll(1);
    });
  });
  cleanups.push({
    name,
    run: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  });
}

async function run(name: string, command: string, args: string[], env: StartEnv, cwd = repoRoot) {
  const { file, stream } = await logFile(env, name);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    child.stdout.pipe(stream, { end: false });
    child.stderr.pipe(stream, { end: false });
    child.once("error", reject);
    child.once("exit", async (code) => {
      if (code === 0) return resolve();
      reject(
        new StartError(`${name} failed (exit ${code}). Last lines of ${file}:\n${await tail(file, 40)}`),
      );
    });
  });
}

async function rpc(url: string, method: string): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
    signal: AbortSignal.timeout(3_000),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new StartError("stopped");
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new StartError(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

// ---- the steps ------------------------------------------------------------------------------------
async function preflight(env: StartEnv) {
  if (!(await portIsFree(env.ZKARENA_WEB_PORT, env.ZKARENA_WEB_HOST))) {
    throw new StartError(
      `port ${env.ZKARENA_WEB_PORT} on 127.0.0.1 is already in use, so the web app cannot start there.\n` +
        `  Stop whatever is using it (is another 'npm start' running?), or pick another port:\n` +
        `  ZKARENA_WEB_PORT=${env.ZKARENA_WEB_PORT + 1} npm start`,
    );
  }
  if (!env.RPC_URL && !(await portIsFree(env.ZKARENA_ANVIL_PORT))) {
    throw new StartError(
      `port ${env.ZKARENA_ANVIL_PORT} on 127.0.0.1 is already in use, so the local chain (anvil) cannot start there.\n` +
        `  Stop the other node, use it instead with RPC_URL=http://127.0.0.1:${env.ZKARENA_ANVIL_PORT} npm start,\n` +
        `  or run anvil on another port: ZKARENA_ANVIL_PORT=${env.ZKARENA_ANVIL_PORT + 1} npm start`,
    );
  }
  if (!existsSync(bin("anvil")) && !env.RPC_URL) {
    throw new StartError(
      "anvil is not installed (its npm package @foundry-rs/anvil-linux-amd64 is an optional dependency for Linux x64).\n" +
        "  On another platform, run a node yourself and set RPC_URL=http://127.0.0.1:8545 npm start",
    );
  }
}

async function build(env: StartEnv) {
  if (env.ZKARENA_SKIP_BUILD === "1") return say("build skipped (ZKARENA_SKIP_BUILD=1)");
  say(
    "building (first run: Prisma client, contracts, circuits with their development setup, web app; cached afterwards)…",
  );
  const t0 = performance.now();
  await run("build", bin("turbo"), ["run", "build", "--output-logs=errors-only"], env);
  say(`build done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function startDatabase(env: StartEnv): Promise<{ url: string; description: string }> {
  const { applyMigrations } = await import("@zkarena/db/migrate");
  if (env.DATABASE_URL) {
    const { readDbEnv } = await import("@zkarena/db/env");
    const { DATABASE_URL } = readDbEnv({ DATABASE_URL: env.DATABASE_URL });
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const u = new URL(DATABASE_URL!);
    const where = `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
    try {
      await applyMigrations(
        new PrismaPg({ connectionString: DATABASE_URL!, connectionTimeoutMillis: 5_000 }),
        {
          log: (l) => say(l),
        },
      );
    } catch (error) {
      throw new StartError(
        `cannot use the database at DATABASE_URL (${where}): ${(error as Error).message}\n` +
          "  Check that PostgreSQL is running and the database exists, or unset DATABASE_URL to use the embedded database.",
      );
    }
    return { url: DATABASE_URL!, description: where };
  }
  const { startEmbeddedServer } = await import("@zkarena/db/embedded");
  const server = await startEmbeddedServer({ dataDir: env.ZKARENA_DATA_DIR, log: (l) => say(l) });
  cleanups.push({ name: "embedded database", run: () => server.close() });
  return {
    url: server.url,
    description: `embedded PGlite (${path.relative(repoRoot, path.join(server.dataDir, "pglite")) || server.dataDir}) served on 127.0.0.1:${server.port}`,
  };
}

async function startChain(env: StartEnv): Promise<{ rpcUrl: string; chainId: number; description: string }> {
  if (env.RPC_URL) {
    const chainId = await rpc(env.RPC_URL, "eth_chainId").then(
      (id) => Number(id),
      (error: Error) => {
        throw new StartError(`no Ethereum node answers at RPC_URL=${env.RPC_URL}: ${error.message}`);
      },
    );
    return { rpcUrl: env.RPC_URL, chainId, description: `chain ${chainId} at ${env.RPC_URL}` };
  }
  const stateDir = path.join(env.ZKARENA_DATA_DIR, "anvil");
  await mkdir(stateDir, { recursive: true });
  const stateFile = path.join(stateDir, "state.json");
  const { file, stream } = await logFile(env, "anvil");
  const child = spawn(
    bin("anvil"),
    [
      "--host",
      "127.0.0.1",
      "--port",
      String(env.ZKARENA_ANVIL_PORT),
      "--chain-id",
      "31337",
      "--state",
      stateFile,
      "--state-interval",
      "5",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.pipe(stream);
  child.stderr.pipe(stream);
  supervise("anvil", child, file);
  const rpcUrl = `http://127.0.0.1:${env.ZKARENA_ANVIL_PORT}`;
  await waitFor("anvil", async () => (await rpc(rpcUrl, "eth_chainId")) !== undefined, 30_000);
  return {
    rpcUrl,
    chainId: 31337,
    description: `anvil (chain 31337) at ${rpcUrl}, state in ${path.relative(repoRoot, stateFile) || stateFile}`,
  };
}

/**
 * Where the deployment record lives: beside the anvil state it belongs to when the chain is ours
 * (so an isolated stack with its own ZKARENA_DATA_DIR never overwrites another's record), and in
 * packages/chain/deployments for an external chain.
 */
function deploymentsDir(env: StartEnv): string {
  return env.RPC_URL
    ? path.join(repoRoot, "packages", "chain", "deployments")
    : path.join(env.ZKARENA_DATA_DIR, "deployments");
}

async function deploy(env: StartEnv, rpcUrl: string): Promise<string[]> {
  const { ensureDeployed } = (await import("../contracts/scripts/deploy.mjs")) as {
    ensureDeployed(o: {
      rpcUrl: string;
      privateKey?: string;
      deploymentsDir?: string;
      log?: (m: string) => void;
    }): Promise<{
      reused: boolean;
      deployment: {
        contracts: Record<string, { address: string }>;
        verifiers?: Record<string, { address: string }>;
        devToken?: { address: string; symbol: string };
      };
    }>;
  };
  const result = await ensureDeployed({
    rpcUrl,
    privateKey: env.DEPLOYER_PRIVATE_KEY,
    deploymentsDir: deploymentsDir(env),
    log: () => {},
  });
  const how = result.reused ? "re-used" : "deployed";
  const verifiers = Object.keys(result.deployment.verifiers ?? {}).sort();
  return [
    ...Object.entries(result.deployment.contracts).map(([name, c]) => `${name} ${c.address} (${how})`),
    ...(result.deployment.devToken
      ? [
          `DevToken ${result.deployment.devToken.address} (${result.deployment.devToken.symbol}, development only, minted to anvil's 10 accounts)`,
        ]
      : []),
    ...(verifiers.length > 0
      ? [`${verifiers.length} Groth16 verifiers registered (${how}): ${verifiers.join(", ")}`]
      : []),
  ];
}

async function seed(databaseUrl: string, chainId: number) {
  const { connectPostgres } = await import("@zkarena/db");
  const { seedDemo } = await import("@zkarena/db/seed");
  const handle = connectPostgres(databaseUrl, 2);
  try {
    await seedDemo(handle.db, { chainId });
  } finally {
    await handle.close();
  }
}

/**
 * The api's secrets for this local stack (it runs `next start`, i.e. NODE_ENV=production, where the
 * api refuses public development defaults). A value from the environment is used as given and never
 * written anywhere; a missing one is generated once and kept in ZKARENA_DATA_DIR/secrets.json (mode
 * 0600), so sessions and sealed hidden splits survive restarts. Delete the data folder and the
 * generated ones are gone with the data they protect.
 */
async function localSecrets(env: StartEnv): Promise<Record<"SESSION_SECRET" | "DATASET_MASTER_KEY", string>> {
  const file = path.join(env.ZKARENA_DATA_DIR, "secrets.json");
  const stored = existsSync(file)
    ? (JSON.parse(await readFile(file, "utf8")) as Partial<Record<string, string>>)
    : {};
  const generated = { ...stored };
  const pick = (name: "SESSION_SECRET" | "DATASET_MASTER_KEY"): string => {
    const given = env[name];
    if (given) return given;
    generated[name] ??= randomBytes(32).toString("hex");
    return generated[name];
  };
  const secrets = { SESSION_SECRET: pick("SESSION_SECRET"), DATASET_MASTER_KEY: pick("DATASET_MASTER_KEY") };
  if (Object.keys(generated).some((k) => generated[k] !== stored[k])) {
    await mkdir(env.ZKARENA_DATA_DIR, { recursive: true });
    await writeFile(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  }
  return secrets;
}

async function startWeb(env: StartEnv, databaseUrl: string, rpcUrl: string, chainId: number) {
  const webDir = path.join(repoRoot, "apps", "web");
  if (!existsSync(path.join(webDir, ".next", "BUILD_ID"))) {
    throw new StartError(
      "the web app is not built: run `npm run build` (or `npm start` without ZKARENA_SKIP_BUILD=1)",
    );
  }
  const { file, stream } = await logFile(env, "web");
  const child = spawn(
    bin("next"),
    ["start", "--hostname", env.ZKARENA_WEB_HOST, "--port", String(env.ZKARENA_WEB_PORT)],
    {
      cwd: webDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: databaseUrl,
        RPC_URL: rpcUrl,
        CHAIN_ID: String(chainId),
        // What the browser's wallet talks to; differs from RPC_URL inside containers.
        NEXT_PUBLIC_RPC_URL: env.NEXT_PUBLIC_RPC_URL ?? rpcUrl,
        NEXT_PUBLIC_CHAIN_ID: String(chainId),
        ZKARENA_DATA_DIR: env.ZKARENA_DATA_DIR,
        ZKARENA_DEPLOYMENTS_DIR: deploymentsDir(env),
        // Sign-In with Ethereum checks messages against the address people open (README, Quick start).
        SIWE_DOMAIN: env.SIWE_DOMAIN ?? `127.0.0.1:${env.ZKARENA_WEB_PORT}`,
        SIWE_URI: env.SIWE_URI ?? `http://127.0.0.1:${env.ZKARENA_WEB_PORT}`,
        ...(await localSecrets(env)),
      },
    },
  );
  child.stdout.pipe(stream);
  child.stderr.pipe(stream);
  supervise("web", child, file);
  const url = `http://127.0.0.1:${env.ZKARENA_WEB_PORT}`;
  await waitFor(
    "the web app",
    async () => (await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok,
    120_000,
  );
  return url;
}

/** The worker process (apps/worker/src/main.ts): indexes the escrow into the database and runs jobs. */
async function startWorker(env: StartEnv, databaseUrl: string, rpcUrl: string, chainId: number) {
  const { file, stream } = await logFile(env, "worker");
  const started = (await readFile(file, "utf8").catch(() => "")).length;
  const child = spawn(process.execPath, ["--import", "tsx", path.join("apps", "worker", "src", "main.ts")], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      RPC_URL: rpcUrl,
      CHAIN_ID: String(chainId),
      ZKARENA_DATA_DIR: env.ZKARENA_DATA_DIR,
      ZKARENA_DEPLOYMENTS_DIR: deploymentsDir(env),
    },
  });
  child.stdout.pipe(stream);
  child.stderr.pipe(stream);
  supervise("worker", child, file);
  // Ready once the indexer has checked the chain and the escrow (its first log line after start-up).
  await waitFor(
    "the worker",
    async () => {
      if (child.exitCode !== null) throw new StartError(`the worker exited (see ${file})`);
      return (await readFile(file, "utf8")).slice(started).includes('"event":"indexer.started"');
    },
    90_000,
  );
  return `indexer + jobs (pid ${child.pid}), log ${path.relative(repoRoot, file) || file}`;
}

async function main() {
  process.env.TURBO_TELEMETRY_DISABLED ??= "1";
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  const env = parseStartEnv(process.env);
  // Configuration errors first: they must not wait behind a build.
  const { readDbEnv } = await import("@zkarena/db/env");
  readDbEnv({ DATABASE_URL: env.DATABASE_URL });
  await preflight(env);
  await build(env);
  const database = await startDatabase(env);
  say(`database ready: ${database.description}`);
  const chain = await startChain(env);
  say(`chain ready: ${chain.description}`);
  const contracts = await deploy(env, chain.rpcUrl);
  if (env.ZKARENA_SEED === "1") await seed(database.url, chain.chainId);
  const worker =
    env.ZKARENA_WORKER === "1"
      ? await startWorker(env, database.url, chain.rpcUrl, chain.chainId)
      : "not started here (ZKARENA_WORKER=0)";
  const url = await startWeb(env, database.url, chain.rpcUrl, chain.chainId);
  const logs = path.relative(repoRoot, path.join(env.ZKARENA_DATA_DIR, "logs")) || env.ZKARENA_DATA_DIR;
  console.log(
    [
      "",
      `zkArena is running at ${url}   (started in ${seconds()} s)`,
      "",
      `  web        ${url}  (status: ${url}/status)`,
      `  database   ${database.description}`,
      `  chain      ${chain.description}`,
      ...contracts.map((c, i) => `  ${i === 0 ? "contracts " : "          "} ${c}`),
      `  worker     ${worker}`,
      `  logs       ${logs}/`,
      "",
      "Press Ctrl-C to stop. Data is kept for the next start.",
      "",
    ].join("\n"),
  );
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`\n[zkarena] cannot start: ${message}\n`);
  await stopAll(1);
});
