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

/** A run of points whose cases are pooled into one churn rate. */
interface Block {
  /** Lowest and highest points with a case in the block. */
  first: number;
  last: number;
  cases: number;
  churned: number;
}

/**
 * Pools adjacent points until the churn rate never rises with the points (pool-adjacent-violators, the isotonic
 * regression of churn on points): cutting only between these blocks keeps every split's rates falling band by band.
 */
function monotoneBlocks(count: Float64Array, hits: Float64Array): Block[] {
  const blocks: Block[] = [];
  for (let v = 0; v < POINTS; v++) {
    if ((count[v] as number) === 0) continue;
    blocks.push({ first: v, last: v, cases: count[v] as number, churned: hits[v] as number });
    for (;;) {
      const upper = blocks.at(-1) as Block;
      const lower = blocks.at(-2);
      // A violation: the lower points churn less than the higher ones.
      if (!lower || lower.churned * upper.cases >= upper.churned * lower.cases) break;
      blocks.pop();
      blocks[blocks.length - 1] = {
        first: lower.first,
        last: upper.last,
        cases: lower.cases + upper.cases,
        churned: lower.churned + upper.churned,
      };
    }
  }
  return blocks;
}

/**
 * Splits the cases (shown points 0–100 each, and whether they churned) into `bandCount` bands of at least
 * `minCases` cases, highest band first (its `min` the highest; the last band's `min` is 0), with churn rates that
 * fall band by band: the most likely such split, cutting only between the blocks of the isotonic fit. A threshold
 * falls in the middle of the gap between two bands' cases, so a score between them goes to the nearer one. Null
 * when there are too few cases, or the scores do not separate churn into that many bands.
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
  const blocks = monotoneBlocks(count, hits);
  const m = blocks.length;
  if (m < bandCount) return null;
  // Prefix sums over blocks: cases and churned cases in blocks before b.
  const c = new Float64Array(m + 1);
  const h = new Float64Array(m + 1);
  blocks.forEach((block, b) => {
    c[b + 1] = (c[b] as number) + block.cases;
    h[b + 1] = (h[b] as number) + block.churned;
  });
  /** Log-likelihood of blocks a … b as one band, or −∞ when the band would be too small. */
  const segment = (a: number, b: number) => {
    const n = (c[b + 1] as number) - (c[a] as number);
    return n < Math.max(1, minCases)
      ? Number.NEGATIVE_INFINITY
      : logLikelihood(n, (h[b + 1] as number) - (h[a] as number));
  };
  // best[j][b]: the best log-likelihood of blocks 0…b in j+1 bands; from[j][b]: the block the last band starts at.
  const best = Array.from({ length: bandCount }, () => new Float64Array(m).fill(Number.NEGATIVE_INFINITY));
  const from = Array.from({ length: bandCount }, () => new Int32Array(m).fill(-1));
  for (let b = 0; b < m; b++) (best[0] as Float64Array)[b] = segment(0, b);
  for (let j = 1; j < bandCount; j++) {
    const prev = best[j - 1] as Float64Array;
    const row = best[j] as Float64Array;
    const at = from[j] as Int32Array;
    for (let b = j; b < m; b++) {
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
  if ((best[bandCount - 1] as Float64Array)[m - 1] === Number.NEGATIVE_INFINITY) return null;
  // Walk back: the first block of bands 2 … bandCount (band 1 starts at block 0).
  const starts: number[] = [];
  let end = m - 1;
  for (let j = bandCount - 1; j >= 1; j--) {
    const a = (from[j] as Int32Array)[end] as number;
    starts.unshift(a);
    end = a - 1;
  }
  const bounds = [0, ...starts, m];
  const bands: SplitBand[] = [];
  for (let j = 0; j < bandCount; j++) {
    const a = bounds[j] as number;
    const b = bounds[j + 1] as number;
    let min = 0;
    if (j > 0) {
      const below = (blocks[a - 1] as Block).last;
      min = below + Math.ceil(((blocks[a] as Block).first - below) / 2);
    }
    const n = (c[b] as number) - (c[a] as number);
    const k = (h[b] as number) - (h[a] as number);
    bands.push({ min, cases: n, churned: k, churnRate: k / n });
  }
  return bands.reverse();
}
