import { describe, expect, it } from "vitest";
import type { ScorecardInput } from "../../../core/schema/scorecard.ts";
import { DEFAULT_BANDS } from "../../../core/schema/scorecard.ts";
import { bandIndexFor, roundHalfUp, sortBands } from "../../../core/scoring/bands.ts";
import { explainAccount, rollupScores, scoreHistory, scorePortfolio } from "../../../core/scoring/engine.ts";
import { account, card, D0, day, obs, portfolio } from "./helpers.ts";

type FactorInput = ScorecardInput["factors"][number];

/** A factor reading a custom numeric attribute `key`, with n = value / 100 (linear 0 → 100). */
const attr = (id: string, weight: number, extra: Partial<FactorInput> = {}): FactorInput => ({
  id,
  label: id.toUpperCase(),
  weight,
  source: { kind: "attribute", key: id },
  rule: { kind: "linear", worst: 0, best: 100 },
  ...extra,
});

/** Explains account "a" with the given attributes under one scorecard, as of D0. */
function explain(
  attributes: Record<string, number | string | boolean>,
  input: Partial<ScorecardInput> & Pick<ScorecardInput, "factors">,
) {
  const p = portfolio([account({ id: "a", attributes })]);
  const [result] = explainAccount(p, [card(input)], 0, D0);
  if (!result) throw new Error("scorecard did not apply");
  return result;
}

describe("rules: value → n", () => {
  it("linear with worst > best: lower is better (tickets: worst 10, best 0; 4 tickets → n = (4 − 10)/(0 − 10) = 0.6)", () => {
    const r = explain(
      { tickets: 4 },
      {
        factors: [{ ...attr("tickets", 1), rule: { kind: "linear", worst: 10, best: 0 } }],
      },
    );
    expect(r.factors[0]?.n).toBeCloseTo(0.6, 12);
  });
  it("linear clamps to [0, 1]", () => {
    expect(explain({ x: 150 }, { factors: [attr("x", 1)] }).factors[0]?.n).toBe(1);
    expect(explain({ x: -20 }, { factors: [attr("x", 1)] }).factors[0]?.n).toBe(0);
  });
  it("steps: first match wins, upTo inclusive (NPS ≤ 0 → 0, ≤ 30 → 0.5, else 1)", () => {
    const rule: FactorInput["rule"] = { kind: "steps", steps: [{ upTo: 0, n: 0 }, { upTo: 30, n: 0.5 }, { n: 1 }] };
    const n = (v: number) => explain({ nps: v }, { factors: [{ ...attr("nps", 1), rule }] }).factors[0]?.n;
    expect([n(-40), n(0), n(0.5), n(30), n(30.01), n(80)]).toEqual([0, 0, 0.5, 0.5, 1, 1]);
  });
  it("categorical: mapped values, case-insensitive fallback, default, and missing without a default", () => {
    const rule = { kind: "categorical", map: { "Month-to-month": 0.2, "One year": 0.6, "Two year": 1 } } as const;
    const n = (v: string, extra: object = {}) =>
      explain({ contract: v }, { factors: [{ ...attr("contract", 1), rule: { ...rule, ...extra } }] }).factors[0];
    expect(n("Two year")?.n).toBe(1);
    expect(n("month-to-month")?.n).toBe(0.2);
    expect(n("Three year")?.n).toBeNull();
    expect(n("Three year")?.status).toBe("missing");
    expect(n("Three year", { default: 0.5 })?.n).toBe(0.5);
  });
  it("boolean: true/false, yes/no and 1/0 map to their n; anything else is missing", () => {
    const rule = { kind: "boolean", true: 1, false: 0.25 } as const;
    const n = (v: string | boolean | number) =>
      explain({ sponsor: v }, { factors: [{ ...attr("sponsor", 1), rule }] }).factors[0]?.n;
    expect([n(true), n(false), n("Yes"), n("no"), n("TRUE"), n(1), n(0), n("maybe")]).toEqual([
      1,
      0.25,
      1,
      0.25,
      1,
      1,
      0.25,
      null,
    ]);
  });
});

