// Configuration of `npm start` (scripts/start.ts): parsed once, with zod. Every variable is
// documented in .env.example.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ message: `${name} must be a port number` })
    .int()
    .min(1, `${name} must be between 1 and 65535`)
    .max(65535, `${name} must be between 1 and 65535`)
    .default(fallback);

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine(
      (v) => /^https?:\/\/[^\s/]+/.test(v),
      `${name} must be an http(s) URL, e.g. http://127.0.0.1:8545`,
    );

const blankAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const startEnvSchema = z.object({
  DATABASE_URL: z.preprocess(blankAsUndefined, z.string().optional()),
  RPC_URL: z.preprocess(blankAsUndefined, httpUrl("RPC_URL").optional()),
  DEPLOYER_PRIVATE_KEY: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, "DEPLOYER_PRIVATE_KEY must be 0x followed by 64 hex digits")
      .optional(),
  ),
  ZKARENA_WEB_PORT: port("ZKARENA_WEB_PORT", 3000),
  /** Interface the web app binds; 127.0.0.1 unless inside a container (docker-compose sets 0.0.0.0). */
  ZKARENA_WEB_HOST: z.preprocess(blankAsUndefined, z.string().default("127.0.0.1")),
  ZKARENA_ANVIL_PORT: port("ZKARENA_ANVIL_PORT", 8545),
  ZKARENA_DATA_DIR: z.preprocess(blankAsUndefined, z.string().default(path.join(repoRoot, ".zkarena"))),
  ZKARENA_SKIP_BUILD: z.preprocess(blankAsUndefined, z.enum(["0", "1"]).default("0")),
  /** The RPC URL the browser's wallet uses, when it differs from RPC_URL (containers). */
  NEXT_PUBLIC_RPC_URL: z.preprocess(blankAsUndefined, httpUrl("NEXT_PUBLIC_RPC_URL").optional()),
  ZKARENA_SEED: z.preprocess(blankAsUndefined, z.enum(["0", "1"]).default("1")),
  /** 0 = do not start the worker (indexer + jobs); docker-compose runs it as its own service. */
  ZKARENA_WORKER: z.preprocess(blankAsUndefined, z.enum(["0", "1"]).default("1")),
  /** The api's secrets and sign-in origin; unset = generated / derived for this local stack (start.ts). */
  SESSION_SECRET: z.preprocess(blankAsUndefined, z.string().optional()),
  DATASET_MASTER_KEY: z.preprocess(blankAsUndefined, z.string().optional()),
  SIWE_DOMAIN: z.preprocess(blankAsUndefined, z.string().optional()),
  SIWE_URI: z.preprocess(blankAsUndefined, z.string().optional()),
});

export type StartEnv = z.infer<typeof startEnvSchema>;

export function parseStartEnv(source: Record<string, string | undefined>): StartEnv {
  const parsed = startEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(
      "invalid configuration:\n" +
        parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n") +
        "\nSee .env.example for every variable.",
    );
  }
  return parsed.data;
}
