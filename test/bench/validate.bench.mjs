// Scorecard validation in real Chromium, in the scoring worker, at tier M (10,000 accounts, the 7 factors of
// Adoption (SMB)): every account scored as of its outcome's day − 90 (outcomes spread over 90 days, so 90 as-of
// days), the report, suggested weights and 5-fold cross-validation. Baseline in the same run: the same validation
// without cross-validation, so the ratio is what the five extra fits and fold scorings cost on top of one
// validation. (Plain gradient descent, the other naive baseline, needs thousands of passes over the cases per fit
// where Newton needs a handful: test/core/validate/logistic.test.ts checks the two agree; timing it at tier M would
// take minutes a run.)
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { chromium } from "@playwright/test";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { syntheticOutcomes, TIERS } from "../harness/synthetic.ts";
import { CHROMIUM_ARGS, freePort, waitFor } from "./serve.mjs";
import { median } from "./stats.mjs";

const HARNESS = resolve("dist/harness/index.html");
const SEED = 42;
const TIER = "M";
const RUNS = 7;
const GOAL_MS = 2000;
const round = (x) => Number(x.toFixed(3));

function buildHarness(log) {
  log("building the harness (vite build --config test/harness/vite.config.ts)…");
  const built = spawnSync(
    process.execPath,
    ["node_modules/vite/bin/vite.js", "build", "--config", "test/harness/vite.config.ts"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (built.status !== 0) throw new Error("building the harness failed");
}

/** One timed `validate` in the page (so it includes sending the outcomes to the worker and the report back). */
function validateOnce(page, options) {
  return page.evaluate(async (opts) => {
    const t0 = performance.now();
    const report = await window.vitals.validate(window.benchCard, window.benchOutcomes, opts);
    const ms = performance.now() - t0;
    const s = report.suggestion;
    return {
      ms,
      summary: {
        cases: report.population.cases,
        churned: report.population.churned,
        scored: report.population.scored,
        auc: report.auc,
        iterations: s?.iterations ?? null,
        converged: s?.converged ?? null,
        crossValidation: s?.crossValidation
          ? {
              folds: s.crossValidation.folds,
              current: s.crossValidation.currentAuc,
              suggested: s.crossValidation.suggestedAuc,
            }
          : null,
        suggestedPoints: Object.fromEntries(
          (s?.factors ?? []).map((f) => [f.factorId, Number(f.suggestedPoints.toFixed(1))]),
        ),
      },
    };
  }, options);
}

/**
 * Times two variants in turns (A, B, A, B…), after one untimed warm-up each, so a burst of load from elsewhere on
 * the machine hits both alike; returns each one's runs, median and last report summary.
 */
async function timeInTurns(page, variants, runs) {
  const out = variants.map(() => ({ times: [], summary: undefined }));
  for (let i = 0; i <= runs; i++) {
    for (const [k, options] of variants.entries()) {
      const result = await validateOnce(page, options);
      if (i > 0) out[k].times.push(result.ms);
      out[k].summary = result.summary;
    }
  }
  return out.map(({ times, summary }) => ({ runs: times.map(round), median: round(median(times)), summary }));
}

/** Runs the validation benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  if (!existsSync(HARNESS)) buildHarness(log);
  const card = DEFAULT_SCORECARDS.find((c) => c.id === "adoption-smb");
  const outcomes = syntheticOutcomes(TIERS[TIER], SEED);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const serve = () =>
    spawn(
      process.execPath,
      [
        "node_modules/vite/bin/vite.js",
        "preview",
        "--config",
        "test/harness/vite.config.ts",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--strictPort",
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  let server = serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    await waitFor(url);
    let page = await browser.newPage();
    page.on("console", (m) => m.type() === "error" && log(`page: ${m.text()}`));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    if (!(await page.evaluate(() => typeof window.vitals.validate === "function"))) {
      // A harness built before the scoring client had `validate`: build it again and reload.
      await page.close();
      server.kill();
      buildHarness(log);
      server = serve();
      await waitFor(url);
      page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    }
    log(await page.evaluate(() => navigator.userAgent));
    const counts = await page.evaluate(([t, seed]) => window.vitals.generateSynthetic(t, seed), [TIER, SEED]);
    await page.evaluate(
      ([c, o]) => {
        window.benchCard = c;
        window.benchOutcomes = o;
      },
      [card, outcomes],
    );
    log(`tier ${TIER}: ${counts.accounts} accounts, ${counts.observations} observations, ${outcomes.length} outcomes`);

    const [full, single] = await timeInTurns(page, [{ folds: 5, seed: 1 }, { crossValidate: false }], RUNS);
    log(`tier ${TIER}: validation with 5-fold cross-validation, median ${full.median} ms`);
    log(`tier ${TIER}: validation without cross-validation, median ${single.median} ms`);
    await page.close();
    return [
      {
        name: "validation with suggested weights and 5-fold cross-validation (worker, Adoption (SMB), 7 factors)",
        tier: TIER,
        unit: "ms",
        runs: full.runs,
        median: full.median,
        baseline: {
          name: "the same validation without cross-validation (one fit, no fold scoring)",
          median: single.median,
          runs: single.runs,
        },
        ratio: Number((full.median / single.median).toFixed(2)),
        ratioMeaning: "time with cross-validation ÷ time without: what the 5 fold fits and scorings cost",
        goal: { medianAtMost: GOAL_MS, met: full.median <= GOAL_MS },
        report: full.summary,
        portfolio: { accounts: counts.accounts, metrics: counts.metrics.length, observations: counts.observations },
      },
    ];
  } finally {
    await browser.close();
    server.kill();
  }
}
