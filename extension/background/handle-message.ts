import { browser } from "wxt/browser";
import { ContentMessage, SeenPage } from "../messages.ts";

/** How many recent pages the background remembers content scripts running on. */
const SEEN_LIMIT = 20;

/** The parts of a message's sender the background checks. */
export interface Sender {
  id?: string;
  tab?: unknown;
}

async function recordSeen(url: string): Promise<void> {
  const stored = await browser.storage.session.get("seen");
  const previous = SeenPage.array().safeParse(stored.seen);
  const seen = [{ url, at: Date.now() }, ...(previous.success ? previous.data : [])].slice(0, SEEN_LIMIT);
  await browser.storage.session.set({ seen });
}

/**
 * Handles one message from a content script. Anything not from this extension's own content scripts
 * (a tab is required), or not in a known shape, gets no answer and changes nothing.
 */
export async function handleContentMessage(raw: unknown, sender: Sender): Promise<{ ok: true } | undefined> {
  if (sender.id !== browser.runtime.id || !sender.tab) return undefined;
  const parsed = ContentMessage.safeParse(raw);
  if (!parsed.success) return undefined;
  const message = parsed.data;
  switch (message.type) {
    case "hello":
      await recordSeen(message.url);
      return { ok: true };
  }
}

/** The pages content scripts reported running on, newest first. */
export async function seenPages(): Promise<SeenPage[]> {
  const stored = await browser.storage.session.get("seen");
  const parsed = SeenPage.array().safeParse(stored.seen);
  return parsed.success ? parsed.data : [];
}
