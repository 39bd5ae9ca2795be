import {
  createPublicClient,
  createWalletClient,
  http,
  type Account,
  type Chain,
  type Hex,
  type HttpTransport,
  type PublicClient,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

export interface ClientOptions {
  /** Chain definition (see chainFromId); needed for writes, optional for reads. */
  chain?: Chain;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Retries on transport errors. Default 2; use 0 for health checks that must fail fast. */
  retryCount?: number;
}

export type ChainPublicClient = PublicClient<HttpTransport, Chain | undefined>;

/**
 * A viem public client for `rpcUrl`. `cacheTime: 0` because the indexer and the tests advance the
 * chain (mine, time travel, reorg) and must never see a cached block number.
 */
export function createChainClients(rpcUrl: string, options: ClientOptions = {}) {
  const transport = http(rpcUrl, {
    timeout: options.timeoutMs ?? 10_000,
    retryCount: options.retryCount ?? 2,
  });
  const publicClient: ChainPublicClient = createPublicClient({
    chain: options.chain,
    transport,
    cacheTime: 0,
  });
  return { publicClient, transport, rpcUrl };
}

/**
 * A wallet client that signs locally with `account` (a viem account or a 0x private key) and sends
 * through `rpcUrl`. Server-side only (the CLI, the worker, tests); browsers sign through wagmi.
 */
export function createChainWallet(
  rpcUrl: string,
  account: Account | Hex,
  options: ClientOptions & { chain: Chain },
): WalletClient<HttpTransport, Chain, Account> {
  const signer = typeof account === "string" ? privateKeyToAccount(account) : account;
  const transport = http(rpcUrl, {
    timeout: options.timeoutMs ?? 10_000,
    retryCount: options.retryCount ?? 2,
  });
  return createWalletClient({ account: signer, chain: options.chain, transport, cacheTime: 0 });
}
