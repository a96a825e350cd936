import * as Comlink from "comlink";
import { detectDelimiter, headOf, planCsv, readCsv, type TextPieces } from "../io/csv.ts";
import { writeCsv } from "../io/csv-write.ts";
import { guessImport, type ImportGuess, savedMappingFor } from "../io/guess.ts";
import { Mapping } from "../io/mapping.ts";
import type { ImportPlan, RowReject } from "../io/plan.ts";
import { groupRejects, type RejectGroup, rejectsTable } from "../io/rejects.ts";
import { standardAccountsMapping, standardObservationsMapping, standardOutcomesMapping } from "../io/standard.ts";
import { Account } from "../schema/account.ts";
import { type Bundle, restoreBundle } from "../schema/bundle.ts";
import { localIsoDay } from "../schema/day.ts";
import { issuesOf } from "../schema/issues.ts";
import { withSchema } from "../schema/json-schemas.ts";
import { type BackupContent, backupBlob, readBackup, writeBackup } from "../store/backup.ts";
import { type MergeChanges, mergeBackup } from "../store/backup-merge.ts";
import { discardReplacedBackup, replacedBackup, replaceWithBackup, storeIsEmpty } from "../store/backup-restore.ts";
import {
  type BundleChanges,
  type BundleScope,
  exportBundle,
  importBundle,
  previewBundleImport,
} from "../store/bundles.ts";
import type { ImportRow, VitalsDb } from "../store/db.ts";
import { describeWriteError, storageHealth, type WriteContext } from "../store/health.ts";
import {
  applyImport,
  type ImportCounts,
  type ImportExtras,
  type ImportPreview,
  importBytes,
  previewImport,
  undoImport,
} from "../store/imports.ts";
import { deleteMapping, listMappings, type SavedMapping, saveMapping } from "../store/mappings.ts";
import { blobText } from "./blob-text.ts";
import { namedError } from "./runtime/errors.ts";

/** The first rows of a file, for the import wizard to show while the user maps columns. */
export interface FilePeek {
  header: string[];
  rows: { line: number; cells: string[] }[];
  delimiter: string;
  /** What the file seems to hold and how it is written, from its first rows (see guessImport). */
  guess: ImportGuess;
  /** A saved mapping that reads this file's columns (the best fit), to preselect. */
  savedMapping?: string;
}

/** Rows a peek reads to guess from (only the first ones are sent to the page). */
const GUESS_ROWS = 500;

/** The dry run of one file under one mapping: what would change, and the rows that cannot be imported. */
export interface ImportDryRun {
  planId: string;
  fileName: string;
  shape: string;
  counts: ImportCounts;
  /** The first MAX_REJECTS_SHOWN rejected rows (line, column, reason); all of them via rejectsCsv(planId). */
  rejects: RowReject[];
  rejectsTotal: number;
  /** Every rejected row grouped by column and problem, with the fix in words when known (largest first). */
  rejectGroups: RejectGroup[];
  /** Links and covered periods the import adds. */
  extras: ImportExtras;
  /** Per covered metric of an events file: accounts counted 0, and the factors that stay missing for them. */
  zeroFill: ImportPreview["zeroFill"];
  /** Per metric: the same-day rule that applied and how many days it combined. */
  sameDay: ImportPreview["sameDay"];
  /** The first MAX_REJECTS_SHOWN rows the same-day rules folded into another's value or left out (line, why). */
  combined: ImportPreview["combined"];
  combinedTotal: number;
  /** Accounts on several rows, merged by the mapping's rule. */
  repeated?: ImportPreview["repeated"];
}

/** What a bundle file holds, before it is imported. */
export interface BundleSummary {
  bundleId: string;
  fileName: string;
  version: number;
  /** The version the file was written in, when it was upgraded on reading. */
  upgradedFrom?: number;
  exportedAt: string | null;
  scorecards: string[];
  accounts: number;
  observations: number;
  manualInputs: number;
  outcomes: number;
  overrides: number;
}

