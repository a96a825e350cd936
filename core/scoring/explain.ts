import { formatDay } from "../schema/day.ts";
import type { FactorExplanation, ScoreResult } from "../schema/result.ts";
import { bandIndexFor, NO_DATA_BAND, roundHalfUp } from "./bands.ts";
import type { Evaluation } from "./evaluate.ts";
import { countedN } from "./missing.ts";
import type { RawValue } from "./normalize.ts";
import { accountAt, type PortfolioData } from "./series.ts";

/** How many of the worst factors a result names as top drags. */
export const TOP_DRAGS = 3;

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/**
 * Builds the full, explained result for one row of an evaluation over two days [then, now] (or one day, with no
 * delta). Points earned are 100·share·n with shares over the factors the score counted, so they sum to the score.
 */
export function explainRow(
  portfolio: PortfolioData,
  evaluation: Evaluation,
  row: number,
  options: { primary: boolean; staleDays?: readonly (number | undefined)[] },
): ScoreResult {
  const { compiled, days, factors } = evaluation;
  const { card, weights } = compiled;
  const m = days.length;
  const now = row * m + (m - 1);
  const then = m > 1 ? row * m : -1;
  const account = accountAt(portfolio, evaluation.rows[row] as number);
  const score = evaluation.score[now] as number;
  const previousScore = then >= 0 ? (evaluation.score[then] as number) : Number.NaN;

  const countedWeight = (k: number) =>
    card.factors.reduce((sum, f, i) => {
      const c = countedN((factors[i] as { n: Float64Array }).n[k] as number, f.missing);
      return Number.isNaN(c) ? sum : sum + (weights[i] as number);
    }, 0);
  const weightNow = countedWeight(now);
  const weightThen = then >= 0 ? countedWeight(then) : 0;

  const raw = (i: number, k: number): RawValue => {
    const fv = factors[i];
    if (!fv) return null;
    if (fv.constant) return fv.constant[row] ?? null;
    return orNull(fv.numeric?.[k] as number);
  };

  const explained: FactorExplanation[] = card.factors.map((factor, i) => {
    const n = (factors[i] as { n: Float64Array }).n[now] as number;
    const c = countedN(n, factor.missing);
    const w = weights[i] as number;
    const earned = Number.isNaN(c) || weightNow === 0 ? 0 : (100 * w * c) / weightNow;
    const lost = Number.isNaN(c) || weightNow === 0 ? 0 : (100 * w * (1 - c)) / weightNow;
    const nThen = then >= 0 ? ((factors[i] as { n: Float64Array }).n[then] as number) : Number.NaN;
    const cThen = countedN(nThen, factor.missing);
    const earnedThen = Number.isNaN(cThen) || weightThen === 0 ? Number.NaN : (100 * w * cThen) / weightThen;
    const stale = options.staleDays?.[i];
    const status: FactorExplanation["status"] = Number.isNaN(n)
      ? "missing"
      : stale !== undefined && factor.staleAfterDays !== undefined && stale > factor.staleAfterDays
        ? "stale"
        : "ok";
    return {
      factorId: factor.id,
      label: factor.label,
      ...(factor.group !== undefined ? { group: factor.group } : {}),
      value: raw(i, now),
      n: orNull(n),
      countedN: orNull(c),
      status,
      share: compiled.shares[i] as number,
      earned,
      lost,
      previousValue: then >= 0 ? raw(i, then) : null,
      previousN: orNull(nThen),
      previousCountedN: orNull(cThen),
      deltaPoints: Number.isNaN(score) || Number.isNaN(c) || Number.isNaN(earnedThen) ? null : earned - earnedThen,
    };
  });

  const topDrags = Number.isNaN(score)
    ? []
    : explained
        .map((f, i) => ({ id: f.factorId, lost: f.lost, i }))
        .filter((f) => f.lost > 1e-9)
        .sort((a, b) => b.lost - a.lost || a.i - b.i)
        .slice(0, TOP_DRAGS)
        .map((f) => f.id);

  const bandIndex = bandIndexFor(compiled.bands, score);
  const band = bandIndex < 0 ? NO_DATA_BAND : (compiled.bands[bandIndex] as (typeof compiled.bands)[number]);
  return {
    accountId: account.id,
    scorecardId: card.id,
    asOf: formatDay(days[m - 1] as number),
    score: orNull(score),
    points: Number.isNaN(score) ? null : roundHalfUp(score),
    grade: band.grade,
    color: band.color,
    label: band.label,
    coverage: evaluation.coverage[now] as number,
    factors: explained,
    topDrags,
    previousScore: orNull(previousScore),
    delta: Number.isNaN(score) || Number.isNaN(previousScore) ? null : score - previousScore,
    deltaDays: m > 1 ? (days[m - 1] as number) - (days[0] as number) : 0,
    primary: options.primary,
  };
}
