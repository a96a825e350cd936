import { BACKUP_TABLES } from "../schema/backup.ts";
import {
  type BackupContent,
  type BackupProgress,
  BLOCKS_PER_FRAME,
  ROW_TABLES,
  ROWS_PER_FRAME,
  type StopCheck,
  storeTableOf,
} from "./backup.ts";
import { packAccountYear } from "./block-rows.ts";
import type { AccountYearRow, VitalsDb, YearBlockRow } from "./db.ts";
import { inputsChanged } from "./views.ts";

// Restoring a backup in place of the store ("replace"), keeping what it replaced until the user lets it go; a
// backup's file format is backup.ts, a merge into the store backup-merge.ts.

/** The meta key under which a "replace" restore keeps a backup of what it replaced, until the user lets it go. */
export const REPLACED_KEY = "backup.replaced";

/** The store's tables that a restore writes, and the derived ones it clears. */
export function restoreTables(db: VitalsDb) {
  return [...BACKUP_TABLES.map((t) => db.table(storeTableOf(t))), db.latestResults, db.history];
}

/** Whether the store holds anything a user made (a fresh store, or one that only has its seeded plays, does not). */
export async function storeIsEmpty(db: VitalsDb): Promise<boolean> {
  for (const t of BACKUP_TABLES) {
    if (t === "meta" || t === "playTemplates") continue;
    if ((await db.table(storeTableOf(t)).count()) > 0) return false;
  }
  return true;
}

/**
 * Replaces the store with a backup's content in one transaction (all or nothing): every backed-up table is cleared
 * and written with the backup's rows exactly as they were stored, the derived tables (results, history) cleared.
 * `keep`, when given, is the backup of what is replaced, kept in meta until the user lets it go. Progress in rows.
 */
export async function replaceWithBackup(
  db: VitalsDb,
  content: BackupContent,
  options: {
    keep?: { at: string; fileName: string; bytes: Uint8Array };
    onProgress?: BackupProgress;
    stop?: StopCheck;
  } = {},
): Promise<void> {
  const stop = options.stop ?? (() => undefined);
  const total = content.blocks.length + ROW_TABLES.reduce((n, t) => n + content.rows[t].length, 0);
  let done = 0;
  await db.transaction("rw", restoreTables(db), async () => {
    const kept = options.keep ? null : await db.meta.get(REPLACED_KEY);
    for (const t of [...BACKUP_TABLES.map(storeTableOf), "latestResults", "history"]) await db.table(t).clear();
    for (const t of ROW_TABLES) {
      const list = content.rows[t];
      for (let i = 0; i < list.length; i += ROWS_PER_FRAME) {
        stop();
        await db.table(t).bulkAdd(list.slice(i, i + ROWS_PER_FRAME));
        done += Math.min(ROWS_PER_FRAME, list.length - i);
        options.onProgress?.("writing", done, total);
      }
    }
    // Every metric of an account × year in one row (block-table.ts); a backup lists blocks in key order.
    const byRow = new Map<string, YearBlockRow[]>();
    for (const b of content.blocks) {
      const id = `${b.accountId}\u0000${b.year}`;
      const group = byRow.get(id);
      if (group) group.push(b);
      else byRow.set(id, [b]);
    }
    const groups = [...byRow.values()];
    for (let i = 0; i < groups.length; ) {
      stop();
      const page: AccountYearRow[] = [];
      let blocks = 0;
      for (; i < groups.length && blocks < BLOCKS_PER_FRAME; i++) {
        const group = groups[i] as YearBlockRow[];
        const row = packAccountYear(group);
        if (row) page.push(row);
        blocks += group.length;
      }
      await db.accountYears.bulkAdd(page);
      done += blocks;
      options.onProgress?.("writing", done, total);
    }
    if (options.keep) await db.meta.put({ key: REPLACED_KEY, value: { ...options.keep } });
    else if (kept) await db.meta.put(kept);
    await inputsChanged(db);
  });
}

/** What a kept backup of replaced data is: when it was made, and the file that replaced it. */
export interface ReplacedBackup {
  at: string;
  fileName: string;
  bytes: Uint8Array;
}

/** The backup a "replace" restore kept of what it replaced, if the user has not let it go. */
export async function replacedBackup(db: VitalsDb): Promise<ReplacedBackup | null> {
  const row = await db.meta.get(REPLACED_KEY);
  const v = row?.value as Partial<ReplacedBackup> | undefined;
  return v && typeof v.at === "string" && typeof v.fileName === "string" && v.bytes instanceof Uint8Array
    ? (v as ReplacedBackup)
    : null;
}

/** Lets the kept backup of replaced data go (the user checked the restored data). */
export async function discardReplacedBackup(db: VitalsDb): Promise<void> {
  await db.meta.delete(REPLACED_KEY);
}
