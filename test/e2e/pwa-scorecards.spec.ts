import { expect, type Page, test } from "@playwright/test";
import { firstRun } from "../support/pwa.ts";

/**
 * The scorecard manager in Chromium: a scorecard built from scratch with the live preview following each change, a
 * default scorecard's band and weight edited and saved as a version then reverted, problems shown by JSON path, and
 * a duplicate saved then deleted. Each test has its own browser context, so its own store and first run.
 */

// The first run creates, imports and scores 500 accounts with a year of data (a minute or more under CI load);
// each save, revert and delete rescores them.
test.setTimeout(300_000);

const toNumber = (text: string | null) => Number((text ?? "").replace(/[,+±]/g, "").replace("−", "-"));

/** The saved and draft account counts of one band (by grade) in the live preview. */
async function band(page: Page, grade: string) {
  const row = page
    .getByRole("table", { name: "Accounts by band" })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${grade} ·`) }) });
  const cells = await row.getByRole("cell").allTextContents();
  return { saved: toNumber(cells[0] ?? null), draft: toNumber(cells[1] ?? null) };
}

/** The draft's account count in every band, in order, as one string. */
const draftBands = async (page: Page) =>
  (
    await page.getByRole("table", { name: "Accounts by band" }).locator("tbody tr td:nth-child(3)").allTextContents()
  ).join(" ");

/** Waits until the preview has answered for the draft as it is now. */
async function previewSettled(page: Page) {
  await expect(page.getByText(/^Scores as of \d{4}-\d{2}-\d{2}, computed in \d+ ms\.$/)).toBeVisible({
    timeout: 30_000,
  });
}

test("a scorecard built from scratch: the preview follows each change, and the saved scorecard is listed", async ({
  page,
}) => {
  await firstRun(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Scorecards" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Scorecards" })).toBeVisible();
  await page.getByRole("link", { name: "New scorecard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New scorecard" })).toBeVisible();

  await page.getByLabel("Name", { exact: true }).fill("Login pulse");
  await page.getByLabel("Id", { exact: true }).fill("login-pulse");
  const first = page.getByRole("group", { name: /^Factor 1:/ });
  await first.getByLabel("Label", { exact: true }).fill("Logins");
  await first.getByLabel("Metric", { exact: true }).fill("logins");
  await first.getByLabel("Aggregation").selectOption("count");
  await first.getByLabel("Window (days)").fill("30");
  await first.getByLabel("Worst (no points)").fill("0");
  await first.getByLabel("Best (all points)").fill("5");
  // The rule's own preview: halfway between worst and best earns half the factor's points.
  await expect(first.getByRole("table", { name: "Value → points" })).toContainText("2.5");

  await previewSettled(page);
  // A new scorecard has no saved side: every account it applies to moves from "not scored" to a grade.
  await expect(page.getByRole("heading", { name: /^Accounts that would change grade \(500\)$/ })).toBeVisible();
  const easy = await band(page, "A");
  expect(easy.draft).toBeGreaterThan(0);

  // A harder target: far fewer accounts reach A.
  await first.getByLabel("Best (all points)").fill("60");
  await expect.poll(async () => (await band(page, "A")).draft, { timeout: 30_000 }).toBeLessThan(easy.draft);

  // A second factor splits the points: each weight of 10 is 50 of 100 points, shown as they are typed.
  await page.getByRole("button", { name: "Add a factor" }).click();
  const second = page.getByRole("group", { name: /^Factor 2:/ });
  await second.getByLabel("Label", { exact: true }).fill("Key events");
  await second.getByLabel("Metric", { exact: true }).fill("key_events");
  await second.getByLabel("Aggregation").selectOption("sum");
  await second.getByLabel("Best (all points)").fill("100");
  await expect(page.getByRole("group", { name: /^Factor 1: Logins — 50 of 100 points/ })).toBeVisible();
  await second.getByLabel("Weight").fill("30");
  await expect(page.getByRole("group", { name: /^Factor 1: Logins — 25 of 100 points/ })).toBeVisible();
  await expect(page.getByRole("group", { name: /^Factor 2: Key events — 75 of 100 points/ })).toBeVisible();
  // Reorder by keyboard: the focus follows the factor (to the other button when one end is reached).
  await page.getByRole("button", { name: "Move Key events up" }).click();
  await expect(page.getByRole("group", { name: /^Factor 1: Key events/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Move Key events down" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("group", { name: /^Factor 1: Logins/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Move Key events up" })).toBeFocused();
  await previewSettled(page);

  await page.getByLabel("What changed").fill("First version");
  await page.getByRole("button", { name: "Save the new scorecard" }).click();
  await expect(page).toHaveURL(/#\/scorecards\/login-pulse$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: /Edit Login pulse\s+version 1/ })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 1" })).toBeVisible();
  // Saved, the draft is the saved scorecard: the preview shows no change.
  await previewSettled(page);
  await expect(page.getByRole("heading", { name: "Accounts that would change grade (0)" })).toBeVisible();
  // The first save's message came in the address (?saved=1), which the editor took back: a reload does not repeat it.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: /Edit Login pulse\s+version 1/ })).toBeVisible();
  await expect(page.getByText("Saved as version 1")).toHaveCount(0);

  await page.getByRole("link", { name: "← Scorecards" }).click();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Login pulse", exact: true }) });
  await expect(row).toContainText("2: Logins, Key events");
  await expect(row).toContainText("Every account");
  await expect(row.getByRole("cell").nth(3)).toHaveText("1");
});

test("a default scorecard's band and weight edited: band counts move in the preview, save keeps a version, revert restores it", async ({
  page,
}) => {
  await firstRun(page);
  await page.goto("/#/scorecards");
  await page.getByRole("link", { name: "Adoption (SMB)", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Edit Adoption \(SMB\)\s+version 1/ })).toBeVisible();
  await previewSettled(page);
  const before = await band(page, "B");
  expect(before.draft).toBe(before.saved);
  expect(before.saved).toBeGreaterThan(0);
  await expect(page.getByRole("heading", { name: "Accounts that would change grade (0)" })).toBeVisible();

  // B from 65 to 75 points: the accounts from 65 to 74 fall to C.
  await page.getByLabel("Band 2: from (points)").fill("75");
  await expect.poll(async () => (await band(page, "B")).draft, { timeout: 30_000 }).toBeLessThan(before.saved);
  const after = await band(page, "B");
  const c = await band(page, "C");
  expect(c.draft - c.saved).toBe(before.saved - after.draft);
  await expect(
    page.getByRole("heading", { name: `Accounts that would change grade (${before.saved - after.draft})` }),
  ).toBeVisible();
  const changed = page
    .getByRole("list", { name: /Accounts that would change grade/ })
    .getByRole("listitem")
    .first();
  await expect(changed).toContainText("B · Good");
  await expect(changed).toContainText("C · Watch");
  await expect(changed.getByRole("link")).toHaveAttribute("href", /^#\/accounts\/demo-/);

  // A weight: 40 of a total of 120 is 33.3 points, live, and the band counts move with the scores.
  const bandsBefore = await draftBands(page);
  await page
    .getByRole("group", { name: /^Factor 1:/ })
    .getByLabel("Weight")
    .fill("40");
  await expect(page.getByRole("group", { name: /^Factor 1: License utilization — 33.3 of 100 points/ })).toBeVisible();
  await expect(page.getByText("unsaved changes")).toBeVisible();
  await expect.poll(() => draftBands(page), { timeout: 30_000 }).not.toBe(bandsBefore);
  const draftB = (await band(page, "B")).draft;

  await page.getByLabel("What changed").fill("Stricter B, more weight on seats");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 2" })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: /version 2/ })).toBeVisible();
  // What the draft showed is now the saved scorecard's, and nothing is left to change.
  await expect.poll(async () => (await band(page, "B")).saved, { timeout: 30_000 }).toBe(draftB);
  await expect(page.getByRole("heading", { name: "Accounts that would change grade (0)" })).toBeVisible();
  const versions = page.getByRole("region", { name: "Versions" });
  await expect(versions.getByRole("row").nth(1)).toContainText("Stricter B, more weight on seats");
  await expect(versions.getByRole("row").nth(1)).toContainText("live");
  await expect(versions.getByRole("row").nth(2)).toContainText("Default scorecard");

  await page.getByRole("link", { name: "← Scorecards" }).click();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Adoption (SMB)", exact: true }) });
  await expect(row.getByRole("cell").nth(3)).toHaveText("2");

  await row.getByRole("link", { name: "Edit Adoption (SMB)" }).click();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Revert to version 1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Version 1 is live again, as version 3" })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByLabel("Band 2: from (points)")).toHaveValue("65");
  await expect(page.getByRole("group", { name: /^Factor 1: License utilization — 20 of 100 points/ })).toBeVisible();
  await expect.poll(async () => (await band(page, "B")).saved, { timeout: 30_000 }).toBe(before.saved);
  await expect(versions.getByRole("row").nth(1)).toContainText("Reverted to version 1");
});

test("problems are shown beside the form by JSON path, a refused save says why, leaving unsaved changes asks first, and a duplicate can be saved and deleted", async ({
  page,
}) => {
  await firstRun(page);
  await page.goto("/#/scorecards/onboarding");
  await previewSettled(page);
  const weight = page.getByRole("group", { name: /^Factor 1:/ }).getByLabel("Weight");
  await weight.fill("");
  await page.getByLabel("Band 4: from (points)").fill("5");
  const problems = page.getByRole("region", { name: /problems? to fix before saving/ });
  await expect(problems).toContainText("$.factors[0].weight");
  await expect(problems).toContainText("$.bands");
  await expect(problems).toContainText("bands must start at 0");
  await expect(weight).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("a number is needed here").first()).toBeVisible();
  await expect(page.getByText("The draft has problems to fix")).toBeVisible();
  // Going to a problem from the list focuses its field.
  await problems.getByRole("button", { name: "$.factors[0].weight" }).click();
  await expect(weight).toBeFocused();
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(problems.getByRole("alert")).toContainText("$.factors[0].weight");
  await expect(page.getByRole("heading", { level: 1, name: /version 1/ })).toBeVisible();

  // Leaving with unsaved changes asks first: by a link in the app, and by a hash change (typed, back, forward).
  const leave = page.getByRole("dialog", { name: "Leave without saving?" });
  const editorUrl = page.url();
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(leave).toBeVisible();
  await expect(leave).toContainText("changes to the scorecard Onboarding (first 90 days)");
  await leave.getByRole("button", { name: "Stay on this page" }).click();
  await expect(leave).toBeHidden();
  await expect(weight).toHaveValue("");
  await page.evaluate(() => {
    location.hash = "#/accounts";
  });
  await expect(leave).toBeVisible();
  expect(page.url()).toBe(editorUrl);
  await page.keyboard.press("Escape");
  await expect(leave).toBeHidden();
  await expect(page.getByLabel("Band 4: from (points)")).toHaveValue("5");
  // Leaving anyway loses the changes: the saved scorecard is as it was.
  await page.getByRole("link", { name: "Accounts" }).click();
  await leave.getByRole("button", { name: "Leave without saving" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Accounts" })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: /version 1/ })).toBeVisible();
  await expect(page.getByLabel("Band 4: from (points)")).toHaveValue("0");
  await expect(page.getByText("unsaved changes")).toHaveCount(0);
  // Discarding puts the saved scorecard back, and leaving then asks nothing.
  await page.getByLabel("Band 4: from (points)").fill("5");
  await expect(page.getByText("unsaved changes")).toBeVisible();
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your changes were discarded." })).toBeVisible();
  await expect(page.getByLabel("Band 4: from (points)")).toHaveValue("0");
  await page.getByRole("link", { name: "Scorecards", exact: true }).click();
  await expect(leave).toBeHidden();

  await page.goto("/#/scorecards");
  await page.getByRole("link", { name: "Duplicate Onboarding (first 90 days)" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Onboarding (first 90 days) (copy)");
  await expect(page.getByLabel("Id", { exact: true })).toHaveValue("onboarding-copy");
  await page.getByRole("group", { name: "Applies to" }).getByLabel("To day").fill("30");
  await page.getByLabel("What changed").fill("First month only");
  await page.getByRole("button", { name: "Save the new scorecard" }).click();
  await expect(page).toHaveURL(/#\/scorecards\/onboarding-copy$/, { timeout: 60_000 });
  await page.goto("/#/scorecards");
  await expect(page.getByRole("link", { name: "Onboarding (first 90 days) (copy)", exact: true })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "(copy)" })).toContainText("In the first 30 days as a customer");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete Onboarding (first 90 days) (copy)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "was deleted" })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("link", { name: "Onboarding (first 90 days) (copy)", exact: true })).toHaveCount(0);
  await expect(page.locator(".scorecards-table tbody tr")).toHaveCount(3);

  await page.goto("/#/scorecards/onboarding/print");
  await expect(
    page.getByRole("heading", { level: 1, name: "How the “Onboarding (first 90 days)” health score works" }),
  ).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Seats activated — 20 points." })).toContainText(
    "0.7 or more earns all 20",
  );

  // Closing the tab with unsaved changes gets the browser's own question.
  await page.goto("/#/scorecards/onboarding");
  await page.getByLabel("Band 4: from (points)").fill("5");
  await expect(page.getByText("unsaved changes")).toBeVisible();
  const asked = page.waitForEvent("dialog");
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe("beforeunload");
  await dialog.accept();
});
