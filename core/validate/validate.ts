import { z } from "zod";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import { IsoDay } from "../schema/iso-day.ts";
import type { Outcome, OutcomeKind } from "../schema/observation.ts";
import type { ScoreColor } from "../schema/result.ts";
import { type Band, Scorecard, type ScorecardInput } from "../schema/scorecard.ts";
import { appliesTo } from "../scoring/applies.ts";
import { bandIndexFor, NO_DATA_BAND, roundHalfUp } from "../scoring/bands.ts";
import { type CompiledScorecard, compileScorecard } from "../scoring/compile.ts";
import { combine, evaluate, type FactorValues } from "../scoring/evaluate.ts";
import { countedN } from "../scoring/missing.ts";
import { accountAt, type PortfolioData } from "../scoring/series.ts";
import { percent, plural } from "../text/words.ts";
import { type AlertValidation, alertValidationSteps } from "./alerts.ts";
import { type SplitBand, splitByChurn } from "./band-split.ts";
import { type BandTarget, bandTargets } from "./band-targets.ts";
import { buildSteps, type ScorecardBuild } from "./builder.ts";
import { stratifiedFolds } from "./folds.ts";
import { fitLogistic, type LogisticFit } from "./logistic.ts";
import { rocAuc, rocCurve } from "./metrics.ts";

/** How to validate a scorecard (docs/scoring.md, "Validation"). */
export const ValidationOptions = z.object({
  /** Each account is scored this many days before its outcome. */
  horizonDays: z.number().int().min(1, "the horizon is at least 1 day").max(3660).default(90),
  /** A snapshot dataset: every account is scored as of this day, whatever its outcome's day. */
  snapshotDay: IsoDay.optional(),
  /** Whether to cross-validate the suggestion (the benchmark's baseline leaves it out to show what it costs). */
  crossValidate: z.boolean().default(true),
  /** k of the k-fold cross-validation (fewer when a class has fewer cases than k). */
  folds: z.number().int().min(2, "cross-validation needs at least 2 folds").max(20).default(5),
  /** Seed of the fold shuffle: the same seed gives the same folds and the same report. */
  seed: z.number().int().default(1),
  /** λ of the logistic regression's L2 penalty (1 is scikit-learn's default, C = 1). */
  l2: z.number().finite().min(0).default(1),
  /** How the regression is solved: Newton's method, or plain gradient descent (the benchmark's baseline). */
  solver: z.enum(["newton", "gradient"]).default("newton"),
  /** At most this many accounts are listed as missed and as false alarms (the counts are always complete). */
  listLimit: z.number().int().min(0).default(100),
  /**
   * What accounts with no outcome row in the period are (issue 13: real exports list one kind only). "leave-out"
   * (the default): not cases. "stayed": a churn-events export lists every churn, so an account with no outcome in the
   * period stayed; it is scored as of the period's end minus the horizon. "not-renewed": a renewals export lists
   * every renewal, so an account whose renewal date falls in the period with no outcome row did not renew (churned
   * on its renewal date); accounts renewing outside the period, or with no renewal date, are left out: nothing says
   * what happened to them.
   */
  unlisted: z.enum(["leave-out", "stayed", "not-renewed"]).default("leave-out"),
  /** First day of the period the outcomes cover (default: the first outcome's day). */
  periodFrom: IsoDay.optional(),
  /** Last day of the period the outcomes cover (default: the last outcome's day). */
  periodTo: IsoDay.optional(),
  /** Whether to run the scorecard builder (fitted points, discovery, reference line, suggested card). */
  build: z.boolean().default(true),
  /** The suggested card has at most this many factors. */
  maxFactors: z.number().int().min(1, "the suggested card needs at least 1 factor").max(30).default(7),
});
/** How to validate a scorecard, with defaults filled in. */
export type ValidationOptions = z.infer<typeof ValidationOptions>;
/** How to validate a scorecard, as a caller writes it (every field optional). */
export type ValidationOptionsInput = z.input<typeof ValidationOptions>;

/** One account's case: its outcome, the day it was scored as of, and that score. */
export interface ValidationCase {
  accountId: string;
  name: string;
  /** The day the account was scored as of: the outcome's day minus the horizon, or the snapshot day. */
  asOf: string;
  outcomeDay: string;
  /** What happened: an outcome row's kind, or what `unlisted` inferred for an account with none. */
  kind: OutcomeKind | "stayed" | "not renewed";
  /** Unrounded score, or null: not enough data. */
  score: number | null;
  /** The score as shown (rounded half up), or null. */
  points: number | null;
  grade: string;
  label: string;
  color: ScoreColor;
}

