import { z } from "zod";
import { type Day, parseIsoDay } from "../schema/day.ts";
import { IsoDay } from "../schema/iso-day.ts";
import { latestObservationDay } from "./aggregate.ts";
import { type MetricSeries, type PortfolioData, seriesFromColumns } from "./series.ts";

/**
 * The portfolio's as-of day, as the user sets it (docs/scoring.md, "As of a day"): the data's
 * last day (the default), today, or a chosen day. Only imported observations set "the data's last day": a rating,
 * an override or a note never moves it.
 */
export const AsOfSetting = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("data") }),
  z.object({ mode: z.literal("today") }),
  z.object({ mode: z.literal("day"), day: IsoDay }),
]);
/** How the portfolio's as-of day is chosen. */
export type AsOfSetting = z.infer<typeof AsOfSetting>;

/** The default: score as of the data's last day. */
export const DEFAULT_AS_OF: AsOfSetting = { mode: "data" };

/** A stored setting read back: anything that is not a valid setting (an older or damaged row) is the default. */
export function restoreAsOfSetting(value: unknown): AsOfSetting {
  const parsed = AsOfSetting.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_AS_OF;
}

/** The as-of day a setting gives, and whether it moves with the calendar (so a new day needs a new scoring). */
export interface ResolvedAsOf {
  asOf: Day;
  /** True when the day depends on today's date: "today", or the data's last day when there is none or it is later. */
  followsToday: boolean;
}

/**
 * Resolves a setting to a day. "The data's last day" is the last day of any imported observation, never after
 * today (data dated in the future is not scored ahead of time), and today when nothing is imported yet.
 */
export function resolveAsOf(setting: AsOfSetting, dataEnd: Day | null, today: Day): ResolvedAsOf {
  switch (setting.mode) {
    case "today":
      return { asOf: today, followsToday: true };
    case "day":
      return { asOf: parseIsoDay(setting.day) as Day, followsToday: false };
    case "data":
      return dataEnd === null || dataEnd > today
        ? { asOf: today, followsToday: true }
        : { asOf: dataEnd, followsToday: false };
  }
}

/** One metric's extent in the imported data: its first and last day, and how much there is. */
export interface MetricExtent {
  metric: string;
  first: Day;
  last: Day;
  observations: number;
  /** Accounts with at least one observation of the metric. */
  accounts: number;
}

/** The imported data's extent: its last day over every metric (null when there is none), and each metric's. */
export interface DataExtent {
  last: Day | null;
  metrics: MetricExtent[];
}

/** The extent of a portfolio's observations. Give it imported observations only (no ratings): they set the as-of. */
export function dataExtent(portfolio: PortfolioData): DataExtent {
  const metrics: MetricExtent[] = [];
  let last: Day | null = null;
  for (const [metric, series] of portfolio.series) {
    let first = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    let accounts = 0;
    for (let a = 0; a + 1 < series.offsets.length; a++) {
      const from = series.offsets[a] as number;
      const to = series.offsets[a + 1] as number;
      if (to === from) continue;
      accounts++;
      first = Math.min(first, series.days[from] as number);
      end = Math.max(end, series.days[to - 1] as number);
    }
    if (accounts === 0) continue;
    metrics.push({ metric, first, last: end, observations: series.days.length, accounts });
    if (last === null || end > last) last = end;
  }
  metrics.sort((x, y) => (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : 0));
  return { last, metrics };
}

/** Per account: the day of its latest observation on or before `until`, or −1 when it has none. */
export function lastDataDays(portfolio: PortfolioData, until: Day): Int32Array {
  const out = new Int32Array(portfolio.accounts.length).fill(-1);
  for (const series of portfolio.series.values()) {
    for (let a = 0; a < out.length; a++) {
      const day = latestObservationDay(series, a, until);
      if (day !== undefined && day > (out[a] as number)) out[a] = day;
    }
  }
  return out;
}

/** A CSM's rating as the engine reads it: an observation of the rated metric, in the order the ratings were made. */
export interface Rating {
  /** Index of the account in the portfolio. */
  account: number;
  metric: string;
  /** The day the rating was made (what its history shows). */
  day: Day;
  value: number;
}

/**
 * The day a rating counts on when scoring as of `asOf`. A rating made after the data's last day describes the
 * account as the data leaves it: when the as-of day is at or after the data's last day, a rating dated after the
 * as-of day counts on the as-of day (rating an account today never blanks the others' windows, and the rating is
 * not lost for being "in the future" of stale data). When the as-of day is before the data's last day (a day in the
 * past chosen to look back), a later rating is not read: nothing observed after the as-of day is.
 */
export function ratingCountsOn(day: Day, asOf: Day, dataEnd: Day | null): Day {
  return day > asOf && (dataEnd === null || asOf >= dataEnd) ? asOf : day;
}

/**
 * The portfolio the engine scores: the imported observations plus the CSM's ratings, each on the day it counts on
 * (`ratingCountsOn`). A rating is the word on its day: the latest one of an account's metric on a day (latest made,
 * then latest given) replaces the others and any imported observation of that metric on that day. Series of
 * metrics nobody rated are shared, not copied.
 */
export function withRatings(
  imported: PortfolioData,
  ratings: readonly Rating[],
  asOf: Day,
  dataEnd: Day | null,
): PortfolioData {
  if (ratings.length === 0) return imported;
  const accountCount = imported.accounts.length;
  // metric → (account, day it counts on) → the winning rating's made day and value.
  const byMetric = new Map<string, Map<number, { made: Day; value: number }>>();
  const key = (a: number, day: Day) => a * 1_000_000 + day;
  for (const r of ratings) {
    if (r.account < 0 || r.account >= accountCount) continue;
    let days = byMetric.get(r.metric);
    if (!days) {
      days = new Map();
      byMetric.set(r.metric, days);
    }
    const k = key(r.account, ratingCountsOn(r.day, asOf, dataEnd));
    const seen = days.get(k);
    if (!seen || r.day >= seen.made) days.set(k, { made: r.day, value: r.value });
  }
  const series = new Map<string, MetricSeries>(imported.series);
  for (const [metric, rated] of byMetric) {
    const before = imported.series.get(metric);
    const account: number[] = [];
    const day: number[] = [];
    const value: number[] = [];
    if (before) {
      for (let a = 0; a < accountCount; a++) {
        for (let k = before.offsets[a] as number; k < (before.offsets[a + 1] as number); k++) {
          const d = before.days[k] as number;
          if (rated.has(key(a, d))) continue;
          account.push(a);
          day.push(d);
          value.push(before.values[k] as number);
        }
      }
    }
    for (const [k, r] of rated) {
      account.push(Math.floor(k / 1_000_000));
      day.push(k % 1_000_000);
      value.push(r.value);
    }
    const rebuilt = seriesFromColumns(accountCount, {
      metric,
      account: Int32Array.from(account),
      day: Int32Array.from(day),
      value: Float64Array.from(value),
    });
    // An events import's covered days stay with the metric (count 0 inside them).
    series.set(metric, before?.covered ? { ...rebuilt, covered: before.covered } : rebuilt);
  }
  return { accounts: imported.accounts, accountIndex: imported.accountIndex, series };
}
