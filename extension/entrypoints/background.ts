import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { badgeDb } from "../background/badge-store.ts";
import { createBackground } from "../background/handle-message.ts";
import { forgetTab } from "../background/tab-accounts.ts";
import { LOOKUP_PORT } from "../lookup-port.ts";

export default defineBackground(() => {
  // Nothing is loaded here: the match index is built on the first lookup after each wake.
  const background = createBackground(badgeDb());
  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    // sendResponse and `return true` (keep the channel open) rather than returning a promise: older Chrome versions
    // ignore a returned promise. A refused message is answered with nothing.
    background.handleMessage(raw, sender).then(sendResponse, () => sendResponse(undefined));
    return true;
  });
  browser.runtime.onConnect.addListener((port) =>
    port.name === LOOKUP_PORT ? background.handleLookupPort(port) : void background.handleBridgePort(port),
  );
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  // A page of a built-in site or of a site the user enabled gets its badges once it has loaded: no content script
  // runs there while it loads. Its address is readable only where the extension has the origin's permission; every
  // other tab's update carries none.
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status === "complete") void background.pageLoaded(tabId, tab.url);
  });
  // Tabs the browser restored at its start may have loaded before this listened.
  browser.runtime.onStartup.addListener(() => {
    void browser.tabs.query({ status: "complete" }).then(
      (tabs) => {
        for (const tab of tabs) if (tab.id !== undefined) void background.pageLoaded(tab.id, tab.url);
      },
      () => undefined,
    );
  });
});
