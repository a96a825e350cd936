import { describe, expect, it } from "vitest";
import { churnSnapshot, SNAPSHOT_CARD } from "../../../core/demo/churn-snapshot.ts";
import { Account } from "../../../core/schema/account.ts";
import type { Outcome } from "../../../core/schema/observation.ts";
import { Scorecard, type ScorecardInput } from "../../../core/schema/scorecard.ts";
import { buildPortfolio } from "../../../core/scoring/series.ts";
import type { FittedFactor } from "../../../core/validate/builder.ts";
import { mulberry32 } from "../../../core/validate/random.ts";
import { validateScorecard } from "../../../core/validate/validate.ts";
import { KNOWN_DAY, knownStructure } from "../../support/known-structure.ts";

const DAY = KNOWN_DAY;

/** The known effects on churn (knownStructure): intercept −0.6, plan (Basic +1, Pro 0, Premium −1), usage ≤ 30 (+1.2), sponsor (−0.8). */
const EFFECTS = { intercept: -0.6, sponsor: -0.8 };

/** A hand card with the right sources and poor rules: every category alike, usage linear. */
const HAND: ScorecardInput = {
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
    {
      id: "sponsor",
      label: "Sponsor",
      weight: 1,
      source: { kind: "attribute", key: "sponsor" },
      rule: { kind: "boolean", true: 1, false: 0.5 },
    },
  ],
};

const binN = (f: FittedFactor, label: string) => f.bins.find((b) => b.label === label)?.n;

describe("fitted points recover a known structure", () => {
  const { portfolio, outcomes } = knownStructure(6000, 3, EFFECTS);
  const report = validateScorecard(portfolio, Scorecard.parse(HAND), outcomes, { snapshotDay: DAY });
  const build = report.build;
  const factor = (id: string) => build?.fitted.factors.find((f) => f.factorId === id) as FittedFactor;

  it("gives categories points in the true order and proportion", () => {
    const plan = factor("plan");
    expect(binN(plan, "Basic")).toBe(0);
    expect(binN(plan, "Premium")).toBe(1);
    // Pro is halfway: its effect (0) is midway between Basic's (+1) and Premium's (−1).
    expect(binN(plan, "Pro")).toBeGreaterThan(0.35);
    expect(binN(plan, "Pro")).toBeLessThan(0.65);
  });

  it("fits numeric steps that rise monotonically, with the big jump at the true threshold (30)", () => {
    const usage = factor("usage");
    expect(usage.direction).toBe("rises");
    const present = usage.bins.filter((b) => b.label !== "missing");
    for (let j = 1; j < present.length; j++) {
      expect(present[j]?.n as number).toBeGreaterThanOrEqual(present[j - 1]?.n as number);
    }
    const draftUsage = build?.fitted.draft?.factors.find((f) => f.id === "usage");
    expect(draftUsage?.rule.kind).toBe("steps");
    if (draftUsage?.rule.kind !== "steps") return;
    const steps = draftUsage.rule.steps;
    let jumpAt = 0;
    let jump = 0;
    for (let j = 1; j < steps.length; j++) {
      const d = (steps[j]?.n as number) - (steps[j - 1]?.n as number);
      if (d > jump) {
        jump = d;
        jumpAt = steps[j - 1]?.upTo as number;
      }
    }
    expect(jumpAt).toBeGreaterThanOrEqual(25);
    expect(jumpAt).toBeLessThanOrEqual(35);
    expect(jump).toBeGreaterThan(0.6);
  });

  it("gives yes/no its points, and weights in proportion to each factor's true range", () => {
    const sponsor = factor("sponsor");
    expect(binN(sponsor, "yes")).toBe(1);
    expect(binN(sponsor, "no")).toBe(0);
    // True ranges 2, 1.2 and 0.8: 50, 30 and 20 points of 100.
    expect(factor("plan").points).toBeGreaterThan(42);
    expect(factor("plan").points).toBeLessThan(58);
    expect(factor("usage").points).toBeGreaterThan(22);
    expect(factor("usage").points).toBeLessThan(38);
    expect(factor("sponsor").points).toBeGreaterThan(13);
    expect(factor("sponsor").points).toBeLessThan(27);
  });

  it("writes a draft that is a scorecard of its own, marked as a suggestion, and beats the hand card", () => {
    const draft = build?.fitted.draft as Scorecard;
    expect(draft.id).toBe("hand-fitted");
    expect(draft.name).toMatch(/suggested/);
    expect(Scorecard.parse(draft)).toEqual(draft);
    const again = validateScorecard(portfolio, draft, outcomes, { snapshotDay: DAY, build: false });
    expect(again.auc as number).toBeGreaterThan((report.auc as number) + 0.01);
    expect(build?.fitted.auc as number).toBeGreaterThan(report.suggestion?.crossValidation?.currentAuc as number);
  });
});

