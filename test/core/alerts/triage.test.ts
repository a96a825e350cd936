import { describe, expect, it } from "vitest";
import { changeAlert, wakeAlert } from "../../../core/alerts/lifecycle.ts";
import {
  alertDigest,
  alertSeverity,
  type DigestAlert,
  groupAlerts,
  summarizeAlerts,
} from "../../../core/alerts/triage.ts";
import type { Alert } from "../../../core/schema/alert.ts";

/** A small inbox worked by hand: four accounts, six alerts. */
const accounts = {
  acme: { accountName: "Acme", arr: 120_000, renewalDate: "2025-04-10" },
  bolt: { accountName: "Bolt", arr: 300_000, renewalDate: null },
  core: { accountName: "Core", arr: null, renewalDate: "2025-03-20" },
  dune: { accountName: "Dune", arr: 120_000, renewalDate: "2025-05-01" },
} as const;

let n = 0;
function alert(accountId: keyof typeof accounts, kind: string, raisedOn: string, over: Partial<DigestAlert> = {}) {
  return {
    id: `a${++n}`,
    accountId,
    ...accounts[accountId],
    kind,
    title: `${kind} rule`,
    raisedOn,
    status: "open" as const,
    ...over,
  };
}

const inbox = [
  alert("acme", "noData", "2025-03-01"),
  alert("bolt", "drop", "2025-03-02"),
  alert("core", "band", "2025-02-20"),
  alert("acme", "band", "2025-02-25"),
  alert("dune", "factor", "2025-03-05"),
  alert("acme", "drop", "2025-03-03"),
];
const order = (sort: Parameters<typeof groupAlerts>[1]) => groupAlerts(inbox, sort).map((g) => g.accountName);

describe("alert triage", () => {
  it("rates a red band and a renewal high, a drop and a factor medium, missing data and unknown kinds low", () => {
    expect(["band", "renewal", "drop", "factor", "noData", ""].map(alertSeverity)).toEqual([
      "high",
      "high",
      "medium",
      "medium",
      "low",
      "low",
    ]);
  });

  it("groups each account's alerts together, the most severe first, then the newest", () => {
    const groups = groupAlerts(inbox, "arr");
    expect(groups).toHaveLength(4);
    const acme = groups.find((g) => g.accountId === "acme");
    expect(acme?.alerts.map((a) => a.kind)).toEqual(["band", "drop", "noData"]);
    expect(acme).toMatchObject({ severity: "high", newest: "2025-03-03", arr: 120_000 });
    expect(groups.flatMap((g) => g.alerts)).toHaveLength(inbox.length);
  });

  it("orders accounts by ARR at risk: largest first, a tie by severity, no ARR last", () => {
    // Acme and Dune both have 120,000: Acme's red band outranks Dune's factor alert.
    expect(order("arr")).toEqual(["Bolt", "Acme", "Dune", "Core"]);
  });

  it("orders by severity, then ARR", () => {
    expect(order("severity")).toEqual(["Acme", "Core", "Bolt", "Dune"]);
  });

  it("orders by the soonest renewal, no renewal date last", () => {
    expect(order("renewal")).toEqual(["Core", "Acme", "Dune", "Bolt"]);
  });

  it("orders by the newest alert of each account", () => {
    expect(order("newest")).toEqual(["Dune", "Acme", "Bolt", "Core"]);
  });

  it("gives the same order whatever order the alerts come in", () => {
    for (const sort of ["arr", "severity", "renewal", "newest"] as const) {
      expect(groupAlerts([...inbox].reverse(), sort)).toEqual(groupAlerts(inbox, sort));
    }
  });

  it("sums the ARR at risk counting each account once", () => {
    expect(summarizeAlerts(inbox)).toEqual({ alerts: 6, accounts: 4, arrAtRisk: 540_000 });
    expect(summarizeAlerts([])).toEqual({ alerts: 0, accounts: 0, arrAtRisk: 0 });
  });
});

