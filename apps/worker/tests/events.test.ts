// Log decoding without a chain: order, argument format (the release gate's contract), refusals.
import { encodeAbiParameters, encodeEventTopics, keccak256, stringToHex, type Hex, type Log } from "viem";
import { describe, expect, it } from "vitest";
import { arenaEscrowAbi } from "@zkarena/chain";
import { decodeEscrowLogs, toJson } from "../src/indexer/events.ts";

const ESCROW = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const SPONSOR = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function fundedLog(block: bigint, txIndex: number, logIndex: number, id: bigint, amount: bigint): Log {
  return {
    address: ESCROW,
    topics: encodeEventTopics({
      abi: arenaEscrowAbi,
      eventName: "ChallengeFunded",
      args: { id, sponsor: SPONSOR },
    }) as [Hex, ...Hex[]],
    data: encodeAbiParameters([{ type: "uint256" }], [amount]),
    blockNumber: block,
    blockHash: keccak256(stringToHex(`block ${block}`)),
    transactionHash: keccak256(stringToHex(`tx ${block} ${txIndex}`)),
    transactionIndex: txIndex,
    logIndex,
    removed: false,
  };
}

describe("decodeEscrowLogs", () => {
  it("orders by block, transaction index and log index, whatever order the node used", () => {
    const logs = [
      fundedLog(9n, 0, 0, 1n, 5n),
      fundedLog(7n, 3, 7, 1n, 4n),
      fundedLog(7n, 3, 6, 1n, 3n),
      fundedLog(7n, 1, 9, 2n, 2n),
    ];
    const { events, unknown } = decodeEscrowLogs(31337, ESCROW.toLowerCase(), logs);
    expect(unknown).toBe(0);
    expect(events.map((e) => [e.blockNumber, e.txIndex, e.logIndex])).toEqual([
      [7n, 1, 9],
      [7n, 3, 6],
      [7n, 3, 7],
      [9n, 0, 0],
    ]);
  });

  it("stores arguments as the release gate reads them: decimal strings and lower-case addresses", () => {
    const { events } = decodeEscrowLogs(31337, ESCROW.toLowerCase(), [fundedLog(1n, 0, 0, 12n, 10n ** 30n)]);
    expect(events[0]).toMatchObject({
      eventName: "ChallengeFunded",
      address: ESCROW.toLowerCase(),
      challengeId: 12n,
      args: { id: "12", sponsor: SPONSOR.toLowerCase(), amountReceived: (10n ** 30n).toString() },
    });
    expect(toJson({ a: [1n, "0xABcd"], b: { c: true } })).toEqual({ a: ["1", "0xabcd"], b: { c: true } });
  });

  it("counts logs that are not escrow events and refuses logs of another contract", () => {
    const foreign = { ...fundedLog(1n, 0, 0, 1n, 1n), topics: [keccak256(stringToHex("Other()"))] as [Hex] };
    expect(decodeEscrowLogs(31337, ESCROW.toLowerCase(), [foreign]).unknown).toBe(1);
    const elsewhere = { ...fundedLog(1n, 0, 0, 1n, 1n), address: SPONSOR as Hex };
    expect(() => decodeEscrowLogs(31337, ESCROW.toLowerCase(), [elsewhere])).toThrow(/returned a log of/);
  });
});
