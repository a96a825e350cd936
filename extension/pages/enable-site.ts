import { browser } from "wxt/browser";
import { enableOrigin, isBuiltInSite, originOf, patternOf } from "../background/sites.ts";
import { SUPPORTED_SITE_MATCHES } from "../sites/hosts.ts";

// "Enable on this site" (the popup) and "Add a site" (the options page): the generic matcher on exactly one origin,
// after the browser's permission for that origin alone.

/** Why an address cannot be enabled (before asking the browser anything), or undefined when it can. */
export function cannotEnable(address: string, app: string): string | undefined {
  const origin = originOf(address);
  if (!origin) return `"${address}" is not a web address (https://help.example.com).`;
  if (origin === app) return `${origin} is the Vitals app: its own pages never get badges.`;
  if (isBuiltInSite(`${origin}/`, SUPPORTED_SITE_MATCHES)) return `Vitals works on ${origin} out of the box.`;
  return undefined;
}

/**
 * Enables one origin. Call it straight from a click or submit handler, with nothing awaited before: the browser
 * shows its permission prompt only during a user gesture. The background badges the origin's pages loaded from now
 * on; the origin's pages already open (and `tabId`, the popup's tab) get the badges at once.
 */
export async function enableSite(origin: string, tabId?: number): Promise<void> {
  const granted = await browser.permissions.request({ origins: [patternOf(origin)] });
  if (!granted) throw new Error(`the browser's permission for ${origin} was declined`);
  await enableOrigin("site", origin);
  const open = await browser.tabs.query({ url: patternOf(origin) }).catch(() => []);
  const ids = new Set(open.filter((t) => t.url && originOf(t.url) === origin).map((t) => t.id));
  if (tabId !== undefined) ids.add(tabId);
  for (const id of ids) {
    if (id === undefined) continue;
    // A tab that closed or navigated meanwhile refuses; the background badges its next page when it loads.
    await browser.scripting.executeScript({ target: { tabId: id }, files: ["/badges.js"] }).catch(() => undefined);
  }
}
