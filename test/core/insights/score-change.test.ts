import { describe, expect, it } from "vitest";
import { DEMO_AS_OF, demoPortfolio } from "../../../core/demo/portfolio.ts";
import {
  type ChangeFactor,
  changeSentence,
  largestRemainder,
  partWords,
  scoreChangeOf,
  splitScoreChange,
} from "../../../core/insights/score-change.ts";
import { metricColumnsOf } from "../../../core/io/columns.ts";
import { roundHalfUp } from "../../../core/scoring/bands.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { explainAccount } from "../../../core/scoring/engine.ts";
import { type PortfolioData, seriesFromColumns } from "../../../core/scoring/series.ts";
import { account, card, D0, obs, portfolio } from "../scoring/helpers.ts";

const factor = (
  factorId: string,
  weight: number,
  countedThen: number | null,
  countedNow: number | null,
  valueThen: number | null = null,
  valueNow: number | null = null,
): ChangeFactor => ({ factorId, label: factorId, weight, countedThen, countedNow, valueThen, valueNow });

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe("splitScoreChange: exact parts by factor", () => {
  it("same factors on both days: each part is its weight times its change in n (70 → 45: A −25, B ±0)", () => {
    const c = splitScoreChange([factor("A", 1, 0.8, 0.3, 40, -10), factor("B", 1, 0.6, 0.6, 5, 5)], 30);
    expect(c?.scoreThen).toBeCloseTo(70, 12);
    expect(c?.scoreNow).toBeCloseTo(45, 12);
    expect(c?.parts.map((p) => p.kind)).toEqual(["value", "value"]);
    expect(c?.parts[0]?.points).toBeCloseTo(-25, 12);
    expect(c?.parts[1]?.points).toBeCloseTo(0, 12);
    expect(c?.parts.map((p) => p.shown)).toEqual([-25, 0]);
    expect(c?.shownChange).toBe(-25);
  });

  it("a factor without data today: value changes are weighed among the factors on both days, the dropped one carries the reweighting", () => {
    // Then: A (w 2) 0.5, B (w 1) 1.0, C (w 1) 0.2 → 100·(1 + 1 + 0.2)/4 = 55.
    // Now: C skipped; A 0.5, B 0.7 → 100·(1 + 0.7)/3 = 56.667. Over A and B: then 66.667, now 56.667.
    // A: 0; B: 100·1·(0.7 − 1)/3 = −10; C dropped: −1·(20 − 66.667)/4 = +11.667. Sum 1.667 = 56.667 − 55.
    const c = splitScoreChange([factor("A", 2, 0.5, 0.5), factor("B", 1, 1, 0.7), factor("C", 1, 0.2, null)], 30);
    expect(c?.scoreThen).toBeCloseTo(55, 12);
    expect(c?.scoreNow).toBeCloseTo(170 / 3, 12);
    expect(c?.parts.map((p) => p.kind)).toEqual(["value", "value", "dropped"]);
    expect(c?.parts[0]?.points).toBeCloseTo(0, 12);
    expect(c?.parts[1]?.points).toBeCloseTo(-10, 12);
    expect(c?.parts[2]?.points).toBeCloseTo(35 / 3, 12);
    // Shown: 57 − 55 = +2; floors 0, −10, 11 (sum 1), the missing unit to C's remainder 0.667.
    expect(c?.shownChange).toBe(2);
    expect(c?.parts.map((p) => p.shown)).toEqual([0, -10, 12]);
  });

  it("a factor with data again today: it moves the score by how far it sits from the others", () => {
    // Then: A (w 1) 0.4 alone → 40. Now: A 0.4, B (w 3) 0.9 → 100·(0.4 + 2.7)/4 = 77.5.
    // A: 0; B added: 3·(90 − 40)/4 = +37.5.
    const c = splitScoreChange([factor("A", 1, 0.4, 0.4), factor("B", 3, null, 0.9)], 30);
    expect(c?.parts.map((p) => [p.kind, p.points])).toEqual([
      ["value", 0],
      ["added", 37.5],
    ]);
    // Shown: round(77.5) = 78 − 40 = 38: the half goes to B.
    expect(c?.parts.map((p) => p.shown)).toEqual([0, 38]);
  });

  it("no factor on both days: an added factor brings its points, a dropped one takes its points away", () => {
    const c = splitScoreChange([factor("A", 1, 0.5, null), factor("B", 3, null, 0.9)], 7);
    expect(c?.scoreThen).toBeCloseTo(50, 12);
    expect(c?.scoreNow).toBeCloseTo(90, 12);
    expect(c?.parts.map((p) => p.points)).toEqual([-50, 90]);
    expect(c?.parts.map((p) => p.shown)).toEqual([-50, 90]);
  });

  it("null when a day counts no factor", () => {
    expect(splitScoreChange([factor("A", 1, null, 0.5)], 30)).toBeNull();
    expect(splitScoreChange([factor("A", 1, 0.5, null)], 30)).toBeNull();
  });
});

describe("largestRemainder", () => {
  it("rounds down, then gives the missing units to the largest remainders, ties to the earlier", () => {
    expect(largestRemainder([1.4, 1.4, 1.2], 4)).toEqual([2, 1, 1]);
    expect(largestRemainder([1.2, 1.4, 1.4], 4)).toEqual([1, 2, 1]);
    expect(largestRemainder([0.6, 0.6], 1)).toEqual([1, 0]);
    expect(largestRemainder([-0.4, -0.4], -1)).toEqual([0, -1]);
    expect(largestRemainder([3, -2], 1)).toEqual([3, -2]);
  });
  it("always sums to the total, even when it is far from the values' sum", () => {
    expect(sum(largestRemainder([0.1, 0.1], 5))).toBe(5);
    expect(sum(largestRemainder([0.9, 0.9], -3))).toBe(-3);
    expect(largestRemainder([], 0)).toEqual([]);
  });
});

