import { describe, expect, it } from "vitest";
import { stratifiedFolds } from "../../../core/validate/folds.ts";

describe("stratifiedFolds", () => {
  const labels = Array.from({ length: 103 }, (_, i) => (i % 7 === 0 ? 1 : 0)); // 15 positives, 88 negatives

  it("gives every fold ⌊P/k⌋ or ⌈P/k⌉ positives and sizes within one of each other", () => {
    const fold = stratifiedFolds(labels, 5, 42);
    const sizes = [0, 0, 0, 0, 0];
    const positives = [0, 0, 0, 0, 0];
    fold.forEach((f, i) => {
      sizes[f] = (sizes[f] as number) + 1;
      positives[f] = (positives[f] as number) + (labels[i] as number);
    });
    expect(positives).toEqual([3, 3, 3, 3, 3]);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((a, b) => a + b)).toBe(103);
  });

  it("is deterministic for a seed and shuffles differently for another", () => {
    expect(stratifiedFolds(labels, 5, 42)).toEqual(stratifiedFolds(labels, 5, 42));
    expect(stratifiedFolds(labels, 5, 43)).not.toEqual(stratifiedFolds(labels, 5, 42));
  });

  it("refuses fewer than two folds", () => {
    expect(() => stratifiedFolds(labels, 1, 1)).toThrow(/folds must be a whole number ≥ 2/);
  });
});
