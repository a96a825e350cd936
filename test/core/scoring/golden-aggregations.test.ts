import { describe, expect, it } from "vitest";
import type { Aggregation } from "../../../core/schema/scorecard.ts";
import { explainAccount } from "../../../core/scoring/engine.ts";
import { account, card, D0, obs, portfolio } from "./helpers.ts";

// One account, metric "usage", as of D0 = 2025-03-01 with a 30-day window: days D0−29 … D0 inclusive.
//   D0−40: 5   (previous window only)
//   D0−30: 7   (one day before the window: excluded)
//   D0−29: 1   (first day of the window: included)
//   D0−10: 4
//   D0−5:  0
//   D0:    6
//   D0+1:  100 (after the as-of day: never read)
const points: [number, number][] = [
  [-40, 5],
  [-30, 7],
  [-29, 1],
  [-10, 4],
  [-5, 0],
  [0, 6],
  [1, 100],
];

/** The raw value of a one-factor scorecard reading `usage` with an aggregation, as of D0 + offset. */
function rawValue(aggregation: Aggregation, windowDays = 30, offset = 0, data = points): unknown {
  const p = portfolio([account({ id: "a" })], obs("a", "usage", data));
  const c = card({
    factors: [
      {
        id: "f",
        label: "F",
        weight: 1,
        source: { kind: "metric", metric: "usage", aggregation, windowDays },
        rule: { kind: "linear", worst: -1000, best: 1000 },
      },
    ],
  });
  return explainAccount(p, [c], 0, D0 + offset)[0]?.factors[0]?.value;
}

describe("aggregations over a window ending on the as-of day (inclusive)", () => {
  it("last: the latest value in the window (6 on D0; 100 on D0+1 is never read)", () => {
    expect(rawValue("last")).toBe(6);
  });
  it("sum: 1 + 4 + 0 + 6 = 11 (D0−30 is outside, D0−29 inside)", () => {
    expect(rawValue("sum")).toBe(11);
  });
  it("mean: 11 / 4 observations = 2.75", () => {
    expect(rawValue("mean")).toBe(2.75);
  });
  it("min: 0 and max: 6", () => {
    expect(rawValue("min")).toBe(0);
    expect(rawValue("max")).toBe(6);
  });
  it("count: 4 observations, zero values included", () => {
    expect(rawValue("count")).toBe(4);
  });
  it("min and max follow the window: as of D0−6 it is D0−35 … D0−6", () => {
    // Window D0−35 … D0−6 holds D0−30 (7), D0−29 (1), D0−10 (4): min 1, max 7.
    expect(rawValue("min", 30, -6)).toBe(1);
    expect(rawValue("max", 30, -6)).toBe(7);
  });
  it("daysSince: days since the latest value > 0, over all history before the as-of day", () => {
    expect(rawValue("daysSince")).toBe(0); // D0 has 6
    // As of D0−3: D0−5 is 0 (not > 0), so the latest positive is D0−10: 7 days.
    expect(rawValue("daysSince", 30, -3)).toBe(7);
    // The window does not limit it: with a 1-day window, as of D0−3 it is still 7.
    expect(rawValue("daysSince", 1, -3)).toBe(7);
  });
  it("change: window sum vs the previous window of equal length, in %", () => {
    // Current D0−29 … D0: 11. Previous D0−59 … D0−30: 5 + 7 = 12. (11 − 12) / 12 × 100 = −8.333…%.
    expect(rawValue("change")).toBeCloseTo(-8.333333333, 6);
    // 10-day windows: current D0−9 … D0 = 0 + 6 = 6; previous D0−19 … D0−10 = 4. (6 − 4) / 4 = +50%.
    expect(rawValue("change", 10)).toBeCloseTo(50, 9);
  });
  it("change with an empty or zero previous window is missing (division by zero)", () => {
    // 5-day windows: previous D0−9 … D0−5 holds only D0−5 = 0 → sum 0 → missing.
    expect(rawValue("change", 5)).toBeNull();
  });
  it("nps: % promoters (9–10) minus % detractors (0–6) of the answers in the window", () => {
    // Answers 10, 9, 8, 7, 6, 3, 0 in the window: promoters 2, detractors 3, total 7.
    // (2 − 3) / 7 × 100 = −14.2857…
    const answers: [number, number][] = [
      [-20, 10],
      [-19, 9],
      [-18, 8],
      [-17, 7],
      [-16, 6],
      [-15, 3],
      [0, 0],
      [-200, 10], // outside the window
    ];
    expect(rawValue("nps", 30, 0, answers)).toBeCloseTo(-14.285714286, 6);
    // All promoters: +100; answers outside 0–10 are not answers and are left out.
    expect(
      rawValue("nps", 30, 0, [
        [0, 9],
        [-1, 10],
        [-2, 11],
      ]),
    ).toBe(100);
  });
  it("an empty window is missing, never zero", () => {
    // As of D0−45 the window D0−74 … D0−45 is empty.
    for (const agg of ["last", "sum", "mean", "min", "max", "count", "nps"] as const) {
      expect(rawValue(agg, 30, -45), agg).toBeNull();
    }
  });
  it("several observations on one day: last takes the largest, so input order never matters", () => {
    expect(
      rawValue("last", 30, 0, [
        [0, 3],
        [0, 8],
        [0, 5],
      ]),
    ).toBe(8);
    expect(
      rawValue("sum", 30, 0, [
        [0, 3],
        [0, 8],
        [0, 5],
      ]),
    ).toBe(16);
  });
});

