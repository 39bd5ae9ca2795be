import { readFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  migrationStatus,
  pendingSchemaChange,
  readMigrations,
  schemaPath,
} from "../src/migrate.ts";
import { createTestDb, type TestDb } from "../src/testing.ts";
import { PrismaPg } from "@prisma/adapter-pg";

describe("applyMigrations", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("records every committed migration in _prisma_migrations, as prisma migrate deploy does", async () => {
    const { migrationDirectories } = await readMigrations();
    const rows = await t.db.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(migrationDirectories.map((d) => d.path));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("applies nothing the second time and reports the database up to date", async () => {
    const factory = t.url
      ? new PrismaPg({ connectionString: t.url })
      : new PrismaPGlite((t as unknown as { pglite: PGlite }).pglite);
    expect(await applyMigrations(factory)).toEqual([]);
    const status = await migrationStatus(factory);
    expect(status).toMatchObject({ hasMigrationsTable: true, pending: [], failed: [], upToDate: true });
  });
});

describe("migrationStatus", () => {
  it("lists the migrations an empty database is missing", async () => {
    const scratch = await PGlite.create();
    try {
      const status = await migrationStatus(new PrismaPGlite(scratch));
      const { migrationDirectories } = await readMigrations();
      expect(status.upToDate).toBe(false);
      expect(status.pending).toEqual(migrationDirectories.map((d) => d.path));
    } finally {
      await scratch.close();
    }
  });
});

describe("pendingSchemaChange", () => {
  it("finds no drift between schema.prisma and the committed migrations", async () => {
    const scratch = await PGlite.create();
    try {
      expect(await pendingSchemaChange(new PrismaPGlite(scratch), await readFile(schemaPath, "utf8"))).toBe(
        "",
      );
    } finally {
      await scratch.close();
    }
  });

  it("produces the SQL for a schema change that no migration has", async () => {
    const scratch = await PGlite.create();
    try {
      const changed = (await readFile(schemaPath, "utf8")).replace(
        "model Account {",
        "model Account {\n  website String? @db.VarChar(200)",
      );
      const sql = await pendingSchemaChange(new PrismaPGlite(scratch), changed);
      expect(sql).toMatch(/ALTER TABLE "Account" ADD COLUMN\s+"website" VARCHAR\(200\)/);
    } finally {
      await scratch.close();
    }
  });
});
