"use client";

import { createContext, useContext, useState, type ReactNode } from "react";
import { WagmiProvider, type State } from "wagmi";
import type { PublicEnv } from "~/env";
import { TRPCReactProvider } from "~/trpc/react";
import { createWagmiConfig } from "~/wagmi";

const PublicEnvContext = createContext<PublicEnv | null>(null);

/** The chain settings the server was started with (see src/env.ts). */
export function usePublicEnv(): PublicEnv {
  const env = useContext(PublicEnvContext);
  if (!env) throw new Error("usePublicEnv must be used inside <Providers>");
  return env;
}

export function Providers({
  env,
  initialState,
  children,
}: {
  env: PublicEnv;
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
