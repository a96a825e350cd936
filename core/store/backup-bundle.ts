import { Account } from "../schema/account.ts";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle } from "../schema/bundle.ts";
import type { ManualInput, Observation, Outcome } from "../schema/observation.ts";
import { Override } from "../schema/override.ts";
import { Scorecard } from "../schema/scorecard.ts";
import type { BackupContent } from "./backup.ts";
import { pushBlockObservations } from "./blocks.ts";
import type { ScorecardRow } from "./db.ts";

// A backup's data as a version 1 bundle (what `vitals score --scorecards` reads).

const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A backup's data as a version 1 bundle, as the app's "Export" of everything writes it from a store
 * (core/store/bundles.ts, exportBundle): the live scorecards, accounts, observations, ratings, outcomes and
 * overrides, in the same stable order. What `vitals score --scorecards` reads.
 */
export function bundleOfBackup(content: BackupContent): Bundle {
  const observations: Observation[] = [];
  const blocks = [...content.blocks].sort(
    (x, y) => order(x.accountId, y.accountId) || order(x.metric, y.metric) || x.year - y.year,
  );
  for (const block of blocks) pushBlockObservations(block, observations);
  const key = (...parts: string[]) => parts.join("\u0000");
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt: content.header.exportedAt,
    scorecards: (content.rows.scorecards as ScorecardRow[])
      .map((row) => Scorecard.parse({ ...row.scorecard, updatedAt: row.updatedAt }))
      .sort((a, b) => order(a.id, b.id)),
    accounts: (content.rows.accounts as Account[]).map((a) => Account.parse(a)).sort((a, b) => order(a.id, b.id)),
    observations,
    manualInputs: (content.rows.manualInputs as (ManualInput & { id: number })[])
      .map(({ id: _id, ...input }) => input)
      .sort((a, b) => order(key(a.accountId, a.metric, a.day, a.author), key(b.accountId, b.metric, b.day, b.author))),
    outcomes: [...(content.rows.outcomes as Outcome[])].sort((a, b) =>
      order(key(a.accountId, a.day, a.kind), key(b.accountId, b.day, b.kind)),
    ),
    overrides: (content.rows.overrides as Override[]).map((o) => Override.parse(o)).sort((a, b) => order(a.id, b.id)),
  };
}
