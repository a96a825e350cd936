import { restoreBundle } from "../schema/bundle.ts";
import type { FileIssue } from "../schema/issues.ts";
import { schemaUrl } from "../schema/json-schemas.ts";
import type { Scorecard, ScorecardInput } from "../schema/scorecard.ts";
import { classifyScorecard, type ScorecardClass, type ScorecardClassKind } from "../scorecard/classify.ts";
import type { Side } from "../scorecard/diff.ts";
import { readScorecardFile, scorecardFileName, scorecardFileText } from "../scorecard/file.ts";
import { type ScorecardLineage, shortHash } from "../scorecard/lineage.ts";
import { applyChoices, type MergeChange, mergeChanges } from "../scorecard/merge.ts";
import type { VitalsDb } from "../store/db.ts";
import { scorecardLineages, takeScorecard } from "../store/scorecard-lineage.ts";

/** An error a caller can tell apart by name: "InputError" for bad input. */
function inputError(message: string): Error {
  const error = new Error(message);
  error.name = "InputError";
  return error;
}

/** One scorecard of an import of scorecard files, as it stands to mine. */
export interface ScorecardImportItem {
  id: string;
  name: string;
  fileName: string;
  kind: ScorecardClassKind;
  /** Versions of theirs my history lacks (what importing adds). */
  adds: number;
  /** My live version's number, and its short hash; null for a new scorecard. */
  mine: { version: number; hash: string } | null;
  /** Their live version: short hash, when saved, its message. */
  theirs: { hash: string; savedAt: string; message: string };
  /** Diverged: the differences between mine and theirs, each with who changed it since the common ancestor. */
  changes: MergeChange[];
  /** Diverged: whether we share a common ancestor (without one, every difference is a conflict). */
  hasBase: boolean;
}

/** What a set of scorecard files would do, before anything is written. */
export interface ScorecardImport {
  importId: string;
  items: ScorecardImportItem[];
  /** Files that could not be read, each with every problem (nothing of them is imported). */
  problems: { fileName: string; issues: FileIssue[] }[];
}

/** The merged draft of a diverged scorecard with the given choices, for the preview and before saving. */
export interface MergeDraft {
  ok: boolean;
  draft: ScorecardInput;
  /** Keys of the conflicts still to choose. */
  open: string[];
  issues: FileIssue[];
}

/** What an import of scorecard files did. */
export interface ScorecardImportDone {
  added: string[];
  fastForwarded: string[];
  merged: string[];
  unchanged: string[];
  versionsAdded: number;
}

interface Pending {
  fileName: string;
  theirs: ScorecardLineage;
  cls: ScorecardClass;
  mine: Scorecard | undefined;
  base: Scorecard | undefined;
  incoming: Scorecard;
  changes: MergeChange[];
}

/**
 * Scorecards as files, one per scorecard, with their lineage: export, and import with each scorecard classified
 * against the store (new, same, theirs ahead, mine ahead, diverged), diverged ones merged change by change.
 */
