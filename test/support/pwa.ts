import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";

// The app's steps that several end-to-end specs take the same way: its first run, installing it, moving between its
// pages, and a saved edit of a scorecard.

/** Opens the app; its first run creates and scores the 500 demo accounts before the dashboard shows. */
export async function firstRun(page: Page, timeout = 150_000): Promise<void> {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout });
}

/**
 * Waits until the app is installed and controls the page, as a user's installed app does: the service worker has
 * precached the app, and a page loaded before it was installed is not controlled, so the page loads once more. Each
 * page of the app is a chunk of its own, served from the precache once offline.
 */
export async function installApp(page: Page, timeout = 60_000): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout }).toBe(true);
}

/**
 * A CSM's own browser profile (its own store), the app run once and installed in it, on the dashboard; downloads
 * are kept. The caller closes `context`.
 */
export async function installedProfile(
  browser: Browser,
  baseURL: string,
  firstRunTimeout: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true });
  const page = await context.newPage();
  await firstRun(page, firstRunTimeout);
  await installApp(page);
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: firstRunTimeout });
  return { context, page };
}

/** Goes to one of the app's pages by its address (`#/scorecards`) without loading the app again. */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

/**
 * Edits "Adoption (SMB)" at version 1 in the editor, factor 1's weight and, when given, one band's lower bound
 * (`band`: its number from 1), and saves it as version 2 with the message.
 */
export async function editAdoption(
  page: Page,
  edit: { weight: string; band?: { number: number; from: string }; message: string },
): Promise<void> {
  await go(page, "#/scorecards/adoption-smb");
  await expect(page.getByRole("heading", { level: 1, name: /version 1/ })).toBeVisible({ timeout: 30_000 });
  await page
    .getByRole("group", { name: /^Factor 1:/ })
    .getByLabel("Weight")
    .fill(edit.weight);
  if (edit.band) await page.getByLabel(`Band ${edit.band.number}: from (points)`).fill(edit.band.from);
  await page.getByLabel("What changed").fill(edit.message);
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 2" })).toBeVisible({ timeout: 120_000 });
}

/** One of the app's pages: where it is, and what shows it is ready (its content, not the loading line). */
export interface AppPage {
  name: string;
  /** Its address; "" for an account's page, whose address is found at run time (firstAccountHash). */
  hash: string;
  ready: (page: Page) => Promise<void>;
}

/** Every page of the app, on the demo portfolio, in the order of the navigation. */
export const APP_PAGES: readonly AppPage[] = [
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
    hash: "",
    ready: (page) => expect(page.getByRole("img", { name: /Score history from/ }).first()).toBeVisible(),
  },
  {
    name: "scorecards",
    hash: "#/scorecards",
    ready: async (page) => {
      await expect(page.getByRole("link", { name: "New scorecard" })).toBeVisible();
      await expect(page.locator(".scorecards-table tbody tr").first()).toBeVisible();
    },
  },
  {
    name: "scorecard editor",
    hash: "#/scorecards/adoption-smb",
    ready: (page) =>
      expect(page.getByText(/^Scores as of \d{4}-\d{2}-\d{2}, computed in \d+ ms\.$/)).toBeVisible({ timeout: 60_000 }),
  },
  {
    name: "scorecard print",
    hash: "#/scorecards/adoption-smb/print",
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  {
    name: "validate",
    hash: "#/scorecards/adoption-smb/validate",
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
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
    name: "alert rules",
    hash: "#/alerts/rules",
    ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  { name: "tasks", hash: "#/tasks", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { name: "plays", hash: "#/plays", ready: (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  {
    name: "data",
    hash: "#/data",
    ready: (page) => expect(page.getByRole("heading", { level: 1, name: "Data" })).toBeVisible(),
  },
];

/** The address of the accounts table's first account (a demo account), for the account page. */
export async function firstAccountHash(page: Page): Promise<string> {
  await page.goto("/#/accounts");
  const hash = (await page.locator(".accounts-table tbody tr a").first().getAttribute("href")) ?? "";
  expect(hash).toMatch(/^#\/accounts\/demo-/);
  return hash;
}

/**
 * The serious and critical violations axe-core (the rules behind Lighthouse's accessibility audit) finds on the page,
 * one line each: `where` (the page's name), the rule, its impact and help, and the first three nodes with why.
 */
export async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`)
        .join("; ");
      return `${where}: ${v.id} [${v.impact}] ${v.help} — ${v.nodes.length} node(s): ${nodes}`;
    });
}

/** The app's first run, then its demo data cleared: an empty store, as before a CSM's own first import. */
export async function emptyStore(page: Page, firstRunTimeout = 200_000): Promise<void> {
  await firstRun(page, firstRunTimeout);
  await page.getByRole("button", { name: "Clear demo data" }).click();
  await expect(page.getByRole("heading", { name: "No accounts yet" })).toBeVisible({ timeout: 240_000 });
}

/**
 * Imports a CSV file on the Data page as the file kind whose label matches `kind`, and waits for the line that says
 * it was imported (`done`: its words, "Imported <name>" unless given).
 */
export async function importCsv(page: Page, name: string, csv: string, kind: RegExp, done = `Imported ${name}`) {
  await page.getByRole("link", { name: "Data" }).click();
  await page
    .getByLabel("CSV file", { exact: true })
    .setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByLabel(kind).check();
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: done })).toBeVisible({ timeout: 120_000 });
}

/** Imports a bundle (JSON text, as file `name`) on the Data page and waits for the line that names the file. */
export async function importBundle(page: Page, name: string, json: string): Promise<void> {
  await page.getByRole("link", { name: "Data" }).click();
  await page
    .getByLabel("Import a bundle")
    .setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(json) });
  await page.getByRole("button", { name: "Import the bundle" }).click();
  await expect(page.getByRole("status").filter({ hasText: name })).toBeVisible({ timeout: 100_000 });
}
