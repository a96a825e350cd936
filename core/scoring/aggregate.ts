import type { Aggregation } from "../schema/scorecard.ts";
import { type MetricSeries, rangesOverlap } from "./series.ts";

/** Aggregations for which an account with no observation in a covered window has a value (0), not missing. */
export const ZERO_FILLED: ReadonlySet<Aggregation> = new Set<Aggregation>(["sum", "count"]);

/** No covered days (a series no events import covered). */
const NO_RANGES = new Int32Array(0);

/** Per-series prefix arrays, built once on first use and shared by every factor and day that reads the series. */
interface Prefix {
  /** sum[k] = Σ values[0…k−1] (across accounts; callers subtract within one account's slice). */
  sum: Float64Array;
  /** Counts of valid NPS answers (0–10), promoters (9–10) and detractors (0–6) before index k. */
  npsValid: Int32Array;
  npsPromoters: Int32Array;
  npsDetractors: Int32Array;
  /** lastPositive[k] = greatest index j ≤ k in k's account with values[j] > 0, or −1. */
  lastPositive: Int32Array;
}

const prefixes = new WeakMap<MetricSeries, Prefix>();

function prefixOf(series: MetricSeries): Prefix {
  const cached = prefixes.get(series);
  if (cached) return cached;
  const { days, values, offsets } = series;
  const n = days.length;
  const sum = new Float64Array(n + 1);
  const npsValid = new Int32Array(n + 1);
  const npsPromoters = new Int32Array(n + 1);
  const npsDetractors = new Int32Array(n + 1);
  const lastPositive = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const v = values[k] as number;
    sum[k + 1] = (sum[k] as number) + v;
    const valid = v >= 0 && v <= 10 ? 1 : 0;
    npsValid[k + 1] = (npsValid[k] as number) + valid;
    npsPromoters[k + 1] = (npsPromoters[k] as number) + (valid && v >= 9 ? 1 : 0);
    npsDetractors[k + 1] = (npsDetractors[k] as number) + (valid && v <= 6 ? 1 : 0);
  }
  for (let a = 0; a + 1 < offsets.length; a++) {
    let last = -1;
    for (let k = offsets[a] as number; k < (offsets[a + 1] as number); k++) {
      if ((values[k] as number) > 0) last = k;
      lastPositive[k] = last;
    }
  }
  const prefix = { sum, npsValid, npsPromoters, npsDetractors, lastPositive };
  prefixes.set(series, prefix);
  return prefix;
}

/** Between as-of days further apart than this, the window's ends are found by binary search, not by walking. */
const JUMP_DAYS = 16;

let scratchBuffer = new Int32Array(1024);
/** A reusable Int32Array of at least `size` (contents undefined); aggregation is single-threaded and not reentrant. */
function scratch(size: number): Int32Array {
  if (scratchBuffer.length < size) scratchBuffer = new Int32Array(Math.max(size, scratchBuffer.length * 2));
  return scratchBuffer;
}

/** First index in [start, end) whose day is ≥ day (binary search). */
function lowerBound(days: Int32Array, start: number, end: number, day: number): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Aggregates one account's observations of a metric over a window of `windowDays` days ending on each as-of day
 * (inclusive), for as-of days in ascending order. Writes NaN where the value is missing.
 *
 * Windows only ever move forward, so the window's two ends advance like pointers: O(observations + days) per
 * account for a whole history, with sums, counts, NPS and "change" read from prefix arrays, never re-summed.
 * Nothing after an as-of day is read: the upper end stops at the last observation on or before it.
 *
 * A window with no observation is missing, except where an events import covered one of its days (see
 * MetricSeries.covered): there nothing happened, so "sum" and "count" are 0, and "change" compares with 0 events.
 */
