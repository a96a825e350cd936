import { browser } from "wxt/browser";

export { isBuiltInSite } from "../sites/hosts.ts";

// Sites the user enabled beyond the built-in ones, and deployed addresses of the Vitals app. Each is an optional
// host permission the user granted for that one origin (asked at the moment they chose it), plus a record:
// - a site (badges): a key `site:<origin>` in storage.local. No content script runs there: once a page of the origin
//   has loaded (tabs.onUpdated, status "complete"), the background runs the badges' script in it. A content script
//   registered for the origin ran before the page's load event and cost it ~12 ms (25% of a 300-row list's load),
//   all of it the browser's cost of injecting one, an empty script's as much as ours (issue 16, "no measurable
//   slowdown of the page's own load"). Registrations made by earlier versions are moved to the record.
// - the bridge of the app: a content script registered at run time for that origin, the record itself (the app's
//   pages need it before they ask for the extension).

/** What a registered origin is for: the badges (generic adapter) or the bridge from the Vitals app. */
export type SitePurpose = "site" | "bridge";

/** The built script file the bridge registers, as the manifest's static content script names it. */
const BRIDGE_SCRIPT = "content-scripts/bridge.js";

const idOf = (purpose: SitePurpose, origin: string) => `${purpose}:${origin}`;

/**
 * The origin of an address the user typed or a tab shows (`https://help.acme.io/a/b` → `https://help.acme.io`),
 * or undefined for anything but http(s) with a host.
 */
