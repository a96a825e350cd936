import { expect, test } from "@playwright/test";
import { APP_PAGES, firstAccountHash, firstRun, seriousViolations } from "../support/pwa.ts";

/**
 * Accessibility of every main page, in light and dark: axe-core (the rules behind Lighthouse's accessibility audit)
 * runs on the dashboard, the accounts table, an account, the scorecards list and editor, the alert inbox and its
 * digest, and the data page, and the test fails on any serious or critical violation. One browser context (one first
 * run) for all of them.
 */

// The first run creates, imports and scores 500 accounts with a year of data in the worker; then axe runs 16 times.
test.setTimeout(480_000);

/** The pages checked: the main ones (the phone spec checks every page at 390 px). */
const CHECKED = new Set([
  "dashboard",
  "accounts",
  "account",
  "scorecards",
  "scorecard editor",
  "alerts",
  "alert digest",
  "data",
]);
const PAGES = APP_PAGES.filter((p) => CHECKED.has(p.name));

test("every main page has no serious or critical accessibility violation, in light and in dark", async ({ page }) => {
  await firstRun(page);
  const accountHash = await firstAccountHash(page);

  const found: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const p of PAGES) {
      await page.goto(`/${p.hash || accountHash}`);
      await p.ready(page);
      found.push(...(await seriousViolations(page, `${p.name} (${colorScheme})`)));
    }
  }
  expect(found, found.join("\n")).toEqual([]);
});
