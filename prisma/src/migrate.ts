// Migrations without the native Prisma schema engine: Prisma's WebAssembly schema engine
// (@prisma/schema-engine-wasm, the same engine the CLI ships natively) driven through a driver
// adapter. `applyMigrations` is `prisma migrate deploy` (it writes the standard `_prisma_migrations`
// table, so the official CLI works on the same database wherever its binary can be had);
// `migrationStatus` is `prisma migrate status`; `diffSchemas` produces the SQL for a new migration.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type * as EngineModule from "@prisma/schema-engine-wasm/schema_engine_bg";

type SchemaEngine = EngineModule.SchemaEngine;
type MigrationList = Parameters<SchemaEngine["applyMigrations"]>[0]["migrationsList"];

const here = path.dirname(fileURLToPath(import.meta.url));
/** The `prisma/` package folder (schema.prisma, migrations/). */
export const packageDir = path.resolve(here, "..");
export const schemaPath = path.join(packageDir, "schema.prisma");
export const migrationsDir = path.join(packageDir, "migrations");

const noFilter = { externalTables: [], externalEnums: [] };

let enginePromise: Promise<typeof EngineModule> | undefined;

/** Instantiates the WebAssembly module once per process. */
function loadEngineModule(): Promise<typeof EngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package exports only its JS entry points; the .wasm file sits beside them.
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as typeof EngineModule & {
      __wbg_set_wasm(exports: object): void;
    };
    const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
    // Node's global WebAssembly, typed here because the package compiles without the DOM lib.
    type Exports = Record<string, unknown> & { __wbindgen_start?: () => void };
    const { WebAssembly: wasm } = globalThis as unknown as {
      WebAssembly: {
        instantiate(b: Uint8Array, imports: object): Promise<{ instance: { exports: Exports } }>;
      };
    };
    const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start?.();
    return bg;
  })();
  return enginePromise;
}

export type MigrationLog = (line: string) => void;

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
  schema?: string,
): Promise<T> {
  const mod = await loadEngineModule();
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const datamodels: [string, string][] | undefined = schema ? [[schemaPath, schema]] : undefined;
  let engine: SchemaEngine;
  try {
    engine = await mod.SchemaEngine.new({ datamodels }, () => {}, bound);
  } catch (error) {
    throw engineError(bound.errorRegistry, error);
  }
  try {
    return await fn(engine);
  } catch (error) {
    throw engineError(bound.errorRegistry, error);
  } finally {
    engine.free();
  }
}

/**
 * The engine reports database failures by the id under which the adapter registered the original
 * error; turn that back into the driver's error so the user sees what PostgreSQL said.
 */
function engineError(registry: { consumeError(id: number): { error: unknown } | undefined }, error: unknown) {
  const id = (error as { id?: unknown } | null)?.id;
  const record = typeof id === "number" ? registry.consumeError(id) : undefined;
  const original = record?.error;
  if (original instanceof Error) return original;
  if (original !== undefined)
    return new Error(`database error during migration: ${JSON.stringify(original)}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Reads prisma/migrations in the layout `prisma migrate` uses (folder per migration, migration.sql). */
export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    folders.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      const content = await readFile(file, "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (error: Error) => ({ tag: "error" as const, value: error.message }),
      );
      // Paths are relative to baseDir: the engine stores the folder name as the migration name.
      return { path: name, migrationFile: { path: path.join(name, "migration.sql"), content } };
    }),
  );
  const lockPath = path.join(dir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** `prisma migrate deploy`: applies every pending migration; returns the names it applied. */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { dir?: string; log?: MigrationLog } = {},
): Promise<string[]> {
  const migrationsList = await readMigrations(options.dir);
  const { appliedMigrationNames } = await withEngine(factory, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilter }),
  );
  for (const name of appliedMigrationNames) options.log?.(`applied migration ${name}`);
  return appliedMigrationNames;
}

export interface MigrationStatus {
  hasMigrationsTable: boolean;
  pending: string[];
  failed: string[];
  edited: string[];
  /** Migrations in the database that the migrations folder does not have. */
  unknown: string[];
  upToDate: boolean;
}

/** `prisma migrate status`, without a shadow database. */
export async function migrationStatus(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { dir?: string } = {},
): Promise<MigrationStatus> {
  const migrationsList = await readMigrations(options.dir);
  const out = await withEngine(factory, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilter }),
  );
  const history = out.history;
  const pending =
    history?.diagnostic === "databaseIsBehind" || history?.diagnostic === "historiesDiverge"
      ? history.unappliedMigrationNames
      : [];
  const unknown =
    history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge"
      ? history.unpersistedMigrationNames
      : [];
  return {
    hasMigrationsTable: out.hasMigrationsTable,
    pending,
    failed: out.failedMigrationNames,
    edited: out.editedMigrationNames,
    unknown,
    upToDate:
      history === null && out.failedMigrationNames.length === 0 && out.editedMigrationNames.length === 0,
  };
}

/**
 * SQL that turns the database the committed migrations produce into the one `schema` describes:
 * the body of the next migration ("" when they agree, which is also the drift check). The engine
 * replays the migrations on the adapter's shadow database (a fresh in-memory PGlite for the embedded
 * adapter), so nothing touches a real database.
 */
export async function pendingSchemaChange(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: string,
  options: { dir?: string } = {},
): Promise<string> {
  const migrationsList = await readMigrations(options.dir);
  const from =
    migrationsList.migrationDirectories.length === 0
      ? ({ tag: "empty" } as const)
      : ({ tag: "migrations", ...migrationsList } as const);
  const out = await withEngine(
    factory,
    (engine) =>
      engine.diff({
        from,
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
        script: true,
        exitCode: null,
        filters: noFilter,
      }),
    schema,
  );
  const sql = out.stdout ?? "";
  return /^\s*(--[^\n]*\n\s*)*$/.test(sql) || sql.includes("-- This is an empty migration.") ? "" : sql;
}
