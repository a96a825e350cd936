import { ObservationColumns } from "../io/columns.ts";
import type { ImportPlan } from "../io/plan.ts";
import { Account } from "../schema/account.ts";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle } from "../schema/bundle.ts";
import { formatDay, parseIsoDay } from "../schema/day.ts";
import type { ManualInput, Observation, Outcome } from "../schema/observation.ts";
import { Override } from "../schema/override.ts";
import { Scorecard } from "../schema/scorecard.ts";
import { yearStart } from "./blocks.ts";
import type { VitalsDb } from "./db.ts";
import { applyImport, type ImportCounts, previewImport } from "./imports.ts";
import { saveScorecard } from "./scorecards.ts";
import { inputsChanged } from "./views.ts";

/** Scorecards only (to share a scorecard with a teammate) or everything (to move to another device). */
export type BundleScope = "scorecards" | "everything";

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };

/** Writes the store (or its scorecards) as a bundle, in a stable order so two exports of the same data are equal. */
export async function exportBundle(
  db: VitalsDb,
  scope: BundleScope,
  exportedAt = new Date().toISOString(),
): Promise<Bundle> {
  return db.transaction(
    "r",
    [db.scorecards, db.accounts, db.yearBlocks, db.manualInputs, db.outcomes, db.overrides],
    async () => {
      const scorecards = (await db.scorecards.orderBy("id").toArray()).map((row) =>
        Scorecard.parse({ ...row.scorecard, updatedAt: row.updatedAt }),
      );
      const bundle: Bundle = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt, scorecards };
      if (scope === "scorecards") return bundle;
      bundle.accounts = (await db.accounts.orderBy("id").toArray()).map((row) => Account.parse(row));
      const observations: Observation[] = [];
      await db.yearBlocks.orderBy("[accountId+metric+year]").each((block) => {
        const first = yearStart(block.year);
        for (let k = 0; k < block.days.length; k++) {
          observations.push({
            accountId: block.accountId,
            metric: block.metric,
            day: formatDay(first + (block.days[k] as number)),
            value: block.values[k] as number,
          });
        }
      });
      bundle.observations = observations;
      bundle.manualInputs = (await db.manualInputs.toArray())
        .map(({ id: _id, ...input }) => input)
        .sort(byKey((m) => `${m.accountId}\u0000${m.metric}\u0000${m.day}\u0000${m.author}`));
      bundle.outcomes = (await db.outcomes.toArray()).sort(
        byKey((o) => `${o.accountId}\u0000${o.day}\u0000${o.kind}`),
      ) as Outcome[];
      bundle.overrides = (await db.overrides.orderBy("id").toArray()).map((row) => Override.parse(row));
      return bundle;
    },
  );
}

/** What importing a bundle changes, per kind of content. */
export interface BundleChanges {
  scorecards: { new: string[]; updated: string[]; unchanged: string[]; keptNewer: string[] };
  data?: ImportCounts;
  manualInputs: number;
  outcomes: number;
  overrides: number;
  /** Whether the accounts and data it brings can be undone from the import log (merge: yes; replace: no). */
  undoable: boolean;
}

function planOf(bundle: Bundle, fileName: string): ImportPlan {
  const observations = new ObservationColumns();
  for (const o of bundle.observations ?? []) {
    observations.push(o.accountId, o.metric, parseIsoDay(o.day) as number, o.value);
  }
  return {
    fileName,
    shape: "bundle",
    rowsRead: 0,
    rowsSkipped: 0,
    accounts: bundle.accounts ?? [],
    observations,
    // A bundle's outcomes are merged by importBundle itself (by key), beside the import log.
    outcomes: [],
    rejects: [],
    links: [],
    coverage: [],
    sameDay: [],
    combined: [],
  };
}

