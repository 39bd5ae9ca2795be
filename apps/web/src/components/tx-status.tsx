"use client";

import Link from "next/link";
import type { TxState } from "~/tx";

export function TxStatus({ state }: { state: TxState }) {
  if (state.status === "idle") return null;
  if (state.status === "error")
    return (
      <div className="callout callout-bad" role="alert" data-testid="tx-error">
        <strong>{state.label} failed.</strong>
        <span>{state.message}</span>
      </div>
    );
  const text =
    state.status === "simulating"
      ? "Checking the transaction…"
      : state.status === "wallet"
        ? "Confirm in your wallet…"
        : state.status === "pending"
          ? "Waiting for confirmation…"
          : "Confirmed.";
  return (
    <div
      className={`callout ${state.status === "success" ? "callout-ok" : "callout-info"}`}
      role="status"
      aria-live="polite"
      data-testid={`tx-${state.status}`}
    >
      <strong>
        {state.label}: {text}
      </strong>
      {"hash" in state ? (
        <Link href={`/tx/${state.hash}`} className="mono">
          {state.hash}
        </Link>
      ) : null}
    </div>
  );
}
