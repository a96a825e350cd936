/**
 * Alert triage (issue 18): how the inbox orders, groups and sums up alerts, and what changed since yesterday. Pure:
 * the worker lists the alerts with their accounts' ARR and renewal date, these functions order them, and the page
 * renders the result.
 */

/** How urgent an alert is, from its rule's kind. */
export type Severity = "high" | "medium" | "low";

/** How the inbox orders accounts. */
export type AlertSort = "arr" | "severity" | "renewal" | "newest";

/** The sorts in the order the inbox offers them, with their names in words. */
export const ALERT_SORTS: readonly { sort: AlertSort; label: string }[] = [
  { sort: "arr", label: "ARR at risk" },
  { sort: "severity", label: "Severity" },
  { sort: "renewal", label: "Renewal date" },
  { sort: "newest", label: "Newest" },
];

/**
 * The severity of a rule's kind: a red band or a renewal near while the score is not green put revenue at risk now
 * (high); a fall of the score or of one factor warns ahead of that (medium); missing data, or a kind this version
 * does not know, says nothing yet about the customer (low).
 */
export function alertSeverity(kind: string): Severity {
  if (kind === "band" || kind === "renewal") return "high";
  if (kind === "drop" || kind === "factor") return "medium";
  return "low";
}

const RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

/** What triage reads of an alert: its account with ARR and renewal date, its rule's kind, when it was raised. */
export interface TriageAlert {
  id: string;
  accountId: string;
  accountName: string;
  kind: string;
  title: string;
  raisedOn: string;
  /** The account's ARR, null when it has none. */
  arr: number | null;
  /** The account's renewal date (YYYY-MM-DD), null when it has none. */
  renewalDate: string | null;
}

/** One account's alerts, together. */
export interface AlertGroup<T extends TriageAlert> {
  accountId: string;
  accountName: string;
  arr: number | null;
  renewalDate: string | null;
  /** The highest severity of its alerts. */
  severity: Severity;
  /** The day its newest alert was raised. */
  newest: string;
  /** Its alerts: the most severe first, then the newest. */
  alerts: T[];
}

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
/** Larger first; null (unknown) after every number. */
const desc = (x: number | null, y: number | null) => (x === null ? (y === null ? 0 : 1) : y === null ? -1 : y - x);
/** Earlier day first; null (unknown) after every day. */
const soonest = (x: string | null, y: string | null) =>
  x === null ? (y === null ? 0 : 1) : y === null ? -1 : byText(x, y);

/**
 * Groups alerts by account and orders the accounts:
 * - `arr`: ARR at risk, the largest first (accounts without ARR last), then severity, then the soonest renewal;
 * - `severity`: the account's most severe alert, then ARR;
 * - `renewal`: the soonest renewal date first (none last), then ARR;
 * - `newest`: the account's most recently raised alert first, then ARR.
 * Ties end on the account's name and id, so the order never depends on the input's. Within an account, alerts go
 * the most severe first, then the newest, then by title.
 */
