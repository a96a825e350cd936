import { z } from "zod";
import { BadgeSet } from "../../core/schema/badge.ts";
import { BADGE_DELTA_MAX } from "../../core/schema/bridge.ts";

// Messages between the extension's own parts that are not content-script lookups (those are in ../messages.ts):
// extension pages (options, popup) → background and the bridge content script → background over a port. (The
// Vitals app's page ↔ the bridge content script protocol is in core/schema/bridge.ts.) Each side parses what it receives.

/** An extension page telling the background something; only the options page and the popup may send these. */
export const PageMessage = z.discriminatedUnion("type", [
  /** The options page replaced the stored set: rebuild the index and tell the tabs. */
  z.object({ type: z.literal("set-replaced") }),
]);
/** A message from an extension page. */
export type PageMessage = z.infer<typeof PageMessage>;

/** An extension page telling the bridge content scripts the user paired with an app: the app sends its set again. */
export const AppPaired = z.object({ type: z.literal("app-paired") });
/** The notice to the bridge content scripts that the paired app changed. */
export type AppPaired = z.infer<typeof AppPaired>;

/** The port name the bridge content script connects with. */
export const BRIDGE_PORT = "vitals-bridge";

/** Accounts per port message: a set of 100,000 accounts is tens of megabytes, over one message's limit. */
export const BRIDGE_CHUNK = 2000;

/** Everything of a set but its accounts. */
export const BadgeSetHeader = BadgeSet.omit({ accounts: true });

/**
 * The bridge content script streaming a set to the background (begin, parts, end, which carries the header), or a
 * delta: a few changed accounts of the set already stored, with the set's header (each account is parsed when read).
 */
export const BridgeMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("set-begin"), total: z.number().int().min(0).max(200_000) }),
  z.object({ type: z.literal("set-part"), accounts: z.array(z.unknown()).max(BRIDGE_CHUNK) }),
  z.object({ type: z.literal("set-end"), header: BadgeSetHeader }),
  z.object({
    type: z.literal("set-delta"),
    header: BadgeSetHeader,
    accounts: z.array(z.unknown()).min(1).max(BADGE_DELTA_MAX),
  }),
]);
/** A message from the bridge content script. */
export type BridgeMessage = z.infer<typeof BridgeMessage>;

/**
 * The background's answer once a streamed set is stored or refused, or a delta patched in; `needs-set`: the delta
 * could not be patched into the stored set (another source, an account it does not have, a changed name or domain),
 * so the bridge asks the app for its whole set.
 */
export const BridgeReply = z.discriminatedUnion("type", [
  z.object({ type: z.literal("stored"), accounts: z.number().int() }),
  z.object({ type: z.literal("refused"), problem: z.string() }),
  z.object({ type: z.literal("patched"), accounts: z.number().int() }),
  z.object({ type: z.literal("needs-set"), reason: z.string() }),
]);
/** The background's answer to a streamed set. */
export type BridgeReply = z.infer<typeof BridgeReply>;
