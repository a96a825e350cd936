import { formatDay } from "../schema/day.ts";
import type { Outcome, OutcomeKind } from "../schema/observation.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { bandIndexFor, NO_DATA_BAND, roundHalfUp } from "../scoring/bands.ts";
import type { CompiledScorecard } from "../scoring/compile.ts";
import { accountAt, type PortfolioData } from "../scoring/series.ts";
import { percent } from "../text/words.ts";
import { type SplitBand, splitByChurn } from "./band-split.ts";
import { bandTargets } from "./band-targets.ts";
import type { Cases, inferOutcomes } from "./cases.ts";
import { type CaseScores, presentShare } from "./evaluate-cases.ts";
import { rocAuc, rocCurve } from "./metrics.ts";
import type { BandOutcome, BandSuggestion, ValidationCase, ValidationOptions, ValidationReport } from "./report.ts";

// Validation's third phase: how the current scorecard did, the report before its alerts and its suggestion.

/** Unknown account ids listed in the report (the count is complete). */
const UNKNOWN_LISTED = 20;

/** Risk as the ROC reads it: 100 − score (NaN stays NaN). */
export const riskOf = (score: Float64Array) => Float64Array.from(score, (s) => 100 - s);

/** Band thresholds that split churn well for these scores, with the scorecard's grades, colours and labels. */
export function bandSuggestionOf(
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

/** The current scorecard's report, and what the suggestion reads from it. */
export interface CurrentScorecard {
  /** The report with everything about the current scorecard; alerts, suggestion and build still null. */
  report: ValidationReport;
  /** The cases with a score. */
  scored: Int32Array;
  /** Per case: 100 − score. */
  risk: Float64Array;
  /** Scored cases that churned, and the others. */
  scoredChurned: number;
  scoredOther: number;
}

/**
 * The current scorecard against the cases' outcomes: population and coverage, AUC and ROC, churn per band and where
 * it does not fall band by band, the red band's catch, the accounts missed and the false alarms, and better bands.
 */
export function currentScorecard(input: {
  portfolio: PortfolioData;
  card: Scorecard;
  compiled: CompiledScorecard;
  cases: Cases;
  scores: CaseScores;
  options: ValidationOptions;
  inference: ReturnType<typeof inferOutcomes>;
  /** Outcome rows given. */
  outcomeCount: number;
  /** Outcomes' account ids that the portfolio does not have. */
  unknown: readonly string[];
}): CurrentScorecard {
  const { portfolio, card, compiled, options, inference, outcomeCount } = input;
  const { accounts, asOfs, chosen, churned, notApplying } = input.cases;
  const { n, score, coverage, byDay } = input.scores;
  const count = accounts.length;
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
      unknownAccounts: { count: input.unknown.length, ids: input.unknown.slice(0, UNKNOWN_LISTED) },
      inferred: inference.summary,
    },
    coverage: {
      mean: count === 0 ? null : coverage.reduce((a, b) => a + b, 0) / count,
      byFactor: card.factors.map((f, i) => ({
        factorId: f.id,
        label: f.label,
        present: presentShare(n[i] as Float64Array, all),
      })),
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
  let scoredChurned = 0;
  for (const c of scored) scoredChurned += churned[c] as number;
  const scoredOther = scored.length - scoredChurned;
  if (report.auc === null) report.aucNote = aucNoteOf(count, scoredChurned, scoredOther, options.unlisted);
  return { report, scored, risk, scoredChurned, scoredOther };
}
