import { unknownMetricIssues } from "../schema/bundle.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import type { Problem } from "./problems.ts";

/** Where a scorecard came from, for messages: its file (or "default scorecard …") and its JSON path there. */
export interface ScorecardOrigin {
  readonly file: string;
  readonly base: string;
}

/**
 * Metrics a scorecard reads that no observation has. Such a factor would be missing for every account, so its
 * scores would quietly rest on the other factors; `score` refuses, and `check` reports it.
 */
export function unknownMetricProblems(
  scorecards: readonly Scorecard[],
  origins: readonly ScorecardOrigin[],
  metrics: ReadonlySet<string>,
): Problem[] {
  return scorecards.flatMap((card, i) => {
    const origin = origins[i] ?? { file: card.id, base: "$" };
    return unknownMetricIssues(card, metrics, origin.base).map((issue) => ({
      file: origin.file,
      at: issue.path,
      message: issue.message,
    }));
  });
}
