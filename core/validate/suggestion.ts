import { Scorecard, type ScorecardInput } from "../schema/scorecard.ts";
import { type CompiledScorecard, compileScorecard } from "../scoring/compile.ts";
import { combine, type FactorValues } from "../scoring/evaluate.ts";
import { countedN } from "../scoring/missing.ts";
import type { PortfolioData } from "../scoring/series.ts";
import { buildSteps } from "./builder.ts";
import type { Cases } from "./cases.ts";
import { bandSuggestionOf, type CurrentScorecard, riskOf } from "./current.ts";
import { presentShare } from "./evaluate-cases.ts";
import { stratifiedFolds } from "./folds.ts";
import { fitLogistic, type LogisticFit } from "./logistic.ts";
import { rocAuc } from "./metrics.ts";
import type { CrossValidation, FactorSuggestion, FoldResult, ValidationOptions, ValidationReport } from "./report.ts";

// Validation's fourth phase: weights suggested by a logistic regression of churn on the factors, cross-validated,
// and the scorecard builder on the same folds.

/** |coefficient| below this counts as no effect. */
const NO_EFFECT = 1e-6;

const mean = (values: readonly (number | null)[]): number | null => {
  const kept = values.filter((v): v is number => v !== null);
  return kept.length === 0 ? null : kept.reduce((a, b) => a + b, 0) / kept.length;
};

/**
 * Weights (points of 100) from a fit: a factor whose coefficient is negative (higher n, less churn) gets points
 * in proportion to −β; the others get 0 and a direction saying why.
 */
function pointsFrom(fit: LogisticFit): { points: Float64Array; direction: FactorSuggestion["direction"][] } {
  const beta = fit.coefficients;
  const direction = Array.from(beta, (b): FactorSuggestion["direction"] =>
    b < -NO_EFFECT ? "protects" : b > NO_EFFECT ? "wrong-way" : "no-effect",
  );
  const total = beta.reduce((s, b, i) => (direction[i] === "protects" ? s - b : s), 0);
  const points = Float64Array.from(beta, (b, i) => (direction[i] === "protects" ? (100 * -b) / total : 0));
  return { points, direction };
}

/**
 * The scorecard with new weights (points of 100, rounded to a tenth): factors with no points are left out, and a
 * group's weight becomes the sum of its kept factors' points, so each factor's effective weight is its points.
 * Null when no factor is kept.
 */
export function draftWithPoints(
  card: Scorecard,
  points: ArrayLike<number>,
): { draft: Scorecard; kept: number[] } | null {
  const kept: number[] = [];
  const factors = card.factors.flatMap((factor, i) => {
    const weight = Math.round((points[i] as number) * 10) / 10;
    if (!(weight > 0)) return [];
    kept.push(i);
    return [{ ...factor, weight }];
  });
  if (factors.length === 0) return null;
  const groups = card.groups.flatMap((group) => {
    const weight = factors.filter((f) => f.group === group.id).reduce((s, f) => s + f.weight, 0);
    return weight > 0 ? [{ ...group, weight: Math.round(weight * 10) / 10 }] : [];
  });
  const { updatedAt: _updated, ...rest } = card;
  const ids = new Set(factors.map((f) => f.id));
  const input: ScorecardInput = {
    ...rest,
    factors,
    groups,
    // A factor alert rule goes with its factor when the draft leaves the factor out.
    ...(card.alerts ? { alerts: card.alerts.filter((rule) => rule.kind !== "factor" || ids.has(rule.factorId)) } : {}),
  };
  return { draft: Scorecard.parse(input), kept };
}

/** Per-case inputs of the regression: each factor's counted n, NaN where missing (under a skip policy). */
interface Design {
  card: Scorecard;
  /** Per factor: n per case as evaluated (NaN where missing). */
  n: Float64Array[];
  /** Per factor: the n the score counts (the missing-data policy's stand-in where it has one). */
  counted: Float64Array[];
  churned: Uint8Array;
}

