// The only place in @zkarena/api that reads process.env.
import { z } from "zod";

const MIN_SECRET_CHARS = 32;

/** Development-only defaults: refused when NODE_ENV=production (see `readApiEnv`). */
export const DEV_SESSION_SECRET = "zkarena-development-session-secret-NOT-FOR-PRODUCTION";
/** 32 bytes, hex; development only. */
export const DEV_DATASET_MASTER_KEY = "0".repeat(63) + "1";

const positiveInt = (name: string, example: number) =>
  z.coerce
    .number({ error: `${name} must be a positive integer, e.g. ${example}` })
    .int({ error: `${name} must be a positive integer, e.g. ${example}` })
    .positive({ error: `${name} must be a positive integer, e.g. ${example}` });

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** JSON-RPC endpoint of the chain the escrow lives on (anvil locally). */
  RPC_URL: z
    .url({ protocol: /^https?$/, error: "RPC_URL must be an http(s) URL, e.g. http://127.0.0.1:8545" })
    .default("http://127.0.0.1:8545"),
  /** Chain id the deployments file and the app are configured for (31337 = anvil). */
  CHAIN_ID: z.coerce
    .number({ error: "CHAIN_ID must be a positive integer, e.g. 31337" })
    .int()
    .positive()
    .default(31337),
  /** Folder holding <chainId>.json deployment files; unset = the one in @zkarena/chain. */
  ZKARENA_DEPLOYMENTS_DIR: z.string().min(1).optional(),

  /** ERC-4361 `domain` sign-in messages must name (host[:port] of the web app, never taken from the request). */
  SIWE_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, {
      error: "SIWE_DOMAIN must be host[:port], e.g. zkarena.example.org or 127.0.0.1:3000",
    })
    .default("127.0.0.1:3000"),
  /** ERC-4361 `uri` origin sign-in messages must name; its scheme is the required `scheme`. */
  SIWE_URI: z
    .url({ protocol: /^https?$/, error: "SIWE_URI must be an http(s) URL, e.g. https://zkarena.example.org" })
    .default("http://127.0.0.1:3000"),
  /** Lifetime of a sign-in nonce. */
  SIWE_NONCE_TTL_SECONDS: positiveInt("SIWE_NONCE_TTL_SECONDS", 600).max(3600).default(600),
  /** HS256 key of the session cookie (≥ 32 characters); required in production. */
  SESSION_SECRET: z
    .string()
    .min(MIN_SECRET_CHARS, { error: `SESSION_SECRET must be at least ${MIN_SECRET_CHARS} characters` })
    .optional(),
  /** Session lifetime for an externally owned account. */
  SESSION_TTL_SECONDS: positiveInt("SESSION_TTL_SECONDS", 86400).default(86_400),
  /** Session lifetime for a contract wallet (ERC-1271 can change its answer, threat A3). */
  SESSION_TTL_CONTRACT_SECONDS: positiveInt("SESSION_TTL_CONTRACT_SECONDS", 900).default(900),
  /** AES-256 master key wrapping the hidden splits' data keys: 64 hex characters; required in production. */
  DATASET_MASTER_KEY: z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{64}$/, {
      error: "DATASET_MASTER_KEY must be 32 bytes as 64 hex characters (e.g. `openssl rand -hex 32`)",
    })
    .optional(),
  /** Name of DATASET_MASTER_KEY, stored beside each wrapped key (for rotation). */
  DATASET_MASTER_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, {
      error: "DATASET_MASTER_KEY_ID must be 1-64 characters of A-Z a-z 0-9 . _ -",
    })
    .default("k1"),
  /** Largest request body the HTTP adapter reads (bytes). */
  API_MAX_BODY_BYTES: positiveInt("API_MAX_BODY_BYTES", 8388608).default(8 * 1024 * 1024),
  /** Reverse proxies in front of the app that append to X-Forwarded-For (0 = none). */
  TRUSTED_PROXY_COUNT: z.coerce
    .number({ error: "TRUSTED_PROXY_COUNT must be an integer ≥ 0" })
    .int()
    .min(0)
    .max(10)
    .default(0),
  /** Sign-in requests (auth.nonce, auth.verify) per minute per IP and per address. */
  RATE_LIMIT_AUTH_PER_MINUTE: positiveInt("RATE_LIMIT_AUTH_PER_MINUTE", 20).default(20),
  /** Writes (mutations) per minute per IP and per signed-in address. */
  RATE_LIMIT_WRITE_PER_MINUTE: positiveInt("RATE_LIMIT_WRITE_PER_MINUTE", 60).default(60),
  /** Dataset downloads per minute per IP. */
  RATE_LIMIT_DOWNLOAD_PER_MINUTE: positiveInt("RATE_LIMIT_DOWNLOAD_PER_MINUTE", 30).default(30),
});

