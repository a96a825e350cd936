/**
 * Alert rules proven against outcomes (issue 15): for each of a scorecard's alert rules, which accounts it would have
 * alerted in the days before their outcome, how many of those churned (precision), how many of the churned it
 * alerted (recall), and how long before the churn it first fired (lead time). The rules are judged day by day as
 * the inbox judges them on the as-of day (core/alerts/history.ts), on scores that read nothing after each day.
 */
import { compileAlertRules } from "../alerts/evaluate.ts";
import { alertHoldDays, yearlyRenewals } from "../alerts/history.ts";
import { alertRulesOf } from "../alerts/rules.ts";
import type { AlertRuleKind } from "../schema/alert-rule.ts";
import type { Day } from "../schema/day.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { appliesTo } from "../scoring/applies.ts";
import { dataExtent } from "../scoring/as-of.ts";
import { compileScorecard } from "../scoring/compile.ts";
import { evaluate } from "../scoring/evaluate.ts";
import { accountAt, type PortfolioData } from "../scoring/series.ts";

/** How one rule (or any of them) did against the outcomes. */
export interface AlertRuleCheck {
  /** The rule's id, or "any" for the row of every rule together. */
  ruleId: string;
  kind: AlertRuleKind | "any";
  /** The rule in words, as the inbox names it. */
  title: string;
  /** Accounts with an outcome it alerted in their window, and their share of all the accounts with an outcome. */
  alerted: number;
  alertedShare: number | null;
  /** Alerted accounts that churned (caught), and alerted accounts that did not (false alarms). */
  caught: number;
  falseAlarms: number;
  /** caught ÷ alerted: how many of its alerts were for accounts that churned; null when it alerted none. */
  precision: number | null;
  /** caught ÷ churned: how many of the churned accounts it alerted; null when none churned. */
  recall: number | null;
  /** Precision over the base churn rate: 2 means its alerts churned at twice the rate of all accounts. */
  lift: number | null;
  /** Days from its first alert in the window to the churn, over the caught accounts (null: none, or a snapshot). */
  leadDays: { median: number; shortest: number; longest: number } | null;
}

/** The alert rules of a scorecard against the outcomes. */
export interface AlertValidation {
  /** Days before each outcome the rules are judged on (the horizon); null for a snapshot (judged on its day). */
  windowDays: number | null;
  /** The window in words, for the report. */
  words: string;
  /** Accounts with an outcome the scorecard applies to, and how many churned. */
  cases: number;
  churned: number;
  /** One row per rule, in the scorecard's order. */
  rules: AlertRuleCheck[];
  /** Every rule together: an account alerted by any of them. */
  any: AlertRuleCheck;
  /** What the report should say about a rule it could not judge fairly. */
  notes: string[];
}

/** The cases to judge: per case its account's index, outcome day, and whether it churned. */
export interface AlertCases {
  accounts: readonly number[];
  outcomeDays: readonly Day[];
  churned: ArrayLike<number>;
}

/** Cells (cases × days) scored at once: a few MB per factor. */
const CHUNK_CELLS = 1 << 17;

const median = (sorted: readonly number[]) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * Judges a scorecard's alert rules (its own, or the defaults) on each case over the `horizonDays` days before its
 * outcome (the outcome day itself left out: an alert on the day of the churn warns nobody), or, with a snapshot day,
 * on that day alone (a snapshot says who churned, not when: no lead time). Steps yield between chunks of cases.
 */
