import { readFileSync, writeFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { backupFrames as frames } from "./backup-file.ts";
import { PWA_URL } from "./chromium.ts";

/**
 * A backup is a backup (issue 17): a portfolio that uses every feature (a rating, an override, a note, a play started
 * on an alert and its tasks, a snoozed alert, a play edited, a scorecard's alert rules saved twice, a saved mapping)
 * is exported with **Export everything**, restored with **Replace** in a fresh browser profile (which has the demo
 * portfolio of its first run), and exported again there: the two files hold the same bytes but for the header's
 * export time. The replaced demo is kept until discarded.
 */

// The first run of each profile creates, imports and scores 500 accounts; ratings and rules rescore them.
test.setTimeout(900_000);

async function openApp(page: Page) {
  await page.goto(`${PWA_URL}/`);
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 240_000 });
}

async function exportEverything(page: Page, path: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data" }).click();
  const download = page.waitForEvent("download", { timeout: 300_000 });
  await page.getByRole("button", { name: "Export everything" }).click();
  await (await download).saveAs(path);
  await expect(page.getByRole("status").filter({ hasText: /^Saved vitals-backup-/ })).toBeVisible({ timeout: 60_000 });
}

test("a backup of a portfolio using every feature restores into a fresh browser and exports the same data", async ({
  page,
  browser,
}, testInfo) => {
  await openApp(page);
  const nav = page.getByRole("navigation", { name: "Main" });

  await test.step("an account: a rating, an override and a note", async () => {
    await nav.getByRole("link", { name: "Accounts" }).click();
    const link = page.locator(".accounts-table tbody tr a").first();
    const name = (await link.textContent()) ?? "";
    await link.click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await page.getByLabel("Your name").fill("Ana CSM");
    const rating = page.getByRole("region", { name: "CSM rating" });
    await rating.getByRole("radio", { name: /^2 — / }).check();
    await rating.getByLabel("Note").fill("Budget cut announced");
    await rating.getByRole("button", { name: "Record rating" }).click();
    await expect(rating.getByRole("status")).toContainText("recorded", { timeout: 180_000 });
    const override = page.getByRole("region", { name: "Override" });
    await override.getByLabel("Score (0–100)").fill("35");
    await override.getByLabel("Reason (required)").fill("Legal review blocks the renewal");
    await override.getByRole("button", { name: /^Set override/ }).click();
    await expect(override.getByRole("status").last()).toContainText(/Override saved until/, { timeout: 60_000 });
    const notes = page.getByRole("region", { name: "Notes" });
    await notes.getByLabel("New note").fill("QBR booked for next month");
    await notes.getByRole("button", { name: "Add note" }).click();
    await expect(notes.getByRole("status")).toContainText("Note added");
  });

  await test.step("alerts: a play started (its tasks), an alert snoozed", async () => {
    await nav.getByRole("link", { name: /^Alerts/ }).click();
    const items = page.locator(".alert-list > li");
    await expect(items.first()).toBeVisible({ timeout: 60_000 });
    await items.first().getByRole("button", { name: "Start play" }).click();
    await expect(page.getByRole("status").filter({ hasText: /^Started the play/ })).toBeVisible();
    await items.nth(1).getByRole("button", { name: "Snooze" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Snoozed until" })).toBeVisible();
    await expect(page.getByRole("tab", { name: /^Snoozed \(1\)/ })).toBeVisible();
  });

  await test.step("a play edited; a scorecard's alert rules saved twice", async () => {
    await page.goto(`${PWA_URL}/#/plays`);
    await page.getByRole("button", { name: "Edit Executive check-in" }).click();
    const form = page.getByRole("form", { name: 'Edit "Executive check-in"' });
    await form.getByRole("button", { name: "Add a step" }).click();
    await form.getByRole("textbox", { name: "Step 4" }).fill("Agree a recovery plan");
    await form.getByRole("button", { name: "Save play" }).click();
    await expect(page.getByRole("status").filter({ hasText: 'Saved the play "Executive check-in"' })).toBeVisible();
    await page.goto(`${PWA_URL}/#/alerts`);
    await page.getByRole("link", { name: "Alert rules" }).click();
    const card = page.getByRole("region", { name: "Adoption (SMB)" });
    await card.getByRole("spinbutton", { name: "Points" }).fill("40");
    await card.getByRole("button", { name: "Save rules" }).click();
    await expect(card.getByRole("status")).toContainText(/Saved as version 2/, { timeout: 180_000 });
    await card.getByRole("spinbutton", { name: "Points" }).fill("35");
    await card.getByRole("button", { name: "Save rules" }).click();
    await expect(card.getByRole("status")).toContainText(/Saved as version 3/, { timeout: 180_000 });
  });

  await test.step("a saved mapping", async () => {
    await nav.getByRole("link", { name: "Data" }).click();
    await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/csv/salesforce-accounts.csv");
    await page.getByLabel(/One row per account/).check();
    await page.getByLabel("in the column").selectOption("Account ID");
    await page.getByLabel("Dates look like").selectOption("MM/DD/YYYY");
    await page.getByLabel("What Account Name becomes").selectOption("field:name");
    await page.getByLabel("Save this mapping as").fill("Salesforce accounts");
    await page.getByRole("button", { name: "Save mapping" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: 'Saved the mapping "Salesforce accounts".' }),
    ).toBeVisible();
  });

  const first = testInfo.outputPath("first.vitals.gz");
  await exportEverything(page, first);
  const written = frames(first);
  const manifest = (written.at(-1)?.json ?? {}) as { counts: Record<string, number>; observations: number };
  // Every kind of thing the user made is in the file.
  for (const table of [
    "accounts",
    "yearBlocks",
    "manualInputs",
    "outcomes",
    "scorecards",
    "scorecardVersions",
    "alerts",
    "playTemplates",
    "tasks",
    "notes",
    "overrides",
    "imports",
    "mappings",
  ]) {
    expect(manifest.counts[table], table).toBeGreaterThan(0);
  }
  expect(manifest.counts.accounts).toBe(500);
  expect(manifest.observations).toBeGreaterThan(100_000);

  // A file cut short is refused whole, saying so; nothing changes (the restore form never opens).
  const cut = testInfo.outputPath("cut.vitals.gz");
  const bytes = readFileSync(first);
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await page.getByLabel("Import a bundle").setInputFiles(cut);
  await expect(page.getByRole("alert")).toContainText(
    /cut\.vitals\.gz cannot be restored: the file is damaged or cut short: .*; nothing was changed/,
    { timeout: 60_000 },
  );
  await expect(page.getByRole("region", { name: "Backup to restore" })).toHaveCount(0);

  // A fresh profile: its first run loads the demo, which the restore replaces.
  const context = await browser.newContext();
  try {
    const fresh = await context.newPage();
    await openApp(fresh);
    await fresh.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data" }).click();
    await fresh.getByLabel("Import a bundle").setInputFiles(first);
    const preview = fresh.getByRole("region", { name: "Backup to restore" });
    await expect(preview).toContainText(/backup version 2, exported .*, checked: 500 accounts/, { timeout: 120_000 });
    await preview.getByRole("radio", { name: /^Replace/ }).check();
    await preview.getByRole("button", { name: "Restore the backup" }).click();
    await expect(
      fresh.getByRole("status").filter({ hasText: /^Restored first\.vitals\.gz: 500 accounts/ }),
    ).toBeVisible({ timeout: 300_000 });
    const kept = fresh.getByRole("region", { name: "Data the restore replaced" });
    await expect(kept).toContainText("is kept in this browser until you discard it");

    const second = testInfo.outputPath("second.vitals.gz");
    await exportEverything(fresh, second);
    const again = frames(second);
    // The header differs by its export time only; every data frame and the manifest (counts, checksum) are equal.
    expect((again[0]?.json as { version?: number } | undefined)?.version).toBe(2);
    expect(again.slice(1).map((f) => f.json)).toEqual(written.slice(1).map((f) => f.json));
    expect(
      Buffer.concat(again.slice(1).map((f) => f.raw)).equals(Buffer.concat(written.slice(1).map((f) => f.raw))),
    ).toBe(true);

    await kept.getByRole("button", { name: "Discard it: the restored data is right" }).click();
    await expect(
      fresh.getByRole("status").filter({ hasText: "Discarded the backup of the replaced data." }),
    ).toBeVisible();
    await expect(kept).toHaveCount(0);
  } finally {
    await context.close();
  }
});
