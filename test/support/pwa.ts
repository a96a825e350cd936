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
