import { describe, expect, it } from "vitest";
import { Scorecard } from "../../../core/schema/scorecard.ts";
import { builderDraft } from "../../../core/validate/draft.ts";
import { validateScorecard } from "../../../core/validate/validate.ts";
import { KNOWN_DAY, knownStructure } from "../../support/known-structure.ts";

const DAY = KNOWN_DAY;

/** The known effects on churn (knownStructure): intercept −0.4, plan (Basic +1, Premium −1), usage ≤ 30 (+1.2), and a sponsor the card leaves out (−1.2). */
const EFFECTS = { intercept: -0.4, sponsor: -1.2 };

const CARD = Scorecard.parse({
  id: "hand",
  name: "Hand",
  factors: [
    {
      id: "plan",
      label: "Plan",
      weight: 1,
      source: { kind: "attribute", key: "plan" },
      rule: { kind: "categorical", map: { Basic: 0.5, Pro: 0.5, Premium: 0.6 } },
    },
    {
      id: "usage",
      label: "Usage",
      weight: 1,
      source: { kind: "attribute", key: "usage" },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
  ],
});

describe("builderDraft: what the Validate page applies", () => {
  const { portfolio, outcomes } = knownStructure(3000, 5, EFFECTS);
  // At most 2 factors: the suggestion cannot take the sponsor in, so adding it is the user's click.
  const build = validateScorecard(portfolio, CARD, outcomes, { snapshotDay: DAY, maxFactors: 2 }).build;
  if (!build) throw new Error("no build");
  const score = (card: Scorecard) =>
    validateScorecard(portfolio, card, outcomes, { snapshotDay: DAY, build: false }).auc as number;

  it("discovers the sponsor the card left out, first", () => {
    expect(build.discovery[0]?.factorId).toBe("sponsor");
    expect(build.suggested.added).toEqual([]);
  });

  it("is the suggested card under its new id and name, and adds a discovered factor once, which predicts better", () => {
    const plain = builderDraft(build) as Scorecard;
    expect(plain.id).toBe("hand-suggested");
    expect(plain.name).toMatch(/^Hand \(suggested: /);
    expect(plain.factors.map((f) => f.id)).toEqual(["plan", "usage"]);
    const added = builderDraft(build, { add: ["sponsor", "sponsor", "no-such-factor"] }) as Scorecard;
    expect(added.factors.map((f) => f.id)).toEqual(["plan", "usage", "sponsor"]);
    // The sponsor's fitted rule: yes earns its points, no earns none.
    expect(added.factors[2]?.rule).toMatchObject({ kind: "boolean", true: 1, false: 0 });
    expect(score(added)).toBeGreaterThan(score(plain) + 0.03);
  });

  it("puts red where the chosen purpose does", () => {
    const target = build.suggested.bandTargets.find((t) => t.kind === "share" && t.value === 0.15);
    expect(target).toBeDefined();
    const draft = builderDraft(build, { red: target }) as Scorecard;
    const red = draft.bands.filter((b) => b.color === "red");
    const lowestOther = Math.min(...draft.bands.filter((b) => b.color !== "red").map((b) => b.min));
    expect(red.length).toBeGreaterThan(0);
    expect(lowestOther).toBe(target?.redBelow);
    // Scored by the draft itself, red holds about the share the purpose promised on held-out scores (the scores
    // are coarse here, 3 plans × a few usage steps, so the nearest share to 15% is what a step allows).
    const report = validateScorecard(portfolio, draft, outcomes, { snapshotDay: DAY, build: false });
    const redCases = report.bands.filter((b) => b.color === "red").reduce((s, b) => s + b.cases, 0);
    expect(Math.abs(redCases / report.population.scored - (target?.redShare as number))).toBeLessThan(0.04);
    expect(redCases).toBeGreaterThan(0);
  });

  it("from the fitted card: the card's own factors", () => {
    expect(builderDraft(build, { from: "fitted" })?.id).toBe("hand-fitted");
  });
});
