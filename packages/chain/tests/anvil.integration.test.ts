// Real anvil: deploy with contracts/scripts/deploy.mjs, register a verifier through the typed ABI,
// decode the event, re-run the deployment (reuse), then stop the node and check the health report.
// Needs the contracts build (`npm run build -w @zkarena/contracts`) and the anvil binary.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createTestClient,
  createWalletClient,
  erc20Abi,
  getAddress,
  http,
  keccak256,
  parseEventLogs,
  stringToHex,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ANVIL_DEFAULT_PRIVATE_KEY,
  anvilAccounts,
  DEV_TOKEN_AMOUNT_EACH,
  ensureDeployed,
} from "../../../contracts/scripts/deploy.mjs";
import { arenaEscrowAbi, verifierRegistryAbi } from "../src/generated/abis.ts";
import { chainFromId } from "../src/chains.ts";
import { createChainClients, createChainWallet } from "../src/clients.ts";
import { loadDeployment } from "../src/deployments.ts";
import { chainStatus, contractsStatus } from "../src/health.ts";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
const artifactFile = path.join(repoRoot, "contracts/out/VerifierRegistry.sol/VerifierRegistry.json");

function anvilBinary(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve("@foundry-rs/anvil-linux-amd64/package.json");
    return path.join(path.dirname(pkg), "bin", "anvil");
  } catch {
    return "anvil"; // another platform: expect Foundry on PATH
  }
}

