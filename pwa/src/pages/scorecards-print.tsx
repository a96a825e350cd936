import { sortBands } from "../../../core/scoring/bands.ts";
import { appliesWords, factorSentence, pts, sharesOf } from "../components/scorecard-text.ts";
import { client, useLoad } from "../services.ts";

/**
 * A one-page explanation of a scorecard (`#/scorecards/<id>/print`) for a CSM or a customer: each factor as a
 * sentence with its points, and the bands. The print stylesheet hides the app around it.
 */
export function ScorecardPrintPage({ id }: { id: string }) {
  const loaded = useLoad(() => client.scorecards(), []);
  if (loaded.state === "loading") return <p aria-busy="true">Loading the scorecard…</p>;
  const live = loaded.state === "ready" ? loaded.value.find((c) => c.scorecard.id === id) : undefined;
  if (!live) {
    return (
      <>
        <h1>Scorecard not found</h1>
        <p role="alert" class="error">
          {loaded.state === "error" ? loaded.message : `there is no scorecard "${id}"`}
        </p>
        <a href="#/scorecards">Back to scorecards</a>
      </>
    );
  }
  const card = live.scorecard;
  const shares = sharesOf(card);
  const bands = sortBands(card.bands);
  const groupOf = (groupId: string | undefined) => card.groups.find((g) => g.id === groupId)?.label;
  return (
    <article class="print-sheet" aria-labelledby="print-title">
      <p class="no-print">
        <a href={`#/scorecards/${encodeURIComponent(id)}`}>← Back to the editor</a>{" "}
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
      </p>
      <h1 id="print-title">How the “{card.name}” health score works</h1>
      {card.description && <p>{card.description}</p>}
      <p>
        <strong>Applies to:</strong> {appliesWords(card.appliesTo)}. <strong>Priority</strong> {card.priority}: when
        several scorecards apply to an account, the one with the highest priority gives its badge's score.
      </p>
      <p>
        The score goes from 0 to 100 points. Each factor below earns up to its share of the points; together they make
        100. If the factors with data carry less than {Math.round(card.minCoverage * 100)}% of the weight, there is no
        score (“not enough data”), never a 0. The change shown next to a score is over {card.deltaDays} days.
      </p>
      <h2>Factors</h2>
      <ol class="print-factors">
        {card.factors.map((f, i) => (
          <li key={f.id}>
            <strong>
              {f.label} — {pts(shares[i] ?? Number.NaN)} points
              {groupOf(f.group) ? ` (${groupOf(f.group)})` : ""}.
            </strong>{" "}
            {f.description && <span>{f.description} </span>}
            <span>{factorSentence(f, shares[i] ?? Number.NaN)}</span>
          </li>
        ))}
      </ol>
      <h2>Bands</h2>
      <table class="data counts">
        <thead>
          <tr>
            <th scope="col">Points</th>
            <th scope="col">Grade</th>
            <th scope="col">Label</th>
            <th scope="col">Colour</th>
          </tr>
        </thead>
        <tbody>
          {bands.map((b, i) => (
            <tr key={`${b.min}-${b.grade}`}>
              <td>
                {b.min} to {i === 0 ? 100 : (bands[i - 1]?.min ?? 100) - 1}
              </td>
              <td>{b.grade}</td>
              <td>{b.label}</td>
              <td>
                <span class={`chip chip-${b.color}`} aria-hidden="true" /> {b.color}
              </td>
            </tr>
          ))}
          <tr>
            <td>no score</td>
            <td>—</td>
            <td>Not enough data</td>
            <td>
              <span class="chip chip-grey" aria-hidden="true" /> grey
            </td>
          </tr>
        </tbody>
      </table>
      <p class="muted small">
        Version {live.version}, saved {new Date(live.updatedAt).toLocaleDateString()}. Scores are computed on this
        device from the data imported into Vitals.
      </p>
    </article>
  );
}
