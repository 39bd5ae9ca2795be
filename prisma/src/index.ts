// The database client package. One factory, two back ends:
// - DATABASE_URL set: PostgreSQL through @prisma/adapter-pg (also how every process reaches the
//   embedded database that `npm start` serves);
// - DATABASE_URL unset: PGlite in this process, data under ZKARENA_DATA_DIR/pglite, migrations
//   applied on open. If another process already serves that folder, connect to it instead (see
//   embedded.ts: a data folder is never opened twice).
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/prisma/client";
import { readDbEnv, type DbEnv } from "./env.ts";
import { embeddedUrl, readLock } from "./embedded.ts";
import { applyMigrations } from "./migrate.ts";

export * from "./generated/prisma/client";
export { ConfigError, readDbEnv } from "./env.ts";

export type Db = PrismaClient;

export interface DbHandle {
  db: PrismaClient;
  /** "postgresql" (a server, possibly the embedded one through its socket) or "pglite" (in process). */
  kind: "postgresql" | "pglite";
  /** Where the data is, without credentials. */
  location: string;
  close(): Promise<void>;
}

function redact(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** A client for a PostgreSQL URL. */
export function connectPostgres(url: string, poolMax = 10): DbHandle {
  const adapter = new PrismaPg({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000 });
  const db = new PrismaClient({ adapter });
  return { db, kind: "postgresql", location: redact(url), close: () => db.$disconnect() };
}

/** A client on an in-process PGlite (a folder, or memory when `dataDir` is undefined). */
export async function openPglite(dataDir?: string): Promise<DbHandle & { pglite: PGlite }> {
  const pglite = await PGlite.create(dataDir ? { dataDir } : {});
  await applyMigrations(new PrismaPGlite(pglite));
  const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    db,
    pglite,
    kind: "pglite",
    location: dataDir ?? "memory",
    async close() {
      await db.$disconnect();
      await pglite.close();
    },
  };
}

/** Opens the database this configuration names (see the comment at the top of this file). */
export async function openDb(env: DbEnv = readDbEnv()): Promise<DbHandle> {
  if (env.DATABASE_URL) return connectPostgres(env.DATABASE_URL, env.DATABASE_POOL_MAX);
  const owner = await readLock(env.ZKARENA_DATA_DIR);
  if (owner && owner.port > 0) return connectPostgres(embeddedUrl(owner.port), env.DATABASE_POOL_MAX);
  return openPglite(path.join(env.ZKARENA_DATA_DIR, "pglite"));
}

const globalForDb = globalThis as unknown as { __zkarenaDb?: Promise<DbHandle> };

/**
 * The process-wide client. Kept on globalThis so that hot reload in `next dev` re-uses it instead of
 * opening a new pool (or a second PGlite on the same folder) per reload.
 */
export function getDb(): Promise<DbHandle> {
  globalForDb.__zkarenaDb ??= openDb().catch((error: unknown) => {
    globalForDb.__zkarenaDb = undefined;
    throw error;
  });
  return globalForDb.__zkarenaDb;
}

export interface DbStatus {
  ok: boolean;
  kind: DbHandle["kind"];
  location: string;
  latencyMs: number;
  serverVersion?: string;
  migrations?: number;
  error?: string;
}

/** A health probe for the status page: one round trip, the server version and applied migrations. */
export async function dbStatus(handle: DbHandle): Promise<DbStatus> {
  const started = performance.now();
  try {
    const [row] = await handle.db.$queryRaw<{ version: string; migrations: bigint }[]>`
      SELECT current_setting('server_version') AS version,
             (SELECT count(*) FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) AS migrations`;
    return {
      ok: true,
      kind: handle.kind,
      location: handle.location,
      latencyMs: Math.round(performance.now() - started),
      serverVersion: row?.version,
      migrations: Number(row?.migrations ?? 0),
    };
  } catch (error) {
    return {
      ok: false,
      kind: handle.kind,
      location: handle.location,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
