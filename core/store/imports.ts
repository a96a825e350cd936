import { mergeRanges, rangesContain, type ZeroFill, zeroFillOf } from "../io/coverage.ts";
import type { CombinedRow, ImportPlan, RowReject, SameDaySummary } from "../io/plan.ts";
import { Account } from "../schema/account.ts";
import { formatDay, parseIsoDay } from "../schema/day.ts";
import type { Outcome } from "../schema/observation.ts";
import { type KnownRows, noneStored, readBlocks, writeBlocks } from "./block-table.ts";
import {
  type BlockUpdate,
  blockUpdatesOf,
  type CellCounts,
  type MergedBlock,
  mergeBlock,
  unpatchBlock,
} from "./blocks.ts";
import type {
  BlockPatch,
  CoverageRow,
  ImportRow,
  LinkRow,
  OutcomeRow,
  StoredAccount,
  UndoRow,
  VitalsDb,
  YearBlockRow,
} from "./db.ts";
import { listScorecards } from "./scorecards.ts";
import { inputsChanged } from "./views.ts";

/** What an import will change (the dry run) or did change. */
export interface ImportCounts {
  accountsNew: number;
  accountsUpdated: number;
  accountsUnchanged: number;
  observationsNew: number;
  observationsUpdated: number;
  observationsUnchanged: number;
  /** Outcomes on a day the account had none, of another kind than stored (replaced), or as stored. */
  outcomesNew: number;
  outcomesUpdated: number;
  outcomesUnchanged: number;
  /** Rows rejected (each listed in `rejects` with line, column and reason). */
  rowsRejected: number;
  rowsSkipped: number;
  /** Rows whose value the same-day rules folded into another row's or left out (each listed in `combined`). */
  rowsCombined: number;
  rowsRead: number;
}

/** What a links file or an events file's period adds besides rows: new links and newly covered periods. */
export interface ImportExtras {
  linksNew: number;
  linksUnchanged: number;
  /** Metrics whose covered days grow (the rest were already covered). */
  coverageNew: number;
  coverageUnchanged: number;
}

/** The dry run's report: counts and every rejected row, and what the file's rules and period mean. */
export interface ImportPreview {
  counts: ImportCounts;
  rejects: RowReject[];
  extras: ImportExtras;
  /** Per covered metric: accounts with events, accounts counted 0, factors that stay missing for them. */
  zeroFill: ZeroFill[];
  /** Per metric: the same-day rule applied, and how many days it combined. */
  sameDay: SameDaySummary[];
  /** Every row the same-day rules folded into another row's value or left out, by line, with why. */
  combined: CombinedRow[];
  /** Accounts on several rows merged by the mapping's rule. */
  repeated?: ImportPlan["repeated"];
}

/** Rows read or written per IndexedDB request: large enough to be fast, small enough to keep memory flat. */
const BATCH = 2000;

/** A stable text form of a value, with object keys sorted, to tell whether a row really changed. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** Whether a stored account row differs from the account an import would write. */
function accountChanged(stored: StoredAccount | undefined, next: Account): boolean {
  return !stored || canonical(Account.parse(stored)) !== canonical(next);
}

function emptyCounts(plan: ImportPlan): ImportCounts {
  return {
    accountsNew: 0,
    accountsUpdated: 0,
    accountsUnchanged: 0,
    observationsNew: 0,
    observationsUpdated: 0,
    observationsUnchanged: 0,
    outcomesNew: 0,
    outcomesUpdated: 0,
    outcomesUnchanged: 0,
    rowsRejected: new Set(plan.rejects.map((r) => r.line)).size,
    rowsSkipped: plan.rowsSkipped,
    rowsCombined: new Set(plan.combined.map((r) => r.line)).size,
    rowsRead: plan.rowsRead,
  };
}

/**
 * Walks what a plan would change, reading the stored rows it touches in batches. `onAccount` and `onBlock` get
 * each row that would change, with its before-image; nothing is written here.
 */
