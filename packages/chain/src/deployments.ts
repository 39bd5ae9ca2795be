// Deployment records written by contracts/scripts/deploy.mjs: packages/chain/deployments/<chainId>.json.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { z } from "zod";

/**
 * Default folder of the deployment records. It is computed from this file's location, which is wrong
 * once a bundler (Next) has moved the code: bundled callers pass their own folder to loadDeployment.
 */
export const deploymentsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "deployments");

const addressSchema = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), { error: "must be a 20-byte 0x address" })
  .transform((value): Address => getAddress(value));
const hashSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, { error: "must be a 32-byte 0x hash" })
  .transform((value) => value.toLowerCase() as Hex);

export const contractDeploymentSchema = z.object({
  address: addressSchema,
  blockNumber: z.number().int().nonnegative(),
  txHash: hashSchema,
  /** keccak256 of the runtime code right after deployment. */
  codeHash: hashSchema,
});

/** A generated Groth16 verifier, deployed and registered in the VerifierRegistry for one circuit. */
export const verifierDeploymentSchema = contractDeploymentSchema.extend({
  /** Solidity contract name (contracts/src/verifiers/<contract>.sol). */
  contract: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: "must be a Solidity contract name" }),
  /** Registry key: keccak256(bytes(circuitId)). */
  registryKey: hashSchema,
  /** `0x` + sha256 of the verification key (canonical JSON), as circuits/scripts/lib.mjs computes it. */
  vkHash: hashSchema,
  nPublic: z.number().int().min(1).max(255),
});

/**
 * The development ERC-20 (contracts/src/dev/DevToken.sol) that deploy.mjs deploys on anvil (chain 31337)
 * only, minted to anvil's ten public accounts. Worthless and mintable by anyone: never on a real chain.
 */
export const devTokenDeploymentSchema = contractDeploymentSchema.extend({
  contract: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: "must be a Solidity contract name" }),
  name: z.string().min(1).max(64),
  symbol: z.string().regex(/^[A-Za-z0-9]{1,16}$/, { error: "must be 1-16 letters or digits" }),
  decimals: z.number().int().min(0).max(36),
});

/** circuits/circuits.json ids: lower-case words joined by "-". */
export const circuitIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: "must be a circuit id" });

export const deploymentSchema = z
  .object({
    chainId: z.number().int().positive(),
    // Every contract the app needs is required, so a stale record fails here and not at first use.
    contracts: z
      .object({ VerifierRegistry: contractDeploymentSchema, ArenaEscrow: contractDeploymentSchema })
      .catchall(contractDeploymentSchema),
    /** Registered verifiers by circuit id (absent in records written before verifiers were deployed). */
    verifiers: z.record(circuitIdSchema, verifierDeploymentSchema).default({}),
    /** The development ERC-20: present on chain 31337 only (absent in records written before it existed). */
    devToken: devTokenDeploymentSchema.optional(),
    deployedAt: z.iso.datetime(),
  })
  .refine((d) => d.devToken === undefined || d.chainId === 31337, {
    error: "a development token may only be recorded for chain 31337",
    path: ["devToken"],
  });

export type ContractDeployment = z.infer<typeof contractDeploymentSchema>;
export type VerifierDeployment = z.infer<typeof verifierDeploymentSchema>;
export type DevTokenDeployment = z.infer<typeof devTokenDeploymentSchema>;
export type Deployment = z.infer<typeof deploymentSchema>;
export type ContractName = keyof Deployment["contracts"];

/** A deployment record that cannot be used; the message says which file and how to fix it. */
export class DeploymentFileError extends Error {
  override name = "DeploymentFileError";
}

const REDEPLOY_HINT = "Redeploy with `node contracts/scripts/deploy.mjs --rpc-url <url>` or fix the file.";

/**
 * Validates a deployment record (the parsed JSON, or its text). `source` names it in error messages.
 * @throws DeploymentFileError on invalid JSON or a record that does not match the schema.
 */
export function parseDeployment(json: unknown, source = "deployment record"): Deployment {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DeploymentFileError(`${source} is not valid JSON (${reason}). ${REDEPLOY_HINT}`);
    }
  }
  const result = deploymentSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new DeploymentFileError(`${source} is invalid: ${problems.join("; ")}. ${REDEPLOY_HINT}`);
  }
  return result.data;
}

/**
 * Reads `<dir>/<chainId>.json`.
 * @returns the record, or null if there is none (nothing deployed on that chain yet).
 * @throws DeploymentFileError if the file exists but is unusable or belongs to another chain.
 */
export async function loadDeployment(
  chainId: number,
  dir: string = deploymentsDir,
): Promise<Deployment | null> {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new RangeError(`Chain id must be a positive integer, got ${chainId}.`);
  }
  const file = path.join(dir, `${chainId}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return null;
    throw error;
  }
  const deployment = parseDeployment(text, file);
  if (deployment.chainId !== chainId) {
    throw new DeploymentFileError(
      `${file} records chain ${deployment.chainId}, not ${chainId}. ${REDEPLOY_HINT}`,
    );
  }
  return deployment;
}
