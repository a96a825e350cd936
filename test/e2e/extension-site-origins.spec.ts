import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page, Worker } from "@playwright/test";
import { FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { badgeTexts } from "./badge-roots.ts";
import { badgeSet, openOptions, seedBadges } from "./extension-data.ts";
import { EXTENSION_DIR, type ExtensionFixture, expect, launchExtension, serveFixture, test } from "./fixtures.ts";

// Issue 16, items 6, 7 and 9: a site the user enables is exactly the origin the UI names (scheme, host and port),
// never the Vitals app's own pages; removing a site says what happened; the options page adds a site by address.
// Every address here is served by the test's routes (nothing listens on these ports).

const HOST = "http://127.0.0.1";
const DESK = `${HOST}:18088`;
const OTHER_PORT = `${HOST}:18099`;
const APP = `${HOST}:18173`;
const ADDED = `${HOST}:18077`;

/**
 * A copy of the build whose manifest already grants all of 127.0.0.1: what a user granted for a host before ports
 * counted, and the permission prompt no test can answer (asking for a granted origin shows none). Such a grant is
 * "required" to Chromium, so it refuses to take it back: the case where Remove used to say it failed.
 */
function buildGrantedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "vitals-ext-"));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const manifestPath = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.host_permissions = [`${HOST}/*`];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

async function registered(background: Worker): Promise<{ id: string; matches: string[] }[]> {
  return background.evaluate(async () =>
    (await chrome.scripting.getRegisteredContentScripts()).map((s) => ({ id: s.id, matches: s.matches ?? [] })),
  );
}

/** The sites the background records as enabled (storage.local keys `site:<origin>`, background/sites.ts). */
async function enabledSites(background: Worker): Promise<string[]> {
  return background.evaluate(async () =>
    Object.keys(await chrome.storage.local.get(null))
      .filter((key) => key.startsWith("site:"))
      .map((key) => key.slice("site:".length))
      .sort(),
  );
}

async function tabIdOf(background: Worker, url: string): Promise<number> {
  return background.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url });
    return tab?.id ?? -1;
  }, url);
}

