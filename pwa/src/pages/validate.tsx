import type { OutcomeCounts } from "../../../core/worker/validation-api.ts";
import { JobProgressLine } from "../components/job-progress.tsx";
import { client, useLoad } from "../services.ts";
import { NoOutcomes } from "./validate/no-outcomes.tsx";
import { ReportView } from "./validate/report-view.tsx";
import { SettingsForm } from "./validate/settings-form.tsx";
import { useValidation } from "./validate/use-validation.ts";

/**
 * The Validate page (`#/scorecards/<id>/validate`): how well a scorecard predicted the outcomes on record, the
 * accounts it missed and the false alarms, and suggested weights and bands to try in a draft.
 */
export function ValidatePage({ id }: { id: string }) {
  const cards = useLoad(() => client.scorecards(), []);
  const outcomes = useLoad<OutcomeCounts>(() => client.outcomeCounts(), []);
  const card = cards.state === "ready" ? cards.value.find((c) => c.scorecard.id === id)?.scorecard : undefined;
  const total = outcomes.state === "ready" ? outcomes.value.total : 0;
  const { settings, setSettings, job, report, runAgain } = useValidation(id, card !== undefined && total > 0, total);

  if (cards.state === "ready" && !card) {
    return (
      <>
        <h1>Scorecard not found</h1>
        <p role="alert" class="error">
          There is no scorecard "{id}".
        </p>
        <a href="#/scorecards">Back to scorecards</a>
      </>
    );
  }
  const failed = cards.state === "error" ? cards.message : outcomes.state === "error" ? outcomes.message : null;
  return (
    <>
      <p>
        <a href="#/scorecards">← Scorecards</a>
        {card && (
          <>
            {" · "}
            <a href={`#/scorecards/${encodeURIComponent(id)}`}>Edit {card.name}</a>
          </>
        )}
      </p>
      <h1>Validate {card ? `“${card.name}”` : ""}</h1>
      <p class="muted">
        Did this scorecard see churn coming? Each account with an outcome is scored as it was before the outcome, with
        only the data known then, and the scores are compared with what happened.
      </p>
      {failed && (
        <p role="alert" class="error">
          The page could not load: {failed}
        </p>
      )}
      {(cards.state === "loading" || outcomes.state === "loading") && <p aria-busy="true">Loading…</p>}
      {outcomes.state === "ready" && total === 0 && <NoOutcomes />}
      {card && total > 0 && outcomes.state === "ready" && (
        <>
          <SettingsForm settings={settings} set={setSettings} outcomes={outcomes.value} />
          {job.progress && <JobProgressLine title="Validating" progress={job.progress} onCancel={job.cancel} />}
          {job.error !== null && (
            <div
              role={job.cancelled ? "status" : "alert"}
              class={job.cancelled ? "" : "error"}
              id={job.errorId}
              tabIndex={-1}
            >
              <p>{job.error}</p>
              <button type="button" class="secondary" onClick={runAgain}>
                Run it again
              </button>
            </div>
          )}
          {report && <ReportView report={report} />}
        </>
      )}
    </>
  );
}
