import { expect, test } from "@playwright/test";
import { Scorecard } from "../../core/schema/scorecard.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { seriesFromColumns } from "../../core/scoring/series.ts";
import { validateScorecard } from "../../core/validate/validate.ts";
import { generateSynthetic, syntheticOutcomes, TIERS } from "../harness/synthetic.ts";
import { approxDifferences } from "../support/approx.ts";
import { HARNESS_URL } from "./chromium.ts";

const SEED = 42;
const card = Scorecard.parse(DEFAULT_SCORECARDS.find((c) => c.id === "adoption-smb"));

test("validate in the scoring worker in Chromium gives the core's report, draft included", async ({ page }) => {
  test.setTimeout(120_000); // generating and validating tier S under a loaded CI machine
  await page.goto(HARNESS_URL);
  await expect(page.locator("#status")).toHaveText("ready");
  const outcomes = syntheticOutcomes(TIERS.S, SEED);
  const fromWorker = await page.evaluate(
    async ({ card, outcomes, seed }) => {
      await window.vitals.generateSynthetic("S", seed);
      const progress: number[] = [];
      const report = await window.vitals.validate(
        card,
        outcomes,
        { folds: 5, seed: 3 },
        {
          onProgress: (done) => {
            progress.push(done);
          },
        },
      );
      return { report, progress, mode: await window.vitals.mode() };
    },
    { card, outcomes, seed: SEED },
  );
  expect(fromWorker.mode).toBe("worker");
  expect(fromWorker.progress.length).toBeGreaterThan(0);

  // The same portfolio and outcomes validated by the core in Node: the same report.
  const synthetic = generateSynthetic("S", SEED);
  const portfolio = {
    accounts: synthetic.accounts,
    accountIndex: new Map(synthetic.accounts.map((a, i) => [a.id, i])),
    series: new Map(synthetic.metrics.map((m) => [m.metric, seriesFromColumns(synthetic.accounts.length, m)])),
  };
  const inNode = validateScorecard(portfolio, card, outcomes, { folds: 5, seed: 3 });
  // Numbers within |a − b| ≤ 1e-9 + 1e-9·|b| (Chromium's V8 and Node's may differ in a last bit of exp/log, and a
  // coefficient near 0 differs in its relative digits); counts, ids, bands, flags and the draft's text exactly.
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));
  expect(approxDifferences(asJson(fromWorker.report), asJson(inNode))).toEqual([]);
  expect(fromWorker.report.population.cases).toBe(500);
  expect(fromWorker.report.suggestion?.crossValidation?.folds).toBe(5);
  expect(Scorecard.safeParse(fromWorker.report.suggestion?.draft).success).toBe(true);
});

test("validate refuses bad outcomes with an InputError naming the field", async ({ page }) => {
  await page.goto(HARNESS_URL);
  await expect(page.locator("#status")).toHaveText("ready");
  const error = await page.evaluate(async (card) => {
    await window.vitals.generateSynthetic("S", 1);
    try {
      await window.vitals.validate(card, [{ accountId: "acc-000001", day: "2025-02-30", kind: "churned" }]);
      return null;
    } catch (e) {
      return { name: (e as Error).name, message: (e as Error).message };
    }
  }, card);
  expect(error?.name).toBe("InputError");
  expect(error?.message).toContain("outcomes[0].day: expected a date as YYYY-MM-DD");
});
