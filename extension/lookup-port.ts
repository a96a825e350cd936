// The port content scripts send their lookups over (one per page, held open while the background is awake): a port
// costs one message each way per lookup, where runtime.sendMessage opens and closes a channel every time. Free of
// imports, so the content script carries no zod for it; the background parses what arrives (messages.ts).

/** The name of a content script's lookup port. */
export const LOOKUP_PORT = "vitals-lookup";

/** A lookup sent over the port: `id` pairs it with its answer. */
export interface PortLookup<M> {
  id: number;
  message: M;
}

/** The background's answer to a PortLookup with the same id. */
export interface PortAnswer<R> {
  id: number;
  reply: R;
}
