import { ObservationColumns } from "../io/columns.ts";
import { dataPlan, type ImportPlan } from "../io/plan.ts";
import { Account } from "../schema/account.ts";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle } from "../schema/bundle.ts";
import { parseIsoDay } from "../schema/day.ts";
import type { ManualInput, Observation, Outcome } from "../schema/observation.ts";
import { Override } from "../schema/override.ts";
import { Scorecard } from "../schema/scorecard.ts";
import { classifyScorecard, type ScorecardClassKind } from "../scorecard/classify.ts";
import { canonicalJson, type LineageVersion, scorecardContent, versionHash } from "../scorecard/lineage.ts";
import { allBlocks } from "./block-table.ts";
import { pushBlockObservations } from "./blocks.ts";
import type { ScorecardVersionRow, VitalsDb } from "./db.ts";
import { applyImport, type ImportCounts, previewImport } from "./imports.ts";
import { scorecardLineages } from "./scorecard-lineage.ts";
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
    [db.scorecards, db.accounts, db.accountYears, db.manualInputs, db.outcomes, db.overrides],
    async () => {
      const scorecards = (await db.scorecards.orderBy("id").toArray()).map((row) =>
        Scorecard.parse({ ...row.scorecard, updatedAt: row.updatedAt }),
      );
      const bundle: Bundle = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt, scorecards };
      if (scope === "scorecards") return bundle;
      bundle.accounts = (await db.accounts.orderBy("id").toArray()).map((row) => Account.parse(row));
      const observations: Observation[] = [];
      for (const block of await allBlocks(db)) pushBlockObservations(block, observations);
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

/**
 * How one of a bundle's scorecards stands to this store's, by lineage (core/scorecard/classify.ts). A version 1
 * bundle carries each scorecard's live content only, without its history: a card whose content is one of this
 * store's versions is that version (its hash and parents); any other is a version of its own with no known parents
 * (`versionHash(card, [])`), so for a scorecard this store has it is `diverged` (nothing tells it was made from
 * mine): it joins the history and mine stays live (`theirsHere`: its version number here).
 */
export interface BundleScorecardChange {
  id: string;
  kind: ScorecardClassKind;
  /** Versions the import adds to this store's history (1 or 0). */
  versionsAdded: number;
  /** Diverged: the number the bundle's version has (or gets) in this store's history; mine stays live. */
  theirsHere?: number;
}

/** What importing a bundle changes, per kind of content. */
export interface BundleChanges {
  /** Each of the bundle's scorecards, in its order. Replace: every one is `new` (the stored ones are cleared). */
  scorecards: BundleScorecardChange[];
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
  // A bundle's outcomes are merged by importBundle itself (by key), beside the import log.
  return dataPlan({ fileName, shape: "bundle", accounts: bundle.accounts ?? [], observations });
}

/** One of a bundle's scorecards classified against this store's, with what importing it does. */
interface BundleCardPlan {
  change: BundleScorecardChange;
  card: Scorecard;
  /** The stored version the bundle's card is (the same content), if any. */
  stored?: ScorecardVersionRow;
  /** The card's hash as a version of its own (no known parents), when no stored version has its content. */
  hash: string;
}

/** Classifies a bundle's scorecards against this store's by lineage (see BundleScorecardChange). */
async function scorecardPlans(db: VitalsDb, bundle: Bundle, mode: "merge" | "replace"): Promise<BundleCardPlan[]> {
  const out: BundleCardPlan[] = [];
  for (const input of bundle.scorecards) {
    const card = Scorecard.parse(input);
    const ownHash = versionHash(card, []);
    if (mode === "replace") {
      out.push({ change: { id: card.id, kind: "new", versionsAdded: 1 }, card, hash: ownHash });
      continue;
    }
    const rows = await db.scorecardVersions.where("scorecardId").equals(card.id).sortBy("version");
    const content = canonicalJson(scorecardContent(card));
    // The newest stored version with the same content (a content saved twice is the later one).
    const stored = [...rows].reverse().find((r) => {
      const parsed = Scorecard.safeParse(r.scorecard);
      return parsed.success && canonicalJson(scorecardContent(parsed.data)) === content;
    });
    const mine = rows.length > 0 ? (await scorecardLineages(db, [card.id]))[0] : undefined;
    const theirs: LineageVersion = stored
      ? {
          hash: stored.hash,
          parents: stored.parents,
          scorecard: card,
          savedAt: stored.savedAt,
          message: stored.message,
        }
      : { hash: ownHash, parents: [], scorecard: card, savedAt: card.updatedAt ?? "", message: "" };
    const cls = classifyScorecard(mine, { id: card.id, head: theirs.hash, versions: [theirs] });
    const change: BundleScorecardChange = {
      id: card.id,
      kind: cls.kind,
      versionsAdded: cls.kind === "new" || !stored ? 1 : 0,
    };
    if (cls.kind === "diverged") {
      change.theirsHere = stored ? stored.version : (rows.at(-1)?.version ?? 0) + 1;
    }
    out.push({ change, card, hash: ownHash, ...(stored ? { stored } : {}) });
  }
  return out;
}

/** The preview of a bundle import: what would change. Writes nothing. */
export async function previewBundleImport(
  db: VitalsDb,
  bundle: Bundle,
  mode: "merge" | "replace",
  fileName = "bundle.json",
): Promise<BundleChanges> {
  const changes: BundleChanges = {
    scorecards: (await scorecardPlans(db, bundle, mode)).map((p) => p.change),
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
 * Imports a validated bundle in one transaction. Merge: each scorecard by its lineage (see BundleScorecardChange):
 * a new one is saved, one that is a later version of this store's goes live, one changed on both sides joins the
 * history with mine kept live, never overwritten; accounts and data go through the import log, so they can be
 * undone. Replace: the kinds of content the bundle has replace what is stored.
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
    db.accountYears,
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
    const plans = await scorecardPlans(db, bundle, mode);
    const changes = await previewBundleImport(db, bundle, mode, meta.fileName);
    if (mode === "replace") {
      if (bundle.scorecards.length > 0) await Promise.all([db.scorecards.clear(), db.scorecardVersions.clear()]);
      if (bundle.accounts) await db.accounts.clear();
      if (bundle.observations) await db.accountYears.clear();
      if (bundle.manualInputs) await db.manualInputs.clear();
      if (bundle.outcomes) await db.outcomes.clear();
      if (bundle.overrides) await db.overrides.clear();
    }
    const message = `Imported from ${meta.fileName}`;
    for (const { change, card, stored, hash } of plans) {
      if (change.kind === "new") await saveScorecard(db, card, message, meta.at);
      else if (change.kind === "theirsAhead" && stored) {
        // The bundle's card is a version this store has, after its live one: it goes live (a fast-forward).
        await db.scorecards.put({
          id: card.id,
          scorecard: stored.scorecard,
          version: stored.version,
          updatedAt: stored.savedAt,
        });
        await inputsChanged(db);
      } else if (change.kind === "diverged" && !stored && change.theirsHere !== undefined) {
        // Changed here and in the bundle: the bundle's joins the history as a version of its own; mine stays live.
        await db.scorecardVersions.add({
          scorecardId: card.id,
          version: change.theirsHere,
          scorecard: { ...card, updatedAt: card.updatedAt ?? meta.at },
          savedAt: meta.at,
          message: `${message} (changed here too: yours stayed live)`,
          hash,
          parents: [],
        });
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
