import Dexie, { type DexieOptions, type Table } from "dexie";
import type { AccountInput } from "../schema/account.ts";
import type { Alert } from "../schema/alert.ts";
import type { PlayTemplate, Task } from "../schema/play.ts";
import type { ScorecardInput } from "../schema/scorecard.ts";
import type { AccountYearRow, BlockPatch, MonthBlockRow, UndoRow, YearBlockRow } from "./block-rows.ts";
import { DATABASE_NAME, LATEST_SCHEMA, SCHEMA_CHANGES, SCHEMA_V1, SCHEMA_VERSION } from "./schema-version.ts";
import { hashScorecardVersions } from "./scorecard-migration.ts";
import { monthBlocksToYears, undoBlocksToYears, yearBlocksToAccountYears } from "./year-migration.ts";

// The rows of observation blocks and of an import's undo live in block-rows.ts, which the block code and the
// version 5 migration import without importing this file (and so this file can import the migration).
export type { AccountYearRow, BlockPatch, MonthBlockRow, UndoRow, YearBlockRow };
// The tables of each version live in schema-version.ts, which the first screen's reads (read-db.ts) import without
// importing Dexie.
export { DATABASE_NAME, LATEST_SCHEMA, SCHEMA_V1, SCHEMA_VERSION };

/** A stored account: the Account schema's shape, read back through `Account.parse`. */
export interface StoredAccount extends Readonly<AccountInput> {
  readonly id: string;
}

/** A CSM's rating (1–5) of a qualitative factor, with its note. */
export interface ManualInputRow {
  readonly id?: number;
  readonly accountId: string;
  readonly metric: string;
  /** ISO day. */
  readonly day: string;
  readonly rating: number;
  readonly author: string;
  readonly note: string;
}

/** An account's outcome (churned, renewed, expanded, downgraded) on a day. */
export interface OutcomeRow {
  readonly accountId: string;
  /** ISO day. */
  readonly day: string;
  readonly kind: string;
}

/** The live version of a scorecard. */
export interface ScorecardRow {
  readonly id: string;
  readonly scorecard: ScorecardInput;
  /** Version number of the live scorecard in `scorecardVersions`. */
  readonly version: number;
  /** ISO timestamp of the last save. */
  readonly updatedAt: string;
}

/** Every saved version of a scorecard, so any can be looked at or restored. */
export interface ScorecardVersionRow {
  readonly scorecardId: string;
  readonly version: number;
  readonly scorecard: ScorecardInput;
  /** ISO timestamp of the save. */
  readonly savedAt: string;
  /** What the author said about the change. */
  readonly message: string;
  /**
   * Its lineage (version 6 on): the SHA-256 of its content and parents (`versionHash`), and the hashes of the versions
   * it was saved on (none for the first, one for an edit, two for a merge; sorted). Rows of versions 1–5 get them from
   * version 6's upgrade (`hashScorecardVersions`).
   */
  readonly hash: string;
  readonly parents: readonly string[];
}

/** An account's latest result on one scorecard, compact (the explanation is recomputed on demand). */
export interface LatestResultRow {
  readonly scorecardId: string;
  readonly accountId: string;
  /** ISO day the result is as of. */
  readonly asOf: string;
  /** Unrounded score, or null for "not enough data". */
  readonly score: number | null;
  readonly previousScore: number | null;
  readonly coverage: number;
  /** Band index (highest first) or −1. */
  readonly band: number;
  /** Factor ids of the top drags, worst first. */
  readonly drags: readonly string[];
  readonly primary: boolean;
}

/** An account's daily score series on one scorecard. */
export interface HistoryRow {
  readonly scorecardId: string;
  readonly accountId: string;
  /** First day of the series (days since 1970-01-01). */
  readonly from: number;
  /** One score per day; NaN is null. */
  readonly scores: Float32Array;
}

/**
 * An alert raised by a rule on the score history; at most one open or snoozed per (scorecard, rule, account). The
 * Alert schema's shape (read back through `restoreAlert`); rows written by version 1 have only the first six fields,
 * and version 2's upgrade fills the rest.
 */
export interface AlertRow extends Readonly<Partial<Alert>> {
  readonly id: string;
  readonly ruleId: string;
  readonly accountId: string;
  readonly status: "open" | "snoozed" | "done";
  /** ISO day raised. */
  readonly raisedOn: string;
  /** Why, in words (the extension's hover card shows it). */
  readonly message: string;
}

/** A play template (the PlayTemplate schema's shape), with when it was last saved. */
export interface PlayTemplateRow extends Readonly<PlayTemplate> {
  /** ISO timestamp. */
  readonly updatedAt: string;
}

/** A task made from a play's step on an alert (the Task schema's shape). */
export type TaskRow = Readonly<Task>;

/** A dated note on an account's timeline. */
export interface NoteRow {
  readonly id?: number;
  readonly accountId: string;
  /** ISO timestamp. */
  readonly at: string;
  readonly author: string;
  readonly text: string;
}

