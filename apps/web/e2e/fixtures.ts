// Every test fails on a console error or an uncaught page error, except messages it declares as
// expected with `allowConsoleErrors`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestClient, http, publicActions } from "viem";
import { foundry } from "viem/chains";
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from "@playwright/test";

/** The stack's anvil (e2e/run.mjs picks its port), and a test client on it: time travel, mining, reads. */
export const anvilUrl = `http://127.0.0.1:${process.env.ZKARENA_ANVIL_PORT ?? "8645"}`;
export const anvil = createTestClient({
  chain: foundry,
  mode: "anvil",
  transport: http(anvilUrl),
  cacheTime: 0,
}).extend(publicActions);

export const screenshotDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "test-results",
  "screenshots",
);

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

export const test = base.extend<{ allowConsoleErrors: RegExp[]; consoleErrors: string[] }>({
  allowConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, allowConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const where = message.location().url;
        const text = where ? `${message.text()} (${where})` : message.text();
        if (allowConsoleErrors.some((re) => re.test(text))) return;
        errors.push(`console.error: ${text}`);
      });
      page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
      await use(errors);
      expect(errors, "no console errors or uncaught page errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** A console message a test expects (not a defect), e.g. a 403 the page handles by waiting. */
export type ExpectedConsoleError = (message: ConsoleMessage) => boolean;

/**
 * A browser context as one person: the development wallet on anvil account `account` (0-9), or no
 * wallet (`null`, a viewer); the clock in UTC (so datetime-local fields can be filled from chain
 * timestamps); downloads accepted. Console and page errors are pushed to `errors`, named by account,
 * for the test to check at the end, except those `expected` says are expected.
 */
export async function person(
  browser: Browser,
  baseURL: string,
  account: number | null,
  errors: string[],
  expected?: ExpectedConsoleError,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, timezoneId: "UTC", acceptDownloads: true });
  if (account !== null)
    await context.addInitScript((a) => {
      window.localStorage.setItem("zkarena.devWallet", JSON.stringify({ account: a }));
    }, account);
  const page = await context.newPage();
  recordErrors(page, account === null ? "viewer" : `account ${account}`, errors, expected);
  return { context, page };
}

/** Pushes the page's console errors and uncaught errors to `errors`, prefixed with `who`. */
export function recordErrors(page: Page, who: string, errors: string[], expected?: ExpectedConsoleError) {
  page.on("console", (m) => {
    if (m.type() === "error" && !expected?.(m)) errors.push(`${who}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${who}: ${e.message}`));
}

/** Waits for the page's transaction to be confirmed, with no error shown on the way. */
export async function confirmed(page: Page) {
  await expect(page.getByTestId("tx-error")).toHaveCount(0);
  await expect(page.getByTestId("tx-success")).toBeVisible({ timeout: 30_000 });
}

/** Connects the header's wallet button with the development wallet (`mock`) or the injected one. */
export async function connectWallet(page: Page, connector: "mock" | "injected" = "mock") {
  await page.getByTestId("wallet-connect").click();
  await page.getByTestId(`connector-${connector}`).click();
  await expect(page.getByTestId("wallet-address")).toBeVisible();
}