async function walk(
  db: VitalsDb,
  plan: ImportPlan,
  onAccount: (next: Account, before: StoredAccount | undefined) => void,
  /**
   * Writes a batch's changed blocks (`known`: the stored rows they were read from); returns undefined when it has
   * nothing to write (see walk's note).
   */
  onBlocks: (changed: MergedBlock[], known: KnownRows) => Promise<void> | undefined,
  counts: ImportCounts,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  for (let i = 0; i < plan.accounts.length; i += BATCH) {
    const batch = plan.accounts.slice(i, i + BATCH);
    const stored = await db.accounts.bulkGet(batch.map((a) => a.id));
    batch.forEach((next, k) => {
      const before = stored[k];
      if (!before) counts.accountsNew++;
      else if (accountChanged(before, next)) counts.accountsUpdated++;
      else {
        counts.accountsUnchanged++;
        return;
      }
      onAccount(next, before);
    });
  }
  const total = plan.observations.length;
  const tableWasEmpty = total > 0 && (await db.accountYears.count()) === 0;
  let done = 0;
  let pending: BlockUpdate[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const keys = pending.map((u) => [u.accountId, u.metric, u.year] as const);
    // Into an empty table nothing is read: a batch ends between accounts, so no earlier batch wrote its rows.
    const { blocks: stored, known } = tableWasEmpty ? noneStored(keys) : await readBlocks(db, keys);
    const changed: MergedBlock[] = [];
    pending.forEach((update, k) => {
      const merged = mergeBlock(stored[k], update);
      add(counts, merged.counts);
      done += update.days.length;
      // A block the file leaves as it is is neither written nor recorded for undo.
      if (merged.counts.new + merged.counts.updated > 0) changed.push(merged);
    });
    pending = [];
    // Inside a Dexie transaction, awaiting a native promise that did no IndexedDB work loses the transaction
    // (Dexie then reports "Transaction committed too early"): only await when there was something to write.
    const written = onBlocks(changed, known);
    if (written) await written;
    onProgress?.(done, total);
  };
  for (const update of blockUpdatesOf(plan.observations)) {
    // A batch ends between accounts, so an account × year's row is read and written once.
    if (pending.length >= BATCH && pending.at(-1)?.accountId !== update.accountId) await flush();
    pending.push(update);
  }
  await flush();
}

/** An outcome the import writes, and the stored outcomes of its account and day it replaces. */
interface OutcomeChange {
  next: Outcome;
  replaced: OutcomeRow[];
}

const outcomeKey = (o: { accountId: string; day: string; kind: string }) =>
  [o.accountId, o.day, o.kind] as [string, string, string];

/**
 * Compares a plan's outcomes with the stored ones, in batches: an account has one outcome a day, so a stored one of
 * that day and another kind is replaced, and one of the same kind is left alone. `onBatch` gets each batch's
 * changes (nothing is written here).
 */
async function walkOutcomes(
  db: VitalsDb,
  plan: ImportPlan,
  counts: ImportCounts,
  onBatch: (changes: OutcomeChange[]) => Promise<void> | undefined,
): Promise<void> {
  for (let i = 0; i < plan.outcomes.length; i += BATCH) {
    const batch = plan.outcomes.slice(i, i + BATCH);
    const stored = await db.outcomes
      .where("accountId")
      .anyOf([...new Set(batch.map((o) => o.accountId))])
      .toArray();
    const byDay = new Map<string, OutcomeRow[]>();
    for (const row of stored) {
      const key = `${row.accountId}\u0000${row.day}`;
      byDay.set(key, [...(byDay.get(key) ?? []), row]);
    }
    const changes: OutcomeChange[] = [];
    for (const next of batch) {
      const same = byDay.get(`${next.accountId}\u0000${next.day}`) ?? [];
      if (same.length === 1 && same[0]?.kind === next.kind) counts.outcomesUnchanged++;
      else {
        if (same.length === 0) counts.outcomesNew++;
        else counts.outcomesUpdated++;
        changes.push({ next, replaced: same.filter((row) => row.kind !== next.kind) });
      }
    }
    // As in walk: only await when there is something to write, so a Dexie transaction is not lost.
    const written = changes.length === 0 ? undefined : onBatch(changes);
    if (written) await written;
  }
}

