import type { Account } from "../schema/account.ts";
import { type Day, parseIsoDay } from "../schema/day.ts";
import type { Override } from "../schema/override.ts";
import type { ScoreResult } from "../schema/result.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { latestObservationDay } from "./aggregate.ts";
import { appliesTo, byPriority, conditionHolds } from "./applies.ts";
import { bandIndexFor, roundHalfUp } from "./bands.ts";
import { type CompiledScorecard, compileScorecard } from "./compile.ts";
import { evaluate, Workspace } from "./evaluate.ts";
import { explainRow, TOP_DRAGS } from "./explain.ts";
import { countedN } from "./missing.ts";
import { accountAt, type PortfolioData } from "./series.ts";

/** One scorecard's latest scores for the accounts it applies to, as columns (cheap to transfer and store). */
export interface ScorecardColumns {
  scorecardId: string;
  /** Indices of the accounts this scorecard applies to on the as-of day. */
  accounts: Int32Array;
  /** Unrounded score per account; NaN is null ("not enough data"). */
  score: Float64Array;
  /** Score `deltaDays` before the as-of day; NaN is null. */
  previous: Float64Array;
  coverage: Float64Array;
  /** Index into the scorecard's bands, highest first; −1 for a null score. */
  band: Int8Array;
  /** Factor indices of the top drags, TOP_DRAGS per account, −1 where fewer. */
  drags: Int16Array;
}

/** A whole portfolio's latest scores on every scorecard, plus each account's primary score and parents' roll-ups. */
export interface PortfolioScores {
  asOf: Day;
  scorecards: ScorecardColumns[];
  /** Per account: index (into `scorecards`) of the primary scorecard, or −1 when none applies. */
  primary: Int16Array;
  /** Per account: the primary score (NaN when null or none applies). */
  primaryScore: Float64Array;
  /** Per account: ARR-weighted mean of its children's primary scores; NaN when it has no scored children. */
  rollup: Float64Array;
}

/** Options for scoring a portfolio. */
export interface ScoreOptions {
  asOf: Day;
  /** Rows evaluated between checks for cancellation (and, in the worker, yields to the event loop). */
  chunkSize?: number;
}

/** Where each account's top drags come from: factor order by points lost (ties keep scorecard order). */
function writeDrags(
  compiled: CompiledScorecard,
  nAt: (factor: number) => number,
  out: Int16Array,
  offset: number,
): void {
  const { card, weights } = compiled;
  const losses: { i: number; lost: number }[] = [];
  for (let i = 0; i < card.factors.length; i++) {
    const n = countedN(nAt(i), (card.factors[i] as (typeof card.factors)[number]).missing);
    if (!Number.isNaN(n) && n < 1 - 1e-12) losses.push({ i, lost: (weights[i] as number) * (1 - n) });
  }
  losses.sort((a, b) => b.lost - a.lost || a.i - b.i);
  for (let k = 0; k < TOP_DRAGS; k++) out[offset + k] = losses[k]?.i ?? -1;
}

