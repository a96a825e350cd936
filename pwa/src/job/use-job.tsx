import type { JSX } from "preact";
import { useRef, useState } from "preact/hooks";
import { focusWhenShown } from "../components/focus.tsx";
import { JobProgressLine } from "../components/job-progress.tsx";
import { IDLE, type JobState, jobRunner } from "./run-job.ts";

/**
 * A section's jobs (issue 19): `run` starts one (see `jobRunner` for one started while another runs, and
 * `replace`), `busy` disables its buttons, `cancel` stops the one running, and `view` shows its progress line while
 * a step runs (`JobContext.track`), then how it ended, its error in an alert or its notice in a status line, with
 * focus moved there (issue 18: focus goes to an action's result, not the page's body). `name` makes the two ids
 * unique on a page (`<name>-error`, `<name>-notice`).
 */
export function useJob(name: string, options: { replace?: boolean } = {}) {
  const [state, setState] = useState<JobState>(IDLE);
  const latest = useRef<JobState>(IDLE);
  const errorId = `${name}-error`;
  const noticeId = `${name}-notice`;
  const patch = (p: Partial<JobState>) => {
    latest.current = { ...latest.current, ...p };
    setState(latest.current);
  };
  const runner = useRef<ReturnType<typeof jobRunner> | null>(null);
  runner.current ??= jobRunner(patch, {
    replace: options.replace,
    ended: () => {
      const ended = latest.current;
      if (ended.error !== null) focusWhenShown(errorId);
      else if (ended.notice !== null) focusWhenShown(noticeId, (el) => el.textContent === ended.notice);
    },
  });
  const { run, cancel } = runner.current;
  /** Shows an error or a notice that no job produced (a check before a job starts, an outside step's end). */
  const show = (next: { error?: string | null; notice?: string | null }) =>
    patch({ error: next.error ?? null, cancelled: false, notice: next.notice ?? null });
  const view: JSX.Element = (
    <>
      {state.progress !== null && <JobProgressLine progress={state.progress} onCancel={cancel} />}
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
  return { ...state, errorId, run, cancel, show, view };
}
