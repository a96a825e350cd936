import { describe, expect, it } from "vitest";
import { churnedAccounts, portfolioAlerts } from "../../../core/alerts/portfolio.ts";
import { DEMO_AS_OF, demoPortfolio } from "../../../core/demo/portfolio.ts";
import { metricColumnsOf } from "../../../core/io/columns.ts";
import { dataExtent } from "../../../core/scoring/as-of.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { scoreHistory, scorePortfolio } from "../../../core/scoring/engine.ts";
import { type PortfolioData, seriesFromColumns } from "../../../core/scoring/series.ts";
import { validateScorecard } from "../../../core/validate/validate.ts";

/**
 * The demo's alerts are few and mean something (issue 15: 214 open alerts on 500 accounts): on its as-of day at most
 * 10% of the accounts have one and no churned account does; against its outcomes the rules still alert every
 * churned account in the 90 days before it churned, and the red band's alerts churn at several times the base rate.
 */
describe("the demo portfolio's alerts", () => {
  const demo = demoPortfolio();
  const accountIndex = new Map(demo.accounts.map((a, i) => [a.id, i]));
  const series = new Map(
    metricColumnsOf([demo.observations], accountIndex).map((c) => [
      c.metric,
      seriesFromColumns(demo.accounts.length, c),
    ]),
  );
  const portfolio: PortfolioData = { accounts: demo.accounts, accountIndex, series };
  const asOf = DEMO_AS_OF;

  it("alert at most 10% of the accounts on the as-of day, and none that churned", () => {
    const scores = scorePortfolio(portfolio, DEFAULT_SCORECARDS, { asOf });
    const churned = churnedAccounts(demo.outcomes, asOf);
    expect(churned.size).toBe(20);
    const hits = portfolioAlerts({
      portfolio,
      scorecards: DEFAULT_SCORECARDS,
      primary: scores.primary,
      histories: new Map(DEFAULT_SCORECARDS.map((c) => [c.id, scoreHistory(portfolio, c, asOf - 364, asOf)])),
      asOf,
      dataEnd: dataExtent(portfolio).last,
      churned,
    });
    const alerted = new Set(hits.map((h) => h.accountId));
    expect(alerted.size).toBeGreaterThan(0);
    expect(alerted.size).toBeLessThanOrEqual(0.1 * demo.accounts.length);
    expect([...alerted].filter((id) => churned.has(id))).toEqual([]);
  });

  it.each(["adoption-smb", "enterprise-renewal"])("on %s: every churned account alerted ahead, red precise", (id) => {
    const card = DEFAULT_SCORECARDS.find((c) => c.id === id);
    if (!card) throw new Error(id);
    const alerts = validateScorecard(portfolio, card, demo.outcomes, { build: false }).alerts;
    expect(alerts?.churned).toBeGreaterThan(0);
    expect(alerts?.any.recall).toBe(1);
    expect(alerts?.any.leadDays?.median).toBeGreaterThanOrEqual(30);
    const red = alerts?.rules.find((r) => r.ruleId === "red-band");
    expect(red?.recall).toBe(1);
    expect(red?.lift).toBeGreaterThan(4);
  });
});

describe("churnedAccounts", () => {
  it("is the accounts whose latest outcome up to the day is churned (churned wins a tie)", () => {
    const gone = churnedAccounts(
      [
        { accountId: "a", day: "2025-01-10", kind: "churned" },
        { accountId: "b", day: "2025-01-10", kind: "churned" },
        { accountId: "b", day: "2025-03-01", kind: "renewed" }, // came back
        { accountId: "c", day: "2025-02-01", kind: "renewed" },
        { accountId: "c", day: "2025-02-01", kind: "churned" },
        { accountId: "d", day: "2025-07-01", kind: "churned" }, // after the day
      ],
      DEMO_AS_OF,
    );
    expect([...gone].sort()).toEqual(["a", "c"]);
  });
});
