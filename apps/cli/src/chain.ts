// The chain side of the CLI: clients, every write simulated first (so a revert is decoded and named
// before anything is signed), then sent; the receipt's status is checked (anvil mines reverting
// transactions) and its events decoded. Errors become CliErrors with an exit code.
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  TimeoutError,
  erc20Abi,
  formatUnits,
  parseEventLogs,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import {
  arenaEscrowAbi,
  chainFromId,
  createChainClients,
  createChainWallet,
  type ChainPublicClient,
} from "@zkarena/chain";
import { CliError, EXIT } from "./errors.ts";

export const PHASES = ["Open", "AwaitingReveal", "Proving", "Settled", "RevealMissed"] as const;

/** What each escrow error means for the person at the keyboard. */
const REVERT_HINTS: Record<string, string> = {
  ArenaEscrow__InactiveCircuit:
    "the circuit is not registered (or was deactivated) in the VerifierRegistry; pick a registered circuit id",
  ArenaEscrow__NotInField: "a value must be below the BN254 scalar field order r",
  ArenaEscrow__InvalidDeadlines:
    "deadlines must satisfy now < commitDeadline < revealDeadline < proveDeadline",
  ArenaEscrow__InvalidPayout: "payout shares must be 1-10 values summing to 10000 bp",
  ArenaEscrow__InvalidMinCorrect: "minCorrect must be at most the number of hidden samples",
  ArenaEscrow__InvalidToken: "the token is not a contract",
  ArenaEscrow__UnknownChallenge:
    "no challenge with this id on this escrow; check the id and --escrow / --chain-id",
  ArenaEscrow__WrongPhase:
    "not allowed in the challenge's current phase; `zkarena status <id>` shows the phase and deadlines",
  ArenaEscrow__ZeroAmount: "the amount must be greater than zero",
  ArenaEscrow__WrongValue:
    "ETH sent does not match (ETH challenges take msg.value = amount; token challenges take no ETH)",
  ArenaEscrow__OrganiserCannotCommit: "the organiser cannot compete in their own challenge",
  ArenaEscrow__NotOrganiser: "only the challenge's organiser can do this; check your key",
  ArenaEscrow__NotCommitted:
    "this address has no model commitment in the challenge: `zkarena commit` first (before the commit deadline)",
  ArenaEscrow__AlreadyScored: "this batch (or proof) was already accepted for this address",
  ArenaEscrow__InvalidBatchCount: "the batch count must be 1..4096",
  ArenaEscrow__BatchOutOfRange: "the batch index is outside the challenge's batches",
  ArenaEscrow__InvalidBatchProof:
    "the batch commitment is not under the challenge's test commitment (wrong hidden split?)",
  ArenaEscrow__InvalidProof:
    "the verifier rejected the proof: it was made for another model commitment, challenge, submitter or hidden split",
  ArenaEscrow__BelowMinCorrect: "the score is below the challenge's minimum correct count",
  ArenaEscrow__NothingToClaim:
    "nothing to claim for this address (yet): `zkarena status <id>` shows what is claimable",
  ArenaEscrow__AlreadyClaimed: "already claimed",
  ArenaEscrow__EthTransferFailed: "the ETH transfer to this address failed",
};

function jsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  return v;
}

/** Turns any viem error into a CliError: reverts (3) with the decoded custom error, network (4). */
export function chainError(error: unknown, action: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName ?? revert.reason ?? "unknown revert";
      const args = (revert.data?.args ?? []).map(jsonSafe);
      let hint = REVERT_HINTS[name] ?? "";
      if (name === "ArenaEscrow__WrongPhase" && typeof revert.data?.args?.[1] === "number")
        hint = `the challenge is in phase ${PHASES[revert.data.args[1] as number] ?? revert.data.args[1]}: ${hint}`;
      return new CliError(
        `${action} reverted: ${name}${args.length ? `(${args.join(", ")})` : ""}${hint ? ` — ${hint}` : ""}`,
        EXIT.revert,
        { error: name, args },
      );
    }
    const net = error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError);
    if (net)
      return new CliError(
        `${action}: the RPC did not answer (${(net as BaseError).shortMessage ?? (net as Error).message}); check --rpc-url`,
        EXIT.network,
      );
    if (/insufficient funds/i.test(error.message))
      return new CliError(
        `${action}: the account cannot pay for this transaction (value + gas)`,
        EXIT.revert,
      );
    return new CliError(`${action} failed: ${error.shortMessage}`, EXIT.revert);
  }
  if (error instanceof Error && /fetch failed|ECONNREFUSED/i.test(error.message))
    return new CliError(
      `${action}: the RPC did not answer (${error.message}); check --rpc-url`,
      EXIT.network,
    );
  return new CliError(`${action} failed: ${(error as Error)?.message ?? String(error)}`, EXIT.internal);
}

