// Alert evaluation in real Chromium, in a worker (issue 7): every default rule plus a factor rule over a year of
// daily scores for tier M's 10,000 accounts, by core/alerts (one pass per account, the drop rule's window maximum
// kept in a monotonic queue) against the naive reference (test/reference/naive-alerts.ts: every rule re-scans the
// series for every day, each day's window read afresh) in the same worker and run, with a check that both raise the
// same alerts with the same words.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { chromium } from "@playwright/test";
import { servePreview, waitFor } from "./serve.mjs";
import { median } from "./stats.mjs";

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"];
const SEED = 7;
const DAYS = 365;
const TIERS = { S: 500, M: 10_000 };
const GOAL_MS = { M: 500 };
const RUNS = { fast: [7, 2], naive: [3, 1] };

const round = (n) => Number(n.toFixed(3));

/** Runs the alerts benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  // Built every run into its own folder: the harness in dist/ may predate this suite's page.
  const outDir = resolve("dist/harness");
  log("building the harness (vite build --config test/harness/vite.config.ts)…");
  const built = spawnSync(
    process.execPath,
    ["node_modules/vite/bin/vite.js", "build", "--config", "test/harness/vite.config.ts"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (built.status !== 0) throw new Error(`building the harness into ${outDir} failed`);
  const { origin, server } = await servePreview("test/harness/vite.config.ts");
  const url = `${origin}/alerts-bench.html`;
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
    log(await page.evaluate(() => navigator.userAgent));
    for (const tier of (process.env.VITALS_BENCH_TIERS ?? "S,M").split(",")) {
      const accounts = TIERS[tier];
      const made = await page.evaluate(([a, d, s]) => window.alertsBench.generate(a, d, s), [accounts, DAYS, SEED]);
      log(`tier ${tier}: ${made.accounts} accounts × ${made.days} days generated in ${Math.round(made.ms)} ms`);
      const agreement = await page.evaluate(() => window.alertsBench.agree());
      log(`tier ${tier}: ${agreement.alerts} alerts, fast and naive agree: ${agreement.same}`);
      const fast = await page.evaluate(([r, w]) => window.alertsBench.time("fast", r, w), RUNS.fast);
      const naive = await page.evaluate(([r, w]) => window.alertsBench.time("naive", r, w), RUNS.naive);
      const fastMedian = round(median(fast.runs));
      const naiveMedian = round(median(naive.runs));
      log(`tier ${tier}: fast median ${fastMedian} ms, naive median ${naiveMedian} ms`);
      const goal = GOAL_MS[tier];
      results.push({
        name: "alert rules over a year of daily scores, every account (worker; 4 default rules + a factor rule)",
        tier,
        unit: "ms",
        runs: fast.runs.map(round),
        median: fastMedian,
        baseline: {
          name: "naive: every rule re-scans the series for every day (each day's window read afresh)",
          median: naiveMedian,
          runs: naive.runs.map(round),
        },
        ratio: Number((naiveMedian / fastMedian).toFixed(2)),
        ...(goal ? { goal: { medianAtMost: goal, met: fastMedian <= goal } } : {}),
        agreement,
        portfolio: { accounts, days: DAYS },
      });
    }
    await page.close();
  } finally {
    await browser.close();
    server.kill();
  }
  return results;
}
