import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import type { ScoreColor } from "../schema/result.ts";

/**
 * Scores since yesterday (issue 18, the daily digest): each account's primary score on the as-of day against the day
 * before, as a CSM reads it every morning: the accounts whose band changed (up or down), the biggest moves in points,
 * and how many rose or fell. Pure: the worker hands it the accounts table's rows, which carry both days' scores.
 */

/** A primary score on one day, as shown: unrounded, whole points, and its band. */
export interface DayScore {
  score: number;
  points: number;
  grade: string;
  color: ScoreColor;
  label: string;
}

/** What the digest reads of an account (an accounts-table row has it all). */
export interface ScoreDigestRow {
  id: string;
  name: string;
  arr: number | null;
  renewalDate: string | null;
  /** The primary score on the as-of day; null (or a null score) when there was not enough data. */
  shown: { score: number | null; points: number | null; grade: string; color: ScoreColor; label: string } | null;
  /** The same scorecard's score on the day before, banded by that day's score; null when not enough data. */
  dayBefore: DayScore | null;
}

/** One account's move from the day before to the as-of day. */
export interface ScoreMove {
  id: string;
  name: string;
  arr: number | null;
  renewalDate: string | null;
  from: DayScore;
  to: DayScore;
  /** Whole points as shown: `to.points − from.points`. */
  change: number;
}

/** What changed in the scores from the day before the as-of day to the as-of day. */
export interface ScoreDigest {
  asOf: string;
  /** The day compared with: the day before `asOf`. */
  since: string;
  /** Accounts with a score on both days. */
  compared: number;
  /** Of those, how many rose and fell by a whole point or more. */
  rose: number;
  fell: number;
  /** Accounts scored on the as-of day that were not the day before, and the other way round. */
  scoredNow: number;
  unscoredNow: number;
  /** Accounts whose band moved up (a better band), the largest ARR first. */
  bandUp: ScoreMove[];
  /** Accounts whose band moved down, the largest ARR first. */
  bandDown: ScoreMove[];
  /** The largest moves in whole points either way, the largest first (up to the limit asked for). */
  moves: ScoreMove[];
}

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
/** Larger ARR first; none after every amount. */
const byArr = (x: ScoreMove, y: ScoreMove) => (y.arr ?? Number.NEGATIVE_INFINITY) - (x.arr ?? Number.NEGATIVE_INFINITY);
const byName = (x: ScoreMove, y: ScoreMove) => x.name.localeCompare(y.name, "en") || byText(x.id, y.id);

/**
 * The digest of scores since the day before `asOf` (an ISO day). A band change is a change of grade, label or colour;
 * it is up when the score rose and down when it fell (both days are banded by the same scorecard's bands, so a band
 * never changes while the score stays). The moves are the accounts that moved a whole point or more, the largest
 * move first, then the largest ARR, then by name; `limit` keeps the first ones.
 */
export function scoreDigest(rows: readonly ScoreDigestRow[], asOf: string, limit = 10): ScoreDigest {
  const day = parseIsoDay(asOf);
  if (day === undefined) throw new Error(`asOf: "${asOf}" is not a day (YYYY-MM-DD)`);
  const moved: ScoreMove[] = [];
  const bandUp: ScoreMove[] = [];
  const bandDown: ScoreMove[] = [];
  let compared = 0;
  let rose = 0;
  let fell = 0;
  let scoredNow = 0;
  let unscoredNow = 0;
  for (const row of rows) {
    const s = row.shown;
    const now: DayScore | null =
      s && s.score !== null && s.points !== null
        ? { score: s.score, points: s.points, grade: s.grade, color: s.color, label: s.label }
        : null;
    const then = row.dayBefore;
    if (now === null || then === null) {
      if (now !== null) scoredNow++;
      else if (then !== null) unscoredNow++;
      continue;
    }
    compared++;
    const move: ScoreMove = {
      id: row.id,
      name: row.name,
      arr: row.arr,
      renewalDate: row.renewalDate,
      from: then,
      to: now,
      change: now.points - then.points,
    };
    if (move.change > 0) rose++;
    else if (move.change < 0) fell++;
    if (move.change !== 0) moved.push(move);
    const sameBand = now.grade === then.grade && now.label === then.label && now.color === then.color;
    if (!sameBand) {
      const up = move.change !== 0 ? move.change > 0 : now.score > then.score;
      (up ? bandUp : bandDown).push(move);
    }
  }
  const bandOrder = (x: ScoreMove, y: ScoreMove) => byArr(x, y) || byName(x, y);
  moved.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || byArr(x, y) || byName(x, y));
  return {
    asOf,
    since: formatDay((day - 1) as Day),
    compared,
    rose,
    fell,
    scoredNow,
    unscoredNow,
    bandUp: bandUp.sort(bandOrder),
    bandDown: bandDown.sort(bandOrder),
    moves: moved.slice(0, Math.max(0, limit)),
  };
}
