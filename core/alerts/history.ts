import type { AlertRule } from "../schema/alert-rule.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import type { Band } from "../schema/scorecard.ts";
import { roundHalfUp } from "../scoring/bands.ts";
import type { CompiledAlertRules, DailyScores } from "./evaluate.ts";

/**
 * Alert rules judged on every day of a stretch of history, not only the last (issue 15: validation asks of each
 * rule when it would first have fired before an outcome). A rule "holds on day d" here exactly when
 * `evaluateAccountAlerts` would raise it as of d, given the scores up to d and the account as it stood on d
 * (test/core/alerts/history.test.ts checks the two agree day by day).
 */

/** What the day-by-day rules read about one account besides its daily scores. */
export interface AlertHistorySubject {
  /** Its renewal days, ascending: on a day d the renewal is the first of them on or after d. */
  renewals: readonly Day[];
  /** The days of its imported observations, ascending (repeats allowed): on day d its last data is the latest ≤ d. */
  dataDays: ArrayLike<number>;
  /** The portfolio's data's last day, when known: a data gap counts up to it at most. */
  dataEnd?: Day;
  /** Per factor index, its n on each day of the series (NaN: missing); needed only by factor rules. */
  factorN?: readonly ArrayLike<number>[];
}

/**
 * The account's renewal days from its renewal date on record: that day and the same day in each earlier year, back
 * to `from` (a yearly contract renews on its anniversary; the date on record is the next one). Feb 29 falls back
 * to Feb 28 in common years.
 */
export function yearlyRenewals(renewalDate: string | undefined, from: Day): Day[] {
  if (renewalDate === undefined) return [];
  const last = parseIsoDay(renewalDate);
  if (last === undefined) return [];
  const [y, m, d] = formatDay(last).split("-") as [string, string, string];
  const days: Day[] = [];
  for (let k = 0; ; k++) {
    const year = String(Number(y) - k).padStart(4, "0");
    const day = parseIsoDay(`${year}-${m}-${d}`) ?? (parseIsoDay(`${year}-${m}-28`) as Day);
    if (day < from) break;
    days.push(day);
  }
  return days.reverse();
}

const shown = (score: number) => (Number.isNaN(score) ? -1 : Math.min(100, Math.max(0, roundHalfUp(score))));

/**
 * For each rule of `c`, the days of the series from index `start` on that it holds: `holds[k][j - start]` is 1 when
 * rule k holds as of day `daily.from + j`. Days before `start` are read (a drop looks back `withinDays`), not judged.
 */
export function alertHoldDays(
  c: CompiledAlertRules,
  subject: AlertHistorySubject,
  daily: DailyScores,
  start: number,
): Uint8Array[] {
  const m = daily.scores.length;
  const width = Math.max(0, m - start);
  const points = new Int16Array(m);
  for (let j = 0; j < m; j++) points[j] = shown(daily.scores[j] as number);
  const colorOf = (p: number) => (p < 0 ? "grey" : (c.bands[c.bandOfPoints[p] as number] as Band).color);
  return c.rules.map((rule: AlertRule, k) => {
    const holds = new Uint8Array(width);
    switch (rule.kind) {
      case "drop": {
        // The window's highest earlier score in a monotonic queue, as evaluateAccountAlerts keeps it.
        const queue = new Int32Array(m);
        let head = 0;
        let tail = 0;
        for (let j = 0; j < m; j++) {
          if (j > 0) {
            const p = points[j - 1] as number;
            if (p >= 0) {
              while (tail > head && (points[queue[tail - 1] as number] as number) <= p) tail--;
              queue[tail++] = j - 1;
            }
          }
          while (tail > head && (queue[head] as number) < j - rule.withinDays) head++;
          const pj = points[j] as number;
          if (j >= start && pj >= 0 && tail > head && (points[queue[head] as number] as number) - pj >= rule.points) {
            holds[j - start] = 1;
          }
        }
        break;
      }
      case "band": {
        const match = c.bandMatch[k] as Uint8Array;
        for (let j = start; j < m; j++) {
          const p = points[j] as number;
          if (p >= 0 && match[c.bandOfPoints[p] as number] === 1) holds[j - start] = 1;
        }
        break;
      }
      case "factor": {
        const n = subject.factorN?.[c.factorIndex[k] as number];
        if (!n) break;
        for (let j = start; j < m; j++) {
          const v = n[j] as number;
          if (!Number.isNaN(v) && v < rule.below) holds[j - start] = 1;
        }
        break;
      }
      case "renewal": {
        let next = 0;
        for (let j = start; j < m; j++) {
          const d = daily.from + j;
          while (next < subject.renewals.length && (subject.renewals[next] as number) < d) next++;
          const renewal = subject.renewals[next];
          if (renewal === undefined) break;
          // A day with no score raises nothing (evaluateAccountAlerts: no score is not enough data, not a health).
          const p = points[j] as number;
          if (renewal - d <= rule.withinDays && p >= 0 && colorOf(p) !== "green") holds[j - start] = 1;
        }
        break;
      }
      case "noData": {
        const data = subject.dataDays;
        let seen = 0;
        for (let j = 0; j < m; j++) {
          const d = daily.from + j;
          while (seen < data.length && (data[seen] as number) <= d) seen++;
          if (j < start || seen === 0) continue;
          const last = data[seen - 1] as number;
          const end = subject.dataEnd === undefined ? d : Math.min(d, subject.dataEnd);
          if (end - last >= rule.days) holds[j - start] = 1;
        }
        break;
      }
    }
    return holds;
  });
}
