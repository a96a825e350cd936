import type { BadgeCard } from "../../core/schema/badge.ts";

// Words for the badge and its card. Pure functions of a BadgeCard: the numbers come from the PWA's engine, the
// extension only chooses how to say them.

/** What the badge shows, in the scorecard's preferred form; points always come with the grade (colour is never alone). */
export function badgeText(account: BadgeCard): string {
  if (account.shown === null) return account.form === "label" && account.label ? account.label : "—";
  switch (account.form) {
    case "grade":
      return account.grade;
    case "label":
      return account.label || account.grade;
    default:
      return `${account.shown} ${account.grade}`;
  }
}

/** The score in all three forms, e.g. "72 points, grade B, Good", or "Not enough data" when there is no score. */
export function scoreInWords(account: BadgeCard): string {
  if (account.shown === null) return account.label ? `Not enough data (${account.label})` : "Not enough data";
  const parts = [`${account.shown} points`, `grade ${account.grade}`];
  if (account.label) parts.push(account.label);
  return parts.join(", ");
}

/** The change in shown score, e.g. "up 5 points", "down 3 points", "no change"; undefined when unknown. */
export function deltaInWords(delta: number | null): string | undefined {
  if (delta === null) return undefined;
  const points = Math.abs(Math.round(delta));
  if (points === 0) return "no change";
  return `${delta > 0 ? "up" : "down"} ${points} point${points === 1 ? "" : "s"}`;
}

/** The delta as a short signed figure for the card ("+5", "−3", "±0"). */
export function deltaFigure(delta: number): string {
  const rounded = Math.round(delta);
  if (rounded === 0) return "±0";
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

/** The badge's accessible name: whose health, the score in words and its change. */
export function badgeLabel(account: BadgeCard): string {
  const delta = deltaInWords(account.delta);
  return `Vitals health of ${account.name}: ${scoreInWords(account)}${delta ? `, ${delta}` : ""}`;
}

/** A sparkline's text alternative: how many weeks, and the first and last known scores. */
export function sparklineInWords(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  const first = known[0];
  const last = known.at(-1);
  if (first === undefined || last === undefined) return "No score history";
  return `Score over the last ${values.length} weeks, from ${Math.round(first)} to ${Math.round(last)}`;
}

/**
 * The PWA's page for an account, or undefined when the PWA's address is unknown or not a web address (a
 * `javascript:` base must never become a link on someone else's page).
 */
export function accountUrl(pwaUrl: string | undefined, accountId: string): string | undefined {
  if (!pwaUrl) return undefined;
  let base: URL;
  try {
    base = new URL(pwaUrl);
  } catch {
    return undefined;
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") return undefined;
  base.hash = "";
  return `${base.href}#/accounts/${encodeURIComponent(accountId)}`;
}
