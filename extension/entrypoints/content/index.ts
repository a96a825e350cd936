import { browser } from "wxt/browser";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { defineContentScript } from "wxt/utils/define-content-script";
import type { ContentMessage } from "../../messages.ts";
import { isBuiltInSite, SUPPORTED_SITE_MATCHES } from "../../sites/hosts.ts";

/** The badges themselves (entrypoints/badges.ts: adapters, scanner, badges), as WXT builds them. */
const BADGES_SCRIPT = "/badges.js";

// The content script of the built-in products, through the manifest. It only starts the badges (a few KB): the
// page's own load pays for evaluating whatever runs before its load event, so this holds nothing but the wait for
// that load. Once the page has loaded and drawn itself, the badges' script is imported from the extension into this
// isolated world: the manifest makes that one file web-accessible to the built-in sites only, at an address that
// changes every session (use_dynamic_url), so no page can probe for it. The sites a user enables get no content
// script at all: the background runs the badges there once a page has loaded (background/sites.ts).
export default defineContentScript({
  matches: [...SUPPORTED_SITE_MATCHES],
  runAt: "document_idle",
  main(ctx) {
    // The benchmark counts long tasks from here on as the extension's (test/bench/agent-list.mjs).
    performance.mark("vitals:start");
    // Sent at once: it also wakes the background, which gets ready while the page finishes loading.
    const hello: ContentMessage = { type: "hello", url: location.href };
    browser.runtime.sendMessage(hello).catch(() => undefined);
    afterPageLoad(ctx, () => {
      if (!isBuiltInSite(location.href, SUPPORTED_SITE_MATCHES)) return;
      import(/* @vite-ignore */ browser.runtime.getURL(BADGES_SCRIPT)).catch(() => undefined);
    });
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
