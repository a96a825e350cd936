import { count, percent, plural } from "../../../../core/text/words.ts";
import type { ValidationReport } from "../../../../core/validate/validate.ts";
import { WideTable } from "../../components/wide-table.tsx";
import { AlertChecks } from "./alert-checks.tsx";
import { Builder } from "./builder.tsx";
import { CaseTable } from "./case-table.tsx";
import { BandBars, RocChart } from "./charts.tsx";
import { auc3, aucWords } from "./format.ts";
import { BandThresholds, Suggestion } from "./suggestion.tsx";

/** The report: AUC and ROC, churn per band, red catch, coverage, population, misses, and the suggestion. */
export function ReportView({ report }: { report: ValidationReport }) {
  const p = report.population;
  const when =
    report.snapshotDay !== null ? `as of ${report.snapshotDay}` : `${report.horizonDays} days before their outcome`;
  if (p.cases === 0) {
    return (
      <section class="card">
        <h2>No account to judge</h2>
        <p>
          {plural(p.outcomes, "outcome is", "outcomes are")} stored, but this scorecard applies to none of their
          accounts on the day they would be scored ({when}).
          {p.unknownAccounts.count > 0 &&
            ` ${plural(p.unknownAccounts.count, "outcome names an account", "outcomes name accounts")} Vitals does not have.`}{" "}
          Try another scorecard, or another horizon.
        </p>
      </section>
    );
  }
  const kept = p.notChurned;
  return (
    <>
      <div class="kpis">
        <div class="kpi">
          <span class="kpi-value" data-testid="auc">
            {auc3(report.auc)}
          </span>
          <span class="kpi-label">ROC AUC</span>
        </div>
        <div class="kpi">
          <span class="kpi-value" data-testid="red-share">
            {percent(report.red.share)}
          </span>
          <span class="kpi-label">of churned accounts were red</span>
        </div>
        <div class="kpi">
          <span class="kpi-value">{percent(report.coverage.mean)}</span>
          <span class="kpi-label">mean coverage</span>
        </div>
        <div class="kpi">
          <span class="kpi-value">{count(p.cases)}</span>
          <span class="kpi-label">
            accounts judged ({count(p.churned)} churned, {count(kept)} stayed)
          </span>
        </div>
      </div>
      <p class="explain">{aucWords(report.auc)}</p>
      {report.auc === null && report.aucNote && (
        <p class="explain" data-testid="auc-note">
          No AUC: {report.aucNote}
        </p>
      )}
      {p.inferred && (
        <p class="explain" data-testid="inferred">
          {p.inferred.words}
        </p>
      )}
      <p class="explain">
        {report.red.share === null
          ? "No churned account had a score, so none could be caught in red."
          : `${count(report.red.caught)} of the ${plural(report.red.churned, "churned account", "churned accounts")} with a score (${percent(report.red.share)}) were in a red band ${when}: those are the ones a CSM would have been warned about.`}
      </p>
      <div class="grid-2">
        <section class="card" aria-labelledby="roc-title">
          <h2 id="roc-title">ROC curve</h2>
          <p class="muted small">
            Each point: flag every account at or below a score as at risk; up is more churn caught, right is more
            retained accounts flagged for nothing.
          </p>
          <RocChart report={report} />
        </section>
        <section class="card" aria-labelledby="bands-title">
          <h2 id="bands-title">Churn rate per band</h2>
          <p class="muted small">It should fall band by band, from the lowest band to the highest.</p>
          <WideTable label="Churn rate per band">
            <BandBars bands={report.bands} />
          </WideTable>
          {report.bandWarnings.length > 0 && (
            <ul class="warnings" aria-label="Warnings about the bands">
              {report.bandWarnings.map((w) => (
                <li key={w}>
                  <strong>Warning:</strong> {w}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="pop-title">
        <h2 id="pop-title">Who was judged</h2>
        <table class="data counts">
          <tbody>
            <tr>
              <th scope="row">Outcomes stored</th>
              <td class="num">{count(p.outcomes)}</td>
            </tr>
            <tr>
              <th scope="row">Accounts judged (their latest outcome; this scorecard applies to them)</th>
              <td class="num">{count(p.cases)}</td>
            </tr>
            <tr>
              <th scope="row">… churned</th>
              <td class="num">{count(p.churned)}</td>
            </tr>
            <tr>
              <th scope="row">… renewed / expanded / downgraded</th>
              <td class="num">
                {count(p.byKind.renewed)} / {count(p.byKind.expanded)} / {count(p.byKind.downgraded)}
              </td>
            </tr>
            <tr>
              <th scope="row">… with a score {when}</th>
              <td class="num">{count(p.scored)}</td>
            </tr>
            <tr>
              <th scope="row">… not enough data then (churned / stayed)</th>
              <td class="num">
                {count(p.nullScores.churned)} / {count(p.nullScores.notChurned)}
              </td>
            </tr>
            <tr>
              <th scope="row">Accounts this scorecard does not apply to</th>
              <td class="num">{count(p.notApplying)}</td>
            </tr>
            {p.unknownAccounts.count > 0 && (
              <tr>
                <th scope="row">Outcomes of accounts Vitals does not have</th>
                <td class="num" title={p.unknownAccounts.ids.join(", ")}>
                  {count(p.unknownAccounts.count)}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <h3>Coverage per factor</h3>
        <p class="muted small">Share of the judged accounts where the factor had data on the day they were scored.</p>
        <ul class="coverage-list">
          {report.coverage.byFactor.map((f) => (
            <li key={f.factorId}>
              {f.label}: {percent(f.present)}
            </li>
          ))}
        </ul>
      </section>
      <div class="grid-2">
        <CaseTable
          id="missed-title"
          title="Missed: churned while green"
          intro={`Accounts that churned although their score was green ${when}. What did the score not see?`}
          empty="No account churned while green."
          list={report.missed}
        />
        <CaseTable
          id="alarms-title"
          title="False alarms: red that renewed"
          intro={`Accounts that were red ${when} but renewed or expanded.`}
          empty="No red account renewed or expanded."
          list={report.falseAlarms}
        />
      </div>
      {report.bandSuggestion && (
        <section class="card" aria-labelledby="thresholds-title">
          <h2 id="thresholds-title">Suggested band thresholds</h2>
          <p class="muted small">
            Thresholds on the current scores that split the accounts into groups with the most different churn rates
            {report.bandSuggestion.falls ? " (churn falls band by band with them)" : ""}.
          </p>
          <BandThresholds
            title="Band thresholds for the current weights"
            current={report.bands}
            suggestion={report.bandSuggestion}
          />
        </section>
      )}
      <AlertChecks report={report} />
      <Suggestion report={report} />
      <Builder report={report} />
    </>
  );
}
