import { describe, expect, it } from "vitest";
import { type AlertSubject, compileAlertRules, evaluateAccountAlerts } from "../../../core/alerts/evaluate.ts";
import { alertRulesOf } from "../../../core/alerts/rules.ts";
import type { AlertRule } from "../../../core/schema/alert-rule.ts";
import { type Day, parseIsoDay } from "../../../core/schema/day.ts";
import { Scorecard } from "../../../core/schema/scorecard.ts";
import { naiveAccountAlerts } from "../../reference/naive-alerts.ts";

// Golden values worked out by hand. Histories start on 2025-03-01 (index 0); the last value is the as-of day.
const FROM = parseIsoDay("2025-03-01") as Day;
const day = (iso: string) => parseIsoDay(iso) as Day;
const card = (alerts?: AlertRule[]) =>
  Scorecard.parse({
    id: "usage",
    name: "Usage",
    factors: [
      {
        id: "logins",
        label: "Logins (30 days)",
        weight: 1,
        source: { kind: "metric", metric: "logins", aggregation: "sum" },
        rule: { kind: "linear", worst: 0, best: 100 },
      },
    ],
    ...(alerts ? { alerts } : {}),
  });

function run(rule: AlertRule, scores: number[], subject: Partial<AlertSubject> = {}, asOf?: Day) {
  const compiled = compileAlertRules(card([rule]));
  const daily = { from: FROM, scores: Float32Array.from(scores) };
  const s = { accountId: "a1", ...subject };
  const t = asOf ?? FROM + scores.length - 1;
  const fast = evaluateAccountAlerts(compiled, s, daily, t);
  // The naive reference (every day's window scanned afresh) must agree on every case.
  expect(naiveAccountAlerts(compiled, s, daily, t)).toEqual(fast);
  return fast;
}

const drop: AlertRule = { id: "drop", kind: "drop", points: 10, withinDays: 3 };

describe("drop rule", () => {
  it("raises on a fall from the window's highest score, dated from the first day the fall reached the threshold", () => {
    // Points 70 74 72 60 56. On 03-05 the 3 days before are 74 72 60: peak 74 on 03-02, 74 − 56 = 18 ≥ 10.
    // 03-04: 70 74 72 → 74 − 60 = 14 holds; 03-03: 70 74 → 74 − 72 = 2 does not, so the run starts 03-04.
    expect(run(drop, [70, 74, 72, 60, 56])).toEqual([
      {
        scorecardId: "usage",
        ruleId: "drop",
        kind: "drop",
        accountId: "a1",
        title: "Score fell 10 points or more within 3 days",
        message: "Score fell 18 points in 3 days, from 74 on 2025-03-02 to 56",
        since: "2025-03-04",
      },
    ]);
  });
  it("compares shown points: 74.5 shows as 75 and 64.4 as 64, a fall of 11", () => {
    expect(run(drop, [74.5, 64.4])[0]?.message).toBe("Score fell 11 points in 1 day, from 75 on 2025-03-01 to 64");
  });
  it("dates the fall from the latest of equal highest scores", () => {
    expect(run(drop, [74, 70, 74, 60])[0]?.message).toBe("Score fell 14 points in 1 day, from 74 on 2025-03-03 to 60");
  });
  it("ignores a fall that happened before the window, a fall of 9, and days with no score", () => {
    expect(run(drop, [80, 60, 60, 60, 60])).toEqual([]);
    expect(run(drop, [70, 61])).toEqual([]);
    expect(run(drop, [74, 64])).toHaveLength(1);
    // A null day is skipped in the window; a null today raises nothing.
    expect(run(drop, [74, Number.NaN, 56])[0]?.message).toBe(
      "Score fell 18 points in 2 days, from 74 on 2025-03-01 to 56",
    );
    expect(run(drop, [74, 56, Number.NaN])).toEqual([]);
  });
});

describe("band rule", () => {
  const red: AlertRule = { id: "red", kind: "band", color: "red" };
  it("raises when the score is in a red band, dated from the day it entered (49.5 shows as 50, still yellow)", () => {
    // Points 66 55 50 49 40 45: red (D, under 50) from 03-04 on.
    const [hit] = run(red, [66, 55, 49.5, 49.4, 40, 45]);
    expect(hit?.message).toBe("Score entered the red band on 2025-03-04; it is 45 (D, At risk)");
    expect(hit?.since).toBe("2025-03-04");
  });
  it("says 'since at least' when the score was in the band for the whole history", () => {
    expect(run(red, [30, 35])[0]?.message).toBe(
      "Score 35 (D, At risk) has been in the red band since at least 2025-03-01",
    );
  });
  it("matches a grade, and raises nothing outside the band or with no score", () => {
    expect(run({ id: "c", kind: "band", grade: "C" }, [66, 55])[0]?.message).toBe(
      "Score entered grade C (Watch) on 2025-03-02; it is 55 (C, Watch)",
    );
    expect(run(red, [40, 50])).toEqual([]);
    expect(run(red, [40, Number.NaN])).toEqual([]);
  });
});

