import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { badgeTexts, focusedPill, inBadges, openCard } from "./badge-roots.ts";
import { badgeSet, popupForPage, seedBadges } from "./extension-data.ts";
import { EXTENSION_DIR, type ExtensionFixture, expect, launchExtension, serveFixture, test } from "./fixtures.ts";

// Badges a support agent lives with all day (issue 16), on a self-hosted help desk's ticket list the user enabled
// (test/fixtures/pages/generic-ticket-list.html): 300 rows, each naming its requester twice and several companies
// in one sentence, a hidden "Recently viewed" menu, a requester card naming the same account three times.

const ORIGIN = "https://desk.example.org";
const URL_LIST = `${ORIGIN}/tickets`;

/** A copy of the built extension whose manifest already holds the permission for ORIGIN (the user's grant). */
function grantedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "vitals-ext-"));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const manifestPath = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.host_permissions = [`${ORIGIN}/*`];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

test.describe.configure({ timeout: 120_000 });

let dir = "";
let extension: (ExtensionFixture & { close(): Promise<void> }) | undefined;

test.beforeAll(async () => {
  dir = grantedCopy();
  extension = await launchExtension(dir);
  // As the background enables a site (extension/background/sites.ts).
  await extension.background.evaluate((origin) => chrome.storage.local.set({ [`site:${origin}`]: true }), ORIGIN);
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS));
  await serveFixture(extension.context, URL_LIST, "generic-ticket-list.html");
});

