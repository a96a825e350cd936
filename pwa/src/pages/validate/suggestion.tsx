import { useState } from "preact/hooks";
import { percent, plural } from "../../../../core/text/words.ts";
import type {
  BandOutcome,
  BandSuggestion,
  FactorSuggestion,
  ValidationReport,
} from "../../../../core/validate/validate.ts";
import { handOverDraft } from "../../components/draft-handoff.ts";
import { auc3 } from "./format.ts";

const DIRECTION_WORDS: Record<FactorSuggestion["direction"], string> = {
  protects: "higher is healthier, as the scorecard assumes",
  "wrong-way": "Warning: pushes the wrong way (accounts scoring higher here churned more)",
  "no-effect": "no effect on churn in this data",
};

/** Band thresholds that split churn rates well, next to the scorecard's. */
export function BandThresholds(props: { title: string; current: BandOutcome[]; suggestion: BandSuggestion }) {
  const { suggestion } = props;
  return (
    <table class="data">
      <caption>{props.title}</caption>
      <thead>
        <tr>
          <th scope="col">Band</th>
          <th scope="col" class="num">
            From (now)
          </th>
          <th scope="col" class="num">
            From (suggested)
          </th>
          <th scope="col" class="num">
            Churn rate (suggested)
          </th>
        </tr>
      </thead>
      <tbody>
        {suggestion.bands.map((b, i) => {
          const rate = suggestion.rates[i];
          return (
            <tr key={b.grade}>
              <th scope="row">
                <span class={`chip chip-${b.color}`} aria-hidden="true" /> {b.grade} · {b.label}
              </th>
              <td class="num">{props.current.find((c) => c.grade === b.grade)?.min ?? "—"}</td>
              <td class="num">{b.min}</td>
              <td class="num">
                {rate ? `${percent(rate.churnRate)} of ${plural(rate.cases, "account", "accounts")}` : "—"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Suggested weights beside the current ones, their cross-validated AUC, and "Apply to a draft". */
export function Suggestion({ report }: { report: ValidationReport }) {
  const s = report.suggestion;
  const [withBands, setWithBands] = useState(true);
  if (!s) {
    return (
      <section class="card" aria-labelledby="suggest-title">
        <h2 id="suggest-title">Suggested weights</h2>
        <p>No suggestion: {report.suggestionNote ?? "there is not enough data to fit one"}.</p>
      </section>
    );
  }
  const cv = s.crossValidation;
  const better = cv?.currentAuc != null && cv.suggestedAuc != null && cv.suggestedAuc > cv.currentAuc;
  const apply = () => {
    if (!s.draft) return;
    const bands = withBands && s.draftBands ? s.draftBands.bands : s.draft.bands;
    handOverDraft({
      scorecardId: report.scorecardId,
      source: "Suggested by validation",
      scorecard: { ...s.draft, bands },
    });
    location.hash = `#/scorecards/${encodeURIComponent(report.scorecardId)}`;
  };
  return (
    <section class="card" aria-labelledby="suggest-title">
      <h2 id="suggest-title">Suggested weights</h2>
      <p class="muted small">
        A logistic regression of churn on each factor's normalized value, turned into points of 100. A factor that
        pushes the wrong way is flagged and left out of the suggestion, never silently dropped from the scorecard.
      </p>
      <table class="data">
        <caption class="visually-hidden">Current and suggested points of 100 per factor</caption>
        <thead>
          <tr>
            <th scope="col">Factor</th>
            <th scope="col" class="num">
              Points now
            </th>
            <th scope="col" class="num">
              Suggested
            </th>
            <th scope="col" class="num">
              AUC alone
            </th>
            <th scope="col">Effect on churn</th>
          </tr>
        </thead>
        <tbody>
          {s.factors.map((f) => (
            <tr key={f.factorId} class={f.direction === "wrong-way" ? "wrong-way" : undefined}>
              <th scope="row">{f.label}</th>
              <td class="num">{f.currentPoints.toFixed(1)}</td>
              <td class="num">{f.suggestedPoints.toFixed(1)}</td>
              <td class="num">{auc3(f.auc)}</td>
              <td class="wrap">
                {f.direction === "wrong-way" && <span aria-hidden="true">⚠ </span>}
                {DIRECTION_WORDS[f.direction]}
                {f.present < 1 && <span class="muted small"> · has data for {percent(f.present)} of accounts</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Does the suggestion predict better?</h3>
      {cv ? (
        <>
          <dl class="facts">
            <div>
              <dt>Current scorecard, out of sample</dt>
              <dd class="kpi-value" data-testid="cv-current">
                {auc3(cv.currentAuc)}
              </dd>
            </div>
            <div>
              <dt>Suggested weights, out of sample</dt>
              <dd class="kpi-value" data-testid="cv-suggested">
                {auc3(cv.suggestedAuc)}
              </dd>
            </div>
          </dl>
          <p class="small">
            AUC by {cv.folds}-fold cross-validation: the weights are fitted on {cv.folds - 1} parts of the accounts and
            judged on the part they did not see, {cv.folds} times.{" "}
            {better
              ? "The suggestion did better on accounts it had not seen."
              : "The suggestion did not beat the current weights on accounts it had not seen: treat it as a hint."}
          </p>
          {s.crossValidationNote && <p class="muted small">{s.crossValidationNote}.</p>}
        </>
      ) : (
        <p>No cross-validation: {s.crossValidationNote ?? "too few accounts"}.</p>
      )}
      {s.draftBands && (
        <BandThresholds
          title="Band thresholds for the suggested weights"
          current={report.bands}
          suggestion={s.draftBands}
        />
      )}
      {s.draft ? (
        <div class="filters apply">
          {s.draftBands && (
            <label class="check">
              <input
                type="checkbox"
                checked={withBands}
                onChange={(e) => setWithBands((e.currentTarget as HTMLInputElement).checked)}
              />{" "}
              With the suggested band thresholds
            </label>
          )}
          <button type="button" onClick={apply}>
            Apply to a draft
          </button>
          <span class="muted small">
            Opens the editor with the suggestion as unsaved changes; nothing changes until you save there.
          </span>
        </div>
      ) : (
        <p>No factor protects against churn in this data, so there is no draft to apply.</p>
      )}
    </section>
  );
}
