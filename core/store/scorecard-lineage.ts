import { Scorecard, type ScorecardInput } from "../schema/scorecard.ts";
import type { ScorecardClass } from "../scorecard/classify.ts";
import { type ScorecardLineage, versionHash } from "../scorecard/lineage.ts";
import type { ScorecardRow, ScorecardVersionRow, VitalsDb } from "./db.ts";
import { inputsChanged } from "./views.ts";

/** The lineage of each live scorecard (or of those with the given ids): every stored version, and the live one. */
export async function scorecardLineages(db: VitalsDb, ids?: readonly string[]): Promise<ScorecardLineage[]> {
  return db.transaction("r", db.scorecards, db.scorecardVersions, async () => {
    const live = ids
      ? ((await db.scorecards.bulkGet([...ids])).filter(Boolean) as ScorecardRow[])
      : await db.scorecards.orderBy("id").toArray();
    const out: ScorecardLineage[] = [];
    for (const row of live) {
      const rows = await db.scorecardVersions.where("scorecardId").equals(row.id).sortBy("version");
      const head = rows.find((v) => v.version === row.version);
      if (!head) continue;
      // A version that no longer reads is left out of the lineage (it stays stored); its children still name it.
      const versions = rows.flatMap((v) => {
        const parsed = Scorecard.safeParse(v.scorecard);
        return parsed.success
          ? [{ hash: v.hash, parents: v.parents, scorecard: parsed.data, savedAt: v.savedAt, message: v.message }]
          : [];
      });
      out.push({ id: row.id, head: head.hash, versions });
    }
    return out;
  });
}

/** What to do with one classified scorecard of an import. */
export interface ScorecardTake {
  readonly cls: ScorecardClass;
  /** Diverged: the merged scorecard the user saw and saved (its parents: my live version and theirs). */
  readonly merged?: Scorecard;
  /** The message of the merge version. */
  readonly message?: string;
}

/**
 * Takes a teammate's scorecard into the store, in one transaction: their versions I lack are added to my history
 * (numbered after mine, with their own save times and messages), then the live version becomes theirs (new, theirs
 * ahead) or the merge (diverged: a new version whose parents are my live version and theirs). Mine ahead, or the
 * same: nothing changes. A diverged scorecard without `merged` only gains their versions (mine stays live). Returns
 * the live version's number afterwards.
 */
export async function takeScorecard(
  db: VitalsDb,
  take: ScorecardTake,
  at = new Date().toISOString(),
): Promise<number | null> {
  const { cls } = take;
  return db.transaction("rw", db.scorecards, db.scorecardVersions, db.meta, async () => {
    const stored = await db.scorecardVersions.where("scorecardId").equals(cls.id).sortBy("version");
    const known = new Map(stored.map((r) => [r.hash, r]));
    let next = (stored.at(-1)?.version ?? 0) + 1;
    for (const v of cls.missing) {
      if (known.has(v.hash)) continue;
      const row: ScorecardVersionRow = {
        scorecardId: cls.id,
        version: next++,
        scorecard: { ...v.scorecard, updatedAt: v.savedAt } as ScorecardInput,
        savedAt: v.savedAt,
        message: v.message,
        hash: v.hash,
        parents: [...v.parents],
      };
      await db.scorecardVersions.add(row);
      known.set(v.hash, row);
    }
    let live: ScorecardVersionRow | undefined;
    if (cls.kind === "new" || cls.kind === "theirsAhead") live = known.get(cls.theirs);
    else if (cls.kind === "diverged" && take.merged) {
      const parents = [cls.mine as string, cls.theirs].sort();
      const hash = versionHash(take.merged, parents);
      live = known.get(hash);
      if (!live) {
        live = {
          scorecardId: cls.id,
          version: next++,
          scorecard: { ...take.merged, updatedAt: at },
          savedAt: at,
          message: take.message ?? "Merged",
          hash,
          parents,
        };
        await db.scorecardVersions.add(live);
      }
    }
    if (!live) return (await db.scorecards.get(cls.id))?.version ?? null;
    await db.scorecards.put({ id: cls.id, scorecard: live.scorecard, version: live.version, updatedAt: live.savedAt });
    await inputsChanged(db);
    return live.version;
  });
}
