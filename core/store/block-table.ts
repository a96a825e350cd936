import { type AccountYearRow, packAccountYear, unpackAccountYear, type YearBlockRow } from "./block-rows.ts";
import type { VitalsDb } from "./db.ts";
import type { ReadDb } from "./read-db.ts";

/**
 * The year blocks as they are stored (schema version 7 on): every metric of one account × year in one row of the
 * `accountYears` table (see AccountYearRow, packed and unpacked in block-rows.ts). Code works with year blocks
 * (account × metric × year); this file alone reads and writes them as rows. A tenth of the rows of a block a row, with ten metrics: IndexedDB costs per
 * row far more than per byte (issue 14).
 */

/** A block's key: account, metric, year. */
export type BlockKey = readonly [string, string, number];

const rowId = (accountId: string, year: number) => `${accountId}\u0000${year}`;
const blockId = (accountId: string, metric: string, year: number) => `${accountId}\u0000${metric}\u0000${year}`;

/** The stored rows of account-years, by `rowId`. */
export type KnownRows = Map<string, AccountYearRow | undefined>;

/**
 * Reads the stored rows of the account-years of `keys` into `known` (the ones not in it yet): one bulkGet. Dexie
 * promises all the way (no native async function): awaiting a native promise that did no IndexedDB work of its own
 * can lose a transaction's zone, and Dexie then reports "Transaction committed too early".
 */
function readRows(db: VitalsDb, keys: readonly BlockKey[], known: KnownRows): Promise<KnownRows> {
  const wanted = new Map<string, [string, number]>();
  for (const [accountId, , year] of keys) {
    const id = rowId(accountId, year);
    if (!known.has(id)) wanted.set(id, [accountId, year]);
  }
  const ids = [...wanted.values()];
  return db.accountYears.bulkGet(ids).then((rows) => {
    ids.forEach(([accountId, year], k) => {
      known.set(rowId(accountId, year), rows[k]);
    });
    return known;
  });
}

/** The stored blocks of `keys` (undefined where none), and the rows they came from (for `writeBlocks`). */
export function readBlocks(
  db: VitalsDb,
  keys: readonly BlockKey[],
  known: KnownRows = new Map(),
): Promise<{ blocks: (YearBlockRow | undefined)[]; known: KnownRows }> {
  return readRows(db, keys, known).then(() => {
    const byKey = new Map<string, YearBlockRow>();
    for (const row of known.values()) {
      if (row) for (const b of unpackAccountYear(row)) byKey.set(blockId(b.accountId, b.metric, b.year), b);
    }
    return { blocks: keys.map(([a, m, y]) => byKey.get(blockId(a, m, y))), known };
  });
}

/** What `readBlocks` gives where the table is known to hold none of `keys`' rows: no blocks, the rows known absent. */
export function noneStored(keys: readonly BlockKey[]): { blocks: undefined[]; known: KnownRows } {
  const known: KnownRows = new Map();
  for (const [accountId, , year] of keys) known.set(rowId(accountId, year), undefined);
  return { blocks: keys.map(() => undefined), known };
}

/**
 * Writes blocks (`put`, replacing the stored block of the same key) and removes blocks (`remove`): each account-year
 * row they fall in is read (unless `known` has it), changed and written whole, or deleted when no block is left.
 * Call it only with something to write (see readRows on Dexie's transaction zones).
 */
export function writeBlocks(
  db: VitalsDb,
  put: readonly YearBlockRow[],
  remove: readonly BlockKey[] = [],
  known: KnownRows = new Map(),
): Promise<void> {
  const keys: BlockKey[] = [...put.map((b) => [b.accountId, b.metric, b.year] as const), ...remove];
  return readRows(db, keys, known).then(() => {
    const rows = new Map<string, Map<string, YearBlockRow | null>>();
    const changesOf = (accountId: string, year: number) => {
      const id = rowId(accountId, year);
      let changes = rows.get(id);
      if (!changes) {
        changes = new Map();
        rows.set(id, changes);
      }
      return changes;
    };
    for (const b of put) changesOf(b.accountId, b.year).set(b.metric, b);
    for (const [accountId, metric, year] of remove) changesOf(accountId, year).set(metric, null);
    const written: AccountYearRow[] = [];
    const deleted: [string, number][] = [];
    for (const [id, changes] of rows) {
      const stored = known.get(id);
      const blocks = new Map<string, YearBlockRow>();
      if (stored) for (const b of unpackAccountYear(stored)) blocks.set(b.metric, b);
      for (const [metric, b] of changes) {
        if (b) blocks.set(metric, b);
        else blocks.delete(metric);
      }
      const row = packAccountYear([...blocks.values()]);
      known.set(id, row);
      if (row) written.push(row);
      else if (stored) deleted.push([stored.accountId, stored.year]);
    }
    return db.accountYears.bulkPut(written).then(() => db.accountYears.bulkDelete(deleted));
  });
}

/** One account's blocks, every year (one key range read), in metric then year order. */
export function loadAccountBlocks(db: ReadDb, accountId: string): Promise<YearBlockRow[]> {
  return db.accountYears
    .where(":id")
    .between([accountId, Number.NEGATIVE_INFINITY], [accountId, Number.POSITIVE_INFINITY], true, true)
    .toArray()
    .then((rows) => sortBlocks(rows.flatMap(unpackAccountYear)));
}

/** Calls `fn` with every stored block, account by account (in no further order). */
export function eachBlock(db: VitalsDb, fn: (block: YearBlockRow) => void): Promise<void> {
  return db.accountYears.each((row) => {
    for (const b of unpackAccountYear(row)) fn(b);
  });
}

/** Every stored block, in key order (account, metric, year). For small stores and tests: it holds them all. */
export async function allBlocks(db: VitalsDb): Promise<YearBlockRow[]> {
  return sortBlocks((await db.accountYears.toArray()).flatMap(unpackAccountYear));
}

/** Blocks in key order: account, metric, year. */
export function sortBlocks(blocks: YearBlockRow[]): YearBlockRow[] {
  return blocks.sort(
    (x, y) =>
      (x.accountId < y.accountId ? -1 : x.accountId > y.accountId ? 1 : 0) ||
      (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : 0) ||
      x.year - y.year,
  );
}
