import type { Account } from "../schema/account.ts";
import { parseIsoDay } from "../schema/day.ts";
import type { Observation } from "../schema/observation.ts";

/**
 * One metric's observations for a whole portfolio, in compressed-sparse-row form: account i's observations are
 * indices offsets[i] … offsets[i+1]−1, sorted by day then value (so ties on a day resolve the same way whatever
 * order the input came in).
 */
export interface MetricSeries {
  readonly offsets: Int32Array;
  readonly days: Int32Array;
  readonly values: Float64Array;
  /**
   * Days an events import covered for every account, as sorted disjoint inclusive ranges [from₀, to₀, from₁, …]:
   * a window sharing a day with them and holding no observation has sum and count 0, not missing.
   */
  readonly covered?: Int32Array;
}

/** Accounts plus their time series, laid out for fast windowed reads. */
export interface PortfolioData {
  readonly accounts: readonly Account[];
  readonly accountIndex: ReadonlyMap<string, number>;
  readonly series: ReadonlyMap<string, MetricSeries>;
}

/** One metric's observations as parallel columns (what the worker receives, transferred not cloned). */
export interface MetricColumns {
  metric: string;
  /** Index of each observation's account in the accounts array. */
  account: Int32Array;
  /** Day of each observation (days since 1970-01-01). */
  day: Int32Array;
  value: Float64Array;
}

/**
 * Merges day ranges (inclusive) into sorted, disjoint ranges, as pairs in one array: [from₀, to₀, from₁, to₁, …].
 * Adjacent ranges (one ends the day before the next starts) become one.
 */
export function mergeRanges(ranges: readonly { from: number; to: number }[]): Int32Array {
  const sorted = [...ranges].filter((r) => r.from <= r.to).sort((a, b) => a.from - b.from || a.to - b.to);
  const out: number[] = [];
  for (const r of sorted) {
    const last = out.length - 1;
    if (last > 0 && r.from <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, r.to);
    else out.push(r.from, r.to);
  }
  return Int32Array.from(out);
}

/** Whether merged ranges (see mergeRanges) contain every day of [from, to]. */
export function rangesContain(ranges: Int32Array, from: number, to: number): boolean {
  for (let k = 0; k + 1 < ranges.length; k += 2) {
    if ((ranges[k] as number) <= from && to <= (ranges[k + 1] as number)) return true;
  }
  return false;
}

/** Whether merged ranges (see mergeRanges) share at least one day with [from, to]. */
export function rangesOverlap(ranges: Int32Array, from: number, to: number): boolean {
  for (let k = 0; k + 1 < ranges.length; k += 2) {
    if ((ranges[k] as number) <= to && from <= (ranges[k + 1] as number)) return true;
  }
  return false;
}

/** A metric's covered days, as the store keeps them (days since 1970-01-01, inclusive). */
export interface CoveredDays {
  metric: string;
  from: number;
  to: number;
}

/**
 * Adds covered days to a portfolio's series (see MetricSeries.covered), in place: a covered metric without a single
 * observation gets an empty series, so its sums and counts read 0 instead of missing.
 */
export function coverSeries(
  series: Map<string, MetricSeries>,
  accountCount: number,
  coverage: readonly CoveredDays[],
): void {
  const byMetric = new Map<string, CoveredDays[]>();
  for (const c of coverage) byMetric.set(c.metric, [...(byMetric.get(c.metric) ?? []), c]);
  for (const [metric, ranges] of byMetric) {
    const base = series.get(metric) ?? {
      offsets: new Int32Array(accountCount + 1),
      days: new Int32Array(0),
      values: new Float64Array(0),
    };
    series.set(metric, { offsets: base.offsets, days: base.days, values: base.values, covered: mergeRanges(ranges) });
  }
}

