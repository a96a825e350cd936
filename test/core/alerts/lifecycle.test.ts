import { describe, expect, it } from "vitest";
import type { AlertHit } from "../../../core/alerts/evaluate.ts";
import { reconcileAlerts, wakeAlert } from "../../../core/alerts/lifecycle.ts";
import type { Alert } from "../../../core/schema/alert.ts";

const hit = (over: Partial<AlertHit> = {}): AlertHit => ({
  scorecardId: "usage",
  ruleId: "score-drop",
  kind: "drop",
  accountId: "a1",
  title: "Score fell 10 points or more within 30 days",
  message: "Score fell 18 points in 12 days, from 74 on 2025-03-01 to 56",
  since: "2025-03-10",
  ...over,
});

let ids = 0;
const newId = () => `alr-${++ids}`;

/** Applies reconcileAlerts' changes to a stored set, as the store does. */
function apply(stored: Alert[], changed: Alert[]): Alert[] {
  const byId = new Map(stored.map((a) => [a.id, a]));
  for (const a of changed) byId.set(a.id, a);
  return [...byId.values()];
}

describe("one open alert per rule and account", () => {
  it("raises once, then refreshes the same alert's words on the next rescores", () => {
    let stored = apply([], reconcileAlerts([], [hit()], "2025-03-12", newId));
    expect(stored).toEqual([
      expect.objectContaining({ status: "open", raisedOn: "2025-03-12", accountId: "a1", since: "2025-03-10" }),
    ]);
    const id = stored[0]?.id;
    const next = hit({ message: "Score fell 20 points in 13 days, from 74 on 2025-03-01 to 54" });
    stored = apply(stored, reconcileAlerts(stored, [next, next], "2025-03-13", newId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id, raisedOn: "2025-03-12", updatedOn: "2025-03-13", message: next.message });
  });
  it("keeps separate alerts for another account, rule or scorecard", () => {
    const hits = [hit(), hit({ accountId: "a2" }), hit({ ruleId: "red-band" }), hit({ scorecardId: "onboarding" })];
    expect(reconcileAlerts([], hits, "2025-03-12", newId)).toHaveLength(4);
  });
});

describe("when the condition clears", () => {
  it("an open alert stays open, marked as no longer holding, and loses the mark when it holds again", () => {
    let stored = apply([], reconcileAlerts([], [hit()], "2025-03-12", newId));
    stored = apply(stored, reconcileAlerts(stored, [], "2025-03-14", newId));
    expect(stored).toEqual([expect.objectContaining({ status: "open", clearedOn: "2025-03-14" })]);
    stored = apply(stored, reconcileAlerts(stored, [hit({ since: "2025-03-20" })], "2025-03-20", newId));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.clearedOn).toBeUndefined();
  });
  it("a closed alert is not raised again while its episode runs, and is raised anew after the condition cleared", () => {
    let stored = apply([], reconcileAlerts([], [hit()], "2025-03-12", newId));
    stored = stored.map((a) => ({ ...a, status: "done" as const, doneOn: "2025-03-12", resolution: "done" as const }));
    expect(reconcileAlerts(stored, [hit()], "2025-03-13", newId)).toEqual([]);
    stored = apply(stored, reconcileAlerts(stored, [], "2025-03-14", newId));
    expect(stored[0]?.clearedOn).toBe("2025-03-14");
    stored = apply(stored, reconcileAlerts(stored, [hit({ since: "2025-03-20" })], "2025-03-20", newId));
    expect(stored.map((a) => a.status).sort()).toEqual(["done", "open"]);
  });
  it("a closed alert whose condition came back between two rescores (a later since) is raised anew", () => {
    const [raised] = reconcileAlerts([], [hit()], "2025-03-12", newId);
    const closed = { ...(raised as Alert), status: "done" as const, doneOn: "2025-03-12" };
    const changed = reconcileAlerts([closed], [hit({ since: "2025-04-02" })], "2025-04-03", newId);
    expect(changed).toEqual([expect.objectContaining({ status: "open", since: "2025-04-02", raisedOn: "2025-04-03" })]);
  });
});

