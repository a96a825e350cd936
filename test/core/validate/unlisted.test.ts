import { describe, expect, it } from "vitest";
import type { Observation, Outcome } from "../../../core/schema/observation.ts";
import { validateScorecard } from "../../../core/validate/validate.ts";
import { account, card, portfolio } from "../scoring/helpers.ts";

/**
 * Issue 13, "Outcomes as real exports give them": a churn-events export lists only the accounts that churned, a
 * renewals export only the renewals. Without a rule for the accounts it does not list there is no AUC, and the
 * report says how to get one; with "stayed" or "not-renewed" the unlisted accounts become cases, said in words.
 */
const scorecard = card({
  factors: [
    {
      id: "usage",
      label: "usage",
      weight: 1,
      source: { kind: "metric", metric: "usage", aggregation: "last", windowDays: 400 },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
  ],
});
// Usage on 2025-01-01 (every account is scored on a day after it); the low ones churn.
const USAGE: [string, number][] = [
  ["a1", 90],
  ["a2", 70],
  ["a3", 55],
  ["a4", 55],
  ["a5", 20],
  ["a6", 30],
];
const observations: Observation[] = USAGE.map(([accountId, value]) => ({
  accountId,
  metric: "usage",
  day: "2025-01-01",
  value,
}));

describe("a churn-events export (only churned accounts listed)", () => {
  const accounts = [
    ...USAGE.map(([id]) => account({ id })),
    // Became a customer after the day the unlisted accounts are scored as of: not a case.
    account({ id: "late", startDate: "2025-05-01" }),
  ];
  const data = portfolio(accounts, observations);
  const churns: Outcome[] = [
    { accountId: "a3", day: "2025-05-01", kind: "churned" },
    { accountId: "a5", day: "2025-06-01", kind: "churned" },
    // Before the period the user sets below: not used then.
    { accountId: "a6", day: "2025-04-10", kind: "churned" },
  ];

  it("left as it is, gives no AUC and says how to fix it", () => {
    const report = validateScorecard(data, scorecard, churns);
    expect(report.auc).toBeNull();
    expect(report.population.inferred).toBeNull();
    expect(report.aucNote).toContain("every scored account with an outcome churned (3)");
    expect(report.aucNote).toContain("--unlisted stayed");
    // The control on the Validate page, by its label there (pwa/src/pages/validate.tsx).
    expect(report.aucNote).toContain('on the Validate page, "Accounts with no outcome in the period": stayed');
  });

  it("with 'stayed', the accounts with no churn event in the period stayed, scored as of its end minus the horizon", () => {
    const report = validateScorecard(data, scorecard, churns, { unlisted: "stayed" });
    // The period is the first to the last outcome's day: 2025-04-10 to 2025-06-01; a1, a2, a4 stayed.
    expect(report.population.inferred).toEqual({
      rule: "stayed",
      from: "2025-04-10",
      to: "2025-06-01",
      accounts: 3,
      outsidePeriod: 0,
      leftOut: 1,
      words:
        "Accounts with no outcome row from 2025-04-10 to 2025-06-01 stayed (no churn event in the period): 3 accounts, " +
        "each scored as of 2025-03-03 (90 days before the period's end). Left out: 1 account that started after that day.",
    });
    expect(report.population).toMatchObject({ cases: 6, churned: 3, notChurned: 3 });
    expect(report.population.byKind).toEqual({ churned: 3, renewed: 0, expanded: 0, downgraded: 0 });
    // Risk = 100 − usage. Churned a3 45, a5 80, a6 70; stayed a1 10, a2 30, a4 45 (a3 ties a4): (2.5 + 3 + 3) / 9.
    expect(report.auc).toBeCloseTo(8.5 / 9, 12);
    expect(report.aucNote).toBeNull();
    expect(report.asOfTo).toBe("2025-03-03");
  });

  it("a period the user sets leaves the outcome rows outside it out, and says so", () => {
    const report = validateScorecard(data, scorecard, churns, {
      unlisted: "stayed",
      periodFrom: "2025-04-20",
      periodTo: "2025-06-30",
    });
    // a6's churn (2025-04-10) is outside: a6 stayed in the period, with a1, a2, a4; "late" started after 2025-04-01.
    expect(report.population.inferred).toMatchObject({ from: "2025-04-20", to: "2025-06-30", accounts: 4, leftOut: 1 });
    expect(report.population.inferred?.words).toContain("1 outcome row outside the period not used.");
    expect(report.population).toMatchObject({ churned: 2, notChurned: 4 });
  });
});

describe("a renewals export (only renewals listed)", () => {
  const accounts = USAGE.map(([id], i) =>
    account({ id, ...(i < 4 ? { renewalDate: `2025-0${4 + (i % 3)}-15` } : {}) }),
  );
  const data = portfolio(accounts, observations);
  const renewals: Outcome[] = [
    { accountId: "a1", day: "2025-04-15", kind: "renewed" },
    { accountId: "a2", day: "2025-05-15", kind: "renewed" },
    { accountId: "a4", day: "2025-06-15", kind: "renewed" },
  ];

  it("left as it is, gives no AUC and says how to fix it", () => {
    const report = validateScorecard(data, scorecard, renewals);
    expect(report.auc).toBeNull();
    expect(report.aucNote).toContain("no scored account with an outcome churned (3 did not)");
    expect(report.aucNote).toContain("--unlisted not-renewed");
    expect(report.aucNote).toContain('on the Validate page, "Accounts with no outcome in the period": did not renew');
  });

  it("with 'not-renewed', an account renewing in the period with no row did not renew; the rest are unknown", () => {
    const report = validateScorecard(data, scorecard, renewals, { unlisted: "not-renewed" });
    // a3 renews on 2025-06-15, inside 2025-04-15 … 2025-06-15, with no row: churned. a5 and a6 have no renewal date.
    expect(report.population.inferred).toMatchObject({ rule: "not-renewed", accounts: 1, leftOut: 2 });
    expect(report.population.inferred?.words).toBe(
      "Accounts whose renewal date falls from 2025-04-15 to 2025-06-15 with no outcome row did not renew (counted as " +
        "churned on their renewal date): 1 account. Left out: 2 accounts with no outcome row that renew outside the " +
        "period or have no renewal date (nothing says what happened to them).",
    );
    expect(report.population).toMatchObject({ cases: 4, churned: 1, notChurned: 3 });
    // a3 risk 45 against a1 10, a2 30, a4 45: 2.5 of 3.
    expect(report.auc).toBeCloseTo(2.5 / 3, 12);
  });
});
