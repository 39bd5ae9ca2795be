// Indexing throughput on a private anvil: `npm run bench -w @zkarena/worker [-- --events 2000 --challenges 1,20]`.
//
// Deploys the contracts, creates C challenges, then sends N deposits and commitments spread over them
// (50 transactions per block), and indexes the whole range into a fresh database (PostgreSQL with
// DATABASE_URL, else in-memory PGlite) with several batch sizes. Prints a table: events, blocks,
// batches, seconds, events/s. A benchmark, never a test: numbers depend on the machine and its load.
import { parseArgs } from "node:util";
import { encodeFunctionData, type Account } from "viem";
import { arenaEscrowAbi, chainFromId, createChainWallet } from "@zkarena/chain";
import { createTestDb } from "@zkarena/db/testing";
import { account, escrowCalls, makeIndexer, startChain, type Chain } from "../tests/support.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "2000" },
    challenges: { type: "string", default: "1,20" },
    batches: { type: "string", default: "100,1000" },
    "per-block": { type: "string", default: "50" },
  },
});
const EVENTS = Number(values.events);
const PER_BLOCK = Number(values["per-block"]);
const layouts = values.challenges.split(",").map(Number);
const batchSizes = values.batches.split(",").map(Number);

async function scenario(chain: Chain, challenges: number): Promise<number> {
  const calls = escrowCalls(chain);
  const t0 = await calls.now();
  const ids: bigint[] = [];
  for (let i = 0; i < challenges; i += 1) ids.push(await calls.create({ t0, metadata: `bench ${i}` }));
  const senders = Array.from({ length: 10 }, (_, i) => account(10 + i));
  const wallets = new Map<Account, ReturnType<typeof createChainWallet>>(
    senders.map((a) => [
      a,
      createChainWallet(chain.anvil.rpcUrl, a, { chain: chainFromId(31337, chain.anvil.rpcUrl) }),
    ]),
  );
  for (const a of senders) await chain.testClient.setBalance({ address: a.address, value: 10n ** 24n });
  const nonces = new Map<Account, number>();
  for (const a of senders)
    nonces.set(a, await chain.publicClient.getTransactionCount({ address: a.address }));
  const fees = await chain.publicClient.estimateFeesPerGas();
  await chain.testClient.setAutomine(false);
  let sent = 0;
  for (let i = 0; i < EVENTS; i += 1) {
    const who = senders[i % senders.length]!;
    const id = ids[i % ids.length]!;
    // Half deposits, half commitments (re-commits after the first round).
    const data =
      i % 2 === 0
        ? encodeFunctionData({ abi: arenaEscrowAbi, functionName: "fund", args: [id, 1000n + BigInt(i)] })
        : encodeFunctionData({ abi: arenaEscrowAbi, functionName: "commit", args: [id, BigInt(i)] });
    await wallets.get(who)!.sendTransaction({
      to: chain.escrow,
      data,
      value: i % 2 === 0 ? 1000n + BigInt(i) : 0n,
      gas: 200_000n,
      nonce: nonces.get(who)!,
      maxFeePerGas: fees.maxFeePerGas * 2n,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    nonces.set(who, nonces.get(who)! + 1);
    sent += 1;
    if (sent % PER_BLOCK === 0) await chain.testClient.mine({ blocks: 1 });
  }
  await chain.testClient.mine({ blocks: 1 });
  await chain.testClient.setAutomine(true);
  return (await chain.publicClient.getLogs({ address: chain.escrow, fromBlock: 0n })).length;
}

const rows: string[][] = [];
for (const challenges of layouts) {
  const chain = await startChain();
  try {
    const events = await scenario(chain, challenges);
    const blocks = (await chain.publicClient.getBlockNumber()) - chain.deployBlock + 1n;
    for (const batchBlocks of batchSizes) {
      const db = await createTestDb();
      try {
        const started = performance.now();
        const steps = await makeIndexer(chain, db.db, { batchBlocks }).syncToHead();
        const seconds = (performance.now() - started) / 1000;
        const indexed = await db.db.chainEvent.count();
        if (indexed !== events) throw new Error(`indexed ${indexed} of ${events} events`);
        rows.push([
          String(challenges),
          String(events),
          String(blocks),
          String(batchBlocks),
          String(steps.filter((s) => s.kind === "batch").length),
          seconds.toFixed(2),
          (events / seconds).toFixed(0),
          db.kind,
        ]);
      } finally {
        await db.close();
      }
    }
  } finally {
    await chain.stop();
  }
}

const head = ["challenges", "events", "blocks", "batch blocks", "batches", "seconds", "events/s", "database"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
console.log(`\nindexing throughput on anvil (${PER_BLOCK} transactions per block, one event each)`);
console.log(line(head));
console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
for (const r of rows) console.log(line(r));
