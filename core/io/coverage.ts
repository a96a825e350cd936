import type { Aggregation, Scorecard, SimpleSource } from "../schema/scorecard.ts";
import { ZERO_FILLED } from "../scoring/aggregate.ts";
import { mergeRanges, rangesContain, rangesOverlap } from "../scoring/series.ts";
import type { ImportPlan } from "./plan.ts";

export { mergeRanges, rangesContain, rangesOverlap, ZERO_FILLED };

/** What zero-filling one metric of an events import means for the portfolio (the dry run says it). */
export interface ZeroFill {
  metric: string;
  /** The period covered (days since 1970-01-01, inclusive). */
  from: number;
  to: number;
  /** Accounts of the portfolio (stored and new) with at least one event of the metric in the file. */
  accountsWithEvents: number;
  /** Accounts with none: count 0 and sum 0 inside the period. */
  accountsZeroFilled: number;
  /** Factors of the scorecards reading the metric in a way no event cannot fill (a mean, a last value, an NPS…): they stay missing for the zero-filled accounts. */
  stillMissing: { scorecard: string; factor: string; aggregation: Aggregation; accounts: number }[];
}

const metricSources = (source: Scorecard["factors"][number]["source"]): SimpleSource[] =>
  source.kind === "ratio" ? [source.numerator, source.denominator] : [source];

/**
 * Per covered metric of a plan: how many of the portfolio's accounts (`accountsTotal`, after the import) have
 * events and how many get count 0, and which scorecard factors on the metric stay missing for those.
 */
export function zeroFillOf(plan: ImportPlan, accountsTotal: number, scorecards: readonly Scorecard[]): ZeroFill[] {
  if (plan.coverage.length === 0) return [];
  const { account, metric } = plan.observations.columns();
  const withEvents = plan.observations.metrics.map(() => new Set<number>());
  for (let i = 0; i < plan.observations.length; i++) withEvents[metric[i] as number]?.add(account[i] as number);
  return plan.coverage.map((c) => {
    const m = plan.observations.metrics.indexOf(c.metric);
    const accountsWithEvents = m < 0 ? 0 : (withEvents[m]?.size ?? 0);
    const accountsZeroFilled = Math.max(0, accountsTotal - accountsWithEvents);
    const stillMissing: ZeroFill["stillMissing"] = [];
    for (const card of scorecards) {
      for (const factor of card.factors) {
        for (const s of metricSources(factor.source)) {
          if (
            s.kind === "metric" &&
            s.metric === c.metric &&
            !ZERO_FILLED.has(s.aggregation) &&
            accountsZeroFilled > 0
          ) {
            stillMissing.push({
              scorecard: card.name,
              factor: factor.label,
              aggregation: s.aggregation,
              accounts: accountsZeroFilled,
            });
          }
        }
      }
    }
    return { metric: c.metric, from: c.from, to: c.to, accountsWithEvents, accountsZeroFilled, stillMissing };
  });
}
