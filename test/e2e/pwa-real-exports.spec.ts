import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import Papa from "papaparse";

/**
 * Issue 13's "done when", in the app: the real-shaped exports of test/fixtures/real-exports (a CRM accounts export
 * with m/d/yyyy dates and TRUE/FALSE, a billing subscriptions export pairing account and subscription ids, feature
 * usage keyed by subscription_id, help-desk tickets, invoices, churn events; data ending 2024-12-31) go through
 * the import wizard from a cleared store, each with the wizard's guesses plus at most one correction, counted here.
 * Then every account is scored as of the data's last day (not today), and Validate runs on the churn events.
 */

// Clearing the demo (30,000-odd blocks) and six imports with rescoring take minutes on a loaded machine.
test.setTimeout(600_000);

const R = "test/fixtures/real-exports";
const DATA_END = "2024-12-31";

/** The corrections made to the wizard's guesses, per file: every change a CSM makes goes through `correct`. */
const corrections: Record<string, string[]> = {};
async function correct(file: string, what: string, act: () => Promise<unknown>) {
  corrections[file] = [...(corrections[file] ?? []), what];
  await act();
}

/** Chooses a fixture, checks it with the wizard's guesses (and the corrections `fix` makes), imports it. */
async function importFile(page: Page, name: string, expected: RegExp, fix: () => Promise<void> = async () => {}) {
  corrections[name] = [];
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(`${R}/${name}`);
  await expect(
    page.getByRole("heading", { name: new RegExp(`First rows of ${name.replace(".", "\\.")}`) }),
  ).toBeVisible();
  await fix();
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report).toBeVisible({ timeout: 100_000 });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const status = page.getByRole("status").filter({ hasText: name });
  await expect(status).toContainText(expected, { timeout: 150_000 });
  expect(await status.textContent()).not.toMatch(/Nothing imported/);
}

