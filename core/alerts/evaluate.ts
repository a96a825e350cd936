import type { AlertRule, AlertRuleKind } from "../schema/alert-rule.ts";
import { type Day, formatDay } from "../schema/day.ts";
import type { Band, Scorecard } from "../schema/scorecard.ts";
import { roundHalfUp, sortBands } from "../scoring/bands.ts";
import { percent } from "../text/words.ts";
import { alertRulesOf, bandTargetWords, describeRule } from "./rules.ts";

/** A rule whose condition holds for an account on the as-of day: what the inbox raises or keeps open. */
export interface AlertHit {
  scorecardId: string;
  ruleId: string;
  kind: AlertRuleKind;
  accountId: string;
  /** The rule in words ("Score fell 10 points or more within 30 days"). */
  title: string;
  /** Why, in words, with the numbers ("Score fell 18 points in 12 days, from 74 on 2025-05-03 to 56"). */
  message: string;
  /**
   * First day of the run of days on which the condition has held (ISO), when the rule can know it: a later `since`
   * than a closed alert's means the condition cleared and came back, a new episode. Null for factor rules (only the
   * latest value is known).
   */
  since: string | null;
}

/** A scorecard's alert rules prepared once: sorted bands, a points → band table, each band rule's bands. */
export interface CompiledAlertRules {
  readonly card: Scorecard;
  readonly rules: readonly AlertRule[];
  /** Bands, highest `min` first. */
  readonly bands: readonly Band[];
  /** Band index (into `bands`) of each shown score 0…100. */
  readonly bandOfPoints: Int8Array;
  /** Per rule: for band rules, 1 for each band index it matches; null for other rules. */
  readonly bandMatch: readonly (Uint8Array | null)[];
  /** Per rule: for factor rules, the factor's index in the scorecard; −1 otherwise. */
  readonly factorIndex: readonly number[];
  /** Per rule: its words. */
  readonly titles: readonly string[];
}

/** Prepares a scorecard's alert rules (its own or the defaults) for evaluation over many accounts. */
export function compileAlertRules(
  card: Scorecard,
  rules: readonly AlertRule[] = alertRulesOf(card),
): CompiledAlertRules {
  const bands = sortBands(card.bands);
  const bandOfPoints = new Int8Array(101);
  for (let p = 0; p <= 100; p++) {
    const i = bands.findIndex((b) => b.min <= p);
    bandOfPoints[p] = i < 0 ? bands.length - 1 : i;
  }
  return {
    card,
    rules,
    bands,
    bandOfPoints,
    bandMatch: rules.map((r) =>
      r.kind === "band"
        ? Uint8Array.from(bands, (b) => Number(r.grade !== undefined ? b.grade === r.grade : b.color === r.color))
        : null,
    ),
    factorIndex: rules.map((r) => (r.kind === "factor" ? card.factors.findIndex((f) => f.id === r.factorId) : -1)),
    titles: rules.map((r) => describeRule(r, card)),
  };
}

/** What the rules read about one account besides its daily scores. */
export interface AlertSubject {
  accountId: string;
  /** Renewal day, when the account has one. */
  renewal?: Day;
  /** Day of the account's latest imported observation on or before the as-of day, when it has any. */
  lastData?: Day;
  /**
   * The portfolio's data's last day, when known: a data gap counts up to it at most. After it, every account is
   * equally without data; the app says that once for the portfolio, not once per account.
   */
  dataEnd?: Day;
  /** Each factor's n on the as-of day, by factor index (NaN: missing); needed only by factor rules. */
  factorN?: ArrayLike<number>;
}

/** An account's daily scores on the scorecard: `scores[j]` is the score of day `from + j`, the last one the as-of day. */
export interface DailyScores {
  from: Day;
  scores: ArrayLike<number>;
}

/** Reusable buffer of shown points (−1 for null) so evaluating thousands of accounts allocates nothing per account. */
export class AlertScratch {
  points = new Int16Array(0);
  queue = new Int32Array(0);
  ensure(days: number): void {
    if (this.points.length < days) {
      this.points = new Int16Array(days);
      this.queue = new Int32Array(days);
    }
  }
}

/** "1 day", "12 days". */
const daysWords = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;

const shown = (score: number) => (Number.isNaN(score) ? -1 : Math.min(100, Math.max(0, roundHalfUp(score))));

/**
 * How older versions worded a missing score in a renewal alert ("while the score is no score (not enough data)"):
 * such an alert was raised on data not yet imported, and the inbox closes it (lifecycle.ts).
 */
export const NO_SCORE_WORDS = "no score (not enough data)";

/** "74 (B, Good)" or "no score (not enough data)", for a shown score on the compiled scorecard. */
function scoreWords(c: CompiledAlertRules, points: number): string {
  if (points < 0) return NO_SCORE_WORDS;
  const band = c.bands[c.bandOfPoints[points] as number] as Band;
  return `${points} (${band.grade}, ${band.label})`;
}

/** "the as-of day 2025-03-05", "1 day after the as-of day 2025-03-05", "45 days after …". */
export function renewalWhen(left: number, asOf: Day): string {
  const day = `the as-of day ${formatDay(asOf)}`;
  return left === 0 ? day : `${daysWords(left)} after ${day}`;
}

