import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { focusWhenShown } from "../components/focus.tsx";
import { IDLE, type JobContext, type JobState, runJob } from "./run-job.ts";

/**
 * A section's jobs (issue 19): `run` starts one (ignored while another runs), `busy` disables its buttons, and
 * `view` shows how the last one ended, its error in an alert or its notice in a status line, with focus moved
 * there (issue 18: focus goes to an action's result, not the page's body). `name` makes the two ids unique on a page
 * (`<name>-error`, `<name>-notice`).
 */
export function useJob(name: string) {
  const [state, setState] = useState<JobState>(IDLE);
  const latest = useRef<JobState>(IDLE);
  const running = useRef(false);
  const patch = (p: Partial<JobState>) => {
    latest.current = { ...latest.current, ...p };
    setState(latest.current);
  };
  const errorId = `${name}-error`;
  const noticeId = `${name}-notice`;
  const run = async (work: (job: JobContext) => Promise<void>): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    try {
      const ok = await runJob(work, patch);
      const ended = latest.current;
      if (ended.error !== null) focusWhenShown(errorId);
      else if (ended.notice !== null) focusWhenShown(noticeId, (el) => el.textContent === ended.notice);
      return ok;
    } finally {
      running.current = false;
    }
  };
  /** Shows an error or a notice that no job produced (a check before a job starts, an outside step's end). */
  const show = (next: { error?: string | null; notice?: string | null }) =>
    patch({ error: next.error ?? null, notice: next.notice ?? null });
  const view: JSX.Element = (
    <>
      {state.error !== null && (
        <p role="alert" class="error wrap" id={errorId} tabIndex={-1}>
          {state.error}
        </p>
      )}
      {state.notice !== null && (
        <p role="status" id={noticeId} tabIndex={-1}>
          {state.notice}
        </p>
      )}
    </>
  );
  return { busy: state.busy, error: state.error, notice: state.notice, run, show, view };
}
