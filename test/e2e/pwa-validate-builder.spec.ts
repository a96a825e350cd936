import { expect, test } from "@playwright/test";
import { firstRun } from "../support/pwa.ts";

/**
 * The scorecard builder and the alert rules on the Validate page, in Chromium, on the demo portfolio (its churns and
 * renewals are recorded on first run): a validation cancelled and run again; the card, the suggestion and the
 * reference side by side; fitted points; the alert rules' precision, recall and lead time; a discovered factor added
 * from the keyboard; red chosen by purpose; and "Apply to a new draft" opening a new scorecard marked as a
 * suggestion, which only Save keeps.
 */

// The first run creates, imports and scores 500 accounts with a year of data (a minute or more under load).
test.setTimeout(420_000);

const AUC = /^(0\.\d{3}|1\.000)$/;

test("the builder: AUCs side by side, fitted points, alerts proven, a factor added, red by purpose, applied as a new draft", async ({
  page,
}) => {
  page.on("dialog", (dialog) => void dialog.accept());
  await firstRun(page);
  await page.goto("/#/scorecards/adoption-smb/validate");
  await expect(page.getByRole("heading", { level: 1, name: "Validate “Adoption (SMB)”" })).toBeVisible();

  // A long run shows its progress and stops on Cancel; "Run it again" runs it.
  const status = page.getByRole("status").filter({ hasText: "Validating" });
  await expect(status).toBeVisible({ timeout: 60_000 });
  await expect(status.getByRole("progressbar")).toBeAttached();
  await status.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("The validation was cancelled.")).toBeVisible();
  await page.getByRole("button", { name: "Run it again" }).click();

  // Side by side, out of sample, to 3 decimals.
  const builder = page.getByRole("region", { name: "Scorecard builder" });
  await expect(builder.getByTestId("builder-auc-suggested")).toHaveText(AUC, { timeout: 180_000 });
  const auc = async (id: string) => Number(await builder.getByTestId(id).textContent());
  for (const id of ["current", "weights", "fitted", "suggested", "reference"]) {
    await expect(builder.getByTestId(`builder-auc-${id}`)).toHaveText(AUC);
  }
  // Fitted points on the same folds do at least about as well as the hand-made weights.
  expect(await auc("builder-auc-fitted")).toBeGreaterThan((await auc("builder-auc-current")) - 0.05);
  const fitted = builder.getByRole("table", { name: "Your scorecard's factors with points fitted to the outcomes" });
  await expect(fitted.getByRole("row", { name: /^Days since last login/ })).toContainText("→");

  // The alert rules against the outcomes: one row per default rule and one for any of them.
  const alerts = page.getByRole("region", { name: "Alert rules against the outcomes" });
  const table = alerts.getByRole("table", { name: "Alert rules: precision, recall and lead time" });
  await expect(table.getByRole("row")).toHaveCount(1 + 4 + 1);
  await expect(table.getByRole("row", { name: /^Any of these rules/ })).toContainText(/\d+ of \d+/);
  await expect(table.getByRole("row", { name: /^Score entered the red band/ })).toContainText(/\d+ days/);

  // A factor the card leaves out, added from the keyboard.
  const addButtons = builder.getByRole("button", { name: /^Add .+ to the draft$/ });
  await expect(addButtons.first()).toBeVisible();
  const name = (await addButtons.first().getAttribute("aria-label")) as string;
  const label = /^Add (.+) to the draft$/.exec(name)?.[1] as string;
  await addButtons.first().focus();
  await page.keyboard.press("Enter");
  const remove = builder.getByRole("button", { name: `Remove ${label} from the draft` });
  await expect(remove).toHaveAttribute("aria-pressed", "true");
  await expect(builder.getByTestId("builder-draft")).toContainText(`you added ${label}`);

  // Red by purpose: the 10% most at risk, with its trade-off.
  const purpose = builder.getByRole("radio", { name: /red = the 10% most at risk/ });
  await purpose.check();
  const row = builder.getByRole("row", { name: /red = the 10% most at risk/ });
  const redBelow = (await row.getByRole("cell").first().textContent())?.trim() as string;
  await expect(builder.getByTestId("builder-draft")).toContainText(
    `Red below ${redBelow} (red = the 10% most at risk)`,
  );

  // Applied: a new scorecard marked as a suggestion, with the added factor and red where the purpose put it.
  await builder.getByRole("button", { name: "Apply to a new draft" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^New scorecard/ })).toBeVisible();
  await expect(page.getByText("Suggested by validation of Adoption (SMB), not saved.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(/^Adoption \(SMB\) \(suggested: /);
  await expect(page.getByLabel("Id", { exact: true })).toHaveValue("adoption-smb-suggested");
  await expect(page.getByRole("group", { name: `: ${label} —` }).first()).toBeVisible();
  await page.getByRole("button", { name: "Save the new scorecard" }).click();
  await expect(page.getByText("Saved as version 1; every score was recomputed.")).toBeVisible({ timeout: 180_000 });
  await page.getByRole("link", { name: "← Scorecards" }).click();
  await expect(page.getByRole("row", { name: /^Adoption \(SMB\) \(suggested: / })).toBeVisible();
  // The scorecard it came from is untouched.
  await expect(page.getByRole("row", { name: /^Adoption \(SMB\) / }).first()).toBeVisible();
});