/** What a backup file holds, read and checked whole, before it is restored. */
export interface BackupSummary {
  backupId: string;
  fileName: string;
  version: number;
  exportedAt: string;
  /** Rows per table, and observations, as its manifest counts them (checked against the file). */
  counts: Record<string, number>;
  observations: number;
  /** Whether this store holds nothing a user made (then a restore simply fills it). */
  storeEmpty: boolean;
  /** What a merge would add and keep (a dry run); absent when the store is empty. */
  merge?: MergeChanges;
}

/** A kept backup of what a "replace" restore replaced. */
export interface ReplacedSummary {
  at: string;
  /** The backup file that replaced it. */
  fileName: string;
  bytes: number;
}

/** Where an import is: reading the file, comparing with the store, or writing. */
export type ImportPhase = "reading" | "comparing" | "writing";
/** Progress of an import job: its phase, and work done out of the total in that phase (bytes or observations). */
export type ImportProgress = (phase: ImportPhase, done: number, total: number) => void | Promise<void>;

/** Rejected rows sent with a dry run; the rest are downloadable. */
export const MAX_REJECTS_SHOWN = 1000;
/** Dry runs kept for applying; an older one must be planned again. */
const PLANS_KEPT = 3;

/** What a failed import was writing: its file, about how much room it needs, and how much the browser has left. */
async function writeContext(plan: ImportPlan): Promise<WriteContext> {
  const health = await storageHealth().catch(() => undefined);
  const free =
    health?.quota !== undefined && health.usage !== undefined ? Math.max(0, health.quota - health.usage) : undefined;
  return {
    fileName: plan.fileName,
    bytesNeeded: importBytes(plan),
    ...(free === undefined ? {} : { bytesFree: free }),
  };
}

/** Normalizes an error from a cancelled read or write to an AbortError. */
function asAbort(error: unknown, jobId: string): unknown {
  return (error as { name?: string })?.name === "AbortError"
    ? namedError("AbortError", `job "${jobId}" was cancelled`)
    : error;
}

/**
 * The import API, run in a worker: files are read and checked there (never on the page's thread), the dry run
 * is kept there until applied, and writes go to IndexedDB from there. Long jobs report progress and stop when
 * `cancel(jobId)` is called; a cancelled or failed write leaves the store as it was.
 */
