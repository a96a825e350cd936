import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_AS_OF, DEMO_DAYS, type DemoPortfolio, demoPortfolio } from "../../../core/demo/portfolio.ts";
import { metricColumnsOf } from "../../../core/io/columns.ts";
import { domainOf, isPersonalDomain, nameKey } from "../../../core/match/identifiers.ts";
import { Account } from "../../../core/schema/account.ts";
import { parseIsoDay } from "../../../core/schema/day.ts";
import { Outcome } from "../../../core/schema/observation.ts";
import { appliesTo } from "../../../core/scoring/applies.ts";
import { compileScorecard } from "../../../core/scoring/compile.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { type PortfolioScores, scorePortfolio } from "../../../core/scoring/engine.ts";
import { DEFAULT_METRICS } from "../../../core/scoring/metrics.ts";
import { type PortfolioData, seriesFromColumns } from "../../../core/scoring/series.ts";

/** Scoring input for a demo, built the way the app builds it from imported columns. */
function portfolioOf(demo: DemoPortfolio): PortfolioData {
  const accountIndex = new Map(demo.accounts.map((a, i) => [a.id, i]));
  const series = new Map(
    metricColumnsOf([demo.observations], accountIndex).map((c) => [
      c.metric,
      seriesFromColumns(demo.accounts.length, c),
    ]),
  );
  return { accounts: demo.accounts, accountIndex, series };
}

/** Every observation as [accountId, metric, day, value], in push order. */
function rowsOf(demo: DemoPortfolio): [string, string, number, number][] {
  const { account, metric, day, value } = demo.observations.columns();
  return Array.from(account, (a, i) => [
    demo.observations.accountIds[a] as string,
    demo.observations.metrics[metric[i] as number] as string,
    day[i] as number,
    value[i] as number,
  ]);
}

const day = (iso: string | undefined): number => parseIsoDay(iso ?? "") as number;

