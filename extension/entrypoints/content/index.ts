import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import type { ContentMessage } from "../../messages.ts";
import { SUPPORTED_SITE_MATCHES } from "../../sites/hosts.ts";

export default defineContentScript({
  matches: [...SUPPORTED_SITE_MATCHES],
  runAt: "document_idle",
  main() {
    const hello: ContentMessage = { type: "hello", url: location.href };
    void browser.runtime.sendMessage(hello);
  },
});
