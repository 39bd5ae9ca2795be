// wagmi configuration, shared by the server layout (cookieToInitialState) and the client providers.
import { defineChain, type Chain } from "viem";
import { anvil } from "viem/chains";
import {
  cookieStorage,
  createConfig,
  createStorage,
  http,
  injected,
  mock,
  type CreateConnectorFn,
} from "wagmi";
import type { PublicEnv } from "./env";

export const LOCAL_CHAIN_ID = 31337;

/** anvil's account 0 (mnemonic "test test … junk"): the development wallet, local chain only. */
export const DEV_WALLET_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" as const;

export function appChain(env: PublicEnv): Chain {
  if (env.chainId === LOCAL_CHAIN_ID) {
    return { ...anvil, name: "Anvil (local)", rpcUrls: { default: { http: [env.rpcUrl] } } };
  }
  return defineChain({
    id: env.chainId,
    name: `Chain ${env.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [env.rpcUrl] } },
  });
}

export function createWagmiConfig(env: PublicEnv) {
  const chain = appChain(env);
  const connectors: CreateConnectorFn[] = [injected()];
  // Never offered on a real chain: it "signs" as a well-known, public key.
  if (chain.id === LOCAL_CHAIN_ID) connectors.push(mock({ accounts: [DEV_WALLET_ADDRESS] }));
  return createConfig({
    chains: [chain],
    connectors,
    transports: { [chain.id]: http(env.rpcUrl) },
    ssr: true,
    storage: createStorage({ storage: cookieStorage }),
  });
}

export type WagmiConfig = ReturnType<typeof createWagmiConfig>;

declare module "wagmi" {
  interface Register {
    config: WagmiConfig;
  }
}
