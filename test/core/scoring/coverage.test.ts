import { describe, expect, it } from "vitest";
import type { Aggregation } from "../../../core/schema/scorecard.ts";
import { aggregateAccount } from "../../../core/scoring/aggregate.ts";
import { coverSeries, type MetricSeries, mergeRanges, seriesFromColumns } from "../../../core/scoring/series.ts";

/** Two accounts: account 0 has tickets on days 100 and 110, account 1 has none. */
function tickets(covered?: { from: number; to: number }[]): MetricSeries {
  const series = new Map<string, MetricSeries>([
    [
      "tickets",
      seriesFromColumns(2, {
        metric: "tickets",
        account: Int32Array.of(0, 0),
        day: Int32Array.of(100, 110),
        value: Float64Array.of(1, 1),
      }),
    ],
  ]);
  if (covered)
    coverSeries(
      series,
      2,
      covered.map((c) => ({ metric: "tickets", ...c })),
    );
  return series.get("tickets") as MetricSeries;
}

const at = (series: MetricSeries, account: number, aggregation: Aggregation, window: number, days: number[]) => {
  const out = new Float64Array(days.length);
  aggregateAccount(series, account, aggregation, window, Int32Array.from(days), out, 0);
  return Array.from(out);
};

describe("covered days (events imports): no event is 0, not missing", () => {
  it("without coverage, an account with no event has no count or sum (missing), as before", () => {
    const s = tickets();
    expect(at(s, 1, "count", 30, [120])).toEqual([Number.NaN]);
    expect(at(s, 1, "sum", 30, [120])).toEqual([Number.NaN]);
  });

  it("inside the covered period count and sum are 0; outside it they stay missing", () => {
    const s = tickets([{ from: 90, to: 130 }]);
    // Account 1: windows of 10 days ending on 95 (covered), 125 (covered), 150 (141…150: after the period), 80 (before).
    expect(at(s, 1, "count", 10, [80, 95, 125, 150])).toEqual([Number.NaN, 0, 0, Number.NaN]);
    expect(at(s, 1, "sum", 10, [80, 95, 125, 150])).toEqual([Number.NaN, 0, 0, Number.NaN]);
    // A window that reaches into the period (131…140 shares nothing; 126…135 shares 126…130) is covered.
    expect(at(s, 1, "count", 10, [135, 140])).toEqual([0, Number.NaN]);
    // Account 0: its events still count; a covered window between them is 0.
    expect(at(s, 0, "count", 5, [100, 105, 110])).toEqual([1, 0, 1]);
  });

  it("a mean, a last value, a minimum or an NPS of no event stays missing", () => {
    const s = tickets([{ from: 90, to: 130 }]);
    for (const aggregation of ["mean", "last", "min", "max", "nps", "daysSince"] as const) {
      expect(at(s, 1, aggregation, 10, [120])).toEqual([Number.NaN]);
    }
  });

  it("change: events in the previous window and none in a covered current one is −100 %", () => {
    const s = tickets([{ from: 90, to: 130 }]);
    // Window 10: current 121…130 (no event), previous 111…120 (none either: day 110 is before) → missing.
    expect(at(s, 0, "change", 10, [130])).toEqual([Number.NaN]);
    // Window 10 ending 125: current 116…125 has no event (covered), previous 106…115 has day 110.
    expect(at(s, 0, "change", 10, [125])).toEqual([-100]);
  });

  it("merges ranges: overlapping and adjacent ranges become one", () => {
    expect(
      Array.from(
        mergeRanges([
          { from: 10, to: 20 },
          { from: 21, to: 25 },
          { from: 40, to: 50 },
          { from: 45, to: 60 },
        ]),
      ),
    ).toEqual([10, 25, 40, 60]);
  });
});

describe("covered days and CSM ratings", () => {
  it("a rated metric keeps its covered days (a rating never turns 0 tickets back into missing)", async () => {
    const { withRatings } = await import("../../../core/scoring/as-of.ts");
    const series = new Map<string, MetricSeries>([["tickets", tickets([{ from: 90, to: 130 }])]]);
    const accounts = [
      { id: "a", name: "A" },
      { id: "b", name: "B" },
    ] as never;
    const rated = withRatings(
      {
        accounts,
        accountIndex: new Map([
          ["a", 0],
          ["b", 1],
        ]),
        series,
      },
      [{ account: 0, metric: "tickets", day: 120, value: 3 }],
      130,
      130,
    );
    const s = rated.series.get("tickets") as MetricSeries;
    expect(at(s, 1, "count", 10, [125])).toEqual([0]);
  });
});
