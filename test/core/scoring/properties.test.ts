import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Observation } from "../../../core/schema/observation.ts";
import { Aggregation, type ScorecardInput } from "../../../core/schema/scorecard.ts";
import { aggregateAccount } from "../../../core/scoring/aggregate.ts";
import { explainAccount, scoreHistory, scorePortfolio } from "../../../core/scoring/engine.ts";
import { seriesFromColumns } from "../../../core/scoring/series.ts";
import { account, card, D0, day, portfolio } from "./helpers.ts";

const METRICS = ["m1", "m2", "m3"] as const;
const ACCOUNTS = ["a", "b", "c", "d"] as const;

const observation = fc.record({
  accountId: fc.constantFrom(...ACCOUNTS),
  metric: fc.constantFrom(...METRICS),
  offset: fc.integer({ min: -100, max: 0 }),
  value: fc.integer({ min: -2, max: 12 }),
});

const factor = (i: number) =>
  fc
    .record({
      metric: fc.constantFrom(...METRICS),
      aggregation: fc.constantFrom(...Aggregation.options),
      windowDays: fc.integer({ min: 1, max: 60 }),
      // Ranges that the generated values fall inside, so scores move with them instead of clamping.
      worst: fc.integer({ min: -5, max: 5 }),
      span: fc.integer({ min: 5, max: 30 }),
      lowerIsBetter: fc.boolean(),
      weight: fc.integer({ min: 1, max: 20 }),
      missing: fc.constantFrom<ScorecardInput["factors"][number]["missing"]>(
        { policy: "skip" },
        { policy: "zero" },
        { policy: "assume", n: 0.5 },
      ),
    })
    .map((f) => ({
      id: `f${i}`,
      label: `F${i}`,
      weight: f.weight,
      source: { kind: "metric" as const, metric: f.metric, aggregation: f.aggregation, windowDays: f.windowDays },
      rule: f.lowerIsBetter
        ? { kind: "linear" as const, worst: f.worst + f.span, best: f.worst }
        : { kind: "linear" as const, worst: f.worst, best: f.worst + f.span },
      missing: f.missing,
    }));

const scorecard = fc
  .tuple(factor(0), factor(1), factor(2), factor(3), fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 0.3, 0.5, 1))
  .map(([f0, f1, f2, f3, count, minCoverage]) => card({ factors: [f0, f1, f2, f3].slice(0, count), minCoverage }));

const toObservations = (raw: { accountId: string; metric: string; offset: number; value: number }[]): Observation[] =>
  raw.map((o) => ({ accountId: o.accountId, metric: o.metric, day: day(o.offset), value: o.value }));

const accounts = ACCOUNTS.map((id) => account({ id }));

/** Primary scores by account id (NaN → null). */
function scoresById(accountList: typeof accounts, observations: Observation[], c: ReturnType<typeof card>, asOf = D0) {
  const p = portfolio(accountList, observations);
  const result = scorePortfolio(p, [c], { asOf });
  return Object.fromEntries(
    accountList.map((a, i) => [a.id, Number.isNaN(result.primaryScore[i] as number) ? null : result.primaryScore[i]]),
  );
}

const runs = { numRuns: 150 };

