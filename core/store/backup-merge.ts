import { ObservationColumns } from "../io/columns.ts";
import { dataPlan, type ImportPlan } from "../io/plan.ts";
import { Account } from "../schema/account.ts";
import { Scorecard } from "../schema/scorecard.ts";
import { classifyScorecard, type ScorecardClassKind } from "../scorecard/classify.ts";
import type { LineageVersion, ScorecardLineage } from "../scorecard/lineage.ts";
import {
  type BackupContent,
  type BackupProgress,
  ROW_TABLES,
  type RowTable,
  replacer,
  type StopCheck,
} from "./backup.ts";
import { restoreTables } from "./backup-restore.ts";
import { yearStart } from "./blocks.ts";
import type { ScorecardRow, ScorecardVersionRow, VitalsDb } from "./db.ts";
import { applyImport, type ImportCounts } from "./imports.ts";
import { inputsChanged } from "./views.ts";

// Merging a backup into the store: what each side has, the scorecards classified by their lineages, and the rows
// added, kept or updated. A backup's file format is backup.ts.

/** What merging a backup into a store adds, per table; rows the store has with other content are kept as they are. */
export interface MergeChanges {
  /**
   * Each of the backup's scorecards, classified against this store's by their version lineages
   * (core/scorecard/classify.ts), with how many of its versions join this store's history; a diverged one with
   * the number its live version in the backup has in this store's history (`theirsHere`; mine stays live).
   */
  scorecards: { id: string; kind: ScorecardClassKind; versionsAdded: number; theirsHere?: number }[];
  /**
   * Per table: rows added, rows already here, rows kept as this store has them (same key, other content), rows
   * updated from the backup (an alert triaged only there: its snooze, done or play).
   */
  tables: Record<string, { added: number; same: number; kept: number; updated: number }>;
  /** Accounts and observations, through the import log (undoable). */
  data?: ImportCounts;
}

/**
 * A scorecard's stored versions as a lineage, by the hash and parents each version row carries (store version 6;
 * a backup of an older store gets them when it is read, see `withLineage`): the live version is the head (the last
 * version when the scorecard has no live row). A version whose scorecard no longer reads is left out of the
 * lineage (it stays stored; its children still name it). Also each stored row by hash.
 */
function storedLineage(
  id: string,
  rows: readonly ScorecardVersionRow[],
  liveVersion: number | undefined,
): { lineage: ScorecardLineage; rows: Map<string, ScorecardVersionRow> } {
  const sorted = [...rows].sort((a, b) => a.version - b.version);
  const byHash = new Map<string, ScorecardVersionRow>();
  const versions: LineageVersion[] = [];
  let head = sorted.at(-1)?.hash ?? "";
  for (const row of sorted) {
    byHash.set(row.hash, row);
    if (row.version === liveVersion) head = row.hash;
    const parsed = Scorecard.safeParse(row.scorecard);
    if (!parsed.success) continue;
    versions.push({
      hash: row.hash,
      parents: [...row.parents],
      scorecard: parsed.data,
      savedAt: row.savedAt,
      message: row.message,
    });
  }
  return { lineage: { id, head, versions }, rows: byHash };
}

/** Groups version rows by scorecard. */
function versionsById(rows: readonly ScorecardVersionRow[]): Map<string, ScorecardVersionRow[]> {
  const out = new Map<string, ScorecardVersionRow[]>();
  for (const v of rows) {
    const list = out.get(v.scorecardId) ?? [];
    list.push(v);
    out.set(v.scorecardId, list);
  }
  return out;
}

const stable = (v: unknown) => JSON.stringify(v, replacer);

/** The primary key of a row of a keyed table, as text. */
const KEYS: Partial<Record<RowTable, (row: Record<string, unknown>) => string>> = {
  outcomes: (r) => stable([r.accountId, r.day, r.kind]),
  alerts: (r) => String(r.id),
  playTemplates: (r) => String(r.id),
  tasks: (r) => String(r.id),
  overrides: (r) => String(r.id),
  mappings: (r) => String(r.name),
  coverage: (r) => stable([r.metric, r.from, r.to]),
  links: (r) => stable([r.kind, r.key]),
};

/** What a CSM did with an alert (the rest of it is the scoring's, which this store has as of its own rescore). */
const TRIAGE = ["status", "snoozedUntil", "wokeOn", "doneOn", "resolution", "playId", "playName"] as const;
const triaged = (a: Record<string, unknown>) => a.status !== "open" || a.playId !== undefined;

