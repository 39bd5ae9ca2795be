// Escrow logs → ChainEvent rows. The row format is a contract with packages/api (release.ts):
// addresses lower-case, bigints as decimal strings, `args.id` the on-chain challenge id.
import { decodeEventLog, type Hex, type Log } from "viem";
import { arenaEscrowAbi } from "@zkarena/chain/abis";

export const ESCROW_EVENTS = [
  "ChallengeCreated",
  "ChallengeFunded",
  "ModelCommitted",
  "TestSetRevealed",
  "ProofAccepted",
  "PrizeClaimed",
  "RefundClaimed",
  "BondClaimed",
] as const;
export type EscrowEventName = (typeof ESCROW_EVENTS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One decoded escrow event, ready to be stored. */
export interface DecodedEvent {
  chainId: number;
  /** The escrow, lower-case. */
  address: string;
  blockNumber: bigint;
  blockHash: Hex;
  txHash: Hex;
  txIndex: number;
  logIndex: number;
  eventName: EscrowEventName;
  args: JsonObject;
  /** The challenge the event belongs to (every escrow event has `id`). */
  challengeId: bigint;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Decoded ABI values → JSON: bigints as decimal strings, addresses lower-case, hex lower-case. */
export function toJson(value: unknown): JsonValue {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value.startsWith("0x") ? value.toLowerCase() : value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object" && value !== undefined) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(v)]),
    );
  }
  throw new TypeError(`cannot store a ${typeof value} in an event's arguments`);
}

export interface DecodeResult {
  events: DecodedEvent[];
  /** Logs of the escrow address that are not escrow events (counted and logged, never stored). */
  unknown: number;
}

/** Decodes and sorts logs by (block, tx index, log index). Logs from another address are refused. */
export function decodeEscrowLogs(chainId: number, escrow: string, logs: readonly Log[]): DecodeResult {
  const events: DecodedEvent[] = [];
  let unknown = 0;
  for (const log of logs) {
    if (log.address.toLowerCase() !== escrow) {
      throw new Error(`the node returned a log of ${log.address} for a query on ${escrow}`);
    }
    if (log.blockNumber === null || log.blockHash === null || log.transactionHash === null) {
      throw new Error("the node returned a pending log for a mined block range");
    }
    let decoded;
    try {
      decoded = decodeEventLog({ abi: arenaEscrowAbi, data: log.data, topics: log.topics, strict: true });
    } catch {
      unknown += 1;
      continue;
    }
    if (!(ESCROW_EVENTS as readonly string[]).includes(decoded.eventName)) {
      unknown += 1;
      continue;
    }
    const args = toJson(decoded.args) as JsonObject;
    events.push({
      chainId,
      address: escrow,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase() as Hex,
      txHash: log.transactionHash.toLowerCase() as Hex,
      txIndex: log.transactionIndex ?? 0,
      logIndex: log.logIndex ?? 0,
      eventName: decoded.eventName as EscrowEventName,
      args,
      challengeId: BigInt(args.id as string),
    });
  }
  events.sort((a, b) =>
    a.blockNumber !== b.blockNumber
      ? a.blockNumber < b.blockNumber
        ? -1
        : 1
      : a.txIndex !== b.txIndex
        ? a.txIndex - b.txIndex
        : a.logIndex - b.logIndex,
  );
  return { events, unknown };
}

export const isAddress = (value: unknown): value is string =>
  typeof value === "string" && ADDRESS.test(value);
