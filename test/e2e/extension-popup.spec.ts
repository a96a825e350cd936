import type { Page, Worker } from "@playwright/test";
import { DEFAULT_APP_ORIGIN } from "../../core/schema/bridge.ts";
import { FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { badgeSet, seedBadges } from "./extension-data.ts";
import { type ExtensionFixture, expect, serveFixture, test } from "./fixtures.ts";

// The app's address a file carries: "Open in Vitals" links only to the app the extension trusts.
const PWA = `${DEFAULT_APP_ORIGIN}/`;
const TICKET = "https://acme.zendesk.com/agent/tickets/4812";

/** The id of the tab whose page the background recorded accounts for (storage.session keys are `tab:<id>`). */
async function tabIdOf(background: Worker, url: string): Promise<number | undefined> {
  return background.evaluate(async (url) => {
    const all = await chrome.storage.session.get(null);
    const key = Object.keys(all).find((k) => k.startsWith("tab:") && (all[k] as { url?: string }).url === url);
    return key === undefined ? undefined : Number(key.slice(4));
  }, url);
}

/** Opens the popup as a page, pointed at a tab (a toolbar popup describes the active tab; a test names it). */
async function openPopup(extension: ExtensionFixture, tabId: number): Promise<Page> {
  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.id}/popup.html?tab=${tabId}`);
  await expect(popup.getByRole("heading", { name: "Vitals", exact: true })).toBeVisible();
  return popup;
}

test("the popup lists the accounts the tab showed with links to the app, searches any account and says where the data came from", async ({
  extension,
}) => {
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS, { pwaUrl: PWA }), "team-badges.json");
  await serveFixture(extension.context, TICKET, "zendesk-ticket.html");
  const ticket = await extension.context.newPage();
  await ticket.goto(TICKET);
  await expect(ticket.locator("vitals-badge").first()).toBeVisible();
  await expect.poll(() => tabIdOf(extension.background, TICKET)).toBeDefined();
  const tabId = (await tabIdOf(extension.background, TICKET)) as number;

  const popup = await openPopup(extension, tabId);
  await expect(popup.getByTestId("source")).toContainText(
    `${FIXTURE_ACCOUNTS.length} accounts from the file team-badges.json`,
  );
  const onTab = popup.getByRole("list", { name: "Accounts on this tab" });
  await expect(onTab.getByRole("listitem")).toHaveCount(1);
  await expect(onTab.getByRole("listitem")).toContainText("72 B");
  await expect(onTab.getByRole("link", { name: "Northwind Traders" })).toHaveAttribute(
    "href",
    `${PWA}#/accounts/northwind`,
  );
  // A built-in product: nothing to enable.
  await expect(popup.getByText("Vitals works on this site out of the box.")).toBeVisible();

  // Search by the start of a name, then by domain; a miss says so.
  const search = popup.getByLabel("Search accounts");
  await search.fill("glob");
  const results = popup.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link", { name: "Globex Corporation" })).toBeVisible();
  await search.fill("northwind.example");
  await expect(results.getByRole("link")).toHaveText(["Northwind Traders"]);
  await search.fill("no such company");
  await expect(popup.getByRole("status")).toHaveText('No account matches "no such company".');
});

test("the popup of a tab with no known account says so", async ({ extension }) => {
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS, { pwaUrl: PWA }));
  const url = "https://acme.zendesk.com/agent/tickets/1";
  await serveFixture(extension.context, url, "zendesk-unknown.html");
  const page = await extension.context.newPage();
  await page.goto(url);
  await expect.poll(() => tabIdOf(extension.background, url)).toBeDefined();
  const popup = await openPopup(extension, (await tabIdOf(extension.background, url)) as number);
  await expect(popup.getByText("No known account on this page.")).toBeVisible();
});
