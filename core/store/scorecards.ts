import { refused, type SaveResult } from "../schema/issues.ts";
import { Scorecard, type ScorecardInput } from "../schema/scorecard.ts";
import { versionHash } from "../scorecard/lineage.ts";
import type { ScorecardVersionRow, VitalsDb } from "./db.ts";
import type { ReadDb } from "./read-db.ts";
import { inputsChanged } from "./views.ts";

/**
 * Saves a scorecard as its next version (the live one), keeping every earlier version. Its parent is the live version
 * (or, for a deleted scorecard saved again, its last version). Returns the version number.
 */
export async function saveScorecard(
  db: VitalsDb,
  input: ScorecardInput,
  message: string,
  at = new Date().toISOString(),
): Promise<number> {
  const card = Scorecard.parse(input);
  return db.transaction("rw", db.scorecards, db.scorecardVersions, db.meta, async () => {
    const last = await db.scorecardVersions.where("scorecardId").equals(card.id).last();
    const version = (last?.version ?? 0) + 1;
    const live = await db.scorecards.get(card.id);
    const parentRow = live ? await db.scorecardVersions.get([card.id, live.version]) : last;
    const parents = parentRow ? [parentRow.hash] : [];
    const scorecard: ScorecardInput = { ...card, updatedAt: card.updatedAt ?? at };
    const hash = versionHash(card, parents);
    await db.scorecardVersions.add({ scorecardId: card.id, version, scorecard, savedAt: at, message, hash, parents });
    await db.scorecards.put({ id: card.id, scorecard, version, updatedAt: scorecard.updatedAt ?? at });
    await inputsChanged(db);
    return version;
  });
}

/** The live scorecards, each restored through the schema (older shapes get today's defaults). */
export async function listScorecards(db: ReadDb): Promise<Scorecard[]> {
  return (await db.scorecards.orderBy("id").toArray()).map((row) => Scorecard.parse(row.scorecard));
}

/** Every saved version of a scorecard, oldest first. */
export function scorecardVersions(db: VitalsDb, id: string): Promise<ScorecardVersionRow[]> {
  return db.scorecardVersions.where("scorecardId").equals(id).sortBy("version");
}

/**
 * Makes an earlier version live again, as a new version (history is never rewritten): the new version number, or the
 * refusal when there is no such version.
 */
export async function revertScorecard(db: VitalsDb, id: string, version: number): Promise<SaveResult<number>> {
  const old = await db.scorecardVersions.get([id, version]);
  if (!old) return refused("$", `scorecard "${id}" has no version ${version}`);
  const { updatedAt: _drop, ...card } = old.scorecard;
  return { ok: true, value: await saveScorecard(db, card, `Reverted to version ${version}`) };
}

/** A live scorecard with its version number and when it was last saved. */
export interface LiveScorecard {
  scorecard: Scorecard;
  version: number;
  updatedAt: string;
}

/** The live scorecards with their version numbers, by id. */
export async function listLiveScorecards(db: VitalsDb): Promise<LiveScorecard[]> {
  return (await db.scorecards.orderBy("id").toArray()).map((row) => ({
    scorecard: Scorecard.parse(row.scorecard),
    version: row.version,
    updatedAt: row.updatedAt,
  }));
}

/**
 * Deletes a live scorecard, refusing to delete the last one (an empty list would bring the defaults back on the
 * next read) and one that is not there. Its versions stay: history is never rewritten, and saving a card with the
 * same id continues it.
 */
export async function deleteScorecard(db: VitalsDb, id: string): Promise<SaveResult<string>> {
  return db.transaction("rw", db.scorecards, db.meta, async () => {
    if (!(await db.scorecards.get(id))) return refused("$", `there is no scorecard "${id}"`);
    if ((await db.scorecards.count()) <= 1) {
      return refused("$", "the last scorecard cannot be deleted: every account needs one");
    }
    await db.scorecards.delete(id);
    await inputsChanged(db);
    return { ok: true as const, value: id };
  });
}
