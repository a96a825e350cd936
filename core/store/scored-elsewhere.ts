import { z } from "zod";
import { BadgeAccount } from "../schema/badge.ts";
import type { VitalsDb } from "./db.ts";
import { INFO_KEY, ScoredElsewhereInfo } from "./scored-elsewhere-info.ts";

/**
 * A portfolio scored elsewhere (issue 20): the results file of `vitals sql` or `vitals score` run in a warehouse,
 * imported as it is. Kept in `meta` beside the stored views it stands in for (the file's name, its as-of day and
 * its rows as badge accounts), apart from the app's own accounts and observations, which it never touches: while
 * it is there the dashboard, the accounts table and its accounts' pages show it, read-only, and nothing the app
 * scores replaces it. Clearing it shows the app's own scores again.
 */

const ACCOUNTS_KEY = "scoredElsewhere.accounts";

const Accounts = z.array(BadgeAccount);

/** Stores a results file's rows (replacing any earlier one) in one transaction. */
export async function writeScoredElsewhere(
  db: VitalsDb,
  info: ScoredElsewhereInfo,
  accounts: readonly BadgeAccount[],
): Promise<void> {
  const checked = ScoredElsewhereInfo.parse(info);
  await db.transaction("rw", db.meta, async () => {
    await db.meta.put({ key: INFO_KEY, value: checked });
    await db.meta.put({ key: ACCOUNTS_KEY, value: accounts });
  });
}

/** The stored results' rows (parsed; a row that no longer parses is a stored-data error, thrown). */
export async function readScoredElsewhereAccounts(db: VitalsDb): Promise<BadgeAccount[]> {
  const row = await db.meta.get(ACCOUNTS_KEY);
  return row === undefined ? [] : Accounts.parse(row.value);
}

/** Forgets the results scored elsewhere. */
export async function clearScoredElsewhere(db: VitalsDb): Promise<void> {
  await db.transaction("rw", db.meta, async () => {
    await db.meta.delete(INFO_KEY);
    await db.meta.delete(ACCOUNTS_KEY);
  });
}
