/**
 * One job a page starts from a button (export, read a file, import): busy while it runs, its error or its notice
 * when it ends. Kept apart from Preact so the rule is tested on its own (test/pwa/run-job.test.ts); `useJob` holds
 * the state and renders it.
 */

/** What a job shows: busy while it runs, then the error that stopped it or the notice it left (never both). */
export interface JobState {
  busy: boolean;
  error: string | null;
  notice: string | null;
}

export const IDLE: JobState = { busy: false, error: null, notice: null };

/** What the work of a job may do while it runs: leave a notice for when it ends. */
export interface JobContext {
  say(notice: string): void;
}

/**
 * Runs one job: clears what the last job showed and marks it busy, then shows what it ended with: the notice it
 * left (a job that left none keeps any notice shown meanwhile by `show`), or the message of what it threw (a
 * cancelled job, an AbortError, says so in `cancelled`'s words). `set` gets each change as a patch of the state.
 * Resolves to whether the work finished; it never rejects, so a button's handler can fire and forget.
 */
export async function runJob(
  work: (job: JobContext) => Promise<void>,
  set: (patch: Partial<JobState>) => void,
  cancelled = "Cancelled: nothing was changed.",
): Promise<boolean> {
  let notice: string | null = null;
  set({ busy: true, error: null, notice: null });
  try {
    await work({
      say: (text) => {
        notice = text;
      },
    });
    set(notice === null ? { busy: false } : { busy: false, notice });
    return true;
  } catch (e) {
    const error = e as Error | undefined;
    const message = error?.name === "AbortError" ? cancelled : (error?.message ?? String(e));
    set({ busy: false, error: message, notice: null });
    return false;
  }
}