export function createSyncApi(openDb: () => VitalsDb, now: () => string = () => new Date().toISOString()) {
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openDb();
    return db;
  };
  const imports = new Map<string, Map<string, Pending>>();
  let counter = 0;

  const pendingOf = (importId: string, id: string): Pending => {
    const item = imports.get(importId)?.get(id);
    if (!item) throw inputError("this import is no longer available: choose the files again");
    return item;
  };

  const draftOf = (importId: string, id: string, choices: Readonly<Record<string, Side>>): MergeDraft => {
    const p = pendingOf(importId, id);
    if (!p.mine) throw inputError(`scorecard "${id}" is not diverged`);
    const picked = new Map<string, Side>();
    for (const c of p.changes) {
      const side = choices[c.key] ?? (c.changedBy === "both" ? undefined : c.changedBy);
      if (side) picked.set(c.key, side);
    }
    const result = applyChoices(p.mine, p.incoming, p.changes, picked);
    if (result.ok) return { ok: true, draft: result.scorecard, open: [], issues: [] };
    return { ok: false, draft: result.draft, open: result.conflicts.map((c) => c.key), issues: result.issues };
  };

  return {
    /** Every live scorecard as its own file (`<id>.scorecard.json`): pretty-printed, stable, with its lineage. */
    async exportScorecardFiles(): Promise<{ fileName: string; text: string }[]> {
      return (await scorecardLineages(store())).map((lineage) => ({
        fileName: scorecardFileName(lineage.id),
        text: scorecardFileText(lineage, schemaUrl("scorecard")),
      }));
    },

    /**
     * Reads scorecard files (or bundles: their scorecards, without lineage) and classifies each scorecard against
     * the store. Writes nothing. A file that does not read is listed with its problems; two files with one scorecard
     * id are refused for that id.
     */
    async readScorecardFiles(files: readonly { fileName: string; text: string }[]): Promise<ScorecardImport> {
      const problems: ScorecardImport["problems"] = [];
      const found = new Map<string, { fileName: string; lineage: ScorecardLineage }>();
      const at = now();
      const add = (fileName: string, lineage: ScorecardLineage) => {
        const other = found.get(lineage.id);
        if (other) {
          problems.push({
            fileName,
            issues: [
              { path: "$.id", message: `scorecard "${lineage.id}" is also in ${other.fileName}: import one of them` },
            ],
          });
          return;
        }
        found.set(lineage.id, { fileName, lineage });
      };
      for (const { fileName, text } of files) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (error) {
          problems.push({ fileName, issues: [{ path: "$", message: `not valid JSON (${(error as Error).message})` }] });
          continue;
        }
        if (typeof json === "object" && json !== null && (json as { format?: unknown }).format === "vitals-bundle") {
          const read = restoreBundle(json);
          if (!read.ok) problems.push({ fileName, issues: read.issues });
          else
            for (const card of read.value.scorecards) {
              const r = readScorecardFile(card, fileName, at);
              if (r.ok) add(fileName, r.value);
            }
          continue;
        }
        const read = readScorecardFile(json, fileName, at);
        if (read.ok) add(fileName, read.value);
        else problems.push({ fileName, issues: read.issues });
      }
      const mine = new Map((await scorecardLineages(store(), [...found.keys()])).map((l) => [l.id, l]));
      const live = new Map(
        (await store().scorecards.bulkGet([...found.keys()])).flatMap((r) => (r ? [[r.id, r]] : [])),
      );
      const pending = new Map<string, Pending>();
      const items: ScorecardImportItem[] = [];
      for (const [id, { fileName, lineage }] of found) {
        const my = mine.get(id);
        const cls = classifyScorecard(my, lineage);
        const graph = new Map([...(my?.versions ?? []), ...lineage.versions].map((v) => [v.hash, v]));
        const incoming = graph.get(lineage.head)?.scorecard as Scorecard;
        const mineCard = my ? graph.get(my.head)?.scorecard : undefined;
        const base = cls.base ? graph.get(cls.base)?.scorecard : undefined;
        const changes = cls.kind === "diverged" && mineCard ? mergeChanges(base, mineCard, incoming) : [];
        pending.set(id, { fileName, theirs: lineage, cls, mine: mineCard, base, incoming, changes });
        const head = graph.get(lineage.head);
        items.push({
          id,
          name: incoming.name,
          fileName,
          kind: cls.kind,
          adds: cls.missing.length,
          mine: my ? { version: live.get(id)?.version ?? 0, hash: shortHash(my.head) } : null,
          theirs: { hash: shortHash(lineage.head), savedAt: head?.savedAt ?? "", message: head?.message ?? "" },
          changes,
          hasBase: base !== undefined,
        });
      }
      const importId = `scorecards-${++counter}`;
      imports.set(importId, pending);
      for (const old of imports.keys()) if (imports.size > 5) imports.delete(old);
      return { importId, items, problems };
    },

    /**
     * The merged draft of a diverged scorecard: mine, with each change taken from the side chosen (`a` mine, `b`
     * theirs); a change the user has not chosen takes the side that made it, and a conflict stays open.
     */
    async mergeDraft(importId: string, id: string, choices: Readonly<Record<string, Side>>): Promise<MergeDraft> {
      return draftOf(importId, id, choices);
    },

    /**
     * Imports the read scorecards, each in its own transaction: new and theirs-ahead ones with their versions,
     * diverged ones listed in `merges` as merged with those choices (a new version whose parents are both), the rest
     * unchanged. A diverged scorecard not in `merges` is left as it is. Refuses (writing nothing) while any merge
     * has an open conflict or a problem.
     */
    async importScorecardFiles(
      importId: string,
      merges: Readonly<Record<string, Readonly<Record<string, Side>>>> = {},
    ): Promise<ScorecardImportDone> {
      const pending = imports.get(importId);
      if (!pending) throw inputError("this import is no longer available: choose the files again");
      const merged = new Map<string, Scorecard>();
      for (const [id, choices] of Object.entries(merges)) {
        const draft = draftOf(importId, id, choices);
        if (!draft.ok) {
          const why =
            draft.open.length > 0
              ? `choose mine or theirs for ${draft.open.join(", ")}`
              : draft.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
          throw inputError(`the merge of "${id}" is not finished: ${why}`);
        }
        merged.set(id, draft.draft as Scorecard);
      }
      const done: ScorecardImportDone = { added: [], fastForwarded: [], merged: [], unchanged: [], versionsAdded: 0 };
      const at = now();
      for (const [id, p] of pending) {
        if (p.cls.kind === "diverged" && !merged.has(id)) {
          done.unchanged.push(id);
          continue;
        }
        const card = merged.get(id);
        await takeScorecard(
          store(),
          card ? { cls: p.cls, merged: card, message: `Merged ${p.fileName}` } : { cls: p.cls },
          at,
        );
        done.versionsAdded += p.cls.missing.length + (card ? 1 : 0);
        if (p.cls.kind === "new") done.added.push(id);
        else if (p.cls.kind === "theirsAhead") done.fastForwarded.push(id);
        else if (card) done.merged.push(id);
        else done.unchanged.push(id);
      }
      imports.delete(importId);
      return done;
    },

    async close(): Promise<void> {
      db?.close();
      db = undefined;
    },
  };
}
