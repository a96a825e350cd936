import { useEffect, useMemo, useState } from "preact/hooks";
import type uPlot from "uplot";
import { count, percent, plural } from "../../../core/text/words.ts";
import type { AlertRuleCheck, AlertValidation } from "../../../core/validate/alerts.ts";
import type { BandTarget } from "../../../core/validate/band-targets.ts";
import type { FittedFactor, ScorecardBuild } from "../../../core/validate/builder.ts";
import { builderDraft } from "../../../core/validate/draft.ts";
import type {
  BandOutcome,
  BandSuggestion,
  FactorSuggestion,
  ValidationCase,
  ValidationReport,
} from "../../../core/validate/validate.ts";
import type { OutcomeCounts, ValidationPhase } from "../../../core/worker/validation-api.ts";
import { Chart } from "../components/chart.tsx";
import { handOverDraft } from "../components/draft-handoff.ts";
import { JobProgressLine } from "../components/job-progress.tsx";
import { ScoreBadge } from "../components/score-badge.tsx";
import { WideTable } from "../components/wide-table.tsx";
import { useJob } from "../job/use-job.tsx";
import { client, useDataVersion, useLoad } from "../services.ts";

/** How far before its outcome each account is scored, in days; or one snapshot day for every account. */
const HORIZONS = [30, 60, 90, 180, 365] as const;
type Horizon = { kind: "days"; days: number } | { kind: "snapshot"; day: string };
/** What the accounts with no outcome row in the period are (issue 13): left out, stayed, or did not renew. */
type Unlisted = "leave-out" | "stayed" | "not-renewed";
const UNLISTED_WORDS: Record<Unlisted, string> = {
  "leave-out": "left out (default)",
  stayed: "stayed (no churn event means they stayed)",
  "not-renewed": "did not renew (renewal date in the period, no row)",
};
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

const PHASE_WORDS: Record<ValidationPhase, string> = {
  reading: "Reading accounts, data and outcomes",
  validating:
    "Scoring each account before its outcome, judging the alert rules, fitting points and trying other factors",
};

/** The colours of the charts, matching the badges (and readable in light and dark). */
const CHART = { line: "#0f766e", chance: "#64748b" };

/** AUCs to 3 decimals, as `vitals validate` prints them: a gain of 0.004 must show. */
const auc3 = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toFixed(3));
const signed3 = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`);
/** Points as a scorecard writes them (a tenth). */
const pts = (x: number) => String(Math.round(x * 10) / 10);

/** What an AUC says, for a CSM: how often a churned account scored below one that stayed. */
function aucWords(auc: number | null): string {
  if (auc === null) {
    return "The AUC needs at least one churned account and one that stayed, both with a score.";
  }
  const pct = Math.round(auc * 100);
  const verdict =
    auc >= 0.8
      ? "The score tells churn apart well."
      : auc >= 0.7
        ? "The score is a useful warning, with misses."
        : auc >= 0.6
          ? "The score is a weak warning: look at the suggested weights."
          : "The score is little better than a coin toss (0.5) at telling churn apart.";
  return `An AUC of ${auc.toFixed(3)} means: pick a churned and a retained account at random; ${pct}% of the time the churned one had the lower score. ${verdict}`;
}

const asPercent = (_u: uPlot, ticks: number[]) => ticks.map((t) => `${Math.round(t * 100)}%`);

/** The ROC curve against the diagonal of chance, with a text alternative that says what it shows. */
function RocChart({ report }: { report: ValidationReport }) {
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
function BandBars({ bands }: { bands: BandOutcome[] }) {
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

/** Accounts the score got wrong, each linking to its page. */
function CaseTable(props: {
  id: string;
  title: string;
  intro: string;
  empty: string;
  list: ValidationReport["missed"];
}) {
  const { list } = props;
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} <span class="muted small">({count(list.total)})</span>
      </h2>
      <p class="muted small">{props.intro}</p>
      {list.total === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <>
          <WideTable label={props.title}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Score then</th>
                  <th scope="col">Scored as of</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {list.cases.map((c: ValidationCase) => (
                  <tr key={c.accountId}>
                    <th scope="row">
                      <a href={`#/accounts/${encodeURIComponent(c.accountId)}`}>{c.name}</a>
                    </th>
                    <td>
                      <ScoreBadge points={c.points} grade={c.grade} color={c.color} label={c.label} />
                    </td>
                    <td class="wrap">{c.asOf}</td>
                    <td class="wrap">
                      {c.kind} on {c.outcomeDay}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </WideTable>
          {list.total > list.cases.length && (
            <p class="muted small">The first {count(list.cases.length)} are listed.</p>
          )}
        </>
      )}
    </section>
  );
}

