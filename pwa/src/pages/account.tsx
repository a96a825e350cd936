import { useEffect, useMemo, useState } from "preact/hooks";
import type uPlot from "uplot";
import { dragSentence, factorMax, pointsText, reweightNote, valueText } from "../../../core/insights/explain-text.ts";
import { scoreChangeOf } from "../../../core/insights/score-change.ts";
import { parseIsoDay } from "../../../core/schema/day.ts";
import type { FactorExplanation, ScoreResult } from "../../../core/schema/result.ts";
import { count } from "../../../core/text/words.ts";
import type { ElsewhereAccount } from "../../../core/worker/elsewhere-api.ts";
import type { AccountDetail } from "../../../core/worker/portfolio-api.ts";
import { AccountActions } from "../components/account-actions.tsx";
import { AfterFirstPaint } from "../components/after-paint.tsx";
import { Chart } from "../components/chart.tsx";
import { SkipLinks } from "../components/focus.tsx";
import { ScoreBadge } from "../components/score-badge.tsx";
import { ScoreChangeView } from "../components/score-change.tsx";
import { ElsewhereAccountView } from "../components/scored-elsewhere.tsx";
import { WideTable } from "../components/wide-table.tsx";
import {
  client,
  dataChanged,
  firstScreenIsShown,
  firstStatus,
  money,
  signed,
  takeEarly,
  useLoad,
} from "../services.ts";
import { OpenAlertsPanel } from "./alerts.tsx";

const DAY_SECONDS = 86_400;
const BAND_FILL: Record<string, string> = {
  green: "rgba(21, 128, 61, 0.12)",
  yellow: "rgba(202, 138, 4, 0.14)",
  red: "rgba(220, 38, 38, 0.12)",
};

function HistoryChart({ card, history }: { card: CardInfo | undefined; history: AccountDetail["history"][number] }) {
  const chart = useMemo(() => {
    const from = parseIsoDay(history.from) ?? 0;
    const x = Float64Array.from(history.scores, (_, j) => (from + j) * DAY_SECONDS);
    const data: uPlot.AlignedData = [x, history.scores];
    const bands = bandShapes(card?.bands ?? []);
    const options: Omit<uPlot.Options, "width"> = {
      height: 240,
      scales: { x: { time: true }, y: { range: [0, 100] } },
      series: [{}, { label: "Score", stroke: "accent", width: 2 }],
      axes: [{}, { label: "Score" }],
      hooks: {
        drawClear: [
          (u: uPlot) => {
            const ctx = u.ctx;
            for (const band of bands) {
              const top = u.valToPos(band.to, "y", true);
              const bottom = u.valToPos(band.from, "y", true);
              ctx.fillStyle = BAND_FILL[band.color] ?? "transparent";
              ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
            }
          },
        ],
      },
    };
    return { data, options };
  }, [card, history]);
  const values = history.scores.filter((v): v is number => v !== null);
  return (
    <Chart
      options={chart.options}
      data={chart.data}
      describe={
        values.length === 0
          ? "No score history."
          : `Score history from ${history.from}: lowest ${Math.round(Math.min(...values))}, highest ${Math.round(Math.max(...values))}, now ${Math.round(values.at(-1) as number)}.`
      }
    />
  );
}

/** The band ranges to shade behind a history chart: each band from its min to the next band's min. */
const bandShapes = (bands: readonly { min: number; color: string }[]) => {
  const sorted = [...bands].sort((a, b) => a.min - b.min);
  return sorted.map((b, i) => ({ from: b.min, to: sorted[i + 1]?.min ?? 100, color: b.color }));
};

type CardInfo = AccountDetail["scorecards"][number];

/** The active override of a result, as the engine picks it: for its scorecard, or for the primary score. */
function overrideOf(detail: AccountDetail, result: ScoreResult) {
  return detail.overrides.find(
    (o) => o.active && (o.scorecardId === undefined ? result.primary : o.scorecardId === result.scorecardId),
  );
}

