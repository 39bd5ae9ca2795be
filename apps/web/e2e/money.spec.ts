// Money paths through the UI on the real stack: a challenge in the local development token (zkUSD,
// deployed by contracts/scripts/deploy.mjs on anvil only), approve + fund step by step with anvil's
// automine off (the pending states, and the fund never sent before the approval is mined), a sponsor
// whose injected wallet starts on another network, and a missed reveal (full refund, the bond to the
// committed competitor), each checked on-chain from the test, not only on the page.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import {
  createWalletClient,
  erc20Abi,
  formatEther,
  http,
  parseEther,
  parseEventLogs,
  parseUnits,
  type Address,
  type Hex,
} from "viem";
import { foundry } from "viem/chains";
import { arenaEscrowAbi } from "@zkarena/chain/abis";
import { parseDeployment } from "@zkarena/chain/deployments";
import { ANVIL_ACCOUNTS } from "../src/wagmi";
import {
  anvil,
  anvilUrl,
  connectWallet as connect,
  expect,
  person,
  recordErrors,
  screenshot,
  test,
} from "./fixtures";

const chain = anvil;
const DAY = 86_400;

// anvil's public accounts, none of which lifecycle.spec.ts uses (it takes 1, 2, 4 and 5).
const ORGANISER = 6;
const SPONSOR = 7;
const INJECTED_SPONSOR = 8;
const COMPETITOR = 9;
const accounts = ANVIL_ACCOUNTS;

/** The stack's deployment record (e2e/run.mjs gives the stack its own data folder). */
function deployment() {
  const dir = process.env.ZKARENA_E2E_DATA_DIR;
  if (!dir) throw new Error("money.spec.ts needs the stack e2e/run.mjs starts (ZKARENA_E2E_DATA_DIR)");
  return parseDeployment(readFileSync(path.join(dir, "deployments", "31337.json"), "utf8"));
}

const tokenBalance = (token: Address, who: Address) =>
  chain.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [who] });

/** The transaction hash a status callout links to (/tx/<hash>). */
async function linkedHash(status: ReturnType<Page["getByTestId"]>): Promise<Hex> {
  const href = (await status.getByRole("link").getAttribute("href")) ?? "";
  expect(href).toMatch(/^\/tx\/0x[0-9a-f]{64}$/);
  return href.slice("/tx/".length) as Hex;
}

async function pendingCount(): Promise<number> {
  const status = await chain.request({ method: "txpool_status" } as never);
  return Number((status as { pending: string }).pending);
}

/**
 * An EIP-1193 wallet in the page (window.ethereum): forwards JSON-RPC to anvil, which signs for its own
 * accounts, but reports chain `startChainId` until the app asks it to switch (wallet_switchEthereumChain,
 * then a chainChanged event), as a browser extension left on another network does.
 */
async function injectWallet(context: BrowserContext, account: Address, startChainId: Hex) {
  await context.addInitScript(
    ({ rpcUrl, account, startChainId }) => {
      let chainId = startChainId;
      const listeners = new Map<string, Set<(value: unknown) => void>>();
      const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((fn) => fn(value));
      const fail = (code: number, message: string) => Object.assign(new Error(message), { code });
      let nextId = 0;
      const forward = async (method: string, params: unknown) => {
        const response = await fetch(rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: ++nextId, method, params: params ?? [] }),
        });
        const json = (await response.json()) as {
          result?: unknown;
          error?: { code: number; message: string; data?: unknown };
        };
        if (json.error)
          throw Object.assign(fail(json.error.code, json.error.message), { data: json.error.data });
        return json.result;
      };
      const provider = {
        async request({ method, params }: { method: string; params?: unknown }) {
          switch (method) {
            case "eth_chainId":
              return chainId;
            case "net_version":
              return String(Number.parseInt(chainId, 16));
            case "eth_accounts":
            case "eth_requestAccounts":
              return [account];
            case "wallet_requestPermissions":
            case "wallet_getPermissions":
              return [{ parentCapability: "eth_accounts" }];
            case "wallet_revokePermissions":
              return null;
            case "wallet_switchEthereumChain": {
              const target = (params as [{ chainId: string }])[0].chainId;
              if (target !== "0x7a69") throw fail(4902, `Unrecognized chain ID ${target}.`);
              chainId = target;
              emit("chainChanged", chainId);
              return null;
            }
            case "eth_sendTransaction":
              if (chainId !== "0x7a69") throw fail(4901, "The wallet is on another network.");
              return forward(method, params);
            default:
              return forward(method, params);
          }
        },
        on(event: string, fn: (value: unknown) => void) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(fn);
          return provider;
        },
        removeListener(event: string, fn: (value: unknown) => void) {
          listeners.get(event)?.delete(fn);
          return provider;
        },
      };
      Object.defineProperty(window, "ethereum", { value: provider, configurable: true });
    },
    { rpcUrl: anvilUrl, account, startChainId },
  );
}

