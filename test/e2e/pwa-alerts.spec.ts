import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";

/**
 * Alerts and plays in the PWA: a CSM's rating of 1 raises the Enterprise scorecard's sentiment alert (shown on the
 * account, counted in the navigation), a play started on it becomes tasks, a task is completed, open tasks are
 * exported to CSV and .ics, alerts are snoozed and closed, and a play is edited. Its own context, so its own store.
 */

// The first run creates, imports and scores 500 accounts with a year of data in the worker; a rating rescores them.
test.setTimeout(300_000);

/** The number of open alerts the navigation's Alerts link says. */
async function openCount(page: Page): Promise<number> {
  const name =
    (await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /^Alerts/ })
      .getAttribute("aria-label")) ?? "";
  return Number(/, ([\d,]+) open/.exec(name)?.[1]?.replace(/,/g, "") ?? 0);
}

test("a rating raises a sentiment alert; a play on it becomes tasks, completed and exported", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 200_000 });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: /^Alerts, [\d,]+ open$/ })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Open alerts/ })).toBeVisible();
  const before = await openCount(page);
  expect(before).toBeGreaterThan(0);

  // A green Enterprise account whose CSM sentiment is 4 or 5: a rating of 1 takes its sentiment to 0% of its points,
  // below the Enterprise renewal scorecard's 20% threshold.
  await nav.getByRole("link", { name: "Accounts" }).click();
  await page.getByLabel("Segment").selectOption("Enterprise");
  await page.getByLabel("Band").selectOption("green");
  const links = page.locator(".accounts-table tbody tr a");
  const names = (await links.allTextContents()).slice(0, 15);
  let name = "";
  for (const candidate of names) {
    await page.goto("/#/accounts");
    await page.getByLabel("Segment").selectOption("Enterprise");
    await page.getByLabel("Band").selectOption("green");
    await page.locator(".accounts-table tbody tr a", { hasText: candidate }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: candidate })).toBeVisible();
    const alerts = page.getByRole("region", { name: /^Open alerts/ });
    await expect(alerts.getByText(/Loading alerts/)).toHaveCount(0);
    const value = await page
      .locator("section.card")
      .filter({ has: page.getByRole("img", { name: /points, grade/ }) })
      .first()
      .getByRole("row", { name: /^CSM sentiment/ })
      .getByRole("cell")
      .first()
      .textContent();
    if ((value === "4" || value === "5") && (await alerts.getByText("CSM sentiment below 20%").count()) === 0) {
      name = candidate;
      break;
    }
  }
  expect(name, "a green Enterprise account with sentiment 4 or 5").not.toBe("");

  await page.getByLabel("Your name").fill("Ana CSM");
  const sentiment = page.getByRole("region", { name: "CSM rating" });
  await sentiment.getByRole("radio", { name: "1 — very unhappy" }).check();
  await sentiment.getByRole("button", { name: "Record rating" }).click();
  await expect(sentiment.getByRole("status")).toContainText("recorded", { timeout: 120_000 });
  const accountAlerts = page.getByRole("region", { name: /^Open alerts/ });
  const raised = accountAlerts.getByRole("listitem").filter({ hasText: "CSM sentiment below 20% of its points" });
  await expect(raised).toBeVisible();
  await expect(raised).toContainText(
    /CSM sentiment earns 0% of its points on \d{4}-\d{2}-\d{2}, below the 20% threshold/,
  );
  await expect.poll(() => openCount(page)).toBeGreaterThan(before);

  // The inbox: start the suggested play on the new alert.
  await nav.getByRole("link", { name: /^Alerts/ }).click();
  await expect(page.getByRole("tab", { name: /^Open \(/ })).toHaveAttribute("aria-selected", "true");
  const item = page.locator(".alert-item").filter({ hasText: `${name}: CSM sentiment below 20% of its points` });
  await expect(item).toBeVisible();
  await expect(item.getByLabel("Play")).toHaveValue("executive-check-in");
  await item.getByRole("button", { name: "Start play" }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Started the play "Executive check-in"' })).toBeVisible();
  await expect(item).toContainText("Play: Executive check-in (0 of 3 tasks done)");
  // Focus goes to the result, the play's line on the alert (the button it was on is gone).
  await expect(item.getByText(/^Play: Executive check-in/)).toBeFocused();

  // Tasks: three for the account, due 2, 7 and 10 days from today; complete the first.
  await nav.getByRole("link", { name: "Tasks" }).click();
  const rows = page.getByRole("row").filter({ hasText: name });
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText("Book a call with the executive sponsor");
  await expect(rows.first()).toContainText("in 2 days");
  // A click, not check(): once saved, the completed task leaves the list of open tasks.
  await page.getByRole("checkbox", { name: `Done: Book a call with the executive sponsor (${name})` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Completed" })).toBeVisible();
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Show completed tasks").check();
  await expect(
    page.getByRole("checkbox", { name: `Done: Book a call with the executive sponsor (${name})` }),
  ).toBeChecked();

  // Export the open tasks: a CSV and an iCalendar file with the two left.
  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export open tasks (CSV)" }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^vitals-tasks-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await csvDownload.path()) as string, "utf8");
  expect(csv.split("\r\n")[0]).toBe("due,task,account,account_id,owner,play,alert");
  expect(csv.split("\r\n").filter((l) => l.includes(name.replace(/"/g, '""')))).toHaveLength(2);
  const [icsDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export open tasks to a calendar (.ics)" }).click(),
  ]);
  expect(icsDownload.suggestedFilename()).toMatch(/\.ics$/);
  const ics = readFileSync((await icsDownload.path()) as string, "utf8");
  expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
  expect(ics).toContain("SUMMARY:Review usage with the champion");

  // Back in the inbox: the play's progress, then snooze one alert and close another.
  await nav.getByRole("link", { name: /^Alerts/ }).click();
  await expect(item).toContainText("(1 of 3 tasks done)");
  const first = page.locator(".alert-list > li").first();
  const firstTitle = (await first.locator("strong").textContent()) ?? "";
  await first.getByRole("button", { name: "Snooze" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Snoozed until" })).toBeVisible();
  await page.getByRole("tab", { name: /^Snoozed \(1\)/ }).click();
  await expect(page.locator(".alert-list > li").first()).toContainText(firstTitle);
  await page.getByRole("tab", { name: /^Open \(/ }).click();
  await item.getByRole("button", { name: "Mark done" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Marked done." })).toBeVisible();
  // The alert left the list: focus is on the alert now in its place (or the line saying so when it was the last),
  // not on the page's body.
  await expect(page.locator(".alert-item:focus, #alerts-said:focus")).toHaveCount(1);
  await expect(page.locator(".alert-item:focus, #alerts-said:focus")).not.toContainText(
    `${name}: CSM sentiment below 20%`,
  );
  await page.getByRole("tab", { name: /^Done \(1\)/ }).click();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("tab", { name: /^Snoozed/ })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: /^Done/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.locator(".alert-list > li").first()).toContainText(name);
});

test("plays are edited: a step added, one removed, a rule attached; a bad step is refused in words", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 200_000 });
  await page.goto("/#/plays");
  await page.getByRole("button", { name: "Edit Executive check-in" }).click();
  const form = page.getByRole("form", { name: 'Edit "Executive check-in"' });
  await form.getByRole("button", { name: "Add a step" }).click();
  await form.getByRole("textbox", { name: "Step 4" }).fill("Agree a recovery plan");
  await form.getByLabel("Due after (days)").nth(3).fill("21");
  await form.getByRole("button", { name: "Remove step 2" }).click();
  await form.getByRole("textbox", { name: "Step 1" }).fill("");
  await form.getByRole("checkbox", { name: /Renewal within 30 days while not green/ }).check();
  await form.getByRole("button", { name: "Save play" }).click();
  await expect(form.getByRole("alert")).toContainText("step 1: title: a step needs a title");
  await form.getByRole("textbox", { name: "Step 1" }).fill("Book a call with the sponsor");
  await form.getByRole("button", { name: "Save play" }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Saved the play "Executive check-in"' })).toBeVisible();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Executive check-in" }) });
  await expect(card.getByRole("listitem")).toHaveText([
    /^Book a call with the sponsor \(day 2/,
    /^Send a summary with agreed next steps \(day 10/,
    /^Agree a recovery plan \(day 21/,
  ]);
  await expect(card).toContainText("Renewal within 30 days while not green");
});

test("a scorecard's alert rules are edited and saved as a new version; a bad threshold is refused by rule", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 200_000 });
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Alerts/ })
    .click();
  await page.getByRole("link", { name: "Alert rules" }).click();
  const card = page.getByRole("region", { name: "Adoption (SMB)" });
  await expect(card).toContainText("The default rules");
  await card.getByRole("spinbutton", { name: "Points" }).fill("0");
  await card.getByRole("button", { name: "Save rules" }).click();
  await expect(card.getByRole("alert")).toContainText("rule 1: points: points must be at least 1");
  await card.getByRole("spinbutton", { name: "Points" }).fill("40");
  await card.getByRole("spinbutton", { name: "Within days" }).nth(1).fill("7");
  await card.getByRole("button", { name: 'Remove the rule "No new data for 30 days"' }).click();
  await card.getByLabel("New rule").selectOption("factor");
  await card.getByRole("button", { name: "Add rule" }).click();
  await card.getByRole("button", { name: "Save rules" }).click();
  await expect(card.getByRole("status")).toContainText(/Saved as version 2/, { timeout: 120_000 });
  const rules = page.getByRole("region", { name: "Adoption (SMB)" }).getByRole("listitem");
  await expect(rules).toHaveCount(4);
  await expect(rules.first()).toContainText("Score fell 40 points or more within 30 days");
  await expect(rules.nth(2)).toContainText("Renewal within 7 days while not green");
  await expect(rules.last()).toContainText("below 30% of its points");
  // The inbox follows: an open alert of the old 30-day renewal rule whose renewal is more than 7 days away stays open
  // (a play may be under way) but says its condition no longer holds.
  await page.getByRole("link", { name: "← Alerts" }).click();
  await page.getByLabel("Scorecard").selectOption({ label: "Adoption (SMB)" });
  const old = page.locator(".alert-list > li").filter({ hasText: "Renewal within 30 days while not green" });
  await expect(old.first()).toBeVisible();
  await expect(old.filter({ hasNotText: "Condition no longer holds" })).toHaveCount(0);
});
