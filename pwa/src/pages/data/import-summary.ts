import type { ImportRow } from "../../../../core/store/db.ts";
import type { ImportDryRun } from "../../../../core/worker/data-api.ts";

/** What an import did, honestly: "Nothing imported: all 247 rows were rejected" rather than "Imported". */
export function importSummary(row: ImportRow, extras?: ImportDryRun["extras"]): string {
  const c = row.counts;
  const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");
  const rows = (v: number | undefined) => `${n(v)} ${v === 1 ? "row" : "rows"}`;
  const rejected = c.rowsRejected ?? 0;
  const read = c.rowsRead ?? 0;
  const outcomes = (c.outcomesNew ?? 0) + (c.outcomesUpdated ?? 0);
  const written =
    (c.accountsNew ?? 0) +
    (c.accountsUpdated ?? 0) +
    (c.observationsNew ?? 0) +
    (c.observationsUpdated ?? 0) +
    outcomes +
    (extras?.linksNew ?? 0);
  if (written === 0) {
    if (rejected > 0 && rejected + (c.rowsSkipped ?? 0) >= read)
      return `Nothing imported from ${row.fileName}: all ${rows(rejected)} were rejected.`;
    if (rejected > 0)
      return `Nothing imported from ${row.fileName}: ${n(rejected)} of ${rows(read)} were rejected and the rest hold what is already stored.`;
    return `Nothing changed: ${row.fileName} holds what is already stored.`;
  }
  const parts = [
    `${n(c.accountsNew)} new accounts`,
    ...(c.accountsUpdated ? [`${n(c.accountsUpdated)} accounts updated`] : []),
    `${n(c.observationsNew)} new values`,
    ...(c.observationsUpdated ? [`${n(c.observationsUpdated)} values changed`] : []),
    ...(outcomes > 0 ? [`${n(outcomes)} outcomes`] : []),
    ...(extras?.linksNew ? [`${n(extras.linksNew)} new links to accounts`] : []),
  ];
  const skipped = rejected > 0 ? ` ${n(rejected)} of ${rows(read)} were rejected and not imported.` : "";
  return `Imported ${row.fileName}: ${parts.join(", ")}.${skipped} Scores are up to date.`;
}
