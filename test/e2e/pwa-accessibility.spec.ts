import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * Accessibility of every main page, in light and dark: axe-core (the rules behind Lighthouse's accessibility audit)
 * runs on the dashboard, the accounts table, an account, the scorecards list and editor, the alert inbox and its
 * digest, and the data page, and the test fails on any serious or critical violation. One browser context (one first
 * run) for all of them.
 */

// The first run creates, imports and scores 500 accounts with a year of data in the worker; then axe runs 16 times.
test.setTimeout(480_000);

/** Each page: where it is and what shows it is ready (its content, not the loading line). */
const PAGES: { name: string; hash: string; ready: (page: Page) => Promise<void> }[] = [
  {
    name: "dashboard",
    hash: "#/",
    ready: (page) => expect(page.getByRole("img", { name: /Average score went from/ })).toBeVisible(),
  },
  {
    name: "accounts",
    hash: "#/accounts",
    ready: (page) => expect(page.locator(".accounts-table tbody tr a").first()).toBeVisible(),
  },
  {
    name: "account",
    hash: "", // the first account of the table, found at run time
    ready: (page) => expect(page.getByRole("img", { name: /Score history from/ }).first()).toBeVisible(),
  },
  {
    name: "scorecards",
    hash: "#/scorecards",
    ready: (page) => expect(page.getByRole("link", { name: "New scorecard" })).toBeVisible(),
  },
  {
    name: "scorecard editor",
    hash: "#/scorecards/adoption-smb",
    ready: (page) =>
      expect(page.getByText(/^Scores as of \d{4}-\d{2}-\d{2}, computed in \d+ ms\.$/)).toBeVisible({ timeout: 30_000 }),
  },
  {
    name: "alerts",
    hash: "#/alerts",
    ready: (page) => expect(page.locator(".alert-item").first()).toBeVisible(),
  },
  {
    name: "alert digest",
    hash: "#/alerts/digest",
    ready: (page) => expect(page.getByRole("heading", { level: 2, name: /^Raised/ })).toBeVisible(),
  },
  {
    name: "data",
    hash: "#/data",
    ready: (page) => expect(page.getByRole("heading", { level: 1, name: "Data" })).toBeVisible(),
  },
];

test("every main page has no serious or critical accessibility violation, in light and in dark", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });
  await page.goto("/#/accounts");
  const first = page.locator(".accounts-table tbody tr a").first();
  const accountHash = (await first.getAttribute("href")) ?? "";
  expect(accountHash).toMatch(/^#\/accounts\/demo-/);

  const found: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const p of PAGES) {
      await page.goto(`/${p.hash || accountHash}`);
      await p.ready(page);
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
        const where = v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`)
          .join("; ");
        found.push(`${p.name} (${colorScheme}): ${v.id} [${v.impact}] ${v.help} — ${v.nodes.length} node(s): ${where}`);
      }
    }
  }
  expect(found, found.join("\n")).toEqual([]);
});
