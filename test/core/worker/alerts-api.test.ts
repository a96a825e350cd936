import { beforeEach, describe, expect, it } from "vitest";
import { alertKey } from "../../../core/alerts/lifecycle.ts";
import { demoPortfolio } from "../../../core/demo/portfolio.ts";
import { type Day, formatDay, parseIsoDay } from "../../../core/schema/day.ts";
import type { VitalsDb } from "../../../core/store/db.ts";
import { accepted } from "../../support/results.ts";
import { freshAppApis, type TestAppApi } from "../../support/stores.ts";

/** Alerts raised by rescores, the inbox's actions, plays and tasks, through the app's worker API over fake-indexeddb. */
const START = parseIsoDay("2025-06-30") as Day;
const newApi = freshAppApis("alerts-api");
let day: Day;
let api: TestAppApi;
let open: () => VitalsDb;
beforeEach(() => {
  day = START;
  ({ api, open } = newApi({ demoAccounts: 60, today: () => day }));
});

/** An account with a scored primary result whose CSM sentiment earns at least 12 points and no open sentiment alert. */
async function happyAccount(): Promise<{ id: string; points: number; earned: number }> {
  const open = (await api.alerts({ status: "open" })).alerts;
  for (const row of await api.accounts()) {
    if (open.some((a) => a.accountId === row.id && a.ruleId === "csm-sentiment-low")) continue;
    const [result] = (await api.account(row.id)).results;
    const factor = result?.factors.find((f) => f.factorId === "csm-sentiment");
    if (result?.points != null && factor && factor.status === "ok" && factor.earned >= 12) {
      return { id: row.id, points: result.points, earned: factor.earned };
    }
  }
  throw new Error("no demo account has a CSM sentiment worth 12 points");
}

describe("alerts raised on rescore", () => {
  it("the demo raises alerts by its primary scorecard's default rules, one open per rule and account", async () => {
    await api.loadDemo("j1");
    const inbox = await api.alerts();
    expect(inbox.counts.open).toBeGreaterThan(0);
    expect(inbox.counts.open).toBe(inbox.alerts.filter((a) => a.status === "open").length);
    expect(await api.alertCounts()).toEqual(inbox.counts);
    const keys = inbox.alerts.map(alertKey);
    expect(new Set(keys).size).toBe(keys.length);
    const primaryOf = new Map((await api.accounts()).map((r) => [r.id, r.shown?.scorecardId]));
    for (const a of inbox.alerts) {
      expect(a.scorecardId).toBe(primaryOf.get(a.accountId));
      expect(a.raisedOn).toBe(formatDay(START));
      expect(a.accountName).not.toBe("");
    }
    // Every red account on its primary score has a red-band alert, unless it has churned: a churned account (its
    // latest outcome) raises no alert at all.
    const churned = new Set(
      demoPortfolio({ asOf: START, accounts: 60 })
        .outcomes.filter((o) => o.kind === "churned")
        .map((o) => o.accountId),
    );
    expect(churned.size).toBeGreaterThan(0);
    expect(inbox.alerts.filter((a) => churned.has(a.accountId))).toEqual([]);
    const red = (await api.accounts()).filter((r) => r.shown?.color === "red" && !churned.has(r.id)).map((r) => r.id);
    const redAlerts = inbox.alerts.filter((a) => a.ruleId === "red-band").map((a) => a.accountId);
    expect(red.length).toBeGreaterThan(0);
    expect(redAlerts.sort()).toEqual(red.sort());

    // Rescoring the same data raises nothing new.
    await api.rescore("j2");
    const again = await api.alerts();
    expect(again.alerts.map((a) => a.id).sort()).toEqual(inbox.alerts.map((a) => a.id).sort());
  });

  it("a CSM's rating of 1 on a healthy account drops its score and raises the sentiment alert that says why", async () => {
    await api.loadDemo("j1");
    const { id, points, earned } = await happyAccount();
    await api.addManualInput({ accountId: id, rating: 1, note: "Champion left", author: "Ana" });
    const after = (await api.account(id)).results[0]?.points as number;
    expect(points - after).toBeGreaterThanOrEqual(Math.floor(earned) - 1);
    const alert = (await api.alerts({ accountId: id, status: "open" })).alerts.find(
      (a) => a.ruleId === "csm-sentiment-low",
    );
    expect(alert?.title).toBe("CSM sentiment below 20% of its points");
    expect(alert?.message).toBe("CSM sentiment earns 0% of its points on 2025-06-30, below the 20% threshold");
  });
});

