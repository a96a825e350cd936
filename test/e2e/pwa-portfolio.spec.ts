import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

/**
 * The app as a CSM first meets it: the demo portfolio on first run, the dashboard, the accounts table, an
 * account's explanation, and clearing the demo. Each test has its own browser context, so its own empty store.
 */

// The first run creates, imports and scores 500 accounts with a year of data in the worker.
test.setTimeout(180_000);

async function firstRun(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("status").filter({ hasText: "Loading the demo portfolio" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });
}

test("first run shows the demo portfolio's dashboard, and every list item opens its account", async ({ page }) => {
  await firstRun(page);
  await expect(page.getByRole("note").filter({ hasText: "demo portfolio" })).toBeVisible();
  await expect(page.locator(".kpi").first()).toContainText("500");
  const bands = page.getByRole("region", { name: "Accounts and ARR by band" });
  for (const band of ["A · Healthy", "B · Good", "C · Watch", "D · At risk"]) await expect(bands).toContainText(band);
  // The band counts add up to every account.
  const counts = await bands.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(counts.reduce((sum, c) => sum + Number(c.replace(/,/g, "")), 0)).toBe(500);
  await expect(page.getByRole("img", { name: /Average score went from/ })).toBeVisible();

  const renewals = page.getByRole("region", { name: "Renewals in 90 days, not green" });
  const item = renewals.getByRole("listitem").first();
  await expect(item).toContainText(/renews in \d+ days?/);
  const name = (await item.getByRole("link").textContent()) ?? "";
  await item.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  // The primary result: a badge that names points, grade and range in words, and the factor table.
  await expect(page.getByRole("img", { name: /points, grade [A-D]/ }).first()).toBeVisible();
  await expect(page.getByRole("table").first()).toContainText("Points");
  await expect(page.getByText("primary", { exact: true })).toBeVisible();
  // A renewal that is not green has a reason: at least one drag in plain words.
  await expect(page.getByRole("heading", { name: "What pulls the score down" }).first()).toBeVisible();
  await expect(page.getByRole("img", { name: /Score history from/ }).first()).toBeVisible();
});

test("the accounts table filters, sorts, and exports the current view as CSV", async ({ page }) => {
  await firstRun(page);
  await page.getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByText("500 of 500 accounts")).toBeVisible();
  // Only the rows in view are rendered: 500 accounts, far fewer rows in the DOM.
  const rendered = await page.locator(".accounts-table tbody tr a").count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(100);

  await page.getByLabel("Band").selectOption("red");
  const count = page.getByText(/^\d+ of 500 accounts$/);
  await expect(count).not.toHaveText("500 of 500 accounts");
  const redCount = Number(((await count.textContent()) ?? "").split(" ")[0]);
  expect(redCount).toBeGreaterThan(0);
  const badges = await page.locator(".accounts-table .badge").evaluateAll((els) => els.map((e) => e.className));
  expect(badges.every((c) => c.includes("badge-red"))).toBe(true);

  // Sort by ARR, highest first (the first click on ARR sorts descending).
  await page.getByRole("button", { name: "ARR" }).click();
  const arr = await page
    .locator(".accounts-table tbody tr td:nth-child(4)")
    .allTextContents()
    .then((cells) => cells.map((c) => Number(c.replace(/[$,]/g, ""))));
  expect(arr.length).toBeGreaterThan(1);
  expect(arr).toEqual([...arr].sort((a, b) => b - a));
  await expect(page.getByRole("columnheader", { name: /ARR/ })).toHaveAttribute("aria-sort", "descending");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const file = await (await download).path();
  const lines = readFileSync(file, "utf8").trim().split("\r\n");
  expect(lines[0]).toBe("account_id,name,score,grade,label,delta,arr,renewal_date,segment,stage,owner");
  expect(lines).toHaveLength(redCount + 1);

  await page.getByLabel("Search").fill("zzzz-no-such-account");
  await expect(page.getByText("No account matches these filters.")).toBeVisible();
});

test("clearing the demo leaves an empty store that stays empty after a reload, and the demo can come back", async ({
  page,
}) => {
  // Two demo loads in one test.
  test.setTimeout(300_000);
  await firstRun(page);
  await page.getByRole("button", { name: "Clear demo data" }).click();
  await expect(page.getByRole("heading", { name: "No accounts yet" })).toBeVisible({ timeout: 150_000 });
  await page.reload();
  await expect(page.getByRole("heading", { name: "No accounts yet" })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Load the demo portfolio" }).click();
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });
});

test("an unknown account or page says so and links back", async ({ page }) => {
  await firstRun(page);
  await page.goto("/#/accounts/no-such-id");
  await expect(page.getByRole("heading", { name: "Account not found" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText('there is no account "no-such-id"');
  await page.goto("/#/nowhere");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
