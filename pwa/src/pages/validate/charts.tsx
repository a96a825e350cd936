import { useMemo } from "preact/hooks";
import type uPlot from "uplot";
import { count, percent } from "../../../../core/text/words.ts";
import type { BandOutcome, ValidationReport } from "../../../../core/validate/validate.ts";
import { Chart } from "../../components/chart.tsx";
import { asPercent, auc3, CHART } from "./format.ts";

/** The ROC curve against the diagonal of chance, with a text alternative that says what it shows. */
export function RocChart({ report }: { report: ValidationReport }) {
  const chart = useMemo(() => {
    const fpr = report.roc.map((p) => p.fpr);
    const data: uPlot.AlignedData = [fpr, report.roc.map((p) => p.tpr), fpr];
    const options: Omit<uPlot.Options, "width"> = {
      height: 260,
      legend: { live: false },
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [
        { label: "Retained accounts flagged (false alarms)", values: asPercent },
        { label: "Churned accounts caught", values: asPercent, size: 60 },
      ],
      series: [
        { label: "Flagged retained" },
        { label: "Caught churned", stroke: CHART.line, width: 2 },
        { label: "Chance", stroke: CHART.chance, dash: [5, 5], width: 1 },
      ],
    };
    return { data, options };
  }, [report]);
  if (report.roc.length === 0)
    return <p class="muted">No ROC curve: it needs churned and retained accounts with a score.</p>;
  return (
    <Chart
      options={chart.options}
      data={chart.data}
      describe={`ROC curve with an area of ${auc3(report.auc)}: the further it bows above the dashed diagonal of chance, the better the score separates churned accounts from those that stayed.`}
    />
  );
}

/** Churn rate per band as bars (colour plus grade and label), with the case counts behind each rate. */
export function BandBars({ bands }: { bands: BandOutcome[] }) {
  const max = Math.max(0.01, ...bands.map((b) => b.churnRate ?? 0));
  return (
    <table class="data band-bars">
      <caption class="visually-hidden">Churn rate per band</caption>
      <thead>
        <tr>
          <th scope="col">Band</th>
          <th scope="col" class="num">
            Accounts
          </th>
          <th scope="col" class="num">
            Churned
          </th>
          <th scope="col">Churn rate</th>
        </tr>
      </thead>
      <tbody>
        {bands.map((b) => (
          <tr key={`${b.grade}-${b.label}`}>
            <th scope="row">
              <span class={`chip chip-${b.color}`} aria-hidden="true" /> {b.grade} · {b.label}
            </th>
            <td class="num">{count(b.cases)}</td>
            <td class="num">{count(b.churned)}</td>
            <td class="bar-cell">
              <span class="rate-bar">
                <span
                  class={`rate-fill chip-${b.color}`}
                  style={{ width: `${(100 * (b.churnRate ?? 0)) / max}%` }}
                  aria-hidden="true"
                />
              </span>
              <span class="rate-text">{b.churnRate === null ? "no accounts" : percent(b.churnRate)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