describe("factor rule", () => {
  const low: AlertRule = { id: "low-logins", kind: "factor", factorId: "logins", below: 0.3 };
  it("raises when the factor's n on the as-of day is below the threshold", () => {
    expect(run(low, [70], { factorN: [0.18] })[0]?.message).toBe(
      "Logins (30 days) earns 18% of its points on 2025-03-01, below the 30% threshold",
    );
  });
  it("raises nothing at the threshold or when the factor is missing", () => {
    expect(run(low, [70], { factorN: [0.3] })).toEqual([]);
    expect(run(low, [70], { factorN: [Number.NaN] })).toEqual([]);
  });
});

describe("renewal rule", () => {
  const renewal: AlertRule = { id: "renewal", kind: "renewal", withinDays: 90 };
  const today = day("2025-03-05");
  it("raises for a renewal within the days while the score is not green, counting from the as-of day", () => {
    // 2025-03-05 → 2025-04-19: 26 days to the end of March, then 19: 45 days. Since: 2025-04-19 − 90 = 2025-01-19.
    const [hit] = run(renewal, [56], { renewal: day("2025-04-19") }, today);
    expect(hit?.message).toBe(
      "Renews on 2025-04-19, 45 days after the as-of day 2025-03-05, while the score is 56 (C, Watch)",
    );
    expect(hit?.since).toBe("2025-01-19");
  });
  it("raises nothing while the account has no score: not enough data is not a health (issue 16)", () => {
    // An accounts file imported before its observations: renewal dates, no scores yet.
    expect(run(renewal, [Number.NaN], { renewal: day("2025-03-05") }, today)).toEqual([]);
    expect(run(renewal, [56, Number.NaN], { renewal: day("2025-04-19") }, today)).toEqual([]);
    expect(run(renewal, [Number.NaN, 56], { renewal: day("2025-04-19") }, today)).toHaveLength(1);
  });
  it("raises nothing when green, when 91 days away, after the renewal, or without a renewal date", () => {
    expect(run(renewal, [70], { renewal: day("2025-04-19") }, today)).toEqual([]);
    expect(run(renewal, [56], { renewal: day("2025-06-04") }, today)).toEqual([]); // 26 + 30 + 31 + 4 = 91
    expect(run(renewal, [56], { renewal: day("2025-06-03") }, today)).toHaveLength(1); // 90
    expect(run(renewal, [56], { renewal: day("2025-03-04") }, today)).toEqual([]);
    expect(run(renewal, [56], {}, today)).toEqual([]);
  });
});

describe("no-data rule", () => {
  const gap: AlertRule = { id: "gap", kind: "noData", days: 30 };
  const today = day("2025-03-05");
  it("raises after N days without an observation, dated from the day the gap reached N", () => {
    // 2025-02-03 → 2025-03-05: 25 days to the end of February, then 5: 30 days.
    const [hit] = run(gap, [56], { lastData: day("2025-02-03") }, today);
    expect(hit?.message).toBe("No new data for 30 days up to 2025-03-05; the last was on 2025-02-03");
    expect(hit?.since).toBe("2025-03-05");
  });
  it("counts a gap up to the portfolio's data end at most: stale data is said once, not per account (issue 13)", () => {
    // Scored as of a day long after the data ends: an account whose data runs to the end has no gap of its own.
    const asOf = day("2026-12-06");
    expect(run(gap, [56], { lastData: day("2024-12-31"), dataEnd: day("2024-12-31") }, asOf)).toEqual([]);
    // An account whose own data stopped 40 days before the portfolio's end still raises, counted to that end.
    const [hit] = run(gap, [56], { lastData: day("2024-11-21"), dataEnd: day("2024-12-31") }, asOf);
    expect(hit?.message).toBe("No new data for 40 days up to 2024-12-31; the last was on 2024-11-21");
    // A data end after the as-of day (a day in the past chosen): gaps count to the as-of day.
    expect(run(gap, [56], { lastData: day("2025-02-03"), dataEnd: day("2025-06-01") }, today)).toHaveLength(1);
  });
  it("raises nothing after 29 days, or for an account that never had data", () => {
    expect(run(gap, [56], { lastData: day("2025-02-04") }, today)).toEqual([]);
    expect(run(gap, [56], {}, today)).toEqual([]);
  });
});

describe("rules of a scorecard", () => {
  it("a scorecard without alerts gets the defaults; an empty list turns them off; bad rules are named by path", () => {
    expect(alertRulesOf(card()).map((r) => r.id)).toEqual(["score-drop", "red-band", "renewal-risk", "no-data"]);
    expect(alertRulesOf(card([]))).toEqual([]);
    const bad = Scorecard.safeParse({
      ...card(),
      alerts: [
        { id: "x", kind: "factor", factorId: "nps", below: 0.2 },
        { id: "x", kind: "band", grade: "Z" },
        { id: "y", kind: "drop", points: 0, withinDays: 30 },
      ],
    });
    expect(bad.success).toBe(false);
    const issues = bad.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues).toEqual(expect.arrayContaining(["alerts.2.points: points must be at least 1"]));
    const refined = Scorecard.safeParse({
      ...card(),
      alerts: [
        { id: "x", kind: "factor", factorId: "nps", below: 0.2 },
        { id: "x", kind: "band", grade: "Z" },
      ],
    });
    expect(refined.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      'alerts.0.factorId: factor "nps" is not a factor of this scorecard',
      'alerts.1.id: alert rule id "x" is used twice',
      'alerts.1.grade: grade "Z" is not a band of this scorecard',
    ]);
  });
});
