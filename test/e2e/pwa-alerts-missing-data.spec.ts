import { expect, type Page, test } from "@playwright/test";
import { emptyStore, importCsv } from "../support/pwa.ts";

/**
 * Issue 16, item 5: an accounts file imported before its observations gives accounts with no score yet. Missing
 * data says nothing about health, so no alert may be judged on it ("Renews … while the score is no score"), and none
 * may stay once the data comes. Its own context, so its own store.
 */

test.setTimeout(300_000);

/** A local calendar day `offset` days from today, as YYYY-MM-DD (the app's as-of day is a local day). */
function dayFromToday(offset: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Every alert the inbox lists, open or snoozed, as text. */
async function inbox(page: Page): Promise<string[]> {
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Alerts/ })
    .click();
  await expect(page.getByRole("tab", { name: /^Open \(/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  // The list or its empty state, whichever the store gives.
  await expect(page.locator(".alert-item").or(page.getByText("No open alerts.")).first()).toBeVisible();
  return page.locator(".alert-item").allInnerTexts();
}

test("accounts imported before their data raise no alert on missing scores, and none is left once data comes", async ({
  page,
}) => {
  await emptyStore(page);

  // Three SMB accounts (the SMB scorecard's default rules alert a renewal within 30 days while not green), each
  // renewing within the next 30 days.
  const accounts = [
    "id,name,segment,arr,renewal_date",
    `rn-1,Renewco One,SMB,12000,${dayFromToday(10)}`,
    `rn-2,Renewco Two,SMB,15000,${dayFromToday(20)}`,
    `rn-3,Renewco Three,SMB,9000,${dayFromToday(25)}`,
  ].join("\n");
  await importCsv(page, "accounts.csv", accounts, /Vitals accounts file/, "Imported accounts.csv: 3 new accounts");

  const beforeData = await inbox(page);
  expect(beforeData.filter((text) => /no score|not enough data/i.test(text))).toEqual([]);
  expect(beforeData.filter((text) => /Renewco/.test(text) && /Renews/.test(text))).toEqual([]);

  // Then their data: 60 days of the usage and survey metrics the default scorecards read, up to today.
  const metrics = ["active_users", "logins", "key_events", "tickets", "nps", "csat"];
  const rows = ["account_id,metric,day,value"];
  for (const id of ["rn-1", "rn-2", "rn-3"]) {
    for (let back = 0; back < 60; back++) {
      for (const metric of metrics) rows.push(`${id},${metric},${dayFromToday(-back)},${8 + (back % 3)}`);
    }
  }
  await importCsv(page, "observations.csv", rows.join("\n"), /Vitals observations file/, "Imported observations.csv");

  // Scored now: whatever the scores are, no alert anywhere is judged on a missing score.
  await page.getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByText("3 of 3 accounts")).toBeVisible({ timeout: 60_000 });
  const afterData = await inbox(page);
  expect(afterData.filter((text) => /no score|not enough data/i.test(text))).toEqual([]);
  // A renewal alert now, if any, names a real score.
  for (const text of afterData.filter((t) => /Renews/.test(t))) expect(text).toMatch(/while the score is \d+/);
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("link", { name: "Renewco One", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Renewco One" })).toBeVisible();
  await expect(page.getByText(/while the score is no score/)).toHaveCount(0);
});