export function aggregateAccount(
  series: MetricSeries,
  account: number,
  aggregation: Aggregation,
  windowDays: number,
  asOfDays: Int32Array,
  out: Float64Array,
  outOffset: number,
): void {
  const { days, values } = series;
  const start = series.offsets[account] as number;
  const end = series.offsets[account + 1] as number;
  const m = asOfDays.length;
  const covered = series.covered ?? NO_RANGES;
  const fills = series.covered !== undefined && ZERO_FILLED.has(aggregation);
  if (start === end) {
    if (!fills) out.fill(Number.NaN, outOffset, outOffset + m);
    else {
      for (let j = 0; j < m; j++) {
        const d = asOfDays[j] as number;
        out[outOffset + j] = rangesOverlap(covered, d - windowDays + 1, d) ? 0 : Number.NaN;
      }
    }
    return;
  }
  const p = prefixOf(series);
  const first = asOfDays[0] as number;
  // Window [d − W + 1, d]; the previous window (for "change") is [d − 2W + 1, d − W].
  let hi = lowerBound(days, start, end, first + 1);
  let lo = lowerBound(days, start, hi, first - windowDays + 1);
  let lo2 = aggregation === "change" ? lowerBound(days, start, lo, first - 2 * windowDays + 1) : start;
  // Monotonic deque of indices for sliding min/max, in a scratch buffer reused across calls (no garbage per account).
  const deque = aggregation === "min" || aggregation === "max" ? scratch(end - start) : undefined;
  let qHead = 0;
  let qTail = 0;
  let pushed = start;
  const better = aggregation === "min" ? (a: number, b: number) => a <= b : (a: number, b: number) => a >= b;

  let previousDay = first;
  for (let j = 0; j < m; j++) {
    const d = asOfDays[j] as number;
    const gap = d - previousDay;
    // Min/max keep their deque across an overlapping jump: walking the gap beats re-filling the whole window.
    if (gap > JUMP_DAYS && (deque === undefined || gap >= windowDays)) {
      // A jump (latest score and its delta day): binary search instead of walking every observation between.
      hi = lowerBound(days, hi, end, d + 1);
      lo = lowerBound(days, lo, hi, d - windowDays + 1);
      if (aggregation === "change") lo2 = lowerBound(days, lo2, lo, d - 2 * windowDays + 1);
    } else {
      // Day by day (history): the ends move a step or two, amortized O(1).
      while (hi < end && (days[hi] as number) <= d) hi++;
      while (lo < hi && (days[lo] as number) < d - windowDays + 1) lo++;
    }
    previousDay = d;
    const count = hi - lo;
    let result = Number.NaN;
    switch (aggregation) {
      case "last":
        if (count > 0) result = values[hi - 1] as number;
        break;
      case "sum":
        if (count > 0) result = (p.sum[hi] as number) - (p.sum[lo] as number);
        else if (fills && rangesOverlap(covered, d - windowDays + 1, d)) result = 0;
        break;
      case "mean":
        if (count > 0) result = ((p.sum[hi] as number) - (p.sum[lo] as number)) / count;
        break;
      case "count":
        if (count > 0) result = count;
        else if (fills && rangesOverlap(covered, d - windowDays + 1, d)) result = 0;
        break;
      case "min":
      case "max": {
        const q = deque as Int32Array;
        if (pushed < lo) {
          pushed = lo;
          qHead = qTail = 0;
        }
        for (; pushed < hi; pushed++) {
          const v = values[pushed] as number;
          while (qTail > qHead && better(v, values[q[qTail - 1] as number] as number)) qTail--;
          q[qTail++] = pushed;
        }
        while (qTail > qHead && (q[qHead] as number) < lo) qHead++;
        if (count > 0) result = values[q[qHead] as number] as number;
        break;
      }
      case "daysSince": {
        const k = hi - 1 >= start ? (p.lastPositive[hi - 1] as number) : -1;
        if (k >= 0) result = d - (days[k] as number);
        break;
      }
      case "change": {
        while (lo2 < lo && (days[lo2] as number) < d - 2 * windowDays + 1) lo2++;
        const previous = (p.sum[lo] as number) - (p.sum[lo2] as number);
        // No event in a covered window is a current of 0 (−100 %); a previous of 0 has no change to measure.
        const hasCurrent = count > 0 || rangesOverlap(covered, d - windowDays + 1, d);
        if (hasCurrent && lo - lo2 > 0 && previous !== 0) {
          const current = (p.sum[hi] as number) - (p.sum[lo] as number);
          result = ((current - previous) / Math.abs(previous)) * 100;
        }
        break;
      }
      case "nps": {
        const valid = (p.npsValid[hi] as number) - (p.npsValid[lo] as number);
        if (valid > 0) {
          const promoters = (p.npsPromoters[hi] as number) - (p.npsPromoters[lo] as number);
          const detractors = (p.npsDetractors[hi] as number) - (p.npsDetractors[lo] as number);
          result = ((promoters - detractors) / valid) * 100;
        }
        break;
      }
    }
    out[outOffset + j] = result;
  }
}

/** Day of the latest observation of a metric on or before `asOf` for one account, or undefined. */
export function latestObservationDay(series: MetricSeries, account: number, asOf: number): number | undefined {
  const start = series.offsets[account] as number;
  const end = series.offsets[account + 1] as number;
  const hi = lowerBound(series.days, start, end, asOf + 1);
  return hi > start ? (series.days[hi - 1] as number) : undefined;
}