type ParsedEnv = z.infer<typeof schema>;

export interface ApiEnv extends Omit<ParsedEnv, "SESSION_SECRET" | "DATASET_MASTER_KEY"> {
  SESSION_SECRET: string;
  /** 32 bytes. */
  DATASET_MASTER_KEY: Buffer;
  /** Names of the variables that fell back to their development default. */
  developmentDefaults: string[];
}

export class ApiConfigError extends Error {
  override name = "ApiConfigError";
}

/**
 * Parses the api's configuration; throws an ApiConfigError naming every bad variable. Secrets have a
 * development default only when NODE_ENV is not "production" (`developmentDefaults` lists them so
 * the caller can warn loudly).
 */
export function readApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""),
  ) as Record<string, string>;
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "env"}: ${i.message}`);
    throw new ApiConfigError(`invalid api configuration:\n${lines.join("\n")}`);
  }
  const { SESSION_SECRET, DATASET_MASTER_KEY, ...rest } = parsed.data;
  const production = rest.NODE_ENV === "production";
  const missing: string[] = [];
  if (production && !SESSION_SECRET) missing.push("SESSION_SECRET (e.g. `openssl rand -hex 32`)");
  if (production && !DATASET_MASTER_KEY) missing.push("DATASET_MASTER_KEY (e.g. `openssl rand -hex 32`)");
  if (production && !source.SIWE_DOMAIN?.trim()) missing.push("SIWE_DOMAIN (the web app's host[:port])");
  if (production && !source.SIWE_URI?.trim()) missing.push("SIWE_URI (the web app's origin)");
  if (missing.length > 0) {
    throw new ApiConfigError(
      `invalid api configuration: NODE_ENV=production requires\n${missing.map((m) => `  ${m}`).join("\n")}`,
    );
  }
  const developmentDefaults: string[] = [];
  if (!SESSION_SECRET) developmentDefaults.push("SESSION_SECRET");
  if (!DATASET_MASTER_KEY) developmentDefaults.push("DATASET_MASTER_KEY");
  return {
    ...rest,
    SESSION_SECRET: SESSION_SECRET ?? DEV_SESSION_SECRET,
    DATASET_MASTER_KEY: Buffer.from((DATASET_MASTER_KEY ?? DEV_DATASET_MASTER_KEY).replace(/^0x/, ""), "hex"),
    developmentDefaults,
  };
}

let cached: ApiEnv | undefined;

/** The process's configuration, parsed once; warns loudly once about development defaults. */
export function apiEnv(): ApiEnv {
  if (!cached) {
    cached = readApiEnv();
    if (cached.developmentDefaults.length > 0) {
      console.warn(
        `\n!!! zkArena api: using the PUBLIC development default for ${cached.developmentDefaults.join(" and ")}. ` +
          `Anyone can forge sessions or decrypt hidden splits with it. Set ${cached.developmentDefaults.join(
            " and ",
          )} (e.g. \`openssl rand -hex 32\`) before exposing this server; NODE_ENV=production refuses to start without them.\n`,
      );
    }
  }
  return cached;
}
