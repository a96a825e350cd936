import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import type { BadgeSet } from "../../../core/schema/badge.ts";
import {
  APP_HOST,
  type BadgeDelta,
  BRIDGE_PAGE_PROTOCOL,
  type BridgeHello,
  PagePost,
} from "../../../core/schema/bridge.ts";
import { AppPaired, BRIDGE_CHUNK, BRIDGE_PORT, type BridgeMessage, BridgeReply } from "../../background/protocol.ts";

// The bridge from the Vitals app to the badges: on the app's pages, it tells the page an extension listens, and
// passes each badge set (or delta of a few changed accounts) the page posts to the background, which stores it only from the one app origin it trusts
// (scheme, host and port) and records any other as refused. It runs on the app's own host as `npm start` serves it
// (match patterns carry no port); another address the user pairs with is registered at run time.
export default defineContentScript({
  matches: [`http://${APP_HOST}/*`],
  runAt: "document_idle",
  main(ctx) {
    let port: ReturnType<typeof browser.runtime.connect> | undefined;
    const connect = () => {
      if (port) return port;
      const opened = browser.runtime.connect({ name: BRIDGE_PORT });
      // The background sleeps after a while and its end of the port closes: connect again for the next set.
      opened.onDisconnect.addListener(() => {
        if (port === opened) port = undefined;
      });
      // A delta the background could not patch in (its set is another's, or lacks the account): the app sends its
      // whole set when the extension announces itself.
      opened.onMessage.addListener((raw: unknown) => {
        const reply = BridgeReply.safeParse(raw);
        if (reply.success && reply.data.type === "needs-set") announce();
      });
      port = opened;
      return opened;
    };
    const post = (message: BridgeMessage) => connect().postMessage(message);
    const send = (set: BadgeSet) => {
      const { accounts, ...header } = set;
      post({ type: "set-begin", total: accounts.length });
      for (let i = 0; i < accounts.length; i += BRIDGE_CHUNK) {
        post({ type: "set-part", accounts: accounts.slice(i, i + BRIDGE_CHUNK) });
      }
      post({ type: "set-end", header });
    };
    const sendDelta = (delta: BadgeDelta) => {
      const { accounts, ...header } = delta;
      post({ type: "set-delta", header, accounts });
    };
    const hello: BridgeHello = { protocol: BRIDGE_PAGE_PROTOCOL, type: "extension-hello" };
    // Posted to this page's own origin only.
    const announce = () => window.postMessage(hello, location.origin);

    ctx.addEventListener(window, "message", (event: MessageEvent) => {
      // Only this very window on this very origin: not frames, not other windows.
      if (event.source !== window || event.origin !== location.origin) return;
      const parsed = PagePost.safeParse(event.data);
      if (!parsed.success) return;
      if (parsed.data.type === "app-ping") announce();
      else if (parsed.data.type === "badge-delta") sendDelta(parsed.data.delta);
      else send(parsed.data.set);
    });
    // The user paired with this app (the popup's or the options page's button): announce again, so it sends its set.
    const onPaired = (raw: unknown, sender: { id?: string }) => {
      if (sender.id === browser.runtime.id && AppPaired.safeParse(raw).success) announce();
    };
    browser.runtime.onMessage.addListener(onPaired);
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onPaired);
      port?.disconnect();
    });
    announce();
  },
});