/** A CSM's override of a score or band (the Override schema's shape). */
export interface OverrideRow {
  readonly id: string;
  readonly accountId: string;
  readonly scorecardId?: string;
  readonly score?: number;
  readonly grade?: string;
  readonly reason: string;
  readonly author: string;
  readonly createdOn: string;
  readonly expiresOn: string;
}

/** One import: what file, when, what it changed, and whether it was undone. */
export interface ImportRow {
  readonly id: string;
  /**
   * Order of the imports: 1, 2, 3… assigned inside the import's own transaction, so "the latest import" (the one
   * Undo may take back) never depends on a clock (two tabs, a clock step). Version 4's upgrade numbers older rows.
   */
  readonly seq: number;
  /** ISO timestamp. */
  readonly at: string;
  readonly fileName: string;
  readonly shape: string;
  readonly status: "applied" | "undone";
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Days an events import covers for a metric: inside them an account with no observation of the metric has count 0
 * and sum 0 (not missing). Applies to every account; a metric's coverage is the union of its rows.
 */
export interface CoverageRow {
  readonly metric: string;
  /** ISO days, inclusive. */
  readonly from: string;
  readonly to: string;
}

/** An id of a kind (subscription, workspace) that names an account, learned from a links file. */
export interface LinkRow {
  /** Lower case. */
  readonly kind: string;
  readonly key: string;
  readonly accountId: string;
}

/** A column mapping the user saved, by name. */
export interface MappingRow {
  readonly name: string;
  readonly mapping: unknown;
  /** ISO timestamp. */
  readonly savedAt: string;
}

/** Small settings and facts (schema notes, demo flag, last scoring day). */
export interface MetaRow {
  readonly key: string;
  readonly value: unknown;
}

/**
 * Data fix of version 2: version 1 alerts have no scorecard, kind, title, `since` or `updatedOn`; give them neutral
 * values (the message doubles as the title) so they read back through the Alert schema.
 */
export async function fillAlertFields(alerts: Table<AlertRow, string>): Promise<void> {
  await alerts.toCollection().modify((stored) => {
    // Version 1 rows lack these fields; `readonly` is for callers, not for a data fix.
    const row = stored as unknown as Record<string, unknown>;
    row.scorecardId ??= "";
    row.kind ??= "";
    row.title ??= row.message ?? "";
    row.since ??= null;
    row.updatedOn ??= row.raisedOn;
  });
}

/** The meta key under which the demo portfolio's loading records the ids of the accounts it created. */
export const DEMO_ACCOUNTS_KEY = "demoAccounts";

/**
 * Data fix of version 4: number the imports 1, 2, 3… in the order of their timestamps (ties by id), as versions
 * before judged "latest"; from now on each import takes the next number inside its own transaction.
 */
export async function numberImports(imports: Table<ImportRow, string>): Promise<void> {
  const rows = (await imports.toArray()).sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id < y.id ? -1 : 1));
  await imports.bulkPut(rows.map((row, i) => ({ ...row, seq: i + 1 })));
}

/**
 * Data fix of version 4: record which accounts the demo portfolio created, so "Clear demo data" removes those and
 * only those (before, it removed every account whose id starts with "demo-", a user's own included). The demo is
 * loaded as one import into an empty store, so the accounts it created are the ones its undo record lists as new.
 * A store without a demo import records none.
 */
export async function recordDemoAccounts(
  imports: Table<ImportRow, string>,
  importUndo: Table<UndoRow, [string, number]>,
  meta: Table<MetaRow, string>,
): Promise<void> {
  if (await meta.get(DEMO_ACCOUNTS_KEY)) return;
  const demoImports = (await imports.toArray()).filter((i) => i.shape === "demo" && i.status === "applied");
  const ids: string[] = [];
  for (const demo of demoImports) {
    const chunks = await importUndo.where("importId").equals(demo.id).toArray();
    for (const chunk of chunks) {
      if (chunk.table !== "accounts") continue;
      for (const entry of chunk.entries) if (entry.before === null) ids.push(entry.key as string);
    }
  }
  await meta.put({ key: DEMO_ACCOUNTS_KEY, value: ids });
}

/**
 * The Vitals database. Versions are appended, never edited: each new version adds a `this.version(n)` call
 * (with an upgrade function when data must move) and a migration test that opens version n − 1 with data.
 */