describe("cross-validation stays honest", () => {
  it("a fit on noise scores well on the cases it saw and like a coin toss on held-out folds", () => {
    // 120 shop codes of ~20 accounts each, churn at random: the fit memorises the codes it sees.
    const rand = mulberry32(11);
    const accounts = [];
    const outcomes: Outcome[] = [];
    for (let k = 0; k < 2400; k++) {
      accounts.push(Account.parse({ id: `n${k}`, name: `N ${k}`, attributes: { shop: `S${k % 120}` } }));
      outcomes.push({ accountId: `n${k}`, day: DAY, kind: rand() < 0.3 ? "churned" : "renewed" });
    }
    const portfolio = buildPortfolio(accounts, []);
    const card = Scorecard.parse({
      id: "noise",
      name: "Noise",
      factors: [
        {
          id: "shop",
          label: "Shop",
          weight: 1,
          source: { kind: "attribute", key: "shop" },
          rule: { kind: "categorical", map: {}, default: 0.5 },
        },
      ],
    });
    const report = validateScorecard(portfolio, card, outcomes, { snapshotDay: DAY });
    const draft = report.build?.fitted.draft as Scorecard;
    const inSample = validateScorecard(portfolio, draft, outcomes, { snapshotDay: DAY, build: false }).auc as number;
    expect(inSample).toBeGreaterThan(0.6);
    expect(report.build?.fitted.auc as number).toBeLessThan(0.55);
    expect(report.build?.reference.auc as number).toBeLessThan(0.55);
  });
});

describe("on the generated churn snapshot (7,000 subscribers)", () => {
  const snapshot = churnSnapshot();
  const portfolio = buildPortfolio(
    snapshot.accounts.map((a) => Account.parse(a)),
    [],
  );
  const report = validateScorecard(portfolio, Scorecard.parse(SNAPSHOT_CARD), snapshot.outcomes, {
    snapshotDay: snapshot.snapshotDay,
  });
  const build = report.build;

  it("is shaped like the public datasets: ~7,000 rows, about a quarter churned", () => {
    expect(report.population.cases).toBe(7000);
    expect(report.population.churned / 7000).toBeGreaterThan(0.2);
    expect(report.population.churned / 7000).toBeLessThan(0.35);
  });

  it("fits monotone numeric steps", () => {
    for (const f of build?.fitted.factors ?? []) {
      if (f.kind !== "numeric") continue;
      const present = f.bins.filter((b) => b.label !== "missing").map((b) => b.n);
      const sorted = [...present].sort((a, b) => (f.direction === "rises" ? a - b : b - a));
      expect(present).toEqual(sorted);
    }
  });

  it("the reference is at least the card, and the suggested ≤ 7-factor card is within 0.003 of it", () => {
    const reference = build?.reference.auc as number;
    expect(reference).toBeGreaterThanOrEqual(report.suggestion?.crossValidation?.currentAuc as number);
    expect(reference).toBeGreaterThanOrEqual(build?.fitted.auc as number);
    expect(build?.suggested.draft?.factors.length).toBeLessThanOrEqual(7);
    expect(reference - (build?.suggested.auc as number)).toBeLessThan(0.003);
    // Fitted points beat re-weighting alone, out-of-sample.
    expect(build?.fitted.auc as number).toBeGreaterThan(report.suggestion?.crossValidation?.suggestedAuc as number);
  });

  it("offers red thresholds by purpose on held-out scores: the 15% most at risk, 3× the base rate", () => {
    const targets = build?.suggested.bandTargets ?? [];
    const fifteen = targets.find((t) => t.kind === "share" && t.value === 0.15);
    expect(fifteen?.redShare as number).toBeGreaterThan(0.12);
    expect(fifteen?.redShare as number).toBeLessThan(0.18);
    expect(fifteen?.caught as number).toBeGreaterThan(0);
    const triple = targets.find((t) => t.kind === "lift" && t.value === 3);
    if (triple) expect(triple.lift as number).toBeGreaterThanOrEqual(3);
    // Catching more churn costs more false alarms: the trade-off moves one way as red grows.
    const shares = targets.filter((t) => t.kind === "share");
    for (let j = 1; j < shares.length; j++) {
      expect(shares[j]?.caught as number).toBeGreaterThanOrEqual(shares[j - 1]?.caught as number);
      expect(shares[j]?.falseAlarms as number).toBeGreaterThanOrEqual(shares[j - 1]?.falseAlarms as number);
    }
  });

  it("ranks a planted informative column first when the card leaves it out", () => {
    const withoutTerm = Scorecard.parse({
      ...SNAPSHOT_CARD,
      factors: SNAPSHOT_CARD.factors.filter((f) => f.id !== "term"),
    });
    const r = validateScorecard(portfolio, withoutTerm, snapshot.outcomes, { snapshotDay: snapshot.snapshotDay });
    const first = r.build?.discovery[0];
    expect(first?.source).toEqual({ kind: "attribute", key: "term" });
    expect(first?.gain as number).toBeGreaterThan(0.01);
    // The columns with no effect add nothing.
    for (const id of ["gender", "region", "partner"]) {
      expect(r.build?.discovery.find((d) => d.factorId === id)?.gain as number).toBeLessThan(0.002);
    }
    // The suggestion adds it back (the card has 6 factors, room for one).
    expect(r.build?.suggested.added[0]).toBe(first?.factorId);
  });
});
