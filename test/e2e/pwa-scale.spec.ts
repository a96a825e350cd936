import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { backupFrames, backupRows } from "./backup-file.ts";
import { PWA_URL } from "./chromium.ts";

/**
 * Every flow of the app on an M-like portfolio (issue 14): a few thousand accounts with a year of daily metrics,
 * stored as an import stores them by the PWA benchmark's setup page (test/harness/pwa-bench.ts, served here on the
 * app's own origin so it fills the app's store), then the app's first start scores them. One test walks the
 * dashboard, the accounts table (filter, sort, export), an account page, a rating, an override, a note, alerts, a
 * scorecard save (a full rescore), an import, validation and the exports. Behaviour only, never times.
 */

/** Accounts of the M-like portfolio: tier M has 10,000; this keeps the test within a couple of minutes. */
const ACCOUNTS = 2000;
/** The demo's fixed last day (2025-06-30) as days since 1970-01-01, as the PWA benchmark stores it. */
const AS_OF = Date.UTC(2025, 5, 30) / 86_400_000;
const HARNESS_DIR = resolve("dist/harness");

// Storing and first scoring 2,000 accounts with a year of data, and the full rescores a save and an import run,
// take minutes on a loaded CI machine.
test.setTimeout(900_000);

/** Stores the M-like portfolio in the app's store: the setup page, served from dist/harness at /harness/. */
async function storePortfolio(page: Page): Promise<{ accounts: number; observations: number }> {
  if (!existsSync(resolve(HARNESS_DIR, "pwa-bench.html"))) {
    throw new Error(
      "dist/harness/pwa-bench.html is missing: build the harness first (vite build --config test/harness/vite.config.ts)",
    );
  }
  await page.context().route(`${PWA_URL}/harness/**`, (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/harness\//, "");
    const file = resolve(HARNESS_DIR, path);
    if (!file.startsWith(HARNESS_DIR) || !existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ path: file });
  });
  await page.goto("/harness/pwa-bench.html");
  await expect(page.locator("#status")).toHaveText("ready");
  return page.evaluate(
    ([n, day]) =>
      (
        window as unknown as {
          pwaBench: { store(n: number, d: number): Promise<{ accounts: number; observations: number }> };
        }
      ).pwaBench.store(n, day),
    [ACCOUNTS, AS_OF] as const,
  );
}

const number = (text: string | null) => Number((text ?? "").replace(/[$,]/g, ""));

