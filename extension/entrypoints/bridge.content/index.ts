import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import type { BadgeSet } from "../../../core/schema/badge.ts";
import { BRIDGE_PAGE_PROTOCOL, type BridgeHello, PagePost } from "../../../core/schema/bridge.ts";
import { BRIDGE_CHUNK, BRIDGE_PORT, type BridgeMessage } from "../../background/protocol.ts";

// The bridge from the Vitals app to the badges: on the app's pages, it tells the page an extension listens, and
// passes each badge set the page posts to the background (which checks this tab's origin again before storing).
// It runs on the app served on this machine; a deployed address is registered at run time when the user adds it.
export default defineContentScript({
  matches: ["http://localhost/*", "http://127.0.0.1/*"],
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
    const hello: BridgeHello = { protocol: BRIDGE_PAGE_PROTOCOL, type: "extension-hello" };
    // Posted to this page's own origin only.
    const announce = () => window.postMessage(hello, location.origin);

    ctx.addEventListener(window, "message", (event: MessageEvent) => {
      // Only this very window on this very origin: not frames, not other windows.
      if (event.source !== window || event.origin !== location.origin) return;
      const parsed = PagePost.safeParse(event.data);
      if (!parsed.success) return;
      if (parsed.data.type === "app-ping") announce();
      else send(parsed.data.set);
    });
    ctx.onInvalidated(() => port?.disconnect());
    announce();
  },
});