describe("weights, missing data and coverage", () => {
  // a: w 20, n 0.5 · b: w 30, missing · c: w 50, n 1
  const factors = (policy: FactorInput["missing"]) => [
    attr("a", 20),
    attr("b", 30, { missing: policy }),
    attr("c", 50),
  ];
  const values = { a: 50, c: 100 };

  it("skip: the factor is left out and the others renormalized: 100 × (20·0.5 + 50·1)/70 = 85.714…", () => {
    const r = explain(values, { factors: factors({ policy: "skip" }) });
    expect(r.score).toBeCloseTo(6000 / 70, 9);
    expect(r.points).toBe(86);
    expect(r.coverage).toBeCloseTo(0.7, 12);
  });
  it("zero: counts as n = 0: 100 × 60/100 = 60; coverage still 0.7", () => {
    const r = explain(values, { factors: factors({ policy: "zero" }) });
    expect(r.score).toBeCloseTo(60, 9);
    expect(r.coverage).toBeCloseTo(0.7, 12);
    expect(r.factors[1]).toMatchObject({ status: "missing", n: null, countedN: 0 });
  });
  it("assume n = 0.4: 100 × (60 + 30·0.4)/100 = 72", () => {
    expect(explain(values, { factors: factors({ policy: "assume", n: 0.4 }) }).score).toBeCloseTo(72, 9);
  });
  it("coverage below minCoverage gives a null score: not enough data, grade —, grey, never 0", () => {
    const r = explain(values, { factors: factors({ policy: "zero" }), minCoverage: 0.75 });
    expect(r).toMatchObject({ score: null, points: null, grade: "—", color: "grey", label: "Not enough data" });
    expect(r.topDrags).toEqual([]);
    // At exactly the threshold the score stands (coverage 0.7 ≥ 0.7).
    expect(explain(values, { factors: factors({ policy: "zero" }), minCoverage: 0.7 }).score).toBeCloseTo(60, 9);
  });
  it("groups share their weight in proportion to their factors' weights", () => {
    // Usage (60) holds u1 (1, n 1) and u2 (3, n 0): effective 15 and 45. s has 40 and n 0.5.
    // Score = 15·1 + 45·0 + 40·0.5 = 35. Shares: 15, 45, 40.
    const r = explain(
      { u1: 100, u2: 0, s: 50 },
      {
        groups: [{ id: "usage", label: "Usage", weight: 60 }],
        factors: [attr("u1", 1, { group: "usage" }), attr("u2", 3, { group: "usage" }), attr("s", 40)],
      },
    );
    expect(r.score).toBeCloseTo(35, 9);
    expect(r.factors.map((f) => f.share)).toEqual([15, 45, 40].map((x) => expect.closeTo(x, 9)));
  });
});

describe("explanation", () => {
  it("points earned = 100·share·n and lost = 100·share·(1 − n), summing to the score; top drags by points lost", () => {
    // a 20 (n .5) · b 30 (n .1) · c 50 (n .9): earned 10 + 3 + 45 = 58; lost 10, 27, 5.
    const r = explain({ a: 50, b: 10, c: 90 }, { factors: [attr("a", 20), attr("b", 30), attr("c", 50)] });
    expect(r.score).toBeCloseTo(58, 9);
    expect(r.factors.map((f) => f.earned)).toEqual([10, 3, 45].map((x) => expect.closeTo(x, 9)));
    expect(r.factors.map((f) => f.lost)).toEqual([10, 27, 5].map((x) => expect.closeTo(x, 9)));
    expect(r.topDrags).toEqual(["b", "a", "c"]);
  });
  it("with a skipped factor, shares are over the factors counted, so earned points still sum to the score", () => {
    // a 20 (n .5), b 30 missing (skip), c 50 (n 1): score 6000/70; a earns 100·20/70·0.5 = 14.29, c 71.43.
    const r = explain({ a: 50, c: 100 }, { factors: [attr("a", 20), attr("b", 30), attr("c", 50)] });
    const earned = r.factors.reduce((s, f) => s + f.earned, 0);
    expect(earned).toBeCloseTo(r.score ?? Number.NaN, 9);
    expect(r.factors[1]).toMatchObject({ earned: 0, lost: 0, status: "missing" });
    expect(r.topDrags).toEqual(["a"]); // c loses nothing, b is not counted
  });
  it("a manual input older than staleAfterDays is flagged stale but still counts", () => {
    const p = portfolio([account({ id: "a" })], obs("a", "sentiment", [[-50, 4]]));
    const c = card({
      factors: [
        {
          id: "s",
          label: "Sentiment",
          weight: 1,
          source: { kind: "metric", metric: "sentiment", aggregation: "last", windowDays: 90 },
          rule: { kind: "linear", worst: 1, best: 5 },
          staleAfterDays: 45,
        },
      ],
    });
    const [r] = explainAccount(p, [c], 0, D0);
    expect(r?.factors[0]).toMatchObject({ status: "stale", value: 4, n: 0.75 });
    expect(r?.score).toBeCloseTo(75, 9);
    expect(explainAccount(p, [c], 0, D0 - 10)[0]?.factors[0]?.status).toBe("ok");
  });
});