test("real-shaped exports: guessed with at most one correction per file, every account scored as of the data's end, validated", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 200_000 });
  await page.getByRole("button", { name: "Clear demo data" }).click();
  await expect(page.getByRole("heading", { name: "No accounts yet" })).toBeVisible({ timeout: 240_000 });
  await page.getByRole("link", { name: "Data" }).click();

  // Accounts: one row per account by Account ID, MM/DD/YYYY from the values, fields by their names; nothing to fix.
  await importFile(page, "accounts.csv", /Imported accounts\.csv: 40 new accounts/, async () => {
    await expect(page.getByLabel(/One row per account/)).toBeChecked();
    await expect(page.getByLabel("in the column")).toHaveValue("Account ID");
    await expect(page.getByLabel("Dates look like")).toHaveValue("MM/DD/YYYY");
    await expect(page.getByLabel("What Renewal Date becomes")).toHaveValue("field:renewalDate");
  });

  // Subscriptions: the one correction is saying what the file is; the link column and its kind are guessed.
  await importFile(page, "subscriptions.csv", /Imported subscriptions\.csv: .*60 new links to accounts/, async () => {
    await correct("subscriptions.csv", "what the file holds: ids of another kind", () =>
      page.getByLabel(/Ids of another kind for each account/).check(),
    );
    await expect(page.getByLabel("Ids of another kind in the column")).toHaveValue("Subscription ID");
    await expect(page.getByLabel("Kind of id")).toHaveValue("subscription");
  });

  // Usage keyed by subscription_id: one row per value, named by a subscription id; its first 500 rows are all in
  // early October (every day ≤ 12), so the date format is asked: the one correction.
  await importFile(page, "feature-usage.csv", /Imported feature-usage\.csv/, async () => {
    await expect(page.getByLabel(/One row per value/)).toBeChecked();
    await expect(page.getByLabel("Accounts are named by")).toHaveValue("externalId");
    await expect(page.getByLabel(/^System or id kind/)).toHaveValue("subscription");
    await expect(page.getByLabel("in the column")).toHaveValue("subscription_id");
    await expect(page.getByLabel("Metric name column")).toHaveValue("metric_name");
    await expect(page.getByLabel("Value column")).toHaveValue("metric_value");
    await correct("feature-usage.csv", "date format MM/DD/YYYY", () =>
      page.getByLabel("Dates look like").selectOption("MM/DD/YYYY"),
    );
  });

  // Tickets and invoices: events, counted under the name the file gives; nothing to fix.
  await importFile(page, "support-tickets.csv", /Imported support-tickets\.csv/, async () => {
    await expect(page.getByLabel(/One row per event/)).toBeChecked();
    await expect(page.getByLabel("Day column")).toHaveValue("Created Date");
    await expect(page.getByRole("textbox", { name: "Metric name", exact: true })).toHaveValue("tickets");
    // One correction: also count the tickets that breached their SLA (the Enterprise scorecard reads sla_breaches),
    // one added metric: its name and which rows it counts.
    await correct("support-tickets.csv", "add the metric sla_breaches: rows where SLA Breached is TRUE", async () => {
      await page.getByRole("button", { name: "Add a metric" }).click();
      const added = page.locator(".filters.event").last();
      await added.getByRole("textbox", { name: "Metric name", exact: true }).fill("sla_breaches");
      await added.getByLabel("Only rows where").selectOption("SLA Breached");
      await added.getByLabel("is one of (comma-separated)").fill("TRUE");
    });
  });
  await importFile(page, "invoices.csv", /Imported invoices\.csv/, async () => {
    await expect(page.getByLabel(/One row per event/)).toBeChecked();
    await expect(page.getByLabel("Day column")).toHaveValue("Invoice Date");
    // Counted as invoices, and its number columns summed: the payments factor reads invoice_days_overdue.
    const names = page.getByRole("textbox", { name: "Metric name", exact: true });
    await expect(names).toHaveCount(3);
    expect(await names.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual([
      "invoices",
      "invoice_amount",
      "invoice_days_overdue",
    ]);
  });

  // Churn events: outcomes ("Churned" is a known word), dated by Event Date; nothing to fix.
  await importFile(page, "churn-events.csv", /Imported churn-events\.csv/, async () => {
    await expect(page.getByLabel(/^Outcomes \(churned, renewed/)).toBeChecked();
    await expect(page.getByLabel("Day column")).toHaveValue("Event Date");
    await expect(page.getByLabel("Outcome column")).toHaveValue("Event Type");
  });

  for (const [file, made] of Object.entries(corrections)) {
    expect(made.length, `${file}: ${made.join("; ")}`).toBeLessThanOrEqual(1);
  }
  console.log(`corrections: ${JSON.stringify(corrections)}`);

  // As of the data's last day, not today.
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.locator(".status-line")).toContainText(`Scores as of ${DATA_END}`, { timeout: 120_000 });

  // Every account is scored: the Accounts export has a score on every row.
  await page.getByRole("link", { name: "Accounts", exact: true }).click();
  await expect(page.getByText("40 of 40 accounts")).toBeVisible({ timeout: 60_000 });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  const rows = Papa.parse<Record<string, string>>(readFileSync((await download.path()) as string, "utf8"), {
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(rows).toHaveLength(40);
  const unscored = rows.filter((r) => r.score === "").map((r) => r.name);
  expect(unscored).toEqual([]);
  console.log(`scored: ${rows.length - unscored.length} of ${rows.length}`);

  // Validate on the churn events: the four churned accounts are the Enterprise renewal scorecard's.
  await page.goto("/#/scorecards/enterprise-renewal/validate");
  await expect(page.getByRole("heading", { level: 1, name: "Validate “Enterprise renewal”" })).toBeVisible();
  await expect(page.getByText(/4 outcomes? on record/)).toBeVisible({ timeout: 60_000 });
  // A churn-events export lists only the churned: alone, no AUC; the accounts with no churn event stayed give one.
  const auc = page.getByTestId("auc");
  await expect(auc).toHaveText("—", { timeout: 120_000 });
  await page
    .getByLabel("Accounts with no outcome in the period")
    .selectOption({ label: "stayed (no churn event means they stayed)" });
  await expect(auc).toHaveText(/^(0\.\d{3}|1\.000)$/, { timeout: 120_000 });
  await expect(page.getByTestId("inferred")).toContainText(
    "Accounts with no outcome row from 2025-03-03 to 2025-03-24 stayed (no churn event in the period)",
  );
  console.log(`validate: ${(await auc.textContent())?.replace(/\s+/g, " ")}`);
});
