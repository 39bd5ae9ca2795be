// Test databases for every package's integration tests. With DATABASE_URL set (CI: real
// PostgreSQL 15), each call creates a fresh database named zkarena_test_<random> on that server,
// applies the committed migrations (the same path production uses) and drops it on cleanup, so
// test files running in parallel never share state. Without DATABASE_URL it opens an in-memory
// PGlite with the migrations applied.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { readDbEnv } from "./env.ts";
import { connectPostgres, openPglite, type DbHandle } from "./index.ts";
import { applyMigrations } from "./migrate.ts";

export interface TestDb extends DbHandle {
  /** The fresh database's URL (PostgreSQL only). */
  url?: string;
}

export async function createTestDb(): Promise<TestDb> {
  const { DATABASE_URL } = readDbEnv();
  if (!DATABASE_URL) return openPglite();

  const name = `zkarena_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  await applyMigrations(new PrismaPg({ connectionString: url.toString() }));
  const handle = connectPostgres(url.toString(), 5);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const drop = new pg.Client({ connectionString: DATABASE_URL });
      await drop.connect();
      try {
        await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await drop.end();
      }
    },
  };
}
