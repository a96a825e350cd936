import { count, percent, plural } from "../../../../core/text/words.ts";
import type { AlertRuleCheck, AlertValidation } from "../../../../core/validate/alerts.ts";
import type { ValidationReport } from "../../../../core/validate/validate.ts";
import { WideTable } from "../../components/wide-table.tsx";

/** Each alert rule against the outcomes: how many it alerted, how many of them churned, and how early. */
export function AlertChecks({ report }: { report: ValidationReport }) {
  const a: AlertValidation | null = report.alerts;
  const lead = (x: AlertRuleCheck) =>
    x.leadDays === null
      ? "—"
      : x.leadDays.shortest === x.leadDays.longest
        ? `${x.leadDays.median} days`
        : `${x.leadDays.median} days (${x.leadDays.shortest}–${x.leadDays.longest})`;
  const row = (x: AlertRuleCheck, total: AlertValidation) => (
    <tr key={x.ruleId}>
      <th scope="row">{x.title}</th>
      <td class="num">
        {count(x.alerted)} ({percent(x.alertedShare)})
      </td>
      <td class="num">
        {count(x.caught)} of {count(total.churned)}
      </td>
      <td class="num">{count(x.falseAlarms)}</td>
      <td class="num">{percent(x.precision)}</td>
      <td class="num">{percent(x.recall)}</td>
      <td class="num">{lead(x)}</td>
    </tr>
  );
  return (
    <section class="card" aria-labelledby="alert-checks-title">
      <h2 id="alert-checks-title">Alert rules against the outcomes</h2>
      {a === null ? (
        <p>This scorecard's alerts are turned off, so there is nothing to judge.</p>
      ) : a.cases === 0 ? (
        <p>No account with an outcome to judge the alert rules on.</p>
      ) : (
        <>
          <p class="muted small">
            {a.words} Precision: of the accounts a rule alerted, how many churned. Recall: of the{" "}
            {plural(a.churned, "churned account", "churned accounts")}, how many it alerted.
          </p>
          <WideTable label="Alert rules: precision, recall and lead time">
            <table class="data">
              <caption class="visually-hidden">Alert rules: precision, recall and lead time</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col" class="num">
                    Alerted
                  </th>
                  <th scope="col" class="num">
                    Caught
                  </th>
                  <th scope="col" class="num">
                    False alarms
                  </th>
                  <th scope="col" class="num">
                    Precision
                  </th>
                  <th scope="col" class="num">
                    Recall
                  </th>
                  <th scope="col" class="num">
                    Lead time
                  </th>
                </tr>
              </thead>
              <tbody>
                {a.rules.map((x) => row(x, a))}
                {a.rules.length > 1 && row(a.any, a)}
              </tbody>
            </table>
          </WideTable>
          {a.notes.length > 0 && (
            <ul class="warnings" aria-label="Notes about the alert rules">
              {a.notes.map((n) => (
                <li key={n}>{n}.</li>
              ))}
            </ul>
          )}
          <p class="muted small">
            Change the rules on the <a href="#/alerts/rules">alert rules page</a>.
          </p>
        </>
      )}
    </section>
  );
}
