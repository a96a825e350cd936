import { describe, expect, it } from "vitest";
import {
  accountRows,
  dashboardOf,
  type PrimaryHistory,
  shownScores,
  utilizationOf,
} from "../../../core/insights/portfolio-view.ts";
import { sortBands } from "../../../core/scoring/bands.ts";
import { scorePortfolio } from "../../../core/scoring/engine.ts";
import { account, card, D0, day, obs, portfolio } from "../scoring/helpers.ts";

/**
 * One factor, "usage": logins summed over 7 days, linear 0 → 100, so each account's score is its logins (capped).
 * Default bands: A ≥ 80 green, B ≥ 65 green, C ≥ 50 yellow, D red.
 */
const usage = card({
  id: "usage",
  name: "Usage",
  deltaDays: 7,
  factors: [
    {
      id: "logins",
      label: "Logins",
      weight: 1,
      source: { kind: "metric", metric: "logins", aggregation: "sum", windowDays: 7 },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
  ],
});

const accounts = [
  // 90 now (A); 7 days ago also 90.
  account({ id: "a", arr: 1000, seats: 10, renewalDate: day(30) }),
  // 55 now (C, yellow), 85 a week ago: a 30-point drop; renews in 30 days → a renewal at risk.
  account({ id: "b", arr: 5000, seats: 10, renewalDate: day(30) }),
  // 20 now (D, red), renews in 120 days (outside the 90-day list).
  account({ id: "c", arr: 3000, seats: 10, renewalDate: day(120) }),
  // no data: not scored.
  account({ id: "d", arr: 500 }),
];
const data = portfolio(accounts, [
  ...obs("a", "logins", [
    [-7, 90],
    [0, 90],
  ]),
  ...obs("b", "logins", [
    [-7, 85],
    [0, 55],
  ]),
  ...obs("c", "logins", [[0, 20]]),
  // a: 9 active users a day over the last 30 days with 10 seats → 90% utilization.
  ...obs("a", "active_users", [
    [-1, 9],
    [0, 9],
  ]),
  ...obs("b", "active_users", [[0, 9]]),
]);

function view() {
  const scores = scorePortfolio(data, [usage], { asOf: D0 });
  const shown = shownScores([usage], scores, accounts.length);
  // History: scores on D0 − 7 and D0 only (enough for the weekly drop and the trend's two ends).
  const history: PrimaryHistory = { from: D0 - 7, days: 8, scores: [] };
  const series = (then: number, now: number) => {
    const row = new Float32Array(8).fill(Number.NaN);
    row[0] = then;
    row[7] = now;
    return row;
  };
  history.scores = [series(90, 90), series(85, 55), series(Number.NaN, 20), undefined];
  const bands = sortBands(usage.bands);
  const rows = accountRows(accounts, shown, history, utilizationOf(data, D0), D0, [bands, bands, bands, undefined]);
  return { shown, rows, dashboard: dashboardOf(rows, history, D0, [bands, bands, bands, undefined]) };
}

describe("portfolio views", () => {
  it("shows each account's primary score as points, grade, colour, delta and drags", () => {
    const { shown } = view();
    expect(shown[0]).toMatchObject({ points: 90, grade: "A", color: "green", delta: 0 });
    // b: 55 now, 85 seven days before → delta −30; the one factor lost 45 points, so it is the drag.
    expect(shown[1]).toMatchObject({ points: 55, grade: "C", color: "yellow", drags: ["Logins"] });
    expect(shown[1]?.delta).toBeCloseTo(-30, 10);
    expect(shown[2]).toMatchObject({ points: 20, grade: "D", color: "red", delta: null });
    // d has no logins at all: coverage 0 → not enough data (grey), still listed under its scorecard.
    expect(shown[3]).toMatchObject({ points: null, color: "grey", label: "Not enough data" });
  });

  it("counts accounts and ARR per band and buckets the distribution by 10 points", () => {
    const { dashboard } = view();
    expect(dashboard.accounts).toBe(4);
    expect(dashboard.scored).toBe(3);
    expect(dashboard.arr).toBe(9500);
    expect(dashboard.averageScore).toBeCloseTo((90 + 55 + 20) / 3, 10);
    expect(dashboard.bands.map((b) => [b.color, b.grade, b.accounts, b.arr])).toEqual([
      ["green", "A", 1, 1000],
      ["yellow", "C", 1, 5000],
      ["red", "D", 1, 3000],
      ["grey", "—", 1, 500],
    ]);
    expect(dashboard.distribution).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 1]);
  });

  it("lists the week's drops, renewals in 90 days that are not green, and full-use green accounts", () => {
    const { dashboard, rows } = view();
    expect(dashboard.drops.map((m) => [m.id, m.value, m.why])).toEqual([["b", -30, "−30 points in 7 days"]]);
    expect(dashboard.renewals.map((m) => [m.id, m.why])).toEqual([["b", `renews in 30 days (${day(30)})`]]);
    // a: mean active users over 30 days = 9 on 10 seats = 90% ≥ 80% and green.
    expect(rows[0]?.utilization).toBeCloseTo(0.9, 12);
    expect(dashboard.expansion.map((m) => [m.id, m.why])).toEqual([["a", "90% of seats used"]]);
  });

  it("traces the average and the band counts day by day, colouring past scores by their own value", () => {
    const { dashboard } = view();
    const t = dashboard.trend;
    expect(t.days).toHaveLength(8);
    // D0 − 7: a 90 (green), b 85 (green), c none → average 87.5, 2 green.
    expect([t.average[0], t.green[0], t.yellow[0], t.red[0]]).toEqual([87.5, 2, 0, 0]);
    // D0: 90, 55, 20 → one of each.
    expect([t.average[7], t.green[7], t.yellow[7], t.red[7]]).toEqual([55, 1, 1, 1]);
    // Days without any score are NaN, not 0.
    expect(Number.isNaN(t.average[3] as number)).toBe(true);
  });

  it("gives each row a weekly sparkline of 13 points ending on the as-of day", () => {
    const { rows } = view();
    expect(rows[1]?.spark).toHaveLength(13);
    expect(rows[1]?.spark.at(-1)).toBe(55);
    expect(rows[1]?.spark.at(-2)).toBe(85);
  });

  it("gives each row its primary score on the day before the as-of day, banded by that day's score", () => {
    const { shown } = view();
    const bands = sortBands(usage.bands);
    // D0 − 1: a 79.5 (shows as 80: A, as bands choose on the shown points), b 64.4 (64: C), c none, d 50 (C).
    const history: PrimaryHistory = { from: D0 - 1, days: 2, scores: [] };
    history.scores = [
      Float32Array.of(79.5, 90),
      Float32Array.of(64.4, 55),
      Float32Array.of(Number.NaN, 20),
      Float32Array.of(50, Number.NaN),
    ];
    const rows = accountRows(accounts, shown, history, utilizationOf(data, D0), D0, [bands, bands, bands, bands]);
    expect(rows[0]?.dayBefore).toEqual({ score: 79.5, points: 80, grade: "A", color: "green", label: "Healthy" });
    expect(rows[1]?.dayBefore).toMatchObject({ points: 64, grade: "C", color: "yellow", label: "Watch" });
    expect(rows[1]?.dayBefore?.score).toBeCloseTo(64.4, 5);
    expect(rows[2]?.dayBefore).toBeNull();
    // d has no score today (not enough data) but had one the day before.
    expect(rows[3]?.dayBefore).toEqual({ score: 50, points: 50, grade: "C", color: "yellow", label: "Watch" });
    // No bands (no primary scorecard): nothing to show for the day before.
    const none = accountRows(accounts, shown, history, utilizationOf(data, D0), D0, []);
    expect(none.map((r) => r.dayBefore)).toEqual([null, null, null, null]);
  });
});