test.describe.serial("a challenge in the local development token", () => {
  const slug = `e2e-money-${Date.now().toString(36)}`;
  let challengeId: bigint;

  test("organiser creates it in zkUSD; sponsors approve then fund, step by step; pot and shares in zkUSD", async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(240_000);
    const { contracts, devToken } = deployment();
    expect(devToken, "deploy.mjs records the development token on anvil").toBeDefined();
    const token = devToken!.address;
    const escrow = contracts.ArenaEscrow.address;
    const errors: string[] = [];
    const organiser = await person(browser, baseURL ?? "", ORGANISER, errors);

    // Organiser: the create flow with the token chosen from the deployment record.
    const o = organiser.page;
    await o.goto("/create");
    await connect(o);
    await o.getByLabel("Title").fill("E2E money: a zkUSD pot");
    await o.getByLabel("URL name").fill(slug);
    await o.getByLabel("What must the model predict?").fill("The class (0-2) of four 4-bit features");
    await o.getByLabel("Circuit").selectOption("mlp-d4-h3-c3-n4");
    await o.getByLabel(/Hidden test split/).setInputFiles({
      name: "hidden.json",
      mimeType: "application/json",
      buffer: Buffer.from(
        JSON.stringify([
          [1, 2, 3, 4, 0],
          [5, 6, 7, 8, 1],
          [9, 10, 11, 12, 2],
          [0, 0, 0, 0, 0],
        ]),
      ),
    });
    // The commitment is computed in the page (Poseidon, loaded on demand): slow on a cold, busy machine.
    await expect(o.getByTestId("hidden-commitment")).toBeVisible({ timeout: 60_000 });
    // Deadlines from the chain's clock (earlier specs move it forward), entered in UTC.
    const start = Math.max(Number((await chain.getBlock()).timestamp), Math.floor(Date.now() / 1000));
    const local = (s: number) => new Date(s * 1000).toISOString().slice(0, 16);
    await o.getByLabel("Commits and funding close").fill(local(start + DAY));
    await o.getByLabel("Reveal by").fill(local(start + 2 * DAY));
    await o.getByLabel("Proofs close").fill(local(start + 3 * DAY));
    await o.getByLabel("Organiser bond (ETH)").fill("0.2");
    // A pasted address is checked: the escrow is no ERC-20, the development token is.
    await o.getByLabel("Prize token").selectOption("erc20");
    await o.getByLabel("Token address").fill(escrow);
    await expect(o.locator("#token-read")).toContainText("No ERC-20 at this address answered");
    await o.getByLabel("Token address").fill(token);
    await expect(o.locator("#token-read")).toHaveText("zkUSD, 18 decimals (read from the token)");
    await o
      .getByLabel("Prize token")
      .selectOption({ label: "zkUSD — zkArena Dev USD (local development token)" });
    await expect(o.getByTestId("token-summary")).toHaveText("zkUSD");
    await screenshot(o, "create-token");
    await o.getByTestId("sign-in").click();
    await expect(o.getByTestId("sign-in")).toHaveCount(0);
    await o.getByTestId("create-submit").click();
    await o.waitForURL(`**/challenges/${slug}`, { timeout: 60_000 });
    await expect(o.getByTestId("phase-badge")).toContainText("Open");
    await expect(o.getByTestId("pot")).toHaveText("0 zkUSD");
    const idText = (await o.locator("dt", { hasText: "On-chain id" }).locator("+ dd").textContent()) ?? "";
    challengeId = BigInt(/#(\d+)/.exec(idText)?.[1] ?? "0");
    const onchain = await chain.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "getChallenge",
      args: [challengeId],
    });
    expect(onchain.token).toBe(token);
    expect(onchain.bond).toBe(parseEther("0.2"));

    // Sponsor (development wallet): more than the balance is refused before anything is sent.
    const sponsor = await person(browser, baseURL ?? "", SPONSOR, errors);
    const s = sponsor.page;
    const sponsorAddress = accounts[SPONSOR];
    const held = await tokenBalance(token, sponsorAddress);
    const nonce = await chain.getTransactionCount({ address: sponsorAddress });
    await s.goto(`/challenges/${slug}`);
    await connect(s);
    await expect(s.getByTestId("allowance")).toHaveText("0 zkUSD");
    await s.getByLabel("Amount (zkUSD)").fill(formatEther(held + 1n));
    await s.getByRole("button", { name: "Approve and fund" }).click();
    await expect(s.getByTestId("fund-problem")).toContainText(`You hold ${formatEther(held)} zkUSD`);
    expect(await chain.getTransactionCount({ address: sponsorAddress })).toBe(nonce);

    // 300 zkUSD with automine off: each step is pending until a block is mined, and the fund is only
    // sent once the approval (of exactly 300) is mined.
    await chain.setAutomine(false);
    try {
      await s.getByLabel("Amount (zkUSD)").fill("300");
      await s.getByRole("button", { name: "Approve and fund" }).click();
      const approving = s.getByTestId("step-approve").getByTestId("tx-pending");
      await expect(approving).toContainText("Approve 300 zkUSD: Waiting for confirmation");
      const approveHash = await linkedHash(approving);
      await expect(s.getByTestId("step-fund")).toContainText("waits for the approval");
      await expect(s.getByTestId("fund-submit")).toBeDisabled();
      await screenshot(s, "fund-pending-approval");
      expect(await pendingCount()).toBe(1);
      const pendingTx = await chain.getTransaction({ hash: approveHash });
      expect(pendingTx.to?.toLowerCase()).toBe(token.toLowerCase());
      await chain.mine({ blocks: 1 });
      await expect(s.getByTestId("step-approve").getByTestId("tx-success")).toBeVisible({ timeout: 30_000 });
      const funding = s.getByTestId("step-fund").getByTestId("tx-pending");
      await expect(funding).toContainText("Fund 300 zkUSD: Waiting for confirmation", { timeout: 30_000 });
      expect(
        await chain.readContract({
          address: token,
          abi: erc20Abi,
          functionName: "allowance",
          args: [sponsorAddress, escrow],
        }),
      ).toBe(parseUnits("300", 18));
      const fundHash = await linkedHash(funding);
      expect(fundHash).not.toBe(approveHash);
      await chain.mine({ blocks: 1 });
      await expect(s.getByTestId("step-fund").getByTestId("tx-success")).toBeVisible({ timeout: 30_000 });
    } finally {
      await chain.setAutomine(true);
    }
    await expect(s.getByTestId("pot")).toHaveText("300 zkUSD");
    await expect(s.getByTestId("my-deposit")).toHaveText("300 zkUSD");
    await expect(s.getByTestId("my-share")).toHaveText("100.00%");
    await expect(s.getByTestId("allowance")).toHaveText("0 zkUSD");
    expect(await tokenBalance(token, sponsorAddress)).toBe(held - parseUnits("300", 18));

    // A second sponsor whose browser wallet (injected, not the development wallet) is on chain 1.
    const injectedContext = await browser.newContext({ baseURL: baseURL ?? "", timezoneId: "UTC" });
    await injectWallet(injectedContext, accounts[INJECTED_SPONSOR], "0x1");
    const w = await injectedContext.newPage();
    recordErrors(w, "injected wallet", errors);
    await w.goto(`/challenges/${slug}`);
    await connect(w, "injected");
    await expect(w.getByTestId("wallet-wrong-network")).toBeVisible();
    await expect(w.getByTestId("actions-wrong-network")).toContainText("another network (chain 1)");
    await expect(w.getByTestId("fund-panel")).toHaveCount(0);
    await screenshot(w, "wrong-network");
    // The create form says the same and cannot send anything.
    await w.goto("/create");
    await expect(w.getByTestId("create-wrong-network")).toContainText("another network (chain 1)");
    await expect(w.getByTestId("create-submit")).toBeDisabled();
    await w.goto(`/challenges/${slug}`);
    await expect(w.getByTestId("actions-wrong-network")).toBeVisible();
    await w.getByTestId("switch-network").click();
    await expect(w.getByTestId("actions-wrong-network")).toHaveCount(0);
    await expect(w.getByTestId("wallet-wrong-network")).toHaveCount(0);
    await w.getByLabel("Amount (zkUSD)").fill("100");
    await w.getByRole("button", { name: "Approve and fund" }).click();
    await expect(w.getByTestId("step-approve").getByTestId("tx-success")).toBeVisible({ timeout: 30_000 });
    await expect(w.getByTestId("step-fund").getByTestId("tx-success")).toBeVisible({ timeout: 30_000 });
    await expect(w.getByTestId("pot")).toHaveText("400 zkUSD");
    await expect(w.getByTestId("my-deposit")).toHaveText("100 zkUSD");
    await expect(w.getByTestId("my-share")).toHaveText("25.00%");
    expect(
      await chain.readContract({
        address: escrow,
        abi: arenaEscrowAbi,
        functionName: "depositOf",
        args: [challengeId, accounts[INJECTED_SPONSOR]],
      }),
    ).toBe(parseUnits("100", 18));

    await s.reload();
    await expect(s.getByTestId("my-share")).toHaveText("75.00%");
    await expect(s.getByTestId("sponsors")).toContainText("300 zkUSD (75.00%)");
    await expect(s.getByTestId("sponsors")).toContainText("100 zkUSD (25.00%)");
    await expect(s.getByTestId("timeline")).toContainText("Funded");
    await screenshot(s, "challenge-token");

    for (const c of [organiser.context, sponsor.context, injectedContext]) await c.close();
    expect(errors, "no console errors in any wallet's page").toEqual([]);
  });

  test("the organiser misses the reveal: the sponsor gets all 300 zkUSD back, the committer the bond", async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    expect(challengeId, "the first test created the challenge").toBeGreaterThan(0n);
    const { contracts, devToken } = deployment();
    const escrow = contracts.ArenaEscrow.address;
    const token = devToken!.address;
    const competitorAddress = accounts[COMPETITOR];

    // A competitor commits (straight to the escrow: the commit UI is lifecycle.spec.ts's subject).
    const wallet = createWalletClient({
      account: competitorAddress,
      chain: foundry,
      transport: http(anvilUrl),
    });
    const commitHash = await wallet.writeContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "commit",
      args: [challengeId, 12_345n],
    });
    expect((await chain.waitForTransactionReceipt({ hash: commitHash })).status).toBe("success");

    // The reveal deadline passes without a reveal.
    const c = await chain.readContract({
      address: escrow,
      abi: arenaEscrowAbi,
      functionName: "getChallenge",
      args: [challengeId],
    });
    const now = (await chain.getBlock()).timestamp;
    await chain.increaseTime({ seconds: Number(c.revealDeadline - now) + 60 });
    await chain.mine({ blocks: 1 });

    const errors: string[] = [];
    const sponsor = await person(browser, baseURL ?? "", SPONSOR, errors);
    const s = sponsor.page;
    const before = await tokenBalance(token, accounts[SPONSOR]);
    await s.goto(`/challenges/${slug}`);
    await connect(s);
    await expect(s.getByTestId("phase-badge")).toContainText("no reveal");
    await expect(s.getByTestId("reveal-missed")).toContainText("missed the reveal deadline");
    await expect(s.getByLabel("Prize pot")).not.toContainText("close in");
    await expect(s.getByTestId("claim-refund")).toHaveText("Claim your refund: 300 zkUSD");
    await screenshot(s, "reveal-missed");
    await s.getByTestId("claim-refund").click();
    await expect(s.getByTestId("claim-panel").getByTestId("tx-success")).toBeVisible({ timeout: 30_000 });
    await expect(s.getByTestId("nothing-to-claim")).toBeVisible();
    expect(await tokenBalance(token, accounts[SPONSOR])).toBe(before + parseUnits("300", 18));
    await expect(s.getByTestId("timeline")).toContainText("Refund claimed");

    // The only committer takes the whole 0.2 ETH bond.
    const competitor = await person(browser, baseURL ?? "", COMPETITOR, errors);
    const p = competitor.page;
    await p.goto(`/challenges/${slug}`);
    await connect(p);
    await expect(p.getByTestId("claim-bond")).toHaveText("Claim bond: 0.2 ETH");
    const ethBefore = await chain.getBalance({ address: competitorAddress });
    await p.getByTestId("claim-bond").click();
    const done = p.getByTestId("claim-panel").getByTestId("tx-success");
    await expect(done).toBeVisible({ timeout: 30_000 });
    const receipt = await chain.getTransactionReceipt({ hash: await linkedHash(done) });
    const [claimed] = parseEventLogs({ abi: arenaEscrowAbi, logs: receipt.logs, eventName: "BondClaimed" });
    expect(claimed?.args).toMatchObject({
      id: challengeId,
      account: competitorAddress,
      amount: parseEther("0.2"),
    });
    const gas = receipt.gasUsed * receipt.effectiveGasPrice;
    expect(await chain.getBalance({ address: competitorAddress })).toBe(ethBefore + parseEther("0.2") - gas);
    await expect(p.getByTestId("nothing-to-claim")).toBeVisible();

    for (const x of [sponsor, competitor]) await x.context.close();
    expect(errors, "no console errors in any wallet's page").toEqual([]);
  });
});
