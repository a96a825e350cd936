import type { Alert } from "../schema/alert.ts";
import { refused, type SaveResult } from "../schema/issues.ts";
import { type AlertHit, NO_SCORE_WORDS } from "./evaluate.ts";

/**
 * Whether an alert was raised on data not yet imported rather than on a score: a renewal alert of an older version
 * "while the score is no score (not enough data)" (an accounts file imported before its observations raised one on
 * every account renewing soon). Its condition was an artefact; once it no longer holds, it closes by itself.
 */
export function raisedOnMissingData(alert: Alert): boolean {
  return alert.kind === "renewal" && alert.message.includes(NO_SCORE_WORDS);
}

/** The identity one open alert at a time is kept for: scorecard, rule and account. */
export function alertKey(a: { scorecardId: string; ruleId: string; accountId: string }): string {
  return `${a.scorecardId}\u0001${a.ruleId}\u0001${a.accountId}`;
}

/**
 * A snoozed alert whose day has come wakes: back to open when its condition still held at the last rescore, closed
 * as "cleared" when it no longer did (reminding the CSM of something that went away is noise). Returns the changed
 * alert, or undefined when nothing changes.
 */
export function wakeAlert(alert: Alert, today: string): Alert | undefined {
  if (alert.status !== "snoozed" || alert.snoozedUntil === undefined || alert.snoozedUntil > today) return undefined;
  const { snoozedUntil: _until, ...rest } = alert;
  return alert.clearedOn !== undefined
    ? { ...rest, status: "done", doneOn: today, resolution: "cleared" }
    : { ...rest, status: "open", wokeOn: today };
}

/** What the CSM does to an alert: snooze it until a day, mark it done, or reopen it. */
export type AlertChange = { to: "snoozed"; until: string } | { to: "done" } | { to: "open" };

/**
 * An alert after the CSM's change on a day, or the refusal saying why not: a closed alert cannot be snoozed (reopen it
 * first), a snooze ends after today (`$.until`), and a closed alert reopens only while its rule has no other open or
 * snoozed alert for the account (`others`: the account's other alerts).
 */
export function changeAlert(
  alert: Alert,
  change: AlertChange,
  today: string,
  others: readonly Alert[],
): SaveResult<Alert> {
  const { snoozedUntil: _until, doneOn: _done, resolution: _resolution, ...base } = alert;
  if (change.to === "snoozed") {
    if (alert.status === "done") return refused("$", "a closed alert cannot be snoozed; reopen it first");
    if (change.until <= today) return refused("$.until", `snooze until a day after today (${today})`);
    return { ok: true, value: { ...base, status: "snoozed", snoozedUntil: change.until } };
  }
  if (change.to === "done") return { ok: true, value: { ...base, status: "done", doneOn: today, resolution: "done" } };
  if (alert.status === "done") {
    const key = alertKey(alert);
    if (others.some((o) => o.id !== alert.id && o.status !== "done" && alertKey(o) === key)) {
      return refused("$", "this rule already has an open alert for this account");
    }
  }
  return { ok: true, value: { ...base, status: "open" } };
}

/**
 * What a rescore does to the inbox, given the stored alerts and the rules that hold now (the hits). Returns the
 * alerts to write (new and changed):
 * - a hit with an open or snoozed alert of its key refreshes its words; the alert stays where it is;
 * - a hit without one raises a new open alert, unless the latest alert of its key was closed while the same episode
 *   still runs (the condition never cleared since, and its `since` did not move on): the CSM already dealt with it;
 * - a key without a hit marks its open, snoozed or latest closed alert "no longer holds" (clearedOn): an open alert
 *   stays open for the CSM to close, so a play under way is not lost, and the next time the condition holds it is a
 *   new episode;
 * - an open or snoozed alert raised on missing data (raisedOnMissingData) with no hit is closed as "cleared", unless
 *   a play was started on it;
 * - snoozed alerts whose day has come wake (wakeAlert).
 */
export function reconcileAlerts(
  stored: readonly Alert[],
  hits: readonly AlertHit[],
  today: string,
  newId: () => string,
): Alert[] {
  const active = new Map<string, Alert>();
  const latestClosed = new Map<string, Alert>();
  for (const a of stored) {
    const key = alertKey(a);
    if (a.status === "done") {
      const prev = latestClosed.get(key);
      if (!prev || a.raisedOn > prev.raisedOn || (a.raisedOn === prev.raisedOn && a.id > prev.id)) {
        latestClosed.set(key, a);
      }
    } else active.set(key, a);
  }
  const changed = new Map<string, Alert>();
  const seen = new Set<string>();
  for (const hit of hits) {
    const key = alertKey(hit);
    if (seen.has(key)) continue;
    seen.add(key);
    const open = active.get(key);
    if (open) {
      const { clearedOn: _cleared, ...rest } = open;
      const next: Alert = { ...rest, title: hit.title, message: hit.message, since: hit.since, updatedOn: today };
      changed.set(open.id, wakeAlert(next, today) ?? next);
      continue;
    }
    const closed = latestClosed.get(key);
    const sameEpisode =
      closed !== undefined &&
      closed.clearedOn === undefined &&
      !(hit.since !== null && closed.since !== null && hit.since > closed.since);
    if (sameEpisode) continue;
    const id = newId();
    changed.set(id, {
      id,
      scorecardId: hit.scorecardId,
      ruleId: hit.ruleId,
      kind: hit.kind,
      accountId: hit.accountId,
      status: "open",
      raisedOn: today,
      title: hit.title,
      message: hit.message,
      since: hit.since,
      updatedOn: today,
    });
  }
  const clear = (a: Alert) => {
    if (a.status !== "done" && a.playId === undefined && raisedOnMissingData(a)) {
      // Nothing the CSM must close: it never described the account (a play started on it stays open, as any).
      const { snoozedUntil: _until, ...rest } = a;
      changed.set(a.id, {
        ...rest,
        clearedOn: a.clearedOn ?? today,
        status: "done",
        doneOn: today,
        resolution: "cleared",
      });
      return;
    }
    const next = a.clearedOn === undefined ? { ...a, clearedOn: today } : a;
    const woken = wakeAlert(next, today) ?? next;
    if (woken !== a) changed.set(a.id, woken);
  };
  for (const [key, a] of active) if (!seen.has(key)) clear(a);
  for (const [key, a] of latestClosed) if (!seen.has(key) && a.clearedOn === undefined) clear(a);
  return [...changed.values()];
}
