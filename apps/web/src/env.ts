// The only place in apps/web that reads process.env (server side).
//
// The browser's chain settings are read here at *run time* and handed to the client providers as
// props by the root layout. `process.env.NEXT_PUBLIC_*` member accesses would be inlined by
// `next build`, freezing the build machine's values into the bundle; parsing the whole `process.env`
// object is not rewritten, so one build serves any RPC URL / chain id it is started with.
import { z } from "zod";

const emptyAsUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const publicSchema = z.object({
  /** Chain the browser wallet must be on (31337 = anvil; enables the development wallet). */
  NEXT_PUBLIC_CHAIN_ID: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "NEXT_PUBLIC_CHAIN_ID must be a positive integer, e.g. 31337" })
      .int()
      .positive()
      .default(31337),
  ),
  /** JSON-RPC endpoint the browser uses for that chain. */
  NEXT_PUBLIC_RPC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({
        protocol: /^https?$/,
        error: "NEXT_PUBLIC_RPC_URL must be an http(s) URL, e.g. http://127.0.0.1:8545",
      })
      .default("http://127.0.0.1:8545"),
  ),
  /**
   * The web app's public origin (the API's SIWE_URI: the address people open, never taken from a
   * request). Links that leave the site, like the reveal URI the escrow stores, are built on it.
   */
  SIWE_URI: z.preprocess(
    emptyAsUndefined,
    z
      .url({
        protocol: /^https?$/,
        error: "SIWE_URI must be an http(s) URL, e.g. https://zkarena.example.org",
      })
      .default("http://127.0.0.1:3000"),
  ),
});

/** What the browser needs to know, passed from the server layout to the client providers. */
export interface PublicEnv {
  chainId: number;
  rpcUrl: string;
  /** The site's origin, without a trailing slash (from SIWE_URI). */
  siteUrl: string;
}

export function parsePublicEnv(source: Record<string, string | undefined>): PublicEnv {
  const parsed = publicSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid web configuration:\n${lines.join("\n")}`);
  }
  return {
    chainId: parsed.data.NEXT_PUBLIC_CHAIN_ID,
    rpcUrl: parsed.data.NEXT_PUBLIC_RPC_URL,
    siteUrl: new URL(parsed.data.SIWE_URI).origin,
  };
}

const serverSchema = z.object({
  /** JSON-RPC endpoint the server reads the chain through (may differ from the browser's). */
  RPC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: "RPC_URL must be an http(s) URL, e.g. http://127.0.0.1:8545" })
      .optional(),
  ),
  /** Folder of the deployment records (<chainId>.json); default: packages/chain/deployments. */
  ZKARENA_DEPLOYMENTS_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  /** Folder of the circuit builds served to the browser prover; default: <repo>/circuits/build. */
  ZKARENA_CIRCUITS_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
});

/** Server-only settings (never sent to the browser). */
export interface ServerEnv {
  rpcUrl: string;
  deploymentsDir: string | undefined;
  circuitsDir: string | undefined;
}

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const pub = parsePublicEnv(source);
  const parsed = serverSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid web configuration:\n${lines.join("\n")}`);
  }
  return {
    rpcUrl: parsed.data.RPC_URL ?? pub.rpcUrl,
    deploymentsDir: parsed.data.ZKARENA_DEPLOYMENTS_DIR,
    circuitsDir: parsed.data.ZKARENA_CIRCUITS_DIR,
  };
}

let cachedServer: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cachedServer ??= parseServerEnv(process.env);
  return cachedServer;
}

let cached: PublicEnv | undefined;

/** The public settings of this server process (parsed once). */
export function publicEnv(): PublicEnv {
  cached ??= parsePublicEnv(process.env);
  return cached;
}