/** Smallest and largest of a large array (spreading 500,000 values into Math.min overflows the stack). */
function range(values: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Whether two typed arrays hold the same values (toEqual walks half a million elements slowly). */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Colour of every account a scorecard applies to, by the scorecard's bands ("grey" for a null score). */
function coloursOf(scores: PortfolioScores, cardIndex: number): string[] {
  const card = DEFAULT_SCORECARDS[cardIndex];
  const columns = scores.scorecards[cardIndex];
  if (!card || !columns) throw new Error(`no scorecard ${cardIndex}`);
  const bands = compileScorecard(card).bands;
  return Array.from(columns.band, (b) => (b < 0 ? "grey" : (bands[b]?.color ?? "?")));
}

describe("demo portfolio", () => {
  let demo: DemoPortfolio;
  let portfolio: PortfolioData;
  let scores: PortfolioScores;
  let rows: [string, string, number, number][];
  beforeAll(() => {
    demo = demoPortfolio();
    rows = rowsOf(demo);
    portfolio = portfolioOf(demo);
    scores = scorePortfolio(portfolio, DEFAULT_SCORECARDS, { asOf: demo.asOf });
  });

  it("is tier S by default: 500 accounts and a year of data ending on 2025-06-30", () => {
    expect(demo.accounts).toHaveLength(500);
    expect(demo.asOf).toBe(DEMO_AS_OF);
    expect(demo.asOf).toBe(parseIsoDay("2025-06-30"));
    expect(range(demo.observations.columns().day)).toEqual([demo.asOf - DEMO_DAYS + 1, demo.asOf]);
    expect(demo.observations.length).toBeGreaterThan(400_000);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const again = demoPortfolio();
    expect(again.accounts).toEqual(demo.accounts);
    expect(again.outcomes).toEqual(demo.outcomes);
    expect(again.observations.accountIds).toEqual(demo.observations.accountIds);
    expect(again.observations.metrics).toEqual(demo.observations.metrics);
    const [x, y] = [again.observations.columns(), demo.observations.columns()];
    for (const column of ["account", "metric", "day", "value"] as const) {
      expect(sameValues(x[column], y[column]), column).toBe(true);
    }

    const other = demoPortfolio({ seed: 7 });
    expect(other.accounts.map((a) => a.name)).not.toEqual(demo.accounts.map((a) => a.name));
    expect(sameValues(other.observations.columns().value, y.value)).toBe(false);
  });

  it("follows the as-of day and account count it is given, never the clock", () => {
    const asOf = parseIsoDay("2024-01-15") as number;
    const small = demoPortfolio({ asOf, accounts: 40, seed: 3 });
    expect(small.asOf).toBe(asOf);
    expect(small.accounts).toHaveLength(40);
    expect(range(small.observations.columns().day)).toEqual([asOf - DEMO_DAYS + 1, asOf]);
    for (const a of small.accounts) expect(day(a.startDate)).toBeLessThanOrEqual(asOf);
    expect(demoPortfolio({ accounts: 1 }).accounts).toHaveLength(1);
  });

  it("has accounts that parse, with unique demo- ids, unique names and unique company domains", () => {
    for (const a of demo.accounts) expect(Account.parse(a)).toEqual(a);
    const ids = demo.accounts.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^demo-\d{4}$/);
    expect(new Set(demo.accounts.map((a) => a.name)).size).toBe(ids.length);
    // Unique even as matching compares names (suffixes and punctuation ignored).
    expect(new Set(demo.accounts.map((a) => nameKey(a.name))).size).toBe(ids.length);
    const domains = demo.accounts.flatMap((a) => a.domains);
    expect(domains.length).toBeGreaterThanOrEqual(ids.length);
    expect(new Set(domains).size).toBe(domains.length);
    for (const d of domains) {
      expect(domainOf(d)).toBe(d);
      expect(isPersonalDomain(d), d).toBe(false);
    }
    const salesforce = demo.accounts.map((a) => a.externalIds.salesforce ?? "");
    for (const id of salesforce) expect(id).toMatch(/^0015g0000[0-9A-Za-z]{9}$/);
    expect(new Set(salesforce).size).toBe(ids.length);
  });

  it("looks like a CRM export: owners, segments with their ARR and seats, industries, regions", () => {
    const owners = new Set(demo.accounts.map((a) => a.owner));
    expect(owners.size).toBeGreaterThanOrEqual(5);
    expect(owners.size).toBeLessThanOrEqual(6);
    expect(new Set(demo.accounts.map((a) => a.segment))).toEqual(new Set(["SMB", "Mid-market", "Enterprise"]));
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
    const arrOf = (segment: string) =>
      median(demo.accounts.filter((a) => a.segment === segment).map((a) => a.arr ?? 0));
    expect(arrOf("SMB")).toBeLessThan(arrOf("Mid-market"));
    expect(arrOf("Mid-market")).toBeLessThan(arrOf("Enterprise"));
    for (const a of demo.accounts) {
      expect(a.seats).toBeGreaterThan(0);
      expect(a.arr).toBeGreaterThan(0);
      expect(a.industry).toBeTruthy();
      expect(a.region).toBeTruthy();
    }
    expect(new Set(demo.accounts.map((a) => a.industry)).size).toBeGreaterThan(8);
    expect(new Set(demo.accounts.map((a) => a.region)).size).toBeGreaterThanOrEqual(3);
    expect(demo.accounts.some((a) => /(Inc\.|GmbH|Ltd\.)$/.test(a.name))).toBe(true);
  });

  it("dates accounts over four years, renews them on their anniversary after as-of, and stages them by both", () => {
    const asOf = demo.asOf;
    for (const a of demo.accounts) {
      const start = day(a.startDate);
      expect(start).toBeLessThanOrEqual(asOf);
      expect(asOf - start).toBeLessThanOrEqual(4 * 366);
      if (a.stage === "churned") {
        // The renewal it did not renew on: its churn day.
        const churn = demo.outcomes.find((o) => o.accountId === a.id && o.kind === "churned");
        expect(a.renewalDate).toBe(churn?.day);
        continue;
      }
      const renewal = day(a.renewalDate);
      expect(renewal).toBeGreaterThan(asOf);
      expect(renewal - asOf).toBeLessThanOrEqual(366);
      expect(a.renewalDate?.slice(5)).toBe(a.startDate?.slice(5) === "02-29" ? "02-28" : a.startDate?.slice(5));
      const expected = asOf - start < 90 ? "onboarding" : renewal - asOf < 120 ? "renewal" : "adoption";
      expect(a.stage, a.id).toBe(expected);
    }
    const onboarding = demo.accounts.filter((a) => a.stage === "onboarding").length;
    expect(onboarding).toBeGreaterThanOrEqual(20);
  });

  it("has a few parents with subsidiaries for roll-up", () => {
    const byId = new Map(demo.accounts.map((a) => [a.id, a]));
    const children = demo.accounts.filter((a) => a.parentId !== undefined);
    expect(children.length).toBeGreaterThanOrEqual(5);
    for (const child of children) {
      const parent = byId.get(child.parentId as string);
      expect(parent, child.id).toBeDefined();
      expect(parent?.parentId).toBeUndefined();
      // "Acme Robotics UK" under "Acme Robotics Inc." (whose brand is its alias).
      expect(child.name.startsWith(parent?.aliases[0] ?? parent?.name ?? "?"), child.name).toBe(true);
    }
    const rolledUp = Array.from(scores.rollup).filter((r) => !Number.isNaN(r));
    expect(rolledUp.length).toBeGreaterThanOrEqual(3);
  });

  it("writes only the default scorecards' metrics, within the year and never after as-of", () => {
    const defaults = new Set<string>(Object.values(DEFAULT_METRICS));
    expect(new Set(demo.observations.metrics)).toEqual(defaults);
    const from = demo.asOf - DEMO_DAYS + 1;
    const starts = new Map(demo.accounts.map((a) => [a.id, day(a.startDate)]));
    const outside = rows.filter(([id, , d]) => d > demo.asOf || d < from || d < (starts.get(id) as number));
    expect(outside.slice(0, 5)).toEqual([]);
  });

  it("keeps values in their metric's range: active users within seats, surveys on their scales", () => {
    const seats = new Map(demo.accounts.map((a) => [a.id, a.seats as number]));
    const bad: string[] = [];
    const check = (ok: boolean, row: [string, string, number, number]) => {
      if (!ok && bad.length < 5) bad.push(row.join(" "));
    };
    const M = DEFAULT_METRICS;
    for (const row of rows) {
      const [id, metric, , v] = row;
      check(Number.isInteger(v) && v >= 0, row);
      if (metric === M.activeUsers) check(v <= (seats.get(id) as number), row);
      if (metric === M.nps) check(v <= 10, row);
      if (metric === M.csat || metric === M.sentiment) check(v >= 1 && v <= 5, row);
      if (metric === M.tickets || metric === M.slaBreaches) check(v === 1, row);
    }
    expect(bad).toEqual([]);
  });

  it("has weekly seasonality: fewer active users on weekends", () => {
    const { metric, day: days, value } = demo.observations.columns();
    const m = demo.observations.metrics.indexOf(DEFAULT_METRICS.activeUsers);
    let weekday = 0;
    let weekend = 0;
    for (let i = 0; i < metric.length; i++) {
      if (metric[i] !== m) continue;
      const dow = ((days[i] as number) + 4) % 7; // 0 = Sunday
      if (dow === 0 || dow === 6) weekend += value[i] as number;
      else weekday += value[i] as number;
    }
    expect(weekend / 2).toBeLessThan((weekday / 5) * 0.7);
  });

  it.each(DEFAULT_SCORECARDS.map((card, i) => [card.name, i] as const))(
    "gives %s at least 20 accounts, in green, yellow and red, green the most common",
    (_name, i) => {
      const card = DEFAULT_SCORECARDS[i];
      const applying = demo.accounts.filter((a) => card && appliesTo(card, a, demo.asOf));
      expect(applying.length).toBeGreaterThanOrEqual(20);
      const colours = coloursOf(scores, i);
      const count = (c: string) => colours.filter((x) => x === c).length;
      expect(count("green")).toBeGreaterThan(0);
      expect(count("yellow")).toBeGreaterThan(0);
      expect(count("red")).toBeGreaterThan(0);
      expect(count("green")).toBeGreaterThan(count("yellow"));
      expect(count("green")).toBeGreaterThan(count("red"));
      // Roughly the spread of a real book: most accounts green, a real watch list, a red tail.
      const scored = colours.filter((c) => c !== "grey").length;
      expect(count("green") / scored).toBeGreaterThan(0.5);
      expect(count("green") / scored).toBeLessThan(0.8);
      expect(count("red") / scored).toBeGreaterThan(0.05);
    },
  );

  it("churns about 4% of accounts: usage fades to nothing, then a churned outcome and no more data", () => {
    for (const o of demo.outcomes) expect(Outcome.parse(o)).toEqual(o);
    const churned = demo.outcomes.filter((o) => o.kind === "churned");
    expect(churned.length).toBe(20);
    const lastDay = new Map<string, number>();
    const activeBefore = new Map<string, number>();
    const churnDay = new Map(churned.map((o) => [o.accountId, day(o.day)]));
    for (const [id, metric, d, v] of rows) {
      lastDay.set(id, Math.max(lastDay.get(id) ?? -1, d));
      const c = churnDay.get(id);
      if (c !== undefined && metric === DEFAULT_METRICS.activeUsers && d >= c - 7) {
        activeBefore.set(id, (activeBefore.get(id) ?? 0) + v);
      }
    }
    for (const o of churned) {
      const c = day(o.day);
      expect(c).toBeLessThanOrEqual(demo.asOf);
      expect(c).toBeGreaterThan(demo.asOf - DEMO_DAYS);
      expect(lastDay.get(o.accountId), o.accountId).toBeLessThan(c);
      expect(activeBefore.get(o.accountId) ?? 0, o.accountId).toBe(0);
      expect(demo.accounts.find((a) => a.id === o.accountId)?.stage).toBe("churned");
    }
  });

  it("records renewed, expanded and downgraded outcomes on past renewal days, at most one outcome per account", () => {
    const kinds = new Set(demo.outcomes.map((o) => o.kind));
    expect(kinds).toEqual(new Set(["churned", "renewed", "expanded", "downgraded"]));
    const ids = demo.outcomes.map((o) => o.accountId);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(demo.accounts.map((a) => [a.id, a]));
    for (const o of demo.outcomes) {
      if (o.kind === "churned") continue;
      const a = byId.get(o.accountId);
      expect(o.day.slice(5)).toBe(a?.renewalDate?.slice(5));
      expect(day(o.day)).toBeLessThanOrEqual(demo.asOf);
    }
  });

  it("tells the stories a CSM looks for: renewals at risk, sliding usage, expansion candidates", () => {
    const asOf = demo.asOf;
    // Renewals within 90 days whose primary score is not green (below 65 as shown).
    const atRisk = demo.accounts.filter((a, i) => {
      const renewal = a.renewalDate === undefined ? Number.NaN : day(a.renewalDate);
      const score = scores.primaryScore[i] as number;
      return renewal - asOf <= 90 && !Number.isNaN(score) && Math.round(score) < 65;
    });
    expect(atRisk.length).toBeGreaterThanOrEqual(5);

    // Per account: mean active users (last 30 days) and key events in the last 30 days vs the 30 before.
    const n = demo.accounts.length;
    const activeSum = new Float64Array(n);
    const activeDays = new Float64Array(n);
    const recent = new Float64Array(n);
    const before = new Float64Array(n);
    for (const [id, metric, d, v] of rows) {
      const i = portfolio.accountIndex.get(id) as number;
      if (metric === DEFAULT_METRICS.activeUsers && d > asOf - 30) {
        activeSum[i] = (activeSum[i] as number) + v;
        activeDays[i] = (activeDays[i] as number) + 1;
      }
      if (metric === DEFAULT_METRICS.keyEvents && d > asOf - 30) recent[i] = (recent[i] as number) + v;
      else if (metric === DEFAULT_METRICS.keyEvents && d > asOf - 60) before[i] = (before[i] as number) + v;
    }
    const sliding = demo.accounts.filter((_, i) => {
      const previous = before[i] as number;
      return previous > 0 && (recent[i] as number) < 0.7 * previous;
    });
    expect(sliding.length).toBeGreaterThanOrEqual(10);
    const expansion = demo.accounts.filter((a, i) => {
      const utilization = (activeSum[i] as number) / (activeDays[i] as number) / (a.seats as number);
      return utilization >= 0.85 && Math.round(scores.primaryScore[i] as number) >= 65;
    });
    expect(expansion.length).toBeGreaterThanOrEqual(5);

    // Scores fell this week for some accounts: usage that dropped off in the last few days.
    const weekAgo = scorePortfolio(portfolio, DEFAULT_SCORECARDS, { asOf: asOf - 7 });
    const drops = Array.from(scores.primaryScore, (s, i) => (weekAgo.primaryScore[i] as number) - s).filter(
      (d) => d >= 10,
    );
    expect(drops.length).toBeGreaterThanOrEqual(3);
  });
});
