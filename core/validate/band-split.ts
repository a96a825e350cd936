/**
 * Band thresholds that split churn rates well: the partition of shown points (0–100) into a given number of bands
 * that maximises the binomial log-likelihood of churn with one churn rate per band, the classic optimal 1-D
 * split, found exactly by dynamic programming over the 101 possible points.
 */

/** One band of a split: its lowest shown points, and the cases and churned cases that fall in it. */
export interface SplitBand {
  min: number;
  cases: number;
  churned: number;
  churnRate: number;
}

const POINTS = 101;

/** k·log(k/n) + (n−k)·log((n−k)/n): the best log-likelihood of k churned out of n with one rate (0·log 0 = 0). */
function logLikelihood(n: number, k: number): number {
  if (n === 0) return 0;
  const part = (x: number) => (x === 0 ? 0 : x * Math.log(x / n));
  return part(k) + part(n - k);
}

/**
 * Splits the cases (shown points 0–100 each, and whether they churned) into `bandCount` bands of at least
 * `minCases` cases, highest band first (its `min` the highest; the last band's `min` is 0). A threshold falls in
 * the middle of the gap between two bands' cases, so a score between them goes to the nearer one. Null when there
 * are too few cases for that many bands.
 */
export function splitByChurn(
  points: ArrayLike<number>,
  churned: ArrayLike<number>,
  cases: ArrayLike<number>,
  bandCount: number,
  minCases: number,
): SplitBand[] | null {
  const count = new Float64Array(POINTS);
  const hits = new Float64Array(POINTS);
  for (let k = 0; k < cases.length; k++) {
    const i = cases[k] as number;
    const v = Math.min(100, Math.max(0, Math.round(points[i] as number)));
    count[v] = (count[v] as number) + 1;
    if (churned[i]) hits[v] = (hits[v] as number) + 1;
  }
  // Prefix sums: cases and churned cases with points below v.
  const c = new Float64Array(POINTS + 1);
  const h = new Float64Array(POINTS + 1);
  for (let v = 0; v < POINTS; v++) {
    c[v + 1] = (c[v] as number) + (count[v] as number);
    h[v + 1] = (h[v] as number) + (hits[v] as number);
  }
  if ((c[POINTS] as number) < bandCount * Math.max(1, minCases)) return null;
  const segment = (a: number, b: number) => {
    const n = (c[b + 1] as number) - (c[a] as number);
    return n < minCases || n === 0
      ? Number.NEGATIVE_INFINITY
      : logLikelihood(n, (h[b + 1] as number) - (h[a] as number));
  };
  // best[j][b]: the best log-likelihood of points 0…b in j+1 bands; from[j][b]: where the last of them starts.
  const best = Array.from({ length: bandCount }, () => new Float64Array(POINTS).fill(Number.NEGATIVE_INFINITY));
  const from = Array.from({ length: bandCount }, () => new Int32Array(POINTS).fill(-1));
  for (let b = 0; b < POINTS; b++) (best[0] as Float64Array)[b] = segment(0, b);
  for (let j = 1; j < bandCount; j++) {
    const prev = best[j - 1] as Float64Array;
    const row = best[j] as Float64Array;
    const at = from[j] as Int32Array;
    for (let b = j; b < POINTS; b++) {
      for (let a = j; a <= b; a++) {
        const before = prev[a - 1] as number;
        if (before === Number.NEGATIVE_INFINITY) continue;
        const value = before + segment(a, b);
        if (value > (row[b] as number)) {
          row[b] = value;
          at[b] = a;
        }
      }
    }
  }
  if ((best[bandCount - 1] as Float64Array)[POINTS - 1] === Number.NEGATIVE_INFINITY) return null;
  // Walk back: the starts of bands 2 … bandCount (band 1 starts at 0).
  const starts: number[] = [];
  let end = POINTS - 1;
  for (let j = bandCount - 1; j >= 1; j--) {
    const a = (from[j] as Int32Array)[end] as number;
    starts.unshift(a);
    end = a - 1;
  }
  const bounds = [0, ...starts, POINTS];
  const occupied = (a: number, b: number, first: boolean) => {
    if (first) for (let v = a; v < b; v++) if ((count[v] as number) > 0) return v;
    if (!first) for (let v = b - 1; v >= a; v--) if ((count[v] as number) > 0) return v;
    return a;
  };
  const bands: SplitBand[] = [];
  for (let j = 0; j < bandCount; j++) {
    const a = bounds[j] as number;
    const b = bounds[j + 1] as number;
    let min = a;
    if (j > 0) {
      const below = occupied(bounds[j - 1] as number, a, false);
      const lowest = occupied(a, b, true);
      min = below + Math.ceil((lowest - below) / 2);
    }
    const n = (c[b] as number) - (c[a] as number);
    const k = (h[b] as number) - (h[a] as number);
    bands.push({ min, cases: n, churned: k, churnRate: k / n });
  }
  return bands.reverse();
}
