// The whole lifecycle through the `zkarena` command (its `run` function; one run of the real
// executable too) against a real local stack: PostgreSQL (DATABASE_URL) or embedded PGlite behind
// packages/api's HTTP handler on a free loopback port, anvil on a free port with the contracts and
// the generated verifiers deployed, the CI circuit (mlp-d4-h3-c3-n4) and real Groth16 proofs.
//
//   challenge A (ETH, 3 ranks, hidden split kept by the API, 2 batches): one ETH sponsor, three
//     competitors with different models, bob re-commits; the organiser reveals through the API
//   challenge B (ERC-20, 2 ranks, hidden split kept by the organiser, 1 batch): one token sponsor
//   challenge C (ETH, another organiser who never reveals): the sponsor is refunded in full and the
//     three committers split the bond
//
// Every write is a CLI command; the test checks its JSON output, the chain, and at the end every
// account's ETH and token balance to the wei (fees from the CLI's receipts, amounts from the rules).
//
// The indexer is apps/worker's own (its Indexer, synced to the head at the points where the API
// needs the chain mirrored: drafts linked to their on-chain challenges by metadata hash, commitments,
// the reveal that releases the hidden split), and a public-split proof is verified by the api's
// own verify-public-proof job handler.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  bytesToHex,
  createTestClient,
  getAddress,
  http,
  keccak256,
  stringToHex,
  parseEther,
  parseEventLogs,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";

import { ensureDeployed } from "../../../contracts/scripts/deploy.mjs";
import { buildAll, releaseCurves } from "../../../circuits/scripts/lib.mjs";
import { arenaEscrowAbi, chainFromId, createChainClients, createChainWallet } from "@zkarena/chain";
import { countCorrect, infer, quantize, type FloatModel, type IntModel } from "@zkarena/zk";
import { createTestDb, type TestDb } from "@zkarena/db/testing";
import { handleTrpcRequest, readApiEnv, setLogSink } from "@zkarena/api";
import { startAnvil, type Anvil } from "../../../packages/chain/tests/support/anvil.ts";
import { DEFAULT_RETRY, runVerifyProof } from "../../../packages/api/src/jobs/index.ts";
import { Indexer, rpcChainSource, silentLogger } from "../../worker/src/index.ts";
import { run } from "../src/main.ts";

const CIRCUIT = "mlp-d4-h3-c3-n4";
const D = 4;
const H = 3;
const C = 3;
const MNEMONIC = "test test test test test test test test test test test junk"; // anvil's public accounts
const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");

// ---- deterministic data ------------------------------------------------------------------------
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function floatModel(seed: number): FloatModel {
  const r = rng(seed);
  const v = () => Math.round((r() * 2 - 1) * 1000) / 1000;
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, v));
  return {
    format: "zkarena.model/v1",
    family: "mlp",
    D,
    H,
    C,
    W1: mat(H, D),
    b1: mat(1, H)[0]!,
    W2: mat(C, H),
    b2: mat(1, C)[0]!,
  };
}
const features = (r: () => number) => Array.from({ length: D }, () => Math.floor(r() * 16));
const q = (m: FloatModel): IntModel =>
  quantize(m, { D, H, C, N: 4, inBits: 4, wBits: 8, bBits: 12, hBits: 8, shift: 4 }, { inputMax: 15 }).model;
const predict = (m: IntModel, x: number[]) => infer(m, x.map(BigInt)).prediction;