/** How accounts in one band (or with no score) turned out. */
export interface BandOutcome {
  grade: string;
  label: string;
  color: ScoreColor;
  /** The band's lowest points; null for the "not enough data" row. */
  min: number | null;
  cases: number;
  churned: number;
  /** churned ÷ cases; null when the band has no case. */
  churnRate: number | null;
}

/** A point of the ROC curve: calling every account scoring `score` or less "at risk" catches `tpr` of churn. */
export interface ScoreRocPoint {
  /** The highest score called at risk; null at the origin (no account called at risk). */
  score: number | null;
  /** Share of the accounts that did not churn called at risk (false alarms). */
  fpr: number;
  /** Share of the churned accounts called at risk (caught). */
  tpr: number;
}

/** One factor in the weight suggestion. */
export interface FactorSuggestion {
  factorId: string;
  label: string;
  /** The factor's share of the current scorecard, points of 100. */
  currentPoints: number;
  /** Its suggested share, points of 100; 0 when left out (pushing the wrong way or no effect). */
  suggestedPoints: number;
  /** Logistic coefficient of churn on the factor's n: negative means a higher n goes with less churn, as it should. */
  coefficient: number;
  /** "protects": a higher n goes with less churn; "wrong-way": with more churn; "no-effect": neither. */
  direction: "protects" | "wrong-way" | "no-effect";
  /** Share of the scored accounts where the factor had a value (before its missing-data policy). */
  present: number;
  /** ROC AUC of the factor alone (risk 1 − n, accounts where it had a value); null when it cannot be told. */
  auc: number | null;
}

/** Cross-validated AUCs of one fold (trained on the others). */
export interface FoldResult {
  fold: number;
  cases: number;
  churned: number;
  currentAuc: number | null;
  suggestedAuc: number | null;
}

/** Out-of-sample AUC of the suggestion next to the current scorecard's, on the same stratified folds. */
export interface CrossValidation {
  folds: number;
  seed: number;
  /** Mean over folds of the current scorecard's AUC on each held-out fold. */
  currentAuc: number | null;
  /** Mean over folds of the AUC on each held-out fold of the scorecard weighted by a fit on the other folds. */
  suggestedAuc: number | null;
  perFold: FoldResult[];
}

/** Suggested band thresholds (same grades, colours and labels as the scorecard), with how churn falls across them. */
export interface BandSuggestion {
  bands: Band[];
  /** Per suggested band, highest first: its cases and churn rate. */
  rates: SplitBand[];
  /** Whether the churn rate falls band by band: always, as the split is isotonic (said so a page can show it). */
  falls: boolean;
}

/** Suggested weights from a logistic regression of churn on the factors' n, and a draft scorecard with them. */
export interface WeightSuggestion {
  l2: number;
  solver: "newton" | "gradient";
  iterations: number;
  converged: boolean;
  intercept: number;
  factors: FactorSuggestion[];
  /** Ids of the factors pushing the wrong way (flagged, and left out of the draft). */
  wrongWay: string[];
  /** Factors the draft leaves out, and why. */
  leftOut: { factorId: string; reason: string }[];
  /** AUC of the current scorecard and of the draft on the very cases the fit saw (optimistic for the draft). */
  inSample: { currentAuc: number | null; suggestedAuc: number | null };
  crossValidation: CrossValidation | null;
  /** Why there is no cross-validation, when there is none. */
  crossValidationNote?: string;
  /** The scorecard with the suggested weights (same id, rules and bands); null when no factor protects. */
  draft: Scorecard | null;
  /** Band thresholds for the draft's scores. */
  draftBands: BandSuggestion | null;
}

