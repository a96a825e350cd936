import { z } from "zod";
import { alertRulesOf, describeRule } from "../alerts/rules.ts";
import {
  type AlertDigest,
  type AlertGroup,
  type AlertSummary,
  alertDigest,
  alertSeverity,
  groupAlerts,
  type Severity,
  summarizeAlerts,
} from "../alerts/triage.ts";
import { type ExportTask, tasksCsv, tasksIcs } from "../io/tasks-export.ts";
import { type Alert, AlertStatus } from "../schema/alert.ts";
import { type Day, formatDay, localDay } from "../schema/day.ts";
import { IsoDay } from "../schema/iso-day.ts";
import { refused, type SaveResult } from "../schema/issues.ts";
import { PlayTemplate as PlaySchema, type PlayTemplate, type Task } from "../schema/play.ts";
import { type AlertCounts, countAlerts } from "../store/alert-counts.ts";
import {
  daysUntil,
  deletePlay,
  listAlerts,
  listPlays,
  listTasks,
  savePlay,
  setTaskDone,
  startPlay,
  updateAlert,
  updateAlerts,
} from "../store/alerts.ts";
import type { VitalsDb } from "../store/db.ts";
import { listScorecards } from "../store/scorecards.ts";
import { checkRequest, parseRequest } from "./runtime/errors.ts";

/** An alert as the inbox lists it: with its account, owner and scorecard by name, and its play's progress. */
export interface ListedAlert extends Alert {
  accountName: string;
  /** The account's owner (CSM), empty when it has none. */
  owner: string;
  /** The account's ARR (the ARR at risk), null when it has none. */
  arr: number | null;
  /** The account's renewal date, null when it has none. */
  renewalDate: string | null;
  /** How urgent its rule's kind is (alertSeverity). */
  severity: Severity;
  scorecardName: string;
  /** Ids of the plays attached to its rule, suggested first when starting one. */
  suggestedPlays: string[];
  /** Tasks of its play: how many, how many done. */
  tasks: { total: number; done: number };
}

/** Alerts per status. */
export type { AlertCounts };

/** What the inbox shows: the alerts that pass the filter, counts per status (of the filtered set), filter choices. */
export interface AlertInbox {
  /** The alerts shown, in the order of their groups. */
  alerts: ListedAlert[];
  /** The alerts shown, grouped by account in the chosen order (groupAlerts). */
  groups: AlertGroup<ListedAlert>[];
  /** The alerts shown: how many, on how many accounts, their ARR. */
  summary: AlertSummary;
  /** The accounts with an alert of the chosen status (under the owner and scorecard filters), by name. */
  accounts: { id: string; name: string; alerts: number }[];
  counts: AlertCounts;
  owners: string[];
  scorecards: { id: string; name: string }[];
  /** Today, which snooze days and due days count from. */
  today: string;
}

/** A task as the task list shows it. */
export interface ListedTask extends Task {
  accountName: string;
  alertTitle: string;
  /** Days until due (negative: overdue by that many days). */
  daysLeft: number;
  overdue: boolean;
}

/** A rule a play can be attached to, in words. */
export interface RuleChoice {
  scorecardId: string;
  scorecardName: string;
  ruleId: string;
  title: string;
}

/** Which alerts the inbox lists. */
export const AlertFilter = z.object({
  status: AlertStatus.optional(),
  owner: z.string().optional(),
  scorecardId: z.string().optional(),
  accountId: z.string().optional(),
  /** How accounts are ordered (groupAlerts); ARR at risk first unless asked otherwise. */
  sort: z.enum(["arr", "severity", "renewal", "newest"]).default("arr"),
});
/** Which of one account's alerts its page lists. */
export const AccountAlertFilter = z.object({ accountId: z.string().min(1), status: AlertStatus.optional() });

/** One account's alerts (its page's panel), with that account's counts. */
export interface AccountAlerts {
  alerts: ListedAlert[];
  counts: AlertCounts;
  /** Today, which snooze days and due days count from. */
  today: string;
}

/** Alert ids for a bulk action (at least one). */
const AlertIds = z.array(z.string().min(1)).min(1, "select at least one alert");
/** Which tasks the task list shows. */
export const TaskFilter = z.object({ owner: z.string().optional(), includeDone: z.boolean().default(false) });