describe("bands", () => {
  const bands = sortBands(DEFAULT_BANDS);
  const grade = (score: number) => bands[bandIndexFor(bands, score)]?.grade;

  it("rounds half up for display, absorbing floating-point error", () => {
    expect([roundHalfUp(79.5), roundHalfUp(79.49), roundHalfUp(100 * 0.795), roundHalfUp(0.5)]).toEqual([
      80, 79, 80, 1,
    ]);
  });
  it("choose on the score as shown, min inclusive: 79.5 shows 80 and is A; 79.49 shows 79 and is B", () => {
    expect([
      grade(79.5),
      grade(79.49),
      grade(80),
      grade(65),
      grade(64.5),
      grade(64.49),
      grade(50),
      grade(49.4),
      grade(0),
    ]).toEqual(["A", "B", "A", "B", "B", "C", "C", "D", "D"]);
  });
  it("a full result carries points, grade, colour and label together", () => {
    const r = explain({ x: 79.5 }, { factors: [attr("x", 1)] });
    expect(r).toMatchObject({ score: 79.5, points: 80, grade: "A", color: "green", label: "Healthy" });
    expect(explain({ x: 55 }, { factors: [attr("x", 1)] })).toMatchObject({
      grade: "C",
      color: "yellow",
      label: "Watch",
    });
  });
});

describe("delta and history", () => {
  const usage = (extra: Partial<ScorecardInput> = {}) =>
    card({
      factors: [
        {
          id: "u",
          label: "Usage",
          weight: 1,
          source: { kind: "metric", metric: "usage", aggregation: "last", windowDays: 10 },
          rule: { kind: "linear", worst: 0, best: 100 },
        },
      ],
      ...extra,
    });

  it("delta = score as of today − score as of today − 30 days (90 − 40 = +50), per factor too", () => {
    const p = portfolio(
      [account({ id: "a" })],
      obs("a", "usage", [
        [-30, 40],
        [0, 90],
      ]),
    );
    const [r] = explainAccount(p, [usage()], 0, D0);
    expect(r).toMatchObject({ score: 90, previousScore: 40, delta: 50, deltaDays: 30 });
    expect(r?.factors[0]).toMatchObject({ value: 90, previousValue: 40, previousN: 0.4 });
    expect(r?.factors[0]?.deltaPoints).toBeCloseTo(50, 9);
  });
  it("the delta period is configurable per scorecard (7 days: 90 − 70)", () => {
    const p = portfolio(
      [account({ id: "a" })],
      obs("a", "usage", [
        [-30, 40],
        [-7, 70],
        [0, 90],
      ]),
    );
    expect(explainAccount(p, [usage({ deltaDays: 7 })], 0, D0)[0]?.delta).toBeCloseTo(20, 9);
  });
  it("a null on either side gives a null delta", () => {
    const p = portfolio([account({ id: "a" })], obs("a", "usage", [[0, 90]]));
    expect(explainAccount(p, [usage()], 0, D0)[0]).toMatchObject({ score: 90, previousScore: null, delta: null });
  });
  it("history is the daily series, equal day by day to the score computed as of each day", () => {
    const p = portfolio(
      [account({ id: "a" }), account({ id: "b" })],
      [
        ...obs("a", "usage", [
          [-20, 10],
          [-12, 30],
          [-3, 80],
        ]),
        ...obs("b", "usage", [[-15, 55]]),
      ],
    );
    const c = usage();
    const h = scoreHistory(p, c, D0 - 25, D0);
    expect(h.days).toBe(26);
    for (let r = 0; r < 2; r++) {
      for (let j = 0; j < h.days; j++) {
        const single = explainAccount(p, [c], h.accounts[r] as number, D0 - 25 + j)[0]?.score ?? null;
        const fromHistory = h.score[r * h.days + j] as number;
        expect(Number.isNaN(fromHistory) ? null : fromHistory, `row ${r} ${day(-25 + j)}`).toBe(
          single === null ? null : Math.fround(single),
        );
      }
    }
  });
});

describe("history in chunks", () => {
  it("gives the same series whether rows are evaluated all at once or a few at a time", () => {
    const accounts = ["a", "b", "c", "d", "e"].map((id) => account({ id }));
    const observations = accounts.flatMap((a, i) =>
      obs(a.id, "usage", [
        [-40 + i, 10 * i],
        [-9 - i, 50 + i],
        [-2, 90 - i],
      ]),
    );
    const p = portfolio(accounts, observations);
    const c = card({
      factors: [
        {
          id: "u",
          label: "Usage",
          weight: 1,
          source: { kind: "metric", metric: "usage", aggregation: "max", windowDays: 14 },
          rule: { kind: "linear", worst: 0, best: 100 },
        },
      ],
    });
    const whole = scoreHistory(p, c, D0 - 30, D0);
    const chunked = scoreHistory(p, c, D0 - 30, D0, { chunkCells: 2 * 31 }); // two rows at a time
    expect(Array.from(chunked.score)).toEqual(Array.from(whole.score));
    expect(whole.score.some((x) => !Number.isNaN(x))).toBe(true);
  });
});