describe("attribute, tenure and ratio sources", () => {
  const one = (source: object, rule: object, accountFields: object = {}, extra: Parameters<typeof obs>[2] = []) => {
    const p = portfolio([account({ id: "a", ...accountFields })], obs("a", "users", extra));
    const c = card({ factors: [{ id: "f", label: "F", weight: 1, source: source as never, rule: rule as never }] });
    const [result] = explainAccount(p, [c], 0, D0);
    return result;
  };
  const linear = { kind: "linear", worst: 0, best: 1000 };

  it("tenureDays: as-of minus start date (2025-01-01 → 2025-03-01 is 31 + 28 = 59 days)", () => {
    expect(one({ kind: "tenureDays" }, linear, { startDate: "2025-01-01" })?.factors[0]?.value).toBe(59);
  });
  it("tenureDays before the start date, or with no start date, is missing", () => {
    expect(one({ kind: "tenureDays" }, linear, { startDate: "2025-06-01" })?.factors[0]?.value).toBeNull();
    expect(one({ kind: "tenureDays" }, linear)?.factors[0]?.value).toBeNull();
  });
  it("ratio: mean active users 30 ÷ 50 seats = 0.6", () => {
    const source = {
      kind: "ratio",
      numerator: { kind: "metric", metric: "users", aggregation: "mean", windowDays: 30 },
      denominator: { kind: "attribute", key: "seats" },
    };
    const result = one(source, { kind: "linear", worst: 0, best: 1 }, { seats: 50 }, [
      [-1, 20],
      [0, 40],
    ]);
    expect(result?.factors[0]?.value).toBeCloseTo(0.6, 12);
    expect(result?.score).toBeCloseTo(60, 9);
  });
  it("ratio with a zero denominator is missing", () => {
    const source = {
      kind: "ratio",
      numerator: { kind: "metric", metric: "users", aggregation: "last", windowDays: 30 },
      denominator: { kind: "attribute", key: "seats" },
    };
    const result = one(source, { kind: "linear", worst: 0, best: 1 }, { seats: 0 }, [[0, 20]]);
    expect(result?.factors[0]?.value).toBeNull();
    expect(result?.score).toBeNull();
  });
  it("a custom attribute reads by name; empty text is missing", () => {
    expect(one({ kind: "attribute", key: "employees" }, linear, { attributes: { employees: 250 } })?.score).toBe(25);
    expect(one({ kind: "attribute", key: "employees" }, linear, { attributes: { employees: " " } })?.score).toBeNull();
  });
});
