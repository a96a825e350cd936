import type { Alert } from "../schema/alert.ts";
import { type Day, formatDay } from "../schema/day.ts";
import type { ReadDb } from "./read-db.ts";

// Alert counts for the app's navigation, apart from the rest of the alerts' store (alerts.ts): a cold start shows
// them, and this module loads no alert or play schema (issue 14: the data worker's first-screen code builds only the
// schemas its reads parse).

/** How many alerts are open, snoozed and done. */
export interface AlertCounts {
  open: number;
  snoozed: number;
  done: number;
}

/**
 * How many stored alerts are open, snoozed and done today: a snoozed alert whose day has come counts where it wakes
 * to (open, or done if its condition cleared), as listAlerts would leave it. Reads only the snoozed rows' fields,
 * with no schema parse and no write (the navigation's badge on every start, issue 14's cold path): the rows were
 * parsed when written, and a row that could not be read back (an unknown status) is not counted.
 */
export async function countAlerts(db: ReadDb, today: Day): Promise<AlertCounts> {
  const day = formatDay(today);
  // Open and done are counted on the status index, reading no row; only the snoozed rows are read (for their day).
  return db.reading([db.alerts], async () => {
    const byStatus = db.alerts.where("status");
    const [open, done, snoozed] = await Promise.all([
      byStatus.equals("open").count(),
      byStatus.equals("done").count(),
      byStatus.equals("snoozed").toArray(),
    ]);
    const counts: AlertCounts = { open, snoozed: 0, done };
    for (const row of snoozed) {
      const { snoozedUntil, clearedOn } = row as Partial<Alert>;
      if (snoozedUntil !== undefined && snoozedUntil <= day) counts[clearedOn !== undefined ? "done" : "open"]++;
      else counts.snoozed++;
    }
    return counts;
  });
}
