// Contract-wallet sign-in (ERC-1271, threat A3) against a real anvil: a tiny wallet contract, compiled
// here with solc, accepts its owner's signatures until it is switched off. The session of a contract
// wallet is short (SESSION_TTL_CONTRACT_SECONDS), so a later flip cannot be outlived by more than that.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import solc from "solc";
import { createPublicClient, createWalletClient, hashMessage, http, type Hex } from "viem";
import { foundry } from "viem/chains";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import type { SiweChainReader } from "../src/services/siwe.ts";
import { alice, bob, callerFor, expectTRPCError, siweMessage, testEnv } from "./helpers.ts";

const WALLET_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;
contract MockWallet1271 {
    address public immutable owner;
    bool public enabled = true;
    constructor(address owner_) { owner = owner_; }
    function setEnabled(bool e) external { require(msg.sender == owner, "owner"); enabled = e; }
    function isValidSignature(bytes32 hash, bytes calldata sig) external view returns (bytes4) {
        if (!enabled || sig.length != 65) return 0xffffffff;
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        return ecrecover(hash, v, r, s) == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}`;

const walletAbi = [
  { type: "constructor", inputs: [{ name: "owner_", type: "address" }], stateMutability: "nonpayable" },
  {
    type: "function",
    name: "setEnabled",
    inputs: [{ name: "e", type: "bool" }],
    outputs: [],
    stateMutability: "nonpayable",
  },
] as const;

function anvilBinary(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve("@foundry-rs/anvil-linux-amd64/package.json");
    const bin = path.join(path.dirname(pkg), "bin", "anvil");
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function compileWallet(): Hex {
  const input = {
    language: "Solidity",
    sources: { "MockWallet1271.sol": { content: WALLET_SOURCE } },
    settings: { outputSelection: { "*": { "*": ["evm.bytecode.object"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  return `0x${output.contracts["MockWallet1271.sol"]?.MockWallet1271?.evm.bytecode.object ?? ""}`;
}

const binary = anvilBinary();
let anvil: ChildProcess | undefined;
let db: TestDb;
let rpcUrl: string;
let walletAddress: `0x${string}`;
let reader: SiweChainReader;

describe.skipIf(binary === null)(
  "ERC-1271 sign-in on anvil (skipped when the anvil binary is absent)",
  () => {
    beforeAll(async () => {
      db = await createTestDb();
      const port = await freePort();
      rpcUrl = `http://127.0.0.1:${port}`;
      anvil = spawn(binary as string, ["--host", "127.0.0.1", "--port", String(port), "--silent"], {
        stdio: "ignore",
      });
      const publicClient = createPublicClient({ chain: foundry, transport: http(rpcUrl), cacheTime: 0 });
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await publicClient.getChainId();
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      const deployer = createWalletClient({ account: alice, chain: foundry, transport: http(rpcUrl) });
      const hash = await deployer.deployContract({
        abi: walletAbi,
        bytecode: compileWallet(),
        args: [alice.address],
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (!receipt.contractAddress) throw new Error("the wallet did not deploy");
      walletAddress = receipt.contractAddress;
      reader = publicClient;
    });

    afterAll(async () => {
      anvil?.kill();
      await db?.close();
    });

    async function signedByWallet(nonce: string) {
      const message = siweMessage(alice, nonce, { address: walletAddress });
      // The owner signs the EIP-191 hash; the wallet checks it with ecrecover.
      const signature = await alice.sign({ hash: hashMessage(message) });
      return { message, signature };
    }

    async function nonce() {
      return (await (await callerFor(db, { chain: reader })).api.auth.nonce()).nonce;
    }

    it("signs a contract wallet in through isValidSignature, with the short contract-wallet session", async () => {
      const env = testEnv({ SESSION_TTL_CONTRACT_SECONDS: "300" });
      const { message, signature } = await signedByWallet(await nonce());
      const { api } = await callerFor(db, { chain: reader, env });
      const started = Date.now();
      const result = await api.auth.verify({ message, signature });
      const finished = Date.now();
      expect(result.walletKind).toBe("contract");
      expect(result.address).toBe(walletAddress.toLowerCase());
      // expiresAt = (the session's creation, in whole seconds) + 300 s, whatever the machine's load.
      expect(result.expiresAt.getTime()).toBeGreaterThan(started - 1_000 + 300_000);
      expect(result.expiresAt.getTime()).toBeLessThanOrEqual(finished + 300_000);
    });

    it("refuses the wallet once it stops accepting the signature, without burning the nonce", async () => {
      const wallet = createWalletClient({ account: alice, chain: foundry, transport: http(rpcUrl) });
      const publicClient = createPublicClient({ chain: foundry, transport: http(rpcUrl), cacheTime: 0 });
      const off = await wallet.writeContract({
        address: walletAddress,
        abi: walletAbi,
        functionName: "setEnabled",
        args: [false],
      });
      expect((await publicClient.waitForTransactionReceipt({ hash: off })).status).toBe("success");
      const n = await nonce();
      const { message, signature } = await signedByWallet(n);
      await expectTRPCError(
        (await callerFor(db, { chain: reader })).api.auth.verify({ message, signature }),
        "UNAUTHORIZED",
        /signature does not match/,
      );
      expect((await db.db.authNonce.findUniqueOrThrow({ where: { nonce: n } })).usedAt).toBeNull();
      const on = await wallet.writeContract({
        address: walletAddress,
        abi: walletAbi,
        functionName: "setEnabled",
        args: [true],
      });
      await publicClient.waitForTransactionReceipt({ hash: on });
      expect(
        (await (await callerFor(db, { chain: reader })).api.auth.verify({ message, signature })).walletKind,
      ).toBe("contract");
    });

    it("refuses another key's signature for the wallet, and a bad signature for an address without code", async () => {
      const message = siweMessage(alice, await nonce(), { address: walletAddress });
      const signature = await bob.sign({ hash: hashMessage(message) });
      await expectTRPCError(
        (await callerFor(db, { chain: reader })).api.auth.verify({ message, signature }),
        "UNAUTHORIZED",
      );
      const eoaMessage = siweMessage(bob, await nonce());
      await expectTRPCError(
        (await callerFor(db, { chain: reader })).api.auth.verify({
          message: eoaMessage,
          signature: await alice.signMessage({ message: eoaMessage }),
        }),
        "UNAUTHORIZED",
      );
    });

    it("does not resolve ERC-1271 on an RPC endpoint of another chain", async () => {
      const wrongChain: SiweChainReader = {
        ...reader,
        getChainId: async () => 1,
        getCode: (a) => reader.getCode(a),
        readContract: (a) => reader.readContract(a),
      };
      const { message, signature } = await signedByWallet(await nonce());
      await expectTRPCError(
        (await callerFor(db, { chain: wrongChain })).api.auth.verify({ message, signature }),
        "SERVICE_UNAVAILABLE",
        /chain 1, not 31337/,
      );
    });
  },
);
