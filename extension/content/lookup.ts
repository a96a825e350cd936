import { browser } from "wxt/browser";
import { LOOKUP_PORT, type PortLookup } from "../lookup-port.ts";
import type { LookupMessage, LookupReply } from "../messages.ts";
import { parseLookupReply } from "./reply-schema.ts";

type Port = ReturnType<typeof browser.runtime.connect>;

/** The open lookup port and the answers it still owes, or undefined until the next lookup opens one. */
let open: { port: Port; waiting: Map<number, (raw: unknown) => void> } | undefined;
let asked = 0;

/** The lookup port, opened now if there is none (the first lookup, the background went to sleep, a navigation). */
function lookupPort(): NonNullable<typeof open> {
  if (open) return open;
  const port = browser.runtime.connect({ name: LOOKUP_PORT });
  const opened = { port, waiting: new Map<number, (raw: unknown) => void>() };
  port.onMessage.addListener((raw: unknown) => {
    const id = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof id !== "number") return;
    const answer = opened.waiting.get(id);
    opened.waiting.delete(id);
    answer?.((raw as { reply?: unknown }).reply);
  });
  // The background went to sleep or away: what it still owed gets no answer, and the next lookup opens a new port.
  port.onDisconnect.addListener(() => {
    if (open === opened) open = undefined;
    for (const answer of opened.waiting.values()) answer(undefined);
    opened.waiting.clear();
  });
  open = opened;
  return opened;
}

/**
 * Opens the lookup port ahead of the first lookup (the content script's start, while it waits for the page's first
 * frame): the port's opening is a round trip through the browser that needs this thread, and done then it no longer
 * holds up the first pass's answer.
 */
export function openLookups(): void {
  try {
    lookupPort();
  } catch {
    // The extension went away: the first lookup finds out again.
  }
}

/**
 * Closes the lookup port: the next lookup opens a new one. After an in-app navigation, so the background sees the
 * page's new address (a port's sender is the page as it was when it opened), and when the badges stop.
 */
export function closeLookups(): void {
  const closing = open;
  open = undefined;
  if (!closing) return;
  closing.port.disconnect();
  for (const answer of closing.waiting.values()) answer(undefined);
}

/**
 * Sends one lookup to the background and validates its answer. No answer, an invalid one, or an extension that went
 * away (the port closes or throws) all come back as undefined: the page simply gets no new badges.
 */
export async function lookupInBackground(message: LookupMessage): Promise<LookupReply | undefined> {
  try {
    const { port, waiting } = lookupPort();
    const id = asked++;
    const raw = await new Promise<unknown>((resolve) => {
      waiting.set(id, resolve);
      const sent: PortLookup<LookupMessage> = { id, message };
      port.postMessage(sent);
    });
    return parseLookupReply(raw);
  } catch {
    closeLookups();
    return undefined;
  }
}
