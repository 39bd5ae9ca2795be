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
