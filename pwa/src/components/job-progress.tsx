/** A cancellable job's progress as a section shows it: its phase, a bar, and Cancel. */
export interface SectionProgress {
  phase: string;
  pct: number;
  controller: AbortController;
}

/** The progress line of a long job on a page (a backup's export or restore, a bundle's import). */
export function SectionProgressLine({ progress }: { progress: SectionProgress }) {
  return (
    <div class="job" role="status" aria-live="polite">
      <span>{progress.phase}…</span>
      <progress max={100} value={progress.pct} aria-label={progress.phase} />
      <button type="button" class="secondary" onClick={() => progress.controller.abort()}>
        Cancel
      </button>
    </div>
  );
}
