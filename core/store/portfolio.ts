import { Account } from "../schema/account.ts";
import { parseIsoDay } from "../schema/day.ts";
import { type MetricColumns, type PortfolioData, seriesFromColumns } from "../scoring/series.ts";
import { dayOf } from "./blocks.ts";
import type { VitalsDb } from "./db.ts";

/** Everything the scoring engine needs from the store: accounts and each metric's observations as columns. */
export interface StoredPortfolio {
  accounts: Account[];
  metrics: MetricColumns[];
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
 * Reads the whole portfolio: accounts (each restored through the Account schema, so old shapes are upgraded)
 * and every block and manual input as per-metric columns, ready to transfer to the scoring worker.
 */
export async function loadPortfolio(db: VitalsDb): Promise<StoredPortfolio> {
  return db.transaction("r", db.accounts, db.blocks, db.manualInputs, async () => {
    const accounts = (await db.accounts.orderBy("id").toArray()).map((row) => Account.parse(row));
    const index = new Map(accounts.map((a, i) => [a.id, i]));
    const builders = new Map<string, Builder>();
    const builder = (metric: string) => {
      let b = builders.get(metric);
      if (!b) {
        b = new Builder();
        builders.set(metric, b);
      }
      return b;
    };
    // A CSM's rating is the word on its day: the latest manual input of an account's metric on a day (highest id,
    // so entered last) replaces earlier ones and any imported observation of that metric on that day.
    const manual = new Map<string, Map<number, number>>();
    const key = (a: number, day: number) => a * 100_000 + day;
    await db.manualInputs.each((input) => {
      const a = index.get(input.accountId);
      const day = parseIsoDay(input.day);
      if (a === undefined || day === undefined) return;
      let days = manual.get(input.metric);
      if (!days) {
        days = new Map();
        manual.set(input.metric, days);
      }
      days.set(key(a, day), input.rating);
    });
    await db.blocks.each((block) => {
      const a = index.get(block.accountId);
      if (a === undefined) return; // data of a deleted account: not scored
      const b = builder(block.metric);
      const rated = manual.get(block.metric);
      for (let k = 0; k < block.days.length; k++) {
        const day = dayOf(block.month, block.days[k] as number);
        if (rated?.has(key(a, day))) continue;
        b.push(a, day, block.values[k] as number);
      }
    });
    for (const [metric, days] of manual) {
      const b = builder(metric);
      for (const [k, rating] of days) b.push(Math.floor(k / 100_000), k % 100_000, rating);
    }
    const metrics = [...builders.entries()]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([metric, b]) => ({
        metric,
        account: b.account.slice(0, b.length),
        day: b.day.slice(0, b.length),
        value: b.value.slice(0, b.length),
      }));
    return { accounts, metrics };
  });
}

/** The stored portfolio as the engine reads it: accounts by index, each metric's observations as a series. */
export function portfolioDataOf(stored: StoredPortfolio): PortfolioData {
  const { accounts } = stored;
  return {
    accounts,
    accountIndex: new Map(accounts.map((a, i) => [a.id, i])),
    series: new Map(stored.metrics.map((m) => [m.metric, seriesFromColumns(accounts.length, m)])),
  };
}
