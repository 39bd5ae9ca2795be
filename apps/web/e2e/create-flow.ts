// The organiser's guided create flow on the CI circuit, for specs that need a fresh challenge (the
// people, the wallet and the anvil client are in fixtures.ts).
import type { Page } from "@playwright/test";
import { anvil, connectWallet, expect } from "./fixtures";

const DAY_MS = 86_400_000;

const json = (name: string, value: unknown) => ({
  name,
  mimeType: "application/json",
  buffer: Buffer.from(JSON.stringify(value)),
});

/** A `datetime-local` value in the page's time zone. */
const localInput = (page: Page, ms: number) =>
  page.evaluate((t) => {
    const d = new Date(t);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, ms);

/**
 * The organiser's guided create flow on the CI circuit (mlp-d4-h3-c3-n4), through to the on-chain page.
 * Deadlines count from the chain's clock (other specs move it days ahead of the wall clock).
 */
export async function createChallenge(
  page: Page,
  c: { slug: string; title: string; publicRows: number[][]; hiddenRows: number[][] },
) {
  await page.goto("/create");
  await connectWallet(page);
  await page.getByLabel("Title").fill(c.title);
  await page.getByLabel("URL name").fill(c.slug);
  await page.getByLabel("One-line summary").fill("A challenge run by the browser tests.");
  await page.getByLabel("What must the model predict?").fill("The class (0-2) of four 4-bit features");
  await page.getByLabel("Circuit").selectOption("mlp-d4-h3-c3-n4");
  await page.getByLabel(/Public validation split/).setInputFiles(json("public.json", c.publicRows));
  await page.getByLabel(/Hidden test split/).setInputFiles(json("hidden.json", { samples: c.hiddenRows }));
  await expect(page.getByTestId("hidden-commitment")).toContainText("nothing has been sent", {
    timeout: 60_000,
  });
  const now = Math.max(Date.now(), Number((await anvil.getBlock()).timestamp) * 1000);
  await page.getByLabel("Commits and funding close").fill(await localInput(page, now + 7 * DAY_MS));
  await page.getByLabel("Reveal by").fill(await localInput(page, now + 9 * DAY_MS));
  await page.getByLabel("Proofs close").fill(await localInput(page, now + 12 * DAY_MS));
  await page.getByLabel("Shares per rank (%)").fill("100");
  await page.getByLabel("Minimum correct to rank").fill("1");
  await page.getByLabel("Organiser bond (ETH)").fill("0.1");
  await page.getByTestId("sign-in").click();
  await expect(page.getByTestId("sign-in")).toHaveCount(0);
  await page.getByTestId("create-submit").click();
  await page.waitForURL(`**/challenges/${c.slug}`, { timeout: 60_000 });
  await expect(page.getByTestId("phase-badge")).toContainText("Open");
}
