import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { badgeTexts } from "./badge-roots.ts";
import { badgeSet, seedBadges } from "./extension-data.ts";
import { EXTENSION_DIR, expect, launchExtension, serveFixture, test } from "./fixtures.ts";

// A site the user enabled (no adapter claims it): the same content script bundle, registered at run time for that
// origin, runs the generic adapter over the page's text and links.

const ORIGIN = "https://support.example.org";

/**
 * A copy of the built extension whose manifest already holds the permission for ORIGIN: what the user grants when
 * they choose "Enable on this site" (a browser prompt no test can answer).
 */
function buildGrantedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "vitals-ext-"));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const manifestPath = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.host_permissions = [`${ORIGIN}/*`];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

/** The extension with ORIGIN enabled as the background enables a site (extension/background/sites.ts), and data. */
async function enabledSite(dir: string) {
  const extension = await launchExtension(dir);
  await extension.background.evaluate((origin) => chrome.storage.local.set({ [`site:${origin}`]: true }), ORIGIN);
  await seedBadges(extension, badgeSet(FIXTURE_ACCOUNTS));
  return extension;
}

test("an enabled site gets badges from its text and links, late content too, and nothing in form fields", async () => {
  const dir = buildGrantedCopy();
  const extension = await enabledSite(dir);
  try {
    const url = `${ORIGIN}/tickets/42`;
    await serveFixture(extension.context, url, "generic-helpdesk.html");
    const page = await extension.context.newPage();
    await page.goto(url);
    // The reporter by the mailto: link's address, Globex by its status page's domain, Initech by name in a sentence.
    await expect.poll(() => badgeTexts(page, "#reporter a + vitals-badge")).toEqual(["72 B"]);
    await expect.poll(() => badgeTexts(page, "#status a + vitals-badge")).toEqual(["D"]);
    await expect.poll(() => badgeTexts(page, "#mention vitals-badge")).toEqual(["Watch"]);
    await expect.poll(() => badgeTexts(page, "#late vitals-badge")).toEqual(["D"]);
    await expect(page.locator("#unknown vitals-badge")).toHaveCount(0);
    await expect(page.locator("#reply")).toHaveValue("Draft reply to Initech");
    await expect(page.locator("vitals-badge")).toHaveCount(4);
  } finally {
    await extension.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an enabled site learns nothing from hidden text: only what the user sees is badged, and what they open later", async () => {
  const dir = buildGrantedCopy();
  const extension = await enabledSite(dir);
  try {
    const url = `${ORIGIN}/tickets/43`;
    await serveFixture(extension.context, url, "generic-hidden.html");
    const page = await extension.context.newPage();
    await page.goto(url);
    await expect.poll(() => badgeTexts(page)).toEqual(["Watch"]);
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName("vitals:scan").length)).toBeGreaterThan(0);
    // Seven candidate domains in a display:none list, and Globex hidden ten ways (styles, attributes, geometry):
    // none of them is badged, so the page cannot tell which are customers.
    expect(await badgeTexts(page)).toEqual(["Watch"]);
    // The user opens the <details>: its text is now seen, and badged.
    await page.getByText("More details").click();
    await expect.poll(() => badgeTexts(page, "#inside vitals-badge")).toEqual(["D"]);
    // The page shows a paragraph it had hidden.
    await page.evaluate(() => document.getElementById("later")?.removeAttribute("hidden"));
    await expect.poll(() => badgeTexts(page, "#later vitals-badge")).toEqual(["72 B"]);
    expect(await badgeTexts(page)).toEqual(["Watch", "D", "72 B"]);
  } finally {
    await extension.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
