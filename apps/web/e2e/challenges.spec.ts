import { expect, screenshot, test } from "./fixtures";

interface ListResponse {
  result: { data: { json: { items: { slug: string; title: string }[] } } };
}

test("the home page lists what the database holds, or the empty state", async ({ page, request }) => {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 12 } }));
  const api = await request.get(`/api/trpc/challenge.list?input=${input}`);
  expect(api.status()).toBe(200);
  const { items } = ((await api.json()) as ListResponse).result.data.json;

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Challenges", level: 1 })).toBeVisible();
  if (items.length === 0) {
    await expect(page.getByTestId("empty-state")).toContainText("No challenges yet");
    await expect(page.getByTestId("empty-state")).toContainText("npm run seed");
  } else {
    await expect(page.getByTestId("challenge-card")).toHaveCount(items.length);
    const first = items[0]!;
    await expect(page.getByTestId("challenge-card").first()).toContainText(first.title);
    await screenshot(page, "home");
    await page.getByTestId("challenge-card").first().click();
    await expect(page).toHaveURL(new RegExp(`/challenges/${first.slug}$`));
    await expect(page.getByRole("heading", { name: first.title, level: 1 })).toBeVisible();
    await screenshot(page, "challenge-detail");
    return;
  }
  await screenshot(page, "home");
});

test.describe("an unknown challenge", () => {
  // Chromium logs the 404 document itself as a failed resource.
  test.use({ allowConsoleErrors: [/status of 404/] });

  test("shows the 404 page", async ({ page }) => {
    const response = await page.goto("/challenges/no-such-challenge-here");
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toContainText("Page not found");
    await expect(page.getByRole("link", { name: "Browse challenges" })).toBeVisible();
  });
});
