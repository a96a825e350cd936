import { z } from "zod";
import { IsoDay } from "../schema/iso-day.ts";
import type { OutcomeKind } from "../schema/observation.ts";
import type { ScoreColor } from "../schema/result.ts";
import type { Band, Scorecard } from "../schema/scorecard.ts";
import type { AlertValidation } from "./alerts.ts";
import type { SplitBand } from "./band-split.ts";
import type { BandTarget } from "./band-targets.ts";
import type { ScorecardBuild } from "./builder.ts";

// What validation is asked for and what it answers: the options and the report, read by every phase
// (cases.ts, evaluate-cases.ts, current.ts, suggestion.ts) and by the CLI and the Validate page.

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
