import { expect, test } from "@playwright/test";

/**
 * The CSM's actions on an account page: a sentiment rating that moves the score's factor, an override shown beside
 * the computed score, and a note on the timeline. The test has its own browser context, so its own empty store.
 */

// The first run creates, imports and scores 500 accounts with a year of data in the worker; a rating rescores them.
test.setTimeout(240_000);

test("a CSM records sentiment, overrides the score and adds a note on an account", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("status").filter({ hasText: "Loading the demo portfolio" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });

  // An Enterprise account: its scorecards have a CSM sentiment factor.
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByLabel("Segment").selectOption("Enterprise");
  const link = page.locator(".accounts-table tbody tr a").first();
  const name = (await link.textContent()) ?? "";
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const primary = page.locator("section.card").first();
  const sentimentRow = primary.getByRole("row", { name: /^CSM sentiment/ });
  await expect(sentimentRow).toBeVisible();

  await page.getByLabel("Your name").fill("Ana CSM");

  // Sentiment 1 with a note: the factor's value becomes 1 once the portfolio is rescored.
  const sentiment = page.getByRole("region", { name: "CSM sentiment" });
  await sentiment.getByRole("radio", { name: "1 — very unhappy" }).check();
  await sentiment.getByLabel("Note").fill("Champion left the company");
  await sentiment.getByRole("button", { name: "Record sentiment" }).click();
  await expect(sentiment.getByRole("status")).toContainText("Sentiment 1 (very unhappy) recorded", {
    timeout: 120_000,
  });
  await expect(sentimentRow.getByRole("cell").first()).toHaveText("1");
  await expect(sentiment).toContainText("Latest: 1 (very unhappy)");
  await expect(sentiment).toContainText("Champion left the company");

  // An override without a reason is refused in words next to the form; with one, it shows beside the score.
  const override = page.getByRole("region", { name: "Override" });
  await override.getByLabel("Score (0–100)").fill("35");
  await override.getByRole("button", { name: /^Set override/ }).click();
  await expect(override.getByRole("alert")).toContainText("an override needs a reason");
  await expect(override.getByLabel("Reason (required)")).toHaveAttribute("aria-invalid", "true");
  await expect(override.getByRole("alert")).toContainText("Reason: an override needs a reason");
  await override.getByLabel("Reason (required)").fill("Legal review blocks the renewal");
  await override.getByRole("button", { name: /^Set override/ }).click();
  await expect(override.getByRole("status").last()).toContainText("Override saved until");
  await expect(override.getByRole("alert")).toHaveCount(0);
  await expect(primary.getByRole("note")).toContainText("Overridden by Ana CSM");
  await expect(primary.getByRole("note")).toContainText("35 points");
  await expect(primary.getByRole("note")).toContainText("Legal review blocks the renewal");
  // The computed score is still there beside it.
  await expect(primary.getByRole("img", { name: /points, grade [A-D]/ })).toBeVisible();

  // A note on the timeline.
  const notes = page.getByRole("region", { name: "Notes" });
  await notes.getByLabel("New note").fill("QBR booked for next month");
  await notes.getByRole("button", { name: "Add note" }).click();
  await expect(notes.getByRole("status")).toContainText("Note added");
  const timeline = notes.getByRole("list", { name: /Timeline of notes/ });
  await expect(timeline.getByRole("listitem").first()).toContainText("QBR booked for next month");
  await expect(timeline.getByRole("listitem").first()).toContainText("Ana CSM");

  // Removing the override (with the button beside the score) takes it off the score.
  await primary.getByRole("button", { name: /^Remove the override on / }).click();
  await expect(primary.getByRole("status")).toContainText("Override removed");
  await expect(primary.getByRole("note")).toHaveCount(0);
  await expect(override.getByRole("button", { name: /^Remove the override/ })).toHaveCount(0);
});