const byTask = (x: ListedTask, y: ListedTask) =>
  Number(x.doneOn !== undefined) - Number(y.doneOn !== undefined) ||
  (x.due < y.due ? -1 : x.due > y.due ? 1 : 0) ||
  x.accountName.localeCompare(y.accountName, "en") ||
  x.step - y.step;

/**
 * The alert inbox, plays and tasks the app's pages call (in the data worker, beside the portfolio API, which raises
 * the alerts on each rescore). The CSM's actions write through the durable connection: they cannot be made again.
 */
export function createAlertsApi(openDb: () => VitalsDb, options: { today?: () => Day } = {}) {
  const today = options.today ?? (() => localDay(new Date()));
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openDb();
    return db;
  };

  /** The accounts' names and facts by id: every account's, or only the one named (an account page's alerts). */
  async function accountsById(
    accountId?: string,
  ): Promise<Map<string, { name: string; owner: string; arr: number | null; renewalDate: string | null }>> {
    const one = accountId === undefined ? undefined : await store().accounts.get(accountId);
    const rows = accountId === undefined ? await store().accounts.toArray() : one ? [one] : [];
    return new Map(
      rows.map((a) => [
        a.id,
        { name: a.name, owner: a.owner ?? "", arr: a.arr ?? null, renewalDate: a.renewalDate ?? null },
      ]),
    );
  }

  async function scorecardNames(): Promise<Map<string, string>> {
    return new Map((await listScorecards(store())).map((c) => [c.id, c.name]));
  }

  const attachedTo = (play: PlayTemplate, a: { scorecardId: string; ruleId: string }) =>
    play.rules.some((r) => r.ruleId === a.ruleId && (r.scorecardId === undefined || r.scorecardId === a.scorecardId));

  async function listedTasks(filter: z.infer<typeof TaskFilter>): Promise<{ tasks: ListedTask[]; owners: string[] }> {
    const now = today();
    const [tasks, accounts, alerts] = await Promise.all([listTasks(store()), accountsById(), listAlerts(store(), now)]);
    const titles = new Map(alerts.map((a) => [a.id, a.title]));
    const owners = [...new Set(tasks.map((t) => t.owner).filter((o) => o !== ""))].sort();
    const listed = tasks
      .filter((t) => (filter.owner === undefined || t.owner === filter.owner) && (filter.includeDone || !t.doneOn))
      .map((t) => {
        const daysLeft = daysUntil(t.due, now);
        return {
          ...t,
          accountName: accounts.get(t.accountId)?.name ?? t.accountId,
          alertTitle: titles.get(t.alertId) ?? "",
          daysLeft,
          overdue: t.doneOn === undefined && daysLeft < 0,
        };
      })
      .sort(byTask);
    return { tasks: listed, owners };
  }

  /** Every alert with its account, owner, ARR, renewal, scorecard name, suggested plays and its play's tasks. */
  /** The alerts as the pages list them: every account's, or one account's alone (read by its index). */
  async function listedAlerts(accountId?: string): Promise<ListedAlert[]> {
    const [alerts, accounts, names, plays, tasks] = await Promise.all([
      listAlerts(store(), today(), accountId),
      accountsById(accountId),
      scorecardNames(),
      listPlays(store()),
      listTasks(store(), accountId),
    ]);
    const taskCounts = new Map<string, { total: number; done: number }>();
    for (const t of tasks) {
      const c = taskCounts.get(t.alertId) ?? { total: 0, done: 0 };
      c.total++;
      if (t.doneOn) c.done++;
      taskCounts.set(t.alertId, c);
    }
    return alerts.map((a) => {
      const account = accounts.get(a.accountId);
      return {
        ...a,
        accountName: account?.name ?? a.accountId,
        owner: account?.owner ?? "",
        arr: account?.arr ?? null,
        renewalDate: account?.renewalDate ?? null,
        severity: alertSeverity(a.kind),
        scorecardName: names.get(a.scorecardId) ?? a.scorecardId,
        suggestedPlays: plays.filter((p) => attachedTo(p, a)).map((p) => p.id),
        tasks: taskCounts.get(a.id) ?? { total: 0, done: 0 },
      };
    });
  }

  return {
    /**
     * The inbox: alerts passing the filter grouped by account in the chosen order (ARR at risk first by default),
     * counts per status, a summary, and the filter's choices.
     */
    async alerts(filter: unknown = {}): Promise<AlertInbox> {
      const f = parseRequest(AlertFilter, filter);
      const listed = await listedAlerts();
      const owners = [...new Set(listed.map((a) => a.owner).filter((o) => o !== ""))].sort();
      const names = new Map(listed.map((a) => [a.scorecardId, a.scorecardName]));
      const scorecards = [...names]
        .map(([id, name]) => ({ id, name }))
        .sort((x, y) => x.name.localeCompare(y.name, "en"));
      const byOwnerAndCard = listed.filter(
        (a) =>
          (f.owner === undefined || a.owner === f.owner) &&
          (f.scorecardId === undefined || a.scorecardId === f.scorecardId),
      );
      const scoped = byOwnerAndCard.filter((a) => f.accountId === undefined || a.accountId === f.accountId);
      const counts: AlertCounts = { open: 0, snoozed: 0, done: 0 };
      for (const a of scoped) counts[a.status]++;
      const ofStatus = (a: ListedAlert) => f.status === undefined || a.status === f.status;
      const perAccount = new Map<string, { id: string; name: string; alerts: number }>();
      for (const a of byOwnerAndCard.filter(ofStatus)) {
        const c = perAccount.get(a.accountId) ?? { id: a.accountId, name: a.accountName, alerts: 0 };
        c.alerts++;
        perAccount.set(a.accountId, c);
      }
      const accounts = [...perAccount.values()].sort(
        (x, y) => x.name.localeCompare(y.name, "en") || (x.id < y.id ? -1 : 1),
      );
      const groups = groupAlerts(scoped.filter(ofStatus), f.sort);
      const alerts = groups.flatMap((g) => g.alerts);
      return {
        alerts,
        groups,
        summary: summarizeAlerts(alerts),
        accounts,
        counts,
        owners,
        scorecards,
        today: formatDay(today()),
      };
    },

    /**
     * One account's alerts of a status (all when none), in the inbox's order, with the account's counts: the account
     * page's panel, which reads that account's rows alone (issue 14: nothing that shows one account loads them all).
     */
    async accountAlerts(filter: unknown): Promise<AccountAlerts> {
      const f = parseRequest(AccountAlertFilter, filter);
      const listed = await listedAlerts(f.accountId);
      const counts: AlertCounts = { open: 0, snoozed: 0, done: 0 };
      for (const a of listed) counts[a.status]++;
      const shown = listed.filter((a) => f.status === undefined || a.status === f.status);
      return { alerts: groupAlerts(shown, "arr").flatMap((g) => g.alerts), counts, today: formatDay(today()) };
    },

    /** What changed in the inbox since yesterday (alertDigest): raised, back from a snooze, cleared, closed. */
    async alertDigest(): Promise<AlertDigest<ListedAlert> & { today: string }> {
      const now = today();
      return { ...alertDigest(await listedAlerts(), formatDay((now - 1) as Day)), today: formatDay(now) };
    },

    /** How many alerts are open, snoozed and done (the navigation's badge shows the open ones). */
    async alertCounts(): Promise<AlertCounts> {
      return countAlerts(store(), today());
    },

    /**
     * Snoozes an alert until a day after today; it comes back open then (or closes if its condition cleared). Refused
     * with why (`$.until` for the day) when it cannot be; nothing changes then.
     */
    async snoozeAlert(id: string, until: unknown): Promise<SaveResult<Alert>> {
      const req = checkRequest(z.object({ until: IsoDay }), { until });
      if (!req.ok) return req;
      return updateAlert(store(), id, { to: "snoozed", until: req.value.until }, today());
    },

    /** Marks an alert done; the same rule does not raise it again until its condition clears and comes back. */
    async closeAlert(id: string): Promise<SaveResult<Alert>> {
      return updateAlert(store(), id, { to: "done" }, today());
    },

    /**
     * Snoozes several alerts until a day, all or none: refused with the first alert that could not be snoozed, by its
     * place in `ids` and named in the message, or with the day (`$.until`).
     */
    async snoozeAlerts(ids: unknown, until: unknown): Promise<SaveResult<Alert[]>> {
      const req = checkRequest(z.object({ ids: AlertIds, until: IsoDay }), { ids, until });
      if (!req.ok) return req;
      return updateAlerts(store(), req.value.ids, { to: "snoozed", until: req.value.until }, today());
    },

    /** Marks several alerts done, all or none. */
    async closeAlerts(ids: unknown): Promise<SaveResult<Alert[]>> {
      const req = checkRequest(z.object({ ids: AlertIds }), { ids });
      if (!req.ok) return req;
      return updateAlerts(store(), req.value.ids, { to: "done" }, today());
    },

    /** Reopens several snoozed or done alerts, all or none. */
    async reopenAlerts(ids: unknown): Promise<SaveResult<Alert[]>> {
      const req = checkRequest(z.object({ ids: AlertIds }), { ids });
      if (!req.ok) return req;
      return updateAlerts(store(), req.value.ids, { to: "open" }, today());
    },

    /** Reopens a snoozed or done alert (refused when its rule has another open alert for the account). */
    async reopenAlert(id: string): Promise<SaveResult<Alert>> {
      return updateAlert(store(), id, { to: "open" }, today());
    },

    /** The play templates, by name. */
    async plays(): Promise<PlayTemplate[]> {
      return listPlays(store());
    },

    /** Every live scorecard's alert rules in words, for attaching plays. */
    async alertRules(): Promise<RuleChoice[]> {
      return (await listScorecards(store())).flatMap((card) =>
        alertRulesOf(card).map((rule) => ({
          scorecardId: card.id,
          scorecardName: card.name,
          ruleId: rule.id,
          title: describeRule(rule, card),
        })),
      );
    },

    /** Saves a play template, or refuses it with each field at fault by JSON path (`$.steps[1].title`). */
    async savePlay(input: unknown): Promise<SaveResult<PlayTemplate>> {
      const checked = checkRequest(PlaySchema, input);
      if (!checked.ok) return checked;
      await savePlay(store(), checked.value);
      return checked;
    },

    /** Deletes a play template (tasks made from it stay); false when there was none. */
    async deletePlay(id: string): Promise<boolean> {
      return deletePlay(store(), id);
    },

    /**
     * Starts a play on an alert: its steps become tasks with due days counted from today. Refused (`$.playId` for a
     * play that is not there) when the alert is gone, done, or already has a play.
     */
    async startPlay(alertId: string, playId: string): Promise<SaveResult<ListedTask[]>> {
      const play = (await listPlays(store())).find((p) => p.id === playId);
      if (!play) return refused("$.playId", `there is no play "${playId}"`);
      const row = await store().alerts.get(alertId);
      const owner = row ? ((await store().accounts.get(row.accountId))?.owner ?? "") : "";
      const started = await startPlay(store(), alertId, play, owner, today());
      if (!started.ok) return started;
      const tasks = (await listedTasks({ includeDone: true })).tasks.filter((t) => t.alertId === alertId);
      return { ok: true, value: tasks };
    },

    /** The task list: open tasks (and done ones when asked), overdue and soonest first, filtered by owner. */
    async tasks(filter: unknown = {}): Promise<{ tasks: ListedTask[]; owners: string[]; today: string }> {
      const f = parseRequest(TaskFilter, filter);
      return { ...(await listedTasks(f)), today: formatDay(today()) };
    },

    /** Completes a task (done today) or opens it again; refused when there is no such task. */
    async setTaskDone(id: string, done: boolean): Promise<SaveResult<Task>> {
      return setTaskDone(store(), id, done, today());
    },

    /** The open tasks (of one owner, or all) as a CSV or an iCalendar file of all-day events on their due days. */
    async exportTasks(format: "csv" | "ics", filter: unknown = {}): Promise<{ fileName: string; text: string }> {
      const f = parseRequest(TaskFilter, filter);
      const { tasks } = await listedTasks({ ...f, includeDone: false });
      const rows: ExportTask[] = tasks.map((t) => ({
        id: t.id,
        title: t.title,
        accountId: t.accountId,
        accountName: t.accountName,
        owner: t.owner,
        due: t.due,
        playName: t.playName,
        alertTitle: t.alertTitle,
      }));
      const who = f.owner ? `-${f.owner.toLowerCase().replace(/[^a-z0-9]+/g, "-")}` : "";
      const name = `vitals-tasks${who}-${formatDay(today())}`;
      return format === "ics"
        ? { fileName: `${name}.ics`, text: tasksIcs(rows, new Date()) }
        : { fileName: `${name}.csv`, text: tasksCsv(rows) };
    },

    async close(): Promise<void> {
      db?.close();
      db = undefined;
    },
  };
}

/** The alerts API's type, as clients see it. */
export type AlertsApi = ReturnType<typeof createAlertsApi>;
