// Health of everything the app depends on: the database, the chain and the deployed contracts.
// `status.get` never throws for a dependency that is down: it reports `ok: false` with the error
// and a hint the operator can act on (the status page and /api/health render it as is).
import { type TRPCRouterRecord } from "@trpc/server";
import { dbStatus } from "@zkarena/db";
import {
  chainStatus,
  contractsStatus,
  createChainClients,
  deploymentsDir,
  loadDeployment,
} from "@zkarena/chain";
import path from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { readApiEnv, type ApiEnv } from "../env.ts";
import { baseProcedure, type TRPCContext } from "../trpc.ts";

/** A dependency probe gets this long before it counts as down. */
const CHECK_TIMEOUT_MS = 5_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Shows where the RPC is without leaking an API key that providers put in the path or query. */
export function redactRpcUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = (u.pathname !== "" && u.pathname !== "/") || u.search !== "" || u.username !== "";
    return `${u.protocol}//${u.host}${hidden ? "/…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}

export interface DatabaseReport {
  ok: boolean;
  kind: "postgresql" | "pglite" | null;
  location: string | null;
  latencyMs: number | null;
  serverVersion: string | null;
  migrations: number | null;
  error: string | null;
  hint: string | null;
}

export interface ChainReport {
  ok: boolean;
  rpcUrl: string;
  expectedChainId: number;
  chainId: number | null;
  /** Decimal string (block numbers are uint64). */
  blockNumber: string | null;
  latencyMs: number | null;
  error: string | null;
  hint: string | null;
}

export interface ContractReport {
  name: string;
  address: string;
  hasCode: boolean;
  codeHashMatches: boolean;
}

export interface ContractsReport {
  ok: boolean;
  chainId: number;
  deploymentFound: boolean;
  items: ContractReport[];
  error: string | null;
  hint: string | null;
}

export interface StatusReport {
  ok: boolean;
  version: { app: string; node: string };
  checkedAt: Date;
  database: DatabaseReport;
  chain: ChainReport;
  contracts: ContractsReport;
}

async function checkDatabase(ctx: TRPCContext): Promise<DatabaseReport> {
  const down = (error: string, partial: Partial<DatabaseReport> = {}): DatabaseReport => ({
    ok: false,
    kind: null,
    location: null,
    latencyMs: null,
    serverVersion: null,
    migrations: null,
    ...partial,
    error,
    hint: "Start the whole stack with `npm start` (it serves the embedded database), or check that DATABASE_URL points at a running PostgreSQL and that migrations were applied (`npm run migrate -w @zkarena/db`).",
  });
  if (!ctx.db) return down(ctx.dbError ?? "the database could not be opened");
  try {
    const s = await withTimeout(dbStatus(ctx.db), "the database");
    const report = {
      kind: s.kind,
      location: s.location,
      latencyMs: s.latencyMs,
      serverVersion: s.serverVersion ?? null,
      migrations: s.migrations ?? null,
    };
    if (!s.ok) return down(s.error ?? "the database did not answer", report);
    if (!report.migrations) {
      return down("no migrations have been applied", report);
    }
    return { ok: true, ...report, error: null, hint: null };
  } catch (error) {
    return down(message(error), { kind: ctx.db.kind, location: ctx.db.location });
  }
}

async function checkChainAndContracts(
  env: ApiEnv,
): Promise<{ chain: ChainReport; contracts: ContractsReport }> {
  const chain: ChainReport = {
    ok: false,
    rpcUrl: redactRpcUrl(env.RPC_URL),
    expectedChainId: env.CHAIN_ID,
    chainId: null,
    blockNumber: null,
    latencyMs: null,
    error: null,
    hint: null,
  };
  const contracts: ContractsReport = {
    ok: false,
    chainId: env.CHAIN_ID,
    deploymentFound: false,
    items: [],
    error: null,
    hint: null,
  };
  const chainHint =
    env.CHAIN_ID === 31337
      ? "Start the local chain with `npm start` (it runs anvil on 127.0.0.1:8545), or check RPC_URL."
      : "Check RPC_URL and that the node is reachable from this server.";

  try {
    const s = await withTimeout(chainStatus(env.RPC_URL), "the RPC endpoint");
    chain.latencyMs = s.latencyMs;
    if (!s.ok) {
      chain.error = s.error;
      chain.hint = chainHint;
    } else {
      chain.chainId = s.chainId;
      chain.blockNumber = String(s.blockNumber);
      if (s.chainId !== env.CHAIN_ID) {
        chain.error = `the RPC endpoint is on chain ${s.chainId}, but CHAIN_ID is ${env.CHAIN_ID}`;
        chain.hint = "Point RPC_URL at a node of chain CHAIN_ID, or change CHAIN_ID.";
      } else {
        chain.ok = true;
      }
    }
  } catch (error) {
    chain.error = message(error);
    chain.hint = chainHint;
  }

  const deployHint =
    env.CHAIN_ID === 31337
      ? "Run `npm start` (it deploys the contracts to anvil) or `npm run deploy -w @zkarena/contracts`."
      : `Deploy the contracts to chain ${env.CHAIN_ID} and commit packages/chain/deployments/${env.CHAIN_ID}.json.`;
  try {
    const dir = env.ZKARENA_DEPLOYMENTS_DIR ?? deploymentsDir;
    const deployment = await loadDeployment(env.CHAIN_ID, dir);
    if (!deployment) {
      contracts.error = `no deployment file for chain ${env.CHAIN_ID} (looked for ${path.join(dir, `${env.CHAIN_ID}.json`)})`;
      contracts.hint = deployHint;
      return { chain, contracts };
    }
    contracts.deploymentFound = true;
    if (!chain.ok) {
      contracts.error = "cannot check the contracts while the chain is unreachable";
      contracts.hint = chain.hint;
      return { chain, contracts };
    }
    const clients = createChainClients(env.RPC_URL);
    const result = await withTimeout(
      contractsStatus(clients.publicClient, deployment),
      "the contracts check",
    );
    contracts.items = Object.entries(result).map(([name, c]) => ({
      name,
      address: c.address,
      hasCode: c.hasCode,
      codeHashMatches: c.codeHashMatches,
    }));
    const missing = contracts.items.filter((c) => !c.hasCode).map((c) => c.name);
    const changed = contracts.items.filter((c) => c.hasCode && !c.codeHashMatches).map((c) => c.name);
    if (contracts.items.length === 0) {
      contracts.error = "the deployment file lists no contracts";
      contracts.hint = deployHint;
    } else if (missing.length > 0) {
      contracts.error = `no code at the deployed address of ${missing.join(", ")} (the chain was probably restarted)`;
      contracts.hint = deployHint;
    } else if (changed.length > 0) {
      contracts.error = `the code of ${changed.join(", ")} differs from the deployment file`;
      contracts.hint = "Redeploy the contracts, or rebuild them so the deployment file matches the chain.";
    } else {
      contracts.ok = true;
    }
  } catch (error) {
    contracts.error = message(error);
    contracts.hint = deployHint;
  }
  return { chain, contracts };
}

export const statusRouter = {
  /** Database, chain and contracts health; never throws for a dependency that is down. */
  get: baseProcedure.query(async ({ ctx }): Promise<StatusReport> => {
    let env: ApiEnv;
    try {
      env = readApiEnv();
    } catch (error) {
      const database = await checkDatabase(ctx);
      const err = message(error);
      return {
        ok: false,
        version: { app: packageJson.version, node: process.version },
        checkedAt: new Date(),
        database,
        chain: {
          ok: false,
          rpcUrl: "(invalid)",
          expectedChainId: 0,
          chainId: null,
          blockNumber: null,
          latencyMs: null,
          error: err,
          hint: "Fix RPC_URL / CHAIN_ID.",
        },
        contracts: {
          ok: false,
          chainId: 0,
          deploymentFound: false,
          items: [],
          error: err,
          hint: "Fix RPC_URL / CHAIN_ID.",
        },
      };
    }
    const [database, { chain, contracts }] = await Promise.all([
      checkDatabase(ctx),
      checkChainAndContracts(env),
    ]);
    return {
      ok: database.ok && chain.ok && contracts.ok,
      version: { app: packageJson.version, node: process.version },
      checkedAt: new Date(),
      database,
      chain,
      contracts,
    };
  }),
} satisfies TRPCRouterRecord;
