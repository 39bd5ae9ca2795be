// The whole escrow lifecycle on a real anvil, the way the app drives it: contracts and the generated
// verifiers deployed by contracts/scripts/deploy.mjs, real Groth16 proofs of the CI circuit
// (mlp-d4-h3-c3-n4) from packages/zk, every write simulated first, then sent, its receipt's status
// checked and its events decoded from the receipt; balances are compared to the wei (gas included).
//
//   challenge 1: ETH, one batch, 3 ranks, two sponsors, two competitors (bob re-commits)
//   challenge 2: ERC-20, hidden split of B = 2 batches under a Merkle root, each competitor proves both
//   challenge 3: ETH, never revealed: sponsors get everything back, committers split the bond
//
// Needs the contracts build (`npm run build -w @zkarena/contracts`); builds the CI circuit if needed.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createTestClient,
  getAddress,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
  stringToHex,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ensureDeployed } from "../../../contracts/scripts/deploy.mjs";
import { artifactPaths, buildAll, releaseCurves } from "../../../circuits/scripts/lib.mjs";
import { batchProofRequest, hiddenSplitCommitment, type HiddenSplit } from "../../zk/src/batch.ts";
import { proofCalldata } from "../../zk/src/calldata.ts";
import { modelCommitment } from "../../zk/src/commit.ts";
import { proveMlp } from "../../zk/src/prove.ts";
import { countCorrect, infer, type IntModel, type Sample } from "../../zk/src/reference.ts";
import type { MlpShape } from "../../zk/src/shape.ts";
import { arenaEscrowAbi } from "../src/generated/abis.ts";
import { chainFromId } from "../src/chains.ts";
import { createChainClients, createChainWallet } from "../src/clients.ts";
import { startAnvil, type Anvil } from "./support/anvil.ts";

const CIRCUIT = "mlp-d4-h3-c3-n4";
const SHAPE: MlpShape = { D: 4, H: 3, C: 3, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 };
const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
const MNEMONIC = "test test test test test test test test test test test junk"; // anvil's public accounts

const account = (i: number): Account => mnemonicToAccount(MNEMONIC, { addressIndex: i });
const [deployer, organiser, sponsorA, sponsorB, alice, bob] = [0, 1, 2, 3, 4, 5].map(account) as [
  Account,
  Account,
  Account,
  Account,
  Account,
  Account,
];

// Deterministic models and samples (mulberry32).
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: () => number, lo: number, hi: number) => BigInt(lo + Math.floor(r() * (hi - lo + 1)));
function model(seed: number): IntModel {
  const r = rng(seed);
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => int(r, -128, 127)));
  return {
    shape: SHAPE,
    W1: mat(SHAPE.H, SHAPE.D),
    b1: Array.from({ length: SHAPE.H }, () => int(r, -300, 300)),
    W2: mat(SHAPE.C, SHAPE.H),
    b2: Array.from({ length: SHAPE.C }, () => int(r, -300, 300)),
  };
}
/** Labels follow alice's model on 3 samples of 4 and bob's on the 4th: alice ranks above bob. */
function hiddenSamples(seed: number, count: number, a: IntModel, b: IntModel): Sample[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const x = Array.from({ length: SHAPE.D }, () => int(r, 0, 15));
    return { x, label: BigInt(infer(i % 4 === 3 ? b : a, x).prediction) };
  });
}

