import { describe, expect, it } from "vitest";
import { readScorecard, restoreBundle, unknownMetricIssues } from "../../../core/schema/bundle.ts";
import type { FileIssue } from "../../../core/schema/issues.ts";
import { Scorecard, type ScorecardInput } from "../../../core/schema/scorecard.ts";
import { compileScorecard } from "../../../core/scoring/compile.ts";

const base: ScorecardInput = {
  id: "card",
  name: "Card",
  factors: [
    {
      id: "logins",
      label: "Logins",
      weight: 10,
      source: { kind: "metric", metric: "logins", aggregation: "count", windowDays: 30 },
      rule: { kind: "linear", worst: 0, best: 20 },
    },
  ],
};

/** The issues reading a scorecard gives, as "path: message" lines. */
function issues(input: unknown): string[] {
  const result = readScorecard(input);
  return result.ok ? [] : result.issues.map((i: FileIssue) => `${i.path}: ${i.message}`);
}

const withFactor = (patch: object) => ({ ...base, factors: [{ ...base.factors[0], ...patch }] });

describe("scorecard errors name the field and say what is wrong", () => {
  it("a weight of zero (so weights that add up to nothing) is refused", () => {
    expect(issues(withFactor({ weight: 0 }))).toEqual([
      '$.factors[0].weight: factor "logins": weight must be greater than 0',
    ]);
  });
  it("numbers out of any sane range are refused with the range (a weight of 1e308 scored everyone NaN)", () => {
    expect(issues(withFactor({ weight: 1e308 }))).toEqual([
      '$.factors[0].weight: factor "logins": weight must be at most 1000 (weights are relative: only their ratios matter)',
    ]);
    expect(issues(withFactor({ rule: { kind: "linear", worst: -1e308, best: 1e308 } }))).toEqual([
      '$.factors[0].rule.worst: factor "logins": worst must be between -10^15 and 10^15',
      '$.factors[0].rule.best: factor "logins": best must be between -10^15 and 10^15',
    ]);
    expect(
      issues({
        ...base,
        priority: 5000,
        minCoverage: 2,
        deltaDays: 1e9,
        appliesTo: [
          { kind: "range", attribute: "arr", min: -1e300 },
          { kind: "tenure", maxDays: 1e12 },
        ],
      }),
    ).toEqual([
      "$.appliesTo[0].min: min must be between -10^15 and 10^15",
      "$.appliesTo[1].maxDays: maxDays must be at most 36,600",
      "$.priority: priority must be between -1,000 and 1,000",
      "$.minCoverage: minCoverage must be between 0 and 1",
      "$.deltaDays: deltaDays must be at most 3,660",
    ]);
    // Within the bounds, a weight of 1000 beside one of 1 is fine and scores.
    expect(issues({ ...base, factors: [{ ...base.factors[0], weight: 1000 }] })).toEqual([]);
  });
  it("a bundle's data keeps to sane ranges: values, ARR, seats, attributes", () => {
    const read = restoreBundle({
      format: "vitals-bundle",
      version: 1,
      exportedAt: "2025-03-01T00:00:00Z",
      accounts: [{ id: "a1", name: "Acme", arr: 1e300, seats: -1, attributes: { score: 1e20 } }],
      observations: [{ accountId: "a1", metric: "logins", day: "2025-03-01", value: -1e200 }],
      overrides: [
        {
          id: "o1",
          accountId: "a1",
          score: 1e9,
          reason: "r",
          author: "a",
          createdOn: "2025-03-01",
          expiresOn: "2025-03-02",
        },
      ],
    });
    expect(read.ok ? [] : read.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      '$.accounts[0].arr: account "a1": arr must be between 0 and 10^15',
      '$.accounts[0].seats: account "a1": seats must be between 0 and 10^9',
      expect.stringMatching(/^\$\.accounts\[0\]\.attributes\.score: /),
      "$.observations[0].value: value must be between -10^15 and 10^15",
      '$.overrides[0].score: override "o1": score must be between 0 and 100',
    ]);
  });
  it("a scorecard with no factors is refused", () => {
    expect(issues({ ...base, factors: [] })).toEqual(["$.factors: a scorecard needs at least one factor"]);
  });
  it("a linear rule with worst = best is refused", () => {
    expect(issues(withFactor({ rule: { kind: "linear", worst: 5, best: 5 } }))).toEqual([
      '$.factors[0].rule.best: factor "logins": worst and best must differ (every value would score the same)',
    ]);
  });
  it("bands that do not start at 0 are refused", () => {
    expect(
      issues({
        ...base,
        bands: [
          { min: 70, grade: "A", color: "green", label: "Healthy" },
          { min: 40, grade: "B", color: "yellow", label: "Watch" },
        ],
      }),
    ).toEqual(["$.bands: bands must start at 0 (one band needs min 0, so every score has a band)"]);
  });
  it("steps whose last step has an upTo, or whose upTo do not increase, are refused", () => {
    expect(
      issues(
        withFactor({
          rule: {
            kind: "steps",
            steps: [
              { upTo: 30, n: 0 },
              { upTo: 10, n: 0.5 },
              { upTo: 50, n: 1 },
            ],
          },
        }),
      ),
    ).toEqual([
      '$.factors[0].rule.steps[1].upTo: factor "logins": upTo must increase from step to step',
      '$.factors[0].rule.steps[2].upTo: factor "logins": the last step must omit upTo, so every value above the others gets an n',
    ]);
  });
  it("an n outside [0, 1], a duplicate factor id and an undefined group are each reported", () => {
    const f = base.factors[0];
    expect(
      issues({
        ...base,
        factors: [
          { ...f, rule: { kind: "categorical", map: { Gold: 1.5 } } },
          { ...f, group: "usage" },
        ],
      }),
    ).toEqual([
      '$.factors[0].rule.map.Gold: factor "logins": a mapped n must be between 0 and 1',
      '$.factors[1].id: factor id "logins" is used twice',
      '$.factors[1].group: factor "logins": group "usage" is not defined in groups',
    ]);
  });
  it("an unknown aggregation lists the known ones", () => {
    const [message] = issues(withFactor({ source: { kind: "metric", metric: "logins", aggregation: "median" } }));
    expect(message).toMatch(/^\$\.factors\[0\]\.source\.aggregation: .*"last".*"nps"/);
  });
  it("an unknown metric is reported against the metrics the data has", () => {
    const card = Scorecard.parse(base);
    expect(unknownMetricIssues(card, new Set(["active_users", "tickets"]))).toEqual([
      { path: "$.factors[0].source.metric", message: 'unknown metric "logins" (the data has: active_users, tickets)' },
    ]);
    expect(unknownMetricIssues(card, new Set(["logins"]))).toEqual([]);
  });
  it("compiled weights never produce NaN: every valid scorecard has a positive total weight", () => {
    const { totalWeight, shares } = compileScorecard(Scorecard.parse(base));
    expect(totalWeight).toBe(10);
    expect(shares).toEqual([100]);
  });
});