export function* alertValidationSteps(
  portfolio: PortfolioData,
  card: Scorecard,
  cases: AlertCases,
  options: { horizonDays: number; snapshotDay?: Day | undefined },
): Generator<void, AlertValidation | null> {
  const rules = alertRulesOf(card);
  if (rules.length === 0) return null;
  const compiledRules = compileAlertRules(card, rules);
  const compiled = compileScorecard(card);
  const snapshot = options.snapshotDay;
  const window = snapshot === undefined ? options.horizonDays : 1;
  const lookBack = rules.reduce((most, r) => (r.kind === "drop" ? Math.max(most, r.withinDays) : most), 0);
  const renewalReach = rules.reduce((most, r) => (r.kind === "renewal" ? Math.max(most, r.withinDays) : most), -1);
  const span = lookBack + window;
  const readsFactors = rules.some((r) => r.kind === "factor");
  const readsData = rules.some((r) => r.kind === "noData");
  const tenureBound = card.appliesTo.some((cond) => cond.kind === "tenure");
  const dataEnd = dataExtent(portfolio).last ?? undefined;
  const count = cases.accounts.length;

  // Per case and rule, the first day of the window it held on (−1: never).
  const first = rules.map(() => new Int32Array(count).fill(-1));
  let anyRenewals = false;
  // Cases sharing a window are scored together: one evaluation of their accounts over the window's days.
  const byEnd = new Map<number, number[]>();
  for (let c = 0; c < count; c++) {
    const end = snapshot ?? (cases.outcomeDays[c] as number) - 1;
    const list = byEnd.get(end);
    if (list) list.push(c);
    else byEnd.set(end, [c]);
  }
  const chunk = Math.max(1, Math.floor(CHUNK_CELLS / span));
  let cells = 0;
  for (const end of [...byEnd.keys()].sort((a, b) => a - b)) {
    const members = byEnd.get(end) as number[];
    const from = end - span + 1;
    const days = Int32Array.from({ length: span }, (_, j) => from + j);
    for (let at = 0; at < members.length; at += chunk) {
      const group = members.slice(at, at + chunk);
      const rows = Int32Array.from(group, (c) => cases.accounts[c] as number);
      const ev = evaluate(portfolio, compiled, rows, days);
      group.forEach((c, r) => {
        const index = rows[r] as number;
        const account = accountAt(portfolio, index);
        // Scores as the history stores them (32-bit), and none where a tenure condition does not hold that day.
        const scores = Float32Array.from(ev.score.subarray(r * span, (r + 1) * span));
        if (tenureBound) for (let j = 0; j < span; j++) if (!appliesTo(card, account, from + j)) scores[j] = Number.NaN;
        const renewals = yearlyRenewals(account.renewalDate, from);
        if (renewals.some((d) => d >= from + lookBack && d <= end + renewalReach)) anyRenewals = true;
        const holds = alertHoldDays(
          compiledRules,
          {
            renewals,
            dataDays: readsData ? dataDaysOf(portfolio, index, end) : [],
            ...(dataEnd !== undefined ? { dataEnd } : {}),
            ...(readsFactors ? { factorN: ev.factors.map((f) => f.n.subarray(r * span, (r + 1) * span)) } : {}),
          },
          { from, scores },
          lookBack,
        );
        holds.forEach((held, k) => {
          const j = held.indexOf(1);
          if (j >= 0) (first[k] as Int32Array)[c] = from + lookBack + j;
        });
      });
      cells += group.length * span;
      if (cells >= CHUNK_CELLS) {
        cells = 0;
        yield;
      }
    }
  }

  let churned = 0;
  for (let c = 0; c < count; c++) churned += cases.churned[c] ? 1 : 0;
  const check = (ruleId: string, kind: AlertRuleKind | "any", title: string, firstDay: (c: number) => number) => {
    let alerted = 0;
    let caught = 0;
    const leads: number[] = [];
    for (let c = 0; c < count; c++) {
      const day = firstDay(c);
      if (day < 0) continue;
      alerted++;
      if (cases.churned[c]) {
        caught++;
        if (snapshot === undefined) leads.push((cases.outcomeDays[c] as number) - day);
      }
    }
    leads.sort((a, b) => a - b);
    const precision = alerted === 0 ? null : caught / alerted;
    return {
      ruleId,
      kind,
      title,
      alerted,
      alertedShare: count === 0 ? null : alerted / count,
      caught,
      falseAlarms: alerted - caught,
      precision,
      recall: churned === 0 ? null : caught / churned,
      lift: precision === null || churned === 0 ? null : precision / (churned / count),
      leadDays:
        leads.length === 0
          ? null
          : { median: median(leads), shortest: leads[0] as number, longest: leads[leads.length - 1] as number },
    } satisfies AlertRuleCheck;
  };
  const checks = rules.map((rule, k) =>
    check(rule.id, rule.kind, compiledRules.titles[k] as string, (c) => (first[k] as Int32Array)[c] as number),
  );
  const any = check("any", "any", "Any of these rules", (c) => {
    let day = -1;
    for (const f of first) {
      const d = f[c] as number;
      if (d >= 0 && (day < 0 || d < day)) day = d;
    }
    return day;
  });
  const notes: string[] = [];
  if (rules.some((r) => r.kind === "renewal") && !anyRenewals && count > 0) {
    notes.push(
      "No account with an outcome has a renewal date in its window, so the renewal rule could not fire: it is not judged here",
    );
  }
  return {
    windowDays: snapshot === undefined ? options.horizonDays : null,
    words:
      snapshot === undefined
        ? `Each rule is judged on every day of the ${options.horizonDays} days before each outcome; lead time is the days from its first alert to the churn.`
        : "Each rule is judged on the snapshot day (a snapshot says who churned, not when: no lead time).",
    cases: count,
    churned,
    rules: checks,
    any,
    notes,
  };
}

/** The days of an account's observations up to `until`, over every metric, ascending. */
function dataDaysOf(portfolio: PortfolioData, index: number, until: Day): Int32Array {
  const parts: Int32Array[] = [];
  for (const series of portfolio.series.values()) {
    const lo = series.offsets[index] as number;
    const hi = series.offsets[index + 1] as number;
    if (hi > lo) parts.push(series.days.subarray(lo, hi));
  }
  const all = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  let n = all.length;
  while (n > 0 && (all[n - 1] as number) > until) n--;
  return all.subarray(0, n);
}