/** Everything validation found about one scorecard. */
export interface ValidationReport {
  scorecardId: string;
  scorecardName: string;
  /** Days between each account's score and its outcome; null when every account is scored on the snapshot day. */
  horizonDays: number | null;
  snapshotDay: string | null;
  /** First and last as-of day the accounts were scored on (null without cases). */
  asOfFrom: string | null;
  asOfTo: string | null;
  population: {
    /** Outcome rows given. */
    outcomes: number;
    /** Accounts with an outcome that the scorecard applies to: one case each, its latest outcome. */
    cases: number;
    churned: number;
    notChurned: number;
    byKind: Record<OutcomeKind, number>;
    /** Cases with a score (the rest had not enough data as of their day). */
    scored: number;
    nullScores: { churned: number; notChurned: number };
    /** Accounts with an outcome the scorecard does not apply to on their as-of day. */
    notApplying: number;
    /** Outcomes naming no account of the portfolio: how many ids, and the first few. */
    unknownAccounts: { count: number; ids: string[] };
    /** What was inferred for accounts with no outcome row (null: they were left out, the default). */
    inferred: InferredOutcomes | null;
  };
  coverage: {
    /** Mean coverage over all cases (0 where no factor had data). */
    mean: number | null;
    byFactor: { factorId: string; label: string; present: number }[];
  };
  /** ROC AUC of risk (100 − score) against churn, ties counted half; null without churned or other scored cases. */
  auc: number | null;
  /** Why there is no AUC and how to get one; null when there is one. */
  aucNote: string | null;
  roc: ScoreRocPoint[];
  /** Bands highest first, then the "not enough data" row. */
  bands: BandOutcome[];
  /** Where churn does not fall band by band, in words. */
  bandWarnings: string[];
  /** Churned accounts with a score, and how many of them were in a red band. */
  red: { churned: number; caught: number; share: number | null };
  /** Churned while green, highest score first. */
  missed: { total: number; cases: ValidationCase[] };
  /** Red that renewed or expanded, lowest score first. */
  falseAlarms: { total: number; cases: ValidationCase[] };
  /** Band thresholds that split the current scores' churn rates well. */
  bandSuggestion: BandSuggestion | null;
  /** Red thresholds on the current scores by purpose (the 15% most at risk, 3× the base rate), with trade-offs. */
  bandTargets: BandTarget[];
  suggestion: WeightSuggestion | null;
  /** Why there is no suggestion, when there is none. */
  suggestionNote?: string;
  /** The scorecard's alert rules against the outcomes: precision, recall and lead time (null: its alerts are off). */
  alerts: AlertValidation | null;
  /** The scorecard builder: fitted points, discovery, reference line, suggested card (null when not run). */
  build: ScorecardBuild | null;
  /** Why there is no build, when there is none. */
  buildNote?: string;
}

/** What `unlisted` inferred for the accounts with no outcome row in the period, said in words in the report. */
export interface InferredOutcomes {
  rule: "stayed" | "not-renewed";
  /** The period the outcomes cover: given, or the first and last outcome's day. */
  from: string;
  to: string;
  /** Accounts given the inferred outcome. */
  accounts: number;
  /** Outcome rows outside the period, not used. */
  outsidePeriod: number;
  /** Accounts left out: for "stayed", those that started after the day they would be scored as of; for
   * "not-renewed", those with no renewal date in the period. */
  leftOut: number;
  /** The rule and the numbers in a sentence, for the report. */
  words: string;
}

/** Accounts evaluated at once for one as-of day. */
const EVALUATE_CHUNK = 4096;
/** Unknown account ids listed in the report (the count is complete). */
const UNKNOWN_LISTED = 20;
/** |coefficient| below this counts as no effect. */
const NO_EFFECT = 1e-6;

const mean = (values: readonly (number | null)[]): number | null => {
  const kept = values.filter((v): v is number => v !== null);
  return kept.length === 0 ? null : kept.reduce((a, b) => a + b, 0) / kept.length;
};

/** The cases: per account with an outcome, its latest outcome (on one day, churned wins), in portfolio order. */
function pickOutcomes(portfolio: PortfolioData, outcomes: readonly Outcome[]) {
  const latest = new Map<number, Outcome>();
  const unknown = new Set<string>();
  for (const outcome of outcomes) {
    const index = portfolio.accountIndex.get(outcome.accountId);
    if (index === undefined) {
      unknown.add(outcome.accountId);
      continue;
    }
    const seen = latest.get(index);
    if (!seen || outcome.day > seen.day || (outcome.day === seen.day && outcome.kind === "churned")) {
      latest.set(index, outcome);
    }
  }
  return { latest: [...latest.entries()].sort((a, b) => a[0] - b[0]), unknown: [...unknown] };
}

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

