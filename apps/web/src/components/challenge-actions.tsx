"use client";
// What the connected wallet can do on a challenge, by phase and role. Every amount and phase comes
// from the escrow (the server read it for this render; claimables are read here, live).
import Link from "next/link";
import { useEffect, useState } from "react";
import { erc20Abi, formatUnits, parseUnits, zeroAddress, type Address } from "viem";
import { useBalance, useChainId, useConnection, useReadContract } from "wagmi";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import { usePublicEnv } from "~/components/providers";
import { TxStatus } from "~/components/tx-status";
import { CompetitorPanel } from "~/components/competitor-panel";
import { OrganiserPanel } from "~/components/organiser-panel";
import { formatAmount } from "~/format";
import type { OnchainChallenge } from "~/server/chain";
import { useTx } from "~/tx";

export interface ChallengeRef {
  rowId: string;
  slug: string;
  circuitId: string;
  organiserAddress: string;
  tokenSymbol: string;
  tokenDecimals: number;
  tokenAddress: string | null;
  /** Draft parameters for the on-chain create (ms since the epoch for dates). */
  commitDeadline: number;
  revealDeadline: number;
  proveDeadline: number;
  payoutSharesBps: number[];
  minCorrect: number;
  organiserBond: string;
  metadataHash: string | null;
}

/** What every panel of "Take part" is given: the challenge, its on-chain state, the connected address. */
export interface PanelProps {
  challenge: ChallengeRef;
  onchain: OnchainChallenge;
  address: Address;
}

export function ChallengeActions({
  challenge,
  onchain,
  notOnchain,
  hasPublicSplit,
}: {
  challenge: ChallengeRef;
  onchain: OnchainChallenge | null;
  notOnchain: boolean;
  hasPublicSplit: boolean;
}) {
  const connection = useConnection();
  const chainId = useChainId();
  const address = connection.status === "connected" ? connection.address : undefined;
  const wrongNetwork = connection.status === "connected" && connection.chainId !== chainId;

  return (
    <section className="card" aria-labelledby="actions" data-testid="actions">
      <h2 id="actions">Take part</h2>
      {!address ? (
        <p className="muted" data-testid="actions-no-wallet">
          Connect a wallet to fund, commit a model, prove or claim. Everything on this page is readable
          without one.
        </p>
      ) : wrongNetwork ? (
        <div className="callout callout-bad" role="alert" data-testid="actions-wrong-network">
          Your wallet is on another network. Use “Switch” in the header to move to chain {chainId}.
        </div>
      ) : notOnchain || !onchain ? (
        <OrganiserPanel challenge={challenge} onchain={null} address={address} />
      ) : (
        <Connected
          challenge={challenge}
          onchain={onchain}
          address={address}
          hasPublicSplit={hasPublicSplit}
        />
      )}
    </section>
  );
}

function Connected({
  challenge,
  onchain,
  address,
  hasPublicSplit,
}: PanelProps & { hasPublicSplit: boolean }) {
  const isOrganiser = address.toLowerCase() === onchain.organiser.toLowerCase();
  return (
    <div className="stack">
      {isOrganiser ? <OrganiserPanel challenge={challenge} onchain={onchain} address={address} /> : null}
      {onchain.phase === "Open" ? (
        <FundPanel challenge={challenge} onchain={onchain} address={address} />
      ) : null}
      {!isOrganiser &&
      (onchain.phase === "Open" ||
        onchain.phase === "Proving" ||
        onchain.committers.some((c) => c.address.toLowerCase() === address.toLowerCase())) ? (
        <CompetitorPanel
          challenge={challenge}
          onchain={onchain}
          address={address}
          hasPublicSplit={hasPublicSplit}
        />
      ) : null}
      <ClaimPanel challenge={challenge} onchain={onchain} address={address} />
    </div>
  );
}

