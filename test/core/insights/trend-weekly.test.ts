import { describe, expect, it } from "vitest";
import { weeklyTrend } from "../../../core/insights/trend-weekly.ts";

describe("weeklyTrend", () => {
  it("one point per week ending on the last day, each the mean of its 7 days; a leading part week is left out", () => {
    // 16 days (100..115): weeks end on 115 (109..115) and 108 (102..108); 100 and 101 are a part week.
    const days = Array.from({ length: 16 }, (_, i) => 100 + i);
    // A weekly sawtooth: green is 10 on weekdays and 3 at the two weekend days of each week.
    const green = days.map((d) => (d % 7 === 5 || d % 7 === 6 ? 3 : 10));
    const average = days.map((d) => d - 50);
    const t = weeklyTrend({ days, average, green, yellow: days.map(() => 2), red: days.map(() => 0) });
    expect(t.days).toEqual([108, 115]);
    // Each week holds one Saturday and one Sunday: (5·10 + 2·3)/7 = 8.
    expect(t.green).toEqual([8, 8]);
    expect(t.yellow).toEqual([2, 2]);
    expect(t.red).toEqual([0, 0]);
    // Averages 52..58 → 55; 59..65 → 62.
    expect(t.average).toEqual([55, 62]);
  });
  it("skips days without an average score in their week's mean, NaN when the whole week has none", () => {
    const days = Array.from({ length: 14 }, (_, i) => i);
    const average = [...Array(7).fill(Number.NaN), 10, Number.NaN, 20, 30, Number.NaN, Number.NaN, 40];
    const zeros = days.map(() => 0);
    const t = weeklyTrend({ days, average, green: zeros, yellow: zeros, red: zeros });
    expect(t.average[0]).toBeNaN();
    expect(t.average[1]).toBe(25);
  });
  it("fewer than 7 days give no point", () => {
    const t = weeklyTrend({ days: [1, 2, 3], average: [1, 2, 3], green: [1, 1, 1], yellow: [0, 0, 0], red: [0, 0, 0] });
    expect(t.days).toEqual([]);
  });
});
