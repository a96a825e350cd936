import type { Page, Worker } from "@playwright/test";
import { FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { badgeTexts } from "./badge-roots.ts";
import { badgeSet, seedBadges } from "./extension-data.ts";
import { type ExtensionFixture, expect, serveFixture, test } from "./fixtures.ts";

// Issue 16, the built-in sites: the popup says in one sentence how the tab's page was read, so a user can report a
// page that is not badged; a known product whose layout is not recognised falls back to the generic matcher.

async function tabIdOf(background: Worker, url: string): Promise<number> {
  return background.evaluate(async (url) => {
    const all = await chrome.storage.session.get(null);
    const key = Object.keys(all).find((k) => k.startsWith("report:") && (all[k] as { url?: string }).url === url);
    return key === undefined ? -1 : Number(key.slice(7));
  }, url);
}

async function reportOf(extension: ExtensionFixture, url: string): Promise<Page> {
  await expect.poll(() => tabIdOf(extension.background, url)).toBeGreaterThan(0);
  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.id}/popup.html?tab=${await tabIdOf(extension.background, url)}`);
  return popup;
}

test("the popup says what the Zendesk adapter found on this tab and how much matched", async ({ extension }) => {
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS));
  const url = "https://acme.zendesk.com/agent/tickets/4812";
  await serveFixture(extension.context, url, "zendesk-ticket.html");
  const page = await extension.context.newPage();
  await page.goto(url);
  await expect.poll(() => badgeTexts(page)).toContain("72 B");
  // By hand: the requester (by the context panel's email), the organization crumb (by name) and the context panel's
  // organization link (by id); the link inside the customer's comment is not a known place.
  const popup = await reportOf(extension, url);
  await expect(popup.getByTestId("tab-report")).toHaveText(
    "Zendesk adapter: found 1 person, 2 organizations; matched 3.",
  );
});

test("a Zendesk page whose layout is not recognised is read by the generic matcher, and the popup says so", async ({
  extension,
}) => {
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS));
  const url = "https://acme.zendesk.com/agent/tickets/4813";
  await serveFixture(extension.context, url, "zendesk-changed-layout.html");
  const page = await extension.context.newPage();
  await page.goto(url);
  // Northwind by its name in the header and by the requester's email: badges, not a blank page.
  await expect.poll(async () => (await badgeTexts(page)).length).toBe(2);
  expect(await badgeTexts(page)).toEqual(["72 B", "72 B"]);
  const popup = await reportOf(extension, url);
  await expect(popup.getByTestId("tab-report")).toHaveText(
    "Zendesk layout not recognised — used the generic matcher: searched 4 pieces of text; matched 2.",
  );
});
