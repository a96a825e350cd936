import type { FactorExplanation } from "../schema/result.ts";
import { count } from "../text/words.ts";

// Scores and factors in the plain words a CSM reads, in one place so the app's account page and the extension's
// badges (built by the worker) say the same thing.

/** A signed number of points: +3, −12, ±0; "—" for none. */
export function signed(value: number | null, digits = 0): string {
  if (value === null || Number.isNaN(value)) return "—";
  const rounded = Number(value.toFixed(digits));
  if (rounded === 0) return "±0";
  return rounded > 0 ? `+${rounded.toFixed(digits)}` : `−${(-rounded).toFixed(digits)}`;
}

/** A factor's raw value as a CSM reads it. */
export function valueText(value: FactorExplanation["value"]): string {
  if (value === null) return "no data";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return Number.isInteger(value) ? count(value) : value.toFixed(2);
  return value;
}

/** Points as a CSM reads them: to a tenth, without a trailing ".0" (20, 23.5). */
export function pointsText(points: number): string {
  return String(Math.round(points * 10) / 10);
}

/**
 * The most points a factor can earn in this score. That is its share of 100 when every factor counts; when a
 * factor without data is left out, its points are shared out among the others in proportion to their weights, so
 * each counted factor's maximum grows and the maxima still add up to 100. A factor left out can earn nothing.
 */
export function factorMax(f: FactorExplanation): number {
  return f.countedN === null ? 0 : f.earned + f.lost;
}

/**
 * The sentence that explains reweighting, when this score left factors out for lack of data; null when every
 * factor counted (or there is no score).
 */
export function reweightNote(factors: readonly FactorExplanation[], score: number | null): string | null {
  if (score === null) return null;
  const left = factors.filter((f) => f.countedN === null);
  if (left.length === 0 || left.length === factors.length) return null;
  const names =
    left.length === 1
      ? (left[0] as FactorExplanation).label
      : `${left
          .slice(0, -1)
          .map((f) => f.label)
          .join(", ")} and ${(left.at(-1) as FactorExplanation).label}`;
  const points = pointsText(left.reduce((sum, f) => sum + f.share, 0));
  return (
    `${names} ${left.length === 1 ? "has" : "have"} no data, so ${left.length === 1 ? "its" : "their"} ${points} ` +
    `points are shared out among the other factors in proportion to their weights: each of them can earn more ` +
    `than its usual share, and the score is still out of 100.`
  );
}

/** One sentence per top drag: what it is now, what it was, and what it cost. */
export function dragSentence(f: FactorExplanation, deltaDays: number): string {
  const lost = `${f.lost.toFixed(1)} of ${pointsText(factorMax(f))} points lost`;
  if (f.status === "missing") return `${f.label}: no data (${lost})`;
  if (f.deltaPoints !== null && f.deltaPoints < -0.05 && f.previousValue !== null) {
    return `${f.label} fell from ${valueText(f.previousValue)} to ${valueText(f.value)} in ${deltaDays} days: ${signed(f.deltaPoints, 1)} points (${lost})`;
  }
  return `${f.label} is ${valueText(f.value)} (${lost})`;
}
