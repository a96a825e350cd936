import { browser } from "wxt/browser";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { defineContentScript } from "wxt/utils/define-content-script";
import type { ContentMessage } from "../../messages.ts";
import { withFallback } from "../../sites/fallback.ts";
import { SUPPORTED_SITE_MATCHES } from "../../sites/hosts.ts";
import { adapterFor } from "../../sites/registry.ts";
import type { SiteAdapter } from "../../sites/types.ts";
import { lookupInBackground } from "./lookup.ts";
import { isBadgesChanged } from "./reply-schema.ts";
import { createTally } from "./report.ts";
import { createScanner } from "./scanner.ts";

// One bundle for every site: the built-in products through the manifest, and the sites a user enables at run time
// (registered by the background for those origins). The page's address picks the adapter; any host no adapter
// claims gets the generic one.
export default defineContentScript({
  matches: [...SUPPORTED_SITE_MATCHES],
  runAt: "document_idle",
  main(ctx) {
    // The benchmark counts long tasks from here on as the extension's (test/bench/agent-list.mjs).
    performance.mark("vitals:start");
    // Sent at once: it also wakes the background, which gets ready while the page finishes loading.
    const hello: ContentMessage = { type: "hello", url: location.href };
    browser.runtime.sendMessage(hello).catch(() => undefined);
    afterPageLoad(ctx, () => badgePage(ctx));
  },
});

/** The longest the badges wait for a page's load event (a page whose load never ends still gets them). */
const LOAD_WAIT_MS = 1_000;
/** The longest they then wait for the page's next frame (none comes in a hidden tab). */
const FRAME_WAIT_MS = 100;

/**
 * Runs `fn` once the page has loaded and drawn itself: in a task of its own after the load event (not inside it:
 * listeners of `load` count in the page's own load time) and after the page's next frame, or after LOAD_WAIT_MS for
 * a page whose load never ends. document_idle often comes before the load event: reading the page then delayed the
 * page's own load by the whole first pass, and the first pass paid for the page's own first style and layout.
 */
function afterPageLoad(ctx: ContentScriptContext, fn: () => void): void {
  let started = false;
  const start = () => {
    if (started || !ctx.isValid) return;
    started = true;
    fn();
  };
  const afterFrame = () => {
    ctx.requestAnimationFrame(() => ctx.setTimeout(start, 0));
    ctx.setTimeout(start, FRAME_WAIT_MS);
  };
  if (document.readyState === "complete") {
    afterFrame();
    return;
  }
  ctx.addEventListener(window, "load", afterFrame, { once: true });
  ctx.setTimeout(start, LOAD_WAIT_MS);
}

/** Badges the page and keeps them in step with it, with the popup's report, until the extension goes away. */
function badgePage(ctx: ContentScriptContext): void {
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
  const adapter: SiteAdapter = {
    id: site.id,
    name: site.name,
    patterns: site.patterns,
    get structuralRegions() {
      return site.structuralRegions;
    },
    find(roots, context) {
      const found = site.find(roots, context);
      tally.found(found, roots.includes(document.body) || roots.includes(document.documentElement), context.visibility);
      scheduleReport();
      return found;
    },
  };
  const scanner = createScanner({
    doc: document,
    adapter,
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
  ctx.addEventListener(window, "wxt:locationchange", () => ctx.setTimeout(() => scanner.navigate(), 0));

  const onMessage = (raw: unknown, sender: { id?: string }) => {
    if (sender.id !== browser.runtime.id) return;
    if (isBadgesChanged(raw)) scanner.refresh();
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
}