const linkKey = (l: { kind: string; key: string }) => [l.kind, l.key] as [string, string];
const coverageKey = (c: CoverageRow) => [c.metric, c.from, c.to] as [string, string, string];

/**
 * The links and covered periods a plan adds (the ones already stored are left alone, so the same file twice
 * changes nothing). A link stored for another account never gets here: the planner rejects its row.
 */
async function walkExtras(
  db: VitalsDb,
  plan: ImportPlan,
): Promise<{ links: LinkRow[]; coverage: CoverageRow[]; extras: ImportExtras }> {
  const extras: ImportExtras = { linksNew: 0, linksUnchanged: 0, coverageNew: 0, coverageUnchanged: 0 };
  const links: LinkRow[] = [];
  for (let i = 0; i < plan.links.length; i += BATCH) {
    const batch = plan.links.slice(i, i + BATCH);
    const stored = await db.links.bulkGet(batch.map(linkKey));
    batch.forEach((link, k) => {
      if (stored[k]?.accountId === link.accountId) extras.linksUnchanged++;
      else {
        extras.linksNew++;
        links.push({ kind: link.kind, key: link.key, accountId: link.accountId });
      }
    });
  }
  const coverage: CoverageRow[] = [];
  for (const c of plan.coverage) {
    const stored = await db.coverage.where("metric").equals(c.metric).toArray();
    const ranges = mergeRanges(stored.map((r) => ({ from: parseIsoDay(r.from) ?? 0, to: parseIsoDay(r.to) ?? -1 })));
    if (rangesContain(ranges, c.from, c.to)) extras.coverageUnchanged++;
    else {
      extras.coverageNew++;
      coverage.push({ metric: c.metric, from: formatDay(c.from), to: formatDay(c.to) });
    }
  }
  return { links, coverage, extras };
}

function add(counts: ImportCounts, c: CellCounts): void {
  counts.observationsNew += c.new;
  counts.observationsUpdated += c.updated;
  counts.observationsUnchanged += c.unchanged;
}

