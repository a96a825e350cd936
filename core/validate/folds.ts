import { mulberry32 } from "./random.ts";

/**
 * Assigns each case to one of k folds, stratified: the positives are shuffled (seeded) and dealt round the folds,
 * then the negatives carry on dealing where the positives stopped. So every fold has ⌊P/k⌋ or ⌈P/k⌉ positives,
 * fold sizes differ by at most one, and the same labels, k and seed always give the same folds.
 */
export function stratifiedFolds(positive: ArrayLike<number>, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error(`folds must be a whole number ≥ 2, got ${k}`);
  const rand = mulberry32(seed);
  const fold = new Int32Array(positive.length);
  let dealt = 0;
  for (const want of [true, false]) {
    const members: number[] = [];
    for (let i = 0; i < positive.length; i++) if (Boolean(positive[i]) === want) members.push(i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [members[i], members[j]] = [members[j] as number, members[i] as number];
    }
    for (const i of members) fold[i] = dealt++ % k;
  }
  return fold;
}
