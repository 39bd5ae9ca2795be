// What the indexer reads from the chain, behind a small interface (tests and the benchmark use the
// real one on anvil; nothing here caches: a reorg must always be visible).
import {
  createPublicClient,
  decodeFunctionData,
  erc20Abi,
  http,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
} from "viem";
import { arenaEscrowAbi } from "@zkarena/chain/abis";

export interface BlockHeader {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  /** Seconds since the epoch (chain time). */
  timestamp: bigint;
}

export interface ChainSource {
  chainId(): Promise<number>;
  headNumber(): Promise<bigint>;
  /** The canonical block at `number`, or null if the chain is shorter. */
  block(number: bigint): Promise<BlockHeader | null>;
  /** Several blocks (one JSON-RPC batch); missing ones are left out. */
  blocks(numbers: readonly bigint[]): Promise<Map<bigint, BlockHeader>>;
  /** Every log of `address` in [from, to], in chain order. */
  logs(address: Address, from: bigint, to: bigint): Promise<Log[]>;
  /** Whether `address` has code at the head. */
  hasCode(address: Address): Promise<boolean>;
  /** The Groth16 proof of a direct `submitProof` call, or null when the call came through a contract. */
  submittedProof(txHash: Hex): Promise<Groth16ProofJson | null>;
  /** symbol() and decimals() of an ERC-20, or null if it does not answer them. */
  tokenInfo(token: Address): Promise<{ symbol: string; decimals: number } | null>;
}

/** snarkjs's JSON form of a Groth16 proof (the same shape the API stores for public-split proofs). */
export interface Groth16ProofJson {
  pi_a: [string, string, string];
  pi_b: [[string, string], [string, string], [string, string]];
  pi_c: [string, string, string];
  protocol: "groth16";
  curve: "bn128";
}

/**
 * `pA, pB, pC` as the escrow receives them → snarkjs JSON. The Solidity verifier takes pB with each
 * pair swapped (snarkjs's exportSolidityCallData does the swap), so it is swapped back here.
 */
export function proofFromCalldata(
  pA: readonly [bigint, bigint],
  pB: readonly [readonly [bigint, bigint], readonly [bigint, bigint]],
  pC: readonly [bigint, bigint],
): Groth16ProofJson {
  const s = (v: bigint) => v.toString();
  return {
    pi_a: [s(pA[0]), s(pA[1]), "1"],
    pi_b: [
      [s(pB[0][1]), s(pB[0][0])],
      [s(pB[1][1]), s(pB[1][0])],
      ["1", "0"],
    ],
    pi_c: [s(pC[0]), s(pC[1]), "1"],
    protocol: "groth16",
    curve: "bn128",
  };
}

/** The ChainSource of a JSON-RPC endpoint. Requests for several blocks go out as one HTTP batch. */
export function rpcChainSource(rpcUrl: string, options: { timeoutMs?: number } = {}): ChainSource {
  const client: PublicClient = createPublicClient({
    transport: http(rpcUrl, {
      timeout: options.timeoutMs ?? 20_000,
      retryCount: 2,
      batch: { batchSize: 200, wait: 0 },
    }),
    cacheTime: 0,
  });
  const header = (b: { number: bigint | null; hash: Hex | null; parentHash: Hex; timestamp: bigint }) => {
    if (b.number === null || b.hash === null) throw new Error("the node returned a pending block");
    return { number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp };
  };
  const block = async (number: bigint): Promise<BlockHeader | null> => {
    try {
      return header(await client.getBlock({ blockNumber: number }));
    } catch (error) {
      if (error instanceof Error && error.name === "BlockNotFoundError") return null;
      throw error;
    }
  };
  return {
    chainId: () => client.getChainId(),
    headNumber: () => client.getBlockNumber({ cacheTime: 0 }),
    block,
    async blocks(numbers) {
      const found = await Promise.all(numbers.map((n) => block(n)));
      const map = new Map<bigint, BlockHeader>();
      for (const b of found) if (b) map.set(b.number, b);
      return map;
    },
    logs: (address, from, to) => client.getLogs({ address, fromBlock: from, toBlock: to }),
    async hasCode(address) {
      const code = await client.getCode({ address });
      return code !== undefined && code !== "0x";
    },
    async submittedProof(txHash) {
      const tx = await client.getTransaction({ hash: txHash });
      try {
        const call = decodeFunctionData({ abi: arenaEscrowAbi, data: tx.input });
        if (call.functionName !== "submitProof") return null;
        const a = call.args;
        // 5-argument form: (id, pA, pB, pC, correct); 8-argument form: (id, i, c_i, merkle, pA, pB, pC, correct).
        return a.length === 5 ? proofFromCalldata(a[1], a[2], a[3]) : proofFromCalldata(a[4], a[5], a[6]);
      } catch {
        return null; // called through another contract (a wallet, a multicall): not decodable here
      }
    },
    async tokenInfo(token) {
      try {
        const [symbol, decimals] = await Promise.all([
          client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }),
          client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
        ]);
        return { symbol, decimals };
      } catch {
        return null;
      }
    },
  };
}
