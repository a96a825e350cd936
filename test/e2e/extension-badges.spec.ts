import type { Page } from "@playwright/test";
import { DEFAULT_APP_ORIGIN } from "../../core/schema/bridge.ts";
import { account, FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { accessibleButtons, badgesAt, badgeTexts, focusBadge, focusedPill, inBadges, openCard } from "./badge-roots.ts";
import { badgeSet, seedBadges } from "./extension-data.ts";
import { test as base, type ExtensionFixture, expect, launchExtension, serveFixture } from "./fixtures.ts";

// Badges on the built-in products' pages, against fixture pages that mirror each product's DOM (test/fixtures/pages),
// served at the products' real addresses. One browser profile per worker, seeded once through the options page's
// import, serves every test here that only reads; tests that change the data get their own profile.

// The app's address a file carries: "Open in Vitals" links only to the app the extension trusts.
const PWA = `${DEFAULT_APP_ORIGIN}/`;

const test = base.extend<object, { shared: ExtensionFixture }>({
  shared: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring.
    async ({}, use) => {
      const { close, ...extension } = await launchExtension();
      await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS, { pwaUrl: PWA }));
      await use(extension);
      await close();
    },
    { scope: "worker", timeout: 60_000 },
  ],
});

/** Opens a fixture page at a product address in a new tab. */
async function open(extension: ExtensionFixture, url: string, fixture: string): Promise<Page> {
  await serveFixture(extension.context, url, fixture);
  const page = await extension.context.newPage();
  await page.goto(url);
  return page;
}

/** Waits until the one badge right after `selector` shows `text` (read through the DevTools protocol: see badge-roots). */
async function expectBadge(page: Page, selector: string, text: string): Promise<void> {
  await expect.poll(() => badgeTexts(page, `${selector} + vitals-badge`)).toEqual([text]);
}

const ORG_TAB = '[data-test-id="tabs-nav-item-organizations"]';

/** How many scan passes the content script has finished on this page (its vitals:scan measures). */
function passes(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName("vitals:scan").length);
}

