import { defineChain, type Chain } from "viem";
import {
  anvil,
  arbitrum,
  arbitrumSepolia,
  base,
  baseSepolia,
  foundry,
  mainnet,
  optimism,
  sepolia,
} from "viem/chains";

export { anvil, foundry };

/** Chain id of anvil / the local development chain. */
export const LOCAL_CHAIN_ID = anvil.id;

/** Chains zkArena knows by id: the local chain, Ethereum and the L2s it may be deployed on. */
export const knownChains: readonly Chain[] = [
  anvil,
  mainnet,
  sepolia,
  base,
  baseSepolia,
  optimism,
  arbitrum,
  arbitrumSepolia,
];

/**
 * The viem chain for `chainId`. Unknown ids get a minimal definition (ETH as native currency) using
 * `rpcUrl`, so a private or new chain still works for reads and writes.
 */
export function chainFromId(chainId: number, rpcUrl?: string): Chain {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new Error(`Chain id must be a positive integer, got ${chainId}.`);
  }
  const known = knownChains.find((chain) => chain.id === chainId);
  if (known) {
    return rpcUrl ? { ...known, rpcUrls: { ...known.rpcUrls, default: { http: [rpcUrl] } } } : known;
  }
  return defineChain({
    id: chainId,
    name: `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: rpcUrl ? [rpcUrl] : [] } },
  });
}
