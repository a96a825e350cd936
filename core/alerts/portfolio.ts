import type { Account } from "../schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { lastDataDays } from "../scoring/as-of.ts";
import { compileScorecard } from "../scoring/compile.ts";
import type { ScoreHistory } from "../scoring/engine.ts";
import { evaluate } from "../scoring/evaluate.ts";
import type { PortfolioData } from "../scoring/series.ts";
import {
  type AlertHit,
  AlertScratch,
  type AlertSubject,
  compileAlertRules,
  evaluateAccountAlerts,
} from "./evaluate.ts";

/** What the portfolio's alert evaluation reads: the scored portfolio as the worker holds it. */
export interface PortfolioAlertInput {
  /** The portfolio as scored (ratings included): factor rules read its n values. */
  portfolio: PortfolioData;
  /** The imported observations alone (no ratings): data gaps are gaps in them. The scored portfolio when absent. */
  imported?: PortfolioData;
  scorecards: readonly Scorecard[];
  /** Per account: index of its primary scorecard, −1 when none applies. */
  primary: ArrayLike<number>;
  /** Daily score history per scorecard id, ending on the as-of day. */
  histories: ReadonlyMap<string, ScoreHistory>;
  /** The day everything is judged on, renewals and data gaps included. */
  asOf: Day;
  /** The imported data's last day (null: none): a data gap counts up to it at most. */
  dataEnd: Day | null;
  /** Ids of accounts that have churned (`churnedAccounts`): gone, so no rule alerts about them. */
  churned?: ReadonlySet<string>;
}

/**
 * The accounts that have churned as of a day: their latest outcome on or before it is "churned" (on one day, churned
 * wins). An account that churned and later renewed or came back is not gone.
 */
export function churnedAccounts(
  outcomes: readonly { accountId: string; day: string; kind: string }[],
  asOf: Day,
): Set<string> {
  const latest = new Map<string, { day: string; kind: string }>();
  const until = formatDay(asOf);
  for (const o of outcomes) {
    if (o.day > until) continue;
    const seen = latest.get(o.accountId);
    if (!seen || o.day > seen.day || (o.day === seen.day && o.kind === "churned")) latest.set(o.accountId, o);
  }
  return new Set([...latest].filter(([, o]) => o.kind === "churned").map(([id]) => id));
}

/**
 * Every alert rule that holds for an account as of the as-of day. An account is judged by the rules of the
 * scorecard that gives its primary score (the one on its badge) on that scorecard's history, so one drop raises one
 * alert, not one per scorecard that applies. An account that has churned raises none (issue 15: every churned
 * account of the demo kept a "no new data" alert open).
 */
export function portfolioAlerts(input: PortfolioAlertInput): AlertHit[] {
  const { portfolio, scorecards, primary, histories, asOf, dataEnd } = input;
  const accounts = portfolio.accounts;
  const lastData = lastDataDays(input.imported ?? portfolio, asOf);
  const scratch = new AlertScratch();
  const hits: AlertHit[] = [];
  scorecards.forEach((card, k) => {
    const compiled = compileAlertRules(card);
    if (compiled.rules.length === 0) return;
    const history = histories.get(card.id);
    const rowOf = new Map<number, number>();
    history?.accounts.forEach((a, r) => {
      rowOf.set(a, r);
    });
    const rows: number[] = [];
    for (let a = 0; a < accounts.length; a++) {
      if (primary[a] === k && !input.churned?.has((accounts[a] as Account).id)) rows.push(a);
    }
    // The factors' n on the as-of day, only when a rule reads them: one more scoring of one day for these accounts.
    let factorN: Float64Array[] | undefined;
    if (compiled.factorIndex.some((i) => i >= 0) && rows.length > 0) {
      const ev = evaluate(portfolio, compileScorecard(card), Int32Array.from(rows), Int32Array.of(asOf));
      factorN = ev.factors.map((f) => f.n);
    }
    const empty = new Float32Array(0);
    const nOf = new Float64Array(card.factors.length);
    rows.forEach((a, i) => {
      const account = accounts[a] as Account;
      const r = rowOf.get(a);
      const scores =
        history && r !== undefined ? history.score.subarray(r * history.days, (r + 1) * history.days) : empty;
      const subject: AlertSubject = { accountId: account.id };
      const renewal = account.renewalDate === undefined ? undefined : parseIsoDay(account.renewalDate);
      if (renewal !== undefined) subject.renewal = renewal;
      if ((lastData[a] as number) >= 0) subject.lastData = lastData[a] as number;
      if (dataEnd !== null) subject.dataEnd = dataEnd;
      if (factorN) {
        for (let f = 0; f < nOf.length; f++) nOf[f] = factorN[f]?.[i] ?? Number.NaN;
        subject.factorN = nOf;
      }
      // An account without history still gets the rules that do not read scores (renewal reads no score as not green).
      const daily = { from: history ? history.from : asOf, scores };
      for (const h of evaluateAccountAlerts(compiled, subject, daily, asOf, scratch)) hits.push(h);
    });
  });
  return hits;
}
