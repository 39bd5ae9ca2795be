// Every main page, without a wallet: usable at a phone's width (nothing scrolls sideways), and every
// form control, button and link has an accessible name, every image a text alternative; the create
// form is reachable by keyboard alone.
import type { Page } from "@playwright/test";
import { expect, screenshot, test } from "./fixtures";

interface ListResponse {
  result: { data: { json: { items: { slug: string }[] } } };
}

async function mainPages(page: Page): Promise<string[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 1 } }));
  const api = await page.request.get(`/api/trpc/challenge.list?input=${input}`);
  expect(api.status()).toBe(200);
  const { items } = ((await api.json()) as ListResponse).result.data.json;
  return [
    "/",
    ...items.map((c) => `/challenges/${c.slug}`),
    "/create",
    "/u/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "/status",
  ];
}

/** How many visible controls were checked, and those without an accessible name. */
async function unnamedControls(page: Page): Promise<{ checked: number; unnamed: string[] }> {
  const unnamed: string[] = [];
  let checked = 0;
  const controls = page.locator(
    "input:not([type=hidden]), select, textarea, button, a[href], img, svg[role=img]",
  );
  const count = await controls.count();
  for (let i = 0; i < count; i++) {
    const control = controls.nth(i);
    if (!(await control.isVisible())) continue;
    checked++;
    try {
      await expect(control).toHaveAccessibleName(/\S/, { timeout: 1 });
    } catch {
      unnamed.push(await control.evaluate((el) => el.outerHTML.slice(0, 160)));
    }
  }
  return { checked, unnamed };
}

test("every main page fits a 360 px wide screen", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const url of await mainPages(page)) {
    await page.goto(url);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.locator("h1")).toHaveCount(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${url} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
    const name = url === "/" ? "home" : url.split("/")[1];
    await screenshot(page, `phone-${name}`);
  }
});

test("every control, link and image on the main pages has an accessible name", async ({ page }) => {
  for (const url of await mainPages(page)) {
    await page.goto(url);
    await expect(page.locator("html")).toHaveAttribute("lang", /^[a-z]{2}/);
    const { checked, unnamed } = await unnamedControls(page);
    expect(checked, `controls found on ${url}`).toBeGreaterThan(3);
    expect(unnamed, `unnamed controls on ${url}`).toEqual([]);
  }
});

test("the create form can be filled with the keyboard alone", async ({ page }) => {
  await page.goto("/create");
  const title = page.getByLabel("Title", { exact: false }).first();
  await expect(title).toBeVisible();
  // Tab from the top of the page until the title field has the focus.
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await title.evaluate((el) => el === document.activeElement);
  }
  expect(reached, "Tab reaches the create form's first field").toBe(true);
  await page.keyboard.type("Keyboard only");
  await expect(title).toHaveValue("Keyboard only");
  // The focused control is visibly marked (an outline or a box shadow).
  const marked = await title.evaluate((el) => {
    const s = getComputedStyle(el);
    return (s.outlineStyle !== "none" && s.outlineWidth !== "0px") || s.boxShadow !== "none";
  });
  expect(marked, "the focused field shows a focus ring").toBe(true);
});
