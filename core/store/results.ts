import type { HistoryRow, LatestResultRow, MetaRow, VitalsDb } from "./db.ts";

/** Rows written per request: large enough to be fast, small enough to keep memory flat. */
const BATCH = 2000;

/**
 * Replaces the stored latest results and score history with a new computation, in one transaction: readers see
 * the old set or the new one, never a mix. `views` (from `viewRows`) are the views made from the same scores.
 */
export async function replaceResults(
  db: VitalsDb,
  latest: readonly LatestResultRow[],
  history: readonly HistoryRow[],
  meta: ScoredMeta,
  views: readonly MetaRow[] = [],
): Promise<void> {
  await db.transaction("rw", db.latestResults, db.history, db.meta, async () => {
    await db.latestResults.clear();
    await db.history.clear();
    for (let i = 0; i < latest.length; i += BATCH) await db.latestResults.bulkPut(latest.slice(i, i + BATCH));
    for (let i = 0; i < history.length; i += BATCH) await db.history.bulkPut(history.slice(i, i + BATCH));
    await db.meta.put({ key: "scored", value: meta });
    if (views.length > 0) await db.meta.bulkPut(views);
  });
}

/** When the stored results were computed, as of which day, and the imported data's last day then. */
export interface ScoredMeta {
  asOf: string;
  scoredAt: string;
  /** ISO day; null when nothing was imported (or the results were stored before it was recorded). */
  dataEnd: string | null;
}

/** When the stored results were computed and as of which day, or undefined when never. */
export async function scoredMeta(db: VitalsDb): Promise<ScoredMeta | undefined> {
  const row = await db.meta.get("scored");
  const value = row?.value as { asOf?: unknown; scoredAt?: unknown; dataEnd?: unknown } | undefined;
  return typeof value?.asOf === "string" && typeof value.scoredAt === "string"
    ? { asOf: value.asOf, scoredAt: value.scoredAt, dataEnd: typeof value.dataEnd === "string" ? value.dataEnd : null }
    : undefined;
}