// ---- users --------------------------------------------------------------------------------------
interface User {
  name: string;
  account: HDAccount;
  address: Address;
  dir: string;
  env: Record<string, string>;
  /** Fees (wei) of every transaction this user's commands sent, by hash. */
  fees: Map<string, bigint>;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

describe("zkarena CLI: full lifecycle on a real local stack", () => {
  let anvil: Anvil;
  let work: string;
  let deploymentsDir: string;
  let db: TestDb;
  let server: Server;
  let apiUrl: string;
  let escrow: Address;
  let token: Address;
  let publicClient: ReturnType<typeof createChainClients>["publicClient"];
  let testClient: ReturnType<typeof createTestClient>;
  let indexer: Indexer;
  const users: Record<string, User> = {};
  const restoreLog = setLogSink(() => {});
  const startEth = new Map<string, bigint>();
  const gasReport: [string, string][] = [];

  const models = {
    alice: floatModel(11),
    bob1: floatModel(22),
    bob: floatModel(23),
    carol: floatModel(33),
  };
  const iq = { alice: q(models.alice), bob1: q(models.bob1), bob: q(models.bob), carol: q(models.carol) };

  /** Hidden rows whose labels follow alice on most samples, bob and carol on some (distinct scores). */
  function hiddenRows(seed: number, count: number, bob: IntModel): number[][] {
    const r = rng(seed);
    return Array.from({ length: count }, (_, i) => {
      const x = features(r);
      const who = i % 4 === 3 ? iq.carol : i % 4 === 2 ? bob : iq.alice;
      return [...x, predict(who, x)];
    });
  }
  const plainRows = (seed: number, count: number) => {
    const r = rng(seed);
    return Array.from({ length: count }, () => {
      const x = features(r);
      return [...x, predict(iq.alice, x)];
    });
  };
  // bob competes in A with his re-committed model and in B with his first one.
  const hiddenA = hiddenRows(101, 8, iq.bob);
  const hiddenB = hiddenRows(202, 4, iq.bob1);
  const hiddenC = hiddenRows(303, 4, iq.bob);

  async function cli(
    user: User,
    args: string[],
    opts: { json?: boolean; env?: Record<string, string> } = {},
  ): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const json = opts.json !== false;
    const code = await run(json ? [...args, "--json"] : args, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env: { ...user.env, ...opts.env },
      cwd: user.dir,
    });
    // The key never leaves: not on stdout, not on stderr, not in an error.
    const pk = user.env.ZKARENA_PRIVATE_KEY;
    if (pk) expect(stdout + stderr).not.toContain(pk.slice(2));
    let parsed: Record<string, unknown> = {};
    if (json && code === 0) parsed = JSON.parse(stdout) as Record<string, unknown>;
    if (json && code !== 0)
      parsed = (JSON.parse(stderr.trim().split("\n").at(-1) ?? "{}") as { error: Record<string, unknown> })
        .error;
    // Collect every transaction's fee (objects with hash + fee) for the balance check.
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (typeof o.hash === "string" && typeof o.fee === "string") {
          if (!user.fees.has(o.hash))
            gasReport.push([args.slice(0, args[0] === "challenge" ? 2 : 1).join(" "), String(o.gasUsed)]);
          user.fees.set(o.hash, BigInt(o.fee));
        }
        Object.values(o).forEach(walk);
      }
    };
    if (code === 0) walk(parsed);
    return { code, stdout, stderr, json: parsed };
  }
  async function ok(user: User, args: string[], opts: { json?: boolean; env?: Record<string, string> } = {}) {
    const r = await cli(user, args, opts);
    expect(r.code, `zkarena ${args.join(" ")} (${user.name})\n${r.stderr}`).toBe(0);
    return r;
  }

  const eth = (a: Address) => publicClient.getBalance({ address: a });
  const erc20 = [
    {
      type: "function",
      name: "balanceOf",
      stateMutability: "view",
      inputs: [{ name: "a", type: "address" }],
      outputs: [{ name: "", type: "uint256" }],
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
  const tokens = (a: Address) =>
    publicClient.readContract({ address: token, abi: erc20, functionName: "balanceOf", args: [a] });
  async function advanceTo(timestamp: bigint) {
    await testClient.setNextBlockTimestamp({ timestamp });
    await testClient.mine({ blocks: 1 });
  }

  beforeAll(async () => {
    await buildAll({ only: [CIRCUIT], log: () => {} });
    work = await mkdtemp(path.join(tmpdir(), "zkarena-cli-"));
    deploymentsDir = path.join(work, "deployments");
    mkdirSync(deploymentsDir);
    [anvil, db] = await Promise.all([startAnvil(), createTestDb()]);
    ({ publicClient } = createChainClients(anvil.rpcUrl));
    testClient = createTestClient({ mode: "anvil", transport: http(anvil.rpcUrl), cacheTime: 0 });
    const { deployment } = await ensureDeployed({ rpcUrl: anvil.rpcUrl, deploymentsDir, log: () => {} });
    escrow = deployment.contracts.ArenaEscrow.address;
    indexer = new Indexer({
      db: db.db,
      source: rpcChainSource(anvil.rpcUrl),
      chainId: 31337,
      escrow,
      startBlock: BigInt(deployment.contracts.ArenaEscrow.blockNumber),
      finalityDepth: 0, // anvil: final at once
      maxReorgDepth: 64,
      batchBlocks: 500,
      circuitIds: new Map([[keccak256(stringToHex(CIRCUIT)), CIRCUIT]]),
      log: silentLogger,
    });

    // The API over real HTTP on a free loopback port (what apps/web's route handler runs).
    server = createServer((req, res) => void serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    apiUrl = `http://127.0.0.1:${port}`;
    const env = readApiEnv({
      NODE_ENV: "test",
      SIWE_DOMAIN: `127.0.0.1:${port}`,
      SIWE_URI: apiUrl,
      CHAIN_ID: "31337",
      SESSION_SECRET: "cli-scenario-session-secret-0123456789",
      DATASET_MASTER_KEY: "22".repeat(32),
      RATE_LIMIT_AUTH_PER_MINUTE: "1000",
      RATE_LIMIT_WRITE_PER_MINUTE: "1000",
      RATE_LIMIT_DOWNLOAD_PER_MINUTE: "1000",
    });
    async function serve(req: IncomingMessage, res: ServerResponse) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`${apiUrl}${req.url}`, {
        method: req.method,
        headers,
        ...(req.method === "GET" || req.method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      const response = req.url?.startsWith("/api/trpc")
        ? await handleTrpcRequest(request, { endpoint: "/api/trpc", env, context: { db, chain: null } })
        : new Response("not found", { status: 404 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    }

    const names = [
      "deployer",
      "organiser",
      "sponsorEth",
      "sponsorToken",
      "alice",
      "bob",
      "carol",
      "organiser2",
    ];
    names.forEach((name, i) => {
      const account = mnemonicToAccount(MNEMONIC, { addressIndex: i });
      const dir = path.join(work, name);
      mkdirSync(dir, { recursive: true });
      users[name] = {
        name,
        account,
        address: account.address,
        dir,
        fees: new Map(),
        env: {
          HOME: dir,
          ZKARENA_HOME: path.join(dir, ".zkarena"),
          ZKARENA_RPC_URL: anvil.rpcUrl,
          ZKARENA_API_URL: apiUrl,
          ZKARENA_CHAIN_ID: "31337",
          ZKARENA_DEPLOYMENTS_DIR: deploymentsDir,
          ZKARENA_PRIVATE_KEY: bytesToHex(account.getHdKey().privateKey!),
        },
      };
    });

    // The ERC-20 (contracts/test/mocks/Tokens.sol): 1000 tokens for the token sponsor.
    const art = JSON.parse(
      readFileSync(path.join(repoRoot, "contracts/out/Tokens.sol/MockERC20.json"), "utf8"),
    ) as { abi: Abi; bytecode: { object: Hex } };
    const deployer = createChainWallet(anvil.rpcUrl, users.deployer!.account, {
      chain: chainFromId(31337, anvil.rpcUrl),
    });
    const tx = await deployer.deployContract({ abi: art.abi, bytecode: art.bytecode.object });
    token = getAddress((await publicClient.waitForTransactionReceipt({ hash: tx })).contractAddress!);
    const mint = await deployer.writeContract({
      address: token,
      abi: erc20,
      functionName: "mint",
      args: [users.sponsorToken!.address, parseEther("1000")],
    });
    expect((await publicClient.waitForTransactionReceipt({ hash: mint })).status).toBe("success");
    for (const u of Object.values(users)) startEth.set(u.name, await eth(u.address));
  }, 900_000);

  afterAll(async () => {
    // Gas of the transactions the commands sent, for the README (not asserted).
    const byCommand = new Map<string, bigint[]>();
    for (const [label, gas] of gasReport)
      byCommand.set(label, [...(byCommand.get(label) ?? []), BigInt(gas)]);
    console.info(
      `gasUsed per command on anvil (min – max, n):\n${[...byCommand]
        .map(
          ([l, g]) =>
            `  zkarena ${l.padEnd(22)} ${g.reduce((a, b) => (a < b ? a : b))} – ${g.reduce((a, b) => (a > b ? a : b))} (${g.length})`,
        )
        .join("\n")}`,
    );
    restoreLog();
    await anvil?.stop();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
    await db?.close();
    await releaseCurves();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const ids = { A: 0n, B: 0n, C: 0n };
  const commitAt: Record<string, Record<string, bigint>> = { A: {}, B: {}, C: {} };
  const bonds = { A: parseEther("1"), B: parseEther("0.5"), C: parseEther("0.3") + 1n };
  const pots = { A: parseEther("3"), B: parseEther("1000"), C: parseEther("2") };

  it("keeps the organiser's key in an encrypted keystore and never prints it", async () => {
    const organiser = users.organiser!;
    const pass = "correct horse battery staple";
    const created = await ok(
      organiser,
      ["account", "create", "--from-env", "--out", "organiser.keystore.json", "--scrypt-log-n", "12"],
      {
        env: { ZKARENA_KEYSTORE_PASSWORD: pass },
      },
    );
    expect(created.json.address).toBe(organiser.address);
    const file = path.join(organiser.dir, "organiser.keystore.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain(organiser.env.ZKARENA_PRIVATE_KEY!.slice(2));
    // From now on the organiser signs with the keystore only.
    const { ZKARENA_PRIVATE_KEY: _drop, ...rest } = organiser.env;
    void _drop;
    organiser.env = { ...rest, ZKARENA_KEYSTORE: file, ZKARENA_KEYSTORE_PASSWORD: pass };
    expect((await ok(organiser, ["account", "address"])).json.address).toBe(organiser.address);
    const wrong = await cli(organiser, ["account", "address"], {
      env: { ZKARENA_KEYSTORE_PASSWORD: "not-the-passphrase" },
    });
    expect(wrong.code).toBe(6);
    expect(wrong.json.message).toMatch(/wrong passphrase/);
    const shown = await ok(organiser, ["config", "show"]);
    expect(shown.json).toMatchObject({
      rpcUrl: anvil.rpcUrl,
      apiUrl,
      chainId: 31337,
      key: `keystore ${file}`,
    });
    expect(shown.stdout).not.toContain(pass);
  });

  it("creates three challenges from spec files (YAML and JSON): drafts and splits on the API, createChallenge on-chain", async () => {
    const organiser = users.organiser!;
    const write = (u: User, name: string, value: unknown) =>
      writeFileSync(path.join(u.dir, name), typeof value === "string" ? value : JSON.stringify(value));
    const samples = (rows: number[][]) => ({
      format: "zkarena-samples-v1",
      circuitId: CIRCUIT,
      samples: rows,
    });
    write(organiser, "train.json", samples(plainRows(1, 12)));
    write(organiser, "public.json", samples(plainRows(2, 8)));
    write(organiser, "hidden-a.json", samples(hiddenA));
    write(organiser, "hidden-b.json", samples(hiddenB));
    write(users.organiser2!, "hidden-c.json", samples(hiddenC));
    const base = {
      summary: "Three classes from four 4-bit features.",
      description: "A tiny challenge for the CLI's scenario test.",
      task: "Classify each sample into one of three classes.",
      tags: ["tiny", "test"],
      circuit: CIRCUIT,
      deadlines: { commit: "+1000s", reveal: "+2000s", prove: "+3000s" },
      minCorrect: 1,
    };
    const specA = {
      ...base,
      slug: "cli-eth",
      title: "CLI ETH challenge",
      payoutShares: [5000, 3000, 2000],
      bond: "1",
      splits: { train: "train.json", public: "public.json", hidden: "hidden-a.json" },
      custody: "api",
    };
    write(organiser, "a.yaml", toYaml(specA));
    write(organiser, "b.json", {
      ...base,
      slug: "cli-token",
      title: "CLI token challenge",
      payoutShares: [6000, 4000],
      bond: "0.5",
      token: { address: token },
      splits: { hidden: "hidden-b.json" },
      custody: "local",
    });
    write(users.organiser2!, "c.json", {
      ...base,
      slug: "cli-missed",
      title: "Never revealed",
      payoutShares: [10000],
      bond: "0.300000000000000001",
      splits: { hidden: "hidden-c.json" },
      custody: "local",
    });

    // A bad spec is refused before anything is uploaded or sent.
    write(organiser, "bad.json", {
      ...base,
      slug: "cli-bad",
      title: "Bad",
      payoutShares: [5000, 4000],
      splits: { hidden: "hidden-a.json" },
    });
    const bad = await cli(organiser, ["challenge", "create", "--spec", "bad.json"]);
    expect(bad.code).toBe(2);
    expect(bad.json.message).toMatch(/payoutShares: payout shares must add up to 10000/);
    write(organiser, "odd.json", {
      ...base,
      slug: "cli-odd",
      title: "Odd",
      payoutShares: [10000],
      splits: { hidden: "train.json" },
      custody: "local",
    });
    write(organiser, "train.json", samples(plainRows(1, 10)));
    const odd = await cli(organiser, ["challenge", "create", "--spec", "odd.json"]);
    expect(odd.code).toBe(2);
    expect(odd.json.message).toMatch(/not a multiple of the circuit's batch size 4: drop 2 or add 2/);
    write(organiser, "train.json", samples(plainRows(1, 12)));
    expect(
      await publicClient.readContract({
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "challengeCount",
      }),
    ).toBe(0n);

    const a = await ok(organiser, ["challenge", "create", "--spec", "a.yaml"]);
    const b = await ok(organiser, ["challenge", "create", "--spec", "b.json"]);
    const c = await ok(users.organiser2!, ["challenge", "create", "--spec", "c.json"]);
    ids.A = BigInt(a.json.challengeId as string);
    ids.B = BigInt(b.json.challengeId as string);
    ids.C = BigInt(c.json.challengeId as string);
    expect([ids.A, ids.B, ids.C]).toEqual([1n, 2n, 3n]);
    expect(a.json).toMatchObject({ custody: "api", batchCount: 2, hiddenFile: null });
    expect(b.json).toMatchObject({ custody: "local", batchCount: 1 });
    expect(statSync(b.json.hiddenFile as string).mode & 0o777).toBe(0o600);
    expect(b.stderr).toMatch(/Back it up/);

    // The API's sealed split and the escrow agree on the test commitment.
    const stored = await publicClient.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "getChallenge",
      args: [ids.A],
    });
    const draft = await db.db.challenge.findUniqueOrThrow({ where: { slug: "cli-eth" } });
    expect(BigInt(draft.testCommitment!)).toBe(stored.testCommitment);
    expect(stored).toMatchObject({
      organiser: organiser.address,
      batchCount: 2,
      bond: bonds.A,
      minCorrect: 1,
    });
    expect(
      (
        await publicClient.readContract({
          address: escrow,
          abi: arenaEscrowAbi,
          functionName: "getChallenge",
          args: [ids.B],
        })
      ).token,
    ).toBe(token);

    // apps/worker's indexer links each on-chain challenge to its API draft (organiser + metadata hash).
    await indexer.syncToHead();
    for (const [slug, id] of [
      ["cli-eth", ids.A],
      ["cli-token", ids.B],
      ["cli-missed", ids.C],
    ] as const) {
      const row = await db.db.challenge.findUniqueOrThrow({ where: { slug } });
      expect([row.onchainId?.toFixed(0), row.state], slug).toEqual([id.toString(), "OPEN"]);
    }
  });

  it("lists, shows and downloads through the API with hash checks", async () => {
    const alice = users.alice!;
    const list = await ok(alice, ["challenge", "list"]);
    expect((list.json.items as { slug: string }[]).map((i) => i.slug).sort()).toEqual([
      "cli-eth",
      "cli-missed",
      "cli-token",
    ]);
    const human = await ok(alice, ["challenge", "list", "--search", "eth"], { json: false });
    expect(human.stdout).toMatch(/cli-eth\s+OPEN\s+mlp-d4-h3-c3-n4/);
    const shown = await ok(alice, ["challenge", "show", "cli-eth"]);
    expect(
      (shown.json.splits as { kind: string; released: boolean }[]).map((s) => [s.kind, s.released]),
    ).toEqual([
      ["TRAIN", true],
      ["PUBLIC", true],
      ["HIDDEN", false],
    ]);
    const dl = await ok(alice, [
      "challenge",
      "download",
      "cli-eth",
      "--kind",
      "public",
      "--out",
      "public.json",
    ]);
    const content = readFileSync(path.join(alice.dir, "public.json"), "utf8");
    expect(JSON.parse(content).samples).toHaveLength(8);
    expect(dl.json.sha256).toMatch(/^[0-9a-f]{64}$/);
    const wrongHash = await cli(alice, [
      "challenge",
      "download",
      "cli-eth",
      "--kind",
      "train",
      "--out",
      "train.json",
      "--expect-sha256",
      "00".repeat(32),
    ]);
    expect(wrongHash.code).toBe(7);
    const sealed = await cli(alice, [
      "challenge",
      "download",
      "cli-eth",
      "--kind",
      "hidden",
      "--out",
      "hidden.json",
    ]);
    expect(sealed.code).toBe(5);
    expect(sealed.json.message).toMatch(/released only after the organiser's on-chain reveal is final/);
  });

  it("takes ETH and ERC-20 sponsorship (approving the token first)", async () => {
    const f1 = await ok(users.sponsorEth!, ["fund", String(ids.A), "--amount", "3"]);
    expect(f1.json.received).toBe(pots.A.toString());
    const f2 = await ok(users.sponsorToken!, ["fund", String(ids.B), "--amount", "1000"]);
    expect((f2.json.txs as { step: string }[]).map((t) => t.step)).toEqual(["approve", "fund"]);
    await ok(users.sponsorEth!, ["fund", String(ids.C), "--amount", "2"]);
    const tooMuch = await cli(users.sponsorToken!, ["fund", String(ids.B), "--amount", "1"]);
    expect(tooMuch.code).toBe(2); // no tokens left: refused before approving, nothing is sent
    expect(tooMuch.json.message).toMatch(/holds 0 MOCK, less than 1 MOCK/);
    expect(await tokens(escrow)).toBe(pots.B);
  });

  it("imports, quantizes and evaluates three different models; commits them; bob re-commits", async () => {
    for (const [name, m] of [
      ["alice", models.alice],
      ["bob", models.bob1],
      ["carol", models.carol],
    ] as const) {
      const u = users[name]!;
      writeFileSync(path.join(u.dir, "float.json"), JSON.stringify(m));
      writeFileSync(
        path.join(u.dir, "public.json"),
        JSON.stringify({ format: "zkarena-samples-v1", samples: plainRows(2, 8) }),
      );
      await ok(u, ["model", "import", "float.json", "--out", "model.json"]);
      const qz = await ok(u, [
        "model",
        "quantize",
        "model.json",
        "--circuit",
        CIRCUIT,
        "--input-max",
        "15",
        "--data",
        "public.json",
        "--out",
        "q.json",
      ]);
      const report = qz.json.report as {
        quantizedAccuracy: number;
        bits: { acc1: { used: number; declared: number } };
      };
      expect(report.bits.acc1.used).toBeLessThanOrEqual(report.bits.acc1.declared);
      const ev = await ok(u, ["model", "evaluate", "q.json", "--data", "public.json"]);
      expect((ev.json.correct as number) / 8).toBeCloseTo(report.quantizedAccuracy, 10);
      for (const key of ["A", "B", "C"] as const) {
        const r = await ok(u, ["commit", String(ids[key]), "--model", "q.json"]);
        commitAt[key]![name] = BigInt(r.json.at as string);
        expect(r.stderr).toMatch(/Back it up/);
      }
    }
    const record = path.join(
      users.alice!.env.ZKARENA_HOME!,
      "commitments",
      "31337",
      escrow.toLowerCase(),
      `${ids.A}-${users.alice!.address.toLowerCase()}.json`,
    );
    expect(statSync(record).mode & 0o777).toBe(0o600);

    // bob re-commits a better model to A (a later timestamp: it now ranks after an equal score).
    const bob = users.bob!;
    writeFileSync(path.join(bob.dir, "float2.json"), JSON.stringify(models.bob));
    await ok(bob, [
      "model",
      "quantize",
      "float2.json",
      "--circuit",
      CIRCUIT,
      "--input-max",
      "15",
      "--out",
      "q2.json",
    ]);
    await testClient.increaseTime({ seconds: 10 });
    const again = await ok(bob, ["commit", String(ids.A), "--model", "q2.json"]);
    expect(again.json.recommit).toBe(true);
    expect(BigInt(again.json.at as string)).toBeGreaterThan(commitAt.A!.bob!);
    commitAt.A!.bob = BigInt(again.json.at as string);

    // The organiser cannot compete in their own challenge: the revert is decoded, exit code 3.
    writeFileSync(
      path.join(users.organiser!.dir, "q.json"),
      readFileSync(path.join(users.alice!.dir, "q.json")),
    );
    const own = await cli(users.organiser!, ["commit", String(ids.A), "--model", "q.json"]);
    expect(own.code).toBe(3);
    expect(own.json.message).toMatch(/ArenaEscrow__OrganiserCannotCommit/);
  });

  it("proves on the public split and submits it to the API; the worker's job verifies it; the live leaderboard shows it", async () => {
    await indexer.syncToHead(); // the commitments, for the API's checks
    const alice = users.alice!;
    const p = await ok(alice, [
      "prove",
      String(ids.A),
      "--model",
      "q.json",
      "--split",
      "public.json",
      "--out",
      "public-proof.json",
    ]);
    expect(p.stderr).toMatch(/public split: 2 batch\(es\) of 4/);
    const noSlug = await cli(alice, ["submit", String(ids.A), "public-proof.json"]);
    expect(noSlug.code).toBe(1);
    const s = await ok(alice, ["submit", String(ids.A), "public-proof.json", "--slug", "cli-eth"]);
    const results = s.json.results as { id: string; status: string; batchIndex: number }[];
    expect(results.map((r) => [r.batchIndex, r.status])).toEqual([
      [0, "PENDING"],
      [1, "PENDING"],
    ]);
    for (const r of results) await runVerifyProof({ db: db.db, retry: DEFAULT_RETRY }, r.id, 0);
    const again = await cli(alice, ["submit", String(ids.A), "public-proof.json", "--slug", "cli-eth"]);
    expect(again.code).toBe(5); // the API refuses a duplicate (CONFLICT)
    const board = await ok(users.carol!, ["leaderboard", "cli-eth"]);
    const rows = board.json.rows as { competitor: string; correct: number; total: number }[];
    expect(rows.map((r) => [r.competitor.toLowerCase(), r.correct, r.total])).toEqual([
      [alice.address.toLowerCase(), score(iq.alice, plainRows(2, 8)), 8],
    ]);
  });

  it("reveals A through the API and B from the organiser's file; competitors download and check both", async () => {
    const status = await ok(users.alice!, ["status", String(ids.B)]);
    const commitDeadline = BigInt((status.json.deadlines as { commit: string }).commit);
    const early = await cli(users.organiser!, ["challenge", "reveal", String(ids.A), "--slug", "cli-eth"]);
    expect(early.code).toBe(3);
    expect(early.json.message).toMatch(/ArenaEscrow__WrongPhase.*Open/);
    await advanceTo(commitDeadline + 5n);

    // A wrong split is refused before anything is sent.
    writeFileSync(
      path.join(users.organiser!.dir, "fake.json"),
      JSON.stringify({
        format: "zkarena-hidden-split-v1",
        circuitId: CIRCUIT,
        testSalt: "12345",
        samples: hiddenB,
      }),
    );
    const fake = await cli(users.organiser!, ["challenge", "reveal", String(ids.B), "--split", "fake.json"]);
    expect(fake.code).toBe(7);

    const ra = await ok(users.organiser!, ["challenge", "reveal", String(ids.A), "--slug", "cli-eth"]);
    expect(ra.json.uri).toMatch(new RegExp(`^${apiUrl}/api/trpc/dataset.download\\?input=`));
    const rb = await ok(users.organiser!, ["challenge", "reveal", String(ids.B)]); // finds its own hidden file
    expect(rb.json.uri).toMatch(/^file:\/\//);
    await indexer.syncToHead(); // the reveal is final (depth 0): the API may release A's split

    for (const name of ["alice", "bob", "carol"]) {
      const u = users[name]!;
      const a = await ok(u, [
        "challenge",
        "download",
        String(ids.A),
        "--kind",
        "hidden",
        "--out",
        "hidden-a.json",
      ]);
      expect((a.json.checks as string[]).join()).toMatch(/= challenge 1's on-chain commitment/);
      await ok(u, ["challenge", "download", String(ids.B), "--kind", "hidden", "--out", "hidden-b.json"]);
    }
    const viaSlug = await ok(users.alice!, [
      "challenge",
      "download",
      "cli-eth",
      "--kind",
      "hidden",
      "--out",
      "hidden-a2.json",
    ]);
    expect(readFileSync(path.join(users.alice!.dir, "hidden-a2.json"), "utf8")).toBe(
      readFileSync(path.join(users.alice!.dir, "hidden-a.json"), "utf8"),
    );
    expect(`0x${viaSlug.json.sha256 as string}`).toBe(
      (
        await db.db.datasetSplit.findFirstOrThrow({
          where: { kind: "HIDDEN", challenge: { slug: "cli-eth" } },
        })
      ).sha256,
    );
  });

  const score = (m: IntModel, rows: number[][]) =>
    countCorrect(
      m,
      rows.map((r) => ({ x: r.slice(0, D).map(BigInt), label: BigInt(r[D]!) })),
    );
  const finalModel = { alice: iq.alice, bob: iq.bob, carol: iq.carol } as const;

  it("proves (verified locally, per batch) and submits real proofs; refuses a stale model and another's proof", async () => {
    // bob's first model no longer matches his (re-committed) on-chain commitment.
    const stale = await cli(users.bob!, [
      "prove",
      String(ids.A),
      "--model",
      "q.json",
      "--split",
      "hidden-a.json",
    ]);
    expect(stale.code).toBe(7);
    expect(stale.json.message).toMatch(/use the model file you committed last/);

    for (const name of ["alice", "bob", "carol"] as const) {
      const u = users[name]!;
      const qfile = name === "bob" ? "q2.json" : "q.json";
      for (const [key, rows, split] of [
        ["A", hiddenA, "hidden-a.json"],
        ["B", hiddenB, "hidden-b.json"],
      ] as const) {
        const proofFile = `proof-${key}.json`;
        const p = await ok(u, [
          "prove",
          String(ids[key]),
          "--model",
          key === "B" ? "q.json" : qfile,
          "--split",
          split,
          "--out",
          proofFile,
        ]);
        expect(p.stderr).toMatch(/\[#####\] done/);
        const modelFor = key === "B" && name === "bob" ? iq.bob1 : finalModel[name];
        expect(p.json.correct).toBe(score(modelFor, rows));
        const s = await ok(u, ["submit", String(ids[key]), proofFile]);
        expect(s.json.total).toBe(score(modelFor, rows));
      }
    }
    // Proofs are bound to their submitter: carol cannot submit alice's.
    writeFileSync(
      path.join(users.carol!.dir, "alice-proof.json"),
      readFileSync(path.join(users.alice!.dir, "proof-A.json")),
    );
    const theft = await cli(users.carol!, ["submit", String(ids.A), "alice-proof.json"]);
    expect(theft.code).toBe(2);
    // Submitting again skips the accepted batches.
    const again = await ok(users.alice!, ["submit", String(ids.A), "proof-A.json"]);
    expect((again.json.results as { skipped?: string }[]).every((r) => r.skipped)).toBe(true);
  }, 300_000);

  /** Expected order: correct desc, then commit time asc, then address asc (the escrow's rule). */
  function ranking(key: "A" | "B", rows: number[][]) {
    const entries = (["alice", "bob", "carol"] as const).map((n) => ({
      name: n,
      address: users[n]!.address,
      correct: score(key === "B" && n === "bob" ? iq.bob1 : finalModel[n], rows),
      at: commitAt[key]![n]!,
    }));
    return entries
      .filter((e) => e.correct >= 1)
      .sort(
        (x, y) =>
          y.correct - x.correct ||
          Number(x.at - y.at) ||
          (x.address.toLowerCase() < y.address.toLowerCase() ? -1 : 1),
      );
  }

  it("shows the on-chain leaderboard in the escrow's order", async () => {
    const board = await ok(users.carol!, ["leaderboard", String(ids.A)]);
    const expected = ranking("A", hiddenA);
    expect(
      (board.json.rows as { competitor: string; correct: number }[]).map((r) => [r.competitor, r.correct]),
    ).toEqual(expected.map((e) => [e.address, e.correct]));
    const human = await ok(users.carol!, ["leaderboard", String(ids.A)], { json: false });
    expect(human.stdout).toMatch(/rank\s+competitor\s+correct/);
  });

  it("settles: prizes, pro-rata refunds, bonds, and the missed reveal — every balance to the wei", async () => {
    let proveDeadline = 0n;
    for (const id of [ids.A, ids.B, ids.C]) {
      const st = await ok(users.alice!, ["status", String(id)]);
      const d = BigInt((st.json.deadlines as { prove: string }).prove);
      if (d > proveDeadline) proveDeadline = d;
    }
    const early = await cli(users.alice!, ["claim", String(ids.A)]);
    expect(early.code).toBe(3);
    expect(early.json.message).toMatch(/phase Proving/);
    await advanceTo(proveDeadline + 5n);
    const stC = await ok(users.alice!, ["status", String(ids.C)]);
    expect(stC.json.phase).toBe("RevealMissed");
    expect((await ok(users.alice!, ["status", String(ids.A)])).json.phase).toBe("Settled");
    const human = await ok(users.alice!, ["challenge", "show", String(ids.A)], { json: false });
    expect(human.stdout).toMatch(/^challenge 1 on 0x[0-9a-fA-F]{40} \(chain 31337\): Settled$/m);
    expect(human.stdout).toMatch(/^claimable now: prize [\d.]+ ETH, refund 0 ETH, bond 0 ETH$/m);

    const received = new Map<string, bigint>(); // ETH in, by user
    const tokenIn = new Map<string, bigint>();
    const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
    const shares = { A: [5000n, 3000n, 2000n], B: [6000n, 4000n] };
    for (const key of ["A", "B"] as const) {
      const order = ranking(key, key === "A" ? hiddenA : hiddenB);
      let paid = 0n;
      for (const [rank, e] of order.entries()) {
        const share = shares[key][rank];
        if (share === undefined) continue;
        const prize = (pots[key] * share) / 10_000n;
        paid += prize;
        const r = await ok(users[e.name]!, ["claim", String(ids[key])]);
        expect((r.json.claims as { amount: string }[])[0]!.amount).toBe(prize.toString());
        add(key === "A" ? received : tokenIn, e.name, prize);
      }
      const sponsor = key === "A" ? "sponsorEth" : "sponsorToken";
      const refund = await ok(users[sponsor]!, ["refund", String(ids[key])]);
      expect((refund.json.claims as { amount: string }[])[0]!.amount).toBe((pots[key] - paid).toString());
      add(key === "A" ? received : tokenIn, sponsor, pots[key] - paid);
      const bond = await ok(users.organiser!, ["claim", String(ids[key])]);
      expect((bond.json.claims as { call: string; amount: string }[])[0]).toMatchObject({
        call: "claimBond",
        amount: bonds[key].toString(),
      });
      add(received, "organiser", bonds[key]);
    }
    // Claimed already (or never ranked): nothing left, exit code 3, nothing sent.
    const nothing = await cli(users.carol!, ["claim", String(ids.A)]);
    expect(nothing.code).toBe(3);

    // C: never revealed. The sponsor gets everything back, the committers split the bond (the last takes the odd wei).
    const refundC = await ok(users.sponsorEth!, ["refund", String(ids.C)]);
    expect((refundC.json.claims as { amount: string }[])[0]!.amount).toBe(pots.C.toString());
    add(received, "sponsorEth", pots.C);
    const each = bonds.C / 3n;
    for (const [i, name] of (["alice", "bob", "carol"] as const).entries()) {
      const r = await ok(users[name]!, ["claim", String(ids.C)]);
      const amount = i === 2 ? bonds.C - 2n * each : each;
      expect((r.json.claims as { call: string; amount: string }[])[0]).toMatchObject({
        call: "claimBond",
        amount: amount.toString(),
      });
      add(received, name, amount);
    }
    const org2 = await cli(users.organiser2!, ["claim", String(ids.C)]);
    expect(org2.code).toBe(3);

    // Every account, to the wei: start − fees − ETH sent (bonds, ETH funding) + ETH received.
    const sent: Record<string, bigint> = {
      organiser: bonds.A + bonds.B,
      organiser2: bonds.C,
      sponsorEth: pots.A + pots.C,
    };
    for (const u of Object.values(users)) {
      if (u.name === "deployer") continue;
      const fees = [...u.fees.values()].reduce((a, b) => a + b, 0n);
      const expected = startEth.get(u.name)! - fees - (sent[u.name] ?? 0n) + (received.get(u.name) ?? 0n);
      expect(await eth(u.address), `${u.name}'s ETH`).toBe(expected);
      const expectedTokens = (u.name === "sponsorToken" ? 0n : 0n) + (tokenIn.get(u.name) ?? 0n);
      expect(await tokens(u.address), `${u.name}'s tokens`).toBe(expectedTokens);
    }
    // Everything that came in went out.
    expect(await eth(escrow)).toBe(0n);
    expect(await tokens(escrow)).toBe(0n);
  });

  it("runs as an executable: `zkarena status --json` in a child process", async () => {
    const bin = path.join(import.meta.dirname, "..", "bin", "zkarena.mjs");
    const { ZKARENA_PRIVATE_KEY: _pk, ...env } = users.carol!.env;
    void _pk;
    const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "status", String(ids.A), "--json"], {
        env: { ...process.env, ...env, ZKARENA_PRIVATE_KEY: "" },
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.once("error", reject);
      child.once("exit", (code) => resolve({ code, out, err }));
    });
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ challengeId: String(ids.A), phase: "Settled", you: null });
  }, 60_000);

  it("ranks are what the events say (ProofAccepted totals match the leaderboard)", async () => {
    const logs = await publicClient.getContractEvents({
      address: escrow,
      abi: arenaEscrowAbi,
      eventName: "ProofAccepted",
      args: { id: ids.A },
      fromBlock: 0n,
    });
    const totals = new Map<string, number>();
    for (const l of parseEventLogs({ abi: arenaEscrowAbi, logs, eventName: "ProofAccepted" }))
      totals.set(l.args.competitor, Number(l.args.total));
    for (const e of ranking("A", hiddenA)) expect(totals.get(e.address)).toBe(e.correct);
  });
});
