import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { cookieToInitialState } from "wagmi";
import { Providers } from "~/components/providers";
import { WalletButton } from "~/components/wallet-button";
import { NavLinks } from "~/components/nav-links";
import { publicEnv } from "~/env";
import { clientContracts } from "~/server/chain";
import { createWagmiConfig } from "~/wagmi";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "zkArena", template: "%s · zkArena" },
  description:
    "Model competitions with private models and hidden test sets: commit, prove your accuracy in zero knowledge, get paid on-chain.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#0f172a",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const env = { ...publicEnv(), ...(await clientContracts()) };
  const initialState = cookieToInitialState(createWagmiConfig(env), (await headers()).get("cookie"));
  return (
    <html lang="en">
      <body>
        <Providers env={env} initialState={initialState}>
          <a href="#main" className="skip-link">
            Skip to content
          </a>
          <header className="site-header">
            <div className="container header-inner">
              <Link href="/" className="brand" aria-label="zkArena home">
                <span className="brand-mark" aria-hidden="true">
                  zk
                </span>
                <span className="brand-name">zkArena</span>
              </Link>
              <NavLinks />
              <WalletButton />
            </div>
          </header>
          <main id="main" className="container main">
            {children}
          </main>
          <footer className="site-footer">
            <div className="container footer-inner">
              <span>zkArena — private models, hidden test sets, payouts proven in zero knowledge.</span>
              <span className="muted">
                Chain {env.chainId}
                {env.chainId === 31337 ? " (local)" : ""}
              </span>
            </div>
          </footer>
        </Providers>
      </body>
    </html>
  );
}
