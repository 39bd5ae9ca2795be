// The states a person meets when something is missing or refused.
import { expect, test } from "./fixtures";

test("read-only pages work without a wallet and say what a wallet is for", async ({ page }) => {
  await page.goto("/create");
  await expect(page.getByRole("heading", { name: "Create a challenge" })).toBeVisible();
  await expect(page.getByTestId("create-no-wallet")).toContainText("Connect a wallet");
  await expect(page.getByTestId("create-submit")).toBeDisabled();
});

test.describe("a wallet that refuses to sign", () => {
  test.use({ allowConsoleErrors: [/Failed to sign message|UserRejectedRequestError|rejected/i] });

  test("a rejected sign-in signature is explained and nothing is signed in", async ({ page }) => {
    await page.addInitScript(() => {
      window.localStorage.setItem(
        "zkarena.devWallet",
        JSON.stringify({ account: 3, rejectSignatures: true }),
      );
    });
    await page.goto("/create");
    await page.getByTestId("wallet-connect").click();
    await page.getByTestId("connector-mock").click();
    await expect(page.getByTestId("wallet-address")).toHaveText("0x90F7…b906");
    await page.getByTestId("sign-in").click();
    await expect(page.getByTestId("sign-in-error")).toContainText("You rejected the sign-in request");
    await expect(page.getByTestId("sign-in")).toBeVisible();
  });
});

test("the create form lists what is missing instead of sending anything", async ({ page }) => {
  await page.goto("/create");
  await page.getByTestId("wallet-connect").click();
  await page.getByTestId("connector-mock").click();
  await page.getByTestId("sign-in").click();
  await expect(page.getByTestId("sign-in")).toHaveCount(0);
  await page.getByLabel("Shares per rank (%)").fill("50, 60");
  await page.getByTestId("create-submit").click();
  const errors = page.getByTestId("create-errors");
  await expect(errors).toContainText("Give the challenge a title.");
  await expect(errors).toContainText("Add the hidden test split");
  await expect(errors).toContainText("adding up to 100");
});

test("a hidden split that does not fit the circuit is refused with the row and the reason", async ({
  page,
}) => {
  await page.goto("/create");
  await page.getByLabel("Circuit").selectOption("mlp-d4-h3-c3-n4");
  await page.getByLabel(/Hidden test split/).setInputFiles({
    name: "hidden.json",
    mimeType: "application/json",
    buffer: Buffer.from(
      JSON.stringify([
        [1, 2, 3, 4, 0],
        [1, 2, 3, 99, 1],
      ]),
    ),
  });
  await expect(page.getByRole("alert").filter({ hasText: "row 2" })).toContainText("feature above 15");
});

test("a transaction page explains an unknown hash", async ({ page }) => {
  await page.goto(`/tx/0x${"ab".repeat(32)}`);
  await expect(page.getByTestId("tx-missing")).toContainText("Transaction not found");
});