export function originOf(address: string): string | undefined {
  try {
    const url = new URL(address.includes("://") ? address : `https://${address}`);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    if (!url.hostname) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether this browser's match patterns can name a port. Chrome's can (`http://127.0.0.1:8088/*` matches that port
 * only, while a pattern without a port matches every port: developer.chrome.com/docs/extensions/develop/concepts/
 * match-patterns); Firefox's cannot (a host "must not include a port number": MDN, Match patterns), so there the
 * pattern covers the host and the background answers lookups only from the exact origin the user enabled.
 */
export function patternsHavePorts(): boolean {
  return !browser.runtime.getURL("/").startsWith("moz-extension:");
}

/**
 * The match pattern of exactly one origin (scheme, host and, where the browser allows, port), as a host permission
 * and a content script's `matches`: enabling `http://127.0.0.1:8088` asks for and registers that port only, never
 * another app on the same host (the Vitals app at `http://127.0.0.1:5173` must not get badges).
 */
export function patternOf(origin: string, withPort = patternsHavePorts()): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}${withPort && url.port ? `:${url.port}` : ""}/*`;
}

/** The js and css files the built manifest gives the bridge's static content script, for a registration of the same. */
function bridgeFiles(): { js: string[]; css?: string[] } {
  const entry = browser.runtime.getManifest().content_scripts?.find((c) => c.js?.includes(BRIDGE_SCRIPT));
  return entry?.css?.length ? { js: [BRIDGE_SCRIPT], css: entry.css } : { js: [BRIDGE_SCRIPT] };
}

/**
 * The storage.local key that records one enabled site (its value: `true`): the id earlier versions registered its
 * content script under, so a registration moves to its record under the same name.
 */
const siteKey = (origin: string) => idOf("site", origin);
const SITE_PREFIX = siteKey("");

/**
 * Moves the sites enabled by earlier versions (a content script registered per origin, id `site:<origin>`) to their
 * records in storage.local and unregisters those scripts, so their pages load without one. Resolves to the origins
 * it found registered: they count as enabled even when moving them failed (it is tried again on the next call).
 */
async function moveSiteRegistrations(): Promise<string[]> {
  const old = (await browser.scripting.getRegisteredContentScripts())
    .map((s) => s.id)
    .filter((id) => id.startsWith(SITE_PREFIX));
  if (old.length > 0) {
    try {
      await browser.storage.local.set(Object.fromEntries(old.map((id) => [id, true])));
      await browser.scripting.unregisterContentScripts({ ids: old });
    } catch {
      // Still registered: still enabled, and moved on a later call.
    }
  }
  return old.map((id) => id.slice(SITE_PREFIX.length));
}

/**
 * Whether the user enabled exactly this origin: one storage read for an enabled site (every lookup and page load of
 * one asks); only an origin without a record looks for (and moves) a registration of an earlier version.
 */
export async function siteEnabled(origin: string): Promise<boolean> {
  const key = siteKey(origin);
  if ((await browser.storage.local.get(key))[key] === true) return true;
  return (await moveSiteRegistrations()).includes(origin);
}

/** The origins enabled for a purpose, sorted. */
export async function registeredOrigins(purpose: SitePurpose): Promise<string[]> {
  if (purpose === "site") {
    const registered = await moveSiteRegistrations();
    const stored = await browser.storage.local.get(null);
    const recorded = Object.keys(stored)
      .filter((key) => key.startsWith(SITE_PREFIX) && stored[key] === true)
      .map((key) => key.slice(SITE_PREFIX.length));
    return [...new Set([...recorded, ...registered])].sort();
  }
  const scripts = await browser.scripting.getRegisteredContentScripts();
  return scripts
    .map((s) => s.id)
    .filter((id) => id.startsWith(`${purpose}:`))
    .map((id) => id.slice(purpose.length + 1))
    .sort();
}

/**
 * Enables one origin for a purpose, which the user must already have granted (the page that asked calls
 * `permissions.request` in its click handler, then this): a site is recorded, the bridge's content script
 * registered. Enabling twice is a no-op.
 */
export async function enableOrigin(purpose: SitePurpose, origin: string): Promise<void> {
  const pattern = patternOf(origin);
  if (!(await browser.permissions.contains({ origins: [pattern] }))) {
    throw new Error(`Vitals has no permission for ${origin}: allow it when the browser asks.`);
  }
  if (purpose === "site") {
    await moveSiteRegistrations();
    await browser.storage.local.set({ [siteKey(origin)]: true });
    return;
  }
  const id = idOf(purpose, origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) return;
  await browser.scripting.registerContentScripts([
    { id, matches: [pattern], ...bridgeFiles(), runAt: "document_idle", persistAcrossSessions: true },
  ]);
}

/** What removing an origin did: the registration is gone; the permission was given back, or why it was kept. */
export type Disabled =
  | { permission: "returned" }
  | { permission: "kept"; reason: "still-used" | "browser"; detail?: string };

/**
 * Disables an origin (removes a site's record, unregisters the bridge) and gives its permission back, unless the
 * other purpose still uses the same origin's pattern (the app and a help desk on one host). The record is what runs
 * the script, so once it is gone the origin is off whatever the permission does: a browser that refuses to take the
 * permission back ("You cannot remove required permissions" for an origin the manifest itself grants) is reported
 * as such, not as a failure.
 */
export async function disableOrigin(purpose: SitePurpose, origin: string): Promise<Disabled> {
  if (purpose === "site") await browser.storage.local.remove(siteKey(origin));
  // The bridge's registration, or a site's from an earlier version.
  const id = idOf(purpose, origin);
  if ((await browser.scripting.getRegisteredContentScripts({ ids: [id] })).length > 0) {
    await browser.scripting.unregisterContentScripts({ ids: [id] });
  }
  const other: SitePurpose = purpose === "site" ? "bridge" : "site";
  const pattern = patternOf(origin);
  const stillUsed = (await registeredOrigins(other)).some((o) => patternOf(o) === pattern);
  if (stillUsed) return { permission: "kept", reason: "still-used" };
  try {
    const removed = await browser.permissions.remove({ origins: [pattern] });
    return removed === false ? { permission: "kept", reason: "browser" } : { permission: "returned" };
  } catch (error) {
    return { permission: "kept", reason: "browser", detail: (error as Error).message };
  }
}

/** What to tell the user after a site was removed: it was removed, and what became of the permission. */
export function removedText(origin: string, outcome: Disabled): string {
  const removed = `Removed ${origin}: no badges there from now on.`;
  if (outcome.permission === "returned") return `${removed} Its permission was given back to the browser.`;
  if (outcome.reason === "still-used")
    return `${removed} Its permission is kept for the Vitals app at the same address.`;
  return `${removed} The browser kept its permission for that address${outcome.detail ? ` (${outcome.detail.replace(/\.$/, "")})` : ""}; Vitals does not use it.`;
}
