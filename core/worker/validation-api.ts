import * as Comlink from "comlink";
import { issuesOf } from "../schema/issues.ts";
import { Outcome, type OutcomeKind } from "../schema/observation.ts";
import { Scorecard } from "../schema/scorecard.ts";
import type { VitalsDb } from "../store/db.ts";
import { loadPortfolio, portfolioDataOf } from "../store/portfolio.ts";
import { ValidationOptions, type ValidationReport, validateSteps } from "../validate/validate.ts";
import { namedError, yieldToEventLoop } from "./runtime/errors.ts";

/** Where a validation is: reading the store, or scoring the accounts and fitting the suggestion. */
export type ValidationPhase = "reading" | "validating";
/** Progress of a validation: its phase, and steps done out of the total in that phase. */
export type ValidationProgress = (phase: ValidationPhase, done: number, total: number) => void | Promise<void>;

/** The outcomes the store holds, for the Validate page to tell "nothing to validate against" before it runs. */
export interface OutcomeCounts {
  total: number;
  byKind: Record<OutcomeKind, number>;
  /** Stored rows that are not valid outcomes (left out of validation). */
  invalid: number;
  /** First and last outcome day (null without outcomes). */
  from: string | null;
  to: string | null;
  /** The day most outcomes share (a snapshot file's day), or null without outcomes. */
  commonestDay: string | null;
}

/**
 * The validation API the app's Validate page calls (in the data worker): reads the accounts, their observations,
 * the outcomes and a live scorecard from the store and validates the scorecard with core/validate (docs/scoring.md,
 * "Validation"), in steps that report progress and stop when `cancel(jobId)` is called. It writes nothing: a
 * suggestion goes back to the page, which may open it in the editor as an unsaved draft.
 */
export function createValidationApi(openDb: () => VitalsDb) {
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openDb();
    return db;
  };
  const jobs = new Map<string, { cancelled: boolean }>();

  /** Every stored outcome read back through the schema; rows that do not parse are counted, not used. */
  async function storedOutcomes(): Promise<{ outcomes: Outcome[]; invalid: number }> {
    const outcomes: Outcome[] = [];
    let invalid = 0;
    for (const row of await store().outcomes.toArray()) {
      const parsed = Outcome.safeParse(row);
      if (parsed.success) outcomes.push(parsed.data);
      else invalid++;
    }
    return { outcomes, invalid };
  }

  return {
    /** How many outcomes the store holds, by kind, and over which days. */
    async outcomeCounts(): Promise<OutcomeCounts> {
      const { outcomes, invalid } = await storedOutcomes();
      const byKind: Record<OutcomeKind, number> = { churned: 0, renewed: 0, expanded: 0, downgraded: 0 };
      const days = new Map<string, number>();
      let from: string | null = null;
      let to: string | null = null;
      for (const o of outcomes) {
        byKind[o.kind]++;
        days.set(o.day, (days.get(o.day) ?? 0) + 1);
        if (from === null || o.day < from) from = o.day;
        if (to === null || o.day > to) to = o.day;
      }
      let commonestDay: string | null = null;
      let most = 0;
      for (const [day, count] of days) {
        if (count > most || (count === most && commonestDay !== null && day > commonestDay)) {
          commonestDay = day;
          most = count;
        }
      }
      return { total: outcomes.length, byKind, invalid, from, to, commonestDay };
    },

    /**
     * Validates a live scorecard against the stored outcomes: each account scored as of its outcome's day minus
     * the horizon (or a snapshot day), AUC and ROC, churn by band, missed accounts and false alarms, suggested
     * weights and bands with their cross-validated AUC. An InputError names a bad option or an unknown scorecard;
     * a cancel rejects with an AbortError.
     */
    async validateScorecard(
      jobId: string,
      scorecardId: string,
      options: unknown = {},
      onProgress?: ValidationProgress,
    ): Promise<ValidationReport> {
      const parsedOptions = ValidationOptions.safeParse(options);
      if (!parsedOptions.success) {
        const lines = issuesOf(parsedOptions.error).map((i) => `${i.path.replace(/^\$\.?/, "")}: ${i.message}`);
        throw namedError("InputError", lines.join("\n"));
      }
      if (jobs.has(jobId)) throw namedError("InputError", `job "${jobId}" is already running`);
      const job = { cancelled: false };
      jobs.set(jobId, job);
      const check = () => {
        if (job.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
      };
      // A progress proxy's promise is not awaited: a slow page must not slow the job down.
      const report = (phase: ValidationPhase, done: number, total: number) => {
        if (onProgress) Promise.resolve(onProgress(phase, done, total)).catch(() => undefined);
      };
      try {
        report("reading", 0, 1);
        const row = await store().scorecards.get(scorecardId);
        if (!row) throw namedError("InputError", `there is no scorecard "${scorecardId}"`);
        const card = Scorecard.parse(row.scorecard);
        const [stored, { outcomes }] = await Promise.all([loadPortfolio(store()), storedOutcomes()]);
        report("reading", 1, 1);
        await yieldToEventLoop();
        check();
        const { steps, total } = validateSteps(portfolioDataOf(stored), card, outcomes, parsedOptions.data);
        let done = 0;
        for (;;) {
          const step = steps.next();
          if (step.done) return step.value;
          report("validating", Math.min(++done, total), total);
          await yieldToEventLoop();
          check();
        }
      } finally {
        jobs.delete(jobId);
        // A progress callback from another thread is a Comlink proxy holding a MessagePort: let it go.
        const release = (onProgress as { [Comlink.releaseProxy]?: unknown } | undefined)?.[Comlink.releaseProxy];
        if (typeof release === "function") release();
      }
    },

    /** Asks a running validation to stop; true when it was running. Its promise rejects with an AbortError. */
    async cancel(jobId: string): Promise<boolean> {
      const job = jobs.get(jobId);
      if (job) job.cancelled = true;
      return job !== undefined;
    },

    /** Closes the database connection. */
    async close(): Promise<void> {
      db?.close();
      db = undefined;
    },
  };
}

/** The validation API's type, as clients see it. */
export type ValidationApi = ReturnType<typeof createValidationApi>;
