import type { Locator, Page } from "@playwright/test";
import { account, FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { badgeSet, seedBadges } from "./extension-data.ts";
import { test as base, type ExtensionFixture, expect, launchExtension, serveFixture } from "./fixtures.ts";

// Badges on the built-in products' pages, against fixture pages that mirror each product's DOM (test/fixtures/pages),
// served at the products' real addresses. One browser profile per worker, seeded once through the options page's
// import, serves every test here that only reads; tests that change the data get their own profile.

const PWA = "http://localhost:5173/";

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

/** The badge right after an element (the pill inside its shadow root; Playwright's CSS pierces open roots). */
function badgeAfter(page: Page | Locator, selector: string): Locator {
  return page.locator(`${selector} + vitals-badge .pill`);
}

/** How many scan passes the content script has finished on this page (its vitals:scan measures). */
function passes(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName("vitals:scan").length);
}

test.describe("badges on the built-in sites", () => {
  test("Zendesk: the organization, the requester and the organization link get the account's badge, styled apart from the page", async ({
    shared,
  }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    const org = badgeAfter(page, '[data-test-id="tabs-nav-item-organizations"]');
    await expect(org).toHaveText("72 B");
    await expect(org).toHaveAccessibleName("Vitals health of Northwind Traders: 72 points, grade B, Good, up 5 points");
    await expect(badgeAfter(page, '[data-test-id="ticket-system-field-requester-select"]')).toHaveText("72 B");
    await expect(badgeAfter(page, '[data-test-id="customer-context-organization"]')).toHaveText("72 B");
    await expect(page.locator("vitals-badge")).toHaveCount(3);
    // The page's `* { color: magenta }` and serif font do not reach inside the badge.
    const style = await org.evaluate((pill) => {
      const s = getComputedStyle(pill);
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
    await expect(badgeAfter(first, '[data-test-id="ticket-system-field-requester-select"]')).toHaveText("72 B");
    await page.getByRole("link", { name: "#4813 Invoice shows the wrong plan" }).click();
    const second = page.locator('[data-ticket-id="4813"]');
    // Globex's scorecard shows grades first.
    await expect(badgeAfter(second, '[data-test-id="tabs-nav-item-organizations"]')).toHaveText("D");
    await expect(badgeAfter(second, '[data-test-id="ticket-system-field-requester-select"]')).toHaveText("D");
    await expect(badgeAfter(second, '[data-test-id="customer-context-organization"]')).toHaveText("D");
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
    await expect(badgeAfter(active, "lightning-formatted-text")).toHaveText("72 B");
    await expect(badgeAfter(active, 'a[href="/lightning/r/001Dn00000GlBxQIAT/view"]')).toHaveText("D");
    await expect(badgeAfter(active, 'a[href="/lightning/r/Account/001Dn00000InTchIAE/view"]')).toHaveText("Watch");
    await page.getByRole("link", { name: "Dana Whitfield" }).click();
    await expect(page).toHaveURL(/\/lightning\/r\/Contact\/003Dn00000DanaWIAA\/view$/);
    await expect(active.locator("lightning-formatted-text")).toHaveText("Dana Whitfield");
    await expect(badgeAfter(active, "lightning-formatted-text")).toHaveText("72 B");
    await expect(badgeAfter(active, 'a[href="/lightning/r/Account/001Dn00000NwTrdIAF/view"]')).toHaveText("72 B");
    await expect(active.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("HubSpot: the company record by its id, then a contact by email and their company by its link", async ({
    shared,
  }) => {
    const page = await open(shared, "https://app.hubspot.com/contacts/4242/record/0-2/9001", "hubspot-crm-spa.html");
    await expect(badgeAfter(page, '[data-selenium-test="highlightTitle"]')).toHaveText("72 B");
    await page.evaluate(() => (window as unknown as { fixture: { openContact(): void } }).fixture.openContact());
    await expect(page.locator('[data-selenium-test="highlightTitle"]')).toHaveText("Lee Marsh");
    await expect(badgeAfter(page, '[data-selenium-test="highlightTitle"]')).toHaveText("D");
    await expect(badgeAfter(page, '[data-selenium-test="company-chicklet-title-link"]')).toHaveText("D");
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
    const sidebar = page.getByRole("complementary", { name: "Conversation details" });
    await expect(badgeAfter(sidebar, 'a[href^="mailto:"]')).toHaveText("72 B");
    await expect(badgeAfter(sidebar, 'a[href*="/companies/"]')).toHaveText("72 B");
    await page.getByRole("link", { name: "Lee Marsh: Wrong plan on invoice" }).click();
    await expect(badgeAfter(sidebar, 'a[href="mailto:lee@globex.example"]')).toHaveText("D");
    await expect(badgeAfter(sidebar, 'a[href*="/companies/5f1e0d"]')).toHaveText("D");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("Freshdesk: the ticket requester's email and company", async ({ shared }) => {
    const page = await open(shared, "https://northwind-support.freshdesk.com/a/tickets/1234", "freshdesk-ticket.html");
    await expect(badgeAfter(page, "a.requester-email")).toHaveText("72 B");
    await expect(badgeAfter(page, 'a[href="/a/companies/77"]')).toHaveText("72 B");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.close();
  });

  test("Gmail: senders in the list, then a thread's sender and recipients; personal and unknown addresses get nothing", async ({
    shared,
  }) => {
    const page = await open(shared, "https://mail.google.com/mail/u/0/", "gmail-inbox-spa.html");
    await expect(badgeAfter(page, 'span[email="dana@northwind.example"]')).toHaveText("72 B");
    await expect(badgeAfter(page, 'span[email="lee@globex.example"]')).toHaveText("D");
    await expect(page.locator("vitals-badge")).toHaveCount(2);
    await page.getByRole("link", { name: "SSO login broken" }).click();
    await expect(page.locator("h2.hP")).toHaveText("SSO login broken");
    await expect(badgeAfter(page, "span.gD")).toHaveText("72 B");
    await expect(badgeAfter(page, 'span.g2[email="ops@initech.example"]')).toHaveText("Watch");
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
    const org = badgeAfter(page, '[data-test-id="tabs-nav-item-organizations"]');
    await expect(org).toHaveText("72 B");
    await org.hover();
    const card = page.getByRole("dialog", { name: "<img src=x onerror=alert(1)>" });
    await expect(card).toBeVisible();
    await expect(card.getByText("<script>window.pwned = true</script>")).toBeVisible();
    await expect(card.getByText('"><svg onload=alert(2)> (since 2026-11-01)')).toBeVisible();
    await expect(card.getByText("Override: <b>bold</b> claim (until 2026-12-31)")).toBeVisible();
    expect(await page.locator("img, script:not(body > script), b").count()).toBe(0);
    expect(await card.locator("img, svg, b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  test("the card opens on hover with the whole story, and closes when the pointer leaves", async ({ shared }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    const pill = badgeAfter(page, '[data-test-id="tabs-nav-item-organizations"]');
    await pill.hover();
    const card = page.getByRole("dialog", { name: "Northwind Traders" });
    await expect(card).toBeVisible();
    await expect(pill).toHaveAttribute("aria-expanded", "true");
    await expect(card).toContainText("72 points, grade B, Good");
    await expect(card).toContainText("Change: +5 (up 5 points)");
    await expect(card.getByRole("img", { name: "Score over the last 5 weeks, from 60 to 72" })).toBeVisible();
    await expect(card.getByRole("listitem")).toHaveText([
      "NPS fell from 40 to −10: −12 points",
      "Dropped 10 points in 30 days (since 2026-11-18)",
    ]);
    await expect(card).toContainText("Score as of 2026-11-20");
    await expect(card.getByRole("link", { name: "Open in Vitals" })).toHaveAttribute(
      "href",
      `${PWA}#/accounts/northwind`,
    );
    await page.getByRole("heading", { name: "Login broken after SSO change" }).hover();
    await expect(card).toBeHidden();
    await page.close();
  });

  test("the card opens on keyboard focus, its link is the next stop, Escape closes it and focus stays on the badge", async ({
    shared,
  }) => {
    const page = await open(shared, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    const pill = badgeAfter(page, '[data-test-id="tabs-nav-item-organizations"]');
    await pill.focus();
    const card = page.getByRole("dialog", { name: "Northwind Traders" });
    await expect(card).toBeVisible();
    await page.keyboard.press("Tab");
    await expect(card.getByRole("link", { name: "Open in Vitals" })).toBeFocused();
    await expect(card).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(card).toBeHidden();
    await expect(pill).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(card).toBeVisible();
    await page.close();
  });
});

test.describe("badges when the data changes", () => {
  test("a new score reaches the badges on an open page in place", async ({ extension }) => {
    await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS, { pwaUrl: PWA }));
    const page = await open(extension, "https://acme.zendesk.com/agent/tickets/4812", "zendesk-ticket.html");
    const org = badgeAfter(page, '[data-test-id="tabs-nav-item-organizations"]');
    await expect(org).toHaveText("72 B");
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
    await expect(org).toHaveText("35 D");
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