describe("escrow lifecycle on anvil with real proofs", () => {
  let anvil: Anvil;
  let deploymentsDir: string;
  let escrow: Address;
  let token: Address;
  let publicClient: ReturnType<typeof createChainClients>["publicClient"];
  let testClient: ReturnType<typeof createTestClient>;
  const gasReport: [string, bigint][] = [];

  const wallet = (account: Account) =>
    createChainWallet(anvil.rpcUrl, account, { chain: chainFromId(31337, anvil.rpcUrl) });

  /** Waits for the receipt and insists it succeeded (anvil mines reverting transactions). */
  async function mined(hash: Hex, label?: string): Promise<TransactionReceipt> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status, `${label ?? hash} reverted`).toBe("success");
    if (label) gasReport.push([label, receipt.gasUsed]);
    return receipt;
  }
  const fee = (r: TransactionReceipt) => r.gasUsed * r.effectiveGasPrice;
  const eth = (a: Address) => publicClient.getBalance({ address: a });
  const tokens = (a: Address) =>
    publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [a] });
  async function advanceTo(timestamp: bigint): Promise<void> {
    await testClient.setNextBlockTimestamp({ timestamp });
    await testClient.mine({ blocks: 1 });
  }

  // The mock ERC-20 (contracts/test/mocks/Tokens.sol, built with the contracts).
  const tokenArtifact = JSON.parse(
    readFileSync(path.join(repoRoot, "contracts/out/Tokens.sol/MockERC20.json"), "utf8"),
  ) as { abi: Abi; bytecode: { object: Hex } };
  const erc20Abi = [
    ...(["balanceOf"] as const).map((name) => ({
      type: "function" as const,
      name,
      stateMutability: "view" as const,
      inputs: [{ name: "account", type: "address" }] as const,
      outputs: [{ name: "", type: "uint256" }] as const,
    })),
    {
      type: "function",
      name: "approve",
      stateMutability: "nonpayable",
      inputs: [
        { name: "spender", type: "address" },
        { name: "amount", type: "uint256" },
      ],
      outputs: [{ name: "", type: "bool" }],
    },
    {
      type: "function",
      name: "mint",
      stateMutability: "nonpayable",
      inputs: [
        { name: "to", type: "address" },
        { name: "amount", type: "uint256" },
      ],
      outputs: [],
    },
  ] as const;

  const aliceModel = model(101);
  const bobModel = model(202);
  const bobFirstModel = model(203);
  const aliceSalt = 0xa11ce5a17n;
  const bobSalt = 0xb0b5a17n;
  let splitOne: HiddenSplit; // challenge 1
  let splitTwo: HiddenSplit; // challenge 2 (B = 2)
  const ids = { eth: 0n, erc20: 0n, missed: 0n };
  let t0 = 0n;
  const bonds = { eth: parseEther("1"), erc20: parseEther("0.5"), missed: parseEther("0.3") + 1n };

  beforeAll(async () => {
    await buildAll({ only: [CIRCUIT], log: () => {} });
    anvil = await startAnvil();
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "zkarena-lifecycle-"));
    ({ publicClient } = createChainClients(anvil.rpcUrl));
    testClient = createTestClient({ mode: "anvil", transport: http(anvil.rpcUrl), cacheTime: 0 });
    const { deployment } = await ensureDeployed({ rpcUrl: anvil.rpcUrl, deploymentsDir, log: () => {} });
    escrow = deployment.contracts.ArenaEscrow.address;
    expect(deployment.verifiers[CIRCUIT]?.registryKey).toBe(keccak256(stringToHex(CIRCUIT)));

    const deployTx = await wallet(deployer).deployContract({
      abi: tokenArtifact.abi,
      bytecode: tokenArtifact.bytecode.object,
    });
    token = getAddress((await mined(deployTx)).contractAddress!);
    t0 = (await publicClient.getBlock()).timestamp;

    splitOne = await hiddenSplitCommitment(hiddenSamples(1, 4, aliceModel, bobModel), 0x5eedn, SHAPE);
    splitTwo = await hiddenSplitCommitment(hiddenSamples(2, 8, aliceModel, bobModel), 0x5eed2n, SHAPE);
    expect(splitTwo.batchCount).toBe(2);
  }, 900_000); // may wait for another build of the circuits (file lock) under load

  afterAll(async () => {
    await anvil?.stop();
    await rm(deploymentsDir, { recursive: true, force: true });
    await releaseCurves();
    // Full transaction gas (21k base + calldata + execution) of the app's calls, for the README's table.
    console.info(
      `transaction gasUsed on anvil:\n${gasReport.map(([label, gas]) => `  ${label.padEnd(34)} ${gas}`).join("\n")}`,
    );
  });

  const deadlines = () => ({
    commitDeadline: t0 + 1_000n,
    revealDeadline: t0 + 2_000n,
    proveDeadline: t0 + 3_000n,
  });

  it("creates an ETH, a batched ERC-20 and a third challenge, with every parameter in the event", async () => {
    const create = async (
      key: keyof typeof ids,
      testCommitment: bigint,
      batchCount: number,
      tokenAddress: Address,
      payoutBps: number[],
    ) => {
      const params = {
        circuitId: keccak256(stringToHex(CIRCUIT)),
        testCommitment,
        batchCount,
        ...deadlines(),
        token: tokenAddress,
        minCorrect: 1,
        payoutBps,
        metadataHash: keccak256(stringToHex(`metadata ${key}`)),
      };
      const { request, result } = await publicClient.simulateContract({
        account: organiser,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "createChallenge",
        args: [params],
        value: bonds[key],
      });
      const receipt = await mined(await wallet(organiser).writeContract(request), `createChallenge (${key})`);
      const [event] = parseEventLogs({
        abi: arenaEscrowAbi,
        logs: receipt.logs,
        eventName: "ChallengeCreated",
      });
      expect(event?.args).toMatchObject({ id: result, organiser: organiser.address, bond: bonds[key] });
      expect(event?.args.params).toEqual(params);
      ids[key] = result;
    };
    await create("eth", BigInt(splitOne.root), 1, zeroAddress, [5000, 3000, 2000]);
    await create("erc20", BigInt(splitTwo.root), 2, token, [6000, 4000]);
    await create("missed", 12345n, 1, zeroAddress, [10_000]);
    expect(ids).toEqual({ eth: 1n, erc20: 2n, missed: 3n });
    const stored = await publicClient.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "getChallenge",
      args: [ids.erc20],
    });
    expect(stored).toMatchObject({ batchCount: 2, testCommitment: BigInt(splitTwo.root), token });
  });

  it("takes sponsors' ETH and tokens and records each deposit", async () => {
    const fundEth = async (sponsor: Account, id: bigint, amount: bigint) => {
      const { request } = await publicClient.simulateContract({
        account: sponsor,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "fund",
        args: [id, amount],
        value: amount,
      });
      const receipt = await mined(await wallet(sponsor).writeContract(request), "fund (ETH)");
      const [event] = parseEventLogs({
        abi: arenaEscrowAbi,
        logs: receipt.logs,
        eventName: "ChallengeFunded",
      });
      expect(event?.args).toEqual({ id, sponsor: sponsor.address, amountReceived: amount });
    };
    await fundEth(sponsorA, ids.eth, parseEther("3"));
    await fundEth(sponsorB, ids.eth, parseEther("1"));
    await fundEth(sponsorB, ids.missed, parseEther("2"));

    const amount = parseEther("1000");
    await mined(
      await wallet(deployer).writeContract({
        address: token,
        abi: erc20Abi,
        functionName: "mint",
        args: [sponsorA.address, amount],
      }),
    );
    const approve = await publicClient.simulateContract({
      account: sponsorA,
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [escrow, amount],
    });
    await mined(await wallet(sponsorA).writeContract(approve.request));
    const { request } = await publicClient.simulateContract({
      account: sponsorA,
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "fund",
      args: [ids.erc20, amount],
    });
    await mined(await wallet(sponsorA).writeContract(request), "fund (ERC-20)");
    expect(await tokens(escrow)).toBe(amount);
    expect(
      await publicClient.readContract({
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "depositOf",
        args: [ids.eth, sponsorA.address],
      }),
    ).toBe(parseEther("3"));
    expect(await eth(escrow)).toBe(parseEther("6") + bonds.eth + bonds.erc20 + bonds.missed);
  });

  it("records commitments; a re-commit replaces the commitment and its time", async () => {
    const commit = async (who: Account, id: bigint, commitment: bigint, label: string) => {
      const { request } = await publicClient.simulateContract({
        account: who,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "commit",
        args: [id, commitment],
      });
      const receipt = await mined(await wallet(who).writeContract(request), label);
      const [event] = parseEventLogs({
        abi: arenaEscrowAbi,
        logs: receipt.logs,
        eventName: "ModelCommitted",
      });
      return event!.args;
    };
    const aliceC = await modelCommitment(aliceModel, aliceSalt);
    const bobC = await modelCommitment(bobModel, bobSalt);
    for (const id of [ids.eth, ids.erc20, ids.missed]) await commit(alice, id, aliceC, "commit");
    const first = await commit(bob, ids.eth, await modelCommitment(bobFirstModel, bobSalt), "commit");
    expect(first.recommit).toBe(false);
    await testClient.increaseTime({ seconds: 10 });
    const again = await commit(bob, ids.eth, bobC, "commit (re-commit)");
    expect(again).toMatchObject({ commitment: bobC, recommit: true });
    expect(again.at).toBeGreaterThan(first.at);
    await commit(bob, ids.erc20, bobC, "commit");
    await commit(bob, ids.missed, bobC, "commit");
    const [stored, at] = await publicClient.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "commitmentOf",
      args: [ids.eth, bob.address],
    });
    expect([stored, at]).toEqual([bobC, again.at]);
  });

  it("reveals the two live challenges after the commit deadline", async () => {
    await advanceTo(deadlines().commitDeadline);
    for (const id of [ids.eth, ids.erc20]) {
      const { request } = await publicClient.simulateContract({
        account: organiser,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "reveal",
        args: [id, `ipfs://hidden-split-${id}`],
      });
      const receipt = await mined(await wallet(organiser).writeContract(request), "reveal");
      const [event] = parseEventLogs({
        abi: arenaEscrowAbi,
        logs: receipt.logs,
        eventName: "TestSetRevealed",
      });
      expect(event?.args).toEqual({ id, uri: `ipfs://hidden-split-${id}` });
    }
  });

  const expectedScore = (m: IntModel, split: HiddenSplit) =>
    split.batches.reduce((sum, batch) => sum + countCorrect(m, batch), 0);

  it("accepts real proofs: one batch on challenge 1, both batches on challenge 2, summed", async () => {
    const { zkey, wasm } = artifactPaths(CIRCUIT);
    const submitBatch = async (
      who: Account,
      m: IntModel,
      salt: bigint,
      id: bigint,
      split: HiddenSplit,
      i: number,
    ) => {
      const { request: proofRequest, batch } = batchProofRequest(split, i, {
        model: m,
        modelSalt: salt,
        challengeId: id,
        submitter: BigInt(who.address),
      });
      const { proof, expected } = await proveMlp(proofRequest, { wasm, zkey });
      const { pA, pB, pC } = proofCalldata(proof);
      const correct = Number(expected.correct);
      let hash: Hex;
      if (split.batchCount === 1) {
        const { request } = await publicClient.simulateContract({
          account: who,
          address: escrow,
          abi: arenaEscrowAbi,
          functionName: "submitProof",
          args: [id, pA, pB, pC, correct],
        });
        hash = await wallet(who).writeContract(request);
      } else {
        const { request } = await publicClient.simulateContract({
          account: who,
          address: escrow,
          abi: arenaEscrowAbi,
          functionName: "submitProof",
          args: [id, BigInt(i), batch.commitment, batch.merkleProof, pA, pB, pC, correct],
        });
        hash = await wallet(who).writeContract(request);
      }
      const label = split.batchCount === 1 ? "submitProof (real verifier)" : `submitProof (batch ${i} of 2)`;
      const receipt = await mined(hash, label);
      const [event] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "ProofAccepted" });
      expect(event?.args).toMatchObject({
        id,
        competitor: who.address,
        batchIndex: BigInt(i),
        batchCommitment: batch.commitment,
        correct,
      });
      return event!.args;
    };

    const a1 = await submitBatch(alice, aliceModel, aliceSalt, ids.eth, splitOne, 0);
    const b1 = await submitBatch(bob, bobModel, bobSalt, ids.eth, splitOne, 0);
    expect(a1.total).toBe(expectedScore(aliceModel, splitOne));
    expect(b1.total).toBe(expectedScore(bobModel, splitOne));
    expect(a1.total).toBeGreaterThan(b1.total);

    // A proof for challenge 1 replayed by the other competitor is refused (submitter binding, Z8).
    await expect(
      publicClient.simulateContract({
        account: bob,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "submitProof",
        args: [
          ids.erc20,
          0n,
          splitTwo.commitments[0]!,
          batchProofRequest(splitTwo, 0, {
            model: aliceModel,
            modelSalt: aliceSalt,
            challengeId: ids.erc20,
            submitter: BigInt(alice.address),
          }).batch.merkleProof,
          [0n, 0n],
          [
            [0n, 0n],
            [0n, 0n],
          ],
          [0n, 0n],
          1,
        ],
      }),
    ).rejects.toThrow(/ArenaEscrow__InvalidProof/);

    const a20 = await submitBatch(alice, aliceModel, aliceSalt, ids.erc20, splitTwo, 1);
    const a21 = await submitBatch(alice, aliceModel, aliceSalt, ids.erc20, splitTwo, 0);
    expect(a21.total).toBe(a20.correct + a21.correct);
    expect(a21.total).toBe(expectedScore(aliceModel, splitTwo));
    await submitBatch(bob, bobModel, bobSalt, ids.erc20, splitTwo, 0);
    const b2 = await submitBatch(bob, bobModel, bobSalt, ids.erc20, splitTwo, 1);
    expect(b2.total).toBe(expectedScore(bobModel, splitTwo));

    const board = await publicClient.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "leaderboard",
      args: [ids.erc20],
    });
    expect(board.map((row) => [row.competitor, row.correct])).toEqual([
      [alice.address, a21.total],
      [bob.address, b2.total],
    ]);
  }, 120_000);

  it("pays winners and refunds sponsors to the wei after the prove deadline", async () => {
    await advanceTo(deadlines().proveDeadline);
    const claim = async (
      who: Account,
      id: bigint,
      fn: "claimPrize" | "claimRefund" | "claimBond",
      label: string,
    ) => {
      const { request } = await publicClient.simulateContract({
        account: who,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: fn,
        args: [id],
      });
      return mined(await wallet(who).writeContract(request), label);
    };
    const potEth = parseEther("4");
    // Challenge 1: ranks 0 and 1 filled (50 % + 30 %), the unused 20 % goes back pro rata (3 : 1).
    for (const [who, share] of [
      [alice, 5000n],
      [bob, 3000n],
    ] as const) {
      const before = await eth(who.address);
      const receipt = await claim(who, ids.eth, "claimPrize", "claimPrize (ETH)");
      const [event] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "PrizeClaimed" });
      expect(event?.args.amount).toBe((potEth * share) / 10_000n);
      expect(await eth(who.address)).toBe(before + (potEth * share) / 10_000n - fee(receipt));
    }
    const refundable = potEth - (potEth * 5000n) / 10_000n - (potEth * 3000n) / 10_000n;
    const beforeA = await eth(sponsorA.address);
    const rA = await claim(sponsorA, ids.eth, "claimRefund", "claimRefund (ETH)");
    expect(await eth(sponsorA.address)).toBe(beforeA + (refundable * 3n) / 4n - fee(rA));
    const beforeB = await eth(sponsorB.address);
    const rB = await claim(sponsorB, ids.eth, "claimRefund", "claimRefund (ETH, last)");
    expect(await eth(sponsorB.address)).toBe(beforeB + refundable - (refundable * 3n) / 4n - fee(rB));

    // Challenge 2 (tokens): 60 % / 40 % of the pot by summed score, nothing left to refund.
    const potTokens = parseEther("1000");
    for (const [who, share] of [
      [alice, 6000n],
      [bob, 4000n],
    ] as const) {
      await claim(who, ids.erc20, "claimPrize", "claimPrize (ERC-20)");
      expect(await tokens(who.address)).toBe((potTokens * share) / 10_000n);
    }
    const rT = await claim(sponsorA, ids.erc20, "claimRefund", "claimRefund (ERC-20, nothing left)");
    const [refundEvent] = parseEventLogs({ abi: arenaEscrowAbi, logs: rT.logs, eventName: "RefundClaimed" });
    expect(refundEvent?.args.amount).toBe(0n);
    expect(await tokens(escrow)).toBe(0n);

    // The organiser takes both bonds back; a second claim is refused.
    const beforeO = await eth(organiser.address);
    const b1 = await claim(organiser, ids.eth, "claimBond", "claimBond (organiser)");
    const b2 = await claim(organiser, ids.erc20, "claimBond", "claimBond (organiser)");
    expect(await eth(organiser.address)).toBe(beforeO + bonds.eth + bonds.erc20 - fee(b1) - fee(b2));
    await expect(
      publicClient.simulateContract({
        account: organiser,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "claimBond",
        args: [ids.eth],
      }),
    ).rejects.toThrow(/ArenaEscrow__AlreadyClaimed/);
  });

  it("refunds sponsors in full and splits the bond when the organiser never reveals", async () => {
    const phase = await publicClient.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "phaseOf",
      args: [ids.missed],
    });
    expect(phase).toBe(4); // RevealMissed
    await expect(
      publicClient.simulateContract({
        account: organiser,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "claimBond",
        args: [ids.missed],
      }),
    ).rejects.toThrow(/ArenaEscrow__WrongPhase/);
    const send = async (who: Account, fn: "claimRefund" | "claimBond", label: string) => {
      const { request } = await publicClient.simulateContract({
        account: who,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: fn,
        args: [ids.missed],
      });
      return mined(await wallet(who).writeContract(request), label);
    };
    const beforeB = await eth(sponsorB.address);
    const refund = await send(sponsorB, "claimRefund", "claimRefund (missed reveal)");
    expect(await eth(sponsorB.address)).toBe(beforeB + parseEther("2") - fee(refund));
    const half = bonds.missed / 2n;
    for (const [who, amount] of [
      [alice, half],
      [bob, bonds.missed - half], // the last committer takes the remainder (odd wei)
    ] as const) {
      const before = await eth(who.address);
      const receipt = await send(who, "claimBond", "claimBond (committer)");
      const [event] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "BondClaimed" });
      expect(event?.args).toEqual({ id: ids.missed, account: who.address, amount });
      expect(await eth(who.address)).toBe(before + amount - fee(receipt));
    }
    // Everything that came in went out: the escrow holds nothing.
    expect(await eth(escrow)).toBe(0n);
  });
});