/** The dry run: what the import would add, change and leave alone, and every rejected row. Writes nothing. */
export async function previewImport(
  db: VitalsDb,
  plan: ImportPlan,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportPreview> {
  const counts = emptyCounts(plan);
  let extras: ImportExtras | undefined;
  let zeroFill: ZeroFill[] = [];
  // The scope is an async function so Dexie follows the native awaits inside walk (it only does for async scopes).
  await db.transaction(
    "r",
    [db.accounts, db.accountYears, db.outcomes, db.links, db.coverage, db.scorecards],
    async () => {
      await walk(
        db,
        plan,
        () => {},
        () => undefined,
        counts,
        onProgress,
      );
      await walkOutcomes(db, plan, counts, () => undefined);
      extras = (await walkExtras(db, plan)).extras;
      if (plan.coverage.length > 0) {
        const accountsTotal = (await db.accounts.count()) + counts.accountsNew;
        zeroFill = zeroFillOf(plan, accountsTotal, await listScorecards(db));
      }
    },
  );
  return {
    counts,
    rejects: plan.rejects,
    extras: extras as ImportExtras,
    zeroFill,
    sameDay: plan.sameDay,
    combined: plan.combined,
    ...(plan.repeated ? { repeated: plan.repeated } : {}),
  };
}

/**
 * Applies an import in one transaction (all or nothing), recording the before-image of every row it changes
 * under the import's id, so `undoImport` can restore exactly the state before it. Rejected rows are not
 * imported; the rest is. Returns the import's log entry.
 */
export async function applyImport(
  db: VitalsDb,
  plan: ImportPlan,
  meta: { id: string; at: string },
  onProgress?: (done: number, total: number) => void,
): Promise<ImportRow> {
  const counts = emptyCounts(plan);
  let seq = 0;
  const undo = async (table: UndoRow["table"], entries: UndoRow["entries"]) => {
    await db.importUndo.add({ importId: meta.id, seq: seq++, table, entries });
  };
  const tables = [db.accounts, db.accountYears, db.outcomes, db.imports, db.importUndo, db.meta, db.links, db.coverage];
  return db.transaction("rw", tables, async () => {
    if (await db.imports.get(meta.id)) throw new Error(`an import with id ${meta.id} already exists`);
    const accounts: Account[] = [];
    const accountBefore: UndoRow["entries"][number][] = [];
    await walk(
      db,
      plan,
      (next, before) => {
        accounts.push(next);
        accountBefore.push({ key: next.id, before: before ?? null });
      },
      (changed, known) =>
        changed.length === 0
          ? undefined
          : (async () => {
              await writeBlocks(
                db,
                changed.map((c) => c.row),
                [],
                known,
              );
              // Only what undo needs: the days this import wrote and what they held, not the whole year's block.
              await undo(
                "yearBlocks",
                changed.map((c) => ({ key: [c.row.accountId, c.row.metric, c.row.year] as const, before: c.undo })),
              );
            })(),
      counts,
      onProgress,
    );
    for (let i = 0; i < accounts.length; i += BATCH) {
      await db.accounts.bulkPut(accounts.slice(i, i + BATCH) as StoredAccount[]);
      await undo("accounts", accountBefore.slice(i, i + BATCH));
    }
    await walkOutcomes(db, plan, counts, async (changes) => {
      const replaced = changes.flatMap((c) => c.replaced);
      await db.outcomes.bulkDelete(replaced.map(outcomeKey));
      await db.outcomes.bulkPut(changes.map((c) => ({ ...c.next })));
      await undo("outcomes", [
        ...replaced.map((row) => ({ key: outcomeKey(row), before: row })),
        ...changes.map((c) => ({ key: outcomeKey(c.next), before: null })),
      ]);
    });
    const { links, coverage } = await walkExtras(db, plan);
    if (links.length > 0) {
      const before = await db.links.bulkGet(links.map(linkKey));
      await db.links.bulkPut(links);
      await undo(
        "links",
        links.map((l, k) => ({ key: linkKey(l), before: before[k] ?? null })),
      );
    }
    if (coverage.length > 0) {
      await db.coverage.bulkPut(coverage);
      await undo(
        "coverage",
        coverage.map((c) => ({ key: coverageKey(c), before: null })),
      );
    }
    // The last point where a cancel (thrown from the progress callback) still rolls everything back.
    onProgress?.(plan.observations.length, plan.observations.length);
    // The next number, read and written in this transaction: another tab's import is either wholly before or after.
    const last = await db.imports.orderBy("seq").last();
    const row: ImportRow = {
      id: meta.id,
      seq: (last?.seq ?? 0) + 1,
      at: meta.at,
      fileName: plan.fileName,
      shape: plan.shape,
      status: "applied",
      counts: { ...counts },
    };
    await db.imports.add(row);
    await inputsChanged(db);
    return row;
  });
}

/**
 * Undoes an import: puts back every row it changed as it was before, in one transaction. Only the latest import
 * still applied (by `seq`, the order they were written in) can be undone, since a later import may have changed the
 * same rows again.
 */
export async function undoImport(db: VitalsDb, importId: string): Promise<void> {
  const tables = [db.accounts, db.accountYears, db.outcomes, db.imports, db.importUndo, db.meta, db.links, db.coverage];
  await db.transaction("rw", tables, async () => {
    const target = await db.imports.get(importId);
    if (!target) throw new Error(`there is no import ${importId}`);
    if (target.status === "undone") throw new Error(`the import of ${target.fileName} was already undone`);
    // "Later" by the sequence the imports were written in, never by their timestamps (clocks step, tabs differ).
    const later = (await db.imports.where("seq").above(target.seq).toArray()).filter((i) => i.status === "applied");
    if (later.length > 0) {
      throw new Error(
        `undo the later import of ${later[0]?.fileName} first: it may have changed the same accounts and data`,
      );
    }
    // Newest change first, so a row changed twice ends as it was before the first change.
    const chunks = (await db.importUndo.where("importId").equals(importId).toArray()).sort((a, b) => b.seq - a.seq);
    for (const chunk of chunks) {
      const entries = [...chunk.entries].reverse();
      if (chunk.table === "accounts") {
        const restore = entries.filter((e) => e.before !== null).map((e) => e.before as StoredAccount);
        const remove = entries.filter((e) => e.before === null).map((e) => e.key as string);
        await db.accounts.bulkPut(restore);
        await db.accounts.bulkDelete(remove);
      } else if (chunk.table === "links") {
        await db.links.bulkDelete(entries.filter((e) => e.before === null).map((e) => e.key as [string, string]));
        await db.links.bulkPut(entries.filter((e) => e.before !== null).map((e) => e.before as LinkRow));
      } else if (chunk.table === "coverage") {
        await db.coverage.bulkDelete(entries.map((e) => e.key as [string, string, string]));
      } else if (chunk.table === "outcomes") {
        // Its own outcomes out first, then the ones it replaced back (their keys differ in kind).
        await db.outcomes.bulkDelete(
          entries.filter((e) => e.before === null).map((e) => e.key as [string, string, string]),
        );
        await db.outcomes.bulkPut(entries.filter((e) => e.before !== null).map((e) => e.before as OutcomeRow));
      } else {
        await undoBlocks(db, entries);
      }
    }
    await db.importUndo.where("importId").equals(importId).delete();
    await db.imports.put({ ...target, status: "undone" });
    await inputsChanged(db);
  });
}

/**
 * Takes back one undo chunk's year blocks (entries newest first): a block the import created is deleted, a block it
 * changed gets its touched days back (see BlockPatch). Entries of one block apply in order on the block as it is.
 */
async function undoBlocks(db: VitalsDb, entries: UndoRow["entries"]): Promise<void> {
  const keys = entries.map((e) => e.key as [string, string, number]);
  const { blocks: stored, known } = await readBlocks(db, keys);
  const rows = new Map<string, { key: [string, string, number]; row: YearBlockRow | undefined }>();
  keys.forEach((key, k) => {
    const id = key.join("\u0000");
    if (!rows.has(id)) rows.set(id, { key, row: stored[k] });
  });
  entries.forEach((entry, k) => {
    const key = keys[k] as [string, string, number];
    const slot = rows.get(key.join("\u0000")) as { row: YearBlockRow | undefined };
    const [accountId, metric, year] = key;
    slot.row =
      entry.before === null
        ? undefined
        : unpatchBlock(slot.row, { accountId, metric, year }, entry.before as BlockPatch);
  });
  const put: YearBlockRow[] = [];
  const remove: [string, string, number][] = [];
  for (const { key, row } of rows.values()) {
    if (row) put.push(row);
    else remove.push(key);
  }
  if (put.length + remove.length > 0) await writeBlocks(db, put, remove, known);
}

/**
 * About how many bytes applying a plan writes: each account's row and its undo record, each observation's day and
 * value in its year block (2 + 8 bytes) and its day in the undo patch's `touched` (2 bytes; a day it replaces also
 * keeps the old value there, not counted), each outcome's row and undo entry.
 * For telling a user how much room an import needs, not for accounting.
 */
export function importBytes(plan: ImportPlan): number {
  let accounts = 0;
  for (const account of plan.accounts) accounts += JSON.stringify(account).length;
  return 2 * accounts + 12 * plan.observations.length + 2 * 64 * plan.outcomes.length;
}