export class VitalsDb extends Dexie {
  accounts!: Table<StoredAccount, string>;
  /** The year blocks, every metric of an account × year in a row (read and written through block-table.ts). */
  accountYears!: Table<AccountYearRow, [string, number]>;
  manualInputs!: Table<ManualInputRow, number>;
  outcomes!: Table<OutcomeRow, [string, string, string]>;
  scorecards!: Table<ScorecardRow, string>;
  scorecardVersions!: Table<ScorecardVersionRow, [string, number]>;
  latestResults!: Table<LatestResultRow, [string, string]>;
  history!: Table<HistoryRow, [string, string]>;
  alerts!: Table<AlertRow, string>;
  playTemplates!: Table<PlayTemplateRow, string>;
  tasks!: Table<TaskRow, string>;
  notes!: Table<NoteRow, number>;
  overrides!: Table<OverrideRow, string>;
  imports!: Table<ImportRow, string>;
  importUndo!: Table<UndoRow, [string, number]>;
  mappings!: Table<MappingRow, string>;
  meta!: Table<MetaRow, string>;
  coverage!: Table<CoverageRow, [string, string, string]>;
  links!: Table<LinkRow, [string, string]>;

  readonly #outdated = new Set<(newVersion: number | null) => void>();

  constructor(name: string = DATABASE_NAME, options?: DexieOptions) {
    // No liveQuery cache: nothing reads through liveQuery (the faces ask the worker), and keeping the cache in step
    // cost seconds on a large import.
    super(name, { cache: "disabled", ...options });
    // Another tab is upgrading (or deleting) the database: Dexie closes this connection so the upgrade is never
    // blocked; this tab's code is now older than its data, so it must tell the user to reload.
    this.on("versionchange", (event: IDBVersionChangeEvent) => {
      // Dexie opens schema version n as IndexedDB version 10·n.
      const version = event.newVersion === null ? null : event.newVersion / 10;
      for (const listener of this.#outdated) listener(version);
    });
    // Dexie 4 opens a database whose schema is newer than this code's instead of failing (and opens a connection
    // it closed for another tab's upgrade again on its next use): refuse, so code older than its data never writes
    // rows of the older shape: open() rejects with this VersionError, every other use with a DatabaseClosedError
    // wrapping it. (Dexie patches a schema extended without a new version number as 10·n + 1: still version n.)
    this.on(
      "ready",
      (vipDb) => {
        const installed = Math.floor(vipDb.backendDB().version / 10);
        if (installed > this.verno) {
          throw new Dexie.VersionError(
            `the stored data is at schema version ${installed}, newer than this app's ${this.verno}: reload the page to use the newer app`,
          );
        }
      },
      true,
    );
    this.version(1).stores(SCHEMA_V1);
    // Version 2: plays and their tasks; alerts gain the fields of the Alert schema (filled in for older rows).
    this.version(2)
      .stores(SCHEMA_CHANGES[0])
      .upgrade((tx) => fillAlertFields(tx.table("alerts")));
    // Version 3: the days events imports cover (count 0 inside them) and ids of other kinds linked to accounts.
    this.version(3).stores(SCHEMA_CHANGES[1]);
    // Version 4: imports are ordered by a sequence number (Undo no longer trusts the clock), and the store records
    // which accounts the demo created (Clear demo data no longer goes by the "demo-" prefix).
    this.version(4)
      .stores(SCHEMA_CHANGES[2])
      .upgrade(async (tx) => {
        await numberImports(tx.table("imports"));
        await recordDemoAccounts(tx.table("imports"), tx.table("importUndo"), tx.table("meta"));
      });
    // Version 5: observations in year blocks (one row per account × metric × year, days of the year) instead of month
    // blocks: a twelfth of the rows, so a twelfth of IndexedDB's per-row cost. The month blocks move over in pages
    // and their table is dropped (after the upgrade has read it); the undo records follow.
    this.version(5)
      .stores(SCHEMA_CHANGES[3])
      .upgrade(async (tx) => {
        await monthBlocksToYears(tx.table("blocks"), tx.table("yearBlocks"));
        await undoBlocksToYears(tx.table("importUndo"));
      });
    // Version 6: scorecard versions carry their lineage (hash and parents), so an import tells a teammate's newer
    // version from a diverged one; the versions of versions 1–5 are hashed as the line they were saved in.
    this.version(6)
      .stores(SCHEMA_CHANGES[4])
      .upgrade((tx) => hashScorecardVersions(tx.table("scorecardVersions")));
    // Version 7: a row per account × year with every metric's block (AccountYearRow) instead of a row per block: a
    // tenth of the rows with ten metrics, and no secondary index (an account's rows are a range of the key). The
    // year blocks move over in pages and their table is dropped; undo records name blocks, so they stay as they are.
    this.version(7)
      .stores(SCHEMA_CHANGES[5])
      .upgrade((tx) => yearBlocksToAccountYears(tx.table("yearBlocks"), tx.table("accountYears")));
  }

  /**
   * A read transaction over `tables` (this connection's) running `scope`: read-db.ts's ReadDb, which the first
   * screen's reads are written against.
   */
  reading<R>(tables: readonly object[], scope: () => Promise<R>): Promise<R> {
    return this.transaction("r", tables as unknown as Table[], scope);
  }

  /** Calls `listener` when another tab upgrades or deletes the database; returns an unsubscribe function. */
  onOutdated(listener: (newVersion: number | null) => void): () => void {
    this.#outdated.add(listener);
    return () => this.#outdated.delete(listener);
  }
}
