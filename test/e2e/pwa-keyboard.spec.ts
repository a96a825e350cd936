import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * A keyboard that keeps its place (issue 18, item 3): the accounts table is an ARIA grid with one Tab stop and arrow
 * keys; after a form's submit focus goes to its result (a rating's message, its problems, a note, a saved play, a
 * play's problems), not the page's body; long pages have skip links that move focus to their sections, and "Skip
 * to content" keeps the page's address. One context (one first run of the demo) for all of it.
 */

test.describe.configure({ mode: "serial" });
// The first run creates, imports and scores 500 accounts with a year of data; a rating rescores them.
test.setTimeout(300_000);

let page: Page;
test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  page = await (await browser.newContext()).newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 200_000 });
});
test.afterAll(async () => {
  await page.close();
});

/** Key codes of the keys `burst` sends. */
const KEY_CODES: Record<string, number> = { ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40 };

/**
 * Presses keys as fast as the browser takes them: every key down and up is sent at once over the DevTools protocol
 * (Playwright's `keyboard.press` waits for each), so several keys reach the page before it renders the first one's
 * move, as a held arrow key or a quick typist's do.
 */
async function burst(keys: readonly string[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await Promise.all(
      keys.flatMap((key) =>
        (["keyDown", "keyUp"] as const).map((type) =>
          cdp.send("Input.dispatchKeyEvent", { type, key, code: key, windowsVirtualKeyCode: KEY_CODES[key] }),
        ),
      ),
    );
  } finally {
    await cdp.detach();
  }
}

async function serious(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("the accounts table is one Tab stop; arrow keys, Home/End and Enter move in it", async () => {
  await page.goto("/#/accounts");
  const grid = page.getByRole("grid", { name: "Accounts" });
  await expect(grid.locator("tbody tr a").first()).toBeVisible();
  const rowCount = Number(await grid.getAttribute("aria-rowcount"));
  expect(rowCount).toBeGreaterThan(100);
  const firstName = (await grid.locator("tbody tr a").first().textContent()) ?? "";

  // Tab from the last control before the table lands on the first account's link; one more Tab leaves the table.
  await page.getByRole("button", { name: "Export CSV" }).focus();
  await page.keyboard.press("Tab");
  await expect(grid.getByRole("link", { name: firstName })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(grid.locator(":focus")).toHaveCount(0);
  await page.keyboard.press("Shift+Tab");
  await expect(grid.getByRole("link", { name: firstName })).toBeFocused();

  // Right to the health cell, down a row, left to that row's link.
  await page.keyboard.press("ArrowRight");
  await expect(grid.locator('[data-cell="0:1"]')).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(grid.locator('[data-cell="1:1"]')).toBeFocused();
  await page.keyboard.press("End");
  await expect(grid.locator('[data-cell="1:7"]')).toBeFocused();
  await page.keyboard.press("Home");
  const second = grid.locator('[data-cell="1:0"] a');
  await expect(second).toBeFocused();
  // Only one element of the grid is in the Tab order: the one that has focus.
  await expect(grid.locator('[tabindex="0"]')).toHaveCount(1);
  await expect(grid.locator('[tabindex="0"]')).toBeFocused();

  // The last account, far below the rendered rows: scrolled into view and focused; back to the first.
  await page.keyboard.press("Control+End");
  const focusedRow = page.locator("tr:has(:focus)");
  await expect(focusedRow).toHaveAttribute("aria-rowindex", String(rowCount));
  await expect(page.locator(":focus")).toBeInViewport();
  await page.keyboard.press("Control+Home");
  await expect(grid.getByRole("link", { name: firstName })).toBeFocused();

  // Up into the header: its sort button; Enter sorts by that column and focus stays on it. The four keys go in one
  // burst, sent without waiting for each other (as a quick typist's do, several within one frame): none is lost.
  await burst(["ArrowRight", "ArrowRight", "ArrowRight", "ArrowUp"]);
  const arr = grid.getByRole("button", { name: /^ARR/ });
  await expect(arr).toBeFocused();
  // Another burst, down into the rows and along one: it counts from where the last key went, not from where focus was.
  await burst(["ArrowDown", "ArrowDown", "ArrowLeft", "ArrowLeft", "ArrowDown", "ArrowRight"]);
  await expect(grid.locator('[data-cell="2:2"]')).toBeFocused();
  await expect(grid.locator('[tabindex="0"]')).toHaveCount(1);
  await burst(["ArrowUp", "ArrowUp", "ArrowUp", "ArrowRight"]);
  await expect(arr).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(grid.getByRole("columnheader", { name: /^ARR/ })).toHaveAttribute("aria-sort", "descending");
  await expect(arr).toBeFocused();

  // Enter on an account's link opens it.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  const top = (await page.locator(":focus").textContent()) ?? "";
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: top })).toBeVisible();
  await page.goto("/#/accounts");
  await expect(page.getByRole("grid", { name: "Accounts" }).locator("tbody tr a").first()).toBeVisible();
  expect(await serious()).toEqual([]);
});