describe("changeSentence", () => {
  it("names each moving factor with its points, biggest first, in the account page's words", () => {
    const c = splitScoreChange(
      [
        { ...factor("n", 1, 0.8, 0.4, 40, -10), label: "NPS" },
        { ...factor("l", 1, 0.6, 0.3, 120, 72), label: "Logins" },
        { ...factor("t", 1, 0.5, 0.5, 3, 3), label: "Tickets" },
      ],
      30,
    );
    if (!c) throw new Error("no change");
    // Then 100·1.9/3 = 63.33 (63); now 100·1.2/3 = 40 → −23; NPS −13.33, Logins −10 → −13, −10.
    expect(c.parts.map((p) => p.shown)).toEqual([-13, -10, 0]);
    expect(changeSentence(c)).toBe(
      "Down 23 points in 30 days (63 → 40): −13 NPS fell from 40 to −10; −10 Logins fell 40% (from 120 to 72).",
    );
  });
  it("sums the parts that do not fit as others, so the sentence still adds up", () => {
    const c = splitScoreChange(
      Array.from({ length: 10 }, (_, i) => ({
        ...factor(`f${i}`, 1, 0.9, 0.1 * i, 90, 10 * i),
        label: `A factor with a long name number ${i}`,
      })),
      30,
    );
    if (!c) throw new Error("no change");
    const text = changeSentence(c, 200);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).toMatch(/other factors\.$/);
    const points = [...(text.split(":")[1] ?? "").matchAll(/([−+])(\d+) /g)].map(
      (m) => (m[1] === "−" ? -1 : 1) * Number(m[2]),
    );
    expect(sum(points)).toBe(c.shownChange);
  });
  it("says a factor's data stopped or began, not that its value 'changed to no data'", () => {
    const part = { factorId: "s", label: "CSM sentiment", kind: "value" as const, points: -5, shown: -5 };
    expect(partWords({ ...part, valueThen: 1, valueNow: null })).toBe("CSM sentiment has no data now (it was 1)");
    expect(partWords({ ...part, valueThen: null, valueNow: 4 })).toBe("CSM sentiment is 4 (no data before)");
    expect(partWords({ ...part, valueThen: "Gold", valueNow: "Silver" })).toBe(
      "CSM sentiment changed from Gold to Silver",
    );
  });
  it("no change", () => {
    const c = splitScoreChange([factor("A", 1, 0.5, 0.5)], 30);
    if (!c) throw new Error("no change");
    expect(changeSentence(c)).toBe("No change in 30 days (50).");
  });
});

describe("scoreChangeOf a scored result", () => {
  it("reweights when a metric has data on one day only (engine: usage skipped 30 days ago)", () => {
    const p = portfolio(
      [account({ id: "a", attributes: { nps: 60 } })],
      obs("a", "usage", [
        [-5, 20],
        [0, 20],
      ]),
    );
    const sc = card({
      factors: [
        {
          id: "nps",
          label: "NPS",
          weight: 1,
          source: { kind: "attribute", key: "nps" },
          rule: { kind: "linear", worst: 0, best: 100 },
        },
        {
          id: "usage",
          label: "Usage",
          weight: 1,
          source: { kind: "metric", metric: "usage", aggregation: "last", windowDays: 10 },
          rule: { kind: "linear", worst: 0, best: 100 },
        },
      ],
    });
    const [r] = explainAccount(p, [sc], 0, D0);
    if (!r) throw new Error("scorecard did not apply");
    // Then: NPS alone, 60. Now: (60 + 20)/2 = 40. Usage added: 1·(20 − 60)/2 = −20.
    expect(r).toMatchObject({ score: 40, previousScore: 60 });
    const c = scoreChangeOf(r);
    expect(c?.parts.map((x) => [x.factorId, x.kind, x.points, x.shown])).toEqual([
      ["nps", "value", 0, 0],
      ["usage", "added", -20, -20],
    ]);
  });

  it("on every demo account and scorecard, the parts add up to the delta and the shown parts to the shown change", () => {
    const demo = demoPortfolio({ accounts: 120 });
    const accountIndex = new Map(demo.accounts.map((a, i) => [a.id, i]));
    const series = new Map(
      metricColumnsOf([demo.observations], accountIndex).map((col) => [
        col.metric,
        seriesFromColumns(demo.accounts.length, col),
      ]),
    );
    const data: PortfolioData = { accounts: demo.accounts, accountIndex, series };
    let checked = 0;
    let reweighted = 0;
    for (let a = 0; a < demo.accounts.length; a++) {
      for (const r of explainAccount(data, DEFAULT_SCORECARDS, a, DEMO_AS_OF)) {
        const c = scoreChangeOf(r);
        if (r.score === null || r.previousScore === null) {
          expect(c).toBeNull();
          continue;
        }
        if (!c) throw new Error(`no split for ${r.accountId}`);
        checked++;
        if (c.parts.some((x) => x.kind !== "value")) reweighted++;
        expect(c.scoreNow).toBeCloseTo(r.score, 9);
        expect(c.scoreThen).toBeCloseTo(r.previousScore, 9);
        expect(sum(c.parts.map((x) => x.points))).toBeCloseTo(r.delta as number, 9);
        expect(sum(c.parts.map((x) => x.shown))).toBe((r.points as number) - roundHalfUp(r.previousScore));
        for (const x of c.parts) expect(Math.abs(x.shown - x.points)).toBeLessThan(1);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(reweighted).toBeGreaterThan(0);
  });
});
