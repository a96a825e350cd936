import { describe, expect, it } from "vitest";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { createScoringApi } from "../../harness/api.ts";
import { syntheticOutcomes, TIERS } from "../../harness/synthetic.ts";

const smb = DEFAULT_SCORECARDS.find((c) => c.id === "adoption-smb");

describe("scoring API: validate", () => {
  it("validates a scorecard on the loaded portfolio, with progress", async () => {
    const api = createScoringApi();
    await api.generateSynthetic("S", 42);
    const outcomes = syntheticOutcomes(TIERS.S, 42);
    const progress: number[] = [];
    const report = await api.validate("v1", smb as never, outcomes, { folds: 3 }, (done) => {
      progress.push(done);
    });
    expect(report.population.cases).toBe(TIERS.S.accounts);
    expect(report.population.churned).toBeGreaterThan(10);
    expect(report.auc as number).toBeGreaterThan(0.6);
    expect(report.suggestion?.crossValidation?.folds).toBe(3);
    expect(progress.length).toBeGreaterThan(3);
  });

  it("refuses bad outcomes and options with an InputError naming the field", async () => {
    const api = createScoringApi();
    await api.generateSynthetic("S", 1);
    const bad = [{ accountId: "acc-000001", day: "2025-13-01", kind: "left" }];
    await expect(api.validate("v2", smb as never, bad)).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringMatching(/outcomes\[0\]\.day: expected a date[\s\S]*outcomes\[0\]\.kind/),
    });
    await expect(api.validate("v3", smb as never, [], { folds: 1 })).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringContaining("options.folds: cross-validation needs at least 2 folds"),
    });
  });

  it("stops with an AbortError when cancelled", async () => {
    const api = createScoringApi();
    await api.generateSynthetic("S", 42);
    const running = api.validate("v4", smb as never, syntheticOutcomes(TIERS.S, 42), {}, () => {
      void api.cancel("v4");
    });
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
  });
});
