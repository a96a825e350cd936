import { changeSentence, movingParts, partWords, type ScoreChange } from "../../../core/insights/score-change.ts";
import { roundHalfUp } from "../../../core/scoring/bands.ts";

const signedInt = (x: number) => (x < 0 ? `−${-x}` : x > 0 ? `+${x}` : "±0");

/**
 * "Why did the score move?": the change from the score `deltaDays` ago to today as a small waterfall (the score
 * then, one step per factor that moved the shown score, the score now) and in words. The steps are whole points
 * that add up exactly to the shown change (core/insights/score-change.ts).
 */
export function ScoreChangeView({ change, id }: { change: ScoreChange; id: string }) {
  const from = roundHalfUp(change.scoreThen);
  const to = roundHalfUp(change.scoreNow);
  const steps = movingParts(change);
  let running = from;
  const rows = steps.map((p) => {
    const start = running;
    running += p.shown;
    return { p, start, end: running };
  });
  const bar = (a: number, b: number) => ({
    left: `${Math.max(0, Math.min(a, b))}%`,
    width: `${Math.max(0.6, Math.abs(b - a))}%`,
  });
  return (
    <section class="score-change" aria-labelledby={`${id}-title`} data-change={change.shownChange}>
      <h3 id={`${id}-title`}>Why the score moved</h3>
      <p class="change-sentence">{changeSentence(change, 1000)}</p>
      <ol class="waterfall" aria-label={`From ${from} to ${to} in ${change.deltaDays} days, step by step`}>
        <li class="wf-row wf-total" data-total="then">
          <span class="wf-label">{change.deltaDays} days ago</span>
          <span class="wf-track" aria-hidden="true">
            <span class="wf-bar" style={bar(0, from)} />
          </span>
          <span class="wf-points num">{from}</span>
        </li>
        {rows.map(({ p, start, end }) => (
          <li key={p.factorId} class="wf-row" data-points={p.shown}>
            <span class="wf-label">{p.label}</span>
            <span class="wf-track" aria-hidden="true">
              <span class={`wf-bar ${p.shown < 0 ? "wf-down" : "wf-up"}`} style={bar(start, end)} />
            </span>
            <span class="wf-points num">
              {signedInt(p.shown)}
              <span class="visually-hidden"> points: {partWords(p)}</span>
            </span>
          </li>
        ))}
        <li class="wf-row wf-total" data-total="now">
          <span class="wf-label">Today</span>
          <span class="wf-track" aria-hidden="true">
            <span class="wf-bar" style={bar(0, to)} />
          </span>
          <span class="wf-points num">{to}</span>
        </li>
      </ol>
    </section>
  );
}
