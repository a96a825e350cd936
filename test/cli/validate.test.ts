import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { churnSnapshot, SNAPSHOT_CARD, snapshotCsv } from "../../core/demo/churn-snapshot.ts";
import { schemaUrl } from "../../core/schema/json-schemas.ts";
import { Scorecard } from "../../core/schema/scorecard.ts";
import type { ValidationReport } from "../../core/validate/validate.ts";
import { vitals } from "./run-vitals.ts";

const F = "test/fixtures/validate";

const VALIDATE = [
  "validate",
  "--scorecard",
  `${F}/scorecard.json`,
  "--accounts",
  `${F}/accounts.csv`,
  "--observations",
  `${F}/observations.csv`,
  "--outcomes",
  `${F}/outcomes.csv`,
];

// The fixture, worked by hand. Every account is scored as of 2025-03-03 (its outcome 2025-06-01 minus 90 days) from
// values observed 2025-03-01: score = 75 × users/100 + 25 × (NPS + 100)/200.
//   churned:  c01 10, −50 → 13.75 (D)   c02 20, 0 → 27.5 (D)   c03 35, −20 → 36.25 (D)   c04 80, −40 → 67.5 (B)
//             c11 no data → no score
//   did not:  c05 30, 40 → 40 (D, renewed)   c06 60, 20 → 60 (C)   c07 70, 60 → 72.5 (B)   c08 90, 80 → 90 (A, expanded)
//             c09 50, 10 → 51.25 (C)   c10 85, 50 → 82.5 (A)   c12 40, −10 → 41.25 (D, downgraded)
// c01's usage of 100 on 2025-04-01 is after its as-of day and never read.
// AUC: c01, c02 and c03 score below every account that stayed (3 × 7 wins); c04 (67.5) scores below c07 (72.5), c10
// and c08 only (3 wins): (21 + 3)/(4 × 7) = 24/28.
describe("vitals validate", () => {
  it("prints a report a CSM can read, with the hand-worked AUC, bands, catch rate, misses and false alarms", async () => {
    const run = await vitals(...VALIDATE);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).toContain('Validation of "Usage and NPS" (usage-and-nps)');
    expect(text).toContain(
      "Each account is scored 90 days before its outcome (as of 2025-03-03): nothing later is read.",
    );
    expect(text).toContain(
      "Accounts: 12 accounts with an outcome: 5 churned, 7 did not (5 renewed, 1 expanded, 1 downgraded).",
    );
    expect(text).toContain("11 had a score; 1 had not enough data (1 of them churned).");
    expect(text).toContain("AUC 0.857 (0.5 is a coin toss, 1 is perfect)");
    // Red churned: c01, c02, c03 of the four with a score.
    expect(text).toContain("Churned accounts that were red: 3 of 4 (75%)");
    // A: c08, c10 (none churned); B: c04, c07 (1); C: c06, c09 (0); D: c01, c02, c03, c05, c12 (3).
    expect(text).toMatch(/A Healthy +80 +2 +0 +0\.0%/);
    expect(text).toMatch(/B Good +65 +2 +1 +50\.0%/);
    expect(text).toMatch(/C Watch +50 +2 +0 +0\.0%/);
    expect(text).toMatch(/D At risk +0 +5 +3 +60\.0%/);
    expect(text).toContain(
      "! B (Good) churned 50%, more than C (Watch) below it at 0%: churn should fall band by band",
    );
    expect(text).toMatch(
      /Missed, churned while green \(highest score first\): 1\n {2}c04 +Umbrella +68 B {2}churned 2025-06-01/,
    );
    expect(text).toMatch(
      /False alarms, red but renewed or expanded \(lowest score first\): 1\n {2}c05 +Hooli +40 D {2}renewed/,
    );
    expect(text).toMatch(
      /Out-of-sample AUC \(4-fold cross-validation, seed 1\): suggested \d\.\d\d\d, current \d\.\d\d\d/,
    );
    expect(text).toContain("Nothing was changed.");
    expect(text).not.toContain("NaN");
  });

  // The default alert rules over the 90 days before 2025-06-01 (2025-03-03 … 2025-05-31). Active users are read for
  // 30 days after 2025-03-01: from 2025-03-31 on no account has a score. Red on 2025-03-03: c01, c02, c03 (churned:
  // 90 days ahead), c05, c12. The data's last day is c01's 2025-04-01, so "no new data for 30 days" holds from
  // 2025-03-31 (62 days ahead) for the 11 accounts with data (c01 only that day, its 2025-04-01 value then counts):
  // 4 churned, 7 not. No score ever falls, and no account has a renewal date.
  it("proves each alert rule against the outcomes: precision, recall and lead time", async () => {
    const text = (await vitals(...VALIDATE)).stdout;
    expect(text).toContain("Alert rules against the outcomes (12 accounts, 5 churned).");
    expect(text).toMatch(/Score fell 25 points or more within 30 days +0 \(0%\) +0 of 5 +0 +— +0% {2}—\n/);
    expect(text).toMatch(/Score entered the red band +5 \(42%\) +3 of 5 +2 +60% +60% {2}90 d\n/);
    expect(text).toMatch(/No new data for 30 days +11 \(92%\) +4 of 5 +7 +36% +80% {2}62 d\n/);
    expect(text).toMatch(/Any of these rules +11 \(92%\) +4 of 5 +7 +36% +80% {2}90 d \(62–90\)\n/);
    expect(text).toContain("! No account with an outcome has a renewal date in its window");
    const [r] = JSON.parse((await vitals(...VALIDATE, "--format", "json")).stdout).reports as [ValidationReport];
    expect(r.alerts?.any).toMatchObject({ alerted: 11, caught: 4, precision: 4 / 11, recall: 0.8 });
    expect(r.alerts?.rules.find((x) => x.ruleId === "red-band")?.leadDays).toEqual({
      median: 90,
      shortest: 90,
      longest: 90,
    });
  });

  it("gives every number as JSON, the same report the app's Validate page gets", async () => {
    const run = await vitals(...VALIDATE, "--format", "json");
    expect(run.code).toBe(0);
    const { reports } = JSON.parse(run.stdout) as { reports: ValidationReport[] };
    expect(reports).toHaveLength(1);
    const [r] = reports as [ValidationReport];
    expect(r.auc).toBeCloseTo(24 / 28, 12);
    expect(r.population).toMatchObject({
      cases: 12,
      churned: 5,
      scored: 11,
      nullScores: { churned: 1, notChurned: 0 },
    });
    expect(r.red).toEqual({ churned: 4, caught: 3, share: 0.75 });
    expect(r.missed.cases.map((c) => [c.accountId, c.score])).toEqual([["c04", 67.5]]);
    // The older "renewed" of c01 (2024-06-01) gives way to its latest outcome, churned.
    expect(r.bands.find((b) => b.grade === "D")?.churned).toBe(3);
    // Both factors lower churn here: the suggestion keeps both and is cross-validated on 4 folds (4 churned scored).
    expect(r.suggestion?.factors.map((f) => f.direction)).toEqual(["protects", "protects"]);
    expect(r.suggestion?.crossValidation?.folds).toBe(4);
  });

  it("writes the suggestion as a scorecard with --draft-out, and nothing else changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-validate-"));
    const draft = join(dir, "draft.json");
    const report = join(dir, "report.txt");
    const run = await vitals(...VALIDATE, "--draft", "weights", "--draft-out", draft, "--out", report);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `wrote the suggested scorecard "Usage and NPS (suggested: weights)" (id usage-and-nps-suggested; bands: the thresholds that split churn best) to ${draft} (nothing else changed)`,
    );
    expect(JSON.parse(readFileSync(draft, "utf8")).$schema).toBe(schemaUrl("scorecard"));
    const card = Scorecard.parse(JSON.parse(readFileSync(draft, "utf8")));
    // A new id and name, so importing it never overwrites the scorecard it came from; the suggested bands with it.
    expect(card.id).toBe("usage-and-nps-suggested");
    const json = JSON.parse((await vitals(...VALIDATE, "--format", "json")).stdout) as { reports: ValidationReport[] };
    expect(card.bands).toEqual(json.reports[0]?.suggestion?.draftBands?.bands);
    const points = card.factors.map((f) => f.weight);
    expect(points.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    expect(readFileSync(report, "utf8")).toContain(`The suggested scorecard is in ${draft}`);
    // The input scorecard is untouched.
    expect(JSON.parse(readFileSync(`${F}/scorecard.json`, "utf8")).factors[0].weight).toBe(3);
  });

  it("builds a scorecard from a churn snapshot: fitted points, discovery, reference, red by purpose, the draft", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-builder-"));
    const snapshot = churnSnapshot({ count: 2000, seed: 5 });
    writeFileSync(join(dir, "accounts.csv"), snapshotCsv(snapshot));
    const withoutTerm = { ...SNAPSHOT_CARD, factors: SNAPSHOT_CARD.factors.filter((f) => f.id !== "term") };
    writeFileSync(join(dir, "card.json"), JSON.stringify(withoutTerm));
    const draft = join(dir, "draft.json");
    const args = ["validate", "--scorecard", join(dir, "card.json"), "--accounts", join(dir, "accounts.csv")];
    const snap = ["--churn-column", "churned", "--snapshot-day", snapshot.snapshotDay];
    const run = await vitals(...args, ...snap, "--draft-out", draft, "--red", "10%");
    expect(run.stderr).toContain("(id subscriber-health-suggested; bands: red = the 10% most at risk: red below");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/fitted points \(same factors\) +0\.\d{3}/);
    expect(run.stdout).toMatch(/reference \(all 16 columns\) +0\.\d{3}/);
    // The contract term, left off the card, is the first discovery and the suggested card adds it.
    expect(run.stdout).toMatch(
      /by the out-of-sample AUC they add:\n {2}Term +\+0\.0\d\d AUC {2}\(categorical, 100% have it\)/,
    );
    expect(run.stdout).toContain("Suggested card (at most 7 factors; adds Term)");
    expect(run.stdout).toMatch(/red = the 15% most at risk +\d+ +\d+ \(15%\)/);
    const card = Scorecard.parse(JSON.parse(readFileSync(draft, "utf8")));
    expect(card.name).toBe("Subscriber health (suggested: 7 factors, fitted points)");
    expect(card.factors.find((f) => f.id === "term")?.rule.kind).toBe("categorical");
    expect(card.factors.find((f) => f.id === "tenure")?.rule.kind).toBe("steps");
    expect(card.bands.map((b) => b.color)).toEqual(["green", "green", "yellow", "red"]);
    const bad = await vitals(...args, ...snap, "--draft-out", draft, "--red", "half");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--red must be a share such as 15% or a multiple of the base churn rate such as 3x, not "half"',
    );
  });

  it("lists every bad outcome row with file, line and column, and validates nothing", async () => {
    const args = VALIDATE.map((a) => (a.endsWith("outcomes.csv") ? `${F}/outcomes-bad.csv` : a));
    const run = await vitals(...args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const file = `${F}/outcomes-bad.csv`;
    expect(run.stderr).toContain(`${file}:3: day: "06/01/2025" is not a date in the format YYYY-MM-DD`);
    expect(run.stderr).toContain(`${file}:4: account_id: no account with id "c99"`);
    expect(run.stderr).toContain(`${file}:5: kind: "left" is not an outcome`);
    expect(run.stderr).toContain("3 problems in the input; nothing was validated");
  });

  it("reads a snapshot's churn flag column and scores as of the snapshot day (hand-worked AUC with ties)", async () => {
    const run = await vitals(
      "validate",
      "--scorecard",
      `${F}/snapshot-scorecard.json`,
      "--accounts",
      `${F}/snapshot-accounts.csv`,
      "--churn-column",
      "Churn",
      "--snapshot-day",
      "2025-01-31",
      "--format",
      "json",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [r] = (JSON.parse(run.stdout) as { reports: ValidationReport[] }).reports as [ValidationReport];
    expect(r.snapshotDay).toBe("2025-01-31");
    expect(r.asOfFrom).toBe("2025-01-31");
    // Risk 80 month-to-month, 40 one year, 0 two year. Churned: s1 80, s2 80, s4 40; stayed: s3 80, s8 80, s5 40,
    // s6 0, s7 0. s1 and s2 each beat s5, s6, s7 and tie s3, s8 (4 each); s4 beats s6, s7 and ties s5 (2.5).
    // (4 + 4 + 2.5)/(3 × 5) = 0.7.
    expect(r.auc).toBeCloseTo(0.7, 12);
    expect(r.population).toMatchObject({ cases: 8, churned: 3, byKind: { churned: 3, renewed: 5 } });
  });

  it("explains what is missing: no outcomes, a churn column without a day, an unknown scorecard id", async () => {
    const noOutcomes = await vitals(...VALIDATE.slice(0, 7));
    expect(noOutcomes.code).toBe(2);
    expect(noOutcomes.stderr).toContain("no outcomes to validate against: give --outcomes <outcomes.csv>");
    const noDay = await vitals(...VALIDATE, "--churn-column", "Churn");
    expect(noDay.code).toBe(2);
    expect(noDay.stderr).toContain("--churn-column needs --snapshot-day YYYY-MM-DD");
    const noCard = await vitals(...VALIDATE, "--id", "nope");
    expect(noCard.code).toBe(2);
    expect(noCard.stderr).toContain('no scorecard with id "nope" (there are: usage-and-nps)');
    const badFolds = await vitals(...VALIDATE, "--folds", "1");
    expect(badFolds.code).toBe(2);
    expect(badFolds.stderr).toContain("--folds must be a whole number from 2 to 20");
  });

  it("has help: vitals help validate and vitals validate --help, and the main help lists it", async () => {
    const help = await vitals("help", "validate");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("vitals validate: does the scorecard predict churn?");
    expect(help.stdout).toContain("--horizon <days>");
    expect((await vitals("validate", "--help")).stdout).toBe(help.stdout);
    expect((await vitals("--help")).stdout).toContain("validate  backtest scorecards");
  });

  it("a churn-events export (churned rows only): no AUC and how to fix it; --unlisted stayed gives the hand-worked AUC", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vitals-churn-only-"));
    const churns = join(dir, "churn-events.csv");
    writeFileSync(
      churns,
      `account_id,day,kind\n${["c01", "c02", "c03", "c04", "c11"].map((id) => `${id},2025-06-01,churned\n`).join("")}`,
    );
    const args = VALIDATE.map((a) => (a === `${F}/outcomes.csv` ? churns : a));
    const bare = await vitals(...args);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain("How well the score ranks churn: AUC — ");
    expect(bare.stdout).toContain(
      "  No AUC: every scored account with an outcome churned (4), and the AUC compares churned accounts with ones that stayed.",
    );
    expect(bare.stdout).toContain(
      "count the accounts with no churn event in the period as stayed (vitals validate --unlisted stayed;",
    );

    const run = await vitals(...args, "--unlisted", "stayed");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Accounts with no outcome row from 2025-06-01 to 2025-06-01 stayed (no churn event in the period): 7 accounts, " +
        "each scored as of 2025-03-03 (90 days before the period's end).",
    );
    // The seven that stayed are scored as of the same day as in the full outcomes file: the same AUC, 24/28.
    expect(run.stdout).toContain("How well the score ranks churn: AUC 0.857");
    expect(run.stdout).not.toContain("No AUC");

    const bad = await vitals(...args, "--unlisted", "maybe");
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('--unlisted must be leave-out, stayed or not-renewed, not "maybe"');
    expect((await vitals(...args, "--period-from", "2025-01-01")).stderr).toContain("give --unlisted");
  });
});
