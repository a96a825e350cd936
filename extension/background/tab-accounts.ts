import { browser } from "wxt/browser";
import { z } from "zod";
import { plural } from "../../core/text/words.ts";
import { TabReportMessage } from "../messages.ts";

// Which accounts each tab showed, for the popup's "on this tab" list. storage.session: it lives as long as the
// browser session (tabs ids are not reused within one), survives the service worker sleeping, and extension pages
// can read it while content scripts cannot (its default access level is trusted contexts only).

/** The accounts a tab's page showed with a badge, and the page they were on. */
export const TabAccounts = z.object({
  url: z.string(),
  ids: z.array(z.string()),
  /** When the list was last written (ms since the epoch). */
  at: z.number(),
});
/** The accounts a tab's page showed with a badge. */
export type TabAccounts = z.infer<typeof TabAccounts>;

/** The most account ids remembered per tab (a page listing more is a report, not a ticket). */
const TAB_LIMIT = 500;

const keyOf = (tabId: number) => `tab:${tabId}`;

// Lookups from one tab arrive concurrently; each read-modify-write waits for the previous one.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Adds accounts to a tab's list: those the tab's report says it badged (none for a lookup, which records the page).
 * A new URL in the tab (a navigation, also inside a single-page app) starts a new list, so the popup shows what the
 * page shows now.
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

/**
 * Settles once every tab account list recorded so far is written. The background answers a lookup before its
 * accounts are recorded; whoever must read the list as of that answer (a test) waits for this first.
 */
export function tabAccountsWritten(): Promise<void> {
  return queue.then(() => undefined);
}

/** The accounts recorded for a tab, or undefined when its page matched none (or never asked). */
export async function tabAccounts(tabId: number): Promise<TabAccounts | undefined> {
  const key = keyOf(tabId);
  const parsed = TabAccounts.safeParse((await browser.storage.session.get(key))[key]);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Calls `changed` whenever the accounts recorded for a tab change (a lookup is recorded just after the page got its
 * answer, so a popup opened at that moment sees it when it lands); returns the function that stops listening.
 */
export function onTabAccountsChanged(tabId: number, changed: () => void): () => void {
  const key = keyOf(tabId);
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === "session" && key in changes) changed();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/** Forgets a closed tab. */
export function forgetTab(tabId: number): Promise<void> {
  const next = queue.then(() => browser.storage.session.remove([keyOf(tabId), reportKeyOf(tabId)]));
  queue = next.catch(() => undefined);
  return next;
}

/** How a tab's content script read its page, as it last reported it (see TabReportMessage), with the page. */
export const TabReport = TabReportMessage.omit({ type: true }).extend({ url: z.string(), at: z.number() });
/** How a tab's page was read. */
export type TabReport = z.infer<typeof TabReport>;

const reportKeyOf = (tabId: number) => `report:${tabId}`;

/** Records a tab's report on its page (the latest replaces the previous one). */
export async function recordTabReport(
  tabId: number,
  url: string,
  report: TabReportMessage,
  now = Date.now(),
): Promise<void> {
  const { type: _type, ...rest } = report;
  await browser.storage.session.set({ [reportKeyOf(tabId)]: { ...rest, url, at: now } satisfies TabReport });
}

/** Calls `changed` whenever a tab's report changes (it follows the page); returns the function that stops listening. */
export function onTabReportChanged(tabId: number, changed: () => void): () => void {
  const key = reportKeyOf(tabId);
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === "session" && key in changes) changed();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/** The latest report of a tab's content script, or undefined when none ran there. */
export async function tabReport(tabId: number): Promise<TabReport | undefined> {
  const key = reportKeyOf(tabId);
  const parsed = TabReport.safeParse((await browser.storage.session.get(key))[key]);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The report in one sentence a user can paste into a bug report: "Zendesk adapter: found 3 people, 1 organization;
 * matched 2." or "Zendesk layout not recognised — used the generic matcher: searched 40 pieces of text; matched 1."
 */
export function reportText(report: TabReport): string {
  const searched = `searched ${plural(report.texts, "piece", "pieces")} of text`;
  if (report.mode === "generic") return `Generic matcher: ${searched}; matched ${report.matched}.`;
  if (report.mode === "fallback") {
    return `${report.name} layout not recognised — used the generic matcher: ${searched}; matched ${report.matched}.`;
  }
  const found = [
    plural(report.people, "person", "people"),
    plural(report.organizations, "organization", "organizations"),
  ];
  return `${report.name} adapter: found ${found.join(", ")}; matched ${report.matched}.`;
}
