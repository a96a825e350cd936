import * as Comlink from "comlink";
import { z } from "zod";
import { Account, type AccountInput } from "../../core/schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../../core/schema/day.ts";
import { issuesOf } from "../../core/schema/issues.ts";
import { MetricName, Outcome } from "../../core/schema/observation.ts";
import { Override } from "../../core/schema/override.ts";
import type { ScoreResult } from "../../core/schema/result.ts";
import { Scorecard, type ScorecardInput } from "../../core/schema/scorecard.ts";
import { appliesTo, conditionHolds } from "../../core/scoring/applies.ts";
import { compileScorecard } from "../../core/scoring/compile.ts";
import {
  explainAccount,
  type PortfolioScores,
  type ScoreHistory,
  scorePortfolioSteps,
} from "../../core/scoring/engine.ts";
import { evaluate, Workspace } from "../../core/scoring/evaluate.ts";
import {
  accountAt,
  type MetricColumns,
  type MetricSeries,
  type PortfolioData,
  seriesFromColumns,
} from "../../core/scoring/series.ts";
import {
  ValidationOptions,
  type ValidationOptionsInput,
  type ValidationReport,
  validateSteps,
} from "../../core/validate/validate.ts";
import { namedError, yieldToEventLoop } from "../../core/worker/runtime/errors.ts";
import { type PortfolioCounts, syntheticAccounts, syntheticMetric, TIERS, type Tier } from "./synthetic.ts";
import { buffersOf } from "./transfer.ts";

/** Called after each chunk of work: chunks done so far, out of the total. May be a Comlink proxy (then async). */
export type ProgressCallback = (done: number, total: number) => void | Promise<void>;

/** What the scoring API holds between calls; a worker has one, tests may make their own. */
export interface ScoringState {
  portfolio?: PortfolioData;
}

/** Accounts scored per chunk: a chunk takes a few milliseconds, so a cancel is heard quickly. */
const SCORE_CHUNK = 4096;
/** Account × day cells per history chunk (≈ 2 MB per factor array), bounding memory for any portfolio size. */
const HISTORY_CELLS = 262_144;

function parseScorecards(input: unknown): Scorecard[] {
  const parsed = z.array(Scorecard).min(1, "give at least one scorecard").safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = issuesOf(parsed.error).map((i) => `${i.path.replace(/^\$/, "scorecards")}: ${i.message}`);
  throw namedError("InputError", `invalid scorecards:\n${lines.join("\n")}`);
}

