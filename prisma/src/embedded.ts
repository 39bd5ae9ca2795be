// The embedded database: PGlite (PostgreSQL compiled to WebAssembly) with its data under
// ZKARENA_DATA_DIR/pglite. A PGlite data folder must never be opened by two instances (two
// instances on one folder lose writes), so exactly one process owns it: it takes a lock file,
// applies the migrations and serves the database on 127.0.0.1 through pglite-socket; every other
// process (web, worker, CLI) connects to that port with an ordinary DATABASE_URL.
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, type MigrationLog } from "./migrate.ts";
import { serializeProtocolTurns } from "./pglite-turns.ts";

export interface LockInfo {
  pid: number;
  port: number;
  startedAt: string;
}

export class EmbeddedDatabaseBusyError extends Error {
  override name = "EmbeddedDatabaseBusyError";
  constructor(
    readonly dataDir: string,
    readonly owner: LockInfo,
  ) {
    super(
      `the embedded database in ${dataDir} is already served by process ${owner.pid} on 127.0.0.1:${owner.port}. ` +
        `Stop that process (it is probably another 'npm start'), or connect to it with ` +
        `DATABASE_URL=${embeddedUrl(owner.port)}`,
    );
  }
}

export function embeddedUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Who serves the embedded database in `dataDir` now, if anyone. */
export async function readLock(dataDir: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(path.join(dataDir, "pglite.lock"), "utf8")) as LockInfo;
    return isAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, "pglite.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(
        JSON.stringify({ pid: process.pid, port: 0, startedAt: new Date().toISOString() }),
      );
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = await readLock(dataDir);
      if (owner) throw new EmbeddedDatabaseBusyError(dataDir, owner);
      await rm(lockPath, { force: true }); // left behind by a process that died
    }
  }
  throw new Error(`could not take the lock ${lockPath}; remove it if no zkArena process is running`);
}

export interface EmbeddedServer {
  /** DATABASE_URL for other processes. */
  url: string;
  port: number;
  dataDir: string;
  /** Migrations applied by this start (empty when the database was up to date). */
  applied: string[];
  /** True when this start created the database. */
  created: boolean;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the PGlite database in `dataDir`, applies pending migrations, and serves
 * it on host:port (port 0 picks a free one). Throws EmbeddedDatabaseBusyError if another live process
 * serves it already.
 */
export async function startEmbeddedServer(options: {
  dataDir: string;
  host?: string;
  port?: number;
  maxConnections?: number;
  log?: MigrationLog;
}): Promise<EmbeddedServer> {
  const { dataDir, host = "127.0.0.1", port = 0, maxConnections = 32, log } = options;
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await takeLock(dataDir);
  try {
    const pgDir = path.join(dataDir, "pglite");
    const created = !(await readFile(path.join(pgDir, "PG_VERSION"), "utf8").then(
      () => true,
      () => false,
    ));
    if (created) log?.(`creating the embedded database in ${pgDir} (first start takes 20-40 s)`);
    const db = await PGlite.create({ dataDir: pgDir });
    const applied = await applyMigrations(new PrismaPGlite(db), { log });
    const server = new PGLiteSocketServer({ db, host, port, maxConnections });
    serializeProtocolTurns(server);
    await server.start();
    const address = server.getServerConn();
    const actualPort = Number(address.slice(address.lastIndexOf(":") + 1));
    const handle = await open(path.join(dataDir, "pglite.lock"), "w");
    await handle.writeFile(
      JSON.stringify({ pid: process.pid, port: actualPort, startedAt: new Date().toISOString() }),
    );
    await handle.close();
    let closed = false;
    return {
      url: embeddedUrl(actualPort),
      port: actualPort,
      dataDir,
      applied,
      created,
      async close() {
        if (closed) return;
        closed = true;
        await server.stop();
        await db.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}
