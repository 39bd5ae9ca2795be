// Reading money and eligibility from the escrow (threat I3): pots, deposits, refunds owed and the
// hidden-split leaderboard always come from view calls on the ArenaEscrow contract, never from the
// indexer's tables. Every value of one answer is read at one block (`blockNumber` in the answer), so
// an answer is a consistent snapshot even while blocks arrive.
//
// Where the escrow is: the deployment record of CHAIN_ID (packages/chain/deployments/<id>.json or
// ZKARENA_DEPLOYMENTS_DIR), never the database. A challenge row only says which on-chain id it is, and
// that link is checked: the on-chain challenge's metadataHash must equal the row's.
import { TRPCError } from "@trpc/server";
import { arenaEscrowAbi, createChainClients, deploymentsDir, loadDeployment } from "@zkarena/chain";
import type { ChainPublicClient } from "@zkarena/chain";
import type { Challenge } from "@zkarena/db";
import { BaseError, ContractFunctionRevertedError, type Address } from "viem";
import type { ApiEnv } from "../env.ts";
import { log } from "../log.ts";

export interface EscrowReader {
  /** The escrow contract (checksummed or lower-case). */
  address: Address;
  client: ChainPublicClient;
  chainId: number;
}

/** How a context finds the escrow: resolved lazily, once per process (null: no deployment/RPC). */
export type EscrowResolver = () => Promise<EscrowReader | null>;

const cache = new Map<string, Promise<EscrowReader | null>>();

/** The escrow of the configured chain, from its deployment record; null when there is none. */
export function defaultEscrowResolver(env: ApiEnv): EscrowResolver {
  return () => {
    const dir = env.ZKARENA_DEPLOYMENTS_DIR ?? deploymentsDir;
    const key = `${env.CHAIN_ID}|${env.RPC_URL}|${dir}`;
    let found = cache.get(key);
    if (!found) {
      found = loadDeployment(env.CHAIN_ID, dir).then((deployment) =>
        deployment
          ? {
              address: deployment.contracts.ArenaEscrow.address,
              client: createChainClients(env.RPC_URL, { timeoutMs: 5_000, retryCount: 1 }).publicClient,
              chainId: env.CHAIN_ID,
            }
          : null,
      );
      // A missing or broken record is looked up again next time (the operator may deploy meanwhile).
      found.then(
        (r) => r === null && cache.delete(key),
        () => cache.delete(key),
      );
      cache.set(key, found);
    }
    return found;
  };
}

export function chainUnavailable(reason: string): TRPCError {
  return new TRPCError({
    code: "SERVICE_UNAVAILABLE",
    message: `Money values are read only from the escrow contract, and the chain cannot be read right now (${reason}). Try again shortly; the operator should check RPC_URL and the deployment record.`,
  });
}

/** The escrow or SERVICE_UNAVAILABLE (money is never answered from the cache). */
export async function requireEscrow(resolve: EscrowResolver | null | undefined): Promise<EscrowReader> {
  let reader: EscrowReader | null = null;
  try {
    reader = resolve ? await resolve() : null;
  } catch (error) {
    log.warn("escrow.resolve_failed", { error: error instanceof Error ? error.name : "unknown" });
    throw chainUnavailable("the deployment record could not be read");
  }
  if (!reader) throw chainUnavailable("no escrow is deployed on the configured chain");
  return reader;
}

/** The challenge's on-chain id, or PRECONDITION_FAILED when it is not on-chain yet. */
export function onchainIdOf(challenge: Pick<Challenge, "onchainId" | "slug">): bigint {
  if (challenge.onchainId === null) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `The challenge "${challenge.slug}" is not on-chain yet: its organiser must send the createChallenge transaction (challenge.onchainArgs) and the indexer must see it.`,
    });
  }
  return BigInt(challenge.onchainId.toFixed(0));
}

/** Runs view calls at one block; RPC failures become SERVICE_UNAVAILABLE. */
export async function atBlock<T>(
  escrow: EscrowReader,
  read: (blockNumber: bigint) => Promise<T>,
): Promise<{ blockNumber: bigint; value: T }> {
  try {
    const blockNumber = await escrow.client.getBlockNumber({ cacheTime: 0 });
    return { blockNumber, value: await read(blockNumber) };
  } catch (error) {
    if (error instanceof TRPCError) throw error;
    const name = error instanceof Error ? error.name : "unknown";
    log.warn("escrow.read_failed", { error: name });
    const reverted =
      error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError) !== null;
    if (reverted) {
      throw new TRPCError({
        code: "NOT_FOUND",
        message:
          "The escrow does not know this challenge id (the cached link is wrong or the chain was reset). Ask the operator to re-index.",
      });
    }
    throw chainUnavailable(`${name} from the RPC`);
  }
}

export type OnchainChallenge = Awaited<ReturnType<typeof readChallenge>>;

/** getChallenge at a block, checked against the row's metadataHash when it has one. */
export async function readChallenge(
  escrow: EscrowReader,
  challenge: Pick<Challenge, "onchainId" | "slug" | "metadataHash">,
  blockNumber: bigint,
) {
  const id = onchainIdOf(challenge);
  const onchain = await escrow.client.readContract({
    address: escrow.address,
    abi: arenaEscrowAbi,
    functionName: "getChallenge",
    args: [id],
    blockNumber,
  });
  if (challenge.metadataHash && onchain.metadataHash.toLowerCase() !== challenge.metadataHash.toLowerCase()) {
    throw new TRPCError({
      code: "CONFLICT",
      message: `On-chain challenge ${id} has another metadata hash than "${challenge.slug}": the cached link is wrong. Ask the operator to re-index; nothing is answered from the cache.`,
    });
  }
  return { id, ...onchain };
}
