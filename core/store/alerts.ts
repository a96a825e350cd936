import type { AlertHit } from "../alerts/evaluate.ts";
import { type AlertChange, changeAlert, reconcileAlerts, wakeAlert } from "../alerts/lifecycle.ts";
import { Alert } from "../schema/alert.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import { refused, type SaveResult } from "../schema/issues.ts";
import { DEFAULT_PLAYS, PlayTemplate, Task } from "../schema/play.ts";
import type { AlertRow, VitalsDb } from "./db.ts";
import { runsBySize, textBytes } from "./small-writes.ts";

/** A fresh id with a prefix: time then randomness, so ids sort roughly by creation. */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A stored alert read back through the Alert schema (an older row's missing fields filled first); undefined if broken. */
export function restoreAlert(row: AlertRow): Alert | undefined {
  const parsed = Alert.safeParse({
    scorecardId: "",
    kind: "",
    title: row.message,
    since: null,
    updatedOn: row.raisedOn,
    ...row,
  });
  return parsed.success ? parsed.data : undefined;
}

/**
 * Every stored alert that reads back (or only one account's, by its index: the account page reads no other), waking
 * snoozed ones whose day has come (and saving that).
 */
export async function listAlerts(db: VitalsDb, today: Day, accountId?: string): Promise<Alert[]> {
  const day = formatDay(today);
  return db.transaction("rw", db.alerts, async () => {
    const rows = await (accountId === undefined ? db.alerts : db.alerts.where("accountId").equals(accountId)).toArray();
    const alerts = rows.flatMap((row) => restoreAlert(row) ?? []);
    const woken: Alert[] = [];
    const out = alerts.map((a) => {
      const w = wakeAlert(a, day);
      if (w) woken.push(w);
      return w ?? a;
    });
    if (woken.length > 0) await db.alerts.bulkPut(woken);
    return out;
  });
}

/** Whether two alerts hold the same fields and values (an alert's values are all text, numbers or null). */
function sameAlert(a: object, b: object): boolean {
  const x = a as Readonly<Record<string, unknown>>;
  const y = b as Readonly<Record<string, unknown>>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => Object.hasOwn(y, k) && Object.is(x[k], y[k]));
}

/** About how many bytes a stored alert takes (its text, its keys and its index entries). */
const alertBytes = (alert: Alert) =>
  256 + Object.values(alert).reduce<number>((n, v) => n + (typeof v === "string" ? textBytes(v) : 8), 0);

/**
 * Brings the inbox in line with the rules that hold after a rescore (reconcileAlerts). Returns how many alerts are
 * open afterwards.
 *
 * Only alerts that change are written (a rescore on the same day rewrites nothing), a few hundred kilobytes per
 * transaction (small-writes.ts: one large transaction slows every later open of the database). Each transaction
 * first reads the rows it is about to replace, and leaves any that changed since the inbox was read: a CSM's snooze
 * or done in between is never overwritten by a stale read (the next rescore reconciles that alert again).
 */
export async function syncAlerts(db: VitalsDb, hits: readonly AlertHit[], today: Day): Promise<number> {
  const day = formatDay(today);
  await ensureDefaultPlays(db);
  const rows = await db.alerts.toArray();
  const read = new Map(rows.map((row) => [row.id, row]));
  const stored = rows.flatMap((row) => restoreAlert(row) ?? []);
  const byId = new Map(stored.map((a) => [a.id, a]));
  const changed = reconcileAlerts(stored, hits, day, () => newId("alr")).filter((a) => {
    const before = byId.get(a.id);
    return before === undefined || !sameAlert(before, a);
  });
  for (const run of runsBySize(changed, alertBytes)) {
    await db.transaction("rw", db.alerts, async () => {
      const now = await db.alerts.bulkGet(run.map((a) => a.id));
      const still: Alert[] = [];
      run.forEach((a, i) => {
        const before = read.get(a.id);
        const current = now[i];
        if (before === undefined ? current === undefined : current !== undefined && sameAlert(before, current)) {
          still.push(a);
        } else {
          // Changed meanwhile (the CSM's own words): kept as it now is.
          const kept = current ? restoreAlert(current) : undefined;
          if (kept) byId.set(kept.id, kept);
          else byId.delete(a.id);
        }
      });
      for (const a of still) byId.set(a.id, a);
      await db.alerts.bulkPut(still);
    });
  }
  let open = 0;
  for (const a of byId.values()) if (a.status === "open") open++;
  return open;
}