function* scoreSteps(
  portfolio: PortfolioData,
  scorecards: readonly Scorecard[],
  options: ScoreOptions,
): Generator<void, PortfolioScores> {
  const { asOf } = options;
  const chunkSize = options.chunkSize ?? 4096;
  const accountCount = portfolio.accounts.length;
  const results: ScorecardColumns[] = [];
  for (const card of scorecards) {
    const compiled = compileScorecard(card);
    const applying: number[] = [];
    portfolio.accounts.forEach((account, i) => {
      if (appliesTo(card, account, asOf)) applying.push(i);
    });
    const accounts = Int32Array.from(applying);
    const count = accounts.length;
    const columns: ScorecardColumns = {
      scorecardId: card.id,
      accounts,
      score: new Float64Array(count),
      previous: new Float64Array(count),
      coverage: new Float64Array(count),
      band: new Int8Array(count),
      drags: new Int16Array(count * TOP_DRAGS),
    };
    const days = Int32Array.of(asOf - card.deltaDays, asOf);
    for (let from = 0; from < count; from += chunkSize) {
      const rows = accounts.subarray(from, Math.min(count, from + chunkSize));
      const ev = evaluate(portfolio, compiled, rows, days);
      for (let r = 0; r < rows.length; r++) {
        const at = from + r;
        const score = ev.score[r * 2 + 1] as number;
        columns.score[at] = score;
        columns.previous[at] = ev.score[r * 2] as number;
        columns.coverage[at] = ev.coverage[r * 2 + 1] as number;
        columns.band[at] = bandIndexFor(compiled.bands, score);
        if (Number.isNaN(score)) columns.drags.fill(-1, at * TOP_DRAGS, (at + 1) * TOP_DRAGS);
        else writeDrags(compiled, (i) => ev.factors[i]?.n[r * 2 + 1] as number, columns.drags, at * TOP_DRAGS);
      }
      yield;
    }
    results.push(columns);
  }

  // Primary: the applying scorecard with the highest priority (ties by id).
  const order = scorecards.map((card, i) => ({ card, i })).sort((a, b) => byPriority(a.card, b.card));
  const primary = new Int16Array(accountCount).fill(-1);
  const primaryScore = new Float64Array(accountCount).fill(Number.NaN);
  const rowMaps = results.map((cols) => {
    const map = new Int32Array(accountCount).fill(-1);
    cols.accounts.forEach((a, row) => {
      map[a] = row;
    });
    return map;
  });
  for (let a = 0; a < accountCount; a++) {
    for (const { i } of order) {
      const row = rowMaps[i]?.[a] ?? -1;
      if (row >= 0) {
        primary[a] = i;
        primaryScore[a] = results[i]?.score[row] as number;
        break;
      }
    }
  }
  return { asOf, scorecards: results, primary, primaryScore, rollup: rollupScores(portfolio.accounts, primaryScore) };
}

/**
 * Roll-up of parents: the ARR-weighted mean of their children's primary scores (children with a null score are
 * left out). When no scored child has ARR, the plain mean.
 */
export function rollupScores(accounts: readonly Account[], primaryScore: Float64Array): Float64Array {
  const index = new Map(accounts.map((a, i) => [a.id, i]));
  const weighted = new Float64Array(accounts.length);
  const arr = new Float64Array(accounts.length);
  const sum = new Float64Array(accounts.length);
  const count = new Int32Array(accounts.length);
  accounts.forEach((child, c) => {
    if (child.parentId === undefined) return;
    const p = index.get(child.parentId);
    const s = primaryScore[c] as number;
    if (p === undefined || Number.isNaN(s)) return;
    const w = child.arr ?? 0;
    weighted[p] = (weighted[p] as number) + w * s;
    arr[p] = (arr[p] as number) + w;
    sum[p] = (sum[p] as number) + s;
    count[p] = (count[p] as number) + 1;
  });
  return Float64Array.from(accounts, (_, p) => {
    if ((count[p] as number) === 0) return Number.NaN;
    return (arr[p] as number) > 0
      ? (weighted[p] as number) / (arr[p] as number)
      : (sum[p] as number) / (count[p] as number);
  });
}

