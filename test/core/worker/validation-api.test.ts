import { beforeEach, describe, expect, it } from "vitest";
import { freshAppApis, type TestAppApi } from "../../support/stores.ts";

/** The app's worker API over fake-indexeddb with a small demo; the Validate page's e2e runs it in Chromium. */
const newApi = freshAppApis("validation-api");
let api: TestAppApi;
beforeEach(() => {
  ({ api } = newApi({ demoAccounts: 120 }));
});

describe("validation API", () => {
  it("an empty store has no outcomes to validate against", async () => {
    expect(await api.outcomeCounts()).toEqual({
      total: 0,
      byKind: { churned: 0, renewed: 0, expanded: 0, downgraded: 0 },
      invalid: 0,
      from: null,
      to: null,
      commonestDay: null,
    });
  });

  it("validates a stored scorecard against the stored outcomes, reading everything from the store", async () => {
    await api.loadDemo("j1");
    const counts = await api.outcomeCounts();
    expect(counts.total).toBeGreaterThan(0);
    expect(counts.byKind.churned).toBeGreaterThan(0);
    const phases = new Set<string>();
    const report = await api.validateScorecard("j2", "adoption-smb", { horizonDays: 90 }, (phase, done, total) => {
      phases.add(phase);
      expect(done).toBeLessThanOrEqual(total);
    });
    expect([...phases]).toEqual(["reading", "validating"]);
    expect(report.scorecardId).toBe("adoption-smb");
    expect(report.horizonDays).toBe(90);
    // Every stored outcome reaches the engine; the cases are the accounts the scorecard applies to.
    expect(report.population.outcomes).toBe(counts.total);
    expect(report.population.cases).toBeGreaterThan(0);
    expect(report.population.cases + report.population.notApplying).toBeLessThanOrEqual(counts.total);
    // Each case is scored as of its outcome's day minus the horizon.
    for (const c of [...report.missed.cases, ...report.falseAlarms.cases]) {
      expect(Date.parse(c.outcomeDay) - Date.parse(c.asOf)).toBe(90 * 86_400_000);
    }
  }, 60_000);

  it("refuses an unknown scorecard and a bad horizon by name, and a cancel stops the job", async () => {
    await api.loadDemo("j1");
    await expect(api.validateScorecard("j2", "nope")).rejects.toMatchObject({
      name: "InputError",
      message: 'there is no scorecard "nope"',
    });
    await expect(api.validateScorecard("j3", "adoption-smb", { horizonDays: 0 })).rejects.toMatchObject({
      name: "InputError",
      message: "horizonDays: the horizon is at least 1 day",
    });
    let cancelled = false;
    const running = api.validateScorecard("j4", "adoption-smb", {}, () => {
      if (!cancelled) {
        cancelled = true;
        void api.cancel("j4");
      }
    });
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    expect(await api.cancel("j4")).toBe(false);
  }, 60_000);
});
