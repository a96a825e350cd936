import { writeCsv } from "./csv-write.ts";
import { icsCalendar } from "./ics.ts";

/** An open task as exported: what, for which account, who, when, and the play and alert it came from. */
export interface ExportTask {
  id: string;
  title: string;
  accountId: string;
  accountName: string;
  owner: string;
  /** ISO day. */
  due: string;
  playName: string;
  /** The alert's rule in words. */
  alertTitle: string;
}

/**
 * Open tasks as CSV (one row each, due day first); text a spreadsheet would run as a formula is escaped by the
 * shared writer (core/io/csv-write.ts).
 */
export function tasksCsv(tasks: readonly ExportTask[]): string {
  return writeCsv(
    ["due", "task", "account", "account_id", "owner", "play", "alert"],
    tasks.map((t) => [t.due, t.title, t.accountName, t.accountId, t.owner, t.playName, t.alertTitle]),
  );
}

/**
 * Open tasks as an iCalendar file: one all-day event on each task's due day (events rather than VTODOs, since the
 * common calendar apps import events and drop to-dos). UIDs are the tasks' ids, so importing again updates them.
 */
export function tasksIcs(tasks: readonly ExportTask[], stamp: Date): string {
  return icsCalendar(
    tasks.map((t) => ({
      uid: `${t.id}@vitals.local`,
      day: t.due,
      summary: `${t.title} (${t.accountName})`,
      description: [
        `Account: ${t.accountName} (${t.accountId})`,
        `Owner: ${t.owner || "unassigned"}`,
        `Play: ${t.playName}`,
        `Alert: ${t.alertTitle}`,
      ].join("\n"),
      categories: ["Vitals", t.playName],
    })),
    stamp,
  );
}