test("after a submit focus goes to its result: a rating, its problems, a note", async () => {
  await page.goto("/#/accounts");
  const link = page.locator(".accounts-table tbody tr a").first();
  const name = (await link.textContent()) ?? "";
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await page.getByLabel("Your name").fill("Ana CSM");

  const rating = page.getByRole("region", { name: "CSM rating" });
  await rating.getByRole("button", { name: "Record rating" }).click();
  await expect(rating.getByRole("alert")).toContainText("pick a rating from 1 to 5");
  await expect(rating.getByRole("alert")).toBeFocused();
  await rating.getByRole("radio", { name: "3 — neutral" }).check();
  await rating.getByRole("button", { name: "Record rating" }).click();
  await expect(rating.getByRole("status")).toContainText("recorded", { timeout: 120_000 });
  await expect(rating.getByRole("status")).toBeFocused();

  const notes = page.getByRole("region", { name: "Notes", exact: true });
  await notes.getByRole("textbox").first().fill("Asked about the new reporting module");
  await notes.getByRole("button", { name: /^Add note/ }).click();
  await expect(notes.getByRole("status")).not.toBeEmpty();
  await expect(notes.getByRole("status")).toBeFocused();

  // Skip links: each moves focus to its section without leaving the page.
  const url = page.url();
  const skip = page.getByRole("navigation", { name: "On this page" });
  await skip.getByRole("link", { name: "Notes" }).click();
  await expect(page.getByRole("heading", { name: "Notes", exact: true })).toBeFocused();
  await skip.getByRole("link", { name: "Open alerts" }).click();
  await expect(page.getByRole("heading", { name: /^Open alerts/ })).toBeFocused();
  expect(page.url()).toBe(url);
  expect(await serious()).toEqual([]);
});

test("a play's save: its problems, then the line that says it was saved, have focus", async () => {
  await page.goto("/#/plays");
  await page.getByRole("button", { name: "Edit Data gap" }).click();
  const form = page.getByRole("form", { name: 'Edit "Data gap"' });
  await form.getByRole("textbox", { name: "Step 1" }).fill("");
  await form.getByRole("button", { name: "Save play" }).click();
  await expect(form.getByRole("alert")).toContainText("step 1: title: a step needs a title");
  await expect(form.getByRole("alert")).toBeFocused();
  await form.getByRole("textbox", { name: "Step 1" }).fill("Ask the admin why the data stopped");
  await form.getByRole("button", { name: "Save play" }).click();
  const said = page.getByRole("status").filter({ hasText: 'Saved the play "Data gap"' });
  await expect(said).toBeVisible();
  await expect(said).toBeFocused();
});

test("Skip to content and the Data page's skip links keep the address and move focus", async () => {
  await page.goto("/#/data");
  await expect(page.getByRole("heading", { level: 1, name: "Data" })).toBeVisible();
  const url = page.url();
  // The first Tab stop of a page (a route change focuses the page's main region, so focus it as a fresh load would).
  await page.getByRole("link", { name: "Skip to content" }).focus();
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  expect(page.url()).toBe(url);
  await expect(page.getByRole("heading", { level: 1, name: "Data" })).toBeVisible();
  // The sections above Storage have loaded (they would move it down after the jump).
  await expect(page.getByRole("heading", { name: "Imports", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Data by metric" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Storage on this device" })).toBeVisible();
  const skip = page.getByRole("navigation", { name: "On this page" });
  await skip.getByRole("link", { name: "Storage" }).click();
  await expect(page.getByRole("heading", { name: "Storage on this device" })).toBeFocused();
  await expect(page.getByRole("heading", { name: "Storage on this device" })).toBeInViewport();
  expect(page.url()).toBe(url);
});

test("the dashboard's skip links: Tab to one, Enter, and focus lands on its section without leaving the page", async () => {
  await page.goto("/#/");
  await expect(page.getByRole("img", { name: /Average score went from/ })).toBeVisible({ timeout: 60_000 });
  // The sections above Renewals have loaded (they would move it down after the jump).
  await expect(page.getByRole("heading", { name: /^Biggest drops/ })).toBeVisible();
  const url = page.url();
  const skip = page.getByRole("navigation", { name: "On this page" });
  const renewals = skip.getByRole("link", { name: "Renewals" });
  // From the top of the page, Tab until the skip link has focus: it is in the Tab order, before the sections.
  await page.locator("body").evaluate((body) => {
    (document.activeElement as HTMLElement | null)?.blur();
    body.focus();
  });
  let tabs = 0;
  while (!(await renewals.evaluate((el) => el === document.activeElement)) && tabs < 60) {
    await page.keyboard.press("Tab");
    tabs++;
  }
  await expect(renewals).toBeFocused();
  await expect(renewals).toBeInViewport();
  await page.keyboard.press("Enter");
  const heading = page.getByRole("heading", { name: /^Renewals/ });
  await expect(heading).toBeFocused();
  await expect(heading).toBeInViewport();
  expect(page.url()).toBe(url);
  // The next Tab carries on from the section (the next control after its heading), not from the top of the page.
  await page.keyboard.press("Tab");
  expect(
    await heading.evaluate(
      (h) =>
        document.activeElement !== null &&
        document.activeElement !== document.body &&
        (h.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
    ),
  ).toBe(true);
});
