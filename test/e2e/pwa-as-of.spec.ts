import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { emptyStore, importBundle } from "../support/pwa.ts";

/**
 * Issue 13, "As of must never jump": a portfolio whose data ended on 2024-12-31 (long before today) is scored as of
 * that day; the header and the dashboard say so, and say once how old the data is; a CSM rating made today changes
 * only the rated account; the "no new data" rule raises for the one account whose own data stopped early, not for
 * every account; the as-of day can be set to today and back from the dashboard.
 */

// The first run loads the 500-account demo before it is cleared.
test.setTimeout(300_000);

const DATA_END = "2024-12-31";
const ACCOUNTS = 24;

/** Days from 1970-01-01 of an ISO day. */
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const isoOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/**
 * A bundle of Enterprise accounts with weekly active users and key events from October to 2024-12-31; the first
 * account's data stops on 2024-11-12, its last week before 2024-11-15 (a real gap of 49 days).
 */
function staleBundle(): string {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: `st-${String(i + 1).padStart(2, "0")}`,
    name: `Stale Co ${String(i + 1).padStart(2, "0")}`,
    segment: "Enterprise",
    stage: "adoption",
    startDate: "2022-01-01",
    arr: 50_000 + 1000 * i,
    seats: 50,
    attributes: { exec_sponsor: true },
  }));
  const observations: { accountId: string; metric: string; day: string; value: number }[] = [];
  const end = dayNumber(DATA_END);
  accounts.forEach((a, i) => {
    const last = i === 0 ? dayNumber("2024-11-15") : end;
    // Weekly, ending on the data's last day (91 = 13 weeks).
    for (let d = end - 91; d <= last; d += 7) {
      const day = isoOf(d);
      observations.push({ accountId: a.id, metric: "active_users", day, value: 20 + i });
      observations.push({ accountId: a.id, metric: "key_events", day, value: 100 + 5 * i });
    }
  });
  return JSON.stringify({
    format: "vitals-bundle",
    version: 1,
    exportedAt: "2025-01-02T09:00:00Z",
    accounts,
    observations,
  });
}

/** The accounts table as its CSV export: one line per account, keyed by the line's first cell (the id). */
async function tableRows(page: Page): Promise<Map<string, string>> {
  await page.getByRole("link", { name: "Accounts", exact: true }).click();
  await expect(page.getByText(`${ACCOUNTS} of ${ACCOUNTS} accounts`)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  const lines = readFileSync((await download.path()) as string, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1);
  expect(lines).toHaveLength(ACCOUNTS);
  return new Map(lines.map((line) => [line.split(",")[0] ?? line, line]));
}

test("stale data: scored as of its last day, said once; a rating today changes one account; no alert storm", async ({
  page,
}) => {
  await emptyStore(page);
  await importBundle(page, "stale.json", staleBundle());

  // Per source on the Data page: each metric's last day.
  const sources = page.getByRole("region", { name: "Data by metric" });
  await expect(sources.getByRole("row", { name: /^active_users/ })).toContainText(DATA_END);
  await expect(sources.getByRole("row", { name: /^key_events/ })).toContainText(DATA_END);

  await page.getByRole("link", { name: "Dashboard" }).click();
  const header = page.locator(".status-line");
  await expect(header).toContainText(`Scores as of ${DATA_END}`);
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  const ago = dayNumber(today) - dayNumber(DATA_END);
  const asOf = page.getByRole("region", { name: /^Scores as of/ });
  await expect(asOf.getByRole("heading")).toContainText(`Scores as of ${DATA_END}`);
  await expect(asOf).toContainText(`Your data ends ${DATA_END}, ${ago.toLocaleString("en-US")} days ago.`);

  // One "no new data" alert: the account whose own data stopped 49 days before the data's end; not one per account.
  const noData = async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /^Alerts/ })
      .click();
    await expect(page.getByRole("tab", { name: /^Open \(/ })).toHaveAttribute("aria-selected", "true");
    return page.locator(".alert-item").filter({ hasText: "No new data for 30 days" });
  };
  await expect(await noData()).toHaveCount(1);
  await expect(await noData()).toContainText("Stale Co 01");
  await expect(await noData()).toContainText(`No new data for 49 days up to ${DATA_END}; the last was on 2024-11-12`);

  // A rating today: only the rated account's row changes, and the as-of day stays.
  const before = await tableRows(page);
  await page.getByRole("link", { name: "Stale Co 05", exact: true }).click();
  await page.getByLabel("Your name").fill("Ana CSM");
  const rating = page.getByRole("region", { name: "CSM rating" });
  await rating.getByRole("radio", { name: "1 — very unhappy" }).check();
  await rating.getByRole("button", { name: "Record rating" }).click();
  await expect(rating.getByRole("status")).toContainText("recorded", { timeout: 120_000 });
  await expect(rating).toContainText("Latest: 1 (very unhappy)");
  await expect(header).toContainText(`Scores as of ${DATA_END}`);
  const after = await tableRows(page);
  const changed = [...before.keys()].filter((name) => before.get(name) !== after.get(name));
  expect(changed).toEqual(["st-05"]);
  await expect(await noData()).toHaveCount(1);

  // The as-of day is a setting on the dashboard: today, then back to the data's last day.
  await page.getByRole("link", { name: "Dashboard" }).click();
  await asOf.getByLabel("Score as of").selectOption("today");
  await asOf.getByRole("button", { name: "Apply" }).click();
  await expect(asOf.getByRole("status")).toContainText(`Scores are now as of ${today} (today).`, { timeout: 120_000 });
  await expect(header).toContainText(`Scores as of ${today}`);
  await expect(await noData()).toHaveCount(1);
  await page.getByRole("link", { name: "Dashboard" }).click();
  await asOf.getByLabel("Score as of").selectOption("data");
  await asOf.getByRole("button", { name: "Apply" }).click();
  await expect(asOf.getByRole("status")).toContainText(`Scores are now as of ${DATA_END} (the data's last day).`, {
    timeout: 120_000,
  });
  await expect(header).toContainText(`Scores as of ${DATA_END}`);
});