test.afterAll(async () => {
  await extension?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Badges per row: even rows (Northwind's requester) 3, odd rows (Globex's) 2; the requester card 1. */
const LIST_BADGES = 150 * 3 + 150 * 2;

async function openList(): Promise<Page> {
  const page = await (extension as ExtensionFixture).context.newPage();
  await page.goto(URL_LIST);
  await expect(page.locator("vitals-badge")).toHaveCount(LIST_BADGES + 1, { timeout: 15_000 });
  return page;
}

test("each company in a sentence gets its badge right after its own name, not piled at the end", async () => {
  const page = await openList();
  // Row 0: "#1000 Northwind Traders reports that Initech and Globex Corporation see it too" (Northwind is the
  // requester's, badged after their address: one badge per account in a row).
  const placed = await inBadges(page, (roots) =>
    roots
      .filter((root) => root.host.closest("#row-0"))
      .map((root) => {
        const host = root.host;
        const previous = host.previousSibling;
        const pill = root.querySelector(".pill") as Element;
        // Where the text before the badge ends on screen, and where the text after it starts.
        const range = document.createRange();
        let before: number | null = null;
        if (previous?.nodeType === Node.TEXT_NODE) {
          range.setStart(previous, Math.max(0, (previous as Text).data.length - 1));
          range.setEnd(previous, (previous as Text).data.length);
          before = range.getBoundingClientRect().right;
        } else if (previous) before = (previous as Element).getBoundingClientRect().right;
        const next = host.nextSibling;
        let after: number | null = null;
        if (next?.nodeType === Node.TEXT_NODE && (next as Text).data.length) {
          range.setStart(next, 0);
          range.setEnd(next, 1);
          after = range.getBoundingClientRect().left;
        }
        const box = pill.getBoundingClientRect();
        return {
          text: pill.textContent,
          previous: (previous?.textContent ?? "").trim(),
          next: next?.textContent ?? "",
          left: box.left,
          right: box.right,
          before,
          after,
        };
      }),
  );
  expect(placed.map((b) => [b.previous, b.text])).toEqual([
    ["Dana Whitfield", "72 B"],
    ["#1000 Northwind Traders reports that Initech", "Watch"],
    ["and Globex Corporation", "D"],
  ]);
  // Both badges of the sentence sit before its last words: none is piled at the end.
  expect(placed[1]?.next).toBe(" and Globex Corporation");
  expect(placed[2]?.next).toBe(" see it too");
  for (const badge of placed) {
    // On screen too: the pill starts after the word it follows, and the next word starts after the pill.
    expect(badge.before).not.toBeNull();
    expect(badge.left).toBeGreaterThanOrEqual(badge.before ?? Number.POSITIVE_INFINITY);
    if (badge.after !== null) expect(badge.after).toBeGreaterThanOrEqual(badge.right);
  }
  // The row's text is what the page wrote.
  await expect(page.locator("#row-0 td").nth(1)).toHaveText(
    "#1000 Northwind Traders reports that Initech and Globex Corporation see it too",
  );
  await page.close();
});

test("only what is shown is badged, and an account once per region: a row, the requester card", async () => {
  const page = await openList();
  // The hidden "Recently viewed" menu names three accounts: none is badged while it is closed.
  expect(await badgeTexts(page, "#recent vitals-badge")).toEqual([]);
  // Every row: the requester's account once (its address and its name in the subject), the others once each.
  expect(await badgeTexts(page, "#row-0 vitals-badge")).toEqual(["72 B", "Watch", "D"]);
  expect(await badgeTexts(page, "#row-1 vitals-badge")).toEqual(["D", "Watch"]);
  expect(await badgeTexts(page, "#row-299 vitals-badge")).toEqual(["D", "Watch"]);
  // And so on every one of the 300 rows, however often its requester repeats down the list: by row, the badges'
  // texts (72 B is Northwind, D Globex, Watch Initech), rows that differ from their kind's pattern listed.
  const byRow = await inBadges(page, (roots) => {
    const rows = new Map<string, string[]>();
    for (const root of roots) {
      const row = root.host.closest("tr");
      if (!row) continue;
      rows.set(row.id, [...(rows.get(row.id) ?? []), root.querySelector(".pill")?.textContent ?? ""]);
    }
    return [...rows];
  });
  expect(byRow).toHaveLength(300);
  const unlike = byRow.filter(([id, texts]) => {
    const even = Number(id.slice(4)) % 2 === 0;
    return texts.join() !== (even ? "72 B,Watch,D" : "D,Watch");
  });
  expect(unlike).toEqual([]);
  // The card names Northwind three times (address, company, address again in a sentence): one badge.
  expect(await badgeTexts(page, "aside vitals-badge")).toEqual(["72 B"]);
  expect(await badgeTexts(page, "#card-email + vitals-badge")).toEqual(["72 B"]);
  // The user opens the menu: now it shows, and gets its badges.
  await page.getByRole("button", { name: "Recently viewed" }).click();
  await expect.poll(() => badgeTexts(page, "#recent vitals-badge")).toEqual(["72 B", "D", "D"]);
  await page.close();
});

test("badges add one Tab stop per part of the page, the arrow keys move between them, cards open by keyboard", async () => {
  const page = await openList();
  // Of 751 badges, one per landmark is in the Tab order: the list's (main) and the requester card's (aside).
  const stops = await inBadges(page, (roots) =>
    roots.filter((root) => (root.querySelector(".pill") as HTMLElement).tabIndex >= 0).map((r) => r.host.localName),
  );
  expect(stops).toHaveLength(2);
  // From the first row's link, Tab reaches the list's badge stop, and the next Tab the second row's link: the
  // 750 badges of the list cost one stop.
  await page.locator("#row-0 a").focus();
  await page.keyboard.press("Tab");
  await expect.poll(() => focusedPill(page)).toBe("72 B");
  await expect.poll(async () => (await openCard(page))?.name).toBe("Northwind Traders");
  await page.keyboard.press("Tab");
  // (The card has no "Open in Vitals" link without the app's address, so Tab leaves the badge.)
  await expect(page.locator("#row-1 a")).toBeFocused();
  // Back to the badge, then the arrow keys walk the list's badges in order; each opens its card.
  await page.keyboard.press("Shift+Tab");
  await expect.poll(() => focusedPill(page)).toBe("72 B");
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => focusedPill(page)).toBe("Watch");
  await expect.poll(async () => (await openCard(page))?.name).toBe("Initech");
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => focusedPill(page)).toBe("D");
  await page.keyboard.press("Escape");
  await expect.poll(() => openCard(page)).toBeNull();
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await openCard(page))?.name).toBe("Globex Corporation");
  // The badge focused last is now the list's Tab stop (a roving tabindex), still only one in the list.
  const after = await inBadges(page, (roots) =>
    roots
      .filter((root) => root.host.closest("main") && (root.querySelector(".pill") as HTMLElement).tabIndex >= 0)
      .map((root) => root.querySelector(".pill")?.textContent),
  );
  expect(after).toEqual(["D"]);
  // Screen readers hear where it is and how to move.
  const description = await inBadges(page, (roots) =>
    roots
      .find((r) => r.host === document.activeElement)
      ?.querySelector(".pill")
      ?.getAttribute("aria-description"),
  );
  expect(description).toBe("Vitals badge 3 of 750 here; arrow keys move between them.");
  await page.keyboard.press("End");
  await expect.poll(() => focusedPill(page)).toBe("Watch");
  await page.keyboard.press("Home");
  await expect.poll(() => focusedPill(page)).toBe("72 B");
  await page.close();
});

