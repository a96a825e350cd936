import { type Browser, expect, type Page, test } from "@playwright/test";
import { APP_PAGES, firstAccountHash, firstRun, seriousViolations } from "../support/pwa.ts";

/**
 * Every page on a phone (issue 18): at 390×844 and at 360 px wide the page never scrolls sideways (wide tables
 * scroll inside their card), table headers wrap only between words, the navigation is reachable from a menu button,
 * "Scores as of" stays on screen, the score badge keeps its full number, touch targets are at least 44 px tall, and
 * axe finds no serious or critical violation. One context (one first run of the demo) for every page.
 */

test.describe.configure({ mode: "serial" });
test.setTimeout(300_000);

const PHONE = { width: 390, height: 844 };

const PAGES = APP_PAGES;

let page: Page;
let accountHash = "";

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  // A hook has its own timeout (30 s unless set here): the first run of the demo takes longer on loaded cores.
  test.setTimeout(300_000);
  page = await (await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })).newPage();
  await firstRun(page, 240_000);
  accountHash = await firstAccountHash(page);
});
test.afterAll(async () => {
  await page?.context().close();
});

/** What sticks out past the viewport's right edge (for the failure message), and the page's scroll width. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = innerWidth;
    const wide: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 0.5 || r.width === 0) continue;
      // Inside a scrolling box (a table's card) is fine: only what makes the page itself wider counts.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX !== "visible" && p.getBoundingClientRect().right <= width + 0.5) {
          clipped = true;
          break;
        }
      }
      if (!clipped) wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} → ${Math.round(r.right)}`);
    }
    return { scrollWidth: document.scrollingElement?.scrollWidth ?? 0, width, wide: wide.slice(0, 8) };
  });
}

/** Buttons, links, inputs and selects that are visible and smaller than 44 px high (WCAG 2.5.5's target size). */
async function smallTargets(page: Page) {
  return page.evaluate(() => {
    const small: string[] = [];
    const selector = "button, a[href], input:not([type=hidden]), select, summary, [role=tab]";
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
      if (el.closest(".skip-link, .visually-hidden, .u-legend")) continue;
      // A checkbox or radio inside its label: the label is the target.
      const target = (el.matches("input[type=checkbox], input[type=radio]") && el.closest("label")) || el;
      // Inline links within a sentence are exempt (WCAG 2.5.8's inline exception).
      if (el.matches("a") && el.closest("p, dd, .muted")) continue;
      const h = target.getBoundingClientRect().height;
      if (h < 43.5)
        small.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(h)}px`);
    }
    return small.slice(0, 10);
  });
}

/**
 * Table header cells that break inside a word or spill out of their cell: each word of a header's text (a break after
 * a hyphen is a break between words) must sit on one line, and the cell must hold its content (scrollWidth within
 * clientWidth). Returns how many header cells it checked and the ones that fail.
 */
async function brokenHeaders(page: Page) {
  return page.evaluate(() => {
    const broken: string[] = [];
    let checked = 0;
    for (const th of document.querySelectorAll<HTMLElement>("table th")) {
      const box = th.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(th).visibility === "hidden") continue;
      checked++;
      const name = (th.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      if (th.scrollWidth > th.clientWidth + 1)
        broken.push(`"${name}" spills out (${th.scrollWidth} > ${th.clientWidth})`);
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Text for screen readers only is laid out in a 1 px box on purpose.
        if (node.parentElement?.closest(".visually-hidden")) continue;
        const text = node.textContent ?? "";
        for (const m of text.matchAll(/[^\s-]+-?/g)) {
          const at = m.index ?? 0;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + m[0].length);
          // One rect per line the word is laid out on (empty fragments left out).
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(`"${name}" breaks "${m[0]}" over ${lines.size} lines`);
        }
      }
    }
    return { checked, broken: broken.slice(0, 10) };
  });
}

/** The pages whose tables are there on the demo's first run: the header check must have read some cells there. */
const WITH_TABLES = new Set(["dashboard", "accounts", "account", "scorecards", "scorecard editor", "data"]);

test("navigation is a menu button on a phone; Scores as of stays on screen", async () => {
  await page.goto("/#/");
  await PAGES[0]?.ready(page);
  const status = page.locator(".app-header .status-line");
  await expect(status).toHaveText(/^Scores as of \d{4}-\d{2}-\d{2}/);
  await expect(status).toBeInViewport({ ratio: 1 });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Accounts" })).toBeHidden();
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Accounts" })).toBeInViewport();
  await nav.getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Accounts/ })).toBeVisible();
  // Following a link closes the menu.
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  // Escape closes it too, and gives focus back to the button.
  await menu.click();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
});

for (const width of [390, 360]) {
  test(`every page fits ${width} px without sideways scrolling, headers whole, 44 px touch targets, no serious axe violation`, async () => {
    await page.setViewportSize({ width, height: PHONE.height });
    const found: string[] = [];
    for (const p of PAGES) {
      await page.goto(`/${p.hash || accountHash}`);
      await p.ready(page);
      if (!(await page.locator(".app-header .status-line").isVisible())) found.push(`${p.name}: no "Scores as of"`);
      const o = await overflow(page);
      if (o.scrollWidth > o.width)
        found.push(`${p.name}: page is ${o.scrollWidth} px wide at ${o.width}: ${o.wide.join(", ")}`);
      const small = await smallTargets(page);
      if (small.length > 0) found.push(`${p.name}: targets under 44 px: ${small.join(", ")}`);
      // Table headers wrap between words only (issue 18): "Renewal", never "Rene-wal"; a wide table scrolls instead.
      const headers = await brokenHeaders(page);
      if (WITH_TABLES.has(p.name) && headers.checked === 0) found.push(`${p.name}: no table header to check`);
      for (const b of headers.broken) found.push(`${p.name}: header ${b}`);
      if (width === 390) {
        found.push(...(await seriousViolations(page, p.name)));
      }
    }
    expect(found, found.join("\n")).toEqual([]);
    await page.setViewportSize(PHONE);
  });
}

test("the score badge keeps its whole number on a phone", async () => {
  await page.goto(`/${accountHash}`);
  await PAGES[2]?.ready(page);
  const badge = page.locator(".score-line .badge").first();
  const points = badge.locator(".badge-points");
  const fits = await points.evaluate(
    (el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().width >= 24,
  );
  expect(fits).toBe(true);
  const label = (await badge.getAttribute("aria-label")) ?? "";
  expect(label).toMatch(/^\d+ points/);
  expect(label.startsWith(`${await points.textContent()} points`)).toBe(true);
  await page.goto("/#/accounts");
  const tableBadge = page.locator(".accounts-table tbody tr .badge-points").first();
  await expect(tableBadge).toBeVisible();
  expect(await tableBadge.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
});
