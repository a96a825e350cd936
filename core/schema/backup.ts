import { z } from "zod";
import { Account } from "./account.ts";
import { Alert } from "./alert.ts";
import { IsoDay } from "./iso-day.ts";
import { MetricName, Outcome } from "./observation.ts";
import { Override } from "./override.ts";
import { PlayTemplate, Task } from "./play.ts";
import { Scorecard } from "./scorecard.ts";

/**
 * A backup file (docs/formats.md, "Backup file"): every table the user made, as frames in a gzip stream. The first
 * frame is the header, the last the manifest (counts and a checksum); in between, each table's rows as JSON and the
 * observations as columns (typed arrays, little-endian). Version 2 of the Vitals bundle line: a version 1 file is
 * the JSON bundle (core/schema/bundle.ts), still read.
 */

/** The `format` of a backup's header frame. */
export const BACKUP_FORMAT = "vitals-backup";
/** The backup version this build writes and the newest it reads (1 is the JSON bundle). */
export const BACKUP_VERSION = 2;

/** The header: the first frame. */
export const BackupHeader = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().min(2),
  exportedAt: z.iso.datetime({ offset: true }),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

/**
 * The tables a backup holds, in the order it writes them. The store's other tables are made again from these (the
 * latest results and score history are recomputed by scoring).
 */
export const BACKUP_TABLES = [
  "accounts",
  "yearBlocks",
  "manualInputs",
  "outcomes",
  "scorecards",
  "scorecardVersions",
  "alerts",
  "playTemplates",
  "tasks",
  "notes",
  "overrides",
  "imports",
  "importUndo",
  "mappings",
  "coverage",
  "links",
  "meta",
] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];

/** The manifest: the last frame. Counts of rows per table (and observations), and the checksum of the frames. */
export const BackupManifest = z.object({
  manifest: z.literal(true),
  /** Data frames between the header and the manifest. */
  frames: z.number().int().nonnegative(),
  counts: z.object(
    Object.fromEntries(BACKUP_TABLES.map((t) => [t, z.number().int().nonnegative()])) as Record<
      BackupTable,
      z.ZodNumber
    >,
  ),
  /** Observations in the year blocks. */
  observations: z.number().int().nonnegative(),
  /** SHA-256 (hex) of the SHA-256 digests of the data frames, in order (each over its bytes as written). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in hex (64 characters 0-9 a-f)"),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

const Text = z.string();
const Id = z.string().min(1);
const Whole = z.number().int();
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in hex (64 characters 0-9 a-f)");

/** A column frame of year blocks: per block its account, metric, year and number of observations. */
export const YearBlocksFrame = z.object({
  table: z.literal("yearBlocks"),
  accounts: z.array(Id),
  metrics: z.array(MetricName),
  years: z.array(Whole.min(1).max(9999)),
  lengths: z.array(Whole.min(1).max(366 * 64)),
});
export type YearBlocksFrame = z.infer<typeof YearBlocksFrame>;

/** Each table's stored row, as a backup carries it (checked on reading; written back exactly as read). */
export const BACKUP_ROWS = {
  accounts: Account,
  manualInputs: z.object({
    id: Whole.min(1),
    accountId: Id,
    metric: MetricName,
    day: IsoDay,
    rating: Whole.min(1).max(5),
    author: Text,
    note: Text,
  }),
  outcomes: Outcome,
  scorecards: z.object({ id: Id, scorecard: Scorecard, version: Whole.min(1), updatedAt: Text }),
  scorecardVersions: z.object({
    scorecardId: Id,
    version: Whole.min(1),
    scorecard: Scorecard,
    savedAt: Text,
    message: Text,
    /** Its lineage (store version 6 on; a backup of an older store has none, and they are worked out on reading). */
    hash: Sha256.optional(),
    parents: z.array(Sha256).max(2).optional(),
  }),
  alerts: Alert,
  playTemplates: PlayTemplate.extend({ updatedAt: Text }),
  tasks: Task,
  notes: z.object({ id: Whole.min(1), accountId: Id, at: Text, author: Text, text: Text }),
  overrides: Override,
  imports: z.object({
    id: Id,
    seq: Whole.min(1),
    at: Text,
    fileName: Text,
    shape: Text,
    status: z.enum(["applied", "undone"]),
    counts: z.record(z.string(), z.number()),
  }),
  importUndo: z.object({
    importId: Id,
    seq: Whole.min(0),
    table: z.enum(["accounts", "yearBlocks", "outcomes", "coverage", "links"]),
    entries: z.array(z.object({ key: z.unknown(), before: z.unknown() })),
  }),
  mappings: z.object({ name: Id, mapping: z.unknown(), savedAt: Text }),
  coverage: z.object({ metric: MetricName, from: IsoDay, to: IsoDay }),
  links: z.object({ kind: Id, key: Id, accountId: Id }),
  meta: z.object({ key: Id, value: z.unknown() }),
} as const satisfies Record<Exclude<BackupTable, "yearBlocks">, z.ZodType>;

/** A frame of rows of one table. */
export interface RowsFrame {
  table: Exclude<BackupTable, "yearBlocks">;
  rows: unknown[];
}

/**
 * Meta keys a backup leaves out: what is made again from the data (the stored views, the last scoring, the token
 * of the scoring inputs) and the backup that a "replace" restore keeps of what it replaced.
 */
export const DERIVED_META_KEYS: ReadonlySet<string> = new Set([
  "inputs",
  "views.dashboard",
  "views.rows",
  "views.badges",
  "scored",
  "backup.replaced",
]);

/**
 * Whether a meta key is derived (a backup leaves it out): one of DERIVED_META_KEYS, or any stored view's part
 * ("views.rows.0", "views.badges.12": the chunks of the accounts table and the badge entries, made again by the next
 * scoring like their heads).
 */
export function isDerivedMetaKey(key: string): boolean {
  return DERIVED_META_KEYS.has(key) || key.startsWith("views.");
}