describe("bundle files", () => {
  const bundle = { format: "vitals-bundle", version: 1, exportedAt: "2025-03-01T09:30:00Z", scorecards: [base] };

  it("a valid bundle reads back with defaults filled in", () => {
    const result = restoreBundle(bundle);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.scorecards[0]?.minCoverage).toBe(0.5);
  });
  it("a file that is not a bundle says so", () => {
    expect(restoreBundle({ factors: [] })).toEqual({
      ok: false,
      issues: [{ path: "$.format", message: 'not a Vitals bundle: format must be "vitals-bundle"' }],
    });
    expect(restoreBundle([1, 2])).toEqual({ ok: false, issues: [{ path: "$", message: "a bundle is a JSON object" }] });
  });
  it("a bundle from a newer Vitals is refused with the versions named", () => {
    expect(restoreBundle({ ...bundle, version: 7 })).toEqual({
      ok: false,
      issues: [
        {
          path: "$.version",
          message: "this bundle is version 7, made by a newer Vitals; this one reads up to version 1",
        },
      ],
    });
  });
  it("every problem in a bundle is listed with its JSON path", () => {
    const result = restoreBundle({
      ...bundle,
      exportedAt: "yesterday",
      scorecards: [withFactor({ weight: -1 })],
      observations: [{ accountId: "a", metric: "logins", day: "2025-02-30", value: 1 }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path)).toEqual([
        "$.exportedAt",
        "$.scorecards[0].factors[0].weight",
        "$.observations[0].day",
      ]);
      expect(result.issues[2]?.message).toBe("expected a date as YYYY-MM-DD (e.g. 2025-03-01)");
    }
  });
});
