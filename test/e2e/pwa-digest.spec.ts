import { expect, test } from "@playwright/test";
import { emptyStore, importBundle, seriousViolations } from "../support/pwa.ts";

/**
 * The daily digest's scores (issue 18): "What changed since yesterday" lists the accounts whose band changed (up and
 * down, the largest ARR first), the biggest moves in points, and the alerts raised and closed. A bundle brings its own
 * one-factor scorecard (the score is a metric's last value, 0 → 100 points), so every number below is worked by hand:
 * the data ends on a fixed day, and the digest compares it with the day before, whatever today is.
 */

// The first run loads the 500-account demo before it is cleared.
test.setTimeout(300_000);

const DATA_END = "2024-12-31";
const DAY_BEFORE = "2024-12-30";

/** Each account's value (its score) the day before and on the data's last day, and its ARR. */
const ACCOUNTS = [
  // 60 C Watch → 85 A Healthy: up a band, +25.
  { id: "dg-rising", name: "Rising Co", arr: 20_000, before: 60, now: 85 },
  // 82 A Healthy → 40 D At risk: down, −42; it enters the red band and falls 42 points, so it raises alerts.
  { id: "dg-falling", name: "Falling Co", arr: 5_000, before: 82, now: 40 },
  // 70 → 72: B Good both days, +2.
  { id: "dg-steady", name: "Steady Co", arr: 90_000, before: 70, now: 72 },
  // 65 B Good → 64 C Watch: down a band by one point.
  { id: "dg-slipping", name: "Slipping Co", arr: 50_000, before: 65, now: 64 },
];

function bundle(): string {
  return JSON.stringify({
    format: "vitals-bundle",
    version: 1,
    exportedAt: "2025-01-02T09:00:00Z",
    scorecards: [
      {
        id: "digest-health",
        name: "Digest health",
        // Above the default scorecards', so it gives every account its primary score.
        priority: 1000,
        deltaDays: 1,
        factors: [
          {
            id: "health",
            label: "Health input",
            weight: 1,
            source: { kind: "metric", metric: "health_input", aggregation: "last", windowDays: 1 },
            rule: { kind: "linear", worst: 0, best: 100 },
          },
        ],
      },
    ],
    accounts: ACCOUNTS.map((a) => ({ id: a.id, name: a.name, arr: a.arr, startDate: "2024-01-01" })),
    observations: ACCOUNTS.flatMap((a) => [
      { accountId: a.id, metric: "health_input", day: DAY_BEFORE, value: a.before },
      { accountId: a.id, metric: "health_input", day: DATA_END, value: a.now },
    ]),
  });
}

test("the digest lists band changes up and down, the biggest moves, and the alerts raised and closed", async ({
  page,
}) => {
  await emptyStore(page);
  await importBundle(page, "digest.json", bundle());
  await expect(page.locator(".status-line")).toContainText(`Scores as of ${DATA_END}`, { timeout: 100_000 });

  await page.goto("/#/alerts/digest");
  await expect(page.getByRole("heading", { level: 1, name: "What changed since yesterday" })).toBeVisible();
  await expect(page.getByText(`Scores as of ${DATA_END} against the day before (${DAY_BEFORE})`)).toBeVisible();

  const bands = page.getByRole("region", { name: /^Band changes/ });
  await expect(bands.getByRole("heading", { level: 2 })).toHaveText("Band changes (3)");
  await expect(bands).toContainText("4 accounts scored on both days: 2 rose and 2 fell by a point or more.");
  const moveTexts = (list: string) =>
    page
      .getByRole("list", { name: list })
      .locator(".score-move")
      .evaluateAll((items) =>
        items.map((li) => `${li.querySelector("a")?.textContent}: ${li.querySelector(".move-text")?.textContent}`),
      );
  await expect(bands.getByRole("heading", { name: "Up a band (1)" })).toBeVisible();
  expect(await moveTexts("Up a band")).toEqual(["Rising Co: 60 C Watch → 85 A Healthy (+25 points)"]);
  // The largest ARR first: Slipping Co ($50,000), then Falling Co ($5,000).
  expect(await moveTexts("Down a band")).toEqual([
    "Slipping Co: 65 B Good → 64 C Watch (−1 point)",
    "Falling Co: 82 A Healthy → 40 D At risk (−42 points)",
  ]);
  await expect(page.getByRole("list", { name: "Down a band" }).locator(".score-move").first()).toContainText(
    "ARR $50,000",
  );

  // The biggest moves either way, the largest first; Steady Co moved within its band.
  await expect(page.getByRole("heading", { level: 2, name: "Biggest moves (4)" })).toBeVisible();
  expect(await moveTexts("Biggest moves")).toEqual([
    "Falling Co: 82 A Healthy → 40 D At risk (−42 points)",
    "Rising Co: 60 C Watch → 85 A Healthy (+25 points)",
    "Steady Co: 70 B Good → 72 B Good (+2 points)",
    "Slipping Co: 65 B Good → 64 C Watch (−1 point)",
  ]);
  // Each move links to its account, whose page shows the score the digest says it has now.
  await page.getByRole("list", { name: "Biggest moves" }).getByRole("link", { name: "Falling Co" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Falling Co" })).toBeVisible();
  await expect(page.getByRole("img", { name: /^40 points, grade D, At risk/ }).first()).toBeVisible();

  // New alerts: Falling Co's, raised by this scoring (today); none closed yet.
  await page.goto("/#/alerts/digest");
  const raised = page.getByRole("region", { name: /^Raised/ });
  await expect(raised.getByRole("link", { name: "Falling Co" })).toBeVisible();
  await expect(raised).not.toContainText("Rising Co");
  await expect(page.getByRole("heading", { name: "Closed (0)" })).toBeVisible();
  expect(await seriousViolations(page, "digest")).toEqual([]);

  // Resolve one: marked done in the inbox, it is listed as closed.
  await page.goto("/#/alerts");
  const item = page.locator(".alert-item").filter({ hasText: "Falling Co" }).first();
  await expect(item).toBeVisible();
  await item.getByRole("button", { name: "Mark done" }).click();
  await expect(page.getByRole("tab", { name: /^Done \(1\)/ })).toBeVisible();
  await page.goto("/#/alerts/digest");
  const closed = page.getByRole("region", { name: /^Closed/ });
  await expect(closed.getByRole("heading", { level: 2 })).toHaveText("Closed (1)");
  await expect(closed.getByRole("link", { name: "Falling Co" })).toBeVisible();
  await expect(closed).toContainText("marked done on");

  // The skip links reach the score parts by keyboard.
  await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Biggest moves (4)" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: /^Biggest moves/ })).toBeFocused();
});
