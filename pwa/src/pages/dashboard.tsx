import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type uPlot from "uplot";
import type { AccountMention, Dashboard } from "../../../core/insights/portfolio-view.ts";
import { weeklyTrend } from "../../../core/insights/trend-weekly.ts";
import { count } from "../../../core/text/words.ts";
import { AsOfPanel } from "../components/as-of-control.tsx";
import { Chart } from "../components/chart.tsx";
import { SkipLinks } from "../components/focus.tsx";
import { ScoreBadge } from "../components/score-badge.tsx";
import { ScoredElsewhereBanner } from "../components/scored-elsewhere.tsx";
import { client, firstScreenIsShown, money, takeEarly, useLoad } from "../services.ts";
import { OpenAlertsPanel } from "./alerts.tsx";

const DAY_SECONDS = 86_400;

/** The colours of the charts, matching the badges (and readable in light and dark). */
const CHART = { green: "#15803d", yellow: "#ca8a04", red: "#dc2626", line: "accent" };

/** A list of accounts that need a look, each linking to its page. */
function Mentions(props: { title: string; id: string; items: AccountMention[]; empty: string }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.items.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <ol class="mentions">
          {props.items.map((m) => (
            <li key={m.id}>
              <ScoreBadge points={m.points} grade={m.grade} color={m.color} label={m.label} />
              <a href={`#/accounts/${encodeURIComponent(m.id)}`}>{m.name}</a>
              <span class="muted">{m.why}</span>
              <span class="num">{money(m.arr)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The performance mark set once the dashboard's numbers and chart are on screen (the PWA benchmark waits for it). */
export const DASHBOARD_RENDERED = "vitals:dashboard-rendered";

/** The portfolio at a glance: bands, distribution, trend, and the accounts that need a look. */
function DashboardView({ d }: { d: Dashboard }) {
  // Set once the chart is drawn (the numbers are in the DOM by then; uPlot's code may still be loading at first).
  const rendered = useCallback(() => {
    if (performance.getEntriesByName(DASHBOARD_RENDERED).length === 0) performance.mark(DASHBOARD_RENDERED);
  }, []);
  // Weekly means by default: the daily series swings with the weekday (weekend logins), which reads as noise.
  const [daily, setDaily] = useState(false);
  const shown = useMemo(() => (daily ? d.trend : weeklyTrend(d.trend)), [d, daily]);
  const trend = useMemo(() => {
    const x = Float64Array.from(shown.days, (day) => day * DAY_SECONDS);
    const data: uPlot.AlignedData = [
      x,
      shown.average.map((v) => (Number.isNaN(v) ? null : v)),
      shown.green,
      shown.yellow,
      shown.red,
    ];
    const options: Omit<uPlot.Options, "width"> = {
      height: 260,
      scales: { x: { time: true }, score: { range: [0, 100] }, n: {} },
      axes: [
        {},
        { scale: "score", label: "Average score" },
        { scale: "n", side: 1, label: "Accounts", grid: { show: false } },
      ],
      series: [
        {},
        { label: "Average score", scale: "score", stroke: CHART.line, width: 2 },
        { label: "Green", scale: "n", stroke: CHART.green },
        { label: "Yellow", scale: "n", stroke: CHART.yellow, dash: [6, 4] },
        { label: "Red", scale: "n", stroke: CHART.red, dash: [2, 3] },
      ],
    };
    return { data, options };
  }, [shown]);
  const maxBucket = Math.max(1, ...d.distribution);
  const last = shown.average.at(-1);
  const first = shown.average.find((v) => !Number.isNaN(v));
  return (
    <>
      <SkipLinks
        links={[
          { to: "open-alerts-title", label: "Open alerts" },
          { to: "bands-title", label: "Bands" },
          { to: "dist-title", label: "Score distribution" },
          { to: "trend-title", label: "The year" },
          { to: "drops-title", label: "Biggest drops" },
          { to: "renewals-title", label: "Renewals" },
          { to: "expansion-title", label: "Expansion" },
        ]}
      />
      <div class="kpis">
        <div class="kpi">
          <span class="kpi-value">{count(d.accounts)}</span>
          <span class="kpi-label">accounts ({count(d.scored)} scored)</span>
        </div>
        <div class="kpi">
          <span class="kpi-value">{money(d.arr)}</span>
          <span class="kpi-label">ARR</span>
        </div>
        <div class="kpi">
          <span class="kpi-value">{d.averageScore === null ? "—" : Math.round(d.averageScore)}</span>
          <span class="kpi-label">average score</span>
        </div>
      </div>
      <OpenAlertsPanel limit={5} />
      <div class="grid-2">
        <section class="card" aria-labelledby="bands-title">
          <h2 id="bands-title">Accounts and ARR by band</h2>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Band</th>
                <th scope="col" class="num">
                  Accounts
                </th>
                <th scope="col" class="num">
                  ARR
                </th>
              </tr>
            </thead>
            <tbody>
              {d.bands.map((b) => (
                <tr key={`${b.grade}-${b.label}-${b.color}`}>
                  <td>
                    <span class={`chip chip-${b.color}`} aria-hidden="true" /> {b.grade} · {b.label}
                  </td>
                  <td class="num">{count(b.accounts)}</td>
                  <td class="num">{money(b.arr)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card" aria-labelledby="dist-title">
          <h2 id="dist-title">Score distribution</h2>
          <ol class="histogram" aria-label="Accounts per 10 points of score">
            {d.distribution.map((n, i) => (
              <li key={i} title={`${i * 10}–${i === 9 ? 100 : i * 10 + 9}: ${n} accounts`}>
                <span class="bar" style={{ height: `${(100 * n) / maxBucket}%` }} />
                <span class="bar-label">{i * 10}</span>
                <span class="visually-hidden">
                  {i * 10} to {i === 9 ? 100 : i * 10 + 9}: {n} accounts
                </span>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <section class="card" aria-labelledby="trend-title">
        <h2 id="trend-title">Average score and band counts over the year</h2>
        <fieldset class="segmented">
          <legend>Resolution</legend>
          <label>
            <input type="radio" name="trend-resolution" checked={!daily} onChange={() => setDaily(false)} /> Weekly
            (smoothed)
          </label>
          <label>
            <input type="radio" name="trend-resolution" checked={daily} onChange={() => setDaily(true)} /> Daily
          </label>
        </fieldset>
        <Chart
          options={trend.options}
          data={trend.data}
          describe={`Average score went from ${first === undefined ? "no data" : Math.round(first)} to ${
            last === undefined || Number.isNaN(last) ? "no data" : Math.round(last)
          } over the last ${d.trend.days.length} days (${daily ? "daily values" : `weekly means, ${shown.days.length} weeks`}).`}
          onDrawn={rendered}
        />
      </section>
      <div class="grid-3">
        <Mentions
          id="drops-title"
          title="Biggest drops this week"
          items={d.drops}
          empty="No account lost points in the last 7 days."
        />
        <Mentions
          id="renewals-title"
          title="Renewals in 90 days, not green"
          items={d.renewals}
          empty="Every account renewing in the next 90 days is green."
        />
        <Mentions
          id="expansion-title"
          title="Expansion candidates"
          items={d.expansion}
          empty="No green account uses 80% or more of its seats."
        />
      </div>
    </>
  );
}

/** The dashboard page. */
export function DashboardPage() {
  // A cold start asked for the stored dashboard before this page's code loaded (app.tsx); null: it must be scored.
  const loaded = useLoad(async () => (await takeEarly<Dashboard | null>("dashboard")) ?? client.dashboard(), []);
  useEffect(() => {
    if (loaded.state !== "loading") firstScreenIsShown();
  }, [loaded.state]);
  return (
    <>
      <h1>Portfolio {loaded.state === "ready" && <span class="muted small">as of {loaded.value.asOf}</span>}</h1>
      {loaded.state === "loading" && <p aria-busy="true">Scoring the portfolio…</p>}
      {loaded.state === "error" && (
        <p role="alert" class="error">
          The dashboard could not be computed: {loaded.message}
        </p>
      )}
      <ScoredElsewhereBanner />
      {loaded.state === "ready" && <AsOfPanel />}
      {loaded.state === "ready" && <DashboardView d={loaded.value} />}
    </>
  );
}
