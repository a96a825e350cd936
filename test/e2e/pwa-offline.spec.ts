import { expect, test } from "@playwright/test";
import { installApp } from "../support/pwa.ts";

test("the PWA registers its service worker and still opens, with its data, after going offline", async ({
  page,
  context,
}) => {
  // The first run creates and scores the demo portfolio in the worker before the dashboard shows.
  test.setTimeout(180_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Portfolio" })).toBeVisible({ timeout: 150_000 });
  // The service worker installs and precaches the app shell; a page loaded before activation is not controlled, the
  // next load is.
  await installApp(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Portfolio" })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  // Everything is still there: the stored portfolio, scored again by the worker (its script precached).
  // (A cold start may score the stored portfolio again before the figures show: seconds under load.)
  await expect(page.locator(".kpi").first()).toContainText("500", { timeout: 60_000 });
  await page.getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByText("500 of 500 accounts")).toBeVisible({ timeout: 60_000 });
  // Proof that the network really was off: a fetch that bypasses the cache fails.
  const online = await page.evaluate(() =>
    fetch(`/not-cached-${Date.now()}`, { cache: "no-store" }).then(
      () => true,
      () => false,
    ),
  );
  expect(online).toBe(false);
});

test("on the very first visit, a page first opened after the network went away still loads", async ({
  page,
  context,
}) => {
  // Every page is a chunk of its own; the first visit is not controlled by the service worker that installs during
  // it, so its pages' code must be in the page already when the network goes.
  test.setTimeout(240_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Portfolio" })).toBeVisible({ timeout: 150_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const pages = ["account", "accounts", "alert-rules", "alerts", "data", "plays", "scorecards", "scorecards-editor"];
  pages.push("scorecards-print", "tasks", "validate", "uplot");
  // The app loads them while idle; wait until each chunk has been fetched (the user would have to wait as long).
  await expect
    .poll(
      () =>
        page.evaluate((names) => {
          const loaded = performance.getEntriesByType("resource").map((e) => e.name);
          return names.filter((n) => !loaded.some((url) => new RegExp(`/assets/${n}-[^/]*\\.js$`).test(url)));
        }, pages),
      { timeout: 60_000 },
    )
    .toEqual([]);

  await context.setOffline(true);
  const visits: [string, RegExp][] = [
    ["#/accounts", /^Accounts$/],
    ["#/scorecards", /^Scorecards$/],
    ["#/scorecards/new", /scorecard/i],
    ["#/alerts", /^Alerts$/],
    ["#/alerts/rules", /^Alert rules$/],
    ["#/tasks", /^Tasks$/],
    ["#/plays", /^Plays$/],
    ["#/data", /^Data$/],
  ];
  for (const [hash, heading] of visits) {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText("This page could not be loaded")).toHaveCount(0);
  }
});
