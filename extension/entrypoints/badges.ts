import { ContentScriptContext } from "wxt/utils/content-script-context";
import { defineUnlistedScript } from "wxt/utils/define-unlisted-script";
import { badgePage } from "../content/badge-page.ts";
import { openLookups } from "../content/lookup.ts";

// The badges of a page (adapters, scanner, badges): run by the background in a page of a built-in site or of a site
// the user enabled once it has loaded (background/handle-message.ts, `pageLoaded`), or at once in the open pages of
// a site just enabled (pages/enable-site.ts). It runs in the content scripts' isolated world. A second run in the
// same page (the site enabled again from the popup) stops the first: its context is invalidated when a newer one
// starts, and its badges go.

/** The longest the badges wait for the page's next two frames before their first pass. */
const FRAME_WAIT_MS = 100;

export default defineUnlistedScript(() => {
  const ctx = new ContentScriptContext("badges");
  // The mark the background reads before running the badges in a page (`badgesRunning`): this run's own, cleared
  // when this run stops unless a newer run has put its own there since.
  const world = globalThis as { vitalsBadgesRun?: object };
  const run = {};
  world.vitalsBadgesRun = run;
  ctx.onInvalidated(() => {
    if (world.vitalsBadgesRun === run) world.vitalsBadgesRun = undefined;
  });
  // The lookup port opens now, while the first pass waits (opening it is a round trip through the browser).
  openLookups();
  // The page has loaded; its first pass waits for the page's next two frames too (at most FRAME_WAIT_MS: a hidden tab
  // draws none), so the page draws itself first and the pass does not share the CPU with the page's own first style,
  // layout and raster. After one frame the pass still ran beside the raster of the page it had just laid out (on two
  // cores, software raster): interleaved A/B, the first pass of a 5,000-element page took 28.0 ms after two frames
  // against 32.3 after one, each of its parts shorter, the lookup's round trip most (issue 14).
  let started = false;
  const start = () => {
    if (started || !ctx.isValid) return;
    started = true;
    badgePage(ctx);
  };
  ctx.requestAnimationFrame(() => ctx.requestAnimationFrame(() => ctx.setTimeout(start, 0)));
  ctx.setTimeout(start, FRAME_WAIT_MS);
});
