"use client";

import { useEffect, useRef, useState } from "react";
import { rememberDevWallet } from "~/wagmi";
import {
  useChainId,
  useChains,
  useConnect,
  useConnection,
  useConnectors,
  useDisconnect,
  useSwitchChain,
  type Connector,
} from "wagmi";

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

function connectorLabel(connector: Connector): { title: string; detail: string } {
  if (connector.id === "mock")
    return { title: "Development wallet", detail: "anvil account 0 · local chain only" };
  if (connector.id === "injected")
    return { title: "Browser wallet", detail: "MetaMask, Rabby or another extension" };
  return { title: connector.name, detail: "Browser extension" };
}

function friendlyError(error: Error): string {
  if (error.name === "ProviderNotFoundError") {
    return "No browser wallet found. Install a wallet extension, or use the development wallet on the local chain.";
  }
  if (error.name === "UserRejectedRequestError") return "The request was rejected in the wallet.";
  return error.message.split("\n")[0] ?? error.message;
}

/** Whether a connected wallet is on another chain than the app's, and which. */
export function useWrongNetwork(): { wrong: boolean; walletChainId?: number; expectedChainId: number } {
  const connection = useConnection();
  const expectedChainId = useChainId();
  const walletChainId = connection.status === "connected" ? connection.chainId : undefined;
  return {
    wrong: walletChainId !== undefined && walletChainId !== expectedChainId,
    walletChainId,
    expectedChainId,
  };
}

/** The wrong-network state of a panel: which chain the wallet is on, what is blocked, the switch. */
export function WrongNetworkCallout({ blocked, testId }: { blocked: string; testId: string }) {
  const { walletChainId, expectedChainId } = useWrongNetwork();
  return (
    <div className="callout callout-bad" role="alert" data-testid={testId}>
      <strong>Your wallet is on another network (chain {walletChainId}).</strong>
      <span>
        {blocked} until it is on chain {expectedChainId}.
      </span>
      <div>
        <SwitchNetworkButton testId="switch-network" />
      </div>
    </div>
  );
}

/** "Switch to <chain>": asks the connected wallet to move to the app's chain; says why if it cannot. */
export function SwitchNetworkButton({ testId }: { testId?: string }) {
  const expectedChainId = useChainId();
  const chains = useChains();
  const switchChain = useSwitchChain();
  const expectedChain = chains.find((c) => c.id === expectedChainId);
  return (
    <>
      <button
        type="button"
        className="btn btn-primary btn-sm"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId: expectedChainId })}
        data-testid={testId}
      >
        {switchChain.isPending
          ? "Switching…"
          : `Switch to ${expectedChain?.name ?? `chain ${expectedChainId}`}`}
      </button>
      {switchChain.error ? (
        <p className="wallet-error" role="alert" data-testid="wallet-error">
          {friendlyError(switchChain.error)}
        </p>
      ) : null}
    </>
  );
}

export function WalletButton() {
  const connection = useConnection();
  const expectedChainId = useChainId();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  if (connection.status === "connected") {
    const wrongNetwork = connection.chainId !== expectedChainId;
    return (
      <div className="wallet" data-testid="wallet">
        {wrongNetwork ? (
          <>
            <span className="badge badge-warn" data-testid="wallet-wrong-network">
              Wrong network
            </span>
            <SwitchNetworkButton />
          </>
        ) : null}
        <span className="wallet-address" title={connection.address} data-testid="wallet-address">
          <span className="dot dot-ok" aria-hidden="true" />
          {shortAddress(connection.address)}
        </span>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => {
            rememberDevWallet(false);
            disconnect.mutate();
          }}
        >
          Disconnect
        </button>
      </div>
    );
  }

  const busy =
    connection.status === "connecting" || connection.status === "reconnecting" || connect.isPending;
  return (
    <div className="wallet" ref={rootRef}>
      <button
        type="button"
        className="btn btn-primary btn-sm"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={busy}
        onClick={() => setOpen((v) => !v)}
        data-testid="wallet-connect"
      >
        {busy ? "Connecting…" : "Connect wallet"}
      </button>
      {open ? (
        <div className="menu" role="menu" aria-label="Choose a wallet">
          {connectors.map((connector) => {
            const label = connectorLabel(connector);
            return (
              <button
                key={connector.uid}
                type="button"
                role="menuitem"
                className="menu-item"
                data-testid={`connector-${connector.id}`}
                onClick={() => {
                  setOpen(false);
                  connect.mutate(
                    { connector },
                    { onSuccess: () => rememberDevWallet(connector.id === "mock") },
                  );
                }}
              >
                <span className="menu-item-title">{label.title}</span>
                <span className="menu-item-detail">{label.detail}</span>
              </button>
            );
          })}
        </div>
      ) : null}
      {connect.error && !open ? (
        <p className="wallet-error" role="alert" data-testid="wallet-error">
          {friendlyError(connect.error)}
        </p>
      ) : null}
    </div>
  );
}
