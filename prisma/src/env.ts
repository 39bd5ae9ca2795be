// The only place in @zkarena/db that reads process.env.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const postgresUrl = z
  .string()
  .trim()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "postgresql:" || url.protocol === "postgres:") && url.hostname !== "";
      } catch {
        return false;
      }
    },
    {
      message:
        "DATABASE_URL must look like postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE (or be unset to use the embedded PGlite database)",
    },
  );

const schema = z.object({
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v))
    .pipe(postgresUrl.optional()),
  /** Where embedded state lives (PGlite data, anvil state); git-ignored. */
  ZKARENA_DATA_DIR: z.string().min(1).default(path.join(repoRoot, ".zkarena")),
  /** Largest pool a process opens against PostgreSQL. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
});

export type DbEnv = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function readDbEnv(source: Record<string, string | undefined> = process.env): DbEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "env"}: ${i.message}`);
    throw new ConfigError(`invalid database configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export { repoRoot };
