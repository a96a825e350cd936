import type { HistoryRow, LatestResultRow, MetaRow, VitalsDb } from "./db.ts";
import type { ReadDb } from "./read-db.ts";
import { deleteInRuns, runsBySize, textBytes } from "./small-writes.ts";

/** A result's or history row's key as one string: its scorecard and account. */
const keyOf = (scorecardId: string, accountId: string) => `${scorecardId}\u0000${accountId}`;

/** About how many bytes a stored history row takes (its scores, its keys and index entries). */
const historyBytes = (row: HistoryRow) =>
  row.scores.byteLength + 2 * textBytes(row.accountId) + textBytes(row.scorecardId);
/** About how many bytes a stored latest result takes. */
const latestBytes = (row: LatestResultRow) =>
  160 + 3 * textBytes(row.accountId) + 2 * textBytes(row.scorecardId) + row.drags.reduce((n, d) => n + textBytes(d), 0);

/**
 * Replaces the stored latest results and score history with a new computation, then writes `views` (from
 * `viewRows`, made from the same scores) and the scored record. Written in small transactions (small-writes.ts:
 * one large one makes every later open of the database slower), each holding every row of the accounts it writes;
 * rows the new computation no longer has (an account or a scorecard gone) are deleted after. The views' heads and
 * the scored record come last, in one transaction (`writeViewRows`), so the new views are shown only once everything
 * they are made from is stored. Until then the stored views' stamp no longer matches the inputs (that is why they are
 * being written), so no reader shows them while their chunks change; a crash midway leaves them stale, and the next
 * start scores again.
 */
export async function replaceResults(
  db: VitalsDb,
  latest: readonly LatestResultRow[],
  history: readonly HistoryRow[],
  meta: ScoredMeta,
  views: readonly MetaRow[] = [],
): Promise<void> {
  const [latestKeys, historyKeys] = await db.transaction("r", db.latestResults, db.history, () =>
    Promise.all([db.latestResults.toCollection().primaryKeys(), db.history.toCollection().primaryKeys()]),
  );
  const byAccount = new Map<string, { latest: LatestResultRow[]; history: HistoryRow[]; bytes: number }>();
  const of = (accountId: string) => {
    let rows = byAccount.get(accountId);
    if (!rows) {
      rows = { latest: [], history: [], bytes: 0 };
      byAccount.set(accountId, rows);
    }
    return rows;
  };
  for (const row of latest) {
    const rows = of(row.accountId);
    rows.latest.push(row);
    rows.bytes += latestBytes(row);
  }
  for (const row of history) {
    const rows = of(row.accountId);
    rows.history.push(row);
    rows.bytes += historyBytes(row);
  }
  for (const run of runsBySize(byAccount.values(), (rows) => rows.bytes)) {
    await db.transaction("rw", db.latestResults, db.history, async () => {
      await db.latestResults.bulkPut(run.flatMap((rows) => rows.latest));
      await db.history.bulkPut(run.flatMap((rows) => rows.history));
    });
  }
  const keptLatest = new Set(latest.map((r) => keyOf(r.scorecardId, r.accountId)));
  const keptHistory = new Set(history.map((r) => keyOf(r.scorecardId, r.accountId)));
  const goneLatest = latestKeys.filter(([card, account]) => !keptLatest.has(keyOf(card, account)));
  const goneHistory = historyKeys.filter(([card, account]) => !keptHistory.has(keyOf(card, account)));
  await deleteInRuns(db.latestResults, goneLatest);
  await deleteInRuns(db.history, goneHistory);
  await writeViewRows(db, views, [{ key: "scored", value: meta }]);
}

/** A chunk row of a chunked view (`views.rows.3`), as opposed to a view's head or a single row. */
const CHUNK_KEY = /\.\d+$/;

/**
 * Writes view rows (from `viewRows`, `badgeRows`) and `last`: the chunks first, one per transaction (a chunk holds
 * at most 500 rows, and Chromium keeps a value over 64 KiB in a file of its own, only a reference in the
 * transaction), then the views' heads and `last` in one transaction, then deletes the chunks past each view's new
 * count (a smaller portfolio's). A reader sees a view only through its head, which says how many chunks it has and
 * what it was made from; see `replaceResults` for why no reader shows a head beside chunks of another computation.
 */
export async function writeViewRows(db: VitalsDb, rows: readonly MetaRow[], last: readonly MetaRow[] = []) {
  const chunks = rows.filter((r) => CHUNK_KEY.test(r.key));
  const heads = rows.filter((r) => !CHUNK_KEY.test(r.key));
  for (const chunk of chunks) await db.meta.put(chunk);
  await db.meta.bulkPut([...heads, ...last]);
  for (const head of heads) {
    const count = (head.value as { chunks?: unknown } | null)?.chunks;
    if (typeof count !== "number") continue;
    const stale = (await db.meta.where("key").startsWith(`${head.key}.`).primaryKeys()).filter((key) => {
      const k = key.slice(head.key.length + 1);
      return /^\d+$/.test(k) && Number(k) >= count;
    });
    await deleteInRuns(db.meta, stale);
  }
}

/** When the stored results were computed, as of which day, and the imported data's last day then. */
export interface ScoredMeta {
  asOf: string;
  scoredAt: string;
  /** ISO day; null when nothing was imported (or the results were stored before it was recorded). */
  dataEnd: string | null;
}

/** When the stored results were computed and as of which day, or undefined when never. */
export async function scoredMeta(db: ReadDb): Promise<ScoredMeta | undefined> {
  const row = await db.meta.get("scored");
  const value = row?.value as { asOf?: unknown; scoredAt?: unknown; dataEnd?: unknown } | undefined;
  return typeof value?.asOf === "string" && typeof value.scoredAt === "string"
    ? { asOf: value.asOf, scoredAt: value.scoredAt, dataEnd: typeof value.dataEnd === "string" ? value.dataEnd : null }
    : undefined;
}
