import { parseIsoDay } from "../../../core/schema/day.ts";
import { count } from "../../../core/text/words.ts";
import { client, useLoad } from "../services.ts";
import { WideTable } from "./wide-table.tsx";

/**
 * Each metric's first and last day in the imported data, so a source that stopped (a usage feed that ended, tickets
 * exported once) is seen per source; the portfolio's as-of day is the latest of these last days by default.
 */
export function DataSourcesPanel() {
  const loaded = useLoad(() => client.dataSources(), []);
  if (loaded.state !== "ready" || loaded.value.metrics.length === 0) return null;
  const { metrics, today, dataEnd } = loaded.value;
  const daysAgo = (day: string) => (parseIsoDay(today) ?? 0) - (parseIsoDay(day) ?? 0);
  return (
    <section class="card" aria-labelledby="sources-title">
      <h2 id="sources-title">Data by metric</h2>
      <p class="muted small">
        Your data ends {dataEnd}, {count(daysAgo(dataEnd ?? today))} days before today ({today}). Ratings, overrides and
        notes are not counted here.
      </p>
      <WideTable label="Data by metric">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">First day</th>
              <th scope="col">Last day</th>
              <th scope="col" class="num">
                Days before today
              </th>
              <th scope="col" class="num">
                Accounts
              </th>
              <th scope="col" class="num">
                Values
              </th>
            </tr>
          </thead>
          <tbody>
            {metrics.map((m) => (
              <tr key={m.metric}>
                <th scope="row">{m.metric}</th>
                <td>{m.first}</td>
                <td>{m.last}</td>
                <td class="num">{count(daysAgo(m.last))}</td>
                <td class="num">{count(m.accounts)}</td>
                <td class="num">{count(m.observations)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </WideTable>
    </section>
  );
}
