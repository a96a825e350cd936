import { describe, expect, it } from "vitest";
import type { AlertRule } from "../../../core/schema/alert-rule.ts";
import type { Observation, Outcome } from "../../../core/schema/observation.ts";
import { validateScorecard } from "../../../core/validate/validate.ts";
import { account, card, day, obs, portfolio } from "../scoring/helpers.ts";

/**
 * Alert rules proven against outcomes on a portfolio small enough to work out by hand. D is 2025-03-01 (offset 0);
 * every outcome is on D+20 and the horizon is 10 days, so each rule is judged on D+10 … D+19. The score is the last
 * usage value (linear 0–100), red below 50, yellow 50–64, green from 65.
 */
const RULES: AlertRule[] = [
  { id: "drop", kind: "drop", points: 20, withinDays: 10 },
  { id: "red", kind: "band", color: "red" },
  { id: "renewal", kind: "renewal", withinDays: 5 },
  { id: "quiet", kind: "noData", days: 5 },
];
const range = (from: number, to: number, value: number): [number, number][] =>
  Array.from({ length: to - from + 1 }, (_, k) => [from + k, value]);

const observations: Observation[] = [
  // a1 churned: 80 until D+12, then 40 (D+13 … D+15), no data after. Drop and red from D+13 (lead 7); renews on
  // its churn day D+20, so the renewal rule (not green within 5 days) holds from D+15 (lead 5).
  ...obs("a1", "usage", [...range(-30, 12, 80), ...range(13, 15, 40)]),
  // a2 churned: 30 all along, red from the window's first day D+10 (lead 10); no renewal date, no drop.
  ...obs("a2", "usage", range(-30, 19, 30)),
  // a3 renewed: 90 all along, green: nothing.
  ...obs("a3", "usage", range(-30, 25, 90)),
  // a4 renewed: 60 (yellow) until D+16, then 35: drop and red from D+17; its renewal (D+20, a year before the date
  // on record) makes the renewal rule hold from D+15 while yellow.
  ...obs("a4", "usage", [...range(-30, 16, 60), ...range(17, 25, 35)]),
  // a5 renewed: 70 until D−10, then nothing: green (the last value stays), but no data for 5 days from D+10 on.
  ...obs("a5", "usage", range(-30, -10, 70)),
];
const accounts = [
  account({ id: "a1", renewalDate: day(20) }),
  account({ id: "a2" }),
  account({ id: "a3" }),
  account({ id: "a4", renewalDate: "2026-03-21" }), // day(20) is 2025-03-21
  account({ id: "a5" }),
];
const outcomes: Outcome[] = [
  { accountId: "a1", day: day(20), kind: "churned" },
  { accountId: "a2", day: day(20), kind: "churned" },
  { accountId: "a3", day: day(20), kind: "renewed" },
  { accountId: "a4", day: day(20), kind: "renewed" },
  { accountId: "a5", day: day(20), kind: "expanded" },
];
const scorecard = card({
  factors: [
    {
      id: "usage",
      label: "Usage",
      weight: 1,
      source: { kind: "metric", metric: "usage", aggregation: "last", windowDays: 365 },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
  ],
  alerts: RULES,
});

describe("alert rules against outcomes, worked by hand", () => {
  const report = validateScorecard(portfolio(accounts, observations), scorecard, outcomes, {
    horizonDays: 10,
    build: false,
  });
  const alerts = report.alerts;
  const row = (id: string) => [...(alerts?.rules ?? []), alerts?.any].find((r) => r?.ruleId === id);

  it("judges the 5 accounts with an outcome (2 churned) over the 10 days before it", () => {
    expect(alerts).toMatchObject({ windowDays: 10, cases: 5, churned: 2, notes: [] });
    expect(alerts?.rules.map((r) => [r.ruleId, r.title])).toEqual([
      ["drop", "Score fell 20 points or more within 10 days"],
      ["red", "Score entered the red band"],
      ["renewal", "Renewal within 5 days while not green"],
      ["quiet", "No new data for 5 days"],
    ]);
  });

  it("drop: a1 (churned, 7 days ahead) and a4 (renewed)", () => {
    expect(row("drop")).toEqual({
      ruleId: "drop",
      kind: "drop",
      title: "Score fell 20 points or more within 10 days",
      alerted: 2,
      alertedShare: 0.4,
      caught: 1,
      falseAlarms: 1,
      precision: 0.5,
      recall: 0.5,
      lift: 1.25,
      leadDays: { median: 7, shortest: 7, longest: 7 },
    });
  });

  it("red band: a1 (7 days ahead), a2 (10) and a4: every churned account, one false alarm", () => {
    expect(row("red")).toMatchObject({
      alerted: 3,
      caught: 2,
      falseAlarms: 1,
      precision: 2 / 3,
      recall: 1,
      leadDays: { median: 8.5, shortest: 7, longest: 10 },
    });
    expect(row("red")?.lift).toBeCloseTo(2 / 3 / 0.4, 12);
  });

  it("renewal: a1 (5 days ahead) and a4 (its anniversary renewal), both not green", () => {
    expect(row("renewal")).toMatchObject({ alerted: 2, caught: 1, precision: 0.5, recall: 0.5 });
    expect(row("renewal")?.leadDays).toEqual({ median: 5, shortest: 5, longest: 5 });
  });

  it("no data: only a5, which expanded: precision 0, no lead time", () => {
    expect(row("quiet")).toMatchObject({ alerted: 1, caught: 0, falseAlarms: 1, precision: 0, recall: 0 });
    expect(row("quiet")?.leadDays).toBeNull();
  });

  it("any rule: 4 of 5 accounts alerted, both churned ones, each from its first alert", () => {
    expect(row("any")).toMatchObject({
      kind: "any",
      alerted: 4,
      alertedShare: 0.8,
      caught: 2,
      falseAlarms: 2,
      precision: 0.5,
      recall: 1,
      lift: 1.25,
      leadDays: { median: 8.5, shortest: 7, longest: 10 },
    });
  });

  it("a snapshot judges each rule on its day alone, with no lead time", () => {
    const snap = validateScorecard(
      portfolio(accounts, observations),
      scorecard,
      outcomes.map((o) => ({ ...o, day: day(16) })),
      { snapshotDay: day(16), build: false },
    ).alerts;
    expect(snap?.windowDays).toBeNull();
    // On D+16: a1 is red after its drop (and renews within 5 days), a2 red, a4 still 60 and renewing in 4 days,
    // a5 quiet since D−10.
    expect(snap?.rules.map((r) => [r.ruleId, r.alerted, r.caught, r.leadDays])).toEqual([
      ["drop", 1, 1, null],
      ["red", 2, 2, null],
      ["renewal", 2, 1, null],
      ["quiet", 1, 0, null],
    ]);
  });

  it("a scorecard with its alerts turned off has no alert section", () => {
    const off = validateScorecard(portfolio(accounts, observations), { ...scorecard, alerts: [] }, outcomes, {
      horizonDays: 10,
      build: false,
    });
    expect(off.alerts).toBeNull();
  });
});
