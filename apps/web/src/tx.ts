"use client";
// Sending escrow transactions from the browser: simulate first (so a revert is explained before the
// wallet opens), then write, wait for the receipt and check its status (anvil mines failed
// transactions instead of rejecting them). Errors become one sentence a person can act on.
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import {
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { useConfig } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { PHASES } from "~/metadata";

export type TxState =
  | { status: "idle" }
  | { status: "simulating"; label: string }
  | { status: "wallet"; label: string }
  | { status: "pending"; label: string; hash: Hex }
  | { status: "success"; label: string; hash: Hex }
  | { status: "error"; label: string; message: string; hash?: Hex };

const errorMessages: Record<string, (args: readonly unknown[]) => string> = {
  ArenaEscrow__InactiveCircuit: () =>
    "This circuit is not active in the verifier registry: choose another model shape.",
  ArenaEscrow__NotInField: () => "A value is not below the BN254 field order r.",
  ArenaEscrow__InvalidDeadlines: () =>
    "The deadlines must be in the future and in order (commits < reveal < proofs). Pick later dates.",
  ArenaEscrow__InvalidPayout: () => "Payout shares must be 1-10 non-increasing shares adding up to 100%.",
  ArenaEscrow__InvalidMinCorrect: () => "The minimum correct count must be at least 1.",
  ArenaEscrow__InvalidToken: () => "The prize token has no contract code on this chain.",
  ArenaEscrow__UnknownChallenge: () => "The escrow does not know this challenge.",
  ArenaEscrow__WrongPhase: (args) =>
    `Not possible now: the challenge is in the "${PHASES[Number(args[1])] ?? "?"}" phase (the page refreshes to show what you can do).`,
  ArenaEscrow__ZeroAmount: () => "Enter an amount above zero.",
  ArenaEscrow__WrongValue: () => "The ETH sent does not equal the amount.",
  ArenaEscrow__OrganiserCannotCommit: () => "The organiser cannot compete in their own challenge.",
  ArenaEscrow__NotOrganiser: () => "Only the organiser can do this.",
  ArenaEscrow__NotCommitted: () => "This address has no model commitment in this challenge.",
  ArenaEscrow__AlreadyScored: () => "A proof for this batch was already accepted for you.",
  ArenaEscrow__InvalidBatchCount: () => "The hidden split's batch count is out of range (1-4096).",
  ArenaEscrow__BatchOutOfRange: () => "That batch does not exist in this challenge.",
  ArenaEscrow__InvalidBatchProof: () => "The batch is not part of the committed hidden split.",
  ArenaEscrow__InvalidProof: () =>
    "The verifier rejected the proof: it does not match your commitment, the hidden split or your address.",
  ArenaEscrow__BelowMinCorrect: (args) =>
    `Your score ${String(args[0])} is below the challenge's minimum of ${String(args[1])}: it cannot enter the leaderboard.`,
  ArenaEscrow__NothingToClaim: () => "There is nothing for this address to claim.",
  ArenaEscrow__AlreadyClaimed: () => "Already claimed.",
  ArenaEscrow__EthTransferFailed: () => "The ETH transfer to your address failed.",
  ERC20InsufficientAllowance: () => "The token allowance is too low: approve first.",
  ERC20InsufficientBalance: () => "Your token balance is too low for this amount.",
};

/** One sentence for any error thrown while simulating, signing or waiting. */
export function explainError(error: unknown): string {
  if (error instanceof BaseError) {
    const rejected = error.walk((e) => e instanceof UserRejectedRequestError);
    if (rejected || /user rejected|denied/i.test(error.shortMessage))
      return "You rejected the request in your wallet; nothing was sent.";
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName;
      if (name && errorMessages[name]) return `${errorMessages[name](revert.data?.args ?? [])} (${name})`;
      if (name) return `The contract refused: ${name}.`;
      return revert.reason
        ? `The contract refused: ${revert.reason}.`
        : "The contract refused the transaction.";
    }
    if (/insufficient funds/i.test(error.message))
      return "Your balance cannot pay for this transaction and its gas.";
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
}

export function useTx() {
  const config = useConfig();
  const router = useRouter();
  const [state, setState] = useState<TxState>({ status: "idle" });

  const send = useCallback(
    async (label: string, call: ContractCall, account: Address, opts: { refresh?: boolean } = {}) => {
      let hash: Hex | undefined;
      try {
        setState({ status: "simulating", label });
        // The generic call shape is checked by viem at run time against the ABI.
        const { request } = await simulateContract(config, { ...call, account } as never);
        setState({ status: "wallet", label });
        hash = await writeContract(config, request as never);
        setState({ status: "pending", label, hash });
        const receipt = await waitForTransactionReceipt(config, { hash });
        if (receipt.status !== "success") {
          throw new Error("The transaction was mined but reverted; nothing changed. Reload and try again.");
        }
        setState({ status: "success", label, hash });
        if (opts.refresh !== false) router.refresh();
        return receipt;
      } catch (error) {
        setState({ status: "error", label, message: explainError(error), ...(hash ? { hash } : {}) });
        return null;
      }
    },
    [config, router],
  );
  return { state, send, reset: () => setState({ status: "idle" }) };
}