function ResultView({
  result,
  history,
  card,
  overrideId,
}: {
  result: ScoreResult;
  history: AccountDetail["history"][number] | undefined;
  card: CardInfo | undefined;
  overrideId: string | undefined;
}) {
  const [removal, setRemoval] = useState<{ busy: boolean; done: string; problem: string }>({
    busy: false,
    done: "",
    problem: "",
  });
  const remove = async (id: string) => {
    setRemoval({ busy: true, done: "", problem: "" });
    try {
      await client.removeOverride(id);
      setRemoval({ busy: false, done: "Override removed; the computed score stands.", problem: "" });
      // Only this account changed: the bridge posts its badge alone (issue 14), as after setting an override.
      dataChanged({ accounts: [result.accountId] });
    } catch (error) {
      setRemoval({ busy: false, done: "", problem: `The override was not removed: ${(error as Error).message}` });
    }
  };
  const reweighted = reweightNote(result.factors, result.score);
  const change = useMemo(() => scoreChangeOf(result), [result]);
  const drags = result.topDrags
    .map((id) => result.factors.find((f) => f.factorId === id))
    .filter((f): f is FactorExplanation => f !== undefined);
  return (
    <section class="card near-screen" aria-labelledby={`card-${result.scorecardId}`}>
      <h2 id={`card-${result.scorecardId}`}>
        {card?.name ?? result.scorecardId} {result.primary && <span class="pill">primary</span>}
      </h2>
      <div class="score-line">
        <ScoreBadge
          points={result.points}
          grade={result.grade}
          color={result.color}
          label={result.label}
          size="large"
        />
        <div>
          <div>
            <strong>{result.label}</strong> · coverage {Math.round(result.coverage * 100)}% · change over{" "}
            {result.deltaDays} days: {signed(result.delta, 1)}
          </div>
          {result.override && (
            <div class="override" role="note">
              Overridden by {result.override.author} until {result.override.expiresOn}:{" "}
              {result.override.score !== undefined ? `${result.override.score} points` : ""}{" "}
              {result.override.grade ?? ""} — {result.override.reason}{" "}
              {overrideId && (
                <button
                  type="button"
                  class="secondary"
                  disabled={removal.busy}
                  aria-label={`Remove the override on ${card?.name ?? result.scorecardId}`}
                  onClick={() => remove(overrideId)}
                >
                  Remove
                </button>
              )}
            </div>
          )}
          <p role="status" class="small">
            {removal.done}
          </p>
          {removal.problem && (
            <p role="alert" class="error">
              {removal.problem}
            </p>
          )}
        </div>
      </div>
      {change && <ScoreChangeView change={change} id={`change-${result.scorecardId}`} />}
      {drags.length > 0 && (
        <>
          <h3>What pulls the score down</h3>
          <ul class="drags">
            {drags.map((f) => (
              <li key={f.factorId}>{dragSentence(f, result.deltaDays)}</li>
            ))}
          </ul>
        </>
      )}
      <WideTable label="Factors of the score">
        <table class="data">
          <caption class="visually-hidden">Factors of the score</caption>
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col" class="num">
                Value
              </th>
              <th scope="col" class="num">
                Points
              </th>
              <th scope="col" class="num">
                Lost
              </th>
              <th scope="col" class="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {result.factors.map((f) => (
              <tr key={f.factorId}>
                <th scope="row">
                  {f.label}
                  {f.status !== "ok" && <span class="pill">{f.status}</span>}
                </th>
                <td class="num">{valueText(f.value)}</td>
                <td class="num">
                  {f.countedN === null ? "not counted" : `${f.earned.toFixed(1)} / ${pointsText(factorMax(f))}`}
                </td>
                <td class="num">{f.lost.toFixed(1)}</td>
                <td class="num">{signed(f.deltaPoints, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </WideTable>
      {reweighted && <p class="small reweight-note">{reweighted}</p>}
      {history && (
        <>
          <h3>Score over the year</h3>
          <HistoryChart card={card} history={history} />
        </>
      )}
    </section>
  );
}

/** One account: its scores on every scorecard that applies, why, and how they moved. */
export function AccountPage({ id }: { id: string }) {
  // A rating, override or note never makes an account scored elsewhere (or not): only a whole change reads again.
  const elsewhere = useLoad(
    () => takeEarly<ElsewhereAccount | null>(`elsewhere-account:${id}`) ?? client.scoredElsewhereAccount(id),
    [id],
    "whole",
  );
  if (elsewhere.state === "ready" && elsewhere.value) return <ElsewhereAccountView detail={elsewhere.value} />;
  return <OwnAccountPage id={id} />;
}

/** An account of the app's own portfolio: its scores on every scorecard that applies, why, and how they moved. */
function OwnAccountPage({ id }: { id: string }) {
  // A cold start asked for the account before this page's code loaded (app.tsx); null: nothing stored to read it from.
  // The page shows before the shell has the store's status (app.tsx): an account scored only by a whole scoring (an
  // empty store, one never scored) is asked for once the status is in, so the shell's first run goes first.
  const loaded = useLoad(async () => {
    const early = await takeEarly<AccountDetail | null>(`account:${id}`);
    if (early) return early;
    await firstStatus.catch(() => undefined);
    return client.account(id);
  }, [id]);
  useEffect(() => {
    if (loaded.state !== "loading") firstScreenIsShown();
  }, [loaded.state]);
  if (loaded.state === "loading") return <p aria-busy="true">Loading the account…</p>;
  if (loaded.state === "error") {
    return (
      <>
        <h1>Account not found</h1>
        <p role="alert" class="error">
          {loaded.message}
        </p>
        <a href="#/accounts">Back to accounts</a>
      </>
    );
  }
  const { account, results, history, parent, children, scorecards } = loaded.value;
  const resultView = (r: ScoreResult) => (
    <ResultView
      key={r.scorecardId}
      result={r}
      history={history.find((h) => h.scorecardId === r.scorecardId)}
      card={scorecards.find((c) => c.id === r.scorecardId)}
      overrideId={overrideOf(loaded.value, r)?.id}
    />
  );
  return (
    <>
      <p>
        <a href="#/accounts">← Accounts</a>
      </p>
      <h1>{account.name}</h1>
      <dl class="facts">
        <div>
          <dt>ARR</dt>
          <dd>{money(account.arr ?? null)}</dd>
        </div>
        <div>
          <dt>Renewal</dt>
          <dd>{account.renewalDate ?? "—"}</dd>
        </div>
        <div>
          <dt>Segment</dt>
          <dd>{account.segment ?? "—"}</dd>
        </div>
        <div>
          <dt>Stage</dt>
          <dd>{account.stage ?? "—"}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{account.owner ?? "—"}</dd>
        </div>
        <div>
          <dt>Seats</dt>
          <dd>{account.seats === undefined ? "—" : count(account.seats)}</dd>
        </div>
        <div>
          <dt>Domains</dt>
          <dd>{account.domains.join(", ") || "—"}</dd>
        </div>
        {parent && (
          <div>
            <dt>Parent</dt>
            <dd>
              <a href={`#/accounts/${encodeURIComponent(parent.id)}`}>{parent.name}</a>
            </dd>
          </div>
        )}
        {children.length > 0 && (
          <div>
            <dt>Subsidiaries</dt>
            <dd>
              {children.map((c, i) => (
                <span key={c.id}>
                  {i > 0 && ", "}
                  <a href={`#/accounts/${encodeURIComponent(c.id)}`}>{c.name}</a>
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
      <SkipLinks
        links={[
          { to: "open-alerts-title", label: "Open alerts" },
          ...results.map((r) => ({
            to: `card-${r.scorecardId}`,
            label: scorecards.find((c) => c.id === r.scorecardId)?.name ?? r.scorecardId,
          })),
          { to: "rating-heading", label: "CSM rating" },
          { to: "override-heading", label: "Override" },
          { to: "notes-heading", label: "Notes" },
        ]}
      />
      <OpenAlertsPanel accountId={account.id} />
      {results.length === 0 && (
        <p class="empty-state">No scorecard applies to this account (check the scorecards' "applies to" conditions).</p>
      )}
      {results.slice(0, 1).map(resultView)}
      {/* What lies below the first card comes once that card is painted: a cold start shows the score first. */}
      <AfterFirstPaint>
        {results.slice(1).map(resultView)}
        <AccountActions detail={loaded.value} />
      </AfterFirstPaint>
    </>
  );
}
