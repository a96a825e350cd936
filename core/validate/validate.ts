import { type Day, parseIsoDay } from "../schema/day.ts";
import type { Outcome } from "../schema/observation.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { compileScorecard } from "../scoring/compile.ts";
import type { PortfolioData } from "../scoring/series.ts";
import { alertValidationSteps } from "./alerts.ts";
import { chooseCases, inferOutcomes, pickOutcomes } from "./cases.ts";
import { currentScorecard } from "./current.ts";
import { EVALUATE_CHUNK, evaluateCases } from "./evaluate-cases.ts";
import { ValidationOptions, type ValidationOptionsInput, type ValidationReport } from "./report.ts";
import { suggestionSteps } from "./suggestion.ts";

// Validation (docs/scoring.md, "Validation") in four phases, a module each: the cases (cases.ts), their scores as of
// their days (evaluate-cases.ts), the current scorecard against their outcomes (current.ts, then its alert rules in
// alerts.ts), and suggested weights with the scorecard builder (suggestion.ts). The options and the report's types
// are in report.ts.

export type {
  BandOutcome,
  BandSuggestion,
  CrossValidation,
  FactorSuggestion,
  FoldResult,
  InferredOutcomes,
  ScoreRocPoint,
  ValidationCase,
  ValidationOptionsInput,
  ValidationReport,
  WeightSuggestion,
} from "./report.ts";
export { ValidationOptions } from "./report.ts";
export { draftWithPoints } from "./suggestion.ts";

/**
 * Validates a scorecard against outcomes step by step (each `next()` is one chunk of evaluation or one fold), so
 * the worker can report progress and hear a cancel between steps; `validateScorecard` runs it straight.
 * Each account is scored as of its outcome's day minus the horizon (or the snapshot day): the engine reads nothing
 * observed after that day, so nothing that happened later leaks into the report.
 */
export function validateSteps(
  portfolio: PortfolioData,
  scorecard: Scorecard,
  outcomes: readonly Outcome[],
  optionsInput: ValidationOptionsInput = {},
): { steps: Generator<void, ValidationReport>; total: number } {
  const options = ValidationOptions.parse(optionsInput);
  const inference = inferOutcomes(portfolio, outcomes, options);
  const picked = pickOutcomes(portfolio, inference.outcomes);
  const snapshot = options.snapshotDay === undefined ? undefined : (parseIsoDay(options.snapshotDay) as Day);
  // The builder's steps: a few per model it cross-validates (an estimate: discovery depends on the data's columns).
  const total = 2 * Math.ceil(picked.latest.length / EVALUATE_CHUNK) + options.folds + 2 + (options.build ? 30 : 0);
  return { steps: run(portfolio, scorecard, outcomes.length, picked, snapshot, options, inference), total };
}

function* run(
  portfolio: PortfolioData,
  card: Scorecard,
  outcomeCount: number,
  picked: ReturnType<typeof pickOutcomes>,
  snapshot: Day | undefined,
  options: ValidationOptions,
  inference: ReturnType<typeof inferOutcomes>,
): Generator<void, ValidationReport> {
  const compiled = compileScorecard(card);
  // 1. Cases: accounts with an outcome that the scorecard applies to on their as-of day.
  const cases = chooseCases(portfolio, card, picked.latest, snapshot, options.horizonDays);
  // 2. Evaluate each case as of its own day: cases sharing a day go to the engine together.
  const scores = yield* evaluateCases(portfolio, card, compiled, cases);
  // 3. The current scorecard: AUC, bands, red catch, missed and false alarms; then its alert rules.
  const current = currentScorecard({
    portfolio,
    card,
    compiled,
    cases,
    scores,
    options,
    inference,
    outcomeCount,
    unknown: picked.unknown,
  });
  const { report } = current;
  const { accounts, chosen, churned, dayOf } = cases;
  report.alerts = yield* alertValidationSteps(
    portfolio,
    card,
    { accounts, outcomeDays: chosen.map((o) => dayOf.get(o.day) as Day), churned },
    { horizonDays: options.horizonDays, snapshotDay: snapshot },
  );
  // 4. The suggestion: a fit on every scored case, then k-fold cross-validation of fits on the folds.
  yield* suggestionSteps(report, { portfolio, card, compiled, cases, n: scores.n, current, options });
  return report;
}

/** Validates a scorecard against outcomes in one go (the CLI, tests); see `validateSteps`. */
export function validateScorecard(
  portfolio: PortfolioData,
  scorecard: Scorecard,
  outcomes: readonly Outcome[],
  options: ValidationOptionsInput = {},
): ValidationReport {
  const { steps } = validateSteps(portfolio, scorecard, outcomes, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