/**
 * Raises, refreshes and clears one account's alerts from that account's hits alone (a rating rescored it): the same
 * reconciliation as `syncAlerts`, over the account's stored alerts, so the others' are left as they are.
 */
export async function syncAccountAlerts(
  db: VitalsDb,
  accountId: string,
  hits: readonly AlertHit[],
  today: Day,
): Promise<void> {
  const day = formatDay(today);
  await ensureDefaultPlays(db);
  await db.transaction("rw", db.alerts, async () => {
    const rows = await db.alerts.where("accountId").equals(accountId).toArray();
    const stored = rows.flatMap((row) => restoreAlert(row) ?? []);
    const mine = hits.filter((h) => h.accountId === accountId);
    const changed = reconcileAlerts(stored, mine, day, () => newId("alr"));
    if (changed.length > 0) await db.alerts.bulkPut(changed);
  });
}

/** Changes one alert's status as the CSM asks, or refuses with why it cannot (the request as a whole, `$`). */
export async function updateAlert(
  db: VitalsDb,
  id: string,
  change: AlertChange,
  today: Day,
): Promise<SaveResult<Alert>> {
  const changed = await updateAlerts(db, [id], change, today);
  return changed.ok ? { ok: true, value: changed.value[0] as Alert } : changed;
}

/**
 * Changes several alerts' status at once (the inbox's bulk actions), in one transaction: all change, or none does
 * and the refusal names the first alert that could not and why, at its place in `ids` (`$.ids[2]`, its message
 * starting with the alert's account and title; `$` when there is one alert). A refused change itself (a snooze day
 * that is not after today) is refused at its field (`$.until`).
 */
export async function updateAlerts(
  db: VitalsDb,
  ids: readonly string[],
  change: AlertChange,
  today: Day,
): Promise<SaveResult<Alert[]>> {
  const day = formatDay(today);
  const at = (i: number) => (ids.length === 1 ? "$" : `$.ids[${i}]`);
  return db.transaction("rw", db.alerts, db.accounts, async () => {
    const rows = await db.alerts.bulkGet([...ids]);
    const alerts: Alert[] = [];
    for (const [i, row] of rows.entries()) {
      const alert = row && restoreAlert(row);
      if (!alert) return refused(at(i), `there is no alert "${ids[i]}"`);
      alerts.push(alert);
    }
    // Each account's alerts as they stand, changed ones included, for the reopen check.
    const byAccount = new Map<string, Map<string, Alert>>();
    const mine = async (accountId: string) => {
      let m = byAccount.get(accountId);
      if (!m) {
        const list = (await db.alerts.where("accountId").equals(accountId).toArray()).flatMap(
          (r) => restoreAlert(r) ?? [],
        );
        m = new Map(list.map((a) => [a.id, a]));
        byAccount.set(accountId, m);
      }
      return m;
    };
    const out: Alert[] = [];
    for (const [i, alert] of alerts.entries()) {
      const others = await mine(alert.accountId);
      const next = changeAlert(others.get(alert.id) ?? alert, change, day, [...others.values()]);
      if (!next.ok) {
        // A change refused at its own field (the snooze day) is the request's; an alert that cannot change is named.
        const [issue] = next.issues;
        if (ids.length === 1 || issue?.path !== "$") return next;
        const account = await db.accounts.get(alert.accountId);
        return refused(at(i), `${account?.name ?? alert.accountId}: ${alert.title}: ${issue.message}`);
      }
      others.set(next.value.id, next.value);
      out.push(next.value);
    }
    await db.alerts.bulkPut(out);
    return { ok: true as const, value: out };
  });
}

