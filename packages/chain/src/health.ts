// Liveness of the chain and of the deployed contracts, for the status page and start-up checks.
import { keccak256, type Address, type GetCodeParameters, type GetCodeReturnType } from "viem";

import { createChainClients } from "./clients.ts";
import type { Deployment } from "./deployments.ts";

export type ChainStatus =
  | { ok: true; chainId: number; blockNumber: number; latencyMs: number; error?: undefined }
  | { ok: false; chainId: null; blockNumber: null; latencyMs: number; error: string };

export interface ContractStatus {
  address: Address;
  /** Something is deployed at the address (false after an anvil restart without --state). */
  hasCode: boolean;
  /** The code is the one recorded at deployment (false if another contract or build is there). */
  codeHashMatches: boolean;
}

/**
 * Asks the node at `rpcUrl` for its chain id and head block, without retries, so an absent node is
 * reported within `timeoutMs` (default 3 s). Never throws.
 */
export async function chainStatus(
  rpcUrl: string,
  options: { timeoutMs?: number } = {},
): Promise<ChainStatus> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const { publicClient } = createChainClients(rpcUrl, {
      retryCount: 0,
      timeoutMs: options.timeoutMs ?? 3_000,
    });
    const [chainId, blockNumber] = await Promise.all([
      publicClient.getChainId(),
      publicClient.getBlockNumber(),
    ]);
    return { ok: true, chainId, blockNumber: Number(blockNumber), latencyMs: elapsed() };
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
    return {
      ok: false,
      chainId: null,
      blockNumber: null,
      latencyMs: elapsed(),
      error: `No Ethereum node answered at ${rpcUrl} (${detail}). Start one (\`npm start\` runs anvil) or set RPC_URL.`,
    };
  }
}

/** The part of a viem public client contractsStatus needs. */
export interface CodeReader {
  getCode(args: GetCodeParameters): Promise<GetCodeReturnType>;
}

/**
 * For each contract in `deployment`: is there code at its address, and is it the recorded code?
 * Throws if the node cannot be reached (check chainStatus first).
 */
export async function contractsStatus(
  client: CodeReader,
  deployment: Deployment,
): Promise<Record<string, ContractStatus>> {
  const entries = await Promise.all(
    Object.entries(deployment.contracts).map(async ([name, contract]) => {
      const code = await client.getCode({ address: contract.address });
      const hasCode = code !== undefined && code !== "0x";
      const status: ContractStatus = {
        address: contract.address,
        hasCode,
        codeHashMatches: hasCode && keccak256(code) === contract.codeHash,
      };
      return [name, status] as const;
    }),
  );
  return Object.fromEntries(entries);
}