async function freePort(): Promise<number> {
  // anvil has no "--port 0", so reserve a free port, release it and hand it over.
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

async function waitForChain(rpcUrl: string, anvil: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (anvil.exitCode !== null) throw new Error(`anvil exited with ${anvil.exitCode}: ${stderr()}`);
    if ((await chainStatus(rpcUrl, { timeoutMs: 500 })).ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`anvil did not answer at ${rpcUrl} within 20 s: ${stderr()}`);
}

describe("deployment on anvil", () => {
  let anvil: ChildProcess | undefined;
  let rpcUrl: string;
  let deploymentsDir: string;

  beforeAll(async () => {
    if (!existsSync(artifactFile)) {
      throw new Error(
        "contracts/out is missing: run `npm run build -w @zkarena/contracts` before this test.",
      );
    }
    const port = await freePort();
    rpcUrl = `http://127.0.0.1:${port}`;
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "zkarena-chain-it-"));
    let stderr = "";
    anvil = spawn(anvilBinary(), ["--host", "127.0.0.1", "--port", String(port), "--silent"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    anvil.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    anvil.once(
      "error",
      (error) => (stderr += `spawn failed: ${error.message} (is Foundry's anvil installed?)`),
    );
    await waitForChain(rpcUrl, anvil, () => stderr);
  });

  afterAll(async () => {
    if (anvil && anvil.exitCode === null) anvil.kill("SIGKILL");
    await rm(deploymentsDir, { recursive: true, force: true });
  });

  const deployer = privateKeyToAccount(ANVIL_DEFAULT_PRIVATE_KEY as Hex);
  let registry: `0x${string}`;
  let escrow: `0x${string}`;

  it("deploys the registry and the escrow (wired to the registry) and records them", async () => {
    const logs: string[] = [];
    const result = await ensureDeployed({ rpcUrl, deploymentsDir, log: (m: string) => logs.push(m) });
    expect(result.reused).toBe(false);
    expect(logs.join("\n")).toMatch(/using anvil's well-known account 0/);

    const deployment = await loadDeployment(31337, deploymentsDir);
    expect(deployment).not.toBeNull();
    registry = deployment!.contracts.VerifierRegistry.address;
    expect(registry).toBe(result.deployment.contracts.VerifierRegistry.address);

    const { publicClient } = createChainClients(rpcUrl);
    const owner = await publicClient.readContract({
      address: registry,
      abi: verifierRegistryAbi,
      functionName: "owner",
    });
    expect(owner).toBe(deployer.address);
    escrow = deployment!.contracts.ArenaEscrow.address;
    expect(
      await publicClient.readContract({ address: escrow, abi: arenaEscrowAbi, functionName: "registry" }),
    ).toBe(registry);
    expect(await contractsStatus(publicClient, deployment!)).toEqual({
      VerifierRegistry: { address: registry, hasCode: true, codeHashMatches: true },
      ArenaEscrow: { address: escrow, hasCode: true, codeHashMatches: true },
    });
  });

  it("deploys and registers every generated verifier under keccak256(circuitId) with its vk hash", async () => {
    const { publicClient } = createChainClients(rpcUrl);
    const deployment = (await loadDeployment(31337, deploymentsDir))!;
    const ids = Object.keys(deployment.verifiers).sort();
    // The generated verifiers committed in contracts/src/verifiers (at least the two CI shapes).
    expect(ids).toEqual(expect.arrayContaining(["mlp-d4-h0-c3-n4", "mlp-d4-h3-c3-n4"]));
    for (const id of ids) {
      const v = deployment.verifiers[id]!;
      expect(v.registryKey).toBe(keccak256(stringToHex(id)));
      const source = readFileSync(
        path.join(repoRoot, "contracts/src/verifiers", `${v.contract}.sol`),
        "utf8",
      );
      expect(source.split("\n")[0]).toContain(`from ${id} (${v.vkHash})`);
      const entry = await publicClient.readContract({
        address: registry,
        abi: verifierRegistryAbi,
        functionName: "get",
        args: [v.registryKey],
      });
      expect(entry).toMatchObject({ verifier: v.address, vkHash: v.vkHash, nPublic: 5, deprecated: false });
      expect(keccak256((await publicClient.getCode({ address: v.address }))!)).toBe(v.codeHash);
    }
  });

  it("deploys the development token on anvil, minted to anvil's ten accounts, and records it", async () => {
    const { publicClient } = createChainClients(rpcUrl);
    const deployment = (await loadDeployment(31337, deploymentsDir))!;
    const token = deployment.devToken!;
    expect(token).toMatchObject({ contract: "DevToken", symbol: "zkUSD", decimals: 18 });
    expect(keccak256((await publicClient.getCode({ address: token.address }))!)).toBe(token.codeHash);
    const read = (functionName: "symbol" | "decimals" | "name") =>
      publicClient.readContract({ address: token.address, abi: erc20Abi, functionName });
    expect([await read("name"), await read("symbol"), await read("decimals")]).toEqual([
      token.name,
      token.symbol,
      token.decimals,
    ]);
    // anvil's own list of its unlocked accounts: the derivation matches it.
    const holders = anvilAccounts();
    expect(holders).toEqual(await createWalletClient({ transport: http(rpcUrl) }).getAddresses());
    expect(holders).toHaveLength(10);
    for (const holder of holders) {
      expect(
        await publicClient.readContract({
          address: token.address,
          abi: erc20Abi,
          functionName: "balanceOf",
          args: [holder as Address],
        }),
      ).toBe(DEV_TOKEN_AMOUNT_EACH);
    }
  });

  it("registers a verifier, reads it back and decodes the event", async () => {
    const { publicClient } = createChainClients(rpcUrl);
    const wallet = createChainWallet(rpcUrl, ANVIL_DEFAULT_PRIVATE_KEY as Hex, {
      chain: chainFromId(31337, rpcUrl),
    });

    // Any contract with code can stand in for a Groth16 verifier: deploy a second registry.
    const artifact = JSON.parse(readFileSync(artifactFile, "utf8")) as { bytecode: { object: Hex } };
    const deployTx = await wallet.deployContract({
      abi: verifierRegistryAbi,
      bytecode: artifact.bytecode.object,
      args: [deployer.address],
    });
    const deployed = await publicClient.waitForTransactionReceipt({ hash: deployTx });
    expect(deployed.status).toBe("success");
    const verifier = getAddress(deployed.contractAddress!);

    // Not a circuit of circuits/circuits.json (those are registered by the deployment).
    const circuitId = keccak256(stringToHex("test-only-circuit"));
    const vkHash = keccak256(stringToHex("verification_key.json"));
    const { request } = await publicClient.simulateContract({
      account: deployer,
      address: registry,
      abi: verifierRegistryAbi,
      functionName: "register",
      args: [circuitId, verifier, vkHash, 5],
    });
    const hash = await wallet.writeContract(request);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");

    const events = parseEventLogs({
      abi: verifierRegistryAbi,
      logs: receipt.logs,
      eventName: "VerifierRegistered",
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.args).toEqual({ circuitId, verifier, vkHash, nPublic: 5 });

    const entry = await publicClient.readContract({
      address: registry,
      abi: verifierRegistryAbi,
      functionName: "get",
      args: [circuitId],
    });
    expect(entry).toMatchObject({ verifier, vkHash, nPublic: 5, deprecated: false });
    const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
    expect(entry.registeredAt).toBe(block.timestamp);
    expect(
      await publicClient.readContract({ address: registry, abi: verifierRegistryAbi, functionName: "count" }),
    ).toBe(BigInt(Object.keys((await loadDeployment(31337, deploymentsDir))!.verifiers).length + 1));
  });

  it("creates and funds a challenge on the escrow and decodes its events", async () => {
    const { publicClient } = createChainClients(rpcUrl);
    const wallet = createChainWallet(rpcUrl, ANVIL_DEFAULT_PRIVATE_KEY as Hex, {
      chain: chainFromId(31337, rpcUrl),
    });
    const now = (await publicClient.getBlock()).timestamp;
    const params = {
      circuitId: keccak256(stringToHex("test-only-circuit")), // registered (5 signals) above
      testCommitment: 1234n,
      batchCount: 1,
      commitDeadline: now + 3600n,
      revealDeadline: now + 7200n,
      proveDeadline: now + 10_800n,
      token: "0x0000000000000000000000000000000000000000" as const,
      minCorrect: 10,
      payoutBps: [6000, 4000],
      metadataHash: keccak256(stringToHex("metadata")),
    };
    const { request, result: id } = await publicClient.simulateContract({
      account: deployer,
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "createChallenge",
      args: [params],
      value: 10n ** 17n,
    });
    expect(id).toBe(1n);
    const created = await publicClient.waitForTransactionReceipt({
      hash: await wallet.writeContract(request),
    });
    expect(created.status).toBe("success");
    const [event] = parseEventLogs({
      abi: arenaEscrowAbi,
      logs: created.logs,
      eventName: "ChallengeCreated",
    });
    expect(event?.args).toMatchObject({ id: 1n, organiser: deployer.address, bond: 10n ** 17n });
    expect(event?.args.params).toEqual(params);

    const funded = await publicClient.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "fund",
        args: [1n, 5n * 10n ** 17n],
        value: 5n * 10n ** 17n,
      }),
    });
    expect(funded.status).toBe("success");
    const challenge = await publicClient.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "getChallenge",
      args: [1n],
    });
    expect(challenge).toMatchObject({
      organiser: deployer.address,
      totalDeposits: 5n * 10n ** 17n,
      sponsorCount: 1,
    });
    expect(await publicClient.getBalance({ address: escrow })).toBe(6n * 10n ** 17n);

    // The organiser may not compete (custom error surfaces through viem).
    await expect(
      publicClient.simulateContract({
        account: deployer,
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "commit",
        args: [1n, 1n],
      }),
    ).rejects.toThrow(/ArenaEscrow__OrganiserCannotCommit/);
  });

  it("rejects an address without code with the registry's custom error", async () => {
    const { publicClient } = createChainClients(rpcUrl);
    await expect(
      publicClient.simulateContract({
        account: deployer,
        address: registry,
        abi: verifierRegistryAbi,
        functionName: "register",
        args: [toHex(2, { size: 32 }), deployer.address, toHex(0, { size: 32 }), 5],
      }),
    ).rejects.toThrow(/VerifierRegistry__NoCode/);
  });

  it("reuses the recorded deployment on a second run", async () => {
    const logs: string[] = [];
    const again = await ensureDeployed({ rpcUrl, deploymentsDir, log: (m: string) => logs.push(m) });
    expect(again.reused).toBe(true);
    expect(again.deployment.contracts.VerifierRegistry.address).toBe(registry);
    expect(logs.slice(0, 2)).toEqual([
      `VerifierRegistry: reused ${registry}`,
      `ArenaEscrow: reused ${escrow}`,
    ]);
    const verifiers = Object.values(again.deployment.verifiers);
    expect(logs.slice(2)).toEqual([
      ...verifiers.map((v) => `${v.contract}: reused ${v.address}`),
      `DevToken: reused ${again.deployment.devToken?.address}`,
    ]);
  });

  it("redeploys when the code at the recorded address changed", async () => {
    const { publicClient } = createChainClients(rpcUrl);
    const testClient = createTestClient({ mode: "anvil", transport: http(rpcUrl), cacheTime: 0 });
    await testClient.setCode({ address: registry, bytecode: "0x6080604052" });
    const before = await loadDeployment(31337, deploymentsDir);
    expect((await contractsStatus(publicClient, before!)).VerifierRegistry).toMatchObject({
      hasCode: true,
      codeHashMatches: false,
    });

    const logs: string[] = [];
    const result = await ensureDeployed({ rpcUrl, deploymentsDir, log: (m: string) => logs.push(m) });
    expect(result.reused).toBe(false);
    expect(logs[0]).toMatch(
      /Redeploying on chain 31337: the code at VerifierRegistry's address .* is not the recorded one/,
    );
    expect(result.deployment.contracts.VerifierRegistry.address).not.toBe(registry);
    registry = result.deployment.contracts.VerifierRegistry.address;
    expect((await loadDeployment(31337, deploymentsDir))?.contracts.VerifierRegistry.address).toBe(registry);
  });

  it("redeploys everything on anvil when a circuit's vk changed (the registry is append-only)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "zkarena-verifiers-"));
    try {
      // The same contract under a banner with another vk hash: what a changed circuit looks like.
      const name = "MlpD4H3C3N4Verifier.sol";
      const source = readFileSync(path.join(repoRoot, "contracts/src/verifiers", name), "utf8");
      const otherVk = `0x${"ab".repeat(32)}`;
      writeFileSync(path.join(dir, name), source.replace(/\(0x[0-9a-f]{64}\)/, `(${otherVk})`));
      const logs: string[] = [];
      const result = await ensureDeployed({
        rpcUrl,
        deploymentsDir,
        verifiersDir: dir,
        log: (m: string) => logs.push(m),
      });
      expect(result.reused).toBe(false);
      expect(logs.join("\n")).toMatch(
        /Redeploying on chain 31337: registry 0x[0-9a-fA-F]{40} holds mlp-d4-h3-c3-n4 with vk 0x/,
      );
      const newRegistry = result.deployment.contracts.VerifierRegistry.address;
      expect(newRegistry).not.toBe(registry);
      expect(Object.keys(result.deployment.verifiers)).toEqual(["mlp-d4-h3-c3-n4"]);
      const { publicClient } = createChainClients(rpcUrl);
      const entry = await publicClient.readContract({
        address: newRegistry,
        abi: verifierRegistryAbi,
        functionName: "get",
        args: [keccak256(stringToHex("mlp-d4-h3-c3-n4"))],
      });
      expect(entry.vkHash).toBe(otherVk);
      // Back to the real verifiers: the changed registry entry forces one more full redeployment.
      const back = await ensureDeployed({ rpcUrl, deploymentsDir, log: () => {} });
      expect(back.deployment.verifiers["mlp-d4-h3-c3-n4"]?.vkHash).not.toBe(otherVk);
      registry = back.deployment.contracts.VerifierRegistry.address;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a corrupt deployments file instead of redeploying over it", async () => {
    const file = path.join(deploymentsDir, "31337.json");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, "{ truncated");
    try {
      await expect(ensureDeployed({ rpcUrl, deploymentsDir, log: () => {} })).rejects.toThrow(
        /31337\.json is not a valid deployments file \(invalid JSON.*delete it to redeploy/,
      );
    } finally {
      writeFileSync(file, good);
    }
  });

  it("reports a stopped node clearly", async () => {
    const exited = new Promise((resolve) => anvil!.once("exit", resolve));
    anvil!.kill("SIGTERM");
    await exited;

    const status = await chainStatus(rpcUrl, { timeoutMs: 2_000 });
    expect(status).toMatchObject({ ok: false, chainId: null, blockNumber: null });
    expect(status.error).toContain(`No Ethereum node answered at ${rpcUrl}`);
    await expect(ensureDeployed({ rpcUrl, deploymentsDir, log: () => {} })).rejects.toThrow(
      /No Ethereum node answered at .* Start one with `npx anvil/,
    );
  });
});
