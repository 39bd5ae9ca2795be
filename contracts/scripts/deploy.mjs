#!/usr/bin/env node
// Deploys zkArena's contracts once per chain and records them in packages/chain/deployments/<chainId>.json.
//
//   node contracts/scripts/deploy.mjs [--rpc-url http://127.0.0.1:8545] [--deployments-dir DIR]
//   import { ensureDeployed } from "<repo>/contracts/scripts/deploy.mjs"
//
// Idempotent: when the deployments file exists and every recorded contract still has code at its
// address whose hash matches both the record and the current build (contracts/out), it is reused and
// nothing is sent. Otherwise everything is deployed again (later contracts take earlier addresses as
// constructor arguments, so a partial redeploy would mix generations) and the file is replaced
// atomically. The key comes from the `privateKey` argument or DEPLOYER_PRIVATE_KEY; only on chain 31337
// (anvil) does it default to anvil's public account 0.
//
// Then every generated verifier in contracts/src/verifiers (scripts/verifiers.mjs) is deployed and
// registered in the registry under keccak256(bytes(circuitId)) with its vk hash and public-signal count,
// and recorded under `verifiers.<circuitId>`. Also idempotent: a recorded verifier whose code matches the
// build is reused, a registry entry with the same verifier and vk hash is kept. The registry is
// append-only, so an entry with another vk hash (the circuit changed) cannot be replaced: on anvil
// everything is redeployed; on any other chain the script stops and says what to do.
//
// On chain 31337 only, a development ERC-20 (contracts/src/dev/DevToken.sol, "zkArena Dev USD", zkUSD,
// 18 decimals, anyone can mint) is deployed with DEV_TOKEN_AMOUNT_EACH minted to each of anvil's ten
// public accounts (anvilAccounts()) and recorded under `devToken`, so ERC-20 challenges can be created
// and tested locally. Also idempotent: a recorded token whose code matches the build is reused. Never
// on any other chain: a record for another chain with `devToken` is refused.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  keccak256,
  stringToHex,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

import { DEPLOYABLES, defaultDeploymentsDir, loadArtifact, repoRoot } from "./lib.mjs";
import { listVerifiers } from "./verifiers.mjs";

export const ANVIL_CHAIN_ID = 31337;
/** anvil's account 0 (from its public test mnemonic). Never holds real funds; never used elsewhere. */
export const ANVIL_DEFAULT_PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** anvil's default mnemonic (public knowledge): its ten funded, unlocked accounts derive from it. */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

/** anvil's ten public accounts (the development token's holders), derived as anvil does (m/44'/60'/0'/0/i). */
export function anvilAccounts(count = 10) {
  return Array.from(
    { length: count },
    (_, i) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }).address,
  );
}
/** The development ERC-20 (contracts/src/dev/DevToken.sol; name and symbol are fixed in its constructor). */
export const DEV_TOKEN = { contract: "DevToken", name: "zkArena Dev USD", symbol: "zkUSD", decimals: 18 };
/** Minted to each of anvilAccounts() when the development token is deployed: 1,000,000 zkUSD. */
export const DEV_TOKEN_AMOUNT_EACH = 1_000_000n * 10n ** 18n;

const HEX_KEY = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * Runtime code with every immutable's bytes zeroed, so code deployed from a build can be compared with
 * the build's `deployedBytecode` (where the compiler leaves immutables as zeros).
 * @param {`0x${string}`} code
 * @param {Record<string, { start: number, length: number }[]>} immutableReferences
 */
export function normalizeRuntimeCode(code, immutableReferences) {
  let hex = code.slice(2).toLowerCase();
  for (const refs of Object.values(immutableReferences)) {
    for (const { start, length } of refs) {
      hex = hex.slice(0, start * 2) + "0".repeat(length * 2) + hex.slice((start + length) * 2);
    }
  }
  return `0x${hex}`;
}

/**
 * Validates a deployments file's contents; throws an Error naming the file and the problem.
 * (packages/chain has the zod schema for consumers; this script stays dependency-free besides viem.)
 */