async function openPopup(extension: ExtensionFixture, tabId: number): Promise<Page> {
  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.id}/popup.html?tab=${tabId}`);
  await expect(popup.getByRole("heading", { name: "Vitals", exact: true })).toBeVisible();
  return popup;
}

/** How many scan passes the content script ran on a page (0: it never ran there). */
const scans = (page: Page) => page.evaluate(() => performance.getEntriesByName("vitals:scan").length);

async function setup() {
  const dir = buildGrantedCopy();
  const extension = await launchExtension(dir);
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS));
  // The Vitals app the user paired with lives on the same host as the help desk.
  await extension.background.evaluate((origin) => chrome.storage.local.set({ pairing: { origin } }), APP);
  for (const origin of [DESK, OTHER_PORT, APP, ADDED]) {
    await serveFixture(extension.context, `${origin}/tickets/42`, "generic-helpdesk.html");
  }
  return { dir, extension };
}

test("Enable on this site enables that one origin, never another port or the Vitals app; Remove says it removed it", async () => {
  const { dir, extension } = await setup();
  try {
    const desk = await extension.context.newPage();
    await desk.goto(`${DESK}/tickets/42`);
    const popup = await openPopup(extension, await tabIdOf(extension.background, `${DESK}/tickets/42`));
    await expect(popup.getByText(`Badges on ${DESK} only (this scheme, host and port)`)).toBeVisible();
    await popup.getByRole("button", { name: "Enable on this site" }).click();
    await expect(popup.getByRole("status")).toHaveText(
      `Badges are on for ${DESK} (this address only). Remove it any time in the options.`,
    );
    expect(await enabledSites(extension.background)).toEqual([DESK]);
    // No content script runs on the site (its pages load without one): the background runs the badges once a page
    // has loaded.
    expect(await registered(extension.background)).toEqual([]);
    // The open page got the badges at once: the reporter's email, Globex's domain, Initech by name.
    await expect.poll(() => badgeTexts(desk)).toContain("72 B");

    // Another port of the same host runs nothing, though the browser's grant covers the whole host.
    const other = await extension.context.newPage();
    await other.goto(`${OTHER_PORT}/tickets/42`);
    await desk.reload();
    await expect.poll(() => badgeTexts(desk)).toContain("72 B");
    expect(await scans(other)).toBe(0);
    expect(await badgeTexts(other)).toEqual([]);

    // A registration an earlier version made, before ports counted, covers every port: it is moved to the record of
    // its one origin and unregistered (the next page's load does it), and the background runs no badges on the app's
    // page or the other port (nor would it answer their lookups).
    // (Its script, the starter those versions had, is written into the unpacked extension for the registration.)
    mkdirSync(join(dir, "content-scripts"), { recursive: true });
    writeFileSync(join(dir, "content-scripts", "content.js"), '"use strict";\n');
    await extension.background.evaluate(
      (host) =>
        chrome.scripting.registerContentScripts([
          { id: "site:http://127.0.0.1:18000", matches: [`${host}/*`], js: ["content-scripts/content.js"] },
        ]),
      HOST,
    );
    const app = await extension.context.newPage();
    await app.goto(`${APP}/tickets/42`);
    await other.reload();
    await expect.poll(() => registered(extension.background)).toEqual([]);
    expect(await enabledSites(extension.background)).toEqual(["http://127.0.0.1:18000", DESK]);
    await app.reload();
    await other.reload();
    await app.waitForTimeout(700); // the fixture's late comment (400 ms) would be scanned too
    expect(await scans(app)).toBe(0);
    expect(await scans(other)).toBe(0);
    expect(await badgeTexts(app)).toEqual([]);
    expect(await badgeTexts(other)).toEqual([]);
    const appPopup = await openPopup(extension, await tabIdOf(extension.background, `${APP}/tickets/42`));
    await expect(appPopup.getByText("This is the Vitals app: its own pages never get badges.")).toBeVisible();
    await expect(appPopup.getByRole("button", { name: "Enable on this site" })).toHaveCount(0);

    // Remove: the registration goes, the browser keeps the manifest's grant, and the page says exactly that.
    const options = await openOptions(extension);
    await options.getByRole("button", { name: `Remove ${DESK}` }).click();
    await expect(options.getByRole("status")).toContainText(`Removed ${DESK}: no badges there from now on.`);
    await expect(options.getByRole("status")).toContainText("The browser kept its permission for that address");
    await expect(options.getByRole("alert")).toHaveCount(0);
    await expect(options.getByRole("list", { name: "Sites you enabled" })).not.toContainText(DESK);
    expect(await enabledSites(extension.background)).toEqual(["http://127.0.0.1:18000"]);
    expect(await registered(extension.background)).toEqual([]);
    // The open page's badges go too: it looks its page up again and gets no answer.
    await expect.poll(() => badgeTexts(desk)).toEqual([]);
  } finally {
    await extension.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the options page adds a site by address (that origin only) and refuses the app and the built-in sites", async () => {
  const { dir, extension } = await setup();
  try {
    const options = await openOptions(extension);
    const address = options.getByLabel("Site address");
    await address.fill(`${APP}/#/accounts`);
    await options.getByRole("button", { name: "Add site" }).click();
    await expect(options.getByRole("alert")).toHaveText(`${APP} is the Vitals app: its own pages never get badges.`);
    await address.fill("https://acme.zendesk.com/agent/tickets/1");
    await options.getByRole("button", { name: "Add site" }).click();
    await expect(options.getByRole("alert")).toHaveText("Vitals works on https://acme.zendesk.com out of the box.");
    expect(await enabledSites(extension.background)).toEqual([]);

    await address.fill(`${ADDED}/tickets/42`);
    await options.getByRole("button", { name: "Add site" }).click();
    await expect(options.getByRole("status")).toHaveText(
      `Badges are on for ${ADDED} (this address only): its pages get them as they load.`,
    );
    await expect(options.getByRole("list", { name: "Sites you enabled" })).toContainText(ADDED);
    expect(await enabledSites(extension.background)).toEqual([ADDED]);
    expect(await registered(extension.background)).toEqual([]);
    const page = await extension.context.newPage();
    await page.goto(`${ADDED}/tickets/42`);
    await expect.poll(() => badgeTexts(page)).toContain("72 B");
  } finally {
    await extension.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