/** Saves the default plays once, on a store's first alerts (deleting them all later does not bring them back). */
export async function ensureDefaultPlays(db: VitalsDb): Promise<void> {
  await db.transaction("rw", db.playTemplates, db.meta, async () => {
    if (await db.meta.get("playsSeeded")) return;
    const at = new Date().toISOString();
    if ((await db.playTemplates.count()) === 0) {
      await db.playTemplates.bulkPut(DEFAULT_PLAYS.map((p) => ({ ...p, updatedAt: at })));
    }
    await db.meta.put({ key: "playsSeeded", value: true });
  });
}

/** The play templates, by name; rows that do not read back are left out. */
export async function listPlays(db: VitalsDb): Promise<PlayTemplate[]> {
  await ensureDefaultPlays(db);
  return (await db.playTemplates.toArray())
    .flatMap((row) => {
      const parsed = PlayTemplate.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name, "en") || (a.id < b.id ? -1 : 1));
}

/** Saves a play template (validated by the caller). */
export async function savePlay(db: VitalsDb, play: PlayTemplate): Promise<void> {
  await db.playTemplates.put({ ...play, updatedAt: new Date().toISOString() });
}

/** Deletes a play template; tasks already made from it stay. */
export async function deletePlay(db: VitalsDb, id: string): Promise<boolean> {
  return db.transaction("rw", db.playTemplates, async () => {
    if (!(await db.playTemplates.get(id))) return false;
    await db.playTemplates.delete(id);
    return true;
  });
}

/**
 * Starts a play on an alert: one task per step, due `dueDays` after today, owned by the step's owner or else the
 * account's owner. An alert carries one play; starting another is refused.
 */
export async function startPlay(
  db: VitalsDb,
  alertId: string,
  play: PlayTemplate,
  accountOwner: string,
  today: Day,
): Promise<SaveResult<Task[]>> {
  return db.transaction("rw", db.alerts, db.tasks, async () => {
    const row = await db.alerts.get(alertId);
    const alert = row && restoreAlert(row);
    if (!alert) return refused("$", `there is no alert "${alertId}"`);
    if (alert.playId !== undefined)
      return refused("$", `the play "${alert.playName ?? alert.playId}" is already started`);
    if (alert.status === "done") return refused("$", "reopen the alert before starting a play on it");
    const tasks = play.steps.map((step, i) =>
      Task.parse({
        id: `${newId("tsk")}-${i}`,
        alertId,
        playId: play.id,
        playName: play.name,
        accountId: alert.accountId,
        step: i,
        title: step.title,
        owner: step.owner || accountOwner,
        due: formatDay(today + step.dueDays),
        createdOn: formatDay(today),
      }),
    );
    await db.tasks.bulkPut(tasks);
    await db.alerts.put({ ...alert, playId: play.id, playName: play.name });
    return { ok: true as const, value: tasks };
  });
}

/** Every stored task that reads back. */
export async function listTasks(db: VitalsDb, accountId?: string): Promise<Task[]> {
  const rows = await (accountId === undefined ? db.tasks : db.tasks.where("accountId").equals(accountId)).toArray();
  return rows.flatMap((row) => {
    const parsed = Task.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Completes a task (today) or opens it again; refused when there is no such task. */
export async function setTaskDone(db: VitalsDb, id: string, done: boolean, today: Day): Promise<SaveResult<Task>> {
  return db.transaction("rw", db.tasks, async () => {
    const row = await db.tasks.get(id);
    const parsed = row && Task.safeParse(row);
    if (!parsed?.success) return refused("$", `there is no task "${id}"`);
    const { doneOn: _done, ...task } = parsed.data;
    const next: Task = done ? { ...task, doneOn: formatDay(today) } : task;
    await db.tasks.put(next);
    return { ok: true as const, value: next };
  });
}

/** Days from today to an ISO day (negative: past). */
export function daysUntil(isoDay: string, today: Day): number {
  return (parseIsoDay(isoDay) ?? today) - today;
}
