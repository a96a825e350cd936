import type { Table } from "dexie";
import { Scorecard } from "../schema/scorecard.ts";
import { rawVersionHash, versionHash } from "../scorecard/lineage.ts";

// Version 6's data fix, apart from db.ts's row types so db.ts can import it without a circle.

/** A stored scorecard version as versions 1–5 wrote it (version 6 adds `hash` and `parents`). */
interface StoredVersion {
  readonly scorecardId: string;
  readonly version: number;
  readonly scorecard: unknown;
  readonly hash?: string;
  readonly parents?: readonly string[];
}

/**
 * Data fix of version 6: give every stored scorecard version its lineage. Versions 1–5 kept each scorecard's versions
 * as a numbered line (each saved on the one before), so version n's parent is version n − 1 and version 1 has none;
 * each gets `parents` and `hash` (versionHash). A version whose stored scorecard no longer reads is hashed as stored
 * (it keeps its place in the line; nothing is dropped).
 */
export async function hashScorecardVersions(versions: Table<StoredVersion, [string, number]>): Promise<void> {
  const rows = await versions.orderBy("[scorecardId+version]").toArray();
  let previous: (StoredVersion & { hash: string }) | undefined;
  const updated: StoredVersion[] = [];
  for (const row of rows) {
    const parents = previous && previous.scorecardId === row.scorecardId ? [previous.hash] : [];
    const parsed = Scorecard.safeParse(row.scorecard);
    const hash = parsed.success ? versionHash(parsed.data, parents) : rawVersionHash(row.scorecard, parents);
    const next = { ...row, parents, hash };
    updated.push(next);
    previous = next;
  }
  await versions.bulkPut(updated);
}