function parseDeploymentsFile(text, file, chainId) {
  const bad = (why) =>
    new Error(`${file} is not a valid deployments file (${why}). Fix it or delete it to redeploy.`);
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(`invalid JSON: ${error instanceof Error ? error.message : error}`);
  }
  if (typeof json !== "object" || json === null) throw bad("not an object");
  if (json.chainId !== chainId) throw bad(`chainId ${json.chainId} but the node reports ${chainId}`);
  if (typeof json.contracts !== "object" || json.contracts === null) throw bad("no contracts object");
  const isRecord = (c) =>
    ADDRESS.test(c?.address) &&
    HASH.test(c?.txHash) &&
    HASH.test(c?.codeHash) &&
    Number.isSafeInteger(c?.blockNumber);
  for (const [name, c] of Object.entries(json.contracts)) {
    if (!isRecord(c)) throw bad(`contract ${name} needs address, blockNumber, txHash and codeHash`);
  }
  if (json.verifiers !== undefined && (typeof json.verifiers !== "object" || json.verifiers === null))
    throw bad("verifiers must be an object");
  for (const [id, v] of Object.entries(json.verifiers ?? {})) {
    if (
      !isRecord(v) ||
      !HASH.test(v?.vkHash) ||
      !HASH.test(v?.registryKey) ||
      typeof v?.contract !== "string"
    )
      throw bad(
        `verifier ${id} needs contract, address, blockNumber, txHash, codeHash, registryKey and vkHash`,
      );
  }
  if (json.devToken !== undefined) {
    const t = json.devToken;
    if (
      !isRecord(t) ||
      typeof t?.contract !== "string" ||
      typeof t?.symbol !== "string" ||
      typeof t?.name !== "string" ||
      !Number.isSafeInteger(t?.decimals)
    )
      throw bad("devToken needs contract, name, symbol, decimals, address, blockNumber, txHash and codeHash");
    if (chainId !== ANVIL_CHAIN_ID) throw bad(`a development token is recorded on chain ${chainId}`);
  }
  return json;
}

/** Turns viem's transport errors into "no node at URL" with a way out. */
function describeRpcError(error, rpcUrl) {
  const detail = error instanceof Error ? (error.shortMessage ?? error.message) : String(error);
  return new Error(
    `No Ethereum node answered at ${rpcUrl} (${detail.split("\n")[0]}). Start one with ` +
      "`npx anvil --host 127.0.0.1 --port 8545` (or `npm start`), or pass --rpc-url / set RPC_URL.",
    { cause: error },
  );
}

/**
 * @typedef {{ address: `0x${string}`, blockNumber: number, txHash: `0x${string}`, codeHash: `0x${string}` }} ContractRecord
 * @typedef {ContractRecord & { contract: string, registryKey: `0x${string}`, vkHash: `0x${string}`, nPublic: number }} VerifierRecord
 * @typedef {ContractRecord & { contract: string, name: string, symbol: string, decimals: number }} DevTokenRecord
 * @typedef {{ chainId: number, deployedAt: string,
 *   contracts: { VerifierRegistry: ContractRecord, ArenaEscrow: ContractRecord } & Record<string, ContractRecord>,
 *   verifiers: Record<string, VerifierRecord>, devToken?: DevTokenRecord }} Deployment
 *   The shape of packages/chain/deployments/<chainId>.json (validated with zod in @zkarena/chain).
 */

/** The registry key of a circuit: keccak256 of its id's UTF-8 bytes. */
export function circuitKey(circuitId) {
  return keccak256(stringToHex(circuitId));
}

/**
 * Deploys the contracts unless the recorded deployment is still live and matches the build.
 * @param {{
 *   rpcUrl: string,
 *   privateKey?: `0x${string}`,
 *   deploymentsDir?: string,
 *   log?: (message: string) => void,
 *   verifiersDir?: string,
 * }} options `privateKey` defaults to DEPLOYER_PRIVATE_KEY, then (chain 31337 only) anvil's account 0;
 *   `deploymentsDir` defaults to packages/chain/deployments; `log` defaults to console.log;
 *   `verifiersDir` (tests) defaults to contracts/src/verifiers.
 * @returns {Promise<{ chainId: number, reused: boolean, file: string, deployment: Deployment }>}
 */
