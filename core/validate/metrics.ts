/**
 * How well a risk ranks churned accounts above the others: ROC AUC (the Mann–Whitney statistic) and the ROC curve.
 * Cases are chosen by index, so cross-validation can score one fold without copying arrays.
 */

/** One point of a ROC curve: calling every case with risk ≥ `risk` at risk catches `tpr` of the positives. */
export interface RocPoint {
  /** The lowest risk called "at risk" at this point; null for the curve's origin (nothing called at risk). */
  risk: number | null;
  /** Share of the negatives called at risk (false alarms). */
  fpr: number;
  /** Share of the positives called at risk (caught). */
  tpr: number;
}

/** The indices 0 … n−1 (every case). */
export function allCases(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Cases with a finite risk, sorted by risk descending (ties keep index order, so the result is deterministic). */
function byRiskDescending(risk: ArrayLike<number>, cases: ArrayLike<number>): number[] {
  const kept: number[] = [];
  for (let k = 0; k < cases.length; k++) {
    const i = cases[k] as number;
    if (Number.isFinite(risk[i] as number)) kept.push(i);
  }
  return kept.sort((a, b) => (risk[b] as number) - (risk[a] as number) || a - b);
}

/**
 * ROC AUC: the chance that a random positive case has a higher risk than a random negative one, a tie counting
 * half. Cases with a NaN risk are left out. Null when there is no positive or no negative case among the rest.
 */
export function rocAuc(
  risk: ArrayLike<number>,
  positive: ArrayLike<number>,
  cases: ArrayLike<number> = allCases(risk.length),
): number | null {
  const order = byRiskDescending(risk, cases);
  let positives = 0;
  let negatives = 0;
  for (const i of order) {
    if (positive[i]) positives++;
    else negatives++;
  }
  if (positives === 0 || negatives === 0) return null;
  // Walk from the lowest risk up: each positive beats the negatives strictly below it, and half of its ties.
  let negativesBelow = 0;
  let wins = 0;
  for (let end = order.length; end > 0; ) {
    const r = risk[order[end - 1] as number] as number;
    let start = end - 1;
    while (start > 0 && risk[order[start - 1] as number] === r) start--;
    let p = 0;
    let n = 0;
    for (let k = start; k < end; k++) {
      if (positive[order[k] as number]) p++;
      else n++;
    }
    wins += p * negativesBelow + 0.5 * p * n;
    negativesBelow += n;
    end = start;
  }
  return wins / (positives * negatives);
}

/**
 * The ROC curve, one point per distinct risk from the highest down, starting at (0, 0) and ending at (1, 1).
 * With more than `maxPoints` points, evenly spaced ones are kept (always the first and the last), all exact.
 */
export function rocCurve(
  risk: ArrayLike<number>,
  positive: ArrayLike<number>,
  cases: ArrayLike<number> = allCases(risk.length),
  maxPoints = 201,
): RocPoint[] {
  const order = byRiskDescending(risk, cases);
  let positives = 0;
  for (const i of order) if (positive[i]) positives++;
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return [];
  const points: RocPoint[] = [{ risk: null, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < order.length; ) {
    const r = risk[order[start] as number] as number;
    let end = start;
    while (end < order.length && risk[order[end] as number] === r) {
      if (positive[order[end] as number]) tp++;
      else fp++;
      end++;
    }
    points.push({ risk: r, fpr: fp / negatives, tpr: tp / positives });
    start = end;
  }
  if (points.length <= maxPoints) return points;
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, k) => points[Math.round(k * step)] as RocPoint);
}
