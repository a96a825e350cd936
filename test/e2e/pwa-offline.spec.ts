import { expect, test } from "@playwright/test";

test("the PWA registers its service worker and still opens after going offline", async ({ page, context }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Portfolio" })).toBeVisible();
  // The service worker installs and precaches the app shell.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // A page loaded before activation is not controlled; the next load is.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Portfolio" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  // Proof that the network really was off: a fetch that bypasses the cache fails.
  const online = await page.evaluate(() =>
    fetch(`/not-cached-${Date.now()}`, { cache: "no-store" }).then(
      () => true,
      () => false,
    ),
  );
  expect(online).toBe(false);
});
