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

/** anvil's ten default accounts (mnemonic "test test … junk"), public knowledge: local chain only. */
export const ANVIL_ACCOUNTS = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
] as const;

/** localStorage key choosing the development wallet's account (0-9) and test behaviour. */
export const DEV_WALLET_KEY = "zkarena.devWallet";

/** Set while the development wallet is connected, so that a reload reconnects it (as a real wallet does). */
export const DEV_WALLET_CONNECTED_KEY = "zkarena.devWallet.connected";

export function rememberDevWallet(connected: boolean) {
  try {
    if (connected) window.localStorage.setItem(DEV_WALLET_CONNECTED_KEY, "1");
    else window.localStorage.removeItem(DEV_WALLET_CONNECTED_KEY);
  } catch {
    // storage disabled: the development wallet then forgets its connection on reload
  }
}

export interface DevWalletSettings {
  account: number;
  /** Test-only: the wallet refuses to sign messages (the rejected-signature state). */
  rejectSignatures?: boolean;
  /** Connected before this page load (see rememberDevWallet). */
  connected?: boolean;
}

function devWalletSettings(): DevWalletSettings {
  if (typeof window === "undefined") return { account: 0 };
  try {
    const raw = window.localStorage.getItem(DEV_WALLET_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<DevWalletSettings>) : {};
    const account =
      Number.isInteger(parsed.account) && parsed.account! >= 0 && parsed.account! < 10 ? parsed.account! : 0;
    return {
      account,
      rejectSignatures: parsed.rejectSignatures === true,
      connected: window.localStorage.getItem(DEV_WALLET_CONNECTED_KEY) === "1",
    };
  } catch {
    return { account: 0 };
  }
}

export function appChain(env: Pick<PublicEnv, "chainId" | "rpcUrl">): Chain {
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

export function createWagmiConfig(env: Pick<PublicEnv, "chainId" | "rpcUrl">) {
  const chain = appChain(env);
  const connectors: CreateConnectorFn[] = [injected()];
  // Never offered on a real chain: it "signs" as a well-known, public key.
  if (chain.id === LOCAL_CHAIN_ID) {
    const dev = devWalletSettings();
    connectors.push(
      mock({
        accounts: [ANVIL_ACCOUNTS[dev.account] ?? DEV_WALLET_ADDRESS],
        features: {
          reconnect: true,
          defaultConnected: dev.connected === true,
          ...(dev.rejectSignatures ? { signMessageError: true } : {}),
        },
      }),
    );
  }
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
