import { describe, expect, it } from "vitest";
import { splitByChurn } from "../../../core/validate/band-split.ts";

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("splitByChurn", () => {
  it("puts the threshold in the middle of the gap between churned and retained accounts", () => {
    // Points 10, 10, 20 churned; 30, 80, 90 did not. The split {10, 10, 20} | {30, 80, 90} has one pure rate per
    // band (log-likelihood 0, the maximum); the gap 20…30 puts the upper band's min at 20 + ⌈10/2⌉ = 25.
    const bands = splitByChurn([10, 10, 20, 30, 80, 90], [1, 1, 1, 0, 0, 0], all(6), 2, 1);
    expect(bands).toEqual([
      { min: 25, cases: 3, churned: 0, churnRate: 0 },
      { min: 0, cases: 3, churned: 3, churnRate: 1 },
    ]);
  });

  it("maximises the likelihood over every split (three bands, worked by hand)", () => {
    // Points 10 ×4 (3 churned), 50 ×4 (1 churned), 90 ×4 (0 churned). Any 3-band split must cut at the two gaps:
    // rates 3/4, 1/4, 0 falling band by band; the mins are 10 + 20 = 30 and 50 + 20 = 70.
    const points = [10, 10, 10, 10, 50, 50, 50, 50, 90, 90, 90, 90];
    const churned = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    const bands = splitByChurn(points, churned, all(12), 3, 2);
    expect(bands?.map((b) => [b.min, b.cases, b.churned])).toEqual([
      [70, 4, 0],
      [30, 4, 1],
      [0, 4, 3],
    ]);
  });

  it("keeps churn falling band by band: points that churn less than higher points are pooled first", () => {
    // Churned of cases at each points: 10: 1 of 2, 30: 2 of 2, 60: 0 of 2, 90: 1 of 2. The rate rises from 10 to 30
    // and from 60 to 90, so the isotonic fit pools them: {10, 30} at 3/4 and {60, 90} at 1/4. Two bands cut
    // between the pools (min 30 + ⌈30/2⌉ = 45); three bands would need a cut inside a pool: none suggested.
    const points = [10, 10, 30, 30, 60, 60, 90, 90];
    const churned = [1, 0, 1, 1, 0, 0, 1, 0];
    expect(splitByChurn(points, churned, all(8), 2, 1)).toEqual([
      { min: 45, cases: 4, churned: 1, churnRate: 0.25 },
      { min: 0, cases: 4, churned: 3, churnRate: 0.75 },
    ]);
    expect(splitByChurn(points, churned, all(8), 3, 1)).toBeNull();
  });

  it("respects the smallest band size, and gives up when too few accounts", () => {
    // Two bands of at least 4 accounts each need 8 accounts; there are 6.
    expect(splitByChurn([10, 10, 20, 30, 80, 90], [1, 1, 1, 0, 0, 0], all(6), 2, 4)).toBeNull();
    // With at least 3 per band, the pure split of the first test is still allowed.
    const three = splitByChurn([10, 10, 20, 30, 80, 90], [1, 1, 1, 0, 0, 0], all(6), 2, 3);
    expect(three?.map((b) => b.cases)).toEqual([3, 3]);
  });
});
