import { Account } from "../schema/account.ts";
import { parseIsoDay } from "../schema/day.ts";
import type { Rating } from "../scoring/as-of.ts";
import type { CoveredDays } from "../scoring/series.ts";
import { loadAccountBlocks } from "./block-table.ts";
import { yearStart } from "./blocks.ts";
import type { YearBlockRow } from "./db.ts";
import type { StoredPortfolio } from "./portfolio.ts";
import type { ReadDb } from "./read-db.ts";

/**
 * Account-scoped reads (issue 14): one account's rows, never the portfolio's. The account page and a CSM's rating
 * read and rescore one account from these; the engine scores the result exactly as it scores that account inside
 * the whole portfolio (the as-of day, which is portfolio-wide, comes from the stored results' meta).
 */

/**
 * One account as a portfolio of one (its index is 0): the account (through the Account schema), its blocks as
 * per-metric columns, its ratings in the order they were made, and every metric's covered days (they apply to every
 * account). Undefined when there is no such account.
 */
export async function loadAccount(db: ReadDb, accountId: string): Promise<StoredPortfolio | undefined> {
  return db.reading([db.accounts, db.accountYears, db.manualInputs, db.coverage], async () => {
    const row = await db.accounts.get(accountId);
    if (!row) return undefined;
    const account = Account.parse(row);
    const [blocks, inputs, coverageRows] = await Promise.all([
      loadAccountBlocks(db, accountId),
      // Index order is primary-key order within the account: the order the ratings were made.
      db.manualInputs.where("accountId").equals(accountId).toArray(),
      db.coverage.toArray(),
    ]);
    const ratings: Rating[] = [];
    for (const input of inputs) {
      const day = parseIsoDay(input.day);
      if (day !== undefined) ratings.push({ account: 0, metric: input.metric, day, value: input.rating });
    }
    const byMetric = new Map<string, YearBlockRow[]>();
    for (const block of blocks) byMetric.set(block.metric, [...(byMetric.get(block.metric) ?? []), block]);
    const metrics = [...byMetric.entries()]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([metric, list]) => {
        const total = list.reduce((n, b) => n + b.days.length, 0);
        const day = new Int32Array(total);
        const value = new Float64Array(total);
        let at = 0;
        for (const block of list) {
          const first = yearStart(block.year);
          for (let k = 0; k < block.days.length; k++, at++) {
            day[at] = first + (block.days[k] as number);
            value[at] = block.values[k] as number;
          }
        }
        return { metric, account: new Int32Array(total), day, value };
      });
    const coverage: CoveredDays[] = [];
    for (const c of coverageRows) {
      const from = parseIsoDay(c.from);
      const to = parseIsoDay(c.to);
      if (from !== undefined && to !== undefined) coverage.push({ metric: c.metric, from, to });
    }
    return { accounts: [account], metrics, ratings, coverage };
  });
}
