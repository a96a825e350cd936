import { describe, expect, it } from "vitest";
import { DEFAULT_BANDS } from "../../../core/schema/scorecard.ts";
import { bandsForTarget, bandTargets } from "../../../core/validate/band-targets.ts";

// Ten accounts scoring 10, 20 … 100; those at 10, 20, 30 and 50 churned (base rate 40%); one with no score.
const SCORES = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, Number.NaN];
const CHURNED = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1];
const ALL = SCORES.map((_, i) => i);

describe("band thresholds by target", () => {
  const targets = bandTargets(SCORES, CHURNED, ALL);

  it("red = the 20% most at risk: the two lowest, both churned, cut midway between 20 and 30, no false alarm", () => {
    const t = targets.find((x) => x.kind === "share" && x.value === 0.2);
    expect(t).toMatchObject({ redBelow: 25, red: 2, redShare: 0.2, caught: 2, caughtShare: 0.5, falseAlarms: 0 });
    expect(t?.words).toBe("red = the 20% most at risk");
  });

  it("red churns at ≥ 2× the base rate: the highest threshold that still does (4 of the 5 below 55, midway between 50 and 60)", () => {
    const t = targets.find((x) => x.kind === "lift" && x.value === 2);
    expect(t).toMatchObject({ redBelow: 55, red: 5, caught: 4, falseAlarms: 1, churnRate: 0.8 });
    expect(t?.lift).toBeCloseTo(2, 10);
    // 3× the base rate (120%) cannot be reached: no such target.
    expect(targets.some((x) => x.kind === "lift" && x.value === 3)).toBe(false);
  });

  it("moves the bands: the lowest band that is not red starts at the threshold, the others stay above it", () => {
    expect(bandsForTarget(DEFAULT_BANDS, 51).map((b) => [b.grade, b.min])).toEqual([
      ["A", 80],
      ["B", 65],
      ["C", 51],
      ["D", 0],
    ]);
    expect(bandsForTarget(DEFAULT_BANDS, 70).map((b) => [b.grade, b.min])).toEqual([
      ["A", 90],
      ["B", 80],
      ["C", 70],
      ["D", 0],
    ]);
  });
});
