/**
 * Band thresholds chosen by a purpose (issue 15): "red = the 15% most at risk" or "red churns at ≥ 3× the base
 * rate", each with what it costs and gives: how many accounts are red, how many of the churned it catches, and
 * how many of the red did not churn (false alarms).
 */
import type { Band } from "../schema/scorecard.ts";
import { roundHalfUp } from "../scoring/bands.ts";

/** A purpose for the red band. */
export type BandTargetKind = "share" | "lift";

/** One purpose and its trade-off on the accounts with an outcome. */
export interface BandTarget {
  kind: BandTargetKind;
  /** The share of accounts (0.15) or the multiple of the base churn rate (3). */
  value: number;
  /** The purpose in words: "red = the 15% most at risk". */
  words: string;
  /** A score (as shown) below this is red: the lowest band that is not red starts here. 0: nobody is red. */
  redBelow: number;
  /** Accounts in red, and their share of the accounts with a score. */
  red: number;
  redShare: number;
  /** Churned accounts in red, and their share of every churned account with a score (recall). */
  caught: number;
  caughtShare: number | null;
  /** Red accounts that did not churn. */
  falseAlarms: number;
  /** Churn rate in red (precision) and its multiple of the base rate. */
  churnRate: number | null;
  lift: number | null;
}

/** The shares and multiples offered. */
export const SHARE_TARGETS = [0.05, 0.1, 0.15, 0.2, 0.3] as const;
export const LIFT_TARGETS = [2, 3] as const;

/** The trade-off of red = every shown score below `redBelow`. */
function tradeOff(
  kind: BandTargetKind,
  value: number,
  words: string,
  redBelow: number,
  below: Float64Array,
  hitsBelow: Float64Array,
  total: number,
  churned: number,
): BandTarget {
  const red = below[redBelow] as number;
  const caught = hitsBelow[redBelow] as number;
  return {
    kind,
    value,
    words,
    redBelow,
    red,
    redShare: total === 0 ? 0 : red / total,
    caught,
    caughtShare: churned === 0 ? null : caught / churned,
    falseAlarms: red - caught,
    churnRate: red === 0 ? null : caught / red,
    lift: red === 0 || churned === 0 ? null : caught / red / (churned / total),
  };
}

/**
 * Red thresholds for each purpose, from unrounded scores (NaN: no score) of the cases and whether they churned.
 * A share target takes the threshold whose red share is nearest the target; a lift target the highest threshold
 * (the most churn caught) whose red still churns at the multiple of the base rate, with at least 1% of the accounts
 * (so one unlucky account does not make a band); none when no threshold reaches it.
 */
export function bandTargets(
  score: ArrayLike<number>,
  churned: ArrayLike<number>,
  cases: ArrayLike<number>,
): BandTarget[] {
  // below[t]: accounts with a shown score < t, t = 0 … 101; hitsBelow the churned among them.
  const count = new Float64Array(101);
  const hits = new Float64Array(101);
  let total = 0;
  let churnedTotal = 0;
  for (let k = 0; k < cases.length; k++) {
    const i = cases[k] as number;
    const s = score[i] as number;
    if (Number.isNaN(s)) continue;
    const v = Math.min(100, Math.max(0, roundHalfUp(s)));
    count[v] = (count[v] as number) + 1;
    total++;
    if (churned[i]) {
      hits[v] = (hits[v] as number) + 1;
      churnedTotal++;
    }
  }
  const below = new Float64Array(102);
  const hitsBelow = new Float64Array(102);
  for (let t = 1; t <= 101; t++) {
    below[t] = (below[t - 1] as number) + (count[t - 1] as number);
    hitsBelow[t] = (hitsBelow[t - 1] as number) + (hits[t - 1] as number);
  }
  if (total === 0) return [];
  // Any threshold between the highest red score and the next score gives the same red: take the middle of the gap,
  // so a later score there goes to the nearer side (as the suggested band thresholds do).
  const middle = (t: number) => {
    let lo = t - 1;
    while (lo >= 0 && (count[lo] as number) === 0) lo--;
    let hi = t;
    while (hi <= 100 && (count[hi] as number) === 0) hi++;
    return lo < 0 ? 0 : hi > 100 ? t : lo + Math.ceil((hi - lo) / 2);
  };
  const targets: BandTarget[] = [];
  for (const share of SHARE_TARGETS) {
    let best = 0;
    for (let t = 0; t <= 100; t++) {
      if (Math.abs((below[t] as number) - share * total) < Math.abs((below[best] as number) - share * total)) best = t;
    }
    const words = `red = the ${Math.round(share * 100)}% most at risk`;
    targets.push(tradeOff("share", share, words, middle(best), below, hitsBelow, total, churnedTotal));
  }
  const base = churnedTotal / total;
  const least = Math.max(1, Math.ceil(total * 0.01));
  for (const lift of LIFT_TARGETS) {
    let best = -1;
    for (let t = 1; t <= 100; t++) {
      const red = below[t] as number;
      if (red >= least && (hitsBelow[t] as number) / red >= lift * base) best = t;
    }
    if (best < 0) continue;
    const words = `red churns at ≥ ${lift}× the base rate (${Math.round(base * 100)}%)`;
    targets.push(tradeOff("lift", lift, words, middle(best), below, hitsBelow, total, churnedTotal));
  }
  return targets;
}

/**
 * The scorecard's bands with red ending at `redBelow`: the lowest band that is not red starts there, the red bands
 * share 0 … redBelow − 1, and the bands above keep their thresholds where they still fit (else they are spaced
 * evenly up to 100). Grades, colours and labels stay.
 */
export function bandsForTarget(bands: readonly Band[], redBelow: number): Band[] {
  const ascending = [...bands].sort((a, b) => a.min - b.min);
  const red = ascending.filter((b) => b.color === "red");
  const rest = ascending.filter((b) => b.color !== "red");
  if (red.length === 0 || rest.length === 0) return ascending.reverse();
  // Red bands: evenly in [0, redBelow), the lowest from 0; more red bands than points collapse into one.
  const cut = Math.max(red.length, Math.min(100 - rest.length + 1, Math.round(redBelow)));
  const out: Band[] = red.map((b, j) => ({ ...b, min: j === 0 ? 0 : Math.round((cut * j) / red.length) }));
  let previous = cut - 1;
  rest.forEach((b, j) => {
    const room = 100 - (rest.length - 1 - j); // leave a point for each band above
    const min =
      j === 0
        ? cut
        : b.min > previous && b.min <= room
          ? b.min
          : Math.min(room, previous + Math.max(1, Math.round((100 - cut) / rest.length)));
    out.push({ ...b, min });
    previous = min;
  });
  return out.reverse();
}
