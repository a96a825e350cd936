// The benchmark's worker: the real scoring API plus the naive baseline, over the same loaded portfolio, so both
// engines run in one worker in the same run. Test-only, like the scoring worker beside it (scoring-worker.ts).
import * as Comlink from "comlink";
import type { Account } from "../../core/schema/account.ts";
import { parseIsoDay } from "../../core/schema/day.ts";
import { metricsOf, Scorecard, type ScorecardInput } from "../../core/schema/scorecard.ts";
import { type NaivePoint, naiveApplies, naiveHistory, naiveScore } from "../reference/naive-engine.ts";
import { createScoringApi, type ScoringState } from "./api.ts";

/** Above this many points the naive objects are not kept (V8's 4 GB heap cannot hold L's); they are built per batch. */
const KEEP_LIMIT = 20_000_000;
/** Accounts whose naive objects are built at a time when they are not kept. */
const BATCH = 2000;

interface NaiveAccount {
  account: Account;
  observations: Map<string, NaivePoint[]>;
}

const state: ScoringState = {};
const api = createScoringApi(state);
/** Naive per-account objects of the loaded portfolio, for the metrics `kept.metrics` (when small enough to keep). */
let kept: { metrics: string; accounts: NaiveAccount[] } | undefined;

function day(text: string): number {
  const d = parseIsoDay(text);
  if (d === undefined) throw new Error(`bad day ${text}`);
  return d;
}

/** Naive objects for accounts [from, to): per account, per metric, an array of { day, value }. */
function buildNaive(metrics: readonly string[], from: number, to: number): NaiveAccount[] {
  const portfolio = state.portfolio;
  if (!portfolio) throw new Error("no portfolio loaded");
  const out: NaiveAccount[] = [];
  for (let a = from; a < to; a++) {
    const observations = new Map<string, NaivePoint[]>();
    for (const metric of metrics) {
      const series = portfolio.series.get(metric);
      if (!series) continue;
      const points: NaivePoint[] = [];
      for (let k = series.offsets[a] as number; k < (series.offsets[a + 1] as number); k++) {
        points.push({ day: series.days[k] as number, value: series.values[k] as number });
      }
      observations.set(metric, points);
    }
    out.push({ account: portfolio.accounts[a] as Account, observations });
  }
  return out;
}

/**
 * Runs `each` over every account's naive objects: from the kept ones, or built batch by batch (build time is
 * measured apart, so it can be reported). Returns the build time in ms.
 */
function forEachNaive(card: Scorecard, each: (naive: NaiveAccount, index: number) => void): number {
  const portfolio = state.portfolio;
  if (!portfolio) throw new Error("no portfolio loaded");
  const metrics = metricsOf(card);
  if (kept && kept.metrics === metrics.join()) {
    kept.accounts.forEach(each);
    return 0;
  }
  let buildMs = 0;
  for (let a0 = 0; a0 < portfolio.accounts.length; a0 += BATCH) {
    const t0 = performance.now();
    const batch = buildNaive(metrics, a0, Math.min(portfolio.accounts.length, a0 + BATCH));
    buildMs += performance.now() - t0;
    batch.forEach((naive, i) => {
      each(naive, a0 + i);
    });
  }
  return buildMs;
}

const bench = {
  ...api,

  /** Builds and keeps the naive objects for a scorecard's metrics when they fit; says whether it did. */
  async naivePrepare(scorecard: ScorecardInput): Promise<{ kept: boolean; points: number; ms: number }> {
    const portfolio = state.portfolio;
    if (!portfolio) throw new Error("no portfolio loaded");
    kept = undefined;
    const metrics = metricsOf(Scorecard.parse(scorecard));
    const points = metrics.reduce((s, m) => s + (portfolio.series.get(m)?.days.length ?? 0), 0);
    if (points > KEEP_LIMIT) return { kept: false, points, ms: 0 };
    const t0 = performance.now();
    kept = { metrics: metrics.join(), accounts: buildNaive(metrics, 0, portfolio.accounts.length) };
    return { kept: true, points, ms: performance.now() - t0 };
  },

  /** Drops the kept naive objects. */
  async naiveRelease(): Promise<void> {
    kept = undefined;
  },

  /**
   * The same work as the fast `score`: every account's score as of a day and `deltaDays` before (NaN: null or not
   * applying), plus the ms spent building naive objects.
   */
  async naiveLatest(
    scorecard: ScorecardInput,
    asOf: string,
  ): Promise<{ score: Float64Array; previous: Float64Array; buildMs: number }> {
    const card = Scorecard.parse(scorecard);
    const d = day(asOf);
    const score = new Float64Array(state.portfolio?.accounts.length ?? 0).fill(Number.NaN);
    const previous = new Float64Array(score.length).fill(Number.NaN);
    const buildMs = forEachNaive(card, ({ account, observations }, i) => {
      if (!naiveApplies(card, account, d)) return;
      score[i] = naiveScore(account, observations, card, d).score ?? Number.NaN;
      previous[i] = naiveScore(account, observations, card, d - card.deltaDays).score ?? Number.NaN;
    });
    return Comlink.transfer({ score, previous, buildMs }, [score.buffer, previous.buffer]);
  },

  /** Naive daily scores over [from, to], accounts × days (NaN: null or not applying), every day from scratch. */
  async naiveHistory(
    scorecard: ScorecardInput,
    from: string,
    to: string,
  ): Promise<{ score: Float32Array; days: number; buildMs: number }> {
    const card = Scorecard.parse(scorecard);
    const first = day(from);
    const last = day(to);
    const m = last - first + 1;
    const score = new Float32Array((state.portfolio?.accounts.length ?? 0) * m).fill(Number.NaN);
    const buildMs = forEachNaive(card, ({ account, observations }, i) => {
      naiveHistory(account, observations, card, first, last).forEach((s, j) => {
        if (s !== null) score[i * m + j] = s;
      });
    });
    return Comlink.transfer({ score, days: m, buildMs }, [score.buffer]);
  },
};
Comlink.expose(bench);

/** The benchmark worker's API: the scoring API plus the naive baseline. */
export type BenchApi = typeof bench;
