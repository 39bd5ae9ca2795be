// Configuration: flags > environment > config file (~/.config/zkarena/config.json or --config).
// The signing key comes from an encrypted keystore (passphrase from ZKARENA_KEYSTORE_PASSWORD or the
// terminal) or ZKARENA_PRIVATE_KEY; it is never printed, logged or put into an error message.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { z } from "zod";
import { loadDeployment, type Deployment } from "@zkarena/chain";
import { CliError, EXIT, configError } from "./errors.ts";
import { homeDir, type CliEnv } from "./env.ts";
import { decryptKeystore } from "./keystore.ts";

export const configFileSchema = z.strictObject({
  rpcUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  chainId: z.number().int().positive().optional(),
  escrow: z
    .string()
    .refine((a) => isAddress(a, { strict: false }), { error: "must be a 0x address" })
    .optional(),
  deploymentsDir: z.string().min(1).optional(),
  keystore: z.string().min(1).optional(),
  circuitsDir: z.string().min(1).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** Global flags every command accepts. */
export interface GlobalFlags {
  config?: string;
  rpcUrl?: string;
  apiUrl?: string;
  chainId?: string;
  escrow?: string;
  deployments?: string;
  keystore?: string;
  json?: boolean;
}

export interface ResolvedConfig {
  rpcUrl: string;
  apiUrl: string | null;
  chainId: number;
  escrow: Address | null;
  deploymentsDir: string | null;
  keystore: string | null;
  circuitsDir: string | null;
  home: string;
  /** Where each value came from (flag / env / file / default), for `zkarena config show`. */
  sources: Record<string, "flag" | "env" | "file" | "default">;
  configFile: string | null;
}

export interface Terminal {
  /** Reads a line (hidden when `secret`); null when there is no terminal to ask. */
  prompt?: (question: string, opts: { secret: boolean }) => Promise<string | null>;
}

function readConfigFile(file: string, explicit: boolean): ConfigFile {
  if (!existsSync(file)) {
    if (explicit) throw configError(`config file ${file} does not exist; create it or drop --config`);
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw configError(`config file ${file} is not valid JSON (${(e as Error).message})`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success)
    throw configError(
      `config file ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")} (allowed keys: ${Object.keys(configFileSchema.shape).join(", ")})`,
    );
  return parsed.data;
}

export function resolveConfig(flags: GlobalFlags, env: CliEnv, cwd: string): ResolvedConfig {
  const home = homeDir(env);
  const explicitFile = flags.config ?? env.ZKARENA_CONFIG;
  const configFile = explicitFile ? path.resolve(cwd, explicitFile) : path.join(home, "config.json");
  const file = readConfigFile(configFile, explicitFile !== undefined);
  const sources: ResolvedConfig["sources"] = {};
  const pick = <T>(
    key: string,
    flag: T | undefined,
    fromEnv: T | undefined,
    fromFile: T | undefined,
  ): T | undefined => {
    if (flag !== undefined) return ((sources[key] = "flag"), flag);
    if (fromEnv !== undefined) return ((sources[key] = "env"), fromEnv);
    if (fromFile !== undefined) return ((sources[key] = "file"), fromFile);
    return undefined;
  };
  const rpcUrl =
    pick("rpcUrl", flags.rpcUrl, env.ZKARENA_RPC_URL, file.rpcUrl) ??
    ((sources.rpcUrl = "default"), "http://127.0.0.1:8545");
  if (!/^https?:\/\/[^\s]+$/.test(rpcUrl))
    throw configError(`RPC URL "${rpcUrl}" must be an http(s) URL, e.g. http://127.0.0.1:8545`);
  const apiUrl = pick("apiUrl", flags.apiUrl, env.ZKARENA_API_URL, file.apiUrl) ?? null;
  if (apiUrl !== null && !/^https?:\/\/[^\s]+$/.test(apiUrl))
    throw configError(`API URL "${apiUrl}" must be an http(s) URL, e.g. http://127.0.0.1:3000`);
  const chainIdRaw =
    pick("chainId", flags.chainId, env.ZKARENA_CHAIN_ID, file.chainId?.toString()) ??
    ((sources.chainId = "default"), "31337");
  const chainId = Number(chainIdRaw);
  if (!Number.isSafeInteger(chainId) || chainId <= 0)
    throw configError(`chain id "${chainIdRaw}" must be a positive integer, e.g. 31337`);
  const escrowRaw = pick("escrow", flags.escrow, env.ZKARENA_ESCROW, file.escrow);
  if (escrowRaw !== undefined && !isAddress(escrowRaw, { strict: false }))
    throw configError(`escrow "${escrowRaw}" is not a 0x address`);
  const dep = pick("deploymentsDir", flags.deployments, env.ZKARENA_DEPLOYMENTS_DIR, file.deploymentsDir);
  const ks = pick("keystore", flags.keystore, env.ZKARENA_KEYSTORE, file.keystore);
  const circuits = pick("circuitsDir", undefined, env.ZKARENA_CIRCUITS_DIR, file.circuitsDir);
  return {
    rpcUrl,
    apiUrl: apiUrl ? apiUrl.replace(/\/+$/, "") : null,
    chainId,
    escrow: escrowRaw ? getAddress(escrowRaw) : null,
    deploymentsDir: dep ? path.resolve(cwd, dep) : null,
    keystore: ks ? path.resolve(cwd, ks) : null,
    circuitsDir: circuits ? path.resolve(cwd, circuits) : null,
    home,
    sources,
    configFile: existsSync(configFile) ? configFile : null,
  };
}

/** The escrow address: configured, or from the deployment record of the chain. */
export async function resolveEscrow(
  cfg: ResolvedConfig,
): Promise<{ escrow: Address; deployment: Deployment | null }> {
  if (cfg.escrow) return { escrow: cfg.escrow, deployment: null };
  let deployment: Deployment | null;
  try {
    deployment = cfg.deploymentsDir
      ? await loadDeployment(cfg.chainId, cfg.deploymentsDir)
      : await loadDeployment(cfg.chainId);
  } catch (e) {
    throw configError((e as Error).message);
  }
  if (!deployment)
    throw configError(
      `no escrow address for chain ${cfg.chainId}: pass --escrow 0x…, set ZKARENA_ESCROW, or point --deployments at a folder with ${cfg.chainId}.json (written by contracts/scripts/deploy.mjs)`,
    );
  return { escrow: deployment.contracts.ArenaEscrow.address, deployment };
}

/** The signing account. Never returns or prints the key itself beyond the viem account object. */
export async function loadAccount(
  cfg: ResolvedConfig,
  env: CliEnv,
  term: Terminal,
): Promise<PrivateKeyAccount> {
  if (cfg.keystore) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(cfg.keystore, "utf8"));
    } catch (e) {
      throw configError(
        `keystore ${cfg.keystore} cannot be read as JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    let pass = env.ZKARENA_KEYSTORE_PASSWORD;
    if (pass === undefined) {
      const answer = term.prompt
        ? await term.prompt(`Passphrase for ${path.basename(cfg.keystore)}: `, { secret: true })
        : null;
      if (answer === null)
        throw configError(
          "the keystore needs a passphrase: set ZKARENA_KEYSTORE_PASSWORD or run in a terminal",
        );
      pass = answer;
    }
    return privateKeyToAccount(decryptKeystore(json, pass, cfg.keystore));
  }
  const pk = env.ZKARENA_PRIVATE_KEY;
  if (pk !== undefined) {
    const normalised = pk.startsWith("0x") ? pk : `0x${pk}`;
    // The message never quotes the value.
    if (!isHex(normalised) || normalised.length !== 66)
      throw configError("ZKARENA_PRIVATE_KEY must be 32 bytes of hex (64 hex digits, 0x optional)");
    return privateKeyToAccount(normalised as Hex);
  }
  throw new CliError(
    "this command signs: give a key with --keystore <file> (encrypted JSON keystore; `zkarena account create` makes one) or ZKARENA_PRIVATE_KEY",
    EXIT.config,
  );
}
