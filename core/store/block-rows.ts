// The stored rows of observation blocks and of an import's undo records (tables accountYears and importUndo, the year
// blocks of versions 5–6 for version 7's migration and the month blocks of versions 1–4 for version 5's), and how a
// row of an account × year packs its blocks. db.ts declares the tables and re-exports these types.

/**
 * One account × metric × year of observations (stored, with the account's other metrics of the year, as an
 * AccountYearRow from schema version 7 on; as a row of its own in table `yearBlocks` in versions 5 and 6): a block, not a row per observation (a CS org's year of daily usage is
 * tens of millions of points). IndexedDB costs per row and per request far more than per byte, so a block is a year
 * (about 3 KB for a daily metric) and its columns are typed arrays, stored as they are (structured clone, no JSON).
 */
export interface YearBlockRow {
  readonly accountId: string;
  readonly metric: string;
  /** The UTC calendar year. */
  readonly year: number;
  /** Day of the year (0 = 1 January … 365) of each observation, ascending; a day may repeat (events). */
  readonly days: Uint16Array;
  /** Value of each observation, in the order of `days` (ties on a day sorted by value). */
  readonly values: Float64Array;
}

/**
 * How year blocks are stored from schema version 7 on (table `accountYears`, key [accountId+year]): every metric of
 * one account × year in one row, so a year of ten metrics is one row, not ten (IndexedDB costs per row far more
 * than per byte). Metric k's block is `days`/`values` from `ends[k − 1]` (0 for the first) to `ends[k]`, each sorted
 * as a YearBlockRow's. core/store/block-table.ts packs and unpacks these; the rest of the code sees year blocks.
 */
export interface AccountYearRow {
  readonly accountId: string;
  readonly year: number;
  /** The metrics that have observations this year, ascending. */
  readonly metrics: readonly string[];
  /** The end (exclusive) of each metric's observations in `days` and `values`. */
  readonly ends: Uint32Array;
  readonly days: Uint16Array;
  readonly values: Float64Array;
}

/**
 * The block of schema versions 1–4: one account × metric × month. Version 5 moves these into `yearBlocks` and drops
 * the table; the shape stays here for that migration and its tests.
 */
export interface MonthBlockRow {
  readonly accountId: string;
  readonly metric: string;
  /** Month as year × 12 + (month − 1), so consecutive months are consecutive numbers. */
  readonly month: number;
  /** Day of the month (1–31) of each observation, ascending; a day may repeat (events). */
  readonly days: Uint8Array;
  /** Value of each observation, in the order of `days`. */
  readonly values: Float64Array;
}

/**
 * What undoing an import puts back in one year block it changed (its undo entry's `before`): the days of the year
 * the import wrote (`touched`), and the observations the block had on those days before (`days`, `values`, in block
 * order; empty where the import added days). Undo removes the block's observations on the touched days and puts
 * these back; the block's other days were not changed by the import, and later imports are undone first. A block
 * the import created has `before: null` (undo deletes it).
 */
export interface BlockPatch {
  readonly touched: Uint16Array;
  readonly days: Uint16Array;
  readonly values: Float64Array;
}

/**
 * Before-images of the rows one import changed, in chunks, so Undo restores exactly the state before it. Rows
 * written before version 5 with table "blocks" (month blocks) are rewritten by its upgrade as "yearBlocks" patches.
 */
export interface UndoRow {
  readonly importId: string;
  readonly seq: number;
  readonly table: "accounts" | "yearBlocks" | "outcomes" | "coverage" | "links";
  /**
   * Each changed row's key and its value before the import (null: it did not exist); for a year block, the
   * `BlockPatch` that puts back the days the import wrote.
   */
  readonly entries: readonly {
    readonly key:
      | string
      | readonly [string, string]
      | readonly [string, string, number]
      | readonly [string, string, string];
    readonly before: unknown;
  }[];
}

/** The blocks of a row, metric by metric, as views on its columns (nothing is copied). */
export function unpackAccountYear(row: AccountYearRow): YearBlockRow[] {
  const out: YearBlockRow[] = [];
  let from = 0;
  row.metrics.forEach((metric, k) => {
    const to = row.ends[k] as number;
    out.push({
      accountId: row.accountId,
      metric,
      year: row.year,
      days: row.days.subarray(from, to),
      values: row.values.subarray(from, to),
    });
    from = to;
  });
  return out;
}

/**
 * One row of blocks of the same account and year (any order, one per metric): the metrics sorted, their columns
 * concatenated into arrays of their own (a view would store its whole buffer). Undefined when there is no block.
 */
export function packAccountYear(blocks: readonly YearBlockRow[]): AccountYearRow | undefined {
  const kept = [...blocks].sort((x, y) => (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : 0));
  const first = kept[0];
  if (!first) return undefined;
  const total = kept.reduce((n, b) => n + b.days.length, 0);
  const days = new Uint16Array(total);
  const values = new Float64Array(total);
  const ends = new Uint32Array(kept.length);
  let at = 0;
  kept.forEach((b, k) => {
    days.set(b.days, at);
    values.set(b.values, at);
    at += b.days.length;
    ends[k] = at;
  });
  return { accountId: first.accountId, year: first.year, metrics: kept.map((b) => b.metric), ends, days, values };
}
