"use client";

import { createContext, useContext, useState, type ReactNode } from "react";
import { WagmiProvider, type State } from "wagmi";
import type { PublicEnv } from "~/env";
import { TRPCReactProvider } from "~/trpc/react";
import { createWagmiConfig } from "~/wagmi";

/** The chain settings plus the deployed contracts the browser talks to. */
export interface AppConfig extends PublicEnv {
  escrow: `0x${string}` | null;
  deployBlock: string;
  /** Pinned verification-key hashes per circuit id (from the deployment record). */
  vkHashes: Record<string, string>;
  /** The local chain's development ERC-20 (chain 31337 only), offered in the create flow. */
  devToken: { address: `0x${string}`; name: string; symbol: string; decimals: number } | null;
}

const PublicEnvContext = createContext<AppConfig | null>(null);

/** The chain settings the server was started with (see src/env.ts) and the deployed contracts. */
export function usePublicEnv(): AppConfig {
  const env = useContext(PublicEnvContext);
  if (!env) throw new Error("usePublicEnv must be used inside <Providers>");
  return env;
}

export function Providers({
  env,
  initialState,
  children,
}: {
  env: AppConfig;
  initialState: State | undefined;
  children: ReactNode;
}) {
  const [config] = useState(() => createWagmiConfig(env));
  return (
    <PublicEnvContext.Provider value={env}>
      <WagmiProvider config={config} initialState={initialState}>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </WagmiProvider>
    </PublicEnvContext.Provider>
  );
}
