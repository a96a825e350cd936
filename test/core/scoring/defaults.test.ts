import { describe, expect, it } from "vitest";
import { compileScorecard } from "../../../core/scoring/compile.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";

describe("default scorecards", () => {
  it("are the three a CSM starts from", () => {
    expect(DEFAULT_SCORECARDS.map((c) => c.name)).toEqual([
      "Onboarding (first 90 days)",
      "Adoption (SMB)",
      "Enterprise renewal",
    ]);
  });

  it.each(DEFAULT_SCORECARDS.map((c) => [c.name, c] as const))(
    "%s has 5–7 factors of 10–20 points each, each described",
    (_name, card) => {
      expect(card.factors.length).toBeGreaterThanOrEqual(5);
      expect(card.factors.length).toBeLessThanOrEqual(7);
      const { shares } = compileScorecard(card);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
      for (const [i, share] of shares.entries()) {
        expect(share, card.factors[i]?.id).toBeGreaterThanOrEqual(10);
        expect(share, card.factors[i]?.id).toBeLessThanOrEqual(20);
        expect(card.factors[i]?.description.length, card.factors[i]?.id).toBeGreaterThan(30);
      }
    },
  );
});
