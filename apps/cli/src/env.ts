// The only reader of the environment: the CLI's variables, parsed with zod. `run()` receives the
// environment as an argument (tests pass their own), so nothing here touches process.env directly.
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const optional = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v === "" ? undefined : v));

export const envSchema = z.object({
  /** JSON-RPC endpoint of the chain, e.g. http://127.0.0.1:8545. */
  ZKARENA_RPC_URL: optional,
  /** Base URL of the zkArena web app / API, e.g. http://127.0.0.1:3000. */
  ZKARENA_API_URL: optional,
  /** Chain id, e.g. 31337 (anvil). */
  ZKARENA_CHAIN_ID: optional,
  /** ArenaEscrow address; else read from the deployments folder. */
  ZKARENA_ESCROW: optional,
  /** Folder with <chainId>.json deployment records (default: packages/chain/deployments). */
  ZKARENA_DEPLOYMENTS_DIR: optional,
  /** A 0x private key (never printed). Prefer an encrypted keystore. */
  ZKARENA_PRIVATE_KEY: optional,
  /** Encrypted JSON keystore (Web3 Secret Storage v3, as ethers / geth / foundry write it). */
  ZKARENA_KEYSTORE: optional,
  /** The keystore's passphrase (else it is asked for on the terminal). */
  ZKARENA_KEYSTORE_PASSWORD: z.string().optional(),
  /** Config file (default ~/.config/zkarena/config.json). */
  ZKARENA_CONFIG: optional,
  /** Where salts, commit records and downloads live (default ~/.config/zkarena). */
  ZKARENA_HOME: optional,
  /** circuits/build folder with <circuit id>/artifact.json (default: this repository's). */
  ZKARENA_CIRCUITS_DIR: optional,
  XDG_CONFIG_HOME: optional,
  HOME: optional,
  NO_COLOR: optional,
});

export type CliEnv = z.infer<typeof envSchema>;

export function readCliEnv(source: Record<string, string | undefined>): CliEnv {
  return envSchema.parse(source);
}

/** ~/.config/zkarena unless ZKARENA_HOME or XDG_CONFIG_HOME say otherwise. */
export function homeDir(env: CliEnv): string {
  if (env.ZKARENA_HOME) return path.resolve(env.ZKARENA_HOME);
  const base = env.XDG_CONFIG_HOME ?? path.join(env.HOME ?? os.homedir(), ".config");
  return path.join(base, "zkarena");
}
