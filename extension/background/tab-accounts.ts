import { browser } from "wxt/browser";
import { z } from "zod";

// Which accounts each tab showed, for the popup's "on this tab" list. storage.session: it lives as long as the
// browser session (tabs ids are not reused within one), survives the service worker sleeping, and extension pages
// can read it while content scripts cannot (its default access level is trusted contexts only).

/** The accounts a tab's page matched, and the page they were on. */
export const TabAccounts = z.object({
  url: z.string(),
  ids: z.array(z.string()),
  /** When the last lookup was answered (ms since the epoch). */
  at: z.number(),
});
/** The accounts a tab's page matched. */
export type TabAccounts = z.infer<typeof TabAccounts>;

/** The most account ids remembered per tab (a page listing more is a report, not a ticket). */
const TAB_LIMIT = 500;

const keyOf = (tabId: number) => `tab:${tabId}`;

// Lookups from one tab arrive concurrently; each read-modify-write waits for the previous one.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Adds the accounts a lookup matched on a tab. A new URL in the tab (a navigation, also inside a single-page app)
 * starts a new list, so the popup shows what the page shows now.
 */
export function recordTabAccounts(tabId: number, url: string, ids: readonly string[], now = Date.now()): Promise<void> {
  const next = queue.then(async () => {
    const key = keyOf(tabId);
    const stored = TabAccounts.safeParse((await browser.storage.session.get(key))[key]);
    const previous = stored.success && stored.data.url === url ? stored.data.ids : [];
    const merged = [...new Set([...previous, ...ids])].slice(0, TAB_LIMIT);
    if (stored.success && stored.data.url === url && merged.length === previous.length) return;
    await browser.storage.session.set({ [key]: { url, ids: merged, at: now } satisfies TabAccounts });
  });
  queue = next.catch(() => undefined);
  return next;
}

/** The accounts recorded for a tab, or undefined when its page matched none (or never asked). */
export async function tabAccounts(tabId: number): Promise<TabAccounts | undefined> {
  const key = keyOf(tabId);
  const parsed = TabAccounts.safeParse((await browser.storage.session.get(key))[key]);
  return parsed.success ? parsed.data : undefined;
}

/** Forgets a closed tab. */
export function forgetTab(tabId: number): Promise<void> {
  const next = queue.then(() => browser.storage.session.remove(keyOf(tabId)));
  queue = next.catch(() => undefined);
  return next;
}