export async function ensureDeployed({
  rpcUrl,
  privateKey,
  deploymentsDir = defaultDeploymentsDir,
  log = (message) => console.log(message),
  verifiersDir,
}) {
  // Load the build first: a missing build is the more actionable error.
  const artifacts = Object.fromEntries(DEPLOYABLES.map(({ name }) => [name, loadArtifact(name)]));
  const verifiers = listVerifiers(verifiersDir).map((v) => ({
    ...v,
    artifact: loadArtifact(v.contractName),
  }));

  const transport = http(rpcUrl, { retryCount: 0, timeout: 10_000 });
  const publicClient = createPublicClient({ transport, cacheTime: 0 });
  let chainId;
  try {
    chainId = await publicClient.getChainId();
  } catch (error) {
    throw describeRpcError(error, rpcUrl);
  }

  const file = path.join(deploymentsDir, `${chainId}.json`);
  let recorded = null;
  if (existsSync(file)) recorded = parseDeploymentsFile(readFileSync(file, "utf8"), file, chainId);

  // The wallet is only created when something must be sent (a key may be absent for a pure re-use).
  let wallet;
  const getWallet = () => {
    if (!wallet) {
      const account = privateKeyToAccount(resolvePrivateKey(privateKey, chainId, log));
      const chain = defineChain({
        id: chainId,
        name: `chain-${chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [rpcUrl] } },
      });
      wallet = { account, client: createWalletClient({ account, chain, transport, cacheTime: 0 }) };
    }
    return wallet;
  };

  let contracts = null;
  if (recorded) {
    const stale = await findStale(publicClient, recorded, artifacts);
    if (stale === null) contracts = recorded.contracts;
    else log(`Redeploying on chain ${chainId}: ${stale}.`);
  }
  let reused = contracts !== null;
  if (reused) for (const [name, c] of Object.entries(contracts)) log(`${name}: reused ${c.address}`);
  else contracts = await deployCore(publicClient, getWallet(), artifacts, chainId, log);

  let result = await ensureVerifiers(
    publicClient,
    getWallet,
    contracts,
    recorded?.verifiers ?? {},
    verifiers,
    chainId,
    log,
  );
  if (result.conflict) {
    if (chainId !== ANVIL_CHAIN_ID) throw new Error(result.conflict);
    log(`Redeploying on chain ${chainId}: ${result.conflict.split(":")[0]}.`);
    contracts = await deployCore(publicClient, getWallet(), artifacts, chainId, log);
    reused = false;
    result = await ensureVerifiers(
      publicClient,
      getWallet,
      contracts,
      recorded?.verifiers ?? {},
      verifiers,
      chainId,
      log,
    );
    if (result.conflict) throw new Error(result.conflict);
  }
  const recordedIds = Object.keys(recorded?.verifiers ?? {})
    .sort()
    .join();
  reused &&=
    result.reused &&
    recordedIds ===
      verifiers
        .map((v) => v.circuitId)
        .sort()
        .join();

  // The development token: local chain only, after everything else (its address depends on the nonce).
  let devToken;
  if (chainId === ANVIL_CHAIN_ID) {
    const token = await ensureDevToken(publicClient, getWallet, recorded?.devToken, chainId, log);
    devToken = token.record;
    reused &&= token.reused;
  }

  if (reused) return { chainId, reused: true, file, deployment: recorded };
  const deployment = {
    chainId,
    contracts,
    verifiers: result.records,
    ...(devToken ? { devToken } : {}),
    deployedAt: new Date().toISOString(),
  };
  writeAtomically(file, JSON.stringify(deployment, null, 2) + "\n");
  log(`Wrote ${path.relative(process.cwd(), file) || file}`);
  return { chainId, reused: false, file, deployment };
}

/** Sends a deployment and returns its record; throws on a failed or code-less deployment. */
async function deployContract(publicClient, { client }, name, { abi, bytecode }, args, chainId) {
  const txHash = await client.deployContract({ abi, bytecode, args });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
  // anvil mines a reverting deployment as a failed transaction instead of rejecting it.
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new Error(`Deploying ${name} failed on chain ${chainId} (tx ${txHash}, status ${receipt.status}).`);
  }
  const address = getAddress(receipt.contractAddress);
  const code = await publicClient.getCode({ address });
  if (!code || code === "0x") throw new Error(`${name} at ${address} has no code after deployment.`);
  return { address, blockNumber: Number(receipt.blockNumber), txHash, codeHash: keccak256(code) };
}

/** Deploys the registry and the escrow (in DEPLOYABLES order). */
async function deployCore(publicClient, wallet, artifacts, chainId, log) {
  const contracts = {};
  for (const { name } of DEPLOYABLES) {
    // Constructor arguments per contract; later contracts take earlier addresses from `contracts`.
    const args = constructorArgs(name, wallet.account.address, contracts);
    contracts[name] = await deployContract(publicClient, wallet, name, artifacts[name], args, chainId);
    const c = contracts[name];
    log(`${name}: deployed ${c.address} (block ${c.blockNumber}, tx ${c.txHash})`);
  }
  return contracts;
}

/**
 * Makes every generated verifier deployed and registered in `contracts.VerifierRegistry`.
 * @returns {Promise<{ records: Record<string, VerifierRecord>, reused: boolean, conflict?: string }>}
 *   `conflict`: the registry holds another verifier / vk for a circuit id (append-only, cannot be fixed in place).
 */
async function ensureVerifiers(publicClient, getWallet, contracts, recorded, verifiers, chainId, log) {
  const registry = contracts.VerifierRegistry.address;
  const registryAbi = loadArtifact("VerifierRegistry").abi;
  const records = {};
  let reused = true;
  for (const v of verifiers) {
    const registryKey = circuitKey(v.circuitId);
    // `get` reverts with VerifierRegistry__NotRegistered for an unknown id.
    const entry = await publicClient
      .readContract({ address: registry, abi: registryAbi, functionName: "get", args: [registryKey] })
      .catch((error) => {
        if (String(error?.message).includes("VerifierRegistry__NotRegistered")) return null;
        throw error;
      });
    const registered = entry !== null;
    if (registered && (entry.vkHash.toLowerCase() !== v.vkHash || entry.deprecated)) {
      return {
        records,
        reused: false,
        conflict:
          `registry ${registry} holds ${v.circuitId} with vk ${entry.vkHash}${entry.deprecated ? " (deprecated)" : ""}, ` +
          `the build has ${v.vkHash}: the registry is append-only, so register the new key under a new circuit id ` +
          "(a new entry in circuits/circuits.json) or deploy a new registry and escrow",
      };
    }
    // Reuse: the registered verifier, else the recorded one, if its code is this build's.
    let record = null;
    const previous = recorded[v.circuitId];
    for (const address of [registered ? entry.verifier : null, previous?.address]) {
      if (!address) continue;
      const code = await publicClient.getCode({ address });
      if (code && normalizeRuntimeCode(code, {}) === normalizeRuntimeCode(v.artifact.deployedBytecode, {})) {
        record =
          previous && getAddress(previous.address) === getAddress(address)
            ? { address: getAddress(address), blockNumber: previous.blockNumber, txHash: previous.txHash }
            : { address: getAddress(address), blockNumber: 0, txHash: `0x${"0".repeat(64)}` };
        record.codeHash = keccak256(code);
        break;
      }
    }
    if (registered && (!record || record.address !== getAddress(entry.verifier))) {
      return {
        records,
        reused: false,
        conflict: `registry ${registry} holds ${v.circuitId} with verifier ${entry.verifier}, whose code is not the build's ${v.contractName}`,
      };
    }
    if (record) log(`${v.contractName}: reused ${record.address}`);
    else {
      reused = false;
      record = await deployContract(publicClient, getWallet(), v.contractName, v.artifact, [], chainId);
      log(`${v.contractName}: deployed ${record.address} (block ${record.blockNumber}, tx ${record.txHash})`);
    }
    if (!registered) {
      reused = false;
      const { account, client } = getWallet();
      const { request } = await publicClient.simulateContract({
        account,
        address: registry,
        abi: registryAbi,
        functionName: "register",
        args: [registryKey, record.address, v.vkHash, v.nPublic],
      });
      const hash = await client.writeContract(request);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`Registering ${v.circuitId} failed (tx ${hash}).`);
      log(`${v.contractName}: registered as ${v.circuitId} (${registryKey})`);
    }
    records[v.circuitId] = {
      contract: v.contractName,
      ...record,
      registryKey,
      vkHash: v.vkHash,
      nPublic: v.nPublic,
    };
  }
  return { records, reused };
}

