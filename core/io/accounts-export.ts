import type { AccountsTableRow } from "../insights/portfolio-view.ts";
import { fixedCell, writeCsv } from "./csv-write.ts";

/** The columns of the Accounts page's CSV export, in order. */
export const ACCOUNTS_CSV_COLUMNS = [
  "account_id",
  "name",
  "score",
  "grade",
  "label",
  "delta",
  "arr",
  "renewal_date",
  "segment",
  "stage",
  "owner",
] as const;

/**
 * The Accounts page's rows (the current view, in its order) as CSV: score, delta and ARR are number cells, the
 * rest text, so a name such as "=HYPERLINK(…)" or an id "-5" is escaped and a delta of -3.5 stays a number.
 */
export function accountsCsv(rows: readonly AccountsTableRow[]): string {
  return writeCsv(
    ACCOUNTS_CSV_COLUMNS,
    rows.map((r) => [
      r.id,
      r.name,
      r.shown?.points ?? null,
      r.shown?.grade ?? "",
      r.shown?.label ?? "",
      r.shown?.delta === null || r.shown?.delta === undefined ? null : fixedCell(r.shown.delta, 1),
      r.arr,
      r.renewalDate,
      r.segment,
      r.stage,
      r.owner,
    ]),
  );
}
