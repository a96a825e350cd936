import type { FactorExplanation } from "../schema/result.ts";

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
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
  return value;
}

/** One sentence per top drag: what it is now, what it was, and what it cost. */
export function dragSentence(f: FactorExplanation, deltaDays: number): string {
  const lost = `${f.lost.toFixed(1)} of ${f.share.toFixed(0)} points lost`;
  if (f.status === "missing") return `${f.label}: no data (${lost})`;
  if (f.deltaPoints !== null && f.deltaPoints < -0.05 && f.previousValue !== null) {
    return `${f.label} fell from ${valueText(f.previousValue)} to ${valueText(f.value)} in ${deltaDays} days: ${signed(f.deltaPoints, 1)} points (${lost})`;
  }
  return `${f.label} is ${valueText(f.value)} (${lost})`;
}