/**
 * Makes the development ERC-20 deployed (chain 31337 only; the caller checks): reuses the recorded one
 * when its code is this build's, else deploys it with DEV_TOKEN_AMOUNT_EACH minted to each anvil account.
 * @param {DevTokenRecord | undefined} recorded
 * @returns {Promise<{ record: DevTokenRecord, reused: boolean }>}
 */
async function ensureDevToken(publicClient, getWallet, recorded, chainId, log) {
  const artifact = loadArtifact(DEV_TOKEN.contract);
  if (recorded) {
    const code = await publicClient.getCode({ address: recorded.address });
    if (
      code &&
      keccak256(code) === recorded.codeHash &&
      normalizeRuntimeCode(code, artifact.immutableReferences) ===
        normalizeRuntimeCode(artifact.deployedBytecode, artifact.immutableReferences)
    ) {
      log(`${DEV_TOKEN.contract}: reused ${recorded.address}`);
      return { record: recorded, reused: true };
    }
  }
  const c = await deployContract(
    publicClient,
    getWallet(),
    DEV_TOKEN.contract,
    artifact,
    [anvilAccounts(), DEV_TOKEN_AMOUNT_EACH],
    chainId,
  );
  log(
    `${DEV_TOKEN.contract} (${DEV_TOKEN.symbol}, development only): deployed ${c.address} (block ${c.blockNumber}, tx ${c.txHash}), ` +
      `${DEV_TOKEN_AMOUNT_EACH / 10n ** BigInt(DEV_TOKEN.decimals)} minted to each of anvil's 10 accounts`,
  );
  return {
    record: {
      contract: DEV_TOKEN.contract,
      name: DEV_TOKEN.name,
      symbol: DEV_TOKEN.symbol,
      decimals: DEV_TOKEN.decimals,
      ...c,
    },
    reused: false,
  };
}

