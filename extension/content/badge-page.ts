import { browser } from "wxt/browser";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { withFallback } from "../sites/fallback.ts";
import { adapterFor } from "../sites/registry.ts";
import { closeLookups, lookupInBackground } from "./lookup.ts";
import { isBadgesChanged } from "./reply-schema.ts";
import { createTally } from "./report.ts";
import { createScanner } from "./scanner.ts";

/** Badges the page and keeps them in step with it, with the popup's report, until the extension goes away. */
export function badgePage(ctx: ContentScriptContext): void {
  // The product's adapter, with the generic matcher standing in where it recognises nothing on the page; what
  // it found and what matched is counted for the popup's one-line report (report.ts), sent once things settle.
  const site = withFallback(adapterFor(location.href));
  const tally = createTally();
  let reportTimer: number | undefined;
  let placed = (): Map<string, number> => new Map();
  const sendReport = () => {
    reportTimer = undefined;
    if (!ctx.isValid) return;
    browser.runtime.sendMessage(tally.report(site, site.mode(), placed())).catch(() => undefined);
  };
  const scheduleReport = () => {
    if (reportTimer === undefined) reportTimer = ctx.setTimeout(sendReport, 250);
  };
  const scanner = createScanner({
    doc: document,
    adapter: site,
    // Counted once the pass's lookups are on their way, from the same visibility the pass badges by.
    onFound(found, roots, visibility) {
      tally.found(found, roots.includes(document.body) || roots.includes(document.documentElement), visibility);
      scheduleReport();
    },
    lookup: async (message) => {
      const reply = await lookupInBackground(message);
      tally.answered(message, reply);
      scheduleReport();
      return reply;
    },
    // Reading isValid also notices an extension that was reloaded or removed, which invalidates the context.
    alive: () => ctx.isValid,
  });
  placed = () => scanner.placed();
  ctx.onInvalidated(() => scanner.stop());
  scanner.start();

  // In-app navigation: the navigate event comes before the new address is current, so re-run a task later.
  // The lookups' port is opened again for the new address (the background records each tab's accounts by page).
  ctx.addEventListener(window, "wxt:locationchange", () =>
    ctx.setTimeout(() => {
      closeLookups();
      scanner.navigate();
    }, 0),
  );
  ctx.onInvalidated(closeLookups);

  const onMessage = (raw: unknown, sender: { id?: string }) => {
    if (sender.id !== browser.runtime.id) return;
    if (isBadgesChanged(raw)) scanner.refresh();
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
}