/** Builds a metric's series from columns; rows are grouped by account with a counting sort, then sorted in place. */
export function seriesFromColumns(accountCount: number, columns: MetricColumns): MetricSeries {
  const { account, day, value } = columns;
  const total = account.length;
  if (day.length !== total || value.length !== total) {
    throw new Error(`metric "${columns.metric}": account, day and value columns differ in length`);
  }
  const offsets = new Int32Array(accountCount + 1);
  for (let k = 0; k < total; k++) {
    const a = account[k] as number;
    if (a < 0 || a >= accountCount) {
      throw new Error(
        `metric "${columns.metric}": row ${k} refers to account index ${a}, outside 0…${accountCount - 1}`,
      );
    }
    offsets[a + 1] = (offsets[a + 1] as number) + 1;
  }
  for (let i = 0; i < accountCount; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const cursor = offsets.slice(0, accountCount);
  const days = new Int32Array(total);
  const values = new Float64Array(total);
  for (let k = 0; k < total; k++) {
    const a = account[k] as number;
    const at = cursor[a] as number;
    cursor[a] = at + 1;
    days[at] = day[k] as number;
    values[at] = value[k] as number;
  }
  for (let i = 0; i < accountCount; i++) sortSlice(days, values, offsets[i] as number, offsets[i + 1] as number);
  return { offsets, days, values };
}

/** Sorts one account's slice by (day, value); a no-op when it is already in order, as imports usually are. */
function sortSlice(days: Int32Array, values: Float64Array, start: number, end: number): void {
  let sorted = true;
  for (let k = start + 1; k < end; k++) {
    const d0 = days[k - 1] as number;
    const d1 = days[k] as number;
    if (d1 < d0 || (d1 === d0 && (values[k] as number) < (values[k - 1] as number))) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  const order = Array.from({ length: end - start }, (_, i) => start + i);
  order.sort((x, y) => (days[x] as number) - (days[y] as number) || (values[x] as number) - (values[y] as number));
  const d = order.map((k) => days[k] as number);
  const v = order.map((k) => values[k] as number);
  days.set(d, start);
  values.set(v, start);
}

/**
 * Builds portfolio data from accounts and observation objects (tests, the CLI, small imports).
 * Observations for unknown accounts are an error naming the first one, never silently dropped.
 */
export function buildPortfolio(accounts: readonly Account[], observations: readonly Observation[]): PortfolioData {
  const accountIndex = new Map<string, number>();
  accounts.forEach((a, i) => {
    if (accountIndex.has(a.id)) throw new Error(`account id "${a.id}" appears twice`);
    accountIndex.set(a.id, i);
  });
  const byMetric = new Map<string, { account: number[]; day: number[]; value: number[] }>();
  for (const o of observations) {
    const a = accountIndex.get(o.accountId);
    if (a === undefined)
      throw new Error(`observation of "${o.metric}" on ${o.day} is for unknown account "${o.accountId}"`);
    const day = parseIsoDay(o.day);
    if (day === undefined) throw new Error(`observation of "${o.metric}" for "${o.accountId}": bad day "${o.day}"`);
    let cols = byMetric.get(o.metric);
    if (!cols) {
      cols = { account: [], day: [], value: [] };
      byMetric.set(o.metric, cols);
    }
    cols.account.push(a);
    cols.day.push(day);
    cols.value.push(o.value);
  }
  const series = new Map<string, MetricSeries>();
  for (const [metric, cols] of byMetric) {
    series.set(
      metric,
      seriesFromColumns(accounts.length, {
        metric,
        account: Int32Array.from(cols.account),
        day: Int32Array.from(cols.day),
        value: Float64Array.from(cols.value),
      }),
    );
  }
  return { accounts, accountIndex, series };
}

/** The account at an index; an index outside the portfolio is a programming error, not missing data. */
export function accountAt(portfolio: PortfolioData, index: number): Account {
  const account = portfolio.accounts[index];
  if (!account) throw new Error(`no account at index ${index} (portfolio has ${portfolio.accounts.length})`);
  return account;
}