/** Scores every account on every scorecard as of a day, in one pass. */
export function scorePortfolio(
  portfolio: PortfolioData,
  scorecards: readonly Scorecard[],
  options: ScoreOptions,
): PortfolioScores {
  const steps = scoreSteps(portfolio, scorecards, { ...options, chunkSize: Number.POSITIVE_INFINITY });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Scores a portfolio step by step: each `next()` evaluates one chunk of accounts. The worker drives it with a
 * yield to the event loop between chunks, so a cancel message can be heard; `scorePortfolio` runs it straight.
 */
export function scorePortfolioSteps(
  portfolio: PortfolioData,
  scorecards: readonly Scorecard[],
  options: ScoreOptions,
): { steps: Generator<void, PortfolioScores>; total: number } {
  const chunkSize = options.chunkSize ?? 4096;
  return {
    steps: scoreSteps(portfolio, scorecards, options),
    total: scorecards.length * Math.ceil(portfolio.accounts.length / chunkSize),
  };
}

/** Whether an override applies on a day: from the day it was made to its expiry day, inclusive. */
export function overrideActive(override: Override, asOf: Day): boolean {
  const from = parseIsoDay(override.createdOn);
  const to = parseIsoDay(override.expiresOn);
  return from !== undefined && to !== undefined && asOf >= from && asOf <= to;
}

/**
 * Every scorecard's explained result for one account as of a day, primary first, with any active override
 * attached beside the computed score. Overrides are judged on `overridesOn` (the as-of day unless given: the app
 * passes today, since an override's expiry is a calendar day, while the data may end earlier).
 */
export function explainAccount(
  portfolio: PortfolioData,
  scorecards: readonly Scorecard[],
  accountIndex: number,
  asOf: Day,
  overrides: readonly Override[] = [],
  overridesOn: Day = asOf,
): ScoreResult[] {
  const account = accountAt(portfolio, accountIndex);
  const applying = scorecards.filter((card) => appliesTo(card, account, asOf)).sort(byPriority);
  return applying.map((card, k) => {
    const compiled = compileScorecard(card);
    const ev = evaluate(portfolio, compiled, Int32Array.of(accountIndex), Int32Array.of(asOf - card.deltaDays, asOf));
    const staleDays = card.factors.map((f) => {
      if (f.staleAfterDays === undefined || f.source.kind !== "metric") return undefined;
      const series = portfolio.series.get(f.source.metric);
      const last = series ? latestObservationDay(series, accountIndex, asOf) : undefined;
      return last === undefined ? undefined : asOf - last;
    });
    const result = explainRow(portfolio, ev, 0, { primary: k === 0, staleDays });
    const override = overrides.find(
      (o) =>
        o.accountId === account.id &&
        (o.scorecardId === undefined ? k === 0 : o.scorecardId === card.id) &&
        overrideActive(o, overridesOn),
    );
    if (override) {
      result.override = {
        ...(override.score !== undefined ? { score: override.score } : {}),
        ...(override.grade !== undefined ? { grade: override.grade } : {}),
        reason: override.reason,
        author: override.author,
        expiresOn: override.expiresOn,
      };
    }
    return result;
  });
}

/** Daily scores of one scorecard over [from, to] for the accounts it applies to; NaN where null or not applying. */
export interface ScoreHistory {
  scorecardId: string;
  from: Day;
  days: number;
  accounts: Int32Array;
  /** Row-major accounts × days. Float32 keeps a year of a 10,000-account portfolio at 15 MB. */
  score: Float32Array;
}

/** Cells (rows × days) evaluated at once by scoreHistory: bounds memory to a few MB per factor. */
const HISTORY_CHUNK_CELLS = 1 << 18;

/** The daily score series of a scorecard, rebuilt from the observations (rolling windows, never re-summed). */
export function scoreHistory(
  portfolio: PortfolioData,
  card: Scorecard,
  from: Day,
  to: Day,
  options: { chunkCells?: number } = {},
): ScoreHistory {
  if (to < from) throw new Error(`history range ends (${to}) before it starts (${from})`);
  const compiled = compileScorecard(card);
  const m = to - from + 1;
  const days = new Int32Array(m);
  for (let j = 0; j < m; j++) days[j] = from + j;
  // Tenure conditions change with the day and are applied per day below; the others do not change.
  const tenureBound = card.appliesTo.some((c) => c.kind === "tenure");
  const fixed = card.appliesTo.filter((c) => c.kind !== "tenure");
  const applying: number[] = [];
  portfolio.accounts.forEach((account, i) => {
    if (fixed.every((c) => conditionHolds(c, account, to))) applying.push(i);
  });
  const accounts = Int32Array.from(applying);
  const score = new Float32Array(accounts.length * m);
  // Rows in chunks: a factor's values for every row × day at once would be hundreds of MB at tier M.
  const chunk = Math.max(1, Math.floor((options.chunkCells ?? HISTORY_CHUNK_CELLS) / m));
  const workspace = new Workspace();
  for (let from0 = 0; from0 < accounts.length; from0 += chunk) {
    const rows = accounts.subarray(from0, Math.min(accounts.length, from0 + chunk));
    score.set(evaluate(portfolio, compiled, rows, days, workspace).score, from0 * m);
  }
  if (tenureBound) {
    accounts.forEach((a, r) => {
      const account = accountAt(portfolio, a);
      for (let j = 0; j < m; j++) if (!appliesTo(card, account, from + j)) score[r * m + j] = Number.NaN;
    });
  }
  return { scorecardId: card.id, from, days: m, accounts, score };
}

/** Shown points of an unrounded score, or null. */
export function shownPoints(score: number): number | null {
  return Number.isNaN(score) ? null : roundHalfUp(score);
}
