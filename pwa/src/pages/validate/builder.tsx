import { useState } from "preact/hooks";
import { count, percent, plural } from "../../../../core/text/words.ts";
import type { BandTarget } from "../../../../core/validate/band-targets.ts";
import type { FittedFactor, ScorecardBuild } from "../../../../core/validate/builder.ts";
import { builderDraft } from "../../../../core/validate/draft.ts";
import type { ValidationReport } from "../../../../core/validate/validate.ts";
import { handOverDraft } from "../../components/draft-handoff.ts";
import { WideTable } from "../../components/wide-table.tsx";
import { auc3, pts, signed3 } from "./format.ts";

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
export function Builder({ report }: { report: ValidationReport }) {
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