function parseDay(text: string, what: string): Day {
  const day = typeof text === "string" ? parseIsoDay(text) : undefined;
  if (day === undefined)
    throw namedError("InputError", `${what} must be a date as YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return day;
}

function scoresBuffers(scores: PortfolioScores): ArrayBuffer[] {
  return buffersOf(
    scores.primary,
    scores.primaryScore,
    scores.rollup,
    ...scores.scorecards.flatMap((c) => [c.accounts, c.score, c.previous, c.coverage, c.band, c.drags]),
  );
}

function countsOf(portfolio: PortfolioData): PortfolioCounts {
  let observations = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const series of portfolio.series.values()) {
    observations += series.days.length;
    for (let a = 0; a + 1 < series.offsets.length; a++) {
      const start = series.offsets[a] as number;
      const end = series.offsets[a + 1] as number;
      if (end > start) {
        first = Math.min(first, series.days[start] as number);
        last = Math.max(last, series.days[end - 1] as number);
      }
    }
  }
  return {
    accounts: portfolio.accounts.length,
    metrics: [...portfolio.series.keys()].sort(),
    observations,
    from: Number.isFinite(first) ? formatDay(first) : "",
    to: Number.isFinite(last) ? formatDay(last) : "",
  };
}

/**
 * The scoring API, shaped for bulk work: columns in, columns out, typed arrays transferred both ways, long jobs
 * in chunks that yield to the event loop and stop when cancelled. The worker exposes one with Comlink; the client
 * runs one on the main thread when no worker can start.
 */
export function createScoringApi(state: ScoringState = {}) {
  /** Jobs running now, by id; `cancel` flips the flag, the job checks it between chunks. */
  const jobs = new Map<string, { cancelled: boolean }>();

  function loaded(): PortfolioData {
    if (!state.portfolio)
      throw namedError("InputError", "no portfolio loaded: call load() or generateSynthetic() first");
    return state.portfolio;
  }

  /** Runs a job's steps, yielding between chunks; rejects with an AbortError once `cancel(jobId)` was called. */
  async function runJob<T>(jobId: string, steps: Generator<void, T>, total: number, onProgress?: ProgressCallback) {
    if (jobs.has(jobId)) throw namedError("InputError", `job "${jobId}" is already running`);
    const job = { cancelled: false };
    jobs.set(jobId, job);
    try {
      let done = 0;
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        done++;
        // A progress proxy's promise is not awaited: a slow page must not slow the job down.
        if (onProgress) Promise.resolve(onProgress(done, total)).catch(() => undefined);
        await yieldToEventLoop();
        if (job.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
      }
    } finally {
      jobs.delete(jobId);
      // A progress callback from another thread arrives as a Comlink proxy holding a MessagePort: let it go.
      const release = (onProgress as { [Comlink.releaseProxy]?: unknown } | undefined)?.[Comlink.releaseProxy];
      if (typeof release === "function") release();
    }
  }

  /** Daily scores in chunks of accounts, with the same rules as the engine's `scoreHistory`. */
  function* historySteps(portfolio: PortfolioData, card: Scorecard, from: Day, to: Day): Generator<void, ScoreHistory> {
    const compiled = compileScorecard(card);
    const m = to - from + 1;
    const days = Int32Array.from({ length: m }, (_, j) => from + j);
    const tenureBound = card.appliesTo.some((c) => c.kind === "tenure");
    const fixed = card.appliesTo.filter((c) => c.kind !== "tenure");
    const applying: number[] = [];
    portfolio.accounts.forEach((account, i) => {
      if (fixed.every((c) => conditionHolds(c, account, to))) applying.push(i);
    });
    const accounts = Int32Array.from(applying);
    const score = new Float32Array(accounts.length * m);
    const rowsPerChunk = Math.max(1, Math.floor(HISTORY_CELLS / m));
    const workspace = new Workspace();
    for (let r0 = 0; r0 < accounts.length; r0 += rowsPerChunk) {
      const rows = accounts.subarray(r0, Math.min(accounts.length, r0 + rowsPerChunk));
      score.set(evaluate(portfolio, compiled, rows, days, workspace).score, r0 * m);
      if (tenureBound) {
        rows.forEach((a, r) => {
          const account = accountAt(portfolio, a);
          for (let j = 0; j < m; j++) if (!appliesTo(card, account, from + j)) score[(r0 + r) * m + j] = Number.NaN;
        });
      }
      yield;
    }
    return { scorecardId: card.id, from, days: m, accounts, score };
  }

  const api = {
    /** Answers once the API is up (the client's readiness check). */
    async ping(): Promise<"pong"> {
      return "pong";
    },

    /**
     * Loads a portfolio: accounts, and per metric the observations as columns whose buffers the caller transferred.
     * Replaces any portfolio loaded before.
     */
    async load(accounts: AccountInput[], metrics: MetricColumns[]): Promise<PortfolioCounts> {
      const parsed = z.array(Account).safeParse(accounts);
      if (!parsed.success) {
        const lines = issuesOf(parsed.error).map((i) => `${i.path.replace(/^\$/, "accounts")}: ${i.message}`);
        throw namedError("InputError", `invalid accounts:\n${lines.join("\n")}`);
      }
      const accountIndex = new Map<string, number>();
      parsed.data.forEach((a, i) => {
        if (accountIndex.has(a.id)) throw namedError("InputError", `account id "${a.id}" appears twice`);
        accountIndex.set(a.id, i);
      });
      const series = new Map<string, MetricSeries>();
      for (const columns of metrics) {
        const name = MetricName.safeParse(columns.metric);
        if (!name.success)
          throw namedError("InputError", `metric ${JSON.stringify(columns.metric)}: ${name.error.issues[0]?.message}`);
        if (series.has(columns.metric)) throw namedError("InputError", `metric "${columns.metric}" is given twice`);
        if (
          !(
            columns.account instanceof Int32Array &&
            columns.day instanceof Int32Array &&
            columns.value instanceof Float64Array
          )
        ) {
          throw namedError(
            "InputError",
            `metric "${columns.metric}": columns must be Int32Array, Int32Array, Float64Array`,
          );
        }
        try {
          series.set(columns.metric, seriesFromColumns(parsed.data.length, columns));
        } catch (error) {
          throw namedError("InputError", (error as Error).message);
        }
      }
      state.portfolio = { accounts: parsed.data, accountIndex, series };
      return countsOf(state.portfolio);
    },

    /**
     * Latest scores of every account on every scorecard as of a day, with primary scores and roll-ups. Runs in
     * chunks; `cancel(jobId)` stops it with an AbortError. The result's typed arrays are transferred.
     */
    async score(
      jobId: string,
      scorecards: ScorecardInput[],
      asOf: string,
      onProgress?: ProgressCallback,
    ): Promise<PortfolioScores> {
      const cards = parseScorecards(scorecards);
      const day = parseDay(asOf, "asOf");
      const portfolio = loaded();
      const { steps, total } = scorePortfolioSteps(portfolio, cards, { asOf: day, chunkSize: SCORE_CHUNK });
      const result = await runJob(jobId, steps, total, onProgress);
      return Comlink.transfer(result, scoresBuffers(result));
    },

    /** Daily scores of one scorecard over [from, to] (inclusive) for the accounts it applies to; transferred. */
    async history(
      jobId: string,
      scorecard: ScorecardInput,
      from: string,
      to: string,
      onProgress?: ProgressCallback,
    ): Promise<ScoreHistory> {
      const [card] = parseScorecards([scorecard]);
      const first = parseDay(from, "from");
      const last = parseDay(to, "to");
      if (last < first) throw namedError("InputError", `history range ends (${to}) before it starts (${from})`);
      const portfolio = loaded();
      const rowsPerChunk = Math.max(1, Math.floor(HISTORY_CELLS / (last - first + 1)));
      const total = Math.max(1, Math.ceil(portfolio.accounts.length / rowsPerChunk));
      const result = await runJob(jobId, historySteps(portfolio, card as Scorecard, first, last), total, onProgress);
      return Comlink.transfer(result, buffersOf(result.accounts, result.score));
    },

    /** Every applying scorecard's explained result for one account, primary first, overrides attached. */
    async explain(
      accountId: string,
      scorecards: ScorecardInput[],
      asOf: string,
      overrides: unknown[] = [],
    ): Promise<ScoreResult[]> {
      const cards = parseScorecards(scorecards);
      const day = parseDay(asOf, "asOf");
      const parsedOverrides = z.array(Override).safeParse(overrides);
      if (!parsedOverrides.success) {
        const lines = issuesOf(parsedOverrides.error).map((i) => `${i.path.replace(/^\$/, "overrides")}: ${i.message}`);
        throw namedError("InputError", `invalid overrides:\n${lines.join("\n")}`);
      }
      const portfolio = loaded();
      const index = portfolio.accountIndex.get(accountId);
      if (index === undefined) throw namedError("InputError", `no account with id "${accountId}"`);
      return explainAccount(portfolio, cards, index, day, parsedOverrides.data);
    },

    /**
     * Validates one scorecard against outcomes on the loaded portfolio (docs/scoring.md, "Validation"): AUC, churn by
     * band, missed accounts and false alarms, and suggested weights with their cross-validated AUC. Runs in steps;
     * `cancel(jobId)` stops it with an AbortError.
     */
    async validate(
      jobId: string,
      scorecard: ScorecardInput,
      outcomes: unknown[],
      options: ValidationOptionsInput = {},
      onProgress?: ProgressCallback,
    ): Promise<ValidationReport> {
      const [card] = parseScorecards([scorecard]);
      const parsedOutcomes = z.array(Outcome).safeParse(outcomes);
      if (!parsedOutcomes.success) {
        const lines = issuesOf(parsedOutcomes.error).map((i) => `${i.path.replace(/^\$/, "outcomes")}: ${i.message}`);
        throw namedError("InputError", `invalid outcomes:\n${lines.join("\n")}`);
      }
      const parsedOptions = ValidationOptions.safeParse(options);
      if (!parsedOptions.success) {
        const lines = issuesOf(parsedOptions.error).map((i) => `${i.path.replace(/^\$/, "options")}: ${i.message}`);
        throw namedError("InputError", `invalid validation options:\n${lines.join("\n")}`);
      }
      const { steps, total } = validateSteps(loaded(), card as Scorecard, parsedOutcomes.data, parsedOptions.data);
      return runJob(jobId, steps, total, onProgress);
    },

    /** Asks a running job to stop; true when the job was running. The job rejects with an AbortError. */
    async cancel(jobId: string): Promise<boolean> {
      const job = jobs.get(jobId);
      if (job) job.cancelled = true;
      return job !== undefined;
    },

    /**
     * Generates a deterministic synthetic portfolio of a tier here, one metric at a time, and loads it (so a
     * benchmark never ships tens of millions of points between threads).
     */
    async generateSynthetic(tier: Tier, seed: number): Promise<PortfolioCounts> {
      const size = TIERS[tier];
      if (!size) throw namedError("InputError", `tier must be S, M or L, got ${JSON.stringify(tier)}`);
      state.portfolio = undefined; // let the previous portfolio go before building the next
      const accounts = syntheticAccounts(size, seed);
      const series = new Map<string, MetricSeries>();
      for (let i = 0; i < size.metrics; i++) {
        const columns = syntheticMetric(size, seed, i);
        series.set(columns.metric, seriesFromColumns(accounts.length, columns));
      }
      state.portfolio = { accounts, accountIndex: new Map(accounts.map((a, i) => [a.id, i])), series };
      return countsOf(state.portfolio);
    },

    /** Counts of the loaded portfolio, or null when none is loaded. */
    async info(): Promise<PortfolioCounts | null> {
      return state.portfolio ? countsOf(state.portfolio) : null;
    },
  };
  return api;
}

/** The scoring API's type, as the client and the faces see it. */
export type ScoringApiShape = ReturnType<typeof createScoringApi>;
