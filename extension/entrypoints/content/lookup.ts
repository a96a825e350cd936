import { browser } from "wxt/browser";
import type { LookupMessage, LookupReply } from "../../messages.ts";
import { parseLookupReply } from "./reply-schema.ts";

/**
 * Sends one lookup to the background and validates its answer. No answer, an invalid one, or an extension that went
 * away (the message channel throws) all come back as undefined: the page simply gets no new badges.
 */
export async function lookupInBackground(message: LookupMessage): Promise<LookupReply | undefined> {
  try {
    return parseLookupReply(await browser.runtime.sendMessage(message));
  } catch {
    return undefined;
  }
}
