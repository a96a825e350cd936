import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { handleContentMessage } from "../background/handle-message.ts";

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((raw, sender) => handleContentMessage(raw, sender));
});
