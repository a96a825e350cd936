import { describe, expect, it } from "vitest";
import { dragSentence, factorMax, reweightNote } from "../../../core/insights/explain-text.ts";
import { explainAccount } from "../../../core/scoring/engine.ts";
import { account, card, D0, portfolio } from "../scoring/helpers.ts";

const linear = (id: string, weight: number) => ({
  id,
  label: id.toUpperCase(),
  weight,
  source: { kind: "attribute" as const, key: id },
  rule: { kind: "linear" as const, worst: 0, best: 100 },
});

/** One account scored on three factors of weights 1, 3 and 1 (shares 20, 60 and 20 points of 100). */
function explained(attributes: Record<string, number>) {
  const p = portfolio([account({ id: "a", attributes })]);
  const [result] = explainAccount(
    p,
    [card({ factors: [linear("nps", 1), linear("usage", 3), linear("tickets", 1)] })],
    0,
    D0,
  );
  if (!result) throw new Error("scorecard did not apply");
  return result;
}

describe("factor maxima and reweighting in words", () => {
  it("with every factor counted, each maximum is its share of 100", () => {
    const r = explained({ nps: 50, usage: 50, tickets: 100 });
    expect(r.factors.map(factorMax)).toEqual([20, 60, 20]);
    expect(reweightNote(r.factors, r.score)).toBeNull();
    // usage at n 0.5 loses 30 of its 60.
    expect(dragSentence(r.factors[1] as never, 30)).toBe("USAGE is 50 (30.0 of 60 points lost)");
  });

  it("a factor without data is left out: the others' maxima grow by its 20 points and still add to 100", () => {
    // nps missing (skip): counted weight 4, so usage can earn 100·3/4 = 75 and tickets 25. usage at 0.5 loses 37.5
    // of 75; before, the sentence said "37.5 of 60 points lost", more than the factor's shown maximum.
    const r = explained({ usage: 50, tickets: 100 });
    const max = r.factors.map(factorMax);
    expect(max[0]).toBe(0);
    expect(max[1]).toBeCloseTo(75, 12);
    expect(max[2]).toBeCloseTo(25, 12);
    expect(max.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 12);
    expect(dragSentence(r.factors[1] as never, 30)).toBe("USAGE is 50 (37.5 of 75 points lost)");
    expect(reweightNote(r.factors, r.score)).toBe(
      "NPS has no data, so its 20 points are shared out among the other factors in proportion to their weights: " +
        "each of them can earn more than its usual share, and the score is still out of 100.",
    );
  });

  it("names several factors left out, and says nothing when there is no score", () => {
    const r = explained({ usage: 50 });
    expect(reweightNote(r.factors, r.score)).toMatch(
      /^NPS and TICKETS have no data, so their 40 points are shared out/,
    );
    expect(reweightNote(r.factors, null)).toBeNull();
  });
});