/** Sorts a bundle's scorecards into new, updated, unchanged, and stored-is-newer (kept). */
async function scorecardChanges(db: VitalsDb, bundle: Bundle, mode: "merge" | "replace") {
  const changes: BundleChanges["scorecards"] = { new: [], updated: [], unchanged: [], keptNewer: [] };
  for (const card of bundle.scorecards) {
    const stored = await db.scorecards.get(card.id);
    if (!stored) changes.new.push(card.id);
    else if (
      JSON.stringify(Scorecard.parse(stored.scorecard)) === JSON.stringify({ ...card, updatedAt: stored.updatedAt })
    )
      changes.unchanged.push(card.id);
    else if (mode === "merge" && card.updatedAt !== undefined && card.updatedAt <= stored.updatedAt)
      changes.keptNewer.push(card.id);
    else changes.updated.push(card.id);
  }
  return changes;
}

/** The preview of a bundle import: what would change. Writes nothing. */
export async function previewBundleImport(
  db: VitalsDb,
  bundle: Bundle,
  mode: "merge" | "replace",
  fileName = "bundle.json",
): Promise<BundleChanges> {
  const changes: BundleChanges = {
    scorecards: await scorecardChanges(db, bundle, mode),
    manualInputs: bundle.manualInputs?.length ?? 0,
    outcomes: bundle.outcomes?.length ?? 0,
    overrides: bundle.overrides?.length ?? 0,
    undoable: mode === "merge",
  };
  if (bundle.accounts || bundle.observations) {
    changes.data = mode === "merge" ? (await previewImport(db, planOf(bundle, fileName))).counts : undefined;
  }
  return changes;
}

/**
 * Imports a validated bundle in one transaction. Merge: by id, a scorecard only replaces a stored one that is
 * older (by updatedAt); accounts and data go through the import log, so they can be undone. Replace: the kinds of
 * content the bundle has replace what is stored.
 */
export async function importBundle(
  db: VitalsDb,
  bundle: Bundle,
  mode: "merge" | "replace",
  meta: { id: string; at: string; fileName: string },
): Promise<BundleChanges> {
  const tables = [
    db.scorecards,
    db.scorecardVersions,
    db.accounts,
    db.yearBlocks,
    db.manualInputs,
    db.outcomes,
    db.overrides,
    db.imports,
    db.importUndo,
    // saveScorecard and applyImport mark the scoring inputs changed in meta.
    db.meta,
    // applyImport reads and writes links and covered periods (a bundle has none yet).
    db.links,
    db.coverage,
  ];
  return db.transaction("rw", tables, async () => {
    const changes = await previewBundleImport(db, bundle, mode, meta.fileName);
    if (mode === "replace") {
      if (bundle.scorecards.length > 0) await Promise.all([db.scorecards.clear(), db.scorecardVersions.clear()]);
      if (bundle.accounts) await db.accounts.clear();
      if (bundle.observations) await db.yearBlocks.clear();
      if (bundle.manualInputs) await db.manualInputs.clear();
      if (bundle.outcomes) await db.outcomes.clear();
      if (bundle.overrides) await db.overrides.clear();
    }
    for (const card of bundle.scorecards) {
      if (
        mode === "replace" ||
        changes.scorecards.new.includes(card.id) ||
        changes.scorecards.updated.includes(card.id)
      ) {
        await saveScorecard(db, card, `Imported from ${meta.fileName}`, meta.at);
      }
    }
    if (bundle.accounts || bundle.observations) {
      const row = await applyImport(db, planOf(bundle, meta.fileName), { id: meta.id, at: meta.at });
      changes.data = row.counts as unknown as ImportCounts;
    }
    for (const input of bundle.manualInputs ?? []) {
      const same = await db.manualInputs
        .where("[accountId+metric]")
        .equals([input.accountId, input.metric])
        .filter((m) => m.day === input.day && m.author === input.author)
        .primaryKeys();
      await db.manualInputs.bulkDelete(same);
      await db.manualInputs.add({ ...(input as ManualInput) });
    }
    if (bundle.outcomes) await db.outcomes.bulkPut(bundle.outcomes);
    if (bundle.overrides) await db.overrides.bulkPut(bundle.overrides);
    if (bundle.manualInputs) await inputsChanged(db);
    return changes;
  });
}
