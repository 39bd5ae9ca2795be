import { expect, screenshot, test } from "./fixtures";

interface Health {
  ok: boolean;
  contracts: { items: { name: string; address: string }[] };
}

test("the status page shows the database, the chain and the contracts as healthy", async ({
  page,
  request,
}) => {
  const health = (await (await request.get("/api/health")).json()) as Health;
  const registry = health.contracts.items.find((c) => c.name === "VerifierRegistry");
  expect(registry?.address).toMatch(/^0x[0-9a-fA-F]{40}$/);

  const response = await page.goto("/status");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "System status" })).toBeVisible();
  await expect(page.getByTestId("status-database-badge")).toHaveText("Healthy");
  await expect(page.getByTestId("status-chain-badge")).toHaveText("Healthy");
  await expect(page.getByTestId("status-contracts-badge")).toHaveText("Healthy");
  await expect(page.getByTestId("status-summary")).toContainText("All systems operational");

  const contract = page.getByTestId("contract-VerifierRegistry");
  await expect(contract).toContainText("VerifierRegistry");
  await expect(contract.getByTestId("contract-address")).toHaveText(registry?.address ?? "missing");
  await expect(contract).toContainText("Code present");
  await expect(contract).toContainText("Code hash matches");
  await expect(page.getByTestId("status-chain")).toContainText("31337");
  await screenshot(page, "status");

  // "Check again" goes through /api/trpc from the browser.
  const refreshed = page.waitForResponse(
    (r) => r.url().includes("/api/trpc/status.get") && r.status() === 200,
  );
  await page.getByTestId("status-refresh").click();
  await refreshed;
  await expect(page.getByTestId("status-refresh")).toHaveText("Check again");
  await expect(page.getByTestId("status-database-badge")).toHaveText("Healthy");
});

test("/api/health answers 200 with every part ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as Health & { database: { ok: boolean }; chain: { ok: boolean } };
  expect(body.ok).toBe(true);
  expect(body.database.ok).toBe(true);
  expect(body.chain.ok).toBe(true);
});