/**
 * Rows of a keyed table that both have with other content, where the backup's wins: an alert still open and without a
 * play here that was snoozed, done or given a play in the backup takes that triage (so a snooze made on the other
 * device is not lost); an alert triaged on both sides keeps this store's. Anything else: this store's row is kept.
 */
const TAKE_THEIRS: Partial<
  Record<RowTable, (mine: Record<string, unknown>, theirs: Record<string, unknown>) => Record<string, unknown> | null>
> = {
  alerts: (mine, theirs) => {
    if (triaged(mine) || !triaged(theirs)) return null;
    const out: Record<string, unknown> = { ...mine };
    for (const k of TRIAGE) {
      if (theirs[k] === undefined) delete out[k];
      else out[k] = theirs[k];
    }
    return out;
  },
};

/** Rows with auto-numbered ids: the same content is the same row, whatever its id. */
const CONTENT: Partial<Record<RowTable, (row: Record<string, unknown>) => string>> = {
  notes: ({ id: _id, ...r }) => stable(r),
  manualInputs: ({ id: _id, ...r }) => stable(r),
};

/** Accounts and observations of a backup as an import plan (the accounts this store lacks, every observation). */
function mergePlan(content: BackupContent, fileName: string, known: ReadonlySet<string>): ImportPlan {
  const observations = new ObservationColumns();
  for (const b of content.blocks) {
    const first = yearStart(b.year);
    for (let k = 0; k < b.days.length; k++) {
      observations.push(b.accountId, b.metric, first + (b.days[k] as number), b.values[k] as number);
    }
  }
  return dataPlan({
    fileName,
    shape: "bundle",
    accounts: content.rows.accounts.filter((a) => !known.has((a as { id: string }).id)).map((a) => Account.parse(a)),
    observations,
  });
}

/**
 * Merges a backup into a non-empty store, in one transaction, never overwriting what the store has: each scorecard
 * is classified by its lineage as a scorecard file's import does (new: it comes with its history; theirs ahead: the
 * backup's versions join the history and its live one goes live; mine ahead or the same: the backup's versions this
 * store lacks join the history; diverged: they join the history and mine stays live, reported with `theirsHere`);
 * rows of the other tables are added when their key is new (notes and ratings when their content is new), and an
 * alert open here takes the backup's triage (TAKE_THEIRS); accounts
 * this store lacks and the observations go through the import log (undoable; a day the backup has replaces that
 * day's value here). The backup's import log and settings stay out. `dryRun` computes the changes and writes nothing.
 */
