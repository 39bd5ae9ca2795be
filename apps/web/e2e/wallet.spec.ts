import { expect, screenshot, test } from "./fixtures";

test("the development wallet is offered on chain 31337 and connects as anvil account 0", async ({ page }) => {
  await page.goto("/");
  const connect = page.getByTestId("wallet-connect");
  await expect(connect).toHaveText("Connect wallet");
  await connect.click();

  await expect(page.getByTestId("connector-injected")).toContainText("Browser wallet");
  const dev = page.getByTestId("connector-mock");
  await expect(dev).toContainText("Development wallet");
  await expect(dev).toContainText("local chain only");
  await dev.click();

  await expect(page.getByTestId("wallet-address")).toHaveText("0xf39F…2266");
  await expect(page.getByTestId("wallet-wrong-network")).toHaveCount(0);
  await screenshot(page, "wallet-connected");

  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByTestId("wallet-connect")).toHaveText("Connect wallet");
});

test("without a browser wallet, choosing it explains what to do", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("wallet-connect").click();
  await page.getByTestId("connector-injected").click();
  await expect(page.getByTestId("wallet-error")).toContainText("No browser wallet found");
});
