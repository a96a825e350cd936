import { expect, test } from "@playwright/test";

/**
 * The CSM's actions on an account page: a rating of the factor the CSM picks (sentiment moves the score's factor;
 * relationship is kept), an override of the scorecard the CSM picks shown beside that computed score, and a note on
 * the timeline. The test has its own browser context, so its own empty store.
 */

// The first run creates, imports and scores 500 accounts with a year of data in the worker; a rating rescores them.
test.setTimeout(240_000);

test("a CSM rates the factor they pick, overrides the scorecard they pick and adds a note on an account", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("status").filter({ hasText: "Loading the demo portfolio" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });

  // An Enterprise account in its first 90 days: Onboarding (primary) and Enterprise renewal both apply, and both have
  // a CSM sentiment factor.
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByLabel("Segment").selectOption("Enterprise");
  await page.getByLabel("Stage").selectOption("onboarding");
  const link = page.locator(".accounts-table tbody tr a").first();
  const name = (await link.textContent()) ?? "";
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const primary = page.getByRole("region", { name: /^Onboarding \(first 90 days\)/ });
  const renewal = page.getByRole("region", { name: /^Enterprise renewal/ });
  await expect(primary.getByText("primary", { exact: true })).toBeVisible();
  await expect(renewal).toBeVisible();
  const sentimentRow = primary.getByRole("row", { name: /^CSM sentiment/ });
  await expect(sentimentRow).toBeVisible();

  await page.getByLabel("Your name").fill("Ana CSM");

  // Sentiment (the factor the scorecards use, offered first) 1 with a note: the factor's value becomes 1 once the
  // portfolio is rescored.
  const rating = page.getByRole("region", { name: "CSM rating" });
  const factor = rating.getByLabel("Factor");
  await expect(factor).toHaveValue("csm_sentiment");
  await expect(rating).toContainText("Counts in Onboarding (first 90 days), Enterprise renewal.");
  await rating.getByRole("radio", { name: "1 — very unhappy" }).check();
  await rating.getByLabel("Note").fill("Champion left the company");
  await rating.getByRole("button", { name: "Record rating" }).click();
  await expect(rating.getByRole("status")).toContainText("Sentiment 1 (very unhappy) recorded", {
    timeout: 120_000,
  });
  await expect(sentimentRow.getByRole("cell").first()).toHaveText("1");
  await expect(rating).toContainText("Latest: 1 (very unhappy)");
  await expect(rating).toContainText("Champion left the company");

  // The accounts table (whose rows the page kept from the visit before the rating) shows the account's new score.
  const points = (await primary.locator(".score-line .badge-points").first().textContent()) ?? "";
  await page.getByRole("link", { name: "← Accounts" }).click();
  await page.getByLabel("Search").fill(name);
  const tableRow = page.locator(".accounts-table tbody tr").filter({ has: page.getByRole("link", { name }) });
  await expect(tableRow.locator(".badge-points")).toHaveText(points);
  await tableRow.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // Relationship: its own words, kept though no scorecard of this account reads it; sentiment stays as rated.
  await factor.selectOption({ label: "Relationship" });
  await expect(rating).toContainText("No scorecard of this account uses it yet");
  await expect(rating).not.toContainText("Latest:");
  await rating.getByRole("radio", { name: "4 — good" }).check();
  await rating.getByRole("button", { name: "Record rating" }).click();
  await expect(rating.getByRole("status")).toContainText("Relationship 4 (good) recorded", { timeout: 120_000 });
  await expect(rating).toContainText("Latest: 4 (good)");
  await expect(sentimentRow.getByRole("cell").first()).toHaveText("1");
  await factor.selectOption({ label: "Sentiment" });
  await expect(rating).toContainText("Latest: 1 (very unhappy)");

  // An override without a reason is refused in words next to the form; with one, it shows beside the score of the
  // scorecard picked (here not the primary one), with that scorecard's grades to choose from.
  const override = page.getByRole("region", { name: "Override" });
  await expect(override.getByLabel("Scorecard")).toHaveValue("onboarding");
  await override.getByLabel("Scorecard").selectOption({ label: "Enterprise renewal" });
  await expect(override.getByRole("button", { name: "Set override on Enterprise renewal" })).toBeVisible();
  await override.getByLabel("Score (0–100)").fill("35");
  await override.getByRole("button", { name: /^Set override/ }).click();
  await expect(override.getByRole("alert")).toContainText("an override needs a reason");
  await expect(override.getByLabel("Reason (required)")).toHaveAttribute("aria-invalid", "true");
  await expect(override.getByRole("alert")).toContainText("Reason: an override needs a reason");
  await override.getByLabel("Reason (required)").fill("Legal review blocks the renewal");
  await override.getByRole("button", { name: /^Set override/ }).click();
  await expect(override.getByRole("status").last()).toContainText(/Override saved until \S+ on Enterprise renewal/);
  await expect(override.getByRole("alert")).toHaveCount(0);
  await expect(override).toContainText("35 points on Enterprise renewal until");
  await expect(renewal.getByRole("note")).toContainText("Overridden by Ana CSM");
  await expect(renewal.getByRole("note")).toContainText("35 points");
  await expect(renewal.getByRole("note")).toContainText("Legal review blocks the renewal");
  await expect(primary.getByRole("note")).toHaveCount(0);
  // The computed score is still there beside it.
  await expect(renewal.getByRole("img", { name: /points, grade [A-D]/ })).toBeVisible();

  // A note on the timeline.
  const notes = page.getByRole("region", { name: "Notes" });
  await notes.getByLabel("New note").fill("QBR booked for next month");
  await notes.getByRole("button", { name: "Add note" }).click();
  await expect(notes.getByRole("status")).toContainText("Note added");
  const timeline = notes.getByRole("list", { name: /Timeline of notes/ });
  await expect(timeline.getByRole("listitem").first()).toContainText("QBR booked for next month");
  await expect(timeline.getByRole("listitem").first()).toContainText("Ana CSM");

  // Removing the override (with the button beside the score) takes it off the score.
  await renewal.getByRole("button", { name: /^Remove the override on / }).click();
  await expect(renewal.getByRole("status")).toContainText("Override removed");
  await expect(renewal.getByRole("note")).toHaveCount(0);
  await expect(override.getByRole("button", { name: /^Remove the override/ })).toHaveCount(0);
});