test("badges never move the page: every row keeps its place and height", async () => {
  const page = await openList();
  const [before, after] = await page.evaluate(() => [
    (window as unknown as { layoutBefore: [number, number][] }).layoutBefore,
    [...document.querySelectorAll("#tickets tr, aside p")].map((element) => {
      const box = element.getBoundingClientRect();
      return [box.top + scrollY, box.height];
    }),
  ]);
  expect(after).toHaveLength(before.length);
  expect(before.length).toBe(303);
  for (let i = 0; i < before.length; i++) {
    expect(after[i]?.[0]).toBeCloseTo(before[i]?.[0] ?? Number.NaN, 1);
    expect(after[i]?.[1]).toBeCloseTo(before[i]?.[1] ?? Number.NaN, 1);
  }
  await page.close();
});

/** The popup's "On this tab" list as [name, places], sorted by name. */
function listedPlaces(popup: Page): Promise<[string, string | null][]> {
  return popup
    .locator('[aria-label="Accounts on this tab"] > li')
    .evaluateAll((items) =>
      items
        .map((li): [string, string | null] => [
          li.children[1]?.textContent ?? "",
          li.querySelector('[data-testid="places"]')?.textContent?.trim() ?? null,
        ])
        .sort((a, b) => a[0].localeCompare(b[0])),
    );
}

test("the popup lists each account once, with how many places show its badge, and counts only what shows", async () => {
  const { context } = extension as ExtensionFixture;
  // An address of its own, so the popup describes this tab and no other test's (nor a closed one of a repeat).
  const url = `${URL_LIST}?assignee=me&view=${randomUUID()}`;
  await serveFixture(context, url, "generic-ticket-list.html");
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.locator("vitals-badge")).toHaveCount(LIST_BADGES + 1, { timeout: 15_000 });
  const popup = await popupForPage(extension as ExtensionFixture, url);
  // By hand: Northwind is the requester of the 150 even rows (one badge per row for its address and its name in the
  // subject) and of the requester card (one for its three mentions); Globex and Initech are named in every row's
  // sentence (Globex's own requester rows included, once per row). The closed menu adds nothing.
  await expect
    .poll(() => listedPlaces(popup))
    .toEqual([
      ["Globex Corporation", "in 300 places"],
      ["Initech", "in 300 places"],
      ["Northwind Traders", "in 151 places"],
    ]);
  // The pieces of text that show: per row the requester's link and the subject (600), the header's "Tickets" link
  // and "Recently viewed" button, the heading, and the card's heading, address link and two lines (7); all but the
  // four without an account matched. The closed menu's three links are not counted.
  await expect(popup.getByTestId("tab-report")).toHaveText(
    "Generic matcher: searched 607 pieces of text; matched 603.",
  );
  // The user opens the menu: its three entries show, get their badges, and now count, in the popup as it stays open.
  await page.getByRole("button", { name: "Recently viewed" }).click();
  await expect.poll(() => badgeTexts(page, "#recent vitals-badge")).toEqual(["72 B", "D", "D"]);
  await expect
    .poll(() => listedPlaces(popup))
    .toEqual([
      ["Globex Corporation", "in 302 places"],
      ["Initech", "in 300 places"],
      ["Northwind Traders", "in 152 places"],
    ]);
  await expect(popup.getByTestId("tab-report")).toHaveText(
    "Generic matcher: searched 610 pieces of text; matched 606.",
  );
  await popup.close();
  await page.close();
});