test("an M-like portfolio: every flow of the app works", async ({ page }) => {
  page.on("dialog", (dialog) => void dialog.accept());
  const nav = page.getByRole("navigation", { name: "Main" });

  await test.step("store a few thousand accounts with a year of daily metrics", async () => {
    const stored = await storePortfolio(page);
    expect(stored.accounts).toBe(ACCOUNTS);
    expect(stored.observations).toBeGreaterThan(ACCOUNTS * 365);
  });

  await test.step("dashboard: every account scored and counted in a band", async () => {
    await page.goto("/");
    // "Portfolio as of …" once the first start has scored every account.
    await expect(page.getByRole("heading", { name: /^Portfolio\s*as of/ })).toBeVisible({ timeout: 600_000 });
    await expect(page.locator(".kpi").first()).toContainText(ACCOUNTS.toLocaleString("en-US"));
    const bands = page.getByRole("region", { name: "Accounts and ARR by band" });
    const counts = await bands.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(counts.reduce((sum, c) => sum + number(c), 0)).toBe(ACCOUNTS);
    await expect(page.getByRole("img", { name: /Average score went from/ })).toBeVisible();
  });

  let ids: string[] = [];
  await test.step("accounts table: filter, sort and export the view", async () => {
    await nav.getByRole("link", { name: "Accounts" }).click();
    const all = `${ACCOUNTS.toLocaleString("en-US")} of ${ACCOUNTS.toLocaleString("en-US")} accounts`;
    await expect(page.getByText(all)).toBeVisible();
    await page.getByLabel("Band").selectOption("red");
    const count = page.locator(".accounts-count");
    await expect(count).not.toHaveText(all);
    const red = number(((await count.textContent()) ?? "").split(" ")[0] ?? "");
    expect(red).toBeGreaterThan(0);
    const badges = await page.locator(".accounts-table .badge").evaluateAll((els) => els.map((e) => e.className));
    expect(badges.length).toBeGreaterThan(0);
    expect(badges.every((c) => c.includes("badge-red"))).toBe(true);
    await page.getByRole("button", { name: "ARR" }).click();
    await expect(page.getByRole("columnheader", { name: /ARR/ })).toHaveAttribute("aria-sort", "descending");
    const arr = (await page.locator(".accounts-table tbody tr td:nth-child(4)").allTextContents()).map(number);
    expect(arr.length).toBeGreaterThan(1);
    expect(arr).toEqual([...arr].sort((a, b) => b - a));
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const lines = readFileSync(await (await download).path(), "utf8")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^account_id,name,score,/);
    expect(lines).toHaveLength(red + 1);
    await page.getByRole("button", { name: "Reset" }).click();
    await expect(page.getByText(all)).toBeVisible();
    // Every account, for the import below.
    const everything = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    ids = readFileSync(await (await everything).path(), "utf8")
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[0] as string);
    expect(ids).toHaveLength(ACCOUNTS);
  });

  let name = "";
  await test.step("account page: its score and why", async () => {
    await page.getByLabel("Segment").selectOption("Enterprise");
    await page.getByLabel("Search").fill("");
    const link = page.locator(".accounts-table tbody tr a").first();
    name = (await link.textContent()) ?? "";
    await link.click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("img", { name: /points, grade [A-D]/ }).first()).toBeVisible({ timeout: 300_000 });
    await expect(page.getByText("primary", { exact: true })).toBeVisible();
    await expect(page.locator("section.card table").first()).toContainText("Points");
    await expect(page.getByRole("img", { name: /Score history from/ }).first()).toBeVisible();
  });

  await test.step("rating, override and note on the account", async () => {
    await page.getByLabel("Your name").fill("Scale CSM");
    const rating = page.getByRole("region", { name: "CSM rating" });
    await rating.getByRole("radio", { name: /^1 — / }).check();
    await rating.getByLabel("Note").fill("Champion left");
    await rating.getByRole("button", { name: "Record rating" }).click();
    await expect(rating.getByRole("status")).toContainText("recorded", { timeout: 300_000 });
    await expect(rating).toContainText("Latest: 1 (");
    await expect(rating).toContainText("Champion left");

    const override = page.getByRole("region", { name: "Override" });
    await override.getByLabel("Score (0–100)").fill("35");
    await override.getByLabel("Reason (required)").fill("Legal review blocks the renewal");
    await override.getByRole("button", { name: /^Set override/ }).click();
    await expect(override.getByRole("status").last()).toContainText(/Override saved until/, { timeout: 120_000 });
    await expect(page.getByRole("note").filter({ hasText: "Overridden by Scale CSM" })).toContainText("35 points");

    const notes = page.getByRole("region", { name: "Notes" });
    await notes.getByLabel("New note").fill("QBR booked");
    await notes.getByRole("button", { name: "Add note" }).click();
    await expect(notes.getByRole("status")).toContainText("Note added");
    await expect(
      notes
        .getByRole("list", { name: /Timeline of notes/ })
        .getByRole("listitem")
        .first(),
    ).toContainText("QBR booked");
  });

  await test.step("alerts: open ones are listed, one is snoozed", async () => {
    const link = nav.getByRole("link", { name: /^Alerts/ });
    await expect(link).toHaveAttribute("aria-label", /^Alerts, [\d,]+ open$/, { timeout: 120_000 });
    const open = number(/, ([\d,]+) open/.exec((await link.getAttribute("aria-label")) ?? "")?.[1] ?? "");
    expect(open).toBeGreaterThan(0);
    await link.click();
    const first = page.locator(".alert-list > li").first();
    await expect(first).toBeVisible({ timeout: 120_000 });
    const title = (await first.locator("strong").textContent()) ?? "";
    await first.getByRole("button", { name: "Snooze" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Snoozed until" })).toBeVisible();
    await expect(link).toHaveAttribute("aria-label", `Alerts, ${(open - 1).toLocaleString("en-US")} open`);
    await page.getByRole("tab", { name: /^Snoozed \(1\)/ }).click();
    await expect(page.locator(".alert-list > li").first()).toContainText(title);
  });

  await test.step("scorecard save: a new version, every account rescored", async () => {
    await page.goto("/#/scorecards/adoption-smb");
    await expect(page.getByRole("heading", { level: 1, name: /Edit Adoption \(SMB\)\s+version 1/ })).toBeVisible({
      timeout: 120_000,
    });
    await page.getByLabel("Band 2: from (points)").fill("75");
    await page.getByLabel("What changed").fill("Stricter B");
    await page.getByRole("button", { name: "Save as a new version" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved as version 2" })).toBeVisible({ timeout: 300_000 });
    await expect(page.getByRole("heading", { level: 1, name: /version 2/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Accounts that would change grade (0)" })).toBeVisible({
      timeout: 120_000,
    });
    await page.goto("/#/");
    await expect(page.getByRole("heading", { name: /^Portfolio\s*as of/ })).toBeVisible({ timeout: 300_000 });
    const bands = page.getByRole("region", { name: "Accounts and ARR by band" });
    await expect(bands).toBeVisible({ timeout: 120_000 });
    const counts = await bands.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(counts.reduce((sum, c) => sum + number(c), 0)).toBe(ACCOUNTS);
  });

  await test.step("import: a month of a new metric for every account, with a rejected row", async () => {
    const days = Array.from({ length: 30 }, (_, k) =>
      new Date((AS_OF - 29 + k) * 86_400_000).toISOString().slice(0, 10),
    );
    const rows = ["account_id,metric,day,value"];
    for (const [i, id] of ids.entries())
      for (const day of days) rows.push(`${id},scale_pings,${day},${(i + day.length) % 17}`);
    rows.push("nobody-here,scale_pings,2025-06-01,3");
    await nav.getByRole("link", { name: "Data" }).click();
    await expect(page.getByRole("heading", { name: "Import a CSV file" })).toBeVisible();
    await page
      .getByLabel("CSV file", { exact: true })
      .setInputFiles({ name: "scale-pings.csv", mimeType: "text/csv", buffer: Buffer.from(`${rows.join("\n")}\n`) });
    await page.getByLabel(/Vitals observations file/).check();
    await page.getByRole("button", { name: "Check the file" }).click();
    const report = page.getByRole("region", { name: "What the import will change" });
    await expect(report.getByRole("row", { name: /Rows rejected/ })).toContainText("1", { timeout: 300_000 });
    await expect(report.locator("table.rejects tbody tr")).toHaveCount(1);
    await expect(report.locator("table.rejects tbody tr").first()).toContainText("nobody-here");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported scale-pings.csv" })).toBeVisible({
      timeout: 600_000,
    });
    const log = page.getByRole("region", { name: "Imports" });
    await expect(log).toContainText("scale-pings.csv");
  });

  await test.step("validation: the scorecard against the outcomes on record", async () => {
    await page.goto("/#/scorecards/adoption-smb/validate");
    await expect(page.getByRole("heading", { level: 1, name: "Validate “Adoption (SMB)”" })).toBeVisible();
    const text = await page.getByText(/outcomes? on record/).textContent({ timeout: 120_000 });
    expect(number(/^([\d,]+) outcomes? on record/.exec(text ?? "")?.[1] ?? "")).toBeGreaterThan(0);
    const auc = Number(await page.getByTestId("auc").textContent({ timeout: 300_000 }));
    expect(auc).toBeGreaterThan(0);
    expect(auc).toBeLessThanOrEqual(1);
    await expect(page.getByRole("table", { name: "Churn rate per band" }).getByRole("row")).toHaveCount(6);
  });

  await test.step("exports: every account for the extension, and everything as a backup", async () => {
    await page.goto("/#/data");
    const badges = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export for the extension" }).click();
    const set = JSON.parse(readFileSync(await (await badges).path(), "utf8"));
    expect(set.format).toBe("vitals-badges");
    expect(set.accounts).toHaveLength(ACCOUNTS);
    expect(set.accounts.some((a: { name: string; override?: unknown }) => a.name === name && a.override)).toBe(true);
    const backup = page.waitForEvent("download", { timeout: 300_000 });
    await page.getByRole("button", { name: "Export everything" }).click();
    const frames = backupFrames(await (await backup).path());
    expect((frames[0]?.json as { format?: string } | undefined)?.format).toBe("vitals-backup");
    const accounts = backupRows(frames, "accounts") as { id: string }[];
    expect(accounts).toHaveLength(ACCOUNTS);
    expect(accounts.map((a) => a.id).sort()).toEqual([...ids].sort());
  });
});
