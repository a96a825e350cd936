import type { Table } from "dexie";
import {
  type AccountYearRow,
  type BlockPatch,
  type MonthBlockRow,
  packAccountYear,
  type UndoRow,
  type YearBlockRow,
} from "./block-rows.ts";
import { yearStart } from "./blocks.ts";

/**
 * Schema version 5's and 7's data fixes: month blocks (versions 1–4) become year blocks, and the import undo records that
 * name month blocks become year block patches. Pure functions of the tables they are given, so the migration tests
 * run them on a store of exactly version 4.
 */

/** Month blocks read (and year blocks written) per request: memory stays flat on a store of any size. */
export const MIGRATION_PAGE = 5000;

const MS_PER_DAY = 86_400_000;

/** The year of a block month (year × 12 + month − 1). */
const yearOfMonth = (month: number) => Math.floor(month / 12);

/** The day of the year (0 = 1 January) of the first day of a block month. */
const monthStartInYear = (month: number) =>
  Date.UTC(yearOfMonth(month), month % 12, 1) / MS_PER_DAY - yearStart(yearOfMonth(month));

/** The number of days in a block month. */
const monthLength = (month: number) => new Date(Date.UTC(yearOfMonth(month), (month % 12) + 1, 0)).getUTCDate();

/** A month block's days as days of its year. */
function daysOfYear(block: MonthBlockRow): Uint16Array {
  const offset = monthStartInYear(block.month) - 1;
  const days = new Uint16Array(block.days.length);
  for (let k = 0; k < days.length; k++) days[k] = (block.days[k] as number) + offset;
  return days;
}

/**
 * Moves every month block into its year's block, a page at a time in key order ([accountId+metric+month]), so a
 * year's months arrive one after another and are concatenated (already in day order). A year cut by a page's end
 * is carried over to the next page and written once whole.
 */
export async function monthBlocksToYears(
  months: Table<MonthBlockRow, [string, string, number]>,
  years: Table<YearBlockRow, [string, string, number]>,
): Promise<void> {
  const yearRow = (group: MonthBlockRow[]): YearBlockRow => {
    const first = group[0] as MonthBlockRow;
    const total = group.reduce((n, b) => n + b.days.length, 0);
    const days = new Uint16Array(total);
    const values = new Float64Array(total);
    let at = 0;
    for (const block of group) {
      days.set(daysOfYear(block), at);
      values.set(block.values, at);
      at += block.days.length;
    }
    return { accountId: first.accountId, metric: first.metric, year: yearOfMonth(first.month), days, values };
  };
  await eachGroupPaged(
    months,
    (b) => [b.accountId, b.metric, b.month],
    (x, y) => x.accountId === y.accountId && x.metric === y.metric && yearOfMonth(x.month) === yearOfMonth(y.month),
    async (groups) => {
      if (groups.length > 0) await years.bulkPut(groups.map(yearRow));
    },
  );
}

/**
 * Pages through `table` in key order (MIGRATION_PAGE rows a request) and hands `write` each page's whole groups of
 * consecutive rows (`same`: of one group). A group cut by a page's end is carried over to the next page, so each
 * group is written once, whole.
 */
async function eachGroupPaged<R, K extends [string, ...(string | number)[]]>(
  table: Table<R, K>,
  keyOf: (row: R) => K,
  same: (x: R, y: R) => boolean,
  write: (groups: R[][]) => Promise<void>,
): Promise<void> {
  let carried: R[] = [];
  let after: K | undefined;
  for (;;) {
    const page = await (after === undefined ? table.orderBy(":id") : table.where(":id").above(after))
      .limit(MIGRATION_PAGE)
      .toArray();
    const groups: R[][] = [];
    let group = carried;
    for (const row of page) {
      if (group.length > 0 && !same(group[0] as R, row)) {
        groups.push(group);
        group = [];
      }
      group.push(row);
    }
    const last = page.at(-1);
    if (!last) {
      if (group.length > 0) groups.push(group);
      await write(groups);
      return;
    }
    carried = group;
    after = keyOf(last);
    await write(groups);
  }
}

/**
 * Rewrites the undo records of month blocks ("blocks" chunks) as year block patches ("yearBlocks"): a month block's
 * before-image restored the whole month, so its patch touches every day of that month and puts back the month's
 * observations (none when the import had created the month). Chunks of other tables are left as they are.
 */
export async function undoBlocksToYears(importUndo: Table<UndoRow, [string, number]>): Promise<void> {
  await importUndo
    .filter((chunk) => (chunk.table as string) === "blocks")
    .modify((chunk) => {
      const row = chunk as unknown as { table: string; entries: UndoRow["entries"] };
      row.table = "yearBlocks";
      row.entries = row.entries.map((entry) => {
        const [accountId, metric, month] = entry.key as readonly [string, string, number];
        const first = monthStartInYear(month);
        const touched = new Uint16Array(monthLength(month));
        for (let k = 0; k < touched.length; k++) touched[k] = first + k;
        const before = entry.before as MonthBlockRow | null;
        const patch: BlockPatch = before
          ? { touched, days: daysOfYear(before), values: Float64Array.from(before.values) }
          : { touched, days: new Uint16Array(0), values: new Float64Array(0) };
        return { key: [accountId, metric, yearOfMonth(month)] as const, before: patch };
      });
    });
}

/**
 * Schema version 7's data fix: every year block (versions 5 and 6: a row each) into its account × year's row, a page
 * at a time in key order ([accountId+metric+year]). An account's blocks are together in that order, so an account cut
 * by a page's end is carried over to the next page and its rows written once, whole.
 */
export async function yearBlocksToAccountYears(
  blocks: Table<YearBlockRow, [string, string, number]>,
  accountYears: Table<AccountYearRow, [string, number]>,
): Promise<void> {
  await eachGroupPaged(
    blocks,
    (b) => [b.accountId, b.metric, b.year],
    (x, y) => x.accountId === y.accountId,
    async (accounts) => {
      const rows: AccountYearRow[] = [];
      for (const account of accounts) {
        const byYear = new Map<number, YearBlockRow[]>();
        for (const b of account) byYear.set(b.year, [...(byYear.get(b.year) ?? []), b]);
        for (const group of byYear.values()) {
          const row = packAccountYear(group);
          if (row) rows.push(row);
        }
      }
      if (rows.length > 0) await accountYears.bulkPut(rows);
    },
  );
}