export function groupAlerts<T extends TriageAlert>(alerts: readonly T[], sort: AlertSort): AlertGroup<T>[] {
  const groups = new Map<string, AlertGroup<T>>();
  for (const a of alerts) {
    const g = groups.get(a.accountId);
    if (!g) {
      groups.set(a.accountId, {
        accountId: a.accountId,
        accountName: a.accountName,
        arr: a.arr,
        renewalDate: a.renewalDate,
        severity: alertSeverity(a.kind),
        newest: a.raisedOn,
        alerts: [a],
      });
      continue;
    }
    g.alerts.push(a);
    const s = alertSeverity(a.kind);
    if (RANK[s] > RANK[g.severity]) g.severity = s;
    if (a.raisedOn > g.newest) g.newest = a.raisedOn;
  }
  const within = (x: T, y: T) =>
    RANK[alertSeverity(y.kind)] - RANK[alertSeverity(x.kind)] ||
    byText(y.raisedOn, x.raisedOn) ||
    byText(x.title, y.title) ||
    byText(x.id, y.id);
  const severity = (x: AlertGroup<T>, y: AlertGroup<T>) => RANK[y.severity] - RANK[x.severity];
  const order: Record<AlertSort, (x: AlertGroup<T>, y: AlertGroup<T>) => number> = {
    arr: (x, y) => desc(x.arr, y.arr) || severity(x, y) || soonest(x.renewalDate, y.renewalDate),
    severity: (x, y) => severity(x, y) || desc(x.arr, y.arr),
    renewal: (x, y) => soonest(x.renewalDate, y.renewalDate) || desc(x.arr, y.arr),
    newest: (x, y) => byText(y.newest, x.newest) || desc(x.arr, y.arr),
  };
  const list = [...groups.values()];
  for (const g of list) g.alerts.sort(within);
  return list.sort(
    (x, y) => order[sort](x, y) || x.accountName.localeCompare(y.accountName, "en") || byText(x.accountId, y.accountId),
  );
}

/** How much a set of alerts covers: alerts, accounts and the ARR of those accounts (each account once). */
export interface AlertSummary {
  alerts: number;
  accounts: number;
  arrAtRisk: number;
}

/** Sums up alerts: how many, on how many accounts, and those accounts' ARR counted once each. */
export function summarizeAlerts(alerts: readonly TriageAlert[]): AlertSummary {
  const arr = new Map<string, number>();
  for (const a of alerts) arr.set(a.accountId, a.arr ?? 0);
  let arrAtRisk = 0;
  for (const v of arr.values()) arrAtRisk += v;
  return { alerts: alerts.length, accounts: arr.size, arrAtRisk };
}

/** What the digest reads of an alert, beyond triage: where it is and the days it moved. */
export interface DigestAlert extends TriageAlert {
  status: "open" | "snoozed" | "done";
  clearedOn?: string | undefined;
  doneOn?: string | undefined;
  wokeOn?: string | undefined;
  resolution?: "done" | "cleared" | undefined;
}

/** What changed in the inbox since a day: each part grouped by account, the largest ARR first. */
export interface AlertDigest<T extends DigestAlert> {
  /** The first day counted (yesterday). */
  since: string;
  /** Raised on or after `since` (whatever became of them since). */
  raised: AlertGroup<T>[];
  /** Came back from a snooze on or after `since`, still open. */
  woke: AlertGroup<T>[];
  /** Open or snoozed, whose condition stopped holding on or after `since`: for the CSM to close. */
  cleared: AlertGroup<T>[];
  /** Closed on or after `since`, by the CSM (done) or by the app (the condition had cleared while snoozed). */
  closed: AlertGroup<T>[];
  /** How many alerts each part holds. */
  counts: { raised: number; woke: number; cleared: number; closed: number };
}

/**
 * What changed since a day (the inbox's "since yesterday"): alerts raised, back from a snooze, no longer holding,
 * and closed on that day or after. An alert raised and closed in that time is in both parts; one raised in it is
 * not also listed as woken or cleared (it is new either way).
 */
export function alertDigest<T extends DigestAlert>(alerts: readonly T[], since: string): AlertDigest<T> {
  const after = (day: string | undefined) => day !== undefined && day >= since;
  const raised = alerts.filter((a) => a.raisedOn >= since);
  const old = alerts.filter((a) => a.raisedOn < since);
  const woke = old.filter((a) => a.status === "open" && after(a.wokeOn));
  const cleared = old.filter((a) => a.status !== "done" && after(a.clearedOn));
  const closed = alerts.filter((a) => a.status === "done" && after(a.doneOn));
  return {
    since,
    raised: groupAlerts(raised, "arr"),
    woke: groupAlerts(woke, "arr"),
    cleared: groupAlerts(cleared, "arr"),
    closed: groupAlerts(closed, "arr"),
    counts: { raised: raised.length, woke: woke.length, cleared: cleared.length, closed: closed.length },
  };
}