describe("what changed since yesterday", () => {
  const since = "2025-03-09";
  const alerts: DigestAlert[] = [
    alert("acme", "band", "2025-03-10"), // raised today
    alert("bolt", "drop", "2025-03-09", { status: "done", doneOn: "2025-03-10", resolution: "done" }), // raised and closed
    alert("core", "band", "2025-02-01", { wokeOn: "2025-03-09" }), // back from a snooze yesterday
    alert("dune", "factor", "2025-02-01", { clearedOn: "2025-03-10" }), // cleared, still open
    alert("dune", "noData", "2025-02-01", { status: "done", doneOn: "2025-03-09", resolution: "cleared" }),
    alert("acme", "drop", "2025-03-08"), // raised the day before yesterday: unchanged
    alert("core", "noData", "2025-02-01", { status: "done", doneOn: "2025-03-08", resolution: "done" }), // old
    alert("bolt", "band", "2025-03-01", { wokeOn: "2025-03-09", status: "snoozed" }), // woke, snoozed again
  ];
  const ids = (groups: { alerts: { accountName: string; kind: string }[] }[]) =>
    groups.flatMap((g) => g.alerts.map((a) => `${a.accountName} ${a.kind}`));

  it("lists what was raised, came back, cleared and closed on yesterday or today", () => {
    const digest = alertDigest(alerts, since);
    expect(ids(digest.raised)).toEqual(["Bolt drop", "Acme band"]);
    expect(ids(digest.woke)).toEqual(["Core band"]);
    expect(ids(digest.cleared)).toEqual(["Dune factor"]);
    expect(ids(digest.closed)).toEqual(["Bolt drop", "Dune noData"]);
    expect(digest.counts).toEqual({ raised: 2, woke: 1, cleared: 1, closed: 2 });
    expect(digest.since).toBe(since);
  });

  it("is empty when nothing moved", () => {
    const digest = alertDigest(alerts, "2025-03-11");
    expect(digest.counts).toEqual({ raised: 0, woke: 0, cleared: 0, closed: 0 });
  });
});

describe("the CSM's changes", () => {
  const base: Alert = {
    id: "x1",
    scorecardId: "usage",
    ruleId: "red-band",
    kind: "band",
    accountId: "acme",
    status: "open",
    raisedOn: "2025-03-01",
    title: "Score entered the red band",
    message: "…",
    since: "2025-03-01",
    updatedOn: "2025-03-05",
  };

  /** The changed alert (the test fails when the change was refused). */
  const changed = (...args: Parameters<typeof changeAlert>): Alert => {
    const result = changeAlert(...args);
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.issues)}`);
    return result.value;
  };

  it("snoozes until a later day, and refuses today or a closed alert", () => {
    expect(changed(base, { to: "snoozed", until: "2025-03-12" }, "2025-03-10", [])).toMatchObject({
      status: "snoozed",
      snoozedUntil: "2025-03-12",
    });
    expect(changeAlert(base, { to: "snoozed", until: "2025-03-10" }, "2025-03-10", [])).toEqual({
      ok: false,
      issues: [{ path: "$.until", message: "snooze until a day after today (2025-03-10)" }],
    });
    const done = changed(base, { to: "done" }, "2025-03-10", []);
    expect(done).toMatchObject({ status: "done", doneOn: "2025-03-10", resolution: "done" });
    expect(changeAlert(done, { to: "snoozed", until: "2025-03-12" }, "2025-03-10", [])).toEqual({
      ok: false,
      issues: [{ path: "$", message: "a closed alert cannot be snoozed; reopen it first" }],
    });
  });

  it("reopens a closed alert only while its rule has no other open one for the account", () => {
    const done = changed(base, { to: "done" }, "2025-03-10", []);
    expect(changed(done, { to: "open" }, "2025-03-11", [done])).toMatchObject({ status: "open" });
    const other = { ...base, id: "x2" };
    expect(changeAlert(done, { to: "open" }, "2025-03-11", [done, other])).toEqual({
      ok: false,
      issues: [{ path: "$", message: "this rule already has an open alert for this account" }],
    });
  });

  it("records the day a snoozed alert woke", () => {
    const snoozed = changed(base, { to: "snoozed", until: "2025-03-12" }, "2025-03-10", []);
    expect(wakeAlert(snoozed, "2025-03-12")).toMatchObject({ status: "open", wokeOn: "2025-03-12" });
  });
});