describe("several scorecards, roll-up and overrides", () => {
  const simple = (id: string, priority: number, appliesTo: ScorecardInput["appliesTo"] = []) =>
    card({ id, name: id, priority, appliesTo, factors: [attr("x", 1)] });

  it("the primary score comes from the matching scorecard with the highest priority", () => {
    const p = portfolio([
      account({ id: "ent", segment: "Enterprise", attributes: { x: 70 } }),
      account({ id: "smb", segment: "SMB", attributes: { x: 40 } }),
    ]);
    const cards = [
      simple("general", 0),
      simple("enterprise", 10, [{ kind: "equals", attribute: "segment", value: "enterprise" }]),
    ];
    const scores = scorePortfolio(p, cards, { asOf: D0 });
    expect(Array.from(scores.primary)).toEqual([1, 0]);
    const results = explainAccount(p, cards, 0, D0);
    expect(results.map((r) => [r.scorecardId, r.primary])).toEqual([
      ["enterprise", true],
      ["general", false],
    ]);
  });
  it("ties on priority go to the scorecard id that sorts first, whatever the load order", () => {
    const p = portfolio([account({ id: "a", attributes: { x: 1 } })]);
    const a = simple("alpha", 5);
    const b = simple("beta", 5);
    expect(explainAccount(p, [b, a], 0, D0)[0]?.scorecardId).toBe("alpha");
    expect(explainAccount(p, [a, b], 0, D0)[0]?.scorecardId).toBe("alpha");
  });
  it("a tenure condition applies the onboarding scorecard only in the first 90 days", () => {
    const p = portfolio([account({ id: "a", startDate: "2025-01-01", attributes: { x: 1 } })]);
    const cards = [simple("general", 0), simple("onboarding", 20, [{ kind: "tenure", maxDays: 90 }])];
    expect(explainAccount(p, cards, 0, D0)[0]?.scorecardId).toBe("onboarding"); // day 59
    expect(explainAccount(p, cards, 0, D0 + 31)[0]?.scorecardId).toBe("onboarding"); // day 90
    expect(explainAccount(p, cards, 0, D0 + 32)[0]?.scorecardId).toBe("general"); // day 91
  });
  it("a parent rolls up its children: ARR-weighted mean of their primary scores ((100·80 + 300·40)/400 = 50)", () => {
    const accounts = [
      account({ id: "parent" }),
      account({ id: "c1", parentId: "parent", arr: 100, attributes: { x: 80 } }),
      account({ id: "c2", parentId: "parent", arr: 300, attributes: { x: 40 } }),
      account({ id: "c3", parentId: "parent", arr: 500 }), // null score: left out
    ];
    const scores = scorePortfolio(portfolio(accounts), [simple("general", 0)], { asOf: D0 });
    expect(scores.rollup[0]).toBeCloseTo(50, 9);
    expect(Number.isNaN(scores.rollup[1] as number)).toBe(true);
    // Without ARR: the plain mean (80 + 40)/2 = 60.
    const plain = rollupScores(
      accounts.map((a) => ({ ...a, arr: undefined })),
      Float64Array.of(Number.NaN, 80, 40, Number.NaN),
    );
    expect(plain[0]).toBeCloseTo(60, 9);
  });
  it("an override shows beside the computed score until its expiry day (inclusive), then is ignored", () => {
    const p = portfolio([account({ id: "a", attributes: { x: 30 } })]);
    const override = {
      id: "o1",
      accountId: "a",
      grade: "B",
      reason: "Exec sponsor confirmed renewal",
      author: "dana@vitals.example",
      createdOn: "2025-02-01",
      expiresOn: "2025-03-01",
    };
    const [active] = explainAccount(p, [simple("general", 0)], 0, D0, [override]);
    expect(active).toMatchObject({
      score: 30,
      grade: "D",
      override: { grade: "B", reason: "Exec sponsor confirmed renewal" },
    });
    const [expired] = explainAccount(p, [simple("general", 0)], 0, D0 + 1, [override]);
    expect(expired?.override).toBeUndefined();
    expect(expired?.score).toBe(30);
  });
});
