import { ContentScriptContext } from "wxt/utils/content-script-context";
import { defineUnlistedScript } from "wxt/utils/define-unlisted-script";
import { badgePage } from "../content/badge-page.ts";

// The badges of a page (adapters, scanner, badges), injected by the background into a frame whose content script
// (entrypoints/content/) said the page has loaded, once the background checked that the page may have badges. It
// runs in the content scripts' isolated world, like them. A second injection into the same page (the site enabled
// again from the popup) stops the first: its context is invalidated when a newer one starts, and its badges go.
export default defineUnlistedScript(() => {
  badgePage(new ContentScriptContext("badges"));
});