const DIRECTION_WORDS: Record<FactorSuggestion["direction"], string> = {
  protects: "higher is healthier, as the scorecard assumes",
  "wrong-way": "Warning: pushes the wrong way (accounts scoring higher here churned more)",
  "no-effect": "no effect on churn in this data",
};

/** Band thresholds that split churn rates well, next to the scorecard's. */
function BandThresholds(props: { title: string; current: BandOutcome[]; suggestion: BandSuggestion }) {
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
function Suggestion({ report }: { report: ValidationReport }) {
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

/** Each alert rule against the outcomes: how many it alerted, how many of them churned, and how early. */
function AlertChecks({ report }: { report: ValidationReport }) {
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

/** A fitted factor's values and the points each earns, in words. */
function valuesText(f: FittedFactor): string {
  return f.bins.map((b) => `${b.label} → ${pts(b.points)}`).join(", ");
}

/** Fitted factors as a table: points of 100, each value's points, and which way a number goes. */
function FittedTable({ caption, factors }: { caption: string; factors: FittedFactor[] }) {
  return (
    <WideTable label={caption}>
      <table class="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Factor</th>
            <th scope="col" class="num">
              Points
            </th>
            <th scope="col">Points per value</th>
          </tr>
        </thead>
        <tbody>
          {factors.map((f) => (
            <tr key={f.factorId}>
              <th scope="row">{f.label}</th>
              <td class="num">{pts(f.points)}</td>
              <td class="wrap">
                {valuesText(f)}
                {f.direction && (
                  <span class="muted small">
                    {" "}
                    ({f.direction === "rises" ? "more points as it grows" : "fewer points as it grows"})
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </WideTable>
  );
}

const KIND_WORDS = { categorical: "categories", numeric: "number", boolean: "yes/no" } as const;
const targetKey = (t: BandTarget) => `${t.kind}-${t.value}`;

/**
 * The scorecard builder: the card, the suggestion and the reference side by side (out-of-sample AUC), points fitted
 * per value, the factors the card leaves out with an Add button each, red by purpose with its trade-off, and
 * "Apply to a draft": a new scorecard marked as a suggestion, opened in the editor unsaved.
 */
function Builder({ report }: { report: ValidationReport }) {
  const build: ScorecardBuild | null = report.build;
  const [added, setAdded] = useState<string[]>([]);
  const targets = build?.suggested.bandTargets ?? [];
  const [redKey, setRedKey] = useState<string>("share-0.15");
  if (!build) {
    return (
      <section class="card" aria-labelledby="builder-title">
        <h2 id="builder-title">Scorecard builder</h2>
        <p>No builder: {report.buildNote ?? "there is not enough data to fit one"}.</p>
      </section>
    );
  }
  const cv = report.suggestion?.crossValidation;
  const s = build.suggested;
  const red = targets.find((t) => targetKey(t) === redKey);
  const draft = builderDraft(build, { add: added, red });
  const inSuggestion = new Set(s.draft?.factors.map((f) => f.id) ?? []);
  const labelOf = (id: string) => build.discovery.find((d) => d.factorId === id)?.label ?? id;
  const apply = () => {
    if (!draft) return;
    handOverDraft({
      scorecardId: "new",
      source: `Suggested by validation of ${report.scorecardName}`,
      scorecard: draft,
    });
    location.hash = "#/scorecards/new";
  };
  const aucRows: [string, string, number | null | undefined][] = [
    ["Current scorecard", "builder-auc-current", cv?.currentAuc],
    ["Suggested weights", "builder-auc-weights", cv?.suggestedAuc],
    ["Fitted points, same factors", "builder-auc-fitted", build.fitted.auc],
    [`Suggested card (${s.draft?.factors.length ?? 0} factors)`, "builder-auc-suggested", s.auc],
    [`Reference: every column (${build.reference.columns.length})`, "builder-auc-reference", build.reference.auc],
  ];
  return (
    <section class="card" aria-labelledby="builder-title">
      <h2 id="builder-title">Scorecard builder</h2>
      <p class="muted small">
        Points fitted to the outcomes for each value of each factor, and the factors your data has that the scorecard
        does not use. Every AUC is out of sample: fitted on {build.folds - 1} of {build.folds} parts of the accounts and
        judged on the part it did not see.
      </p>
      <table class="data builder-aucs">
        <caption>Out-of-sample AUC</caption>
        <tbody>
          {aucRows.map(([label, id, value]) => (
            <tr key={id}>
              <th scope="row">{label}</th>
              <td class="num" data-testid={id}>
                {auc3(value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="small">
        The reference is a regularised regression on every column: what a scorecard could reach with no limit on
        factors. The suggested card has at most {s.maxFactors}.
      </p>
      <h3>Fitted points per value</h3>
      <FittedTable
        caption="Your scorecard's factors with points fitted to the outcomes"
        factors={build.fitted.factors}
      />
      <h3>Factors not on the scorecard</h3>
      {build.discovery.length === 0 ? (
        <p>Your data has no other attribute or metric to try.</p>
      ) : (
        <WideTable label="Factors not on the scorecard, by the AUC they add">
          <table class="data">
            <caption class="visually-hidden">Factors not on the scorecard, by the AUC they add</caption>
            <thead>
              <tr>
                <th scope="col">Factor</th>
                <th scope="col" class="num">
                  Adds (AUC)
                </th>
                <th scope="col">Kind</th>
                <th scope="col" class="num">
                  Has data
                </th>
                <th scope="col">Draft</th>
              </tr>
            </thead>
            <tbody>
              {build.discovery.map((d) => {
                const on = added.includes(d.factorId);
                return (
                  <tr key={d.factorId}>
                    <th scope="row">{d.label}</th>
                    <td class="num">{signed3(d.gain)}</td>
                    <td>{KIND_WORDS[d.kind]}</td>
                    <td class="num">{percent(d.present)}</td>
                    <td>
                      {inSuggestion.has(d.factorId) ? (
                        <span class="muted small">in the suggested card</span>
                      ) : (
                        <button
                          type="button"
                          class="secondary"
                          aria-pressed={on}
                          aria-label={`${on ? "Remove" : "Add"} ${d.label} ${on ? "from" : "to"} the draft`}
                          onClick={() =>
                            setAdded(on ? added.filter((id) => id !== d.factorId) : [...added, d.factorId])
                          }
                        >
                          {on ? "Added ✓" : "Add"}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </WideTable>
      )}
      <h3>Red band by purpose</h3>
      {targets.length === 0 ? (
        <p>No threshold to suggest: the suggested card's scores do not separate the accounts.</p>
      ) : (
        <fieldset class="red-targets">
          <legend>Which accounts the draft calls red (on each account's held-out score)</legend>
          <WideTable label="Which accounts the draft calls red">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Purpose</th>
                  <th scope="col" class="num">
                    Red below
                  </th>
                  <th scope="col" class="num">
                    Red
                  </th>
                  <th scope="col" class="num">
                    Churned caught
                  </th>
                  <th scope="col" class="num">
                    False alarms
                  </th>
                  <th scope="col" class="num">
                    Churn in red
                  </th>
                </tr>
              </thead>
              <tbody>
                {targets.map((t) => (
                  <tr key={targetKey(t)}>
                    <th scope="row">
                      <label class="check">
                        <input
                          type="radio"
                          name="red-target"
                          value={targetKey(t)}
                          checked={redKey === targetKey(t)}
                          onChange={() => setRedKey(targetKey(t))}
                        />{" "}
                        {t.words}
                      </label>
                    </th>
                    <td class="num">{t.redBelow}</td>
                    <td class="num">
                      {count(t.red)} ({percent(t.redShare)})
                    </td>
                    <td class="num">
                      {count(t.caught)} ({percent(t.caughtShare)})
                    </td>
                    <td class="num">{count(t.falseAlarms)}</td>
                    <td class="num">{percent(t.churnRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </WideTable>
        </fieldset>
      )}
      <h3>The draft</h3>
      {draft === null ? (
        <p>No draft: no factor lowers churn in this data.</p>
      ) : (
        <>
          <p data-testid="builder-draft">
            <strong>{draft.name}</strong> (id <code>{draft.id}</code>):{" "}
            {plural(draft.factors.length, "factor", "factors")}
            {s.added.length > 0 && `; the suggestion adds ${s.added.map(labelOf).join(", ")}`}
            {s.dropped.length > 0 && `; it drops ${s.dropped.join(", ")}`}
            {added.length > 0 && `; you added ${added.map(labelOf).join(", ")}`}.{" "}
            {red ? `Red below ${red.redBelow} (${red.words}).` : "The scorecard's own bands."}
          </p>
          <FittedTable
            caption="The suggested card's factors"
            factors={s.factors.filter((f) => f.points > 0 && draft.factors.some((d) => d.id === f.factorId))}
          />
          {added.length > 0 && (
            <p class="muted small">
              Factors you added keep the points they were fitted with beside your scorecard's factors; the red threshold
              was chosen for the suggested card: check both in the editor's preview.
            </p>
          )}
          <div class="filters apply">
            <button type="button" onClick={apply}>
              Apply to a new draft
            </button>
            <span class="muted small">
              Opens the editor with a new scorecard marked as a suggestion; nothing is saved until you save it there.
            </span>
          </div>
        </>
      )}
    </section>
  );
}

/** The report: AUC and ROC, churn per band, red catch, coverage, population, misses, and the suggestion. */
function ReportView({ report }: { report: ValidationReport }) {
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

/** What to import, and how, when there is nothing to validate against. */
function NoOutcomes() {
  return (
    <section class="card empty-state" aria-labelledby="no-outcomes-title">
      <h2 id="no-outcomes-title">No outcomes yet</h2>
      <p>
        Validation compares the scores with what really happened to your accounts. Import your outcomes first: a CSV
        file with one row per account and event, saying which account, on what day, and what happened (churned, renewed,
        expanded or downgraded). For example:
      </p>
      <pre class="example">{"account_id,day,kind\nacme-corp,2025-03-31,churned\nglobex,2025-04-15,renewed\n"}</pre>
      <p>
        On the Data page, choose the file and “Outcomes”. A CRM or churn-dataset export with a yes/no churn column works
        too: choose “One row per account” and make that column the “Churn flag”.
      </p>
      <a class="button" href="#/data">
        Go to the Data page
      </a>
    </section>
  );
}

/**
 * The Validate page (`#/scorecards/<id>/validate`): how well a scorecard predicted the outcomes on record, the
 * accounts it missed and the false alarms, and suggested weights and bands to try in a draft.
 */
export function ValidatePage({ id }: { id: string }) {
  const cards = useLoad(() => client.scorecards(), []);
  const outcomes = useLoad<OutcomeCounts>(() => client.outcomeCounts(), []);
  const version = useDataVersion();
  const [horizon, setHorizon] = useState<Horizon>({ kind: "days", days: 90 });
  const [unlisted, setUnlisted] = useState<Unlisted>("leave-out");
  const [period, setPeriod] = useState({ from: "", to: "" });
  // Redone whenever a setting changes: a newer run replaces the one running.
  const job = useJob("validation", { replace: true });
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [attempt, setAttempt] = useState(0);
  const card = cards.state === "ready" ? cards.value.find((c) => c.scorecard.id === id)?.scorecard : undefined;
  const total = outcomes.state === "ready" ? outcomes.value.total : 0;

  useEffect(() => {
    if (!card || total === 0) return;
    if (horizon.kind === "snapshot" && !isDay(horizon.day)) return;
    // A period day being typed is not yet a day: wait for it (an empty one means the outcomes' own first or last day).
    if ((period.from !== "" && !isDay(period.from)) || (period.to !== "" && !isDay(period.to))) return;
    const population =
      unlisted === "leave-out"
        ? {}
        : {
            unlisted,
            ...(period.from ? { periodFrom: period.from } : {}),
            ...(period.to ? { periodTo: period.to } : {}),
          };
    setReport(null);
    void job.run(
      async ({ track, signal }) => {
        const done = await track(PHASE_WORDS, (o) =>
          client.validateScorecard(
            id,
            horizon.kind === "days"
              ? { horizonDays: horizon.days, listLimit: 50, ...population }
              : { snapshotDay: horizon.day, listLimit: 50, ...population },
            o,
          ),
        );
        if (!signal.aborted) setReport(done);
      },
      { cancelled: "The validation was cancelled.", failed: (message) => `The validation failed: ${message}` },
    );
    return () => job.cancel();
  }, [
    id,
    card !== undefined,
    total,
    horizon.kind,
    horizon.kind === "days" ? horizon.days : horizon.day,
    unlisted,
    period.from,
    period.to,
    version,
    attempt,
  ]);

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
          <fieldset class="filters horizon">
            <legend>When to score each account</legend>
            <label>
              Score each account
              <select
                value={horizon.kind === "days" ? String(horizon.days) : "snapshot"}
                onChange={(e) => {
                  const v = (e.currentTarget as HTMLSelectElement).value;
                  setHorizon(
                    v === "snapshot"
                      ? { kind: "snapshot", day: outcomes.value.commonestDay ?? "" }
                      : { kind: "days", days: Number(v) },
                  );
                }}
              >
                {HORIZONS.map((d) => (
                  <option key={d} value={String(d)}>
                    {d} days before its outcome{d === 90 ? " (default)" : ""}
                  </option>
                ))}
                <option value="snapshot">on one snapshot day (a churn-flag file)</option>
              </select>
            </label>
            {horizon.kind === "snapshot" && (
              <label>
                Snapshot day
                <input
                  type="date"
                  value={horizon.day}
                  onChange={(e) => setHorizon({ kind: "snapshot", day: (e.currentTarget as HTMLInputElement).value })}
                />
              </label>
            )}
            <label>
              Accounts with no outcome in the period
              <select
                value={unlisted}
                onChange={(e) => setUnlisted((e.currentTarget as HTMLSelectElement).value as Unlisted)}
              >
                {(Object.keys(UNLISTED_WORDS) as Unlisted[]).map((u) => (
                  <option key={u} value={u}>
                    {UNLISTED_WORDS[u]}
                  </option>
                ))}
              </select>
            </label>
            {unlisted !== "leave-out" && (
              <>
                <label>
                  Period from
                  <input
                    type="date"
                    value={period.from}
                    placeholder={outcomes.value.from ?? undefined}
                    onChange={(e) => setPeriod({ ...period, from: (e.currentTarget as HTMLInputElement).value })}
                  />
                </label>
                <label>
                  Period to
                  <input
                    type="date"
                    value={period.to}
                    placeholder={outcomes.value.to ?? undefined}
                    onChange={(e) => setPeriod({ ...period, to: (e.currentTarget as HTMLInputElement).value })}
                  />
                </label>
                <span class="muted small">Empty: from the first to the last outcome day.</span>
              </>
            )}
            <span class="muted small">
              {plural(total, "outcome", "outcomes")} on record ({count(outcomes.value.byKind.churned)} churned),{" "}
              {outcomes.value.from} to {outcomes.value.to}.
            </span>
          </fieldset>
          {job.progress && <JobProgressLine title="Validating" progress={job.progress} onCancel={job.cancel} />}
          {job.error !== null && (
            <div
              role={job.cancelled ? "status" : "alert"}
              class={job.cancelled ? "" : "error"}
              id={job.errorId}
              tabIndex={-1}
            >
              <p>{job.error}</p>
              <button type="button" class="secondary" onClick={() => setAttempt((a) => a + 1)}>
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
