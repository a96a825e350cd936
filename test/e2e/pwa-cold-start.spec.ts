import { expect, test } from "@playwright/test";
import { firstRun } from "../support/pwa.ts";

/**
 * A cold start to an account's page (issue 14, "Open in Vitals" from a badge): the built page starts the data worker
 * from its first script, before the app's code has loaded, and the app then talks to that worker, not a second one.
 * The worker is named after the page's address, so it reads the account before the app asks for it.
 */
test.setTimeout(180_000);

test("a cold start to an account's page starts one data worker from the page's first script, named after the address", async ({
  page,
}) => {
  await firstRun(page);
  await page.getByRole("link", { name: "Accounts" }).click();
  const link = page.locator(".accounts-table tbody tr a").first();
  const name = (await link.textContent()) ?? "";
  const href = (await link.getAttribute("href")) ?? "";
  expect(href).toMatch(/^#\/accounts\//);

  // A new page load straight to the account, as a badge's link opens it (not a change of the address's hash).
  await page.goto("about:blank");
  await page.goto(`/${href}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("table").first()).toContainText("Points");

  const workers = page.workers().filter((w) => /\/assets\/data-worker-[\w-]+\.js$/.test(w.url()));
  expect(workers.map((w) => w.url().replace(/.*\/assets\//, ""))).toHaveLength(1);
  expect(workers[0]?.url()).not.toContain("data-worker-main");
  expect(await workers[0]?.evaluate(() => self.name)).toBe(href);
  // It is the worker the page's first script started (a build writes the entry's hashed name into index.html).
  const first = await page.evaluate(() => document.scripts[0]?.textContent ?? "");
  const entry = workers[0]?.url().replace(/.*\/assets\//, "") ?? "none";
  expect(first).toContain(`new Worker("./assets/${entry}"`);
  // The page took the worker its first script started (nothing is left for a second client to take), and the
  // worker's code came from the entry's import.
  expect(await page.evaluate(() => "vitalsEarlyWorker" in window && window.vitalsEarlyWorker !== undefined)).toBe(
    false,
  );
  const started = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((e) => e.name.includes("/assets/data-worker-"))
      .map((e) => e.name.replace(/.*\/assets\//, "")),
  );
  expect(started).toHaveLength(1);
  expect(
    await workers[0]?.evaluate(() =>
      performance.getEntriesByType("resource").some((e) => /\/assets\/data-worker-main-[\w-]+\.js$/.test(e.name)),
    ),
  ).toBe(true);
});
