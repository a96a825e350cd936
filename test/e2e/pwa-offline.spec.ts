import { expect, test } from "@playwright/test";

test("the PWA registers its service worker and still opens, with its data, after going offline", async ({
  page,
  context,
}) => {
  // The first run creates and scores the demo portfolio in the worker before the dashboard shows.
  test.setTimeout(180_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Portfolio" })).toBeVisible({ timeout: 150_000 });
  // The service worker installs and precaches the app shell.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // A page loaded before activation is not controlled; the next load is.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

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
