// The stored rows of observation blocks and of an import's undo records (tables yearBlocks and importUndo, and the
// month blocks of versions 1–4 for version 5's migration). db.ts declares the tables and re-exports these types.

/**
 * One account × metric × year of observations: a block, not a row per observation (a CS org's year of daily usage is
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
