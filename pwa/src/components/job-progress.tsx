import { type JobProgress, percentOf } from "../job/run-job.ts";

/**
 * The progress line of a long job (a bundle's import, a backup, the demo portfolio, a validation): its title when
 * the page names it, its phase with a percentage once the step reports one, a bar, and Cancel.
 */
export function JobProgressLine(props: { title?: string; progress: JobProgress; onCancel: () => void }) {
  const { phase } = props.progress;
  const pct = percentOf(props.progress);
  return (
    <div class="job" role="status" aria-live="polite">
      {props.title !== undefined && <strong>{props.title}</strong>}
      <span>
        {phase}
        {pct === null ? "…" : ` (${pct}%)`}
      </span>
      <progress max={100} value={pct ?? undefined} aria-label={phase} />
      <button type="button" class="secondary" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
