import { expect, test } from "@playwright/test";
import { emptyStore, importCsv } from "../support/pwa.ts";

/**
 * A churn-events export on the Validate page (issue 13, section 4): it lists only the accounts that churned, so
 * left as it is there is no AUC and the page says why and names the control that fixes it; counting the accounts
 * with no churn event as stayed gives an AUC, and the page says in a sentence what was assumed.
 */

// Clearing the demo's 500 accounts and rescoring takes minutes under CI load.
test.setTimeout(480_000);

test("a churn-only outcomes file: no AUC and how to fix it; counting the others as stayed gives one", async ({
  page,
}) => {
  await emptyStore(page);

  // Eight SMB accounts: three neglected ones churn, five healthy ones are in no outcome row.
  const ids = ["h01", "h02", "h03", "h04", "h05", "h06", "h07", "h08"];
  const churned = new Set(["h01", "h02", "h03"]);
  await importCsv(
    page,
    "accounts.csv",
    `id,name,segment\n${ids.map((id) => `${id},Account ${id},SMB\n`).join("")}`,
    /Vitals accounts file/,
  );
  const observations = ids.flatMap((id) => {
    const bad = churned.has(id);
    return [
      `${id},logins,${bad ? "2025-02-05" : "2025-03-02"},1`,
      `${id},nps,2025-02-20,${bad ? 1 : 10}`,
      `${id},csat,2025-02-20,${bad ? 1 : 5}`,
      `${id},invoice_days_overdue,2025-02-20,${bad ? 60 : 0}`,
    ];
  });
  await importCsv(
    page,
    "observations.csv",
    `account_id,metric,day,value\n${observations.join("\n")}\n`,
    /Vitals observations file/,
  );
  await importCsv(
    page,
    "churn-events.csv",
    `account_id,day,kind\n${[...churned].map((id) => `${id},2025-06-01,churned\n`).join("")}`,
    /^Outcomes \(churned, renewed/,
  );

  await page.goto("/#/scorecards/adoption-smb/validate");
  await expect(page.getByText(/^3 outcomes on record/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("auc")).toHaveText("—", { timeout: 120_000 });
  const note = page.getByTestId("auc-note");
  await expect(note).toContainText("every scored account with an outcome churned (3)");
  await expect(note).toContainText('on the Validate page, "Accounts with no outcome in the period": stayed');

  // The control the note names, by its label, with the choice it names.
  const control = page.getByLabel("Accounts with no outcome in the period");
  await control.focus();
  await control.selectOption({ label: "stayed (no churn event means they stayed)" });
  await expect(page.getByTestId("auc")).toHaveText("1.000", { timeout: 120_000 });
  await expect(page.getByTestId("inferred")).toHaveText(
    /^Accounts with no outcome row from 2025-06-01 to 2025-06-01 stayed \(no churn event in the period\): 5 accounts/,
  );
  await expect(page.getByTestId("auc-note")).toBeHidden();

  // A period of its own: typed into the day inputs, it is the period the sentence names.
  await page.getByLabel("Period from").fill("2025-05-01");
  await page.getByLabel("Period to").fill("2025-06-30");
  await expect(page.getByTestId("inferred")).toHaveText(
    /^Accounts with no outcome row from 2025-05-01 to 2025-06-30 stayed/,
    {
      timeout: 120_000,
    },
  );
});
