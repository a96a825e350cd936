/**
 * Rewriting derived rows (scores, history) in transactions small enough for the browser to keep in memory.
 *
 * Chromium's IndexedDB keeps a transaction's changes in memory up to 1 MiB. Past that, or as soon as the
 * transaction deletes anything (a `clear()`, a `delete()`), it writes them to disk beside an undo log: a copy of
 * every value they replace or delete, kept until the commit and then deleted. LevelDB keeps those deleted copies
 * until it compacts them, and the browser reads through all of them each time it opens the database. Measured in
 * this Chromium: after one transaction that cleared and rewrote 30,000 rows of 1.5 KB, every later open of the
 * database took 180–270 ms; after the same rows rewritten by `put` in transactions of 200 rows, 5–12 ms. On a cold
 * start nothing can be read before that open ends (issue 14).
 *
 * So the scores a rescore makes again are written here by `put` over the rows they replace, a few hundred
 * kilobytes per transaction, and only rows that no longer exist are deleted. Imports keep their one transaction:
 * an import is all or nothing (its cancel and its quota error leave the store as it was).
 */

/** The most bytes of values a transaction of derived rows writes: well under Chromium's 1 MiB. */
export const WRITE_BUDGET = 512 * 1024;

/**
 * `items` in order, in runs whose sizes (`sizeOf`) add up to at most `budget`; an item larger than the budget is a
 * run of its own.
 */
export function runsBySize<T>(items: Iterable<T>, sizeOf: (item: T) => number, budget = WRITE_BUDGET): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (run.length > 0 && bytes + size > budget) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(item);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** A few hundred keys per deleting transaction (a delete keeps a copy of what it deletes, above). */
const DELETE_RUN = 200;

/** Deletes `keys` from `table`, a transaction per DELETE_RUN of them. */
export async function deleteInRuns<K>(table: { bulkDelete(keys: K[]): Promise<unknown> }, keys: readonly K[]) {
  for (let i = 0; i < keys.length; i += DELETE_RUN) await table.bulkDelete(keys.slice(i, i + DELETE_RUN));
}

/** About how many bytes a string takes in a stored value (UTF-16 at worst). */
export const textBytes = (text: string): number => 2 * text.length;
