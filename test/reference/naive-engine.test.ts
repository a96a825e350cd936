import { describe, expect, it } from "vitest";
import { formatDay } from "../../core/schema/day.ts";
import { Scorecard } from "../../core/schema/scorecard.ts";
import { sortBands } from "../../core/scoring/bands.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { explainAccount, scoreHistory, scorePortfolio } from "../../core/scoring/engine.ts";
import { type PortfolioData, seriesFromColumns } from "../../core/scoring/series.ts";
import { generateSynthetic, type SyntheticPortfolio } from "../harness/synthetic.ts";
import { type NaivePoint, naiveApplies, naiveGrade, naiveHistory, naiveScore } from "./naive-engine.ts";

/** A scorecard touching every aggregation, rule kind, missing policy, a group, tenure and a ratio. */
const EVERYTHING = Scorecard.parse({
  id: "everything",
  name: "Everything",
  minCoverage: 0.6,
  deltaDays: 14,
  groups: [{ id: "usage", label: "Usage", weight: 30 }],
  factors: [
    {
      id: "events-week",
      label: "Key events (7 days)",
      group: "usage",
      weight: 1,
      source: { kind: "metric", metric: "key_events", aggregation: "sum", windowDays: 7 },
      rule: { kind: "linear", worst: 0, best: 400 },
    },
    {
      id: "low-users",
      label: "Fewest active users ÷ seats (14 days)",
      group: "usage",
      weight: 3,
      source: {
        kind: "ratio",
        numerator: { kind: "metric", metric: "active_users", aggregation: "min", windowDays: 14 },
        denominator: { kind: "attribute", key: "seats" },
      },
      rule: { kind: "linear", worst: 0, best: 0.5 },
    },
    {
      id: "sentiment",
      label: "Sentiment",
      weight: 10,
      source: { kind: "metric", metric: "csm_sentiment", aggregation: "last", windowDays: 60 },
      rule: { kind: "steps", steps: [{ upTo: 2, n: 0 }, { upTo: 3, n: 0.5 }, { n: 1 }] },
    },
    {
      id: "tickets",
      label: "Tickets",
      weight: 10,
      source: { kind: "metric", metric: "tickets", aggregation: "count", windowDays: 30 },
      rule: { kind: "linear", worst: 6, best: 0 },
      missing: { policy: "zero" },
    },
    {
      id: "nps",
      label: "NPS",
      weight: 10,
      source: { kind: "metric", metric: "nps", aggregation: "nps", windowDays: 90 },
      rule: { kind: "steps", steps: [{ upTo: 0, n: 0 }, { upTo: 30, n: 0.5 }, { n: 1 }] },
    },
    {
      id: "api-trend",
      label: "API trend",
      weight: 8,
      source: { kind: "metric", metric: "api_calls", aggregation: "change", windowDays: 14 },
      rule: { kind: "linear", worst: -30, best: 30 },
    },
    {
      id: "login-recency",
      label: "Login recency",
      weight: 8,
      source: { kind: "metric", metric: "logins", aggregation: "daysSince", windowDays: 30 },
      rule: { kind: "linear", worst: 10, best: 0 },
    },
    {
      id: "tenure",
      label: "Tenure",
      weight: 5,
      source: { kind: "tenureDays" },
      rule: { kind: "linear", worst: 0, best: 365 },
    },
    {
      id: "plan",
      label: "Plan",
      weight: 5,
      source: { kind: "attribute", key: "plan" },
      rule: { kind: "categorical", map: { Team: 0.4, business: 0.9 } },
    },
    {
      id: "sponsor",
      label: "Sponsor",
      weight: 5,
      source: { kind: "attribute", key: "exec_sponsor" },
      rule: { kind: "boolean", true: 1, false: 0.2 },
    },
    {
      id: "overdue",
      label: "Overdue",
      weight: 6,
      source: { kind: "metric", metric: "invoice_days_overdue", aggregation: "max", windowDays: 60 },
      rule: { kind: "linear", worst: 45, best: 0 },
      missing: { policy: "assume", n: 0.8 },
    },
    {
      id: "csat",
      label: "CSAT",
      weight: 6,
      source: { kind: "metric", metric: "csat", aggregation: "mean", windowDays: 45 },
      rule: { kind: "linear", worst: 1, best: 5 },
    },
    {
      id: "sla",
      label: "SLA breaches",
      weight: 4,
      source: { kind: "metric", metric: "sla_breaches", aggregation: "count", windowDays: 90 },
      rule: { kind: "linear", worst: 3, best: 0 },
      missing: { policy: "assume", n: 1 },
    },
  ],
});

const CARDS = [...DEFAULT_SCORECARDS, EVERYTHING];

/** The same generated data in both shapes: the fast engine's series and the naive per-account point lists. */
function bothShapes(data: SyntheticPortfolio) {
  const portfolio: PortfolioData = {
    accounts: data.accounts,
    accountIndex: new Map(data.accounts.map((a, i) => [a.id, i])),
    series: new Map(data.metrics.map((m) => [m.metric, seriesFromColumns(data.accounts.length, m)])),
  };
  const naive = data.accounts.map(() => new Map<string, NaivePoint[]>());
  for (const m of data.metrics) {
    for (let k = 0; k < m.account.length; k++) {
      const byMetric = naive[m.account[k] as number] as Map<string, NaivePoint[]>;
      const list = byMetric.get(m.metric) ?? [];
      list.push({ day: m.day[k] as number, value: m.value[k] as number });
      byMetric.set(m.metric, list);
    }
  }
  return { portfolio, naive };
}

