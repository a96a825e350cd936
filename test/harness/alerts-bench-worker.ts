// The alerts benchmark's worker (npm run bench, suite "alerts"): a year of daily scores for a tier's accounts, then
// the alert rules evaluated over all of them, by core/alerts (one pass per account) and by the naive reference
// (test/reference/naive-alerts.ts: every window re-scanned for every day), in the same worker. Test-only.
import * as Comlink from "comlink";
import { type AlertHit, AlertScratch, compileAlertRules, evaluateAccountAlerts } from "../../core/alerts/evaluate.ts";
import { DEFAULT_ALERT_RULES } from "../../core/schema/alert-rule.ts";
import { parseIsoDay } from "../../core/schema/day.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { mulberry32 } from "../../core/validate/random.ts";
import { naiveAccountAlerts } from "../reference/naive-alerts.ts";

/** A seeded generator, so every run scores the same histories. */
const random = mulberry32;

const TODAY = parseIsoDay("2025-12-31") as number;
const card =
  DEFAULT_SCORECARDS.find((c) => c.id === "adoption-smb") ??
  (DEFAULT_SCORECARDS[0] as (typeof DEFAULT_SCORECARDS)[number]);
// The default rules plus a factor rule, so every kind of rule is evaluated.
const compiled = compileAlertRules(card, [
  ...DEFAULT_ALERT_RULES,
  { id: "low-factor", kind: "factor", factorId: card.factors[0]?.id ?? "", below: 0.25 },
]);

let state:
  | {
      accounts: number;
      days: number;
      scores: Float32Array;
      renewal: Int32Array;
      lastData: Int32Array;
      factorN: Float64Array;
    }
  | undefined;

function each(evaluate: (i: number, scores: Float32Array) => AlertHit[]): AlertHit[] {
  if (!state) throw new Error("generate() first");
  const hits: AlertHit[] = [];
  for (let i = 0; i < state.accounts; i++) {
    const scores = state.scores.subarray(i * state.days, (i + 1) * state.days);
    for (const h of evaluate(i, scores)) hits.push(h);
  }
  return hits;
}

function subject(i: number) {
  const s = state as NonNullable<typeof state>;
  const nf = card.factors.length;
  return {
    accountId: `acct-${i}`,
    renewal: s.renewal[i] as number,
    lastData: s.lastData[i] as number,
    factorN: s.factorN.subarray(i * nf, (i + 1) * nf),
  };
}

const api = {
  /**
   * Daily scores of `accounts` accounts over `days` days ending today: a random walk around a level, one account in
   * ten with a fall of 10–30 points on some day, a few starting late (no score before), renewals over the next
   * year, a few accounts whose data stopped.
   */
  generate(accounts: number, days: number, seed: number): { accounts: number; days: number; ms: number } {
    const t0 = performance.now();
    const rand = random(seed);
    const scores = new Float32Array(accounts * days);
    const renewal = new Int32Array(accounts);
    const lastData = new Int32Array(accounts);
    const nf = card.factors.length;
    const factorN = new Float64Array(accounts * nf);
    for (let i = 0; i < accounts; i++) {
      let level = 20 + rand() * 75;
      const start = rand() < 0.05 ? Math.floor(rand() * days) : 0;
      const fallDay = rand() < 0.1 ? Math.floor(rand() * days) : -1;
      const fall = 10 + rand() * 20;
      for (let j = 0; j < days; j++) {
        level = Math.min(100, Math.max(0, level + (rand() - 0.5) * 3 - (j === fallDay ? fall : 0)));
        scores[i * days + j] = j < start ? Number.NaN : level;
      }
      renewal[i] = TODAY + Math.floor(rand() * 365);
      lastData[i] = TODAY - (rand() < 0.03 ? 30 + Math.floor(rand() * 60) : Math.floor(rand() * 3));
      for (let f = 0; f < nf; f++) factorN[i * nf + f] = rand() < 0.1 ? Number.NaN : rand();
    }
    state = { accounts, days, scores, renewal, lastData, factorN };
    return { accounts, days, ms: performance.now() - t0 };
  },

  /** Times `runs` evaluations of every account (after `warmup` untimed ones); returns times and the alerts raised. */
  time(which: "fast" | "naive", runs: number, warmup: number): { runs: number[]; alerts: number } {
    const from = TODAY - (state?.days ?? 0) + 1;
    const scratch = new AlertScratch();
    const once = () =>
      which === "fast"
        ? each((i, scores) => evaluateAccountAlerts(compiled, subject(i), { from, scores }, TODAY, scratch))
        : each((i, scores) => naiveAccountAlerts(compiled, subject(i), { from, scores }, TODAY));
    let alerts = 0;
    for (let k = 0; k < warmup; k++) alerts = once().length;
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      alerts = once().length;
      times.push(performance.now() - t0);
    }
    return { runs: times, alerts };
  },

  /** Whether both evaluations raise the same alerts with the same words; how many of each rule kind. */
  agree(): { same: boolean; alerts: number; byKind: Record<string, number> } {
    const from = TODAY - (state?.days ?? 0) + 1;
    const fast = each((i, scores) => evaluateAccountAlerts(compiled, subject(i), { from, scores }, TODAY));
    const naive = each((i, scores) => naiveAccountAlerts(compiled, subject(i), { from, scores }, TODAY));
    const byKind: Record<string, number> = {};
    for (const h of fast) byKind[h.kind] = (byKind[h.kind] ?? 0) + 1;
    return { same: JSON.stringify(fast) === JSON.stringify(naive), alerts: fast.length, byKind };
  },
};

/** The worker's API, as the page calls it. */
export type AlertsBenchWorker = typeof api;

Comlink.expose(api);
