import { describe, expect, it } from "vitest";
import { approxDifferences } from "./approx.ts";

describe("approxDifferences (cross-engine float comparison)", () => {
  it("accepts numbers that differ in their last bits, even near zero", () => {
    // The case that failed on a fresh machine: a no-effect coefficient computed by two engines.
    expect(approxDifferences({ b: 3.2406e-19 }, { b: 3.3182e-19 })).toEqual([]);
    expect(approxDifferences(0.1 + 0.2, 0.3)).toEqual([]);
    expect(approxDifferences(1234567.891, 1234567.891 * (1 + 5e-10))).toEqual([]);
  });

  it("refuses numbers that differ by more than 1e-9 + 1e-9·|expected|", () => {
    expect(approxDifferences({ auc: 0.8123 }, { auc: 0.8124 })).toEqual(["$.auc: 0.8123 vs 0.8124"]);
    expect(approxDifferences(1e6, 1e6 + 0.01)).toHaveLength(1);
    expect(approxDifferences(0, 1e-8)).toHaveLength(1);
  });

  it("keeps exact equality for what is exact: strings, booleans, nulls, lengths and keys", () => {
    expect(approxDifferences({ band: "A" }, { band: "B" })).toEqual(['$.band: "A" vs "B"']);
    expect(approxDifferences([1, 2], [1, 2, 3])).toEqual(["$: length 2 vs 3"]);
    expect(approxDifferences({ a: 1 }, { a: 1, b: 2 })).toEqual(["$.b: missing vs 2"]);
    expect(approxDifferences({ x: null }, { x: 0 })).toEqual(["$.x: null vs 0"]);
    expect(approxDifferences([{ flagged: true }], [{ flagged: false }])).toEqual(["$[0].flagged: true vs false"]);
  });
});
