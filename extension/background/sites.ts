import { browser } from "wxt/browser";

export { isBuiltInSite } from "../sites/hosts.ts";

// Sites the user enabled beyond the built-in ones, and deployed addresses of the Vitals app. Each is an optional
// host permission the user granted for that one origin (asked at the moment they chose it), plus a content script
// registered at run time for that origin. The registrations are the record: they persist across sessions and
// there is no second list to fall out of step.

/** What a registered origin is for: the badges (generic adapter) or the bridge from the Vitals app. */
export type SitePurpose = "site" | "bridge";

/** The built script file each purpose registers, as the manifest's static content scripts name it. */
const SCRIPT_FILES: Record<SitePurpose, string> = {
  site: "content-scripts/content.js",
  bridge: "content-scripts/bridge.js",
};

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

/** The js and css files the built manifest gives a static content script, so a registration injects the same. */
function filesOf(purpose: SitePurpose): { js: string[]; css?: string[] } {
  const file = SCRIPT_FILES[purpose];
  const entry = browser.runtime.getManifest().content_scripts?.find((c) => c.js?.includes(file));
  return entry?.css?.length ? { js: [file], css: entry.css } : { js: [file] };
}

/** The origins registered for a purpose, sorted. */
export async function registeredOrigins(purpose: SitePurpose): Promise<string[]> {
  const scripts = await browser.scripting.getRegisteredContentScripts();
  return scripts
    .map((s) => s.id)
    .filter((id) => id.startsWith(`${purpose}:`))
    .map((id) => id.slice(purpose.length + 1))
    .sort();
}

/**
 * Registers the content script of a purpose for one origin, which the user must already have granted (the page
 * that asked calls `permissions.request` in its click handler, then this). Registering twice is a no-op.
 */
export async function enableOrigin(purpose: SitePurpose, origin: string): Promise<void> {
  const pattern = patternOf(origin);
  if (!(await browser.permissions.contains({ origins: [pattern] }))) {
    throw new Error(`Vitals has no permission for ${origin}: allow it when the browser asks.`);
  }
  const id = idOf(purpose, origin);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) return;
  await browser.scripting.registerContentScripts([
    { id, matches: [pattern], ...filesOf(purpose), runAt: "document_idle", persistAcrossSessions: true },
  ]);
}

/** What removing an origin did: the registration is gone; the permission was given back, or why it was kept. */
export type Disabled =
  | { permission: "returned" }
  | { permission: "kept"; reason: "still-used" | "browser"; detail?: string };

/**
 * Unregisters an origin and gives its permission back, unless the other purpose still uses the same origin's
 * pattern (the app and a help desk on one host). The registration is what runs the script, so once it is gone the
 * origin is off whatever the permission does: a browser that refuses to take the permission back ("You cannot
 * remove required permissions" for an origin the manifest itself grants) is reported as such, not as a failure.
 */
export async function disableOrigin(purpose: SitePurpose, origin: string): Promise<Disabled> {
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
