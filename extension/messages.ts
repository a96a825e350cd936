import { z } from "zod";

/** A content script announcing it runs on a page; the background records the latest one. */
export const HelloMessage = z.object({
  type: z.literal("hello"),
  // Content scripts only run on web pages: anything but http(s) is a forged message.
  url: z.url({ protocol: /^https?$/ }),
});

/** Every message the background accepts from content scripts. Anything else is rejected. */
export const ContentMessage = z.discriminatedUnion("type", [HelloMessage]);
/** A message from a content script, after validation. */
export type ContentMessage = z.infer<typeof ContentMessage>;

/** A page a content script ran on, as the background records it (newest first, a few kept). */
export const SeenPage = z.object({ url: z.string(), at: z.number() });
/** A page a content script ran on. */
export type SeenPage = z.infer<typeof SeenPage>;