const data = generateSynthetic({ accounts: 80, metrics: 10, days: 220 }, 11, { mix: "mixed" });
const { portfolio, naive } = bothShapes(data);
const AS_OF = [data.to, data.to - 1, data.to - 45, data.to - 120, data.from + 20, data.from - 3];

/** |a − b| with null and NaN both meaning "no score"; Infinity when only one side has a score. */
function gap(fast: number, slow: number | null): number {
  if (slow === null || Number.isNaN(fast)) return slow === null && Number.isNaN(fast) ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(fast - slow);
}

describe("the naive engine (a transcription of docs/scoring.md) and the fast engine agree", () => {
  it("the generated portfolio exercises every scorecard, null scores and every band", () => {
    const scores = scorePortfolio(portfolio, CARDS, { asOf: data.to });
    for (const cols of scores.scorecards) expect(cols.accounts.length, cols.scorecardId).toBeGreaterThan(5);
    const everything = scores.scorecards[3];
    const bands = new Set(everything?.band);
    expect(bands.size).toBeGreaterThanOrEqual(3);
    const early = scorePortfolio(portfolio, CARDS, { asOf: data.from + 20 });
    expect(early.scorecards.some((c) => c.score.some(Number.isNaN))).toBe(true);
  });

  for (const asOf of AS_OF) {
    it(`latest scores, previous scores, coverage and grade of every account on every scorecard agree to 1e-9 as of ${formatDay(asOf)}`, () => {
      const scores = scorePortfolio(portfolio, CARDS, { asOf });
      let compared = 0;
      CARDS.forEach((card, c) => {
        const cols = scores.scorecards[c];
        if (!cols) throw new Error("missing scorecard columns");
        const applying = data.accounts.flatMap((a, i) => (naiveApplies(card, a, asOf) ? [i] : []));
        expect(Array.from(cols.accounts), `${card.id}: accounts it applies to`).toEqual(applying);
        const bands = sortBands(card.bands);
        cols.accounts.forEach((a, row) => {
          const account = data.accounts[a];
          const points = naive[a];
          if (!account || !points) throw new Error("no account");
          const now = naiveScore(account, points, card, asOf);
          const then = naiveScore(account, points, card, asOf - card.deltaDays);
          const where = `${card.id} / ${account.id}`;
          expect(gap(cols.score[row] as number, now.score), `${where}: score`).toBeLessThanOrEqual(1e-9);
          expect(gap(cols.previous[row] as number, then.score), `${where}: previous`).toBeLessThanOrEqual(1e-9);
          expect(Math.abs((cols.coverage[row] as number) - now.coverage), `${where}: coverage`).toBeLessThanOrEqual(
            1e-12,
          );
          const band = cols.band[row] as number;
          expect(band < 0 ? "—" : bands[band]?.grade, `${where}: grade`).toBe(naiveGrade(card, now.score));
          compared++;
        });
      });
      expect(compared).toBeGreaterThan(60);
    });
  }

  it("each factor's raw value and n in the explanation match the naive ones", () => {
    for (let a = 0; a < data.accounts.length; a += 7) {
      const account = data.accounts[a];
      const points = naive[a];
      if (!account || !points) throw new Error("no account");
      for (const result of explainAccount(portfolio, CARDS, a, data.to - 10)) {
        const card = CARDS.find((c) => c.id === result.scorecardId) as Scorecard;
        const slow = naiveScore(account, points, card, data.to - 10);
        result.factors.forEach((f, i) => {
          const expected = slow.factors[i];
          const where = `${card.id} / ${account.id} / ${f.factorId}`;
          if (typeof f.value === "number" && typeof expected?.value === "number") {
            expect(Math.abs(f.value - expected.value), where).toBeLessThanOrEqual(1e-9);
          } else expect(f.value, where).toEqual(expected?.value);
          expect(f.n === null ? null : Math.abs(f.n - (expected?.n ?? Number.NaN)), where).toEqual(
            expected?.n === null ? null : expect.any(Number),
          );
          if (f.n !== null) expect(Math.abs(f.n - (expected?.n as number)), where).toBeLessThanOrEqual(1e-12);
        });
      }
    }
  });

  it("daily history of every account over 120 days agrees (the engine stores history as Float32)", () => {
    const from = data.to - 119;
    for (const card of CARDS) {
      const history = scoreHistory(portfolio, card, from, data.to);
      history.accounts.forEach((a, row) => {
        const account = data.accounts[a];
        const points = naive[a];
        if (!account || !points) throw new Error("no account");
        const slow = naiveHistory(account, points, card, from, data.to);
        slow.forEach((s, j) => {
          const fast = history.score[row * history.days + j] as number;
          expect(gap(fast, s === null ? null : Math.fround(s)), `${card.id} / ${account.id} / day ${j}`).toBe(0);
        });
      });
    }
  });
});
