import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import type { ContentMessage } from "../../messages.ts";
import { SUPPORTED_SITE_MATCHES } from "../../sites/hosts.ts";
import { adapterFor } from "../../sites/registry.ts";
import { lookupInBackground } from "./lookup.ts";
import { BadgesChangedMini } from "./reply-schema.ts";
import { createScanner } from "./scanner.ts";

// One bundle for every site: the built-in products through the manifest, and the sites a user enables at run time
// (registered by the background for those origins). The page's address picks the adapter; any host no adapter
// claims gets the generic one.
export default defineContentScript({
  matches: [...SUPPORTED_SITE_MATCHES],
  runAt: "document_idle",
  main(ctx) {
    const hello: ContentMessage = { type: "hello", url: location.href };
    browser.runtime.sendMessage(hello).catch(() => undefined);

    const scanner = createScanner({
      doc: document,
      adapter: adapterFor(location.href),
      lookup: lookupInBackground,
      // Reading isValid also notices an extension that was reloaded or removed, which invalidates the context.
      alive: () => ctx.isValid,
    });
    ctx.onInvalidated(() => scanner.stop());
    scanner.start();

    // In-app navigation: the navigate event comes before the new address is current, so re-run a task later.
    ctx.addEventListener(window, "wxt:locationchange", () => ctx.setTimeout(() => scanner.navigate(), 0));

    const onMessage = (raw: unknown, sender: { id?: string }) => {
      if (sender.id !== browser.runtime.id) return;
      if (BadgesChangedMini.safeParse(raw).success) scanner.refresh();
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
  },
});
