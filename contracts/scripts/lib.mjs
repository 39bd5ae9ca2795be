// Shared paths and artifact loading for the contracts scripts (export-abis, deploy, forge-test).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const contractsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(contractsDir, "..");
export const outDir = path.join(contractsDir, "out");
export const chainPackageDir = path.join(repoRoot, "packages", "chain");
export const defaultDeploymentsDir = path.join(chainPackageDir, "deployments");
export const abisFile = path.join(chainPackageDir, "src", "generated", "abis.ts");

/**
 * The contracts that get deployed and whose ABIs other packages use, in deployment order.
 * `abiName` is the export in packages/chain/src/generated/abis.ts.
 */
export const DEPLOYABLES = [
  { name: "VerifierRegistry", abiName: "verifierRegistryAbi" },
  // Takes the registry's address as its constructor argument, so it comes after it.
  { name: "ArenaEscrow", abiName: "arenaEscrowAbi" },
];

export class MissingBuildError extends Error {
  constructor(file) {
    super(
      `Contract artifact ${path.relative(repoRoot, file)} is missing: run \`npm run build -w @zkarena/contracts\` first.`,
    );
    this.name = "MissingBuildError";
  }
}

/**
 * Reads forge's artifact for `name` from contracts/out.
 * @param {string} name
 * @returns {{ abi: unknown[], bytecode: `0x${string}`, deployedBytecode: `0x${string}`,
 *   immutableReferences: Record<string, { start: number, length: number }[]> }}
 */
export function loadArtifact(name) {
  const file = path.join(outDir, `${name}.sol`, `${name}.json`);
  if (!existsSync(file)) throw new MissingBuildError(file);
  const json = JSON.parse(readFileSync(file, "utf8"));
  const bytecode = json?.bytecode?.object;
  const deployedBytecode = json?.deployedBytecode?.object;
  if (!Array.isArray(json?.abi) || typeof bytecode !== "string" || typeof deployedBytecode !== "string") {
    throw new Error(
      `${path.relative(repoRoot, file)} is not a forge artifact (no abi/bytecode): delete contracts/out and rebuild.`,
    );
  }
  if (bytecode.includes("__$")) {
    throw new Error(`${name} needs library linking, which the scripts do not support.`);
  }
  return {
    abi: json.abi,
    bytecode,
    deployedBytecode,
    immutableReferences: json.deployedBytecode.immutableReferences ?? {},
  };
}