/**
 * Fits churn on the counted n of the training cases. A value still missing (a "skip" factor with no data) is
 * replaced by the mean of that factor over the training cases that have it: "skip" leaves the factor out of the
 * score, and the mean is the value that neither raises nor lowers the risk against an average account, so the
 * missing rows neither pull the coefficient nor drop the account. A factor no training case has is all zeros, and
 * the penalty holds its coefficient at 0 (no effect).
 */
function fitOn(design: Design, train: ArrayLike<number>, options: ValidationOptions, start?: LogisticFit): LogisticFit {
  const p = design.counted.length;
  const means = design.counted.map((values) => {
    let sum = 0;
    let present = 0;
    for (let k = 0; k < train.length; k++) {
      const v = values[train[k] as number] as number;
      if (!Number.isNaN(v)) {
        sum += v;
        present++;
      }
    }
    return present === 0 ? 0 : sum / present;
  });
  const x = new Float64Array(train.length * p);
  const y = new Uint8Array(train.length);
  for (let k = 0; k < train.length; k++) {
    const i = train[k] as number;
    y[k] = design.churned[i] as number;
    for (let j = 0; j < p; j++) {
      const v = (design.counted[j] as Float64Array)[i] as number;
      x[k * p + j] = Number.isNaN(v) ? (means[j] as number) : v;
    }
  }
  return fitLogistic(x, y, p, {
    l2: options.l2,
    solver: options.solver,
    ...(start ? { start: [start.intercept, ...start.coefficients] } : {}),
  });
}

/** Scores every case with a draft: the engine's own combine over the kept factors' n (no second scoring code). */
function draftScores(design: Design, draft: { draft: Scorecard; kept: number[] }): Float64Array {
  const compiled = compileScorecard(draft.draft);
  const factors: FactorValues[] = draft.kept.map((i) => ({ n: design.n[i] as Float64Array }));
  return combine(compiled, factors, design.churned.length).score;
}

/**
 * Suggests weights for the current scorecard and fills in the report's suggestion, build and their notes: a fit on
 * every scored case (one step), then k-fold cross-validation of fits on the folds (a step each) and the builder's
 * steps. With fewer than 2 scored cases that churned or 2 that did not, only the note why.
 */
