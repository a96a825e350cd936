import { z } from "zod";
import { bounded } from "./bounds.ts";
import { IsoDay } from "./iso-day.ts";
import { ScoreColor } from "./result.ts";
import { BadgeForm } from "./scorecard.ts";

// What the extension knows about an account: enough to match it on a page and to draw its badge and hover card,
// nothing more (no observations, no notes). The PWA computes these; the extension only stores and shows them.

/** One of the factors that cost the account the most points, in plain words. */
export const BadgeDrag = z.object({
  factorId: z.string().min(1),
  /** e.g. "NPS fell from 40 to −10: −12 points". */
  text: z.string().min(1).max(300),
  /** Points lost, ≥ 0. */
  lost: bounded("lost", 0, 100),
});
/** A top drag, in plain words. */
export type BadgeDrag = z.infer<typeof BadgeDrag>;

/** An open alert on the account, as the hover card lists it. */
export const BadgeAlert = z.object({
  title: z.string().min(1).max(300),
  raisedOn: IsoDay,
});
/** An open alert on the account. */
export type BadgeAlert = z.infer<typeof BadgeAlert>;

/** An account's primary score and how to find the account on a page. */
export const BadgeAccount = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(300),
  /** Email domains, lower case. */
  domains: z.array(z.string().min(1).max(253)).max(100).default([]),
  /** Ids in other systems: salesforce, hubspot, zendesk, intercom, freshdesk, … */
  externalIds: z.record(z.string().max(50), z.string().min(1).max(200)).default({}),
  aliases: z.array(z.string().min(1).max(300)).max(50).default([]),
  /** Name of the scorecard the primary score comes from. */
  scorecard: z.string().max(200),
  /** Unrounded score, or null for "not enough data". */
  score: bounded("score", 0, 100).nullable(),
  /** Score as shown (rounded half up), or null. */
  shown: z.number().int().min(0).max(100).nullable(),
  /** Grade letter, or "—" for no score. */
  grade: z.string().min(1).max(10),
  color: ScoreColor,
  label: z.string().max(100),
  /** Which form the badge shows first (the scorecard's choice). */
  form: BadgeForm.default("points"),
  /** Shown score now minus shown score `deltaDays` ago, or null. */
  delta: bounded("delta", -100, 100).nullable(),
  coverage: bounded("coverage", 0, 1),
  /** Why the score moved over the delta period, in the account page's words (core/insights/score-change.ts). */
  why: z.string().min(1).max(400).optional(),
  drags: z.array(BadgeDrag).max(5).default([]),
  /** Recent shown scores, oldest first, one per week; null where there was no score. */
  sparkline: z
    .array(bounded("a sparkline point", 0, 100).nullable())
    .max(60)
    .default([]),
  alerts: z.array(BadgeAlert).max(20).default([]),
  /** An active override, shown beside the computed score. */
  override: z.object({ text: z.string().max(300), until: IsoDay }).optional(),
  /** Day the score is as of. */
  asOf: IsoDay,
});
/** An account as the extension knows it. */
export type BadgeAccount = z.infer<typeof BadgeAccount>;
/** A BadgeAccount as written, before defaults are filled in. */
export type BadgeAccountInput = z.input<typeof BadgeAccount>;

/**
 * An account as a page's badge and card show it: everything but how to find it on a page (its domains, ids in other
 * systems and other names), which only the background's matching needs. A lookup's answer carries these, so a page's
 * process holds no more of an account than its badge shows.
 */
export const BadgeCard = BadgeAccount.omit({ domains: true, externalIds: true, aliases: true });
/** An account as its badge shows it. */
export type BadgeCard = z.infer<typeof BadgeCard>;

/** What a badge shows of an account. */
export function badgeCard(account: BadgeAccount): BadgeCard {
  const { domains: _domains, externalIds: _externalIds, aliases: _aliases, ...card } = account;
  return card;
}

/** Everything the extension shows, as one set that replaces the previous one whole. */
export const BadgeSet = z.object({
  format: z.literal("vitals-badges"),
  version: z.literal(1),
  /** ISO timestamp the set was made. */
  generatedAt: z.iso.datetime({ offset: true }),
  /** The PWA's address, for "Open in Vitals" links (`<pwaUrl>#/accounts/<id>`); absent when unknown. */
  pwaUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The app made this set from its demo portfolio (made-up companies). The extension refuses such a set over one
   * that is not, so opening the app at a new, empty address never replaces a user's badges with the demo's.
   */
  demo: z.boolean().optional(),
  accounts: z.array(BadgeAccount).max(200_000),
});
/** Everything the extension shows. */
export type BadgeSet = z.infer<typeof BadgeSet>;