describe("score properties (fast-check)", () => {
  it("every score is in [0, 100] or null, never NaN", () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 80 }), scorecard, (raw, c) => {
        for (const s of Object.values(scoresById(accounts, toObservations(raw), c))) {
          if (s !== null) {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(100);
          }
        }
      }),
      runs,
    );
  });

  it("observations after the as-of day never change a score", () => {
    const future = fc.record({
      accountId: fc.constantFrom(...ACCOUNTS),
      metric: fc.constantFrom(...METRICS),
      offset: fc.integer({ min: 1, max: 90 }),
      value: fc.integer({ min: -2, max: 12 }),
    });
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 60 }),
        fc.array(future, { minLength: 1, maxLength: 30 }),
        scorecard,
        (past, later, c) => {
          const before = scoresById(accounts, toObservations(past), c);
          const after = scoresById(accounts, toObservations([...past, ...later]), c);
          expect(after).toEqual(before);
        },
      ),
      runs,
    );
  });

  it("permuting accounts and observations never changes a score", () => {
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 60 }),
        scorecard,
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (raw, c, randoms) => {
          const shuffle = <T>(xs: T[]): T[] =>
            xs
              .map((x) => ({ x, k: randoms.next().value as number }))
              .sort((p, q) => p.k - q.k)
              .map((p) => p.x);
          const observations = toObservations(raw);
          expect(scoresById(shuffle([...accounts]), shuffle([...observations]), c)).toEqual(
            scoresById(accounts, observations, c),
          );
        },
      ),
      runs,
    );
  });

  it("a score never falls when one factor's value moves toward its best", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 100 }),
        (values, weights, which, bump) => {
          const c = card({
            factors: weights.map((w, i) => ({
              id: `f${i}`,
              label: `F${i}`,
              weight: w,
              source: { kind: "attribute", key: `x${i}` },
              rule: i % 2 ? { kind: "linear", worst: 100, best: 0 } : { kind: "linear", worst: 0, best: 100 },
            })),
          });
          const attrs = (vs: number[]) => Object.fromEntries(vs.map((v, i) => [`x${i}`, v]));
          const better = values.map((v, i) => (i !== which ? v : i % 2 ? v - bump : v + bump));
          const p = portfolio([
            account({ id: "a", attributes: attrs(values) }),
            account({ id: "b", attributes: attrs(better) }),
          ]);
          const { primaryScore } = scorePortfolio(p, [c], { asOf: D0 });
          expect(primaryScore[1] as number).toBeGreaterThanOrEqual((primaryScore[0] as number) - 1e-9);
        },
      ),
      runs,
    );
  });

  it("daily history (sliding windows) equals the score computed on its own for each day", () => {
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 80 }),
        scorecard,
        fc.integer({ min: 0, max: 60 }),
        (raw, c, back) => {
          const p = portfolio(accounts, toObservations(raw));
          const from = D0 - back - 20;
          const h = scoreHistory(p, c, from, D0 - back);
          for (let r = 0; r < h.accounts.length; r++) {
            for (let j = 0; j < h.days; j++) {
              const single = explainAccount(p, [c], h.accounts[r] as number, from + j)[0]?.score ?? null;
              const hist = h.score[r * h.days + j] as number;
              expect(Number.isNaN(hist) ? null : hist).toBe(single === null ? null : Math.fround(single));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("aggregating over a run of days (pointers and deques) equals aggregating each day alone", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 120 }), value: fc.integer({ min: -3, max: 12 }) }), {
          maxLength: 150,
        }),
        fc.constantFrom(...Aggregation.options),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 100 }),
        (points, aggregation, windowDays, start) => {
          const series = seriesFromColumns(1, {
            metric: "m",
            account: new Int32Array(points.length),
            day: Int32Array.from(points, (p) => p.day),
            value: Float64Array.from(points, (p) => p.value),
          });
          const days = Int32Array.from({ length: 40 }, (_, j) => start + j);
          const run = new Float64Array(days.length);
          aggregateAccount(series, 0, aggregation, windowDays, days, run, 0);
          const alone = new Float64Array(1);
          days.forEach((d, j) => {
            aggregateAccount(series, 0, aggregation, windowDays, Int32Array.of(d), alone, 0);
            expect(run[j], `${aggregation} over ${windowDays} days as of day ${d}`).toBe(alone[0]);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("as-of days far apart (binary-search jumps, kept or refilled deques) give each day's own result", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 400 }), value: fc.integer({ min: -3, max: 12 }) }), {
          maxLength: 200,
        }),
        fc.constantFrom(...Aggregation.options),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 12 }),
        (points, aggregation, windowDays, gaps) => {
          const series = seriesFromColumns(1, {
            metric: "m",
            account: new Int32Array(points.length),
            day: Int32Array.from(points, (p) => p.day),
            value: Float64Array.from(points, (p) => p.value),
          });
          let d = 0;
          const days = Int32Array.from(gaps, (g) => (d += g));
          const run = new Float64Array(days.length);
          aggregateAccount(series, 0, aggregation, windowDays, days, run, 0);
          const alone = new Float64Array(1);
          days.forEach((day, j) => {
            aggregateAccount(series, 0, aggregation, windowDays, Int32Array.of(day), alone, 0);
            expect(run[j], `${aggregation} over ${windowDays} days as of day ${day} (days ${days.join(",")})`).toBe(
              alone[0],
            );
          });
        },
      ),
      { numRuns: 600 },
    );
  });
});