/**
 * @param {string} name
 * @param {`0x${string}`} deployer
 * @param {Record<string, ContractRecord>} deployed the contracts deployed so far in this run
 */
function constructorArgs(name, deployer, deployed) {
  switch (name) {
    case "VerifierRegistry":
      return [deployer];
    case "ArenaEscrow":
      return [deployed.VerifierRegistry.address];
    default:
      throw new Error(`deploy.mjs does not know the constructor arguments of ${name}.`);
  }
}

/** @returns {Promise<string | null>} why the recorded deployment cannot be reused, or null. */
async function findStale(publicClient, recorded, artifacts) {
  for (const { name } of DEPLOYABLES) {
    const c = recorded.contracts[name];
    if (!c) return `${name} is not recorded`;
    const code = await publicClient.getCode({ address: c.address });
    if (!code || code === "0x") return `no code at ${name}'s address ${c.address} (was the chain reset?)`;
    if (keccak256(code) !== c.codeHash)
      return `the code at ${name}'s address ${c.address} is not the recorded one`;
    const { deployedBytecode, immutableReferences } = artifacts[name];
    if (
      normalizeRuntimeCode(code, immutableReferences) !==
      normalizeRuntimeCode(deployedBytecode, immutableReferences)
    ) {
      return `${name}'s build (contracts/out) differs from the deployed code`;
    }
  }
  return null;
}

function resolvePrivateKey(privateKey, chainId, log) {
  const key = privateKey ?? process.env.DEPLOYER_PRIVATE_KEY;
  if (key !== undefined && key !== "") {
    if (!HEX_KEY.test(key)) throw new Error("DEPLOYER_PRIVATE_KEY must be 0x followed by 64 hex digits.");
    return key;
  }
  if (chainId === ANVIL_CHAIN_ID) {
    log("No DEPLOYER_PRIVATE_KEY: using anvil's well-known account 0 (local chain 31337 only).");
    return ANVIL_DEFAULT_PRIVATE_KEY;
  }
  throw new Error(`Set DEPLOYER_PRIVATE_KEY to deploy on chain ${chainId} (only 31337 has a default key).`);
}

function writeAtomically(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file); // same folder, so the rename is atomic: readers see the old or the new file
}

async function main() {
  const { values } = parseArgs({
    options: {
      "rpc-url": { type: "string", default: process.env.RPC_URL ?? "http://127.0.0.1:8545" },
      "deployments-dir": { type: "string", default: defaultDeploymentsDir },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "Usage: node contracts/scripts/deploy.mjs [--rpc-url URL] [--deployments-dir DIR]\n" +
        `Defaults: --rpc-url $RPC_URL or http://127.0.0.1:8545, --deployments-dir ${path.relative(process.cwd(), defaultDeploymentsDir)}\n` +
        "Key: DEPLOYER_PRIVATE_KEY (chain 31337 defaults to anvil's account 0).",
    );
    return;
  }
  const { reused, file } = await ensureDeployed({
    rpcUrl: values["rpc-url"],
    deploymentsDir: path.resolve(values["deployments-dir"]),
  });
  console.log(reused ? `Deployment in ${path.relative(repoRoot, file)} is current.` : "Deployed.");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(`deploy: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  });
}
