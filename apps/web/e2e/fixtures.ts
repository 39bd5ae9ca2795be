// Every test fails on a console error or an uncaught page error, except messages it declares as
// expected with `allowConsoleErrors`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect, type Page } from "@playwright/test";

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
