import type { Band } from "../schema/scorecard.ts";

/** Band shown for a null score: "not enough data". */
export const NO_DATA_BAND = { grade: "—", color: "grey", label: "Not enough data" } as const;

/**
 * Rounds half up to whole points, as scores are shown. The tiny epsilon absorbs binary floating-point error
 * (100 × 0.795 is 79.49999999999999 in doubles, and must show as 80).
 */
export function roundHalfUp(score: number): number {
  return Math.floor(score + 0.5 + 1e-9);
}

/** Bands sorted by `min`, highest first, ready for `bandIndexFor`. */
export function sortBands(bands: readonly Band[]): Band[] {
  return [...bands].sort((a, b) => b.min - a.min);
}

/**
 * Index (into bands sorted highest first) of the band a score falls in, or −1 for a null (NaN) score.
 *
 * The band is chosen on the score as shown (rounded half up), with `min` inclusive: 79.5 shows as 80 and is an A
 * under the default bands. Choosing on the unrounded score would show "80 · B", a number and a grade that
 * contradict each other on the same badge.
 */
export function bandIndexFor(sortedBands: readonly Band[], score: number): number {
  if (Number.isNaN(score)) return -1;
  const shown = roundHalfUp(score);
  for (let i = 0; i < sortedBands.length; i++) if ((sortedBands[i] as Band).min <= shown) return i;
  return sortedBands.length - 1;
}