describe("alerts judged on data, not on its absence (issue 16)", () => {
  const accountsMapping = {
    shape: "wide",
    account: { by: "id", column: "id" },
    attributes: [
      { column: "name", attribute: "name" },
      { column: "segment", attribute: "segment" },
      { column: "renewal_date", attribute: "renewalDate", type: "date" },
    ],
  };
  const observationsMapping = {
    shape: "long",
    account: { by: "id", column: "account_id" },
    metricColumn: "metric",
    dayColumn: "day",
    valueColumn: "value",
  };
  const inDays = (n: number) => formatDay((START + n) as Day);

  it("an accounts file imported before its observations raises no renewal alert, and an old one on no score clears", async () => {
    const accounts = `id,name,segment,renewal_date\na1,Acme,SMB,${inDays(30)}\na2,Globex,SMB,${inDays(45)}\n`;
    const plan = await api.planImport("j1", "accounts.csv", accounts, accountsMapping);
    await api.applyImport("j2", plan.planId);
    await api.rescore("j3");
    // Renewals within 90 days and no score yet: not enough data says nothing about health.
    expect((await api.alerts()).alerts.filter((a) => a.kind === "renewal")).toEqual([]);

    // What an older version left in the inbox in that state.
    const db = open();
    await db.alerts.put({
      id: "alr-old",
      scorecardId: "adoption-smb",
      ruleId: "renewal-risk",
      kind: "renewal",
      accountId: "a1",
      status: "open",
      raisedOn: formatDay(START),
      title: "Renewal within 90 days while not green",
      message: `Renews on ${inDays(30)}, 30 days after the as-of day ${formatDay(START)}, while the score is no score (not enough data)`,
      since: inDays(-60),
      updatedOn: formatDay(START),
    });
    db.close();

    const rows = Array.from({ length: 60 }, (_, i) => `a1,logins,${inDays(-i)},${20 + (i % 5)}`);
    const observations = `account_id,metric,day,value\n${rows.join("\n")}\n`;
    const obs = await api.planImport("j4", "observations.csv", observations, observationsMapping);
    await api.applyImport("j5", obs.planId);
    day = (START + 1) as Day;
    await api.rescore("j6");
    const all = (await api.alerts()).alerts;
    // Nothing open says "no score"; the old alert closed itself, or became the real one if a1 is not green.
    expect(all.filter((a) => a.status !== "done" && a.message.includes("no score"))).toEqual([]);
    const old = all.find((a) => a.id === "alr-old");
    if (old?.status === "done") expect(old).toMatchObject({ resolution: "cleared", doneOn: formatDay(START + 1) });
    else expect(old?.message).toMatch(/while the score is \d+ \(/);
  });
});

/**
 * An account page's alerts (read from that account's rows alone) are the inbox's for that account, of every status,
 * with the same counts.
 */
async function expectAccountAlertsAsInbox(accountId: string): Promise<void> {
  for (const status of [undefined, "open", "snoozed", "done"] as const) {
    const inbox = await api.alerts({ accountId, ...(status ? { status } : {}) });
    const mine = await api.accountAlerts({ accountId, ...(status ? { status } : {}) });
    expect(mine).toEqual({ alerts: inbox.alerts, counts: inbox.counts, today: inbox.today });
  }
}

describe("the inbox's actions", () => {
  it("snoozes until a day, wakes on that day, closes, and reopens; bad days are refused by field", async () => {
    await api.loadDemo("j1");
    const [alert] = (await api.alerts({ status: "open" })).alerts;
    if (!alert) throw new Error("no open alert");
    expect(await api.snoozeAlert(alert.id, "2025-06-30")).toEqual({
      ok: false,
      issues: [{ path: "$.until", message: "snooze until a day after today (2025-06-30)" }],
    });
    expect(await api.snoozeAlert(alert.id, "next week")).toMatchObject({
      ok: false,
      issues: [{ path: "$.until", message: expect.stringMatching(/^expected a date/) }],
    });
    expect((await api.alerts({ status: "snoozed" })).alerts).toEqual([]);
    await accepted(api.snoozeAlert(alert.id, "2025-07-03"));
    expect((await api.alerts({ status: "snoozed" })).alerts.map((a) => a.id)).toEqual([alert.id]);
    const snoozed = await api.alertCounts();
    expect(snoozed.snoozed).toBe(1);
    day = START + 3; // 2025-07-03: it wakes when read, its condition still held at the last rescore
    // The navigation's counts (which read the rows without waking them) already count it as open, as the inbox will.
    expect(await api.alertCounts()).toEqual({ ...snoozed, open: snoozed.open + 1, snoozed: 0 });
    expect((await api.alerts({ status: "snoozed" })).alerts).toEqual([]);
    expect((await api.alerts()).counts).toEqual(await api.alertCounts());
    await expectAccountAlertsAsInbox(alert.accountId);
    expect((await api.alerts({ status: "open" })).alerts.map((a) => a.id)).toContain(alert.id);

    await accepted(api.closeAlert(alert.id));
    expect((await api.alerts({ status: "done" })).alerts[0]).toMatchObject({ id: alert.id, doneOn: "2025-07-03" });
    // Its condition still holds: a rescore does not raise it again.
    await api.rescore("j2");
    const same = (await api.alerts()).alerts.filter((a) => alertKey(a) === alertKey(alert));
    expect(same.map((a) => a.status)).toEqual(["done"]);
    await accepted(api.reopenAlert(alert.id));
    expect((await api.alerts({ status: "open" })).alerts.map((a) => a.id)).toContain(alert.id);
    expect(await api.closeAlert("nope")).toEqual({
      ok: false,
      issues: [{ path: "$", message: 'there is no alert "nope"' }],
    });
  });

  it("acts on many at once, all or none, and the digest says what changed since yesterday", async () => {
    await api.loadDemo("j1");
    const inbox = await api.alerts({ status: "open" });
    expect(inbox.alerts.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = inbox.alerts as [(typeof inbox.alerts)[0], (typeof inbox.alerts)[0], (typeof inbox.alerts)[0]];
    // A bad id among good ones changes none of them, and says which.
    expect(await api.closeAlerts([a.id, "nope"])).toEqual({
      ok: false,
      issues: [{ path: "$.ids[1]", message: 'there is no alert "nope"' }],
    });
    expect(await api.closeAlerts([])).toEqual({
      ok: false,
      issues: [{ path: "$.ids", message: "select at least one alert" }],
    });
    expect(await api.snoozeAlerts([a.id, b.id], "2025-06-30")).toEqual({
      ok: false,
      issues: [{ path: "$.until", message: "snooze until a day after today (2025-06-30)" }],
    });
    expect((await api.alerts({ status: "open" })).counts.open).toBe(inbox.counts.open);
    // An alert that cannot change is named by its account and title, at its place in the request: none changes.
    await accepted(api.closeAlerts([b.id]));
    expect(await api.snoozeAlerts([a.id, b.id], "2025-07-02")).toEqual({
      ok: false,
      issues: [
        {
          path: "$.ids[1]",
          message: `${b.accountName}: ${b.title}: a closed alert cannot be snoozed; reopen it first`,
        },
      ],
    });
    expect((await api.alerts({ status: "snoozed" })).alerts).toEqual([]);
    await accepted(api.reopenAlerts([b.id]));

    await accepted(api.snoozeAlerts([a.id, b.id], "2025-07-02"));
    await accepted(api.closeAlerts([c.id]));
    const after = await api.alerts({ status: "open" });
    expect(after.counts).toMatchObject({ open: inbox.counts.open - 3, snoozed: 2, done: 1 });
    day = START + 1;
    // The next day: yesterday (the demo's day) raised every alert and closed c.
    let digest = await api.alertDigest();
    expect(digest).toMatchObject({ since: formatDay(START), today: formatDay(START + 1) });
    expect(digest.counts.raised).toBe(inbox.counts.open);
    expect(digest.closed.flatMap((g) => g.alerts.map((x) => x.id))).toEqual([c.id]);
    day = START + 2; // the snoozes end: both wake, and nothing else moved since yesterday
    await api.alerts();
    digest = await api.alertDigest();
    expect(digest.counts).toEqual({ raised: 0, woke: 2, cleared: 0, closed: 0 });
    expect(digest.woke.flatMap((g) => g.alerts.map((x) => x.id)).sort()).toEqual([a.id, b.id].sort());
    await accepted(api.reopenAlerts([c.id]));
    expect((await api.alerts({ status: "done" })).counts.done).toBe(0);
  });

  it("groups each account's alerts together, ARR at risk first, and filters by account", async () => {
    await api.loadDemo("j1");
    const inbox = await api.alerts({ status: "open" });
    expect(inbox.groups.flatMap((g) => g.alerts)).toEqual(inbox.alerts);
    expect(new Set(inbox.groups.map((g) => g.accountId)).size).toBe(inbox.groups.length);
    const arr = inbox.groups.map((g) => g.arr ?? -1);
    expect(arr).toEqual([...arr].sort((x, y) => y - x));
    expect(inbox.summary).toMatchObject({ alerts: inbox.alerts.length, accounts: inbox.groups.length });
    expect(inbox.summary.arrAtRisk).toBe(inbox.groups.reduce((s, g) => s + (g.arr ?? 0), 0));
    const renewal = (await api.alerts({ status: "open", sort: "renewal" })).groups.map((g) => g.renewalDate ?? "~");
    expect(renewal).toEqual([...renewal].sort());
    const one = inbox.accounts[0] as { id: string; alerts: number };
    const only = await api.alerts({ status: "open", accountId: one.id });
    expect(only.alerts.map((a) => a.accountId)).toEqual(Array(one.alerts).fill(one.id));
    await expect(api.alerts({ sort: "alphabet" })).rejects.toMatchObject({ name: "InputError" });
    await expectAccountAlertsAsInbox(one.id);
    await expect(api.accountAlerts({ accountId: "" })).rejects.toMatchObject({ name: "InputError" });
    await expect(api.accountAlerts({ accountId: one.id, status: "gone" as "open" })).rejects.toMatchObject({
      name: "InputError",
    });
    expect(await api.accountAlerts({ accountId: "nobody" })).toMatchObject({
      alerts: [],
      counts: { open: 0, snoozed: 0, done: 0 },
    });
  });

  it("filters by owner and scorecard, with counts of the filtered set", async () => {
    await api.loadDemo("j1");
    const all = await api.alerts();
    const owner = all.owners[0] as string;
    const mine = await api.alerts({ owner });
    expect(mine.alerts.length).toBeGreaterThan(0);
    expect(mine.alerts.every((a) => a.owner === owner)).toBe(true);
    expect(mine.counts.open).toBe(mine.alerts.filter((a) => a.status === "open").length);
    const card = all.scorecards[0]?.id as string;
    expect((await api.alerts({ scorecardId: card })).alerts.every((a) => a.scorecardId === card)).toBe(true);
  });
});

describe("plays and tasks", () => {
  it("starts a suggested play on an alert: one task per step, due days from today, owned by the account's owner", async () => {
    await api.loadDemo("j1");
    const plays = await api.plays();
    expect(plays.map((p) => p.name)).toEqual(["Data gap", "Executive check-in", "Renewal rescue"]);
    const alert = (await api.alerts({ status: "open" })).alerts.find((a) => a.ruleId === "red-band");
    if (!alert) throw new Error("no red-band alert");
    expect(alert.suggestedPlays).toEqual(["executive-check-in"]);
    const tasks = await accepted(api.startPlay(alert.id, "executive-check-in"));
    // Steps due 2, 7 and 10 days after 2025-06-30.
    expect(tasks.map((t) => [t.title, t.due, t.owner])).toEqual([
      ["Book a call with the executive sponsor", "2025-07-02", alert.owner],
      ["Review usage with the champion", "2025-07-07", alert.owner],
      ["Send a summary with agreed next steps", "2025-07-10", alert.owner],
    ]);
    expect(await api.startPlay(alert.id, "renewal-rescue")).toEqual({
      ok: false,
      issues: [{ path: "$", message: 'the play "Executive check-in" is already started' }],
    });
    expect(await api.startPlay(alert.id, "nope")).toEqual({
      ok: false,
      issues: [{ path: "$.playId", message: 'there is no play "nope"' }],
    });
    expect((await api.alerts({ accountId: alert.accountId })).alerts.find((a) => a.id === alert.id)).toMatchObject({
      playName: "Executive check-in",
      tasks: { total: 3, done: 0 },
    });
    await expectAccountAlertsAsInbox(alert.accountId);

    // Overdue first: on 2025-07-08 the first two are overdue.
    day = START + 8;
    await accepted(api.setTaskDone(tasks[1]?.id as string, true));
    let list = (await api.tasks({ owner: alert.owner })).tasks.filter((t) => t.alertId === alert.id);
    expect(list.map((t) => [t.step, t.overdue, t.daysLeft])).toEqual([
      [0, true, -6],
      [2, false, 2],
    ]);
    list = (await api.tasks({ includeDone: true })).tasks.filter((t) => t.alertId === alert.id);
    expect(list.map((t) => [t.step, t.doneOn ?? null])).toEqual([
      [0, null],
      [2, null],
      [1, "2025-07-08"],
    ]);
    await accepted(api.setTaskDone(tasks[1]?.id as string, false));
    expect(await api.setTaskDone("nope", true)).toEqual({
      ok: false,
      issues: [{ path: "$", message: 'there is no task "nope"' }],
    });
    const csv = await api.exportTasks("csv", { owner: alert.owner });
    expect(csv.fileName).toMatch(/^vitals-tasks-.+-2025-07-08\.csv$/);
    expect(csv.text.split("\r\n").filter((l) => l.includes(alert.accountId))).toHaveLength(3);
    const ics = await api.exportTasks("ics");
    expect(ics.text.match(/BEGIN:VEVENT/g)?.length).toBe((await api.tasks()).tasks.length);
    expect(ics.text).toContain("DTSTART;VALUE=DATE:20250702");
  });

  it("saves, attaches and deletes a play; a bad one is refused naming the field", async () => {
    await api.loadDemo("j1");
    const rules = await api.alertRules();
    expect(rules.map((r) => r.ruleId)).toContain("no-data");
    expect(await api.savePlay({ id: "p1", name: "Quick", steps: [{ title: "", dueDays: 1 }], rules: [] })).toEqual({
      ok: false,
      issues: [{ path: "$.steps[0].title", message: "a step needs a title" }],
    });
    expect((await api.plays()).map((p) => p.id)).not.toContain("p1");
    await api.savePlay({
      id: "p1",
      name: "Quick",
      steps: [{ title: "Email", dueDays: 0 }],
      rules: [{ ruleId: "red-band" }],
    });
    const alert = (await api.alerts({ status: "open" })).alerts.find((a) => a.ruleId === "red-band");
    expect(alert?.suggestedPlays).toEqual(["executive-check-in", "p1"]);
    expect(await api.deletePlay("p1")).toBe(true);
    expect((await api.plays()).map((p) => p.id)).not.toContain("p1");
  });
});