describe("an alert raised on data not yet imported (issue 16)", () => {
  // What an older version raised when an accounts file came before its observations.
  const renewal = (over: Partial<AlertHit> = {}) =>
    hit({
      ruleId: "renewal-risk",
      kind: "renewal",
      title: "Renewal within 90 days while not green",
      message:
        "Renews on 2025-05-01, 50 days after the as-of day 2025-03-12, while the score is no score (not enough data)",
      since: "2025-01-31",
      ...over,
    });
  it("closes by itself as cleared once it no longer holds, snoozed or open, unless a play was started on it", () => {
    const open = apply([], reconcileAlerts([], [renewal(), renewal({ accountId: "a2" })], "2025-03-12", newId));
    const [first, second] = open as [Alert, Alert];
    const stored = [
      first,
      { ...second, status: "snoozed" as const, snoozedUntil: "2025-04-01" },
      { ...first, id: "alr-play", accountId: "a3", playId: "p1", playName: "Renewal rescue" },
    ];
    const after = apply(stored, reconcileAlerts(stored, [], "2025-03-13", newId));
    expect(after.find((a) => a.id === first.id)).toMatchObject({
      status: "done",
      resolution: "cleared",
      doneOn: "2025-03-13",
      clearedOn: "2025-03-13",
    });
    expect(after.find((a) => a.id === second.id)).toMatchObject({ status: "done", resolution: "cleared" });
    expect(after.find((a) => a.id === second.id)?.snoozedUntil).toBeUndefined();
    expect(after.find((a) => a.id === "alr-play")).toMatchObject({ status: "open", clearedOn: "2025-03-13" });
  });
  it("becomes the real alert when the scored account's renewal condition holds", () => {
    const stored = apply([], reconcileAlerts([], [renewal()], "2025-03-12", newId));
    const real = renewal({
      message: "Renews on 2025-05-01, 50 days after the as-of day 2025-03-12, while the score is 41 (D, At risk)",
    });
    const after = apply(stored, reconcileAlerts(stored, [real], "2025-03-13", newId));
    expect(after).toEqual([expect.objectContaining({ status: "open", message: real.message, raisedOn: "2025-03-12" })]);
  });
  it("an ordinary alert that no longer holds stays open for the CSM", () => {
    const stored = apply(
      [],
      reconcileAlerts(
        [],
        [renewal({ message: "Renews on 2025-05-01, …, while the score is 41 (D, At risk)" })],
        "2025-03-12",
        newId,
      ),
    );
    expect(apply(stored, reconcileAlerts(stored, [], "2025-03-13", newId))).toEqual([
      expect.objectContaining({ status: "open", clearedOn: "2025-03-13" }),
    ]);
  });
});

describe("snooze and wake", () => {
  const snoozed = (over: Partial<Alert> = {}): Alert => ({
    ...(reconcileAlerts([], [hit()], "2025-03-12", newId)[0] as Alert),
    status: "snoozed",
    snoozedUntil: "2025-03-20",
    ...over,
  });
  it("stays snoozed before its day while the condition holds, and comes back open on its day", () => {
    expect(reconcileAlerts([snoozed()], [hit()], "2025-03-19", newId)).toEqual([
      expect.objectContaining({ status: "snoozed", snoozedUntil: "2025-03-20" }),
    ]);
    const [woken] = reconcileAlerts([snoozed()], [hit()], "2025-03-20", newId);
    expect(woken).toMatchObject({ status: "open", raisedOn: "2025-03-12" });
    expect(woken?.snoozedUntil).toBeUndefined();
  });
  it("closes as cleared on its day when the condition no longer held", () => {
    const [woken] = reconcileAlerts([snoozed()], [], "2025-03-21", newId);
    expect(woken).toMatchObject({
      status: "done",
      resolution: "cleared",
      doneOn: "2025-03-21",
      clearedOn: "2025-03-21",
    });
  });
  it("wakes on reading too, without a rescore", () => {
    expect(wakeAlert(snoozed(), "2025-03-19")).toBeUndefined();
    expect(wakeAlert(snoozed(), "2025-03-20")?.status).toBe("open");
    expect(wakeAlert(snoozed({ clearedOn: "2025-03-15" }), "2025-03-20")?.status).toBe("done");
  });
});
