import type { Account } from "../schema/account.ts";
import { unknownMetricIssues } from "../schema/bundle.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { scorecardDataWarnings } from "../scoring/data-warnings.ts";
import { type Output, type Problem, problemReport } from "./problems.ts";

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

/** Whether a scorecard is one of the defaults (used when no scorecard file is given). */
const isDefault = (origin: ScorecardOrigin) => origin.file.startsWith("default scorecard ");

/**
 * What the scorecards expect of the accounts that the accounts do not give: attributes no account has, categories
 * no account has or that the card does not map, values a rule cannot read (scorecardDataWarnings), as problems of
 * the scorecard files by JSON path.
 */
export function dataWarningProblems(
  scorecards: readonly Scorecard[],
  origins: readonly ScorecardOrigin[],
  accounts: readonly Account[],
): { own: Problem[]; defaults: Problem[] } {
  const own: Problem[] = [];
  const defaults: Problem[] = [];
  scorecards.forEach((card, i) => {
    const origin = origins[i] ?? { file: card.id, base: "$" };
    for (const issue of scorecardDataWarnings(card, accounts, origin.base)) {
      (isDefault(origin) ? defaults : own).push({ file: origin.file, at: issue.path, message: issue.message });
    }
  });
  return { own, defaults };
}

/**
 * Prints the data warnings: the user's own scorecards' as warnings with a closing line (the scores still come, with
 * those factors missing where the data does not give them), the default scorecards' as notes.
 */
export function printDataWarnings(warnings: { own: Problem[]; defaults: Problem[] }, out: Output): void {
  for (const line of problemReport(warnings.defaults)) out.err(`note: ${line}\n`);
  for (const line of problemReport(warnings.own)) out.err(`warning: ${line}\n`);
  const n = warnings.own.length;
  if (n > 0) {
    out.err(
      `vitals: ${n} ${n === 1 ? "warning" : "warnings"}: the scorecard expects attributes or values the accounts do ` +
        "not have; the factors named count as missing where the data does not give them (fix the scorecard or the data)\n",
    );
  }
}
