import { Account } from "../schema/account.ts";
import { parseIsoDay } from "../schema/day.ts";
import { type Rating, withRatings } from "../scoring/as-of.ts";
import {
  type CoveredDays,
  coverSeries,
  type MetricColumns,
  type MetricSeries,
  type PortfolioData,
  seriesFromColumns,
} from "../scoring/series.ts";
import { eachBlock } from "./block-table.ts";
import { yearStart } from "./blocks.ts";
import type { VitalsDb } from "./db.ts";

/**
 * Everything the scoring engine needs from the store: accounts, each metric's imported observations as columns, and
 * the CSM's ratings (kept apart: they never move the as-of day, and may count on it; see `withRatings`).
 */
export interface StoredPortfolio {
  accounts: Account[];
  metrics: MetricColumns[];
  /** The ratings in the order they were made. */
  ratings: Rating[];
  /** Days events imports covered, per metric (count 0 inside them for accounts with no event). */
  coverage: CoveredDays[];
}

/** Growable columns for one metric while blocks are read. */
class Builder {
  account = new Int32Array(4096);
  day = new Int32Array(4096);
  value = new Float64Array(4096);
  length = 0;
  push(a: number, d: number, v: number): void {
    if (this.length === this.account.length) {
      const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T) => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      this.account = grow(this.account, (n) => new Int32Array(n));
      this.day = grow(this.day, (n) => new Int32Array(n));
      this.value = grow(this.value, (n) => new Float64Array(n));
    }
    this.account[this.length] = a;
    this.day[this.length] = d;
    this.value[this.length++] = v;
  }
}

/**
 * Reads the whole portfolio: accounts (each restored through the Account schema, so old shapes are upgraded),
 * every block as per-metric columns ready to transfer to the scoring worker, and the manual inputs as ratings.
 */
export async function loadPortfolio(db: VitalsDb): Promise<StoredPortfolio> {
  return db.transaction("r", [db.accounts, db.accountYears, db.manualInputs, db.coverage], async () => {
    const accounts = (await db.accounts.orderBy("id").toArray()).map((row) => Account.parse(row));
    const index = new Map(accounts.map((a, i) => [a.id, i]));
    const builders = new Map<string, Builder>();
    const ratings: Rating[] = [];
    // Primary-key order: the order the ratings were made, so the latest of a day is the last one.
    await db.manualInputs.each((input) => {
      const a = index.get(input.accountId);
      const day = parseIsoDay(input.day);
      if (a === undefined || day === undefined) return;
      ratings.push({ account: a, metric: input.metric, day, value: input.rating });
    });
    await eachBlock(db, (block) => {
      const a = index.get(block.accountId);
      if (a === undefined) return; // data of a deleted account: not scored
      let b = builders.get(block.metric);
      if (!b) {
        b = new Builder();
        builders.set(block.metric, b);
      }
      const first = yearStart(block.year);
      for (let k = 0; k < block.days.length; k++) {
        b.push(a, first + (block.days[k] as number), block.values[k] as number);
      }
    });
    const metrics = [...builders.entries()]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([metric, b]) => ({
        metric,
        account: b.account.slice(0, b.length),
        day: b.day.slice(0, b.length),
        value: b.value.slice(0, b.length),
      }));
    const coverage: CoveredDays[] = [];
    for (const row of await db.coverage.toArray()) {
      const from = parseIsoDay(row.from);
      const to = parseIsoDay(row.to);
      if (from !== undefined && to !== undefined) coverage.push({ metric: row.metric, from, to });
    }
    return { accounts, metrics, ratings, coverage };
  });
}

/** The stored portfolio's imported observations as the engine reads them: accounts by index, a series per metric. */
export function importedDataOf(stored: StoredPortfolio): PortfolioData {
  const { accounts } = stored;
  const series = new Map<string, MetricSeries>(
    stored.metrics.map((m) => [m.metric, seriesFromColumns(accounts.length, m)]),
  );
  coverSeries(series, accounts.length, stored.coverage);
  return { accounts, accountIndex: new Map(accounts.map((a, i) => [a.id, i])), series };
}

/**
 * The stored portfolio as the engine reads it, ratings on their own days (validation, which scores each account as
 * of its own day); the app's scoring places ratings with `withRatings` and its as-of day instead.
 */
export function portfolioDataOf(stored: StoredPortfolio): PortfolioData {
  return withRatings(importedDataOf(stored), stored.ratings, Number.MAX_SAFE_INTEGER, null);
}
