import { z } from "zod";
import type { AccountsTableRow, Dashboard } from "../insights/portfolio-view.ts";
import { builtOnce } from "../schema/built-once.ts";
import { SCORE_COLORS } from "../schema/score-color.ts";
import type { VitalsDb } from "./db.ts";
import type { ReadDb } from "./read-db.ts";
import { readScoredElsewhereInfo } from "./scored-elsewhere-info.ts";

/**
 * The views the app opens on (the dashboard and the accounts table's rows), stored with the scores they were made
 * from, so a cold start shows them from two rows instead of reading and scoring every observation again. A stored
 * view is used only while nothing it was made from has changed: every write of a scoring input (accounts,
 * observations, manual inputs, scorecards) calls `inputsChanged` in its transaction, and each view remembers the
 * token it was made at, the code that made it and the day it was made for.
 */

const INPUTS_KEY = "inputs";
const DASHBOARD_KEY = "views.dashboard";
const ROWS_KEY = "views.rows";

/** Marks the scoring inputs as changed. Call it inside the transaction that changes them (needs `meta` in scope). */
export async function inputsChanged(db: VitalsDb): Promise<void> {
  await db.meta.put({ key: INPUTS_KEY, value: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}` });
}

/** The current inputs token (null before the first change was recorded). */
export async function inputsToken(db: ReadDb): Promise<string | null> {
  const row = await db.meta.get(INPUTS_KEY);
  return typeof row?.value === "string" ? row.value : null;
}

/** What a stored view was made from: it is current only while all of these still hold. */
export interface ViewsStamp {
  /** The inputs token read before the inputs were. */
  inputs: string | null;
  /** Which build of the code made it (a new build may compute differently). */
  code: string;
  /** The day the scores are as of. */
  asOf: string;
  /** The local day the view was made on, and whether the as-of day depends on it ("today", or data past today). */
  today: string;
  capped: boolean;
}

/**
 * The stored views' schemas, made on first use: a cold start on an account's page reads no view, and building these
 * (about seventy zod schemas) was a measurable part of its worker's start (issue 14).
 */
const schemas = builtOnce(() => {
  const Color = z.enum(SCORE_COLORS);
  const Stamp = z.object({
    inputs: z.string().nullable(),
    code: z.string(),
    asOf: z.string(),
    today: z.string(),
    capped: z.boolean(),
  });

  /** A number or NaN (a missing point of a series). */
  const Num = z.union([z.number(), z.nan()]);

  const Shown = z.object({
    scorecardId: z.string(),
    scorecardName: z.string(),
    score: z.number().nullable(),
    points: z.number().nullable(),
    grade: z.string(),
    color: Color,
    label: z.string(),
    coverage: z.number(),
    delta: z.number().nullable(),
    deltaDays: z.number(),
    drags: z.array(z.string()),
  });

  /** A stored accounts-table row (typed against AccountsTableRow, so a new field there fails to compile until added here). */
  const Row: z.ZodType<AccountsTableRow> = z.object({
    id: z.string(),
    name: z.string(),
    shown: Shown.nullable(),
    spark: z.array(Num),
    arr: z.number().nullable(),
    renewalDate: z.string().nullable(),
    segment: z.string(),
    stage: z.string(),
    owner: z.string(),
    utilization: z.number().nullable(),
    dayBefore: z
      .object({ score: z.number(), points: z.number(), grade: z.string(), color: Color, label: z.string() })
      .nullable(),
  });

  const Mention = z.object({
    id: z.string(),
    name: z.string(),
    points: z.number().nullable(),
    grade: z.string(),
    color: Color,
    label: z.string(),
    arr: z.number().nullable(),
    why: z.string(),
    value: z.number(),
  });

  /** A stored dashboard (typed against Dashboard, like Row). */
  const StoredDashboard: z.ZodType<Dashboard> = z.object({
    asOf: z.string(),
    accounts: z.number(),
    scored: z.number(),
    arr: z.number(),
    averageScore: z.number().nullable(),
    bands: z.array(
      z.object({ grade: z.string(), label: z.string(), color: Color, accounts: z.number(), arr: z.number() }),
    ),
    distribution: z.array(z.number()),
    trend: z.object({
      days: z.array(z.number()),
      average: z.array(Num),
      green: z.array(z.number()),
      yellow: z.array(z.number()),
      red: z.array(z.number()),
    }),
    drops: z.array(Mention),
    renewals: z.array(Mention),
    expansion: z.array(Mention),
  });
  /** A chunked view's head: what its rows were made from, how many chunks and items it has. */
  const Head = z.object({
    stamp: Stamp,
    chunks: z.number().int().nonnegative(),
    count: z.number().int().nonnegative(),
  });
  return {
    Head,
    StampOnly: z.object({ stamp: Stamp }),
    Rows: z.array(Row),
    StoredDashboardRow: z.object({ stamp: Stamp, view: StoredDashboard }),
    StoredBadges: z.array(z.object({ scorecardId: z.string().nullable(), badge: z.unknown() })),
  };
});

/**
 * The accounts table's rows and the badge entries are stored in chunks of this many (the head row has the stamp and
 * the count), so a one-account rescore rewrites one chunk, not every account's row (issue 14).
 */
export const VIEW_CHUNK = 500;
const chunkKey = (key: string, k: number) => `${key}.${k}`;
const chunksOf = <T>(items: readonly T[]) =>
  Array.from({ length: Math.ceil(items.length / VIEW_CHUNK) }, (_, k) =>
    items.slice(k * VIEW_CHUNK, (k + 1) * VIEW_CHUNK),
  );

/** A chunked view's rows: the head and every chunk (`item` names the chunk's field). */
function chunkedRows<T>(key: string, stamp: ViewsStamp, items: readonly T[], item: "view" | "entries") {
  const chunks = chunksOf(items);
  return [
    { key, value: { stamp, chunks: chunks.length, count: items.length } },
    ...chunks.map((chunk, k) => ({ key: chunkKey(key, k), value: { [item]: chunk } })),
  ];
}

/** A chunked view's head (with `stamp`) and the one chunk that holds item `at` (none when `at` is negative). */
function patchedChunk<T>(key: string, stamp: ViewsStamp, items: readonly T[], at: number, item: "view" | "entries") {
  const head = { key, value: { stamp, chunks: Math.ceil(items.length / VIEW_CHUNK), count: items.length } };
  if (at < 0) return [head];
  const k = Math.floor(at / VIEW_CHUNK);
  return [head, { key: chunkKey(key, k), value: { [item]: items.slice(k * VIEW_CHUNK, (k + 1) * VIEW_CHUNK) } }];
}

/**
 * A chunked view read back: its head and every chunk parsed (`schema`, one chunk's items); undefined when a row is
 * missing or not readable, or the chunks do not add up to the head's count. Call it in a transaction over `meta`.
 */
async function readChunked<T>(
  db: ReadDb,
  key: string,
  item: "view" | "entries",
  schema: z.ZodType<T[]>,
  head?: unknown,
): Promise<{ stamp: ViewsStamp; items: T[] } | undefined> {
  const parsedHead = schemas().Head.safeParse(head === undefined ? (await db.meta.get(key))?.value : head);
  if (!parsedHead.success) return undefined;
  const { stamp, chunks, count } = parsedHead.data;
  const parts = await db.meta.bulkGet(Array.from({ length: chunks }, (_, k) => chunkKey(key, k)));
  const chunkSchema = z.object({ [item]: schema });
  const items: T[] = [];
  for (const part of parts) {
    const parsed = chunkSchema.safeParse(part?.value);
    if (!parsed.success) return undefined;
    for (const x of parsed.data[item] as T[]) items.push(x);
  }
  return items.length === count ? { stamp, items } : undefined;
}

/** The rows `saveViews` writes: put them in the transaction that stores the scores they come from. */
export function viewRows(stamp: ViewsStamp, views: { dashboard: Dashboard; rows: AccountsTableRow[] }) {
  return [
    { key: DASHBOARD_KEY, value: { stamp, view: views.dashboard } },
    ...chunkedRows(ROWS_KEY, stamp, views.rows, "view"),
  ];
}

/**
 * The rows a one-account rescore writes: the dashboard, and of the accounts table only the stamp and the chunk that
 * holds row `at` (the others are unchanged).
 */
export function patchedViewRows(
  stamp: ViewsStamp,
  views: { dashboard: Dashboard; rows: AccountsTableRow[] },
  at: number,
) {
  return [
    { key: DASHBOARD_KEY, value: { stamp, view: views.dashboard } },
    ...patchedChunk(ROWS_KEY, stamp, views.rows, at, "view"),
  ];
}

/** The stamp of the stored views (undefined when there are none or they are not readable). */
export async function storedViewsStamp(db: ReadDb): Promise<ViewsStamp | undefined> {
  const row = await db.meta.get(DASHBOARD_KEY);
  const parsed = schemas().StampOnly.safeParse(row?.value);
  return parsed.success ? parsed.data.stamp : undefined;
}

/**
 * What the accounts table's rows are made from, in one string: the stored views' stamp, the inputs token, and the
 * portfolio scored elsewhere while one is shown. A page may keep the rows it read while this has not changed.
 */
export async function rowsToken(db: ReadDb): Promise<string> {
  return db.reading([db.meta], async () => {
    const [stamp, inputs, elsewhere] = await Promise.all([
      storedViewsStamp(db),
      inputsToken(db),
      readScoredElsewhereInfo(db),
    ]);
    return JSON.stringify([stamp ?? null, inputs, elsewhere]);
  });
}

/** Whether a stamp still describes the store: same inputs, same code, and today's date does not move the as-of day. */
function current(stamp: ViewsStamp, expected: { inputs: string | null; code: string; today: string }): boolean {
  return (
    stamp.inputs === expected.inputs &&
    stamp.code === expected.code &&
    (!stamp.capped || stamp.today === expected.today)
  );
}

/** The stored dashboard if it is still current (undefined: score the portfolio to get it). */
export async function readDashboardView(
  db: ReadDb,
  expected: { code: string; today: string },
): Promise<Dashboard | undefined> {
  const [row, inputs] = await db.reading([db.meta], () => Promise.all([db.meta.get(DASHBOARD_KEY), inputsToken(db)]));
  const parsed = schemas().StoredDashboardRow.safeParse(row?.value);
  if (!parsed.success || !current(parsed.data.stamp, { ...expected, inputs })) return undefined;
  return parsed.data.view;
}

/** The stored accounts-table rows if they are still current (undefined: score the portfolio to get them). */
export function readRowsView(db: ReadDb, expected: { code: string; today: string }) {
  return db.reading([db.meta], async () => {
    const [head, inputs] = await Promise.all([db.meta.get(ROWS_KEY), inputsToken(db)]);
    const stamp = schemas().Head.safeParse(head?.value);
    if (!stamp.success || !current(stamp.data.stamp, { ...expected, inputs })) return undefined;
    return (await readChunked(db, ROWS_KEY, "view", schemas().Rows, head?.value))?.items;
  });
}

/** Whether views stamped `stored` (and the results stored with them) already are what scoring `stamp` stores. */
export function sameViews(stored: ViewsStamp | undefined, stamp: ViewsStamp): boolean {
  return stored !== undefined && stored.asOf === stamp.asOf && current(stored, stamp);
}

/** Whether the stored views are current (their stamp only: the rows themselves are not read). */
export async function viewsCurrent(db: ReadDb, expected: { code: string; today: string }): Promise<boolean> {
  const [stamp, inputs] = await Promise.all([storedViewsStamp(db), inputsToken(db)]);
  return stamp !== undefined && current(stamp, { ...expected, inputs });
}

/**
 * The stored views with one account's row replaced and the dashboard made again (a CSM's rating rescored that
 * account alone), stamped with the inputs token after the rating. Call it in a transaction over `meta` (and the
 * results it writes beside them) after checking the token is still `inputs`; undefined when the stored views are
 * not readable or do not have the account (then score the portfolio).
 */
export async function readViewsForPatch(
  db: VitalsDb,
): Promise<{ stamp: ViewsStamp; dashboard: Dashboard; rows: AccountsTableRow[] } | undefined> {
  const [dash, rows] = await Promise.all([
    db.meta.get(DASHBOARD_KEY),
    readChunked(db, ROWS_KEY, "view", schemas().Rows),
  ]);
  const d = schemas().StoredDashboardRow.safeParse(dash?.value);
  if (!d.success || !rows || JSON.stringify(rows.stamp) !== JSON.stringify(d.data.stamp)) return undefined;
  return { stamp: d.data.stamp, dashboard: d.data.view, rows: rows.items };
}

const BADGES_KEY = "views.badges";

/**
 * A stored badge-set entry: the account's badge as the scores make it, with its primary scorecard's id (an override
 * of it is attached when the set is read, as are open alerts: both change without a rescore).
 */
export interface StoredBadge {
  scorecardId: string | null;
  badge: unknown;
}

/** The rows that store the badge set's entries (in chunks) with the stamp of the scores they were made from. */
export function badgeRows(stamp: ViewsStamp, entries: readonly StoredBadge[]) {
  return chunkedRows(BADGES_KEY, stamp, entries, "entries");
}

/** The badge rows a one-account rescore writes: the stamp and the chunk that holds entry `at` (none when negative). */
export function patchedBadgeRows(stamp: ViewsStamp, entries: readonly StoredBadge[], at: number) {
  return patchedChunk(BADGES_KEY, stamp, entries, at, "entries");
}

/** The stored badge entries if they are still current (undefined: build them from the scored portfolio). */
export async function readBadgeView(
  db: VitalsDb,
  expected: { code: string; today: string },
): Promise<{ stamp: ViewsStamp; entries: StoredBadge[] } | undefined> {
  return db.transaction("r", db.meta, async () => {
    const [head, inputs] = await Promise.all([db.meta.get(BADGES_KEY), inputsToken(db)]);
    const stamp = schemas().Head.safeParse(head?.value);
    if (!stamp.success || !current(stamp.data.stamp, { ...expected, inputs })) return undefined;
    const read = await readChunked(db, BADGES_KEY, "entries", schemas().StoredBadges, head?.value);
    return (
      read && { stamp: read.stamp, entries: read.items.map((e) => ({ scorecardId: e.scorecardId, badge: e.badge })) }
    );
  });
}

/** The stored badge entries whatever their stamp (a one-account rescore patches them), or undefined. */
export async function readBadgesForPatch(
  db: VitalsDb,
): Promise<{ stamp: ViewsStamp; entries: StoredBadge[] } | undefined> {
  const read = await readChunked(db, BADGES_KEY, "entries", schemas().StoredBadges);
  return (
    read && { stamp: read.stamp, entries: read.items.map((e) => ({ scorecardId: e.scorecardId, badge: e.badge })) }
  );
}
