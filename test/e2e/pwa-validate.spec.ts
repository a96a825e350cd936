import { expect, type Page, test } from "@playwright/test";
import { firstRun } from "../support/pwa.ts";

/**
 * Scorecard validation in Chromium, on the demo portfolio (whose churns and renewals are recorded on first run):
 * outcomes imported through the wizard with a rejected row shown by line and column, the Validate page's AUC and
 * churn by band, and a suggestion applied to a draft that the editor previews and never saves by itself.
 */

// The first run creates, imports and scores 500 accounts with a year of data (a minute or more under CI load).
test.setTimeout(300_000);

/** An ISO day `days` before the demo's last day (today, where the demo ends). */
function daysAgo(days: number): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() - days));
  return d.toISOString().slice(0, 10);
}

/** The number of outcomes the Validate page says are on record. */
async function outcomesOnRecord(page: Page): Promise<number> {
  const text = await page.getByText(/outcomes? on record/).textContent({ timeout: 60_000 });
  return Number(/^([\d,]+) outcomes? on record/.exec(text ?? "")?.[1]?.replace(/,/g, "") ?? Number.NaN);
}

test("import outcomes, validate a scorecard, apply its suggestion to a draft: previewed, saved only by Save", async ({
  page,
}) => {
  // Leaving an editor with unsaved changes may ask first: leaving is what this test means to do.
  page.on("dialog", (dialog) => void dialog.accept());
  await firstRun(page);
  await page.goto("/#/scorecards/adoption-smb/validate");
  await expect(page.getByRole("heading", { level: 1, name: "Validate “Adoption (SMB)”" })).toBeVisible();
  const before = await outcomesOnRecord(page);
  expect(before).toBeGreaterThan(0);

  // A CRM export of outcomes in its own words: two good rows, an unknown account and a word that is no outcome.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data" }).click();
  const csv = [
    "Account,Closed on,Result",
    `demo-0001,${daysAgo(5)},Closed Lost`,
    `demo-0002,${daysAgo(6)},renewed`,
    `nobody-here,${daysAgo(6)},churned`,
    `demo-0003,${daysAgo(7)},paused`,
    "",
  ].join("\n");
  await page
    .getByLabel("CSV file", { exact: true })
    .setInputFiles({ name: "crm-outcomes.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByLabel(/^Outcomes \(churned, renewed/).check();
  await page.getByLabel("in the column").selectOption("Account");
  await page.getByLabel("Day column").selectOption("Closed on");
  await page.getByLabel("Outcome column").selectOption("Result");
  await page.getByLabel("Also means churned (comma-separated)").fill("Closed Lost");
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report.getByRole("row", { name: /Outcomes new/ })).toContainText("2", { timeout: 60_000 });
  await expect(report.getByRole("row", { name: /Rows rejected/ })).toContainText("2");
  const rejects = report.locator("table.rejects tbody tr");
  await expect(rejects).toHaveCount(2);
  await expect(rejects.nth(0)).toHaveText(/^4\s*Account\s*no account with id "nobody-here"$/);
  await expect(rejects.nth(1)).toHaveText(
    /^5\s*Result\s*"paused" is not an outcome: use churned, renewed, expanded or downgraded \(or "Closed Lost"\)$/,
  );
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported crm-outcomes.csv" })).toContainText("2 outcomes", {
    timeout: 100_000,
  });

  // The Validate page, from the scorecard list: the new outcomes are on record, and the report is there.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Scorecards" }).click();
  await page.getByRole("link", { name: "Validate Adoption (SMB)" }).click();
  await expect.poll(() => outcomesOnRecord(page), { timeout: 60_000 }).toBe(before + 2);
  const auc = Number(await page.getByTestId("auc").textContent({ timeout: 120_000 }));
  expect(auc).toBeGreaterThan(0.5);
  expect(auc).toBeLessThanOrEqual(1);
  await expect(
    page.getByText(new RegExp(`^An AUC of ${auc.toFixed(3)} means: pick a churned and a retained`)),
  ).toBeVisible();
  const bands = page.getByRole("table", { name: "Churn rate per band" });
  await expect(bands.getByRole("row")).toHaveCount(6); // header, A–D, not enough data
  await expect(bands.getByRole("row", { name: /^D · At risk/ })).toContainText(/\d+%|no accounts/);
  await expect(page.getByRole("img", { name: /^ROC curve with an area of/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Missed: churned while green/ })).toBeVisible();
  // Each listed account links to its page.
  const missed = page.getByRole("region", { name: /^Missed: churned while green/ });
  if ((await missed.getByRole("link").count()) > 0) {
    await expect(missed.getByRole("link").first()).toHaveAttribute("href", /^#\/accounts\/demo-\d{4}$/);
  }
  await expect(page.getByTestId("cv-current")).toHaveText(/^0\.\d{3}$|^1\.000$/);

  // Another horizon is another validation.
  await page.getByLabel("Score each account").selectOption("30");
  await expect(
    page.getByText(/were in a red band 30 days before their outcome|No churned account had a score/),
  ).toBeVisible({
    timeout: 120_000,
  });
  await page.getByLabel("Score each account").selectOption("90");
  await expect(page.getByText(/90 days before their outcome/).first()).toBeVisible({ timeout: 120_000 });

  // Apply to a draft: the editor opens with the suggestion unsaved, and the preview shows the bands moving.
  await page.getByRole("button", { name: "Apply to a draft" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Edit Adoption \(SMB\)/ })).toContainText("version 1");
  await expect(page.getByText("Suggested by validation, not saved.")).toBeVisible();
  await expect(page.getByText("unsaved changes", { exact: true })).toBeVisible();
  await expect(page.getByText(/^Scores as of \d{4}-\d{2}-\d{2}, computed in \d+ ms\.$/)).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole("heading", { name: /^Accounts that would change grade \([1-9][\d,]*\)$/ })).toBeVisible();
  const changes = await page
    .getByRole("table", { name: "Accounts by band" })
    .locator("tbody tr td:nth-child(4)")
    .allTextContents();
  expect(changes.some((c) => c.trim() !== "±0")).toBe(true);

  // Nothing was saved: leaving asks first (the suggestion is an unsaved change), the list still has version 1, and
  // the editor opened again shows the saved scorecard.
  await page.getByRole("link", { name: "← Scorecards" }).click();
  await page
    .getByRole("dialog", { name: "Leave without saving?" })
    .getByRole("button", { name: "Leave without saving" })
    .click();
  const row = page.getByRole("row", { name: /^Adoption \(SMB\)/ });
  await expect(row.getByRole("cell").nth(3)).toHaveText("1");
  await page.getByRole("link", { name: "Edit Adoption (SMB)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Edit Adoption \(SMB\)/ })).toBeVisible();
  await expect(page.getByText("unsaved changes", { exact: true })).toBeHidden();
  await expect(page.getByText("Suggested by validation, not saved.")).toBeHidden();

  // Applied again and saved: only Save makes it version 2.
  await page.getByRole("link", { name: "Validate against outcomes" }).click();
  await page.getByRole("button", { name: "Apply to a draft" }).click({ timeout: 120_000 });
  await expect(page.getByText("Suggested by validation, not saved.")).toBeVisible();
  await page.getByLabel("What changed (kept with the version)").fill("Weights suggested by validation");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByText("Saved as version 2; every score was recomputed.")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText("Suggested by validation, not saved.")).toBeHidden();
});

test("without outcomes the Validate page says what to import and links to the Data page", async ({ page }) => {
  test.setTimeout(480_000);
  await firstRun(page);
  await page.getByRole("button", { name: "Clear demo data" }).click();
  // Deleting the demo's 30,000-odd blocks and rescoring can take minutes on a loaded machine.
  await expect(page.getByRole("heading", { name: "No accounts yet" })).toBeVisible({ timeout: 240_000 });
  await page.goto("/#/data");
  // An accounts file of its own, so the app has a portfolio to show pages for.
  await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/cli/accounts.csv");
  await page.getByLabel(/Vitals accounts file/).check();
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported accounts.csv" })).toBeVisible({
    timeout: 100_000,
  });
  await page.goto("/#/scorecards/adoption-smb/validate");
  await expect(page.getByRole("heading", { name: "No outcomes yet" })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText("account_id,day,kind")).toBeVisible();
  await page.getByRole("link", { name: "Go to the Data page" }).click();
  await expect(page.getByRole("heading", { name: "Import a CSV file" })).toBeVisible();
});