export async function mergeBackup(
  db: VitalsDb,
  content: BackupContent,
  meta: { id: string; at: string; fileName: string },
  options: { dryRun?: boolean; onProgress?: BackupProgress; stop?: StopCheck } = {},
): Promise<MergeChanges> {
  const write = !options.dryRun;
  const changes: MergeChanges = { scorecards: [], tables: {} };
  return db.transaction("rw", [...restoreTables(db)], async () => {
    // Scorecards: by their lineages (the hash and parents of each version), as a scorecard file's import classifies
    // them (core/scorecard/classify.ts). New ones come with their history as it is numbered there. For one both
    // have, every version of the backup's that this store lacks joins its history (parents first, numbered after
    // mine, with its own hash and parents: a version is the same wherever it is stored); theirs becomes live only
    // when it is ahead of mine (a fast-forward, which loses nothing); a diverged one keeps mine live and theirs in
    // the history, and is reported with the number its live version has here.
    const theirRows = versionsById(content.rows.scorecardVersions as ScorecardVersionRow[]);
    const theirLive = new Map((content.rows.scorecards as ScorecardRow[]).map((r) => [r.id, r]));
    const myRows = versionsById(await db.scorecardVersions.toArray());
    const myLive = new Map((await db.scorecards.toArray()).map((r) => [r.id, r]));
    const ids = [...new Set([...theirRows.keys(), ...theirLive.keys()])].sort();
    for (const id of ids) {
      const their = storedLineage(id, theirRows.get(id) ?? [], theirLive.get(id)?.version);
      const have = myRows.get(id) ?? [];
      const mine = have.length > 0 ? storedLineage(id, have, myLive.get(id)?.version).lineage : undefined;
      const c = classifyScorecard(mine, their.lineage);
      const live = theirLive.get(id);
      const entry: MergeChanges["scorecards"][number] = { id, kind: c.kind, versionsAdded: 0 };
      if (c.kind === "new") {
        entry.versionsAdded = their.rows.size;
        if (write) {
          await db.scorecardVersions.bulkAdd([...their.rows.values()]);
          if (live) await db.scorecards.add(live);
        }
      } else {
        const known = new Map(have.map((v) => [v.hash, v]));
        let next = have.reduce((m, v) => Math.max(m, v.version), 0) + 1;
        // Every version of theirs this store lacks, parents first (a version that no longer reads in the backup
        // cannot be there: the backup's rows are checked on reading).
        for (const v of c.missing) {
          if (known.has(v.hash)) continue;
          const row = their.rows.get(v.hash) as ScorecardVersionRow;
          const added: ScorecardVersionRow = {
            ...row,
            version: next++,
            message:
              c.kind === "diverged" ? `${row.message} (version ${row.version} in ${meta.fileName})` : row.message,
          };
          if (write) await db.scorecardVersions.add(added);
          known.set(v.hash, added);
          entry.versionsAdded++;
        }
        const theirHead = known.get(c.theirs);
        if (c.kind === "diverged" && theirHead) entry.theirsHere = theirHead.version;
        if (write && c.kind === "theirsAhead" && theirHead) {
          await db.scorecards.put(
            live
              ? { ...live, version: theirHead.version }
              : { id, scorecard: theirHead.scorecard, version: theirHead.version, updatedAt: theirHead.savedAt },
          );
        }
      }
      changes.scorecards.push(entry);
    }
    // Keyed tables and auto-numbered ones.
    for (const t of ROW_TABLES) {
      const key = KEYS[t];
      const content_ = CONTENT[t];
      if (!key && !content_) continue;
      const count = { added: 0, same: 0, kept: 0, updated: 0 };
      const stored = (await db.table(t).toArray()) as Record<string, unknown>[];
      const put: unknown[] = [];
      const by = new Map(stored.map((r) => [(key ?? (content_ as (r: Record<string, unknown>) => string))(r), r]));
      const add: unknown[] = [];
      for (const row of content.rows[t] as Record<string, unknown>[]) {
        if (key) {
          const mine = by.get(key(row));
          if (!mine) add.push(row);
          else if (stable(mine) === stable(row)) count.same++;
          else {
            const taken = TAKE_THEIRS[t]?.(mine, row);
            if (taken) {
              put.push(taken);
              count.updated++;
            } else count.kept++;
          }
        } else if (content_) {
          if (by.has(content_(row))) count.same++;
          else {
            const { id: _id, ...fresh } = row;
            add.push(fresh);
          }
        }
      }
      count.added = add.length;
      if (write && add.length > 0) await db.table(t).bulkAdd(add);
      if (write && put.length > 0) await db.table(t).bulkPut(put);
      changes.tables[t] = count;
    }
    // Accounts and observations, through the import log.
    const known = new Set((await db.accounts.toCollection().primaryKeys()) as string[]);
    const accountsSame = content.rows.accounts.filter((a) => known.has((a as { id: string }).id)).length;
    changes.tables.accounts = {
      added: content.rows.accounts.length - accountsSame,
      same: 0,
      kept: accountsSame,
      updated: 0,
    };
    if (write && (content.blocks.length > 0 || changes.tables.accounts.added > 0)) {
      const row = await applyImport(
        db,
        mergePlan(content, meta.fileName, known),
        { id: meta.id, at: meta.at },
        (done, total) => {
          options.stop?.();
          options.onProgress?.("writing", done, total);
        },
      );
      changes.data = row.counts as unknown as ImportCounts;
    }
    if (write) await inputsChanged(db);
    return changes;
  });
}

/** The lineage of each live scorecard of a backup (as `scorecardLineages` gives them from a store), by id. */
export function backupScorecardLineages(content: BackupContent): ScorecardLineage[] {
  const versions = versionsById(content.rows.scorecardVersions as ScorecardVersionRow[]);
  return (content.rows.scorecards as ScorecardRow[])
    .map((row) => storedLineage(row.id, versions.get(row.id) ?? [], row.version).lineage)
    .filter((l) => l.versions.some((v) => v.hash === l.head))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
