import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * Alert triage that scales (issue 18, item 2): the demo's open alerts grouped by account with ARR at risk first,
 * other orders, a filter by account, several selected and snoozed or closed at once (focus on the result), the
 * inbox's keyboard shortcuts (j/k, x, d), and the digest of what changed since yesterday with its skip links. Its
 * own context, so its own store.
 */

// The first run creates, imports and scores 500 accounts with a year of data in the worker.
test.setTimeout(300_000);

/** "$1,234" → 1234; "—" (no ARR) → −1, after every amount. */
const dollars = (text: string) => {
  const m = /ARR \$([\d,]+)/.exec(text);
  return m?.[1] ? Number(m[1].replace(/,/g, "")) : -1;
};

/** The number in a tab's name: "Open (65)" → 65. */
async function tabCount(page: Page, label: string): Promise<number> {
  const name = (await page.getByRole("tab", { name: new RegExp(`^${label} \\(`) }).textContent()) ?? "";
  return Number(/\(([\d,]+)\)/.exec(name)?.[1]?.replace(/,/g, "") ?? Number.NaN);
}

async function serious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("the inbox groups by account, sorts by ARR at risk, bulk-snoozes and closes, and answers j/k/x/d", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 200_000 });
  await page.goto("/#/alerts");
  const items = page.locator(".alert-item");
  await expect(items.first()).toBeVisible();
  const open = await tabCount(page, "Open");
  expect(open).toBeGreaterThan(5);

  // Grouped: one group per account, as many as the summary says, the largest ARR first.
  const summary = page.getByText(/^[\d,]+ alerts? on [\d,]+ accounts?, \$[\d,]+ ARR at risk\.$/);
  await expect(summary).toBeVisible();
  const [, alertsText, accountsText] = /^([\d,]+) alerts? on ([\d,]+)/.exec((await summary.textContent()) ?? "") ?? [];
  expect(Number(alertsText?.replace(/,/g, ""))).toBe(open);
  const groups = page.locator(".alert-group");
  await expect(groups).toHaveCount(Number(accountsText?.replace(/,/g, "")));
  await expect(items).toHaveCount(open);
  const arr = (await page.locator(".alert-group-head > span").allTextContents()).map(dollars);
  expect(arr).toEqual([...arr].sort((x, y) => y - x));
  // An account's alerts sit together: no account heads two groups.
  const names = await page.locator(".alert-group-head h2").allTextContents();
  expect(new Set(names).size).toBe(names.length);

  // Renewal date: the soonest first, accounts without one last.
  await page.getByLabel("Order by").selectOption({ label: "Renewal date" });
  await expect(page.getByLabel("Order by")).toHaveValue("renewal");
  await expect
    .poll(async () => {
      const days = (await page.locator(".alert-group-head > span").allTextContents()).map(
        (t) => /renews (\d{4}-\d{2}-\d{2})/.exec(t)?.[1] ?? "~",
      );
      return days.join() === [...days].sort().join() && days.length === names.length;
    })
    .toBe(true);
  await page.getByLabel("Order by").selectOption({ label: "ARR at risk" });

  // Filter by one account: only its alerts.
  const account = page.getByLabel("Account");
  const choice = (await account.locator("option").nth(1).textContent()) ?? "";
  const [, accountName, count] = /^(.*) \((\d+)\)$/.exec(choice) ?? [];
  await account.selectOption({ index: 1 });
  await expect(items).toHaveCount(Number(count));
  await expect(groups).toHaveCount(1);
  await expect(groups.locator("h2")).toHaveText(accountName as string);
  await account.selectOption({ label: "All" });
  await expect(items).toHaveCount(open);

  // Select three, snooze them at once: the status line says so and holds focus; the Snoozed tab has them.
  const picked = [];
  for (let i = 0; i < 3; i++) {
    picked.push(((await items.nth(i).locator("strong").textContent()) ?? "").trim());
    await items.nth(i).getByRole("checkbox").check();
  }
  const bulk = page.getByRole("form", { name: "Selected alerts" });
  await expect(bulk).toContainText("3 selected");
  await bulk.getByRole("button", { name: "Snooze selected" }).click();
  const said = page.locator("#alerts-said");
  await expect(said).toHaveText(/^Snoozed 3 alerts until \d{4}-\d{2}-\d{2}\.$/);
  await expect(said).toBeFocused();
  await expect(items).toHaveCount(open - 3);
  await expect(page.getByRole("tab", { name: /^Snoozed \(3\)/ })).toBeVisible();

  // Two more marked done at once.
  await items.nth(0).getByRole("checkbox").check();
  await items.nth(1).getByRole("checkbox").check();
  await expect(bulk).toContainText("2 selected");
  await bulk.getByRole("button", { name: "Mark selected done" }).click();
  await expect(said).toHaveText("Marked 2 alerts done.");
  await expect(said).toBeFocused();
  await expect(page.getByRole("tab", { name: /^Done \(2\)/ })).toBeVisible();
  await expect(items).toHaveCount(open - 5);

  // Keys: j goes to the first alert, j to the next, k back; x selects it; d marks it done and focus stays in place.
  await page.keyboard.press("j");
  await expect(items.nth(0)).toBeFocused();
  await page.keyboard.press("j");
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press("k");
  await expect(items.nth(0)).toBeFocused();
  await page.keyboard.press("x");
  await expect(items.nth(0).getByRole("checkbox")).toBeChecked();
  await expect(bulk).toContainText("1 selected");
  await page.keyboard.press("x");
  await expect(items.nth(0).getByRole("checkbox")).not.toBeChecked();
  await page.keyboard.press("j");
  const second = ((await items.nth(1).locator("strong").textContent()) ?? "").trim();
  const third = ((await items.nth(2).locator("strong").textContent()) ?? "").trim();
  await page.keyboard.press("d");
  await expect(said).toHaveText(`Marked done: ${second}.`);
  await expect(page.getByRole("tab", { name: /^Done \(3\)/ })).toBeVisible();
  // The alert that took its place has focus, so j/k/x/d carry on from there.
  await expect(items.nth(1)).toBeFocused();
  await expect(items.nth(1).locator("strong")).toHaveText(third);
  // The keys are written on the page.
  await expect(page.getByText(/^Keys: j next alert, k previous, x select it, d mark it done\.$/)).toBeVisible();

  // The snoozed three come back at once.
  await page.getByRole("tab", { name: /^Snoozed/ }).click();
  await expect(items).toHaveCount(3);
  expect((await items.locator("strong").allTextContents()).map((t) => t.trim()).sort()).toEqual([...picked].sort());
  await bulk.getByLabel(/^Select all 3 shown$/).check();
  await bulk.getByRole("button", { name: "Reopen selected" }).click();
  await expect(said).toHaveText("Reopened 3 alerts.");
  await expect(page.getByRole("tab", { name: /^Open \(/ })).toHaveText(`Open (${open - 3})`);
  expect(await serious(page)).toEqual([]);

  // The digest: every alert was raised today (the first run), three closed; skip links move focus to each part.
  await page.getByRole("tab", { name: /^Open/ }).click();
  await page.getByRole("link", { name: "What changed since yesterday" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What changed since yesterday" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Closed \(3\)$/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: new RegExp(`^Raised \\(${open}\\)$`) })).toBeVisible();
  const closed = page.getByRole("region", { name: /^Closed/ });
  await expect(closed.locator(".digest-alert").filter({ hasText: "marked done on" })).toHaveCount(3);
  const skip = page.getByRole("navigation", { name: "On this page" });
  await skip.getByRole("link", { name: "Closed (3)" }).click();
  await expect(closed).toBeFocused();
  await skip.getByRole("link", { name: /^Raised/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: /^Raised/ })).toBeFocused();
  expect(await serious(page)).toEqual([]);
});
