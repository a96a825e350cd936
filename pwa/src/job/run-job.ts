/**
 * One job a page starts from a button (export, read a file, import, score the portfolio, validate a scorecard):
 * busy while it runs, how far its current step is with a way to cancel it, then its error or its notice when it
 * ends. Kept apart from Preact so the rule is tested on its own (test/pwa/run-job.test.ts); `useJob` holds the
 * state and renders it.
 */

/** How far a job's current step is: its phase in words, `done` of `total` (0 of 0 before its first report). */
export interface JobProgress {
  phase: string;
  done: number;
  total: number;
}

/** What a job shows: busy while it runs, then the error that stopped it or the notice it left (never both). */
export interface JobState {
  busy: boolean;
  error: string | null;
  /** The error is the job's cancellation, not a failure (a page may say it more quietly). */
  cancelled: boolean;
  notice: string | null;
  /** The step running now, when the job tracks one (`JobContext.track`); null between steps and at the end. */
  progress: JobProgress | null;
}

export const IDLE: JobState = { busy: false, error: null, cancelled: false, notice: null, progress: null };

/** What a worker call that reports progress and can be cancelled takes (the worker's `{ signal, onProgress }`). */
export interface Progressing<P extends string> {
  signal: AbortSignal;
  onProgress: (phase: P, done: number, total: number) => void;
}

/** What the work of a job may do while it runs. */
export interface JobContext {
  /** Leaves a notice for when the job ends. */
  say(notice: string): void;
  /** Aborted when the job is cancelled (its Cancel button, or a newer job that replaces it). */
  signal: AbortSignal;
  /**
   * Runs one step with progress: shows "Starting", then each phase the call reports in `words`, and nothing once
   * the step has ended (a last report can arrive after the call settled, through its own message port).
   * `cancelled`, when given, is what the job says if it is cancelled during this step.
   */
  track<T, P extends string>(
    words: Record<P, string>,
    call: (o: Progressing<P>) => Promise<T>,
    cancelled?: string,
  ): Promise<T>;
}

export interface JobOptions {
  /** What a cancelled job says (its AbortError's own text means nothing to a user). */
  cancelled?: string;
  /** How a failure's message is said ("Loading the demo portfolio failed: …"); the message itself by default. */
  failed?: (message: string) => string;
  /** Cancels the job: `signal` aborts and the step running now rejects with an AbortError. */
  controller?: AbortController;
}

/** The percentage to show for a step, or null when it reports no measurable total yet (none, or one step). */
export function percentOf(progress: JobProgress): number | null {
  return progress.total > 1 ? Math.round((100 * progress.done) / progress.total) : null;
}

/**
 * Runs one job: clears what the last job showed and marks it busy, then shows what it ended with: the notice it
 * left (a job that left none keeps any notice shown meanwhile by `show`), or the message of what it threw (a
 * cancelled job, an AbortError, says so in `cancelled`'s words, or those of the step it was cancelled in).
 * `set` gets each change as a patch of the state. Resolves to whether the work finished; it never rejects, so a
 * button's handler can fire and forget.
 */
export async function runJob(
  work: (job: JobContext) => Promise<void>,
  set: (patch: Partial<JobState>) => void,
  options: JobOptions = {},
): Promise<boolean> {
  const controller = options.controller ?? new AbortController();
  let cancelled = options.cancelled ?? "Cancelled: nothing was changed.";
  let notice: string | null = null;
  set({ busy: true, error: null, cancelled: false, notice: null, progress: null });
  const track = async <T, P extends string>(
    words: Record<P, string>,
    call: (o: Progressing<P>) => Promise<T>,
    stepCancelled?: string,
  ): Promise<T> => {
    if (stepCancelled !== undefined) cancelled = stepCancelled;
    let settled = false;
    set({ progress: { phase: "Starting", done: 0, total: 0 } });
    try {
      return await call({
        signal: controller.signal,
        onProgress: (phase, done, total) => {
          if (!settled && !controller.signal.aborted) set({ progress: { phase: words[phase], done, total } });
        },
      });
    } finally {
      settled = true;
      set({ progress: null });
    }
  };
  try {
    await work({
      say: (text) => {
        notice = text;
      },
      signal: controller.signal,
      track,
    });
    set(notice === null ? { busy: false } : { busy: false, notice });
    return true;
  } catch (e) {
    const error = e as Error | undefined;
    const aborted = error?.name === "AbortError";
    const message = error?.message ?? String(e);
    set({
      busy: false,
      error: aborted ? cancelled : options.failed ? options.failed(message) : message,
      cancelled: aborted,
      notice: null,
      progress: null,
    });
    return false;
  }
}

/**
 * A section's jobs, one at a time: a run started while another runs is ignored (resolves false), unless `replace`
 * is set (a job that follows its inputs, such as a validation redone when a setting changes): then the running one
 * is cancelled and nothing it does reaches `set` any more. `ended` is called when a run that was not replaced ends.
 */
export function jobRunner(
  set: (patch: Partial<JobState>) => void,
  { replace = false, ended }: { replace?: boolean; ended?: () => void } = {},
) {
  let current: AbortController | null = null;
  return {
    async run(work: (job: JobContext) => Promise<void>, options: Omit<JobOptions, "controller"> = {}) {
      if (current !== null) {
        if (!replace) return false;
        current.abort();
      }
      const controller = new AbortController();
      current = controller;
      const mine = () => current === controller;
      const ok = await runJob(
        work,
        (patch) => {
          if (mine()) set(patch);
        },
        { ...options, controller },
      );
      if (!mine()) return false;
      current = null;
      ended?.();
      return ok;
    },
    /** Cancels the run going on, if any: it ends as cancelled. */
    cancel() {
      current?.abort();
    },
  };
}
