import { describe, expect, it } from "vitest";
import { rocAuc, rocCurve } from "../../../core/validate/metrics.ts";

describe("rocAuc", () => {
  it("counts each positive's wins over the negatives, ties as half (worked by hand)", () => {
    // Positives (1) at risk 10, 45, 80; negatives at 30, 45, 60, 70, 90.
    // 10 beats nothing: 0. 45 beats 30 and ties 45: 1.5. 80 beats 30, 45, 60, 70: 4. (0 + 1.5 + 4) / (3 × 5) = 5.5/15.
    const risk = [10, 30, 45, 45, 60, 70, 80, 90];
    const positive = [1, 0, 1, 0, 0, 0, 1, 0];
    expect(rocAuc(risk, positive)).toBeCloseTo(5.5 / 15, 12);
  });

  it("is 1 for a perfect ranking, 0 for a reversed one, 0.5 when everything ties", () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
  });

  it("leaves out NaN risks (null scores) and cases outside the subset", () => {
    // Without the NaN case and case 4 (index 4, risk 0, positive): positives 3, 1 vs negatives 2 → 1/2.
    expect(rocAuc([3, Number.NaN, 2, 1, 0], [1, 1, 0, 1, 1], [0, 1, 2, 3])).toBe(0.5);
  });

  it("is null when one class is empty", () => {
    expect(rocAuc([1, 2], [1, 1])).toBeNull();
    expect(rocAuc([1, Number.NaN], [0, 1])).toBeNull();
  });
});

describe("rocCurve", () => {
  it("steps through the distinct risks from the highest down (worked by hand)", () => {
    const risk = [10, 30, 45, 45, 60, 70, 80, 90];
    const positive = [1, 0, 1, 0, 0, 0, 1, 0];
    // 3 positives, 5 negatives. 90: a negative → (1/5, 0); 80: a positive → (1/5, 1/3); 70 → (2/5, 1/3);
    // 60 → (3/5, 1/3); 45: one of each → (4/5, 2/3); 30 → (1, 2/3); 10 → (1, 1).
    const curve = rocCurve(risk, positive);
    expect(curve.map((p) => p.risk)).toEqual([null, 90, 80, 70, 60, 45, 30, 10]);
    expect(curve.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0.2, 0],
      [0.2, 1 / 3],
      [0.4, 1 / 3],
      [0.6, 1 / 3],
      [0.8, 2 / 3],
      [1, 2 / 3],
      [1, 1],
    ]);
  });

  it("keeps at most maxPoints exact points, first and last included", () => {
    const risk = Array.from({ length: 1000 }, (_, i) => i);
    const positive = risk.map((i) => i % 3 === 0);
    const full = rocCurve(risk, positive.map(Number), undefined, 10_000);
    const thin = rocCurve(risk, positive.map(Number), undefined, 11);
    expect(thin).toHaveLength(11);
    expect(thin[0]).toEqual(full[0]);
    expect(thin.at(-1)).toEqual(full.at(-1));
    for (const p of thin) expect(full).toContainEqual(p);
  });
});
