import { z } from "zod";
import { BadgeAccount, BadgeCard } from "../core/schema/badge.ts";

/**
 * An identifier a site adapter read from a known place on the page (a requester's email, a Salesforce record
 * id in the URL, an organization name in a sidebar field). `system` names the product for an `externalId`.
 */
export const Identifier = z.object({
  kind: z.enum(["email", "domain", "externalId", "accountId", "name"]),
  value: z.string().min(1).max(500),
  system: z.string().min(1).max(50).optional(),
});
/** An identifier read from the page. */
export type Identifier = z.infer<typeof Identifier>;

/**
 * A content script asking which accounts a page shows. `identifiers` come from adapters' known places;
 * `texts` are free text (generic adapter) to search for emails, domains, ids and names on word boundaries.
 * The background answers with a LookupReply; the content script never holds the whole index.
 */
export const LookupMessage = z.object({
  type: z.literal("lookup"),
  identifiers: z.array(Identifier).max(5_000),
  texts: z.array(z.string().max(100_000)).max(5_000),
});
/** A lookup request from a content script. */
export type LookupMessage = z.infer<typeof LookupMessage>;

/** A lookup as it arrives over a content script's lookup port (lookup-port.ts). */
export const PortLookupMessage = z.object({ id: z.number().int().nonnegative(), message: LookupMessage });

const count = z.number().int().nonnegative().max(10_000_000);

/**
 * A content script saying how it read its page, for the popup: which adapter, whether the product's layout was
 * recognised or the generic matcher stood in ("fallback"), or the generic matcher on a site the user enabled; how
 * many people (by email) and organizations (by id or name) it found in known places, how many pieces of text it
 * searched, and how many of them matched an account. Only what the user can see is counted.
 */
export const TabReportMessage = z.object({
  type: z.literal("tab-report"),
  adapter: z.string().min(1).max(50),
  name: z.string().min(1).max(100),
  mode: z.enum(["adapter", "fallback", "generic"]),
  people: count,
  organizations: count,
  texts: count,
  matched: count,
  /** How many badges each account has on the page (one per region it shows in), at most 500 accounts. */
  places: z.array(z.object({ id: BadgeAccount.shape.id, badges: count })).max(500),
});
/** A content script's report on its page. */
export type TabReportMessage = z.infer<typeof TabReportMessage>;

/** Every message the background accepts from content scripts. Anything else is rejected. */
export const ContentMessage = z.discriminatedUnion("type", [LookupMessage, TabReportMessage]);
/** A message from a content script, after validation. */
export type ContentMessage = z.infer<typeof ContentMessage>;

/** Where a text match sits: `text` index in the request, and the [start, end) range of UTF-16 code units. */
export const TextMatch = z.object({
  text: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  accountId: z.string().min(1),
  kind: Identifier.shape.kind,
});
/** A match in free text. */
export type TextMatch = z.infer<typeof TextMatch>;

/**
 * The background's answer to a lookup: for each identifier (same order) the matched account id or null,
 * the text matches, and the matched accounts (only those) with what their badge needs (BadgeCard: not how to find
 * them on a page). Accounts are a list, not an object keyed by id: an id such as `__proto__` or `constructor` must
 * name its account like any other.
 */
export const LookupReply = z.object({
  type: z.literal("matches"),
  identifiers: z.array(z.string().nullable()),
  texts: z.array(TextMatch),
  accounts: z.array(BadgeCard),
  /** Base address of the PWA for "Open in Vitals", when known. */
  pwaUrl: z.string().optional(),
});
/** The background's answer to a lookup. */
export type LookupReply = z.infer<typeof LookupReply>;

/**
 * The background telling content scripts that the badge data changed (a new BadgeSet was imported or bridged from
 * the PWA): each looks its page up again and updates its badges in place.
 */
export const BadgesChangedMessage = z.object({ type: z.literal("badges-changed") });
/** A background → content script notice that the badge data changed. */
export type BadgesChangedMessage = z.infer<typeof BadgesChangedMessage>;

/** A page a content script ran on, as the background records it (newest first, a few kept). */
export const SeenPage = z.object({ url: z.string(), at: z.number() });
/** A page a content script ran on. */
export type SeenPage = z.infer<typeof SeenPage>;
