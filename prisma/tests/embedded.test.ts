import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EmbeddedDatabaseBusyError, readLock, startEmbeddedServer } from "../src/embedded.ts";
import { connectPostgres, openDb } from "../src/index.ts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("startEmbeddedServer", () => {
  it("creates, migrates and serves a PGlite folder; keeps data across restarts; refuses a second owner", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "zkarena-embedded-"));
    dirs.push(dataDir);

    const first = await startEmbeddedServer({ dataDir });
    expect(first.created).toBe(true);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(await readLock(dataDir)).toMatchObject({ pid: process.pid, port: first.port });

    // A second owner would corrupt the folder: it must be refused with a way out.
    await expect(startEmbeddedServer({ dataDir })).rejects.toThrow(EmbeddedDatabaseBusyError);
    await expect(startEmbeddedServer({ dataDir })).rejects.toThrow(
      /DATABASE_URL=postgresql:\/\/.*127\.0\.0\.1/,
    );

    // Other processes reach it through openDb (lock file → socket), concurrently.
    const client = await openDb({ DATABASE_URL: undefined, ZKARENA_DATA_DIR: dataDir, DATABASE_POOL_MAX: 4 });
    expect(client.kind).toBe("postgresql");
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.db.account.create({ data: { address: `0x${String(i).repeat(40)}` } }),
      ),
    );
    expect(await client.db.account.count()).toBe(8);
    await client.close();
    await first.close();
    expect(await readLock(dataDir)).toBeNull();

    const second = await startEmbeddedServer({ dataDir });
    try {
      expect(second.created).toBe(false);
      expect(second.applied).toEqual([]);
      const again = connectPostgres(second.url);
      expect(await again.db.account.count()).toBe(8);
      await again.close();
    } finally {
      await second.close();
    }
  });
});

describe("the embedded server shared by several connections", () => {
  it("keeps each connection's extended-query sequence whole next to another connection's transactions", async () => {
    // One PGlite session serves every connection. Before prisma/src/pglite-turns.ts, a simple-query
    // BEGIN/COMMIT from one connection landed between another's Parse and Execute: 450 of these 600
    // queries failed with `portal "" does not exist` or returned another query's rows.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "zkarena-embedded-"));
    dirs.push(dataDir);
    const server = await startEmbeddedServer({ dataDir });
    const { default: pg } = await import("pg");
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const c = new pg.Client({ connectionString: server.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const failures: string[] = [];
      await Promise.all(
        clients.map(async (c, k) => {
          for (let i = 0; i < 150; i++) {
            try {
              if (k === 0) {
                await c.query("BEGIN");
                await c.query("SELECT $1::int AS i", [i]);
                await c.query("COMMIT");
                continue;
              }
              const r = await c.query(`SELECT $1::int + $2::int AS s, $3::text AS t, ${k} AS k${k}`, [
                i,
                k,
                `c${k}`,
              ]);
              if (r.rows[0]?.s !== i + k || r.rows[0]?.t !== `c${k}`)
                failures.push(`wrong row for ${k}/${i}`);
            } catch (error) {
              failures.push((error as Error).message);
            }
          }
        }),
      );
      expect(failures).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await server.close();
    }
  }, 180_000);
});
