import type { Scorecard } from "../schema/scorecard.ts";
import type { CompiledScorecard } from "../scoring/compile.ts";
import { evaluate, type FactorValues } from "../scoring/evaluate.ts";
import type { PortfolioData } from "../scoring/series.ts";
import type { Cases } from "./cases.ts";

// Validation's second phase: every case scored by the engine as of its own day.

/** Accounts evaluated at once for one as-of day. */
export const EVALUATE_CHUNK = 4096;

/** Each case as the engine scored it as of its day. */
export interface CaseScores {
  /** Per factor: n per case as evaluated (NaN where missing). */
  n: Float64Array[];
  /** Per case: the unrounded score (NaN: not enough data). */
  score: Float64Array;
  /** Per case: the share of the weight with data. */
  coverage: Float64Array;
  /** The cases of each as-of day. */
  byDay: Map<number, number[]>;
}

/**
 * Evaluates each case as of its own day: cases sharing a day go to the engine together, a chunk at a time, with a
 * step (a `yield`) after every EVALUATE_CHUNK accounts and one at the end.
 */
export function* evaluateCases(
  portfolio: PortfolioData,
  card: Scorecard,
  compiled: CompiledScorecard,
  cases: Pick<Cases, "accounts" | "asOfs">,
): Generator<void, CaseScores> {
  const { accounts, asOfs } = cases;
  const count = accounts.length;
  const p = card.factors.length;
  const n = Array.from({ length: p }, () => new Float64Array(count));
  const score = new Float64Array(count);
  const coverage = new Float64Array(count);
  const byDay = new Map<number, number[]>();
  asOfs.forEach((d, c) => {
    const list = byDay.get(d);
    if (list) list.push(c);
    else byDay.set(d, [c]);
  });
  let done = 0;
  for (const d of [...byDay.keys()].sort((a, b) => a - b)) {
    const members = byDay.get(d) as number[];
    for (let from = 0; from < members.length; from += EVALUATE_CHUNK) {
      const group = members.slice(from, from + EVALUATE_CHUNK);
      const ev = evaluate(
        portfolio,
        compiled,
        Int32Array.from(group, (c) => accounts[c] as number),
        Int32Array.of(d),
      );
      group.forEach((c, r) => {
        for (let f = 0; f < p; f++) (n[f] as Float64Array)[c] = (ev.factors[f] as FactorValues).n[r] as number;
        score[c] = ev.score[r] as number;
        coverage[c] = ev.coverage[r] as number;
      });
      done += group.length;
      if (done >= EVALUATE_CHUNK) {
        done = 0;
        yield;
      }
    }
  }
  yield;
  return { n, score, coverage, byDay };
}

/** The share of the cases `among` where a factor had a value (`values`: its n per case); 0 among none. */
export function presentShare(values: Float64Array, among: ArrayLike<number>): number {
  if (among.length === 0) return 0;
  let k = 0;
  for (let j = 0; j < among.length; j++) if (!Number.isNaN(values[among[j] as number])) k++;
  return k / among.length;
}