export function createDataApi(openDb: () => VitalsDb) {
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openDb();
    return db;
  };
  const jobs = new Map<string, { cancelled: boolean }>();
  const plans = new Map<string, ImportPlan>();
  const bundles = new Map<string, { fileName: string; bundle: Bundle }>();
  /** The backup read last (one at a time: a tier M backup holds hundreds of MB of observations). */
  let backup: { backupId: string; fileName: string; content: BackupContent } | undefined;
  let planCounter = 0;

  async function runJob<T>(
    jobId: string,
    onProgress: ImportProgress | undefined,
    work: (job: { cancelled: boolean }) => Promise<T>,
  ): Promise<T> {
    if (jobs.has(jobId)) throw namedError("InputError", `job "${jobId}" is already running`);
    const job = { cancelled: false };
    jobs.set(jobId, job);
    try {
      return await work(job);
    } catch (error) {
      throw asAbort(error, jobId);
    } finally {
      jobs.delete(jobId);
      // A progress callback from another thread is a Comlink proxy holding a MessagePort: let it go.
      const release = (onProgress as { [Comlink.releaseProxy]?: unknown } | undefined)?.[Comlink.releaseProxy];
      if (typeof release === "function") release();
    }
  }

  /** A stop check for a job: throws an AbortError once it is cancelled. */
  const stopper = (job: { cancelled: boolean }, jobId: string) => () => {
    if (job.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
  };

  /** Calls a (possibly remote) progress callback without waiting for it; a slow page must not slow the job. */
  const report = (onProgress: ImportProgress | undefined, phase: ImportPhase, done: number, total: number) => {
    if (onProgress) Promise.resolve(onProgress(phase, done, total)).catch(() => undefined);
  };

  function parseMapping(mapping: unknown): Mapping {
    const parsed = Mapping.safeParse(mapping);
    if (parsed.success) return parsed.data;
    const lines = issuesOf(parsed.error).map((i) => `${i.path.replace(/^\$/, "mapping")}: ${i.message}`);
    throw namedError("InputError", `the mapping is not valid:\n${lines.join("\n")}`);
  }

  function planOf(planId: string): ImportPlan {
    const plan = plans.get(planId);
    if (!plan) throw namedError("InputError", "this dry run is no longer available: run the dry run again");
    return plan;
  }

  return {
    async ping(): Promise<"pong"> {
      return "pong";
    },

    /**
     * The header and first rows of a file (the separator detected), for mapping its columns, with what the file
     * seems to hold (guessed from up to GUESS_ROWS rows) and the saved mapping that fits its columns, if any.
     */
    async peek(fileName: string, input: string | Blob, rows = 10): Promise<FilePeek> {
      const peek = { header: [] as string[], rows: [] as FilePeek["rows"], delimiter: "," };
      const sample: string[][] = [];
      // Only the start of a file is read: a peek at a 1 GB export stays instant.
      const head = typeof input === "string" ? input.slice(0, 1 << 18) : blobText(input.slice(0, 1 << 18));
      const stop = { aborted: false };
      peek.delimiter = detectDelimiter(await headOf(head));
      await readCsv(
        fileName,
        head,
        {
          header(cells) {
            peek.header = cells;
          },
          row(line, cells) {
            if (peek.rows.length < rows) peek.rows.push({ line, cells });
            if (sample.length < Math.max(rows, GUESS_ROWS)) sample.push(cells);
            else stop.aborted = true;
          },
        },
        { signal: stop, delimiter: peek.delimiter },
      ).catch((error: unknown) => {
        if ((error as { name?: string })?.name !== "AbortError")
          throw namedError("InputError", (error as Error).message);
      });
      // A store that cannot be read only loses the suggestion, never the peek.
      const stored = await listMappings(store()).catch(() => ({ mappings: [] }));
      const saved = savedMappingFor(peek.header, stored.mappings);
      return {
        ...peek,
        guess: guessImport(peek.header, sample, fileName),
        ...(saved ? { savedMapping: saved.name } : {}),
      };
    },

    /**
     * The dry run: reads the whole file under the mapping (in this worker), compares it with the store and keeps
     * the plan for `applyImport`. Nothing is written. Progress: "reading" in bytes, then "comparing" in observations.
     */
    async planImport(
      jobId: string,
      fileName: string,
      input: string | Blob,
      mapping: unknown,
      onProgress?: ImportProgress,
    ): Promise<ImportDryRun> {
      const parsed = parseMapping(mapping);
      return runJob(jobId, onProgress, async (job) => {
        const existing = (await store().accounts.toArray()).map((row) => Account.parse(row));
        const links = await store().links.toArray();
        const text: string | TextPieces = typeof input === "string" ? input : blobText(input);
        const plan = await planCsv(fileName, text, parsed, existing, {
          links,
          signal: {
            get aborted() {
              return job.cancelled;
            },
          },
          onProgress: (done, total) => report(onProgress, "reading", done, total),
        }).catch((error: unknown) => {
          if ((error as { name?: string })?.name === "AbortError") throw error;
          throw namedError("InputError", (error as Error).message);
        });
        const preview = await previewImport(store(), plan, (done, total) => {
          if (job.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
          report(onProgress, "comparing", done, total);
        });
        const planId = `plan-${++planCounter}`;
        plans.set(planId, plan);
        for (const old of plans.keys()) if (plans.size > PLANS_KEPT) plans.delete(old);
        return {
          planId,
          fileName,
          shape: plan.shape,
          counts: preview.counts,
          rejects: plan.rejects.slice(0, MAX_REJECTS_SHOWN),
          rejectsTotal: plan.rejects.length,
          rejectGroups: groupRejects(plan.rejects),
          extras: preview.extras,
          zeroFill: preview.zeroFill,
          sameDay: preview.sameDay,
          combined: preview.combined.slice(0, MAX_REJECTS_SHOWN),
          combinedTotal: preview.combined.length,
          ...(preview.repeated ? { repeated: preview.repeated } : {}),
        };
      });
    },

    /**
     * The mapping of a Vitals accounts, observations or outcomes file, worked out from its header (the same one the CLI uses
     * for --accounts and --observations); an InputError names the missing columns.
     */
    async standardMapping(
      kind: "accounts" | "observations" | "outcomes",
      fileName: string,
      header: string[],
    ): Promise<Mapping> {
      try {
        if (kind === "outcomes") return standardOutcomesMapping(fileName, header);
        return kind === "accounts"
          ? standardAccountsMapping(fileName, header)
          : standardObservationsMapping(fileName, header);
      } catch (error) {
        throw namedError("InputError", (error as Error).message);
      }
    },

    /**
     * Every rejected row of a dry run as CSV, for the user to fix the file: line, column and reason, then the row
     * as the file had it, under the file's header.
     */
    async rejectsCsv(planId: string): Promise<string> {
      const plan = planOf(planId);
      const { fields, rows } = rejectsTable(plan.header ?? [], plan.rejects, plan.rejectedCells);
      return writeCsv(fields, rows);
    },

    /**
     * Applies a dry run in one transaction, all or nothing. A failed write (a full disk: QuotaExceededError) or a
     * cancel rolls the whole import back; the error says so in words a user can act on.
     */
    async applyImport(jobId: string, planId: string, onProgress?: ImportProgress): Promise<ImportRow> {
      const plan = planOf(planId);
      return runJob(jobId, onProgress, async (job) => {
        const id = `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        try {
          const row = await applyImport(store(), plan, { id, at: new Date().toISOString() }, (done, total) => {
            if (job.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
            report(onProgress, "writing", done, total);
            if (job.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
          });
          plans.delete(planId);
          return row;
        } catch (error) {
          // Only a cancel is an abort: Dexie also names a transaction that IndexedDB aborted "AbortError" (a full
          // disk: its inner error is a QuotaExceededError), and that is a failed write.
          const failed = error as { name?: string; inner?: { name?: string } } | undefined;
          if (job.cancelled && (failed?.name === "AbortError" || failed?.inner?.name === "AbortError")) {
            throw namedError("AbortError", `job "${jobId}" was cancelled`);
          }
          throw namedError("WriteError", describeWriteError(error, await writeContext(plan)));
        }
      });
    },

    /** Undoes an import (the latest one still applied), restoring exactly the state before it. */
    async undoImport(importId: string): Promise<void> {
      try {
        await undoImport(store(), importId);
      } catch (error) {
        const message = (error as Error).message;
        if (/^(there is no import|the import of|undo the later import)/.test(message)) {
          throw namedError("InputError", message);
        }
        throw namedError("WriteError", describeWriteError(error));
      }
    },

    /** The import log, newest first. */
    async listImports(): Promise<ImportRow[]> {
      return (await store().imports.orderBy("seq").reverse().toArray()) as ImportRow[];
    },

    async saveMapping(name: string, mapping: unknown): Promise<SavedMapping> {
      try {
        return await saveMapping(store(), name, mapping, new Date().toISOString());
      } catch (error) {
        throw namedError("InputError", (error as Error).message);
      }
    },

    async listMappings(): Promise<{ mappings: SavedMapping[]; invalid: string[] }> {
      return listMappings(store());
    },

    async deleteMapping(name: string): Promise<boolean> {
      return deleteMapping(store(), name);
    },

    /** Asks a running job to stop; true when it was running. Its promise rejects with an AbortError. */
    async cancel(jobId: string): Promise<boolean> {
      const job = jobs.get(jobId);
      if (job) job.cancelled = true;
      return job !== undefined;
    },

    /** The store as a bundle file's text: scorecards only, or everything. */
    async exportBundle(scope: BundleScope): Promise<{ fileName: string; text: string }> {
      const bundle = await exportBundle(store(), scope);
      const day = localIsoDay(bundle.exportedAt);
      return {
        fileName: `vitals-${scope === "scorecards" ? "scorecards" : "everything"}-${day}.json`,
        text: `${JSON.stringify(withSchema("bundle", bundle), null, 2)}\n`,
      };
    },

    /**
     * Reads a bundle file (older versions upgraded) and keeps it for preview and import; what it holds, or an
     * InputError listing every problem with its JSON path.
     */
    async readBundle(fileName: string, input: string | Blob): Promise<BundleSummary> {
      const text = typeof input === "string" ? input : await input.text();
      let json: unknown;
      try {
        json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch (error) {
        throw namedError("InputError", `${fileName} is not a bundle: not valid JSON (${(error as Error).message})`);
      }
      const read = restoreBundle(json);
      if (!read.ok) {
        const lines = read.issues.slice(0, 50).map((i) => `${fileName}: ${i.path}: ${i.message}`);
        const more = read.issues.length > 50 ? `\n… and ${read.issues.length - 50} more` : "";
        throw namedError(
          "InputError",
          `${fileName} is not a valid bundle; nothing was imported:\n${lines.join("\n")}${more}`,
        );
      }
      const bundleId = `bundle-${++planCounter}`;
      bundles.set(bundleId, { fileName, bundle: read.value });
      for (const old of bundles.keys()) if (bundles.size > PLANS_KEPT) bundles.delete(old);
      const b = read.value;
      return {
        bundleId,
        fileName,
        version: b.version,
        ...(read.upgradedFrom === undefined ? {} : { upgradedFrom: read.upgradedFrom }),
        exportedAt: b.exportedAt ?? null,
        scorecards: b.scorecards.map((c) => c.name),
        accounts: b.accounts?.length ?? 0,
        observations: b.observations?.length ?? 0,
        manualInputs: b.manualInputs?.length ?? 0,
        outcomes: b.outcomes?.length ?? 0,
        overrides: b.overrides?.length ?? 0,
      };
    },

    /** What importing a read bundle would change, merging by id or replacing. Writes nothing. */
    async previewBundle(bundleId: string, mode: "merge" | "replace"): Promise<BundleChanges> {
      const read = bundles.get(bundleId);
      if (!read) throw namedError("InputError", "this bundle is no longer available: choose the file again");
      return previewBundleImport(store(), read.bundle, mode, read.fileName);
    },

    /** Imports a read bundle in one transaction; a failed write leaves the store as it was. */
    async importBundle(bundleId: string, mode: "merge" | "replace"): Promise<BundleChanges> {
      const read = bundles.get(bundleId);
      if (!read) throw namedError("InputError", "this bundle is no longer available: choose the file again");
      try {
        const id = `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        const changes = await importBundle(store(), read.bundle, mode, {
          id,
          at: new Date().toISOString(),
          fileName: read.fileName,
        });
        bundles.delete(bundleId);
        return changes;
      } catch (error) {
        throw namedError("WriteError", describeWriteError(error));
      }
    },

    /**
     * Writes a backup of everything the user made (docs/formats.md, "Backup file"); cancellable, with progress in
     * year blocks written ("writing").
     */
    async exportBackup(
      jobId: string,
      onProgress?: ImportProgress,
    ): Promise<{ fileName: string; blob: Blob; counts: Record<string, number>; observations: number }> {
      return runJob(jobId, onProgress, async (job) => {
        const { blob, manifest } = await writeBackup(store(), {
          onProgress: (phase, done, total) => report(onProgress, phase, done, total),
          stop: stopper(job, jobId),
        });
        const day = localIsoDay(new Date());
        return {
          fileName: `vitals-backup-${day}.vitals.gz`,
          blob,
          counts: manifest.counts,
          observations: manifest.observations,
        };
      });
    },

    /**
     * Reads a backup file whole and checks it (header, every frame and row, counts, checksum) and keeps it for
     * restoring; what it holds and, for a store that is not empty, what a merge would do. A file that is not right
     * is refused with an InputError saying what is wrong. Progress in bytes read ("reading").
     */
    async readBackup(jobId: string, fileName: string, file: Blob, onProgress?: ImportProgress): Promise<BackupSummary> {
      return runJob(jobId, onProgress, async (job) => {
        backup = undefined;
        const content = await readBackup(file, fileName, {
          onProgress: (phase, done, total) => report(onProgress, phase, done, total),
          stop: stopper(job, jobId),
        });
        const backupId = `backup-${++planCounter}`;
        backup = { backupId, fileName, content };
        const storeEmpty = await storeIsEmpty(store());
        const merge = storeEmpty
          ? undefined
          : await mergeBackup(
              store(),
              content,
              { id: "preview", at: new Date().toISOString(), fileName },
              { dryRun: true },
            );
        return {
          backupId,
          fileName,
          version: content.header.version,
          exportedAt: content.header.exportedAt,
          counts: content.manifest.counts,
          observations: content.manifest.observations,
          storeEmpty,
          ...(merge ? { merge } : {}),
        };
      });
    },

    /**
     * Restores a read backup. Replace: in one transaction the store becomes the backup's (a store that held
     * anything is first written to a backup kept until discardReplacedBackup). Merge: adds what the store lacks and
     * keeps what it has (see mergeBackup). A cancel or a failed write leaves the store as it was.
     */
    async restoreBackup(
      jobId: string,
      backupId: string,
      mode: "merge" | "replace",
      onProgress?: ImportProgress,
    ): Promise<{ mode: "merge" | "replace"; merge?: MergeChanges; kept: boolean }> {
      const read = backup?.backupId === backupId ? backup : undefined;
      if (!read) throw namedError("InputError", "this backup is no longer available: choose the file again");
      return runJob(jobId, onProgress, async (job) => {
        const stop = stopper(job, jobId);
        const progress = (phase: ImportPhase, done: number, total: number) => report(onProgress, phase, done, total);
        try {
          if (mode === "merge") {
            const id = `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
            const merge = await mergeBackup(
              store(),
              read.content,
              { id, at: new Date().toISOString(), fileName: read.fileName },
              { onProgress: progress, stop },
            );
            backup = undefined;
            return { mode, merge, kept: false };
          }
          let keep: { at: string; fileName: string; bytes: Uint8Array } | undefined;
          if (!(await storeIsEmpty(store()))) {
            const current = await writeBackup(store(), { stop });
            keep = {
              at: new Date().toISOString(),
              fileName: read.fileName,
              bytes: new Uint8Array(await current.blob.arrayBuffer()),
            };
          }
          await replaceWithBackup(store(), read.content, { ...(keep ? { keep } : {}), onProgress: progress, stop });
          backup = undefined;
          return { mode, kept: keep !== undefined };
        } catch (error) {
          if (job.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
          throw namedError("WriteError", describeWriteError(error));
        }
      });
    },

    /** The backup a "replace" restore kept of what it replaced, or null. */
    async replacedBackup(): Promise<ReplacedSummary | null> {
      const kept = await replacedBackup(store());
      return kept ? { at: kept.at, fileName: kept.fileName, bytes: kept.bytes.byteLength } : null;
    },

    /** The kept backup as a file to save. */
    async replacedBackupFile(): Promise<{ fileName: string; blob: Blob } | null> {
      const kept = await replacedBackup(store());
      return kept
        ? { fileName: `vitals-backup-before-${localIsoDay(kept.at)}.vitals.gz`, blob: backupBlob(kept.bytes) }
        : null;
    },

    /** Puts the kept backup back (replacing what the restore brought), then lets it go. */
    async putBackReplaced(jobId: string, onProgress?: ImportProgress): Promise<void> {
      const kept = await replacedBackup(store());
      if (!kept) throw namedError("InputError", "there is no kept backup to put back");
      await runJob(jobId, onProgress, async (job) => {
        const stop = stopper(job, jobId);
        const content = await readBackup(backupBlob(kept.bytes), "the kept backup", { stop });
        await replaceWithBackup(store(), content, {
          onProgress: (phase, done, total) => report(onProgress, phase, done, total),
          stop,
        });
        await discardReplacedBackup(store());
      });
    },

    /** Lets the kept backup go (the user checked the restored data). */
    async discardReplacedBackup(): Promise<void> {
      await discardReplacedBackup(store());
    },

    /** Closes the database (a test, or before the page upgrades it). */
    async close(): Promise<void> {
      db?.close();
      db = undefined;
    },
  };
}

/** The import API's type, as clients see it. */
export type DataApi = ReturnType<typeof createDataApi>;
