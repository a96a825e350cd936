import { ContentScriptContext } from "wxt/utils/content-script-context";
import { defineUnlistedScript } from "wxt/utils/define-unlisted-script";
import { badgePage } from "../content/badge-page.ts";

// The badges of a page (adapters, scanner, badges): imported by a built-in site's content script once its page has
// loaded (entrypoints/content/), or run by the background in a page of a site the user enabled once it has loaded
// (background/handle-message.ts, `pageLoaded`). It runs in the content scripts' isolated world. A second run in the
// same page (the site enabled again from the popup) stops the first: its context is invalidated when a newer one
// starts, and its badges go.
export default defineUnlistedScript(() => {
  const ctx = new ContentScriptContext("badges");
  // The mark the background reads before running the badges in a page (`badgesRunning`): this run's own, cleared
  // when this run stops unless a newer run has put its own there since.
  const world = globalThis as { vitalsBadgesRunning?: boolean; vitalsBadgesRun?: object };
  const run = {};
  world.vitalsBadgesRun = run;
  world.vitalsBadgesRunning = true;
  ctx.onInvalidated(() => {
    if (world.vitalsBadgesRun !== run) return;
    world.vitalsBadgesRun = undefined;
    world.vitalsBadgesRunning = false;
  });
  badgePage(ctx);
});
