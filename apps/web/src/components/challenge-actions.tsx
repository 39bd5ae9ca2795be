"use client";
// What the connected wallet can do on a challenge, by phase and role. Every amount and phase comes
// from the escrow (the server read it for this render; claimables are read here, live).
import Link from "next/link";
import { useEffect, useState } from "react";
import { erc20Abi, formatUnits, parseUnits, zeroAddress, type Address } from "viem";
import { useBalance, useConnection, useReadContract } from "wagmi";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import { usePublicEnv } from "~/components/providers";
import { TxStatus } from "~/components/tx-status";
import { WrongNetworkCallout, useWrongNetwork } from "~/components/wallet-button";
import { CompetitorPanel } from "~/components/competitor-panel";
import { OrganiserPanel } from "~/components/organiser-panel";
import { formatAmount, sharePercent } from "~/format";
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
  const address = connection.status === "connected" ? connection.address : undefined;
  const wrongNetwork = useWrongNetwork().wrong;

  return (
    <section className="card" aria-labelledby="actions" data-testid="actions">
      <h2 id="actions">Take part</h2>
      {!address ? (
        <p className="muted" data-testid="actions-no-wallet">
          Connect a wallet to fund, commit a model, prove or claim. Everything on this page is readable
          without one.
        </p>
      ) : wrongNetwork ? (
        <WrongNetworkCallout
          blocked="Nothing can be funded, committed or claimed from here"
          testId="actions-wrong-network"
        />
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
  const approveTx = useTx();
  const fundTx = useTx();
  const isEth = onchain.token === zeroAddress;
  const { decimals, symbol } = tokenOf(challenge, onchain);
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
  const money = (v: bigint) => formatAmount(v.toString(), decimals, symbol);

  let parsed: bigint | null = null;
  try {
    parsed = amount.trim() ? parseUnits(amount.trim(), decimals) : null;
  } catch {
    parsed = null;
  }
  const approved = allowance.data ?? 0n;
  const needsApproval = !isEth && (parsed === null || approved < parsed);
  // From the click to the fund's receipt, including the allowance read between the two transactions.
  const [submitting, setSubmitting] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    try {
      await approveThenFund();
    } finally {
      setSubmitting(false);
    }
  };

  const approveThenFund = async () => {
    setProblem(null);
    if (parsed === null || parsed <= 0n)
      return setProblem(`Enter an amount of ${symbol} above zero, e.g. 0.5.`);
    if (balance !== undefined && parsed > balance)
      return setProblem(`You hold ${formatUnits(balance, decimals)} ${symbol}; enter at most that.`);
    const id = BigInt(onchain.id);
    approveTx.reset();
    fundTx.reset();
    if (!isEth) {
      // The escrow pulls the tokens with transferFrom: approve exactly this amount first (never an
      // unlimited allowance), and only fund once the approval is confirmed and read back.
      const current = (await allowance.refetch()).data ?? 0n;
      if (current < parsed) {
        const ok = await approveTx.send(
          `Approve ${money(parsed)}`,
          { address: onchain.token, abi: erc20Abi, functionName: "approve", args: [onchain.escrow, parsed] },
          address,
          { refresh: false },
        );
        if (!ok) return;
        const after = (await allowance.refetch()).data ?? 0n;
        if (after < parsed)
          return setProblem(
            `The escrow's allowance is ${money(after)} after the approval, below ${money(parsed)}: approve again.`,
          );
      }
    }
    const ok = await fundTx.send(
      `Fund ${money(parsed)}`,
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
      await Promise.all([
        deposit.refetch(),
        isEth ? eth.refetch() : tokenBalance.refetch(),
        allowance.refetch(),
      ]);
    }
  };

  return (
    <form className="panel" onSubmit={submit} data-testid="fund-panel" noValidate>
      <h3>Sponsor this challenge</h3>
      <p className="muted small">
        Your deposit so far: <strong data-testid="my-deposit">{money(mine)}</strong>
        {pot > 0n ? (
          <>
            {" "}
            (<span data-testid="my-share">{sharePercent(mine, pot)}</span> of the pot)
          </>
        ) : null}
        . Refunded in full if the organiser never reveals; unused shares come back pro rata.
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
        <button type="submit" className="btn btn-primary" disabled={submitting} data-testid="fund-submit">
          {isEth ? "Fund" : needsApproval ? "Approve and fund" : "Fund"}
        </button>
      </div>
      <span id="fund-help" className="muted small">
        Balance: {balance === undefined ? "…" : `${formatUnits(balance, decimals)} ${symbol}`}
        {isEth ? null : (
          <>
            {" "}
            · approved for the escrow: <span data-testid="allowance">{money(approved)}</span>
          </>
        )}
      </span>
      {problem ? (
        <p className="field-error" role="alert" data-testid="fund-problem">
          {problem}
        </p>
      ) : null}
      {isEth ? (
        <TxStatus state={fundTx.state} />
      ) : (
        <ol className="steps" aria-label="Funding steps" data-testid="fund-steps">
          <li data-testid="step-approve">
            <span>
              1. Approve the escrow to take exactly the amount{" "}
              {approveTx.state.status === "idle" && fundTx.state.status !== "idle"
                ? "(already approved)"
                : ""}
            </span>
            <TxStatus state={approveTx.state} />
          </li>
          <li data-testid="step-fund">
            <span>
              2. Fund{" "}
              {approveTx.state.status !== "idle" &&
              approveTx.state.status !== "success" &&
              fundTx.state.status === "idle"
                ? "(waits for the approval)"
                : ""}
            </span>
            <TxStatus state={fundTx.state} />
          </li>
        </ol>
      )}
    </form>
  );
}

/** The challenge's prize token: ETH, or the ERC-20's symbol and decimals. */
function tokenOf(challenge: ChallengeRef, onchain: OnchainChallenge) {
  return onchain.token === zeroAddress
    ? { decimals: 18, symbol: "ETH" }
    : { decimals: challenge.tokenDecimals, symbol: challenge.tokenSymbol };
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
  const { decimals, symbol } = tokenOf(challenge, onchain);
  const money = (v: bigint) => formatAmount(v.toString(), decimals, symbol);
  const claim = (label: string, functionName: "claimPrize" | "claimRefund" | "claimBond") =>
    tx
      .send(label, { address: onchain.escrow, abi: arenaEscrowAbi, functionName, args: [id] }, address)
      .then(() => refetch());
  const nothing = prize === 0n && refund === 0n && bond === 0n;
  return (
    <div className="panel" data-testid="claim-panel">
      <h3>{onchain.phase === "Settled" ? "Settlement" : "Refunds (no reveal)"}</h3>
      {onchain.phase === "RevealMissed" ? (
        <div className="callout callout-warn" data-testid="reveal-missed">
          <strong>The organiser missed the reveal deadline.</strong>
          <span>
            The hidden split was never revealed, so nobody can prove a score: every sponsor gets their whole
            deposit back, and the organiser&apos;s bond is shared equally by the competitors who committed.
          </span>
        </div>
      ) : null}
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
