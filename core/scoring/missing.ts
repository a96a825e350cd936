import type { MissingPolicy } from "../schema/scorecard.ts";

/**
 * What a factor with no value counts as under its missing policy (docs/scoring.md): 0 for "zero", the assumed n
 * for "assume", and NaN for "skip" (the factor and its weight are left out of the score).
 */
export function missingStandIn(policy: MissingPolicy): number {
  if (policy.policy === "zero") return 0;
  if (policy.policy === "assume") return policy.n;
  return Number.NaN;
}

/** The n a score counts for a factor: n itself, or its missing policy's stand-in; NaN when the factor is skipped. */
export function countedN(n: number, policy: MissingPolicy): number {
  return Number.isNaN(n) ? missingStandIn(policy) : n;
}
