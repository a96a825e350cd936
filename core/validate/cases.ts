import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import type { Outcome } from "../schema/observation.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { appliesTo } from "../scoring/applies.ts";
import { accountAt, type PortfolioData } from "../scoring/series.ts";
import { plural } from "../text/words.ts";
import type { InferredOutcomes, ValidationOptions } from "./report.ts";

// Validation's first phase: which accounts are cases, with which outcome, scored as of which day.

/** The cases: per account with an outcome, its latest outcome (on one day, churned wins), in portfolio order. */
export function pickOutcomes(portfolio: PortfolioData, outcomes: readonly Outcome[]) {
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
 * The outcomes with the ones `unlisted` infers for accounts that have no outcome row in the period (see
 * ValidationOptions.unlisted), and which accounts' outcomes were inferred.
 */
export function inferOutcomes(
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

/** The cases of a validation, each with its account, the day it is scored as of and its outcome, in portfolio order. */
export interface Cases {
  /** Per case: the account's index in the portfolio. */
  accounts: number[];
  /** Per case: the day it is scored as of (its outcome's day minus the horizon, or the snapshot day). */
  asOfs: number[];
  /** Per case: its outcome. */
  chosen: Outcome[];
  /** Per case: 1 when it churned. */
  churned: Uint8Array;
  /** Accounts with an outcome the scorecard does not apply to on their as-of day (not cases). */
  notApplying: number;
  /** Each outcome's day as read. */
  dayOf: Map<string, Day>;
}

/** The cases: accounts with an outcome (`latest`, from pickOutcomes) that the scorecard applies to on their as-of day. */
export function chooseCases(
  portfolio: PortfolioData,
  card: Scorecard,
  latest: readonly (readonly [number, Outcome])[],
  snapshot: Day | undefined,
  horizonDays: number,
): Cases {
  const accounts: number[] = [];
  const asOfs: number[] = [];
  const chosen: Outcome[] = [];
  let notApplying = 0;
  const dayOf = new Map<string, Day>();
  for (const [index, outcome] of latest) {
    let outcomeDay = dayOf.get(outcome.day);
    if (outcomeDay === undefined) {
      outcomeDay = parseIsoDay(outcome.day) as Day;
      dayOf.set(outcome.day, outcomeDay);
    }
    const asOf = snapshot ?? outcomeDay - horizonDays;
    if (!appliesTo(card, accountAt(portfolio, index), asOf)) {
      notApplying++;
      continue;
    }
    accounts.push(index);
    asOfs.push(asOf);
    chosen.push(outcome);
  }
  const churned = Uint8Array.from(chosen, (o) => (o.kind === "churned" ? 1 : 0));
  return { accounts, asOfs, chosen, churned, notApplying, dayOf };
}
