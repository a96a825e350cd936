import type uPlot from "uplot";

/** The colours of the charts, matching the badges (and readable in light and dark). */
export const CHART = { line: "#0f766e", chance: "#64748b" };

/** AUCs to 3 decimals, as `vitals validate` prints them: a gain of 0.004 must show. */
export const auc3 = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toFixed(3));
export const signed3 = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`);
/** Points as a scorecard writes them (a tenth). */
export const pts = (x: number) => String(Math.round(x * 10) / 10);

/** What an AUC says, for a CSM: how often a churned account scored below one that stayed. */
export function aucWords(auc: number | null): string {
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

export const asPercent = (_u: uPlot, ticks: number[]) => ticks.map((t) => `${Math.round(t * 100)}%`);