/**
 * Evaluates a scorecard's rules for one account as of the last day of its daily scores (docs/scoring.md, "Alerts"):
 * the score-history rules in one pass over the series (the drop rule keeps the window's highest score in a
 * monotonic queue, so a year costs one visit per day, not one per day per window day), the others on the latest
 * values. Renewals and data gaps count from the as-of day, as the scores do (issue 13: judged against the calendar
 * day, a portfolio whose data ended two years ago raised "no new data" on every account).
 */
export function evaluateAccountAlerts(
  c: CompiledAlertRules,
  subject: AlertSubject,
  daily: DailyScores,
  asOf: Day,
  scratch: AlertScratch = new AlertScratch(),
): AlertHit[] {
  const m = daily.scores.length;
  scratch.ensure(m);
  const { points, queue } = scratch;
  for (let j = 0; j < m; j++) points[j] = shown(daily.scores[j] as number);
  const last = m - 1;
  const now = m > 0 ? (points[last] as number) : -1;
  const hits: AlertHit[] = [];
  const hit = (k: number, message: string, since: Day | null) => {
    const rule = c.rules[k] as AlertRule;
    hits.push({
      scorecardId: c.card.id,
      ruleId: rule.id,
      kind: rule.kind,
      accountId: subject.accountId,
      title: c.titles[k] as string,
      message,
      since: since === null ? null : formatDay(since),
    });
  };
  for (let k = 0; k < c.rules.length; k++) {
    const rule = c.rules[k] as AlertRule;
    switch (rule.kind) {
      case "drop": {
        if (now < 0) break;
        const n = rule.withinDays;
        // queue[head..tail): days of the window before day j, their points decreasing (ties keep the later day).
        let head = 0;
        let tail = 0;
        let run = -1;
        let holds = false;
        for (let j = 0; j < m; j++) {
          if (j > 0) {
            const p = points[j - 1] as number;
            if (p >= 0) {
              while (tail > head && (points[queue[tail - 1] as number] as number) <= p) tail--;
              queue[tail++] = j - 1;
            }
          }
          while (tail > head && (queue[head] as number) < j - n) head++;
          const pj = points[j] as number;
          holds = pj >= 0 && tail > head && (points[queue[head] as number] as number) - pj >= rule.points;
          if (!holds) run = -1;
          else if (run < 0) run = j;
        }
        if (holds) {
          const peakDay = queue[head] as number;
          const peak = points[peakDay] as number;
          hit(
            k,
            `Score fell ${peak - now} points in ${daysWords(last - peakDay)}, from ${peak} on ${formatDay(daily.from + peakDay)} to ${now}`,
            daily.from + run,
          );
        }
        break;
      }
      case "band": {
        const match = c.bandMatch[k] as Uint8Array;
        if (now < 0 || match[c.bandOfPoints[now] as number] !== 1) break;
        let start = last;
        while (start > 0) {
          const p = points[start - 1] as number;
          if (p < 0 || match[c.bandOfPoints[p] as number] !== 1) break;
          start--;
        }
        const target = bandTargetWords(rule, c.bands);
        hit(
          k,
          start === 0
            ? `Score ${scoreWords(c, now)} has been in ${target} since at least ${formatDay(daily.from)}`
            : `Score entered ${target} on ${formatDay(daily.from + start)}; it is ${scoreWords(c, now)}`,
          daily.from + start,
        );
        break;
      }
      case "factor": {
        const i = c.factorIndex[k] as number;
        const n = i < 0 ? Number.NaN : (subject.factorN?.[i] ?? Number.NaN);
        if (Number.isNaN(n) || n >= rule.below) break;
        const label = c.card.factors[i]?.label ?? rule.factorId;
        hit(
          k,
          `${label} earns ${percent(n)} of its points on ${formatDay(asOf)}, below the ${percent(rule.below)} threshold`,
          null,
        );
        break;
      }
      case "renewal": {
        if (subject.renewal === undefined) break;
        const left = subject.renewal - asOf;
        if (left < 0 || left > rule.withinDays) break;
        // No score is not enough data, not a health: an accounts file imported before its observations must not
        // raise "renews while not green" on every account (issue 16). The alert waits for a score.
        if (now < 0) break;
        const color = (c.bands[c.bandOfPoints[now] as number] as Band).color;
        if (color === "green") break;
        hit(
          k,
          `Renews on ${formatDay(subject.renewal)}, ${renewalWhen(left, asOf)}, while the score is ${scoreWords(c, now)}`,
          subject.renewal - rule.withinDays,
        );
        break;
      }
      case "noData": {
        if (subject.lastData === undefined) break;
        const end = subject.dataEnd === undefined ? asOf : Math.min(asOf, subject.dataEnd);
        const gap = end - subject.lastData;
        if (gap < rule.days) break;
        hit(
          k,
          `No new data for ${gap} days up to ${formatDay(end)}; the last was on ${formatDay(subject.lastData)}`,
          subject.lastData + rule.days,
        );
        break;
      }
    }
  }
  return hits;
}