export interface SentTx {
  hash: Hex;
  blockNumber: string;
  gasUsed: string;
  effectiveGasPrice: string;
  /** gasUsed × effectiveGasPrice, in wei. */
  fee: string;
}

export interface ChainContext {
  chainId: number;
  escrow: Address;
  publicClient: ChainPublicClient;
  rpcUrl: string;
}

export function chainContext(rpcUrl: string, chainId: number, escrow: Address): ChainContext {
  const { publicClient } = createChainClients(rpcUrl, { chain: chainFromId(chainId, rpcUrl) });
  return { chainId, escrow, publicClient, rpcUrl };
}

/** Checks that the RPC serves the configured chain (a wrong RPC must not receive signed transactions). */
export async function checkChainId(ctx: ChainContext): Promise<void> {
  let actual: number;
  try {
    actual = await ctx.publicClient.getChainId();
  } catch (e) {
    throw chainError(e, `connecting to ${ctx.rpcUrl}`);
  }
  if (actual !== ctx.chainId)
    throw new CliError(
      `the RPC at ${ctx.rpcUrl} serves chain ${actual}, but the configured chain id is ${ctx.chainId}; fix --rpc-url or --chain-id`,
      EXIT.config,
    );
}

/** Simulate, send, wait, check status. Returns the receipt and its decoded escrow events. */
export async function write(
  ctx: ChainContext,
  account: Account,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint },
  action: string,
): Promise<{ receipt: TransactionReceipt; tx: SentTx; result: unknown }> {
  let request: unknown;
  let result: unknown;
  try {
    ({ request, result } = await ctx.publicClient.simulateContract({ account, ...call } as Parameters<
      ChainPublicClient["simulateContract"]
    >[0]));
  } catch (e) {
    throw chainError(e, action);
  }
  const wallet = createChainWallet(ctx.rpcUrl, account, { chain: chainFromId(ctx.chainId, ctx.rpcUrl) });
  let hash: Hex;
  try {
    hash = await wallet.writeContract(request as Parameters<typeof wallet.writeContract>[0]);
  } catch (e) {
    throw chainError(e, action);
  }
  let receipt: TransactionReceipt;
  try {
    receipt = await ctx.publicClient.waitForTransactionReceipt({ hash, timeout: 120_000 });
  } catch (e) {
    throw chainError(e, `${action} (waiting for ${hash})`);
  }
  if (receipt.status !== "success")
    throw new CliError(
      `${action}: transaction ${hash} was mined but reverted (status ${receipt.status})`,
      EXIT.revert,
      { hash },
    );
  return {
    receipt,
    result,
    tx: {
      hash,
      blockNumber: receipt.blockNumber.toString(),
      gasUsed: receipt.gasUsed.toString(),
      effectiveGasPrice: receipt.effectiveGasPrice.toString(),
      fee: (receipt.gasUsed * receipt.effectiveGasPrice).toString(),
    },
  };
}

export function escrowEvents(receipt: TransactionReceipt) {
  return parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs });
}

export async function read<T>(p: Promise<T>, action: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw chainError(e, action);
  }
}

export async function getChallenge(ctx: ChainContext, id: bigint) {
  return read(
    ctx.publicClient.readContract({
      address: ctx.escrow,
      abi: arenaEscrowAbi,
      functionName: "getChallenge",
      args: [id],
    }),
    `reading challenge ${id}`,
  );
}

/** Symbol and decimals of the challenge's token (ETH for the zero address). */
export async function tokenInfo(
  ctx: ChainContext,
  token: Address,
): Promise<{ symbol: string; decimals: number }> {
  if (/^0x0{40}$/i.test(token)) return { symbol: "ETH", decimals: 18 };
  try {
    const [symbol, decimals] = await Promise.all([
      ctx.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }),
      ctx.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
    ]);
    return { symbol, decimals };
  } catch {
    return { symbol: "tokens", decimals: 18 };
  }
}

export const fmtAmount = (v: bigint, t: { symbol: string; decimals: number }) =>
  `${formatUnits(v, t.decimals)} ${t.symbol}`;
