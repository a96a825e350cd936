import { FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { badgeTexts } from "./badge-roots.ts";
import { badgeSet, popupForPage as reportOf, seedBadges } from "./extension-data.ts";
import { expect, serveFixture, test } from "./fixtures.ts";

// Issue 16, the built-in sites: the popup says in one sentence how the tab's page was read, so a user can report a
// page that is not badged; a known product whose layout is not recognised falls back to the generic matcher.

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

test("the popup counts and lists only what the user can see: a ticket tab kept hidden in the page adds nothing", async ({
  extension,
}) => {
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS));
  const url = "https://acme.zendesk.com/agent/tickets/4812";
  await serveFixture(extension.context, url, "zendesk-hidden-tab.html");
  const page = await extension.context.newPage();
  await page.goto(url);
  // The ticket on screen: Northwind by its crumb, its requester and its context panel's organization link.
  await expect.poll(() => badgeTexts(page)).toEqual(["72 B", "72 B", "72 B"]);
  // The hidden tab of ticket #4790 names Globex in the same three places, and its requester by email: by hand, what
  // shows is 1 person and 2 organizations, all three Northwind's (counting the hidden tab said 2 people, 4
  // organizations, and so the report described a page the user did not see).
  const popup = await reportOf(extension, url);
  await expect(popup.getByTestId("tab-report")).toHaveText(
    "Zendesk adapter: found 1 person, 2 organizations; matched 3.",
  );
  const listed = popup.getByRole("list", { name: "Accounts on this tab" }).getByRole("listitem");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("Northwind Traders");
  await expect(listed.getByTestId("places")).toHaveText("in 3 places");
  expect(await badgeTexts(page, '[data-ticket-id="4790"] vitals-badge')).toEqual([]);
});