test.describe("badges on the built-in sites", () => {
  test("Zendesk: the organization, the requester and the organization link get the account's badge, styled apart from the page", async ({
    shared,
  }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    await expectBadge(page, ORG_TAB, "72 B");
    // Screen readers get the whole score as the pill's name: the accessibility tree includes closed shadow trees.
    const name = "Vitals health of Northwind Traders: 72 points, grade B, Good, up 5 points";
    expect((await badgesAt(page, `${ORG_TAB} + vitals-badge`))[0]?.name).toBe(name);
    await expect.poll(() => accessibleButtons(page)).toContain(name);
    await expectBadge(page, '[data-test-id="ticket-system-field-requester-select"]', "72 B");
    await expectBadge(page, '[data-test-id="customer-context-organization"]', "72 B");
    await expect(page.locator("vitals-badge")).toHaveCount(3);
    // A customer's comment links another organization (Globex's page): that link is not the ticket's data.
    expect(await badgeTexts(page, '[data-test-id="omni-log-comment-item"] vitals-badge')).toEqual([]);
    // The page's `* { color: magenta }` and serif font do not reach inside the badge.
    const style = await inBadges(page, (roots) => {
      const s = getComputedStyle(roots[0]?.querySelector(".pill") as Element);
      return { color: s.color, font: s.fontFamily };
    });
    expect(style.color).not.toBe("rgb(255, 0, 255)");
    expect(style.font).not.toContain("Georgia");
    await page.close();
  });

  test("Zendesk SPA: badges appear when the ticket renders late, follow the switch to another ticket, and never double", async ({
    shared,
  }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-workspace-spa.html");
    const first = page.locator('[data-ticket-id="4812"]');
    await expectBadge(page, '[data-ticket-id="4812"] [data-test-id="ticket-system-field-requester-select"]', "72 B");
    await page.getByRole("link", { name: "#4813 Invoice shows the wrong plan" }).click();
    const second = page.locator('[data-ticket-id="4813"]');
    // Globex's scorecard shows grades first.
    await expectBadge(page, '[data-ticket-id="4813"] [data-test-id="tabs-nav-item-organizations"]', "D");
    await expectBadge(page, '[data-ticket-id="4813"] [data-test-id="ticket-system-field-requester-select"]', "D");
    await expectBadge(page, '[data-ticket-id="4813"] [data-test-id="customer-context-organization"]', "D");
    await expect(second.locator("vitals-badge")).toHaveCount(3);
    const scans = await passes(page);
    for (let i = 0; i < 3; i++)
      await page.evaluate(() => (window as unknown as { fixture: { rerender(): void } }).fixture.rerender());
    await expect.poll(() => passes(page)).toBeGreaterThan(scans);
    await expect(second.locator("vitals-badge")).toHaveCount(3);
    await expect(first.locator("vitals-badge")).toHaveCount(3);
    await page.close();
  });

  test("Salesforce: the account record, its parent and related accounts; then a contact's record after navigation", async ({
    shared,
  }) => {
    const page = await open(
      shared,
      "https://acme.lightning.force.com/lightning/r/Account/001Dn00000NwTrdIAF/view",
      "salesforce-lightning-spa.html",
    );
    const active = page.locator(".oneContent.active");
    await expectBadge(page, ".oneContent.active lightning-formatted-text", "72 B");
    await expectBadge(page, '.oneContent.active a[href="/lightning/r/001Dn00000GlBxQIAT/view"]', "D");
    await expectBadge(page, '.oneContent.active a[href="/lightning/r/Account/001Dn00000InTchIAE/view"]', "Watch");
    await page.getByRole("link", { name: "Dana Whitfield" }).click();
    await expect(page).toHaveURL(/\/lightning\/r\/Contact\/003Dn00000DanaWIAA\/view$/);
    await expect(active.locator("lightning-formatted-text")).toHaveText("Dana Whitfield");
    await expectBadge(page, ".oneContent.active lightning-formatted-text", "72 B");
    await expectBadge(page, '.oneContent.active a[href="/lightning/r/Account/001Dn00000NwTrdIAF/view"]', "72 B");
    await expect(active.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("HubSpot: the company record by its id, then a contact by email and their company by its link", async ({
    shared,
  }) => {
    const page = await open(shared, "https://app.hubspot.com/contacts/4242/record/0-2/9001", "hubspot-crm-spa.html");
    await expectBadge(page, '[data-selenium-test="highlightTitle"]', "72 B");
    await page.evaluate(() => (window as unknown as { fixture: { openContact(): void } }).fixture.openContact());
    await expect(page.locator('[data-selenium-test="highlightTitle"]')).toHaveText("Lee Marsh");
    await expectBadge(page, '[data-selenium-test="highlightTitle"]', "D");
    await expectBadge(page, '[data-selenium-test="company-chicklet-title-link"]', "D");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("Intercom: the person's email and company in the details sidebar, following the conversation", async ({
    shared,
  }) => {
    const page = await open(
      shared,
      "https://app.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/215470000000777",
      "intercom-inbox-spa.html",
    );
    await expectBadge(page, '[aria-label="Conversation details"] a[href^="mailto:"]', "72 B");
    await expectBadge(page, '[aria-label="Conversation details"] a[href*="/companies/"]', "72 B");
    await page.getByRole("link", { name: "Lee Marsh: Wrong plan on invoice" }).click();
    await expectBadge(page, '[aria-label="Conversation details"] a[href="mailto:lee@globex.example"]', "D");
    await expectBadge(page, '[aria-label="Conversation details"] a[href*="/companies/5f1e0d"]', "D");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("Freshdesk: the ticket requester's email and company", async ({ shared }) => {
    const page = await open(shared, "https://northwind-support.freshdesk.com/a/tickets/1234", "freshdesk-ticket.html");
    await expectBadge(page, "a.requester-email", "72 B");
    await expectBadge(page, 'a[href="/a/companies/77"]', "72 B");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("Gmail: senders in the list, then a thread's sender and recipients; personal and unknown addresses get nothing", async ({
    shared,
  }) => {
    const page = await open(shared, "https://mail.google.com/mail/u/0/", "gmail-inbox-spa.html");
    await expectBadge(page, 'span[email="dana@northwind.example"]', "72 B");
    await expectBadge(page, 'span[email="lee@globex.example"]', "D");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.getByRole("link", { name: "SSO login broken" }).click();
    await expect(page.locator("h2.hP")).toHaveText("SSO login broken");
    await expectBadge(page, "span.gD", "72 B");
    await expectBadge(page, 'span.g2[email="ops@initech.example"]', "Watch");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("a page with no known account gets no badge and is left exactly as it was", async ({ shared }) => {
    const url = "https://acme.zendesk.com/agent/tickets/5100";
    await serveFixture(shared.context, url, "zendesk-unknown.html");
    const page = await shared.context.newPage();
    // The page as the browser built it, before any content script (they run at document_idle, after this).
    await page.addInitScript(() => {
      document.addEventListener("DOMContentLoaded", () => {
        (window as unknown as { before: string }).before = document.documentElement.outerHTML;
      });
    });
    await page.goto(url);
    await expect.poll(() => passes(page)).toBeGreaterThan(0);
    const [before, after] = await page.evaluate(() => [
      (window as unknown as { before: string }).before,
      document.documentElement.outerHTML,
    ]);
    expect(after).toBe(before);
    await expect(page.locator("vitals-badge")).toHaveCount(0);
    await page.close();
  });

  test("an account named with markup shows as text: nothing runs, no element is made from it", async ({ shared }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/6660", "zendesk-injection.html");
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await expectBadge(page, ORG_TAB, "72 B");
    await page.locator(`${ORG_TAB} + vitals-badge`).hover();
    await expect.poll(async () => (await openCard(page))?.name).toBe("<img src=x onerror=alert(1)>");
    const card = await openCard(page);
    expect(card?.items).toContain("<script>window.pwned = true</script>");
    expect(card?.items).toContain('"><svg onload=alert(2)> (since 2026-11-01)');
    expect(card?.text).toContain("Override: <b>bold</b> claim (until 2026-12-31)");
    expect(await page.locator("img, script:not(body > script), b").count()).toBe(0);
    expect(card?.tags).toEqual([]);
    expect(card?.images).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  test("the card opens on hover with the whole story, and closes when the pointer leaves", async ({ shared }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    await expectBadge(page, ORG_TAB, "72 B");
    await page.locator(`${ORG_TAB} + vitals-badge`).hover();
    await expect.poll(async () => (await openCard(page))?.name).toBe("Northwind Traders");
    expect((await badgesAt(page, `${ORG_TAB} + vitals-badge`))[0]?.expanded).toBe(true);
    const card = await openCard(page);
    expect(card?.text).toContain("72 points, grade B, Good");
    expect(card?.text).toContain("Change: +5 (up 5 points)");
    expect(card?.images).toEqual(["Score over the last 5 weeks, from 60 to 72"]);
    expect(card?.items).toEqual([
      "NPS fell from 40 to −10: −12 points",
      "Dropped 10 points in 30 days (since 2026-11-18)",
    ]);
    expect(card?.text).toContain("Score as of 2026-11-20");
    expect(card?.links).toEqual([{ text: "Open in Vitals", href: `${PWA}#/accounts/northwind` }]);
    await page.getByRole("heading", { name: "Login broken after SSO change" }).hover();
    await expect.poll(() => openCard(page)).toBeNull();
    await page.close();
  });

  test("the card opens on keyboard focus, its link is the next stop, Escape closes it and focus stays on the badge", async ({
    shared,
  }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    await expectBadge(page, ORG_TAB, "72 B");
    await focusBadge(page, ORG_TAB);
    await expect.poll(async () => (await openCard(page))?.name).toBe("Northwind Traders");
    await page.keyboard.press("Tab");
    await expect.poll(async () => (await openCard(page))?.focused).toBe("Open in Vitals");
    await page.keyboard.press("Escape");
    await expect.poll(() => openCard(page)).toBeNull();
    expect(await focusedPill(page)).toBe("72 B");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await openCard(page))?.name).toBe("Northwind Traders");
    await page.close();
  });
});

test.describe("what a page learns from its badges", () => {
  test("a page's script cannot read a badge or its card, and its synthetic events open nothing", async ({ shared }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    await expect.poll(() => badgeTexts(page)).toEqual(["72 B", "72 B", "72 B"]);
    // Everything a page's script might try: the root, the host's text and markup, its attributes, the page's own
    // text; then mouse, pointer, focus and key events on each badge and at its place on screen, and a wait.
    const seen = await page.evaluate(async () => {
      const hosts = [...document.querySelectorAll("vitals-badge")] as HTMLElement[];
      const read = () => ({
        roots: hosts.map((h) => h.shadowRoot !== null),
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is one of the ways a page reads text.
        texts: hosts.map((h) => `${h.textContent}${h.innerHTML}${h.innerText}${h.getAttributeNames().join()}`),
        // biome-ignore lint/performance/useDomNodeTextContent: the page's text as rendered, as a script reads it.
        page: `${document.body.innerText}\n${document.documentElement.outerHTML}`,
      });
      const before = read();
      for (const host of hosts) {
        const rect = host.getBoundingClientRect();
        const under = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2) ?? host;
        for (const target of [host, under]) {
          for (const type of ["pointerover", "pointerenter", "mouseover", "mouseenter", "mousemove"])
            target.dispatchEvent(
              new (type.startsWith("pointer") ? PointerEvent : MouseEvent)(type, { bubbles: true, composed: true }),
            );
          for (const type of ["focus", "focusin"])
            target.dispatchEvent(new FocusEvent(type, { bubbles: type === "focusin", composed: true }));
          for (const key of ["Enter", " "])
            target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, composed: true }));
          (target as HTMLElement).focus?.();
          (target as HTMLElement).click?.();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      // An open card would sit just below its badge, in the top layer.
      const below = hosts.map((h) => {
        const rect = h.getBoundingClientRect();
        return document.elementFromPoint(rect.x + 10, rect.bottom + 30)?.localName ?? null;
      });
      return { before, after: read(), below };
    });
    for (const state of [seen.before, seen.after]) {
      expect(state.roots).toEqual([false, false, false]);
      expect(state.texts).toEqual(["", "", ""]);
      for (const secret of ["72 points", "Good", "Dropped 10 points", "NPS fell", new URL(PWA).host, "Open in Vitals"])
        expect(state.page).not.toContain(secret);
    }
    expect(seen.below).not.toContain("vitals-badge");
    expect(await openCard(page)).toBeNull();
    // The user's own pointer still opens it.
    await page.locator(`${ORG_TAB} + vitals-badge`).hover();
    await expect.poll(async () => (await openCard(page))?.name).toBe("Northwind Traders");
    await page.close();
  });
});

test.describe("badges when the data changes", () => {
  test("a new score reaches the badges on an open page in place", async ({ extension }) => {
    await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS, { pwaUrl: PWA }));
    const page = await open(extension, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    await expectBadge(page, ORG_TAB, "72 B");
    await page.evaluate(() => {
      (window as unknown as { host: Element | null }).host = document.querySelector("vitals-badge");
    });
    const [northwind, ...others] = FIXTURE_ACCOUNTS;
    const worse = account({
      ...northwind,
      id: "northwind",
      name: "Northwind Traders",
      score: 35,
      shown: 35,
      grade: "D",
      color: "red",
      label: "At risk",
    });
    await seedBadges(extension, badgeSet([worse, ...others], { pwaUrl: PWA }));
    await expectBadge(page, ORG_TAB, "35 D");
    await expect(page.locator("vitals-badge")).toHaveCount(3);
    expect(
      await page.evaluate(
        () => document.querySelector("vitals-badge") === (window as unknown as { host: Element | null }).host,
      ),
    ).toBe(true);
    await page.close();
  });

  test("reloading the extension takes its badges off an open page", async ({ extension }) => {
    await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS, { pwaUrl: PWA }));
    const page = await open(extension, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-workspace-spa.html");
    await expect(page.locator("vitals-badge")).toHaveCount(3);
    await extension.background.evaluate(() => chrome.runtime.reload()).catch(() => undefined);
    // The orphaned script notices on the page's next change (it never polls).
    await expect(async () => {
      await page.evaluate(() => (window as unknown as { fixture: { rerender(): void } }).fixture.rerender());
      await expect(page.locator("vitals-badge")).toHaveCount(0, { timeout: 500 });
    }).toPass();
    await page.close();
  });
});
