// Scoring in real Chromium, in the worker, tiers S, M and L (docs/architecture.md, "Sizes we design for"): latest scores of
// the whole portfolio and a year of daily history, each against the naive baseline (test/reference/naive-engine.ts)
// run in the same worker in the same run, plus how far the two engines' scores are apart.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, servePreview, waitFor } from "./serve.mjs";

const HARNESS = resolve("dist/harness/index.html");
const SEED = 42;
const GOALS = {
  "latest:M": 50,
  "latest:L": 500,
  "history:M": 1000,
};

/** Per tier: how many timed runs (after warm-up) each measurement gets, and which are left out (with why). */
const PLAN = {
  S: { latest: [7, 5], history: [5, 3] },
  M: { latest: [7, 5], history: [5, 3] },
  L: {
    latest: [5, 3],
    history: [3, 0],
    skipNaiveHistory:
      "naive history at L re-scans 100,000 accounts × 365 days × 7 factors (≈ 10 × tier M, about 10 minutes a run): over the bench's time budget",
  },
};

const ratioOf = (baseline, fast) => Number((baseline / fast).toFixed(2));

/** Runs the scoring benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  if (!existsSync(HARNESS)) {
    log("building the harness (vite build --config test/harness/vite.config.ts)…");
    const built = spawnSync(
      process.execPath,
      ["node_modules/vite/bin/vite.js", "build", "--config", "test/harness/vite.config.ts"],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    if (built.status !== 0) throw new Error("building the harness failed");
  }
  const { origin, server } = await servePreview("test/harness/vite.config.ts");
  const url = `${origin}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  const results = [];
  try {
    await waitFor(url);
    const page = await browser.newPage();
    page.on("console", (m) => m.type() === "error" && log(`page: ${m.text()}`));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    const userAgent = await page.evaluate(() => navigator.userAgent);
    log(userAgent);

    for (const tier of (process.env.VITALS_BENCH_TIERS ?? "S,M,L").split(",")) {
      const plan = PLAN[tier];
      const portfolio = await page.evaluate(([t, seed]) => window.harness.generate(t, seed), [tier, SEED]);
      log(
        `tier ${tier}: ${portfolio.accounts} accounts, ${portfolio.metrics.length} metrics, ${portfolio.observations} observations, generated in ${portfolio.ms} ms`,
      );
      const naive = await page.evaluate(() => window.harness.prepareNaive());
      log(
        `tier ${tier}: naive objects ${naive.kept ? `built in ${Math.round(naive.ms)} ms` : "built per batch of accounts inside each run (too many to keep)"} for ${naive.points} points`,
      );
      const info = {
        accounts: portfolio.accounts,
        metrics: portfolio.metrics.length,
        observations: portfolio.observations,
        from: portfolio.from,
        to: portfolio.to,
      };

      // 1. Latest scores of the whole portfolio.
      const [latestRuns, naiveLatestRuns] = plan.latest;
      const fastLatest = await page.evaluate(([r]) => window.harness.timeLatest("fast", r, 1), [latestRuns]);
      log(`tier ${tier}: latest fast median ${fastLatest.median} ms`);
      const agreeLatest = await page.evaluate(() => window.harness.agreeLatest());
      const naiveLatest = await page.evaluate(([r]) => window.harness.timeLatest("naive", r, 1), [naiveLatestRuns]);
      log(`tier ${tier}: latest naive median ${naiveLatest.median} ms; max |fast − naive| ${agreeLatest.maxAbsDiff}`);
      const latestGoal = GOALS[`latest:${tier}`];
      results.push({
        name: "latest scores, whole portfolio (worker, Adoption (SMB))",
        tier,
        unit: "ms",
        runs: fastLatest.runs,
        median: fastLatest.median,
        baseline: {
          name: "naive: per-account {day, value} arrays, every window re-scanned",
          median: naiveLatest.median,
          runs: naiveLatest.runs,
          ...(naiveLatest.buildMs ? { medianBuildMs: naiveLatest.buildMs } : {}),
        },
        ratio: ratioOf(naiveLatest.median, fastLatest.median),
        ...(latestGoal ? { goal: { medianAtMost: latestGoal, met: fastLatest.median <= latestGoal } } : {}),
        ...(tier === "L" ? { goalRatio: { atLeast: 10, met: naiveLatest.median / fastLatest.median >= 10 } } : {}),
        agreement: agreeLatest,
        portfolio: info,
      });

      // 2. A year of daily history.
      const [historyRuns, naiveHistoryRuns] = plan.history;
      const fastHistory = await page.evaluate(([r]) => window.harness.timeHistory("fast", r, 1), [historyRuns]);
      log(`tier ${tier}: history fast median ${fastHistory.median} ms`);
      const historyGoal = GOALS[`history:${tier}`];
      const history = {
        name: "daily history, 365 days, whole portfolio (worker, Adoption (SMB))",
        tier,
        unit: "ms",
        runs: fastHistory.runs,
        median: fastHistory.median,
        ...(historyGoal ? { goal: { medianAtMost: historyGoal, met: fastHistory.median <= historyGoal } } : {}),
        portfolio: info,
      };
      if (plan.skipNaiveHistory) {
        history.baseline = { name: "naive history", skipped: plan.skipNaiveHistory };
      } else {
        // The agreement run doubles as the naive history's warm-up.
        const agreeHistory = await page.evaluate(() => window.harness.agreeHistory());
        const naiveHistory = await page.evaluate(
          ([r]) => window.harness.timeHistory("naive", r, 0),
          [naiveHistoryRuns],
        );
        log(
          `tier ${tier}: history naive median ${naiveHistory.median} ms; max |fast − naive| ${agreeHistory.maxAbsDiff}`,
        );
        history.baseline = {
          name: "naive: every account's score recomputed from scratch for every day",
          median: naiveHistory.median,
          runs: naiveHistory.runs,
        };
        history.ratio = ratioOf(naiveHistory.median, fastHistory.median);
        history.agreement = {
          ...agreeHistory,
          note: "history is stored as Float32; naive scores rounded to Float32 first",
        };
      }
      results.push(history);
      await page.evaluate(() => window.harness.releaseNaive());
    }
    await page.close();
  } finally {
    await browser.close();
    server.kill();
  }
  return results;
}