function FundPanel({ challenge, onchain, address }: PanelProps) {
  const [amount, setAmount] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const tx = useTx();
  const isEth = onchain.token === zeroAddress;
  const decimals = isEth ? 18 : challenge.tokenDecimals;
  const symbol = isEth ? "ETH" : challenge.tokenSymbol;
  const eth = useBalance({ address, query: { enabled: isEth } });
  const tokenBalance = useReadContract({
    address: onchain.token,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [address],
    query: { enabled: !isEth },
  });
  const allowance = useReadContract({
    address: onchain.token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [address, onchain.escrow],
    query: { enabled: !isEth },
  });
  const deposit = useReadContract({
    address: onchain.escrow,
    abi: arenaEscrowAbi,
    functionName: "depositOf",
    args: [BigInt(onchain.id), address],
  });
  const balance = isEth ? eth.data?.value : tokenBalance.data;
  const pot = BigInt(onchain.pot);
  const mine = deposit.data ?? 0n;

  let parsed: bigint | null = null;
  try {
    parsed = amount.trim() ? parseUnits(amount.trim(), decimals) : null;
  } catch {
    parsed = null;
  }

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (parsed === null || parsed <= 0n)
      return setProblem(`Enter an amount of ${symbol} above zero, e.g. 0.5.`);
    if (balance !== undefined && parsed > balance)
      return setProblem(`You hold ${formatUnits(balance, decimals)} ${symbol}; enter at most that.`);
    const id = BigInt(onchain.id);
    if (!isEth && (allowance.data ?? 0n) < parsed) {
      const ok = await tx.send(
        `Approve ${symbol}`,
        { address: onchain.token, abi: erc20Abi, functionName: "approve", args: [onchain.escrow, parsed] },
        address,
        { refresh: false },
      );
      if (!ok) return;
      await allowance.refetch();
    }
    const ok = await tx.send(
      "Fund",
      {
        address: onchain.escrow,
        abi: arenaEscrowAbi,
        functionName: "fund",
        args: [id, parsed],
        ...(isEth ? { value: parsed } : {}),
      },
      address,
    );
    if (ok) {
      setAmount("");
      await deposit.refetch();
    }
  };

  return (
    <form className="panel" onSubmit={submit} data-testid="fund-panel" noValidate>
      <h3>Sponsor this challenge</h3>
      <p className="muted small">
        Your deposit so far:{" "}
        <strong data-testid="my-deposit">{formatAmount(mine.toString(), decimals, symbol)}</strong>
        {pot > 0n ? ` (${(Number((mine * 10_000n) / pot) / 100).toFixed(2)}% of the pot)` : ""}. Refunded in
        full if the organiser never reveals; unused shares come back pro rata.
      </p>
      <label htmlFor="fund-amount">Amount ({symbol})</label>
      <div className="inline">
        <input
          id="fund-amount"
          className="input"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.5"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-describedby="fund-help"
          aria-invalid={problem ? true : undefined}
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={tx.state.status === "wallet" || tx.state.status === "pending"}
        >
          {isEth ? "Fund" : "Approve and fund"}
        </button>
      </div>
      <span id="fund-help" className="muted small">
        Balance: {balance === undefined ? "…" : `${formatUnits(balance, decimals)} ${symbol}`}
      </span>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <TxStatus state={tx.state} />
    </form>
  );
}

function ClaimPanel({ challenge, onchain, address }: PanelProps) {
  const tx = useTx();
  const id = BigInt(onchain.id);
  const claimable = useReadContract({
    address: onchain.escrow,
    abi: arenaEscrowAbi,
    functionName: "claimableOf",
    args: [id, address],
  });
  const refetch = claimable.refetch;
  useEffect(() => {
    void refetch();
  }, [onchain.chainNow, refetch]);
  if (onchain.phase !== "Settled" && onchain.phase !== "RevealMissed") return null;
  const [prize, refund, bond] = claimable.data ?? [0n, 0n, 0n];
  const isEth = onchain.token === zeroAddress;
  const money = (v: bigint) =>
    formatAmount(v.toString(), isEth ? 18 : challenge.tokenDecimals, isEth ? "ETH" : challenge.tokenSymbol);
  const claim = (label: string, functionName: "claimPrize" | "claimRefund" | "claimBond") =>
    tx
      .send(label, { address: onchain.escrow, abi: arenaEscrowAbi, functionName, args: [id] }, address)
      .then(() => refetch());
  const nothing = prize === 0n && refund === 0n && bond === 0n;
  return (
    <div className="panel" data-testid="claim-panel">
      <h3>{onchain.phase === "Settled" ? "Settlement" : "Refunds (no reveal)"}</h3>
      {claimable.isPending ? <p className="muted">Reading what you can claim…</p> : null}
      {!claimable.isPending && nothing ? (
        <p className="muted" data-testid="nothing-to-claim">
          Nothing to claim for {address.slice(0, 6)}…{address.slice(-4)}.
        </p>
      ) : null}
      {prize > 0n ? (
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void claim("Claim prize", "claimPrize")}
          data-testid="claim-prize"
        >
          Claim your prize: {money(prize)}
        </button>
      ) : null}
      {refund > 0n ? (
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void claim("Claim refund", "claimRefund")}
          data-testid="claim-refund"
        >
          Claim your refund: {money(refund)}
        </button>
      ) : null}
      {bond > 0n ? (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => void claim("Claim bond", "claimBond")}
          data-testid="claim-bond"
        >
          Claim bond: {formatAmount(bond.toString(), 18, "ETH")}
        </button>
      ) : null}
      <TxStatus state={tx.state} />
      <p className="muted small">
        See <Link href={`/u/${address}`}>your profile</Link> for everything you were paid.
      </p>
    </div>
  );
}

export function useEnvContracts() {
  return usePublicEnv();
}
