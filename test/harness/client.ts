import * as Comlink from "comlink";
import type { AccountInput } from "../../core/schema/account.ts";
import type { Outcome } from "../../core/schema/observation.ts";
import type { ScoreResult } from "../../core/schema/result.ts";
import type { ScorecardInput } from "../../core/schema/scorecard.ts";
import type { PortfolioScores, ScoreHistory } from "../../core/scoring/engine.ts";
import type { MetricColumns } from "../../core/scoring/series.ts";
import type { ValidationOptionsInput, ValidationReport } from "../../core/validate/validate.ts";
import { type ClientMode, connectWorker } from "../../core/worker/remote.ts";
import type { ProgressCallback, ScoringApiShape } from "./api.ts";
import type { ScoringApi } from "./scoring-worker.ts";
import type { PortfolioCounts, Tier } from "./synthetic.ts";
import { buffersOf } from "./transfer.ts";

/** Per-call options: a signal that cancels the job, and a progress callback (chunks done, total). */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** How to start the API: the worker to create, and the main-thread API to use when no worker starts. */
export interface ClientOptions<T extends ScoringApiShape> {
  /** Creates the worker; the default is the bundled scoring worker. */
  createWorker?: () => Worker;
  /** The same API on the main thread, used when the worker cannot start. */
  mainThread?: () => Promise<T>;
}

export type { ClientMode } from "../../core/worker/remote.ts";

/** The scoring API as the faces call it: promises, AbortSignals, and typed arrays transferred, never cloned. */
export interface ScoringClient<T extends ScoringApiShape = ScoringApi> {
  /** Starts the API if needed and says where it runs. */
  mode(): Promise<ClientMode>;
  /** Loads accounts and metric columns; the columns' buffers are transferred (unusable here afterwards). */
  load(accounts: AccountInput[], metrics: MetricColumns[], options?: CallOptions): Promise<PortfolioCounts>;
  /** Latest scores of the whole portfolio on every scorecard as of a day. */
  score(scorecards: ScorecardInput[], asOf: string, options?: CallOptions): Promise<PortfolioScores>;
  /** Daily scores of one scorecard over [from, to]. */
  history(scorecard: ScorecardInput, from: string, to: string, options?: CallOptions): Promise<ScoreHistory>;
  /** One account's explained results, primary first. */
  explain(
    accountId: string,
    scorecards: ScorecardInput[],
    asOf: string,
    overrides?: unknown[],
    options?: CallOptions,
  ): Promise<ScoreResult[]>;
  /** Validates one scorecard against outcomes (churned, renewed…) on the loaded portfolio. */
  validate(
    scorecard: ScorecardInput,
    outcomes: Outcome[],
    validation?: ValidationOptionsInput,
    options?: CallOptions,
  ): Promise<ValidationReport>;
  /** Generates and loads a synthetic portfolio of a tier inside the worker. */
  generateSynthetic(tier: Tier, seed: number, options?: CallOptions): Promise<PortfolioCounts>;
  /** The raw API (for methods the client does not wrap, such as a test worker's extras). */
  api(): Promise<Comlink.Remote<T>>;
  /** Stops the worker; the next call starts a new one (with an empty portfolio). */
  terminate(): void;
}

/**
 * Creates a client of the scoring API. The worker starts on first use; if it cannot start (no module workers,
 * a blocked script, a CSP), the same API runs on the main thread so the app still works, only less smoothly.
 */
export function createScoringClient<T extends ScoringApiShape = ScoringApi>(
  options: ClientOptions<T> = {},
): ScoringClient<T> {
  const createWorker =
    options.createWorker ?? (() => new Worker(new URL("./scoring-worker.ts", import.meta.url), { type: "module" }));
  const mainThread = options.mainThread ?? (() => import("./api.ts").then((m) => m.createScoringApi() as T));
  const { ready, job, terminate } = connectWorker<T>(createWorker, mainThread, "scoring");

  const progress = (options?: CallOptions) => (options?.onProgress ? Comlink.proxy(options.onProgress) : undefined);

  return {
    mode: async () => (await ready()).mode,
    load: (accounts, metrics, options) =>
      job(options?.signal, (remote) => {
        const buffers = buffersOf(...metrics.flatMap((m) => [m.account, m.day, m.value]));
        return remote.load(accounts, Comlink.transfer(metrics, buffers));
      }),
    score: (scorecards, asOf, options) =>
      job(options?.signal, (remote, id) => remote.score(id, scorecards, asOf, progress(options))),
    history: (scorecard, from, to, options) =>
      job(options?.signal, (remote, id) => remote.history(id, scorecard, from, to, progress(options))),
    explain: (accountId, scorecards, asOf, overrides = [], options = {}) =>
      job(options.signal, (remote) => remote.explain(accountId, scorecards, asOf, overrides)),
    validate: (scorecard, outcomes, validation = {}, options = {}) =>
      job(options.signal, (remote, id) => remote.validate(id, scorecard, outcomes, validation, progress(options))),
    generateSynthetic: (tier, seed, options) => job(options?.signal, (remote) => remote.generateSynthetic(tier, seed)),
    api: async () => (await ready()).remote,
    terminate,
  };
}
