import { z } from "zod";
import { IsoDay } from "../schema/iso-day.ts";
import type { ReadDb } from "./read-db.ts";

// What tells whether a portfolio scored elsewhere is shown (scored-elsewhere.ts keeps its rows): the first screen
// asks it on every cold start, so it is kept apart from the rows' badge schemas, which a cold start does not build
// (issue 14).

/** The `meta` key of the stored results' origin. */
export const INFO_KEY = "scoredElsewhere";

/** Where the results came from. */
export const ScoredElsewhereInfo = z.object({
  file: z.string(),
  asOf: IsoDay,
  importedAt: z.string(),
  accounts: z.number().int().nonnegative(),
});
export type ScoredElsewhereInfo = z.infer<typeof ScoredElsewhereInfo>;

/** The stored results' origin, or null when the app shows its own scores. */
export async function readScoredElsewhereInfo(db: ReadDb): Promise<ScoredElsewhereInfo | null> {
  const row = await db.meta.get(INFO_KEY);
  if (row === undefined) return null;
  const parsed = ScoredElsewhereInfo.safeParse(row.value);
  return parsed.success ? parsed.data : null;
}