function bandSuggestionOf(
  compiled: CompiledScorecard,
  score: Float64Array,
  churned: Uint8Array,
  cases: ArrayLike<number>,
): BandSuggestion | null {
  const shown = Float64Array.from(score, (s) => (Number.isNaN(s) ? Number.NaN : roundHalfUp(s)));
  const withScore = Int32Array.from(cases).filter((c) => !Number.isNaN(shown[c] as number));
  const count = compiled.bands.length;
  const minCases = Math.max(1, Math.ceil(withScore.length * 0.05));
  const rates = splitByChurn(shown, churned, withScore, count, minCases);
  if (!rates) return null;
  const bands = compiled.bands.map((band, i) => ({ ...band, min: (rates[i] as SplitBand).min }));
  let falls = true;
  for (let i = 1; i < rates.length; i++) {
    if ((rates[i - 1] as SplitBand).churnRate > (rates[i] as SplitBand).churnRate) falls = false;
  }
  return { bands, rates, falls };
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

const riskOf = (score: Float64Array) => Float64Array.from(score, (s) => 100 - s);

/**
 * The outcomes with the ones `unlisted` infers for accounts that have no outcome row in the period (see
 * ValidationOptions.unlisted), and which accounts' outcomes were inferred.
 */
function inferOutcomes(
  portfolio: PortfolioData,
  outcomes: readonly Outcome[],
  options: ValidationOptions,
): { outcomes: readonly Outcome[]; inferred: Set<string>; summary: InferredOutcomes | null } {
  const rule = options.unlisted;
  if (rule === "leave-out" || outcomes.length === 0) return { outcomes, inferred: new Set(), summary: null };
  let first = outcomes[0]?.day as string;
  let last = first;
  for (const o of outcomes) {
    if (o.day < first) first = o.day;
    if (o.day > last) last = o.day;
  }
  const from = options.periodFrom ?? first;
  const to = options.periodTo ?? last;
  const inPeriod = outcomes.filter((o) => o.day >= from && o.day <= to);
  const listed = new Set(inPeriod.map((o) => o.accountId));
  const added: Outcome[] = [];
  let leftOut = 0;
  const end = parseIsoDay(to) as Day;
  const scoredOn = formatDay(
    options.snapshotDay === undefined ? end - options.horizonDays : (parseIsoDay(options.snapshotDay) as Day),
  );
  for (const account of portfolio.accounts) {
    if (listed.has(account.id)) continue;
    if (rule === "stayed") {
      // Not yet a customer on the day it would be scored as of: nothing to say about it.
      if (account.startDate !== undefined && account.startDate > scoredOn) leftOut++;
      else added.push({ accountId: account.id, day: to, kind: "renewed" });
    } else if (account.renewalDate !== undefined && account.renewalDate >= from && account.renewalDate <= to) {
      added.push({ accountId: account.id, day: account.renewalDate, kind: "churned" });
    } else leftOut++;
  }
  const outsidePeriod = outcomes.length - inPeriod.length;
  const n = added.length;
  const outside =
    outsidePeriod > 0 ? ` ${plural(outsidePeriod, "outcome row", "outcome rows")} outside the period not used.` : "";
  const words =
    rule === "stayed"
      ? `Accounts with no outcome row from ${from} to ${to} stayed (no churn event in the period): ` +
        `${plural(n, "account", "accounts")}, each scored as of ${scoredOn}` +
        (options.snapshotDay === undefined ? ` (${options.horizonDays} days before the period's end).` : ".") +
        (leftOut > 0 ? ` Left out: ${plural(leftOut, "account", "accounts")} that started after that day.` : "") +
        outside
      : `Accounts whose renewal date falls from ${from} to ${to} with no outcome row did not renew (counted as ` +
        `churned on their renewal date): ${plural(n, "account", "accounts")}. Left out: ` +
        `${plural(leftOut, "account", "accounts")} with no outcome row that renew outside the period or have no ` +
        "renewal date (nothing says what happened to them)." +
        outside;
  return {
    outcomes: [...inPeriod, ...added],
    inferred: new Set(added.map((o) => o.accountId)),
    summary: { rule, from, to, accounts: n, outsidePeriod, leftOut, words },
  };
}

/** Why there is no AUC, and what to do about it. */
function aucNoteOf(cases: number, scoredChurned: number, scoredOther: number, rule: ValidationOptions["unlisted"]) {
  if (cases === 0) return "no account with an outcome is one this scorecard applies to, so nothing could be compared";
  if (scoredChurned === 0 && scoredOther === 0) {
    return "no account with an outcome has a score (not enough data as of the day it was scored): import the data of the months before the outcomes";
  }
  if (scoredOther === 0) {
    return (
      `every scored account with an outcome churned (${scoredChurned}), and the AUC compares churned accounts with ones that stayed. ` +
      (rule === "stayed"
        ? "No account without a churn event is left in the period: widen the period or import the accounts that stayed."
        : "A churn-events export lists only the accounts that churned: count the accounts with no churn event in the period as stayed " +
          '(vitals validate --unlisted stayed; on the Validate page, "Accounts with no outcome in the period": stayed), or import their renewals.')
    );
  }
  return (
    `no scored account with an outcome churned (${scoredOther} did not), and the AUC compares churned accounts with ones that stayed. ` +
    (rule === "not-renewed"
      ? "No account renews in the period without a renewal row: widen the period or import the churn events."
      : "A renewals export lists only renewals: import the churn events, or count the accounts whose renewal date falls in the period " +
        'with no renewal row as not renewed (vitals validate --unlisted not-renewed; on the Validate page, "Accounts with no outcome in the period": did not renew).')
  );
}

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
  const accounts: number[] = [];
  const asOfs: number[] = [];
  const chosen: Outcome[] = [];
  let notApplying = 0;
  const dayOf = new Map<string, Day>();
  for (const [index, outcome] of picked.latest) {
    let outcomeDay = dayOf.get(outcome.day);
    if (outcomeDay === undefined) {
      outcomeDay = parseIsoDay(outcome.day) as Day;
      dayOf.set(outcome.day, outcomeDay);
    }
    const asOf = snapshot ?? outcomeDay - options.horizonDays;
    if (!appliesTo(card, accountAt(portfolio, index), asOf)) {
      notApplying++;
      continue;
    }
    accounts.push(index);
    asOfs.push(asOf);
    chosen.push(outcome);
  }
  const count = accounts.length;
  const churned = Uint8Array.from(chosen, (o) => (o.kind === "churned" ? 1 : 0));

  // 2. Evaluate each case as of its own day: cases sharing a day go to the engine together.
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

  // 3. The current scorecard: AUC, bands, red catch, missed and false alarms.
  const scored = Int32Array.from({ length: count }, (_, c) => c).filter((c) => !Number.isNaN(score[c] as number));
  const risk = riskOf(score);
  const band = Int8Array.from(score, (s) => bandIndexFor(compiled.bands, s));
  const caseOf = (c: number): ValidationCase => {
    const account = accountAt(portfolio, accounts[c] as number);
    const outcome = chosen[c] as Outcome;
    const s = score[c] as number;
    const shown = compiled.bands[band[c] as number] ?? NO_DATA_BAND;
    return {
      accountId: account.id,
      name: account.name,
      asOf: formatDay(asOfs[c] as number),
      outcomeDay: outcome.day,
      kind: inference.inferred.has(account.id) ? (outcome.kind === "churned" ? "not renewed" : "stayed") : outcome.kind,
      score: Number.isNaN(s) ? null : s,
      points: Number.isNaN(s) ? null : roundHalfUp(s),
      grade: shown.grade,
      label: shown.label,
      color: shown.color,
    };
  };
  const bands: BandOutcome[] = compiled.bands.map((b, i) => {
    let cases = 0;
    let hits = 0;
    for (let c = 0; c < count; c++) {
      if (band[c] === i) {
        cases++;
        hits += churned[c] as number;
      }
    }
    return { ...b, cases, churned: hits, churnRate: cases === 0 ? null : hits / cases };
  });
  let nullCases = 0;
  let nullChurned = 0;
  for (let c = 0; c < count; c++) {
    if (band[c] === -1) {
      nullCases++;
      nullChurned += churned[c] as number;
    }
  }
  const bandWarnings: string[] = [];
  const withCases = bands.filter((b) => b.churnRate !== null);
  for (let i = 1; i < withCases.length; i++) {
    const upper = withCases[i - 1] as BandOutcome;
    const lower = withCases[i] as BandOutcome;
    const up = upper.churnRate as number;
    const low = lower.churnRate as number;
    if (up > low || (up === low && up > 0)) {
      bandWarnings.push(
        `${upper.grade} (${upper.label}) churned ${percent(up)}, ${up === low ? "as much as" : "more than"} ` +
          `${lower.grade} (${lower.label}) below it at ${percent(low)}: churn should fall band by band`,
      );
    }
  }
  for (const b of bands) {
    if (b.cases === 0)
      bandWarnings.push(`${b.grade} (${b.label}) has no account with an outcome: its churn rate is unknown`);
  }
  let redChurned = 0;
  let caught = 0;
  const missed: number[] = [];
  const falseAlarms: number[] = [];
  for (const c of scored) {
    const color = compiled.bands[band[c] as number]?.color;
    if (churned[c]) {
      redChurned++;
      if (color === "red") caught++;
      if (color === "green") missed.push(c);
    } else if (color === "red" && (chosen[c]?.kind === "renewed" || chosen[c]?.kind === "expanded")) {
      falseAlarms.push(c);
    }
  }
  missed.sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
  falseAlarms.sort((a, b) => (score[a] as number) - (score[b] as number) || a - b);
  const byKind: Record<OutcomeKind, number> = { churned: 0, renewed: 0, expanded: 0, downgraded: 0 };
  chosen.forEach((o, c) => {
    if (!inference.inferred.has(accountAt(portfolio, accounts[c] as number).id)) byKind[o.kind]++;
  });
  const churnedCount = churned.reduce((s, v) => s + v, 0);
  const present = (f: number, among: ArrayLike<number>) => {
    if (among.length === 0) return 0;
    let k = 0;
    for (let j = 0; j < among.length; j++) if (!Number.isNaN((n[f] as Float64Array)[among[j] as number])) k++;
    return k / among.length;
  };
  const all = Int32Array.from({ length: count }, (_, c) => c);

  const report: ValidationReport = {
    scorecardId: card.id,
    scorecardName: card.name,
    horizonDays: options.snapshotDay === undefined ? options.horizonDays : null,
    snapshotDay: options.snapshotDay ?? null,
    asOfFrom: count === 0 ? null : formatDay(Math.min(...byDay.keys())),
    asOfTo: count === 0 ? null : formatDay(Math.max(...byDay.keys())),
    population: {
      outcomes: outcomeCount,
      cases: count,
      churned: churnedCount,
      notChurned: count - churnedCount,
      byKind,
      scored: scored.length,
      nullScores: { churned: nullChurned, notChurned: nullCases - nullChurned },
      notApplying,
      unknownAccounts: { count: picked.unknown.length, ids: picked.unknown.slice(0, UNKNOWN_LISTED) },
      inferred: inference.summary,
    },
    coverage: {
      mean: count === 0 ? null : coverage.reduce((a, b) => a + b, 0) / count,
      byFactor: card.factors.map((f, i) => ({ factorId: f.id, label: f.label, present: present(i, all) })),
    },
    auc: rocAuc(risk, churned, scored),
    aucNote: null,
    roc: rocCurve(risk, churned, scored).map((pt) => ({
      score: pt.risk === null ? null : 100 - pt.risk,
      fpr: pt.fpr,
      tpr: pt.tpr,
    })),
    bands: [
      ...bands,
      {
        grade: NO_DATA_BAND.grade,
        label: NO_DATA_BAND.label,
        color: NO_DATA_BAND.color,
        min: null,
        cases: nullCases,
        churned: nullChurned,
        churnRate: nullCases === 0 ? null : nullChurned / nullCases,
      },
    ],
    bandWarnings,
    red: { churned: redChurned, caught, share: redChurned === 0 ? null : caught / redChurned },
    missed: { total: missed.length, cases: missed.slice(0, options.listLimit).map(caseOf) },
    falseAlarms: { total: falseAlarms.length, cases: falseAlarms.slice(0, options.listLimit).map(caseOf) },
    bandSuggestion: bandSuggestionOf(compiled, score, churned, scored),
    bandTargets: bandTargets(score, churned, scored),
    alerts: null,
    suggestion: null,
    build: null,
  };
  report.alerts = yield* alertValidationSteps(
    portfolio,
    card,
    { accounts, outcomeDays: chosen.map((o) => dayOf.get(o.day) as Day), churned },
    { horizonDays: options.horizonDays, snapshotDay: snapshot },
  );

  // 4. The suggestion: a fit on every scored case, then k-fold cross-validation of fits on the folds.
  let scoredChurned = 0;
  for (const c of scored) scoredChurned += churned[c] as number;
  const scoredOther = scored.length - scoredChurned;
  if (report.auc === null) report.aucNote = aucNoteOf(count, scoredChurned, scoredOther, options.unlisted);
  if (scoredChurned < 2 || scoredOther < 2) {
    report.suggestionNote =
      `suggesting weights needs at least 2 scored accounts that churned and 2 that did not ` +
      `(there are ${scoredChurned} and ${scoredOther})`;
    return report;
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
      present: present(i, scored),
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
