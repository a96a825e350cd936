import type { Band, Scorecard } from "../schema/scorecard.ts";
import { sortBands } from "./bands.ts";

/** A scorecard with its effective weights and bands worked out once. */
export interface CompiledScorecard {
  readonly card: Scorecard;
  /** Effective weight of each factor: its own, or its group's weight shared in proportion to the group's factors. */
  readonly weights: Float64Array;
  readonly totalWeight: number;
  /** Each factor's share of the scorecard in points out of 100. */
  readonly shares: readonly number[];
  /** Bands, highest `min` first. */
  readonly bands: readonly Band[];
}

/**
 * Works out effective weights: a factor outside any group keeps its weight; a group's weight is shared by its
 * factors in proportion to their weights (docs/scoring.md, "Weights and groups").
 */
export function compileScorecard(card: Scorecard): CompiledScorecard {
  const groupTotals = new Map<string, number>();
  for (const f of card.factors) {
    if (f.group !== undefined) groupTotals.set(f.group, (groupTotals.get(f.group) ?? 0) + f.weight);
  }
  const weights = Float64Array.from(card.factors, (f) => {
    if (f.group === undefined) return f.weight;
    const group = card.groups.find((g) => g.id === f.group);
    if (!group) throw new Error(`factor "${f.id}" is in group "${f.group}", which the scorecard does not define`);
    return (group.weight * f.weight) / (groupTotals.get(f.group) as number);
  });
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  if (!(totalWeight > 0)) throw new Error(`scorecard "${card.id}": the factors' weights add up to 0`);
  return {
    card,
    weights,
    totalWeight,
    shares: Array.from(weights, (w) => (100 * w) / totalWeight),
    bands: sortBands(card.bands),
  };
}