export function* suggestionSteps(
  report: ValidationReport,
  input: {
    portfolio: PortfolioData;
    card: Scorecard;
    compiled: CompiledScorecard;
    cases: Cases;
    n: Float64Array[];
    current: CurrentScorecard;
    options: ValidationOptions;
  },
): Generator<void, void> {
  const { portfolio, card, compiled, n, options } = input;
  const { accounts, asOfs, churned } = input.cases;
  const { scored, risk, scoredChurned, scoredOther } = input.current;
  if (scoredChurned < 2 || scoredOther < 2) {
    report.suggestionNote =
      `suggesting weights needs at least 2 scored accounts that churned and 2 that did not ` +
      `(there are ${scoredChurned} and ${scoredOther})`;
    return;
  }
  const design: Design = {
    card,
    n,
    counted: card.factors.map((f, i) => Float64Array.from(n[i] as Float64Array, (v) => countedN(v, f.missing))),
    churned,
  };
  const fit = fitOn(design, scored, options);
  const { points, direction } = pointsFrom(fit);
  const drafted = draftWithPoints(card, points);
  const draftScore = drafted ? draftScores(design, drafted) : undefined;
  yield;

  let crossValidation: CrossValidation | null = null;
  let crossValidationNote: string | undefined;
  const k = Math.min(options.folds, scoredChurned, scoredOther);
  if (!options.crossValidate) {
    crossValidationNote = "cross-validation was not asked for";
  } else if (k < 2) {
    crossValidationNote = "cross-validation needs at least 2 churned and 2 other scored accounts";
  } else {
    if (k < options.folds) {
      crossValidationNote = `${k} folds instead of ${options.folds}: each fold needs a churned and another account`;
    }
    const labels = Uint8Array.from(scored, (c) => churned[c] as number);
    const foldOf = stratifiedFolds(labels, k, options.seed);
    const perFold: FoldResult[] = [];
    for (let f = 0; f < k; f++) {
      const train = scored.filter((_, j) => foldOf[j] !== f);
      const test = scored.filter((_, j) => foldOf[j] === f);
      // Each fold's fit starts from the whole data's: its optimum is near, so Newton needs a step or two. The
      // problem is convex with one optimum, so the start changes how fast it is found, not where (to within the
      // solver's tolerance): nothing of the held-out fold reaches the fold's weights.
      const foldDraft = draftWithPoints(card, pointsFrom(fitOn(design, train, options, fit)).points);
      const suggested = foldDraft ? rocAuc(riskOf(draftScores(design, foldDraft)), churned, test) : null;
      let hits = 0;
      for (const c of test) hits += churned[c] as number;
      perFold.push({
        fold: f + 1,
        cases: test.length,
        churned: hits,
        currentAuc: rocAuc(risk, churned, test),
        suggestedAuc: suggested,
      });
      yield;
    }
    crossValidation = {
      folds: k,
      seed: options.seed,
      currentAuc: mean(perFold.map((r) => r.currentAuc)),
      suggestedAuc: mean(perFold.map((r) => r.suggestedAuc)),
      perFold,
    };
    if (options.build) {
      // The builder cross-validates on the very same folds, so its AUCs compare with the ones above.
      report.build = yield* buildSteps({
        portfolio,
        card,
        accounts,
        asOfs,
        churned,
        cases: scored,
        folds: Array.from({ length: k }, (_, f) => ({
          train: scored.filter((_, j) => foldOf[j] !== f),
          test: scored.filter((_, j) => foldOf[j] === f),
        })),
        l2: options.l2,
        maxFactors: options.maxFactors,
      });
    } else report.buildNote = "the scorecard builder was not asked for";
  }
  if (report.build === null && report.buildNote === undefined) {
    report.buildNote = `the scorecard builder needs cross-validation (${crossValidationNote ?? "not run"})`;
  }

  const leftOut = card.factors.flatMap((factor, i) => {
    const dir = direction[i];
    if (dir === "wrong-way") {
      return [{ factorId: factor.id, reason: "pushes the wrong way: accounts with a higher value churned more" }];
    }
    if (dir === "no-effect") return [{ factorId: factor.id, reason: "no effect on churn in this data" }];
    if (drafted && !drafted.kept.includes(i)) {
      return [{ factorId: factor.id, reason: "under 0.05 points of 100" }];
    }
    return [];
  });
  report.suggestion = {
    l2: options.l2,
    solver: options.solver,
    iterations: fit.iterations,
    converged: fit.converged,
    intercept: fit.intercept,
    factors: card.factors.map((factor, i) => ({
      factorId: factor.id,
      label: factor.label,
      currentPoints: compiled.shares[i] as number,
      suggestedPoints: points[i] as number,
      coefficient: fit.coefficients[i] as number,
      direction: direction[i] as FactorSuggestion["direction"],
      present: presentShare(n[i] as Float64Array, scored),
      auc: rocAuc(
        Float64Array.from(n[i] as Float64Array, (v) => 1 - v),
        churned,
        scored,
      ),
    })),
    wrongWay: card.factors.filter((_, i) => direction[i] === "wrong-way").map((f) => f.id),
    leftOut,
    inSample: {
      currentAuc: report.auc,
      suggestedAuc: draftScore ? rocAuc(riskOf(draftScore), churned, scored) : null,
    },
    crossValidation,
    ...(crossValidationNote !== undefined ? { crossValidationNote } : {}),
    draft: drafted?.draft ?? null,
    draftBands:
      drafted && draftScore ? bandSuggestionOf(compileScorecard(drafted.draft), draftScore, churned, scored) : null,
  };
}
