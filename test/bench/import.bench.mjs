// Import in real Chromium, tier M (docs/architecture.md, "Sizes we design for"): 10,000 accounts × 10 metrics × 365 days =
// 36.5 M observations as one long CSV (~1.4 GB, made as a Blob from chunks), and as wide month-end snapshots
// (12 files of one row per account). Every import goes through the real data client and worker
// (test/harness/data-client.ts) with a fresh worker and an empty store per run, while the page records its long tasks.
//
// What is measured, and at which size:
// - parse + validate (the dry run's "reading" phase: CsvScanner + the ImportPlanner) at full tier M, from dry runs
//   (planImport) of the whole long file and of all 12 wide files;
// - storing (applyImport into an empty store) at STORE_ACCOUNTS (500 by default): IndexedDB in this Chromium
//   writes at most a few thousand rows/s here, slower as one transaction grows (1,000 accounts' 120,000 blocks took
//   about 4 minutes), so applying tier M's 1.2 M blocks would take far beyond the suite's ~15 minutes;
// - the baseline, one IndexedDB row per observation with Dexie bulkPut, against the real path on the same subset
//   (one month of the first SUBSET_ACCOUNTS accounts), in the same run: the ratio of their store rates.
// When an import fails at a size (an error, a crashed page), the failure is reported with the last progress the
// page logged, and that measurement is tried again at half the accounts until it works: results say which size ran.
// A dry run that fails after reading the whole file still gives its reading time; the failure is reported with it.
//
// Knobs (environment): VITALS_BENCH_IMPORT_ACCOUNTS (10000), VITALS_BENCH_IMPORT_STORE_ACCOUNTS (500),
// VITALS_BENCH_IMPORT_SUBSET_ACCOUNTS (100), VITALS_BENCH_IMPORT_BUDGET_S (780: no extra run starts if it would end
// past it), VITALS_BENCH_IMPORT_HARNESS (an already built harness folder instead of building one).
import { rmSync } from "node:fs";
import { chromium } from "@playwright/test";
import { buildHarness, CHROMIUM_ARGS, servePreview, waitFor } from "./serve.mjs";
import { median } from "./stats.mjs";

const SEED = 42;
const TIER_M = { accounts: 10_000, metrics: 10, days: 365 };
const GOALS = { parse: 1_000_000, store: 500_000, longTaskMs: 50 };
const env = (name, fallback) => Number(process.env[`VITALS_BENCH_IMPORT_${name}`] ?? fallback);
/** Accounts of the dry runs (parse + validate): tier M. */
const ACCOUNTS = env("ACCOUNTS", TIER_M.accounts);
/** Accounts of the imports that store (long: accounts × 10 × 12 blocks; wide: accounts × 10 per file). */
const STORE_ACCOUNTS = env("STORE_ACCOUNTS", 500);
/**
 * Accounts of the subset both the real path and the baseline store (one month each: 31,000 observations). One row
 * per observation goes at ~1,000 rows/s here, so this subset alone takes 30–60 s a run.
 */
const SUBSET_ACCOUNTS = env("SUBSET_ACCOUNTS", 100);
/** Rows per bulkPut call of the baseline. */
const BASELINE_BATCH = 10_000;
/** No extra run starts if it would end past this (the whole suite should stay within ~15 minutes). */
const BUDGET_MS = env("BUDGET_S", 13 * 60) * 1000;
/** The smallest size a failing measurement is tried at. */
const MIN_ACCOUNTS = 8;
/** Timed runs wanted (at least one each; beyond that, only while the budget allows). */
const RUNS = { subset: 5, baseline: 3, widePlan: 3, longPlan: 3, wideStore: 3, longStore: 3 };

const round = (x, digits = 0) => Number(x.toFixed(digits));
const rate = (observations, ms) => Math.round(observations / (ms / 1000));
const sum = (xs) => xs.reduce((s, x) => s + x, 0);
const fmt = (n) => Math.round(n).toLocaleString("en-US");
const phase = (run, key) => sum(run.imports.map((x) => x[key]));
const observationsOf = (run) => sum(run.imports.map((x) => x.observations));
const rowsOf = (run) => sum(run.imports.map((x) => x.rows));
const perRun = (runs, pick) => runs.map(pick);
const msRuns = (runs, key) => perRun(runs, (r) => round(phase(r, key)));
const tierOf = (accounts) => (accounts === TIER_M.accounts ? "M" : `M reduced to ${fmt(accounts)} accounts`);

/** Runs the import benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const prebuilt = process.env.VITALS_BENCH_IMPORT_HARNESS;
  const outDir = prebuilt ?? buildHarness(log, "import");
  const { origin, server } = await servePreview("test/harness/vite.config.ts", outDir);
  const url = `${origin}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  /** The page, the files it holds, and the last progress it logged (to say where an import failed). */
  const state = { page: undefined, files: undefined, lastProgress: undefined, crashed: false };

  const openPage = async () => {
    await state.page?.close().catch(() => undefined);
    state.files = undefined;
    state.crashed = false;
    const page = await browser.newPage();
    page.on("console", (m) => {
      const text = m.text();
      if (text.startsWith("[import-bench]")) state.lastProgress = text.slice(15);
      // (A 404 is the favicon the bare page has none of.)
      else if ((m.type() === "error" || m.type() === "warning") && !/status of 404/.test(text)) log(`page: ${text}`);
    });
    page.on("crash", () => {
      state.crashed = true;
      log(`the page crashed (last progress: ${state.lastProgress ?? "none"})`);
    });
    await page.goto(`${url}import-bench.html`);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    state.page = page;
    return page;
  };

  /** The files of one size on the page (made again when the size changes, or the long file is needed and missing). */
  const ensureFiles = async (accounts, withLong) => {
    const f = state.files;
    const subset = Math.min(SUBSET_ACCOUNTS, accounts);
    if (f && f.size.accounts === accounts && f.subset.accounts === subset && (f.long.rows > 0 || !withLong)) return f;
    state.files = undefined;
    const size = { ...TIER_M, accounts };
    const files = await state.page.evaluate(
      ([s, seed, k, l]) => window.importBench.generate(s, seed, k, l),
      [size, SEED, SUBSET_ACCOUNTS, withLong],
    );
    log(
      `generated in ${fmt(files.ms)} ms: ${fmt(accounts)} accounts` +
        (withLong ? `; long CSV ${fmt(files.long.rows)} rows, ${fmt(files.long.bytes / 2 ** 20)} MiB` : "") +
        `; subset ${fmt(files.subset.rows)} rows; ${files.wide.length} wide files × ${fmt(files.wide[0]?.rows ?? 0)} rows`,
    );
    state.files = files;
    return files;
  };

  const runImport = (which, apply) => {
    state.lastProgress = undefined;
    return state.page.evaluate(([w, a]) => window.importBench.runImport(w, a), [which, apply]);
  };

  /**
   * Timed runs of one import (`apply`: plan and apply; otherwise the dry run only) at `accounts`. At least one
   * run; each further one only when `more(msPerRun)` says it fits. On a failure the failure is kept and the
   * measurement tried again at half the accounts in a fresh page.
   */
  const measure = async (label, which, { apply, accounts, runs, warmup = 0, more = () => true }) => {
    const failures = [];
    let size = accounts;
    for (;;) {
      const out = [];
      try {
        await ensureFiles(size, which === "long");
        for (let i = 0; i < warmup; i++) await runImport(which, apply);
        const t0 = Date.now();
        for (let i = 0; i < runs; i++) {
          if (i > 0 && !more((Date.now() - t0) / i)) {
            log(`${label}: stopping after ${i} run(s): another would pass the suite's time budget`);
            break;
          }
          const r = await runImport(which, apply);
          const errors = r.imports.filter((x) => x.comparisonError).map((x) => x.comparisonError);
          log(
            `${label} run ${i + 1} (${fmt(size)} accounts): read ${fmt(phase(r, "readMs"))} ms, ` +
              `compare ${fmt(phase(r, "compareMs"))} ms` +
              (apply ? `, apply ${fmt(phase(r, "applyMs"))} ms` : "") +
              `; page long tasks ${r.longTasks.count} (max ${r.longTasks.maxMs} ms)` +
              (errors.length > 0 ? `; the dry run then failed: ${errors[0]}` : ""),
          );
          out.push(r);
        }
        return { runs: out, files: state.files, failures, accounts: size };
      } catch (error) {
        const failure = {
          accounts: size,
          error: String(error?.message ?? error)
            .replace(/^page\.evaluate: /, "")
            .split("\n")[0],
          pageCrashed: state.crashed,
          lastProgress: state.lastProgress ?? "no progress logged",
        };
        failures.push(failure);
        log(`${label} failed at ${fmt(size)} accounts: ${failure.error} (last progress: ${failure.lastProgress})`);
        if (out.length > 0) return { runs: out, files: state.files, failures, accounts: size };
        if (size <= MIN_ACCOUNTS) return { runs: [], files: state.files, failures, accounts: size };
        await openPage();
        size = Math.max(MIN_ACCOUNTS, Math.floor(size / 2));
      }
    }
  };

  const longTaskResult = (name, m, common) => {
    const maxes = perRun(m.runs, (r) => r.longTasks.maxMs);
    return {
      name,
      ...common,
      unit: "ms (longest long task on the page's thread)",
      runs: maxes,
      median: median(maxes),
      counts: perRun(m.runs, (r) => r.longTasks.count),
      totalMs: perRun(m.runs, (r) => r.longTasks.totalMs),
      goal: { longTaskMaxMs: GOALS.longTaskMs, met: maxes.every((x) => x <= GOALS.longTaskMs) },
      note: "long tasks are tasks over 50 ms (PerformanceObserver 'longtask'); 0 means none during the import",
    };
  };
  const failed = (name, m) => ({
    name,
    tier: "M",
    unit: "observations/s",
    runs: [],
    median: null,
    failures: m.failures,
    note: `the import failed at every size tried (down to ${MIN_ACCOUNTS} accounts); see failures`,
  });
  const commonOf = (m, files, extra = {}) => ({
    tier: tierOf(m.accounts),
    ...(m.failures.length > 0
      ? { sizeNote: `reduced after the import failed at larger sizes (see failures)` }
      : m.accounts !== TIER_M.accounts
        ? {
            sizeNote: `measured at ${fmt(m.accounts)} accounts by choice, not after a failure: storing tier M's 1.2 M blocks takes far longer than the suite's budget here (VITALS_BENCH_IMPORT_STORE_ACCOUNTS sets it)`,
          }
        : {}),
    size: {
      accounts: m.accounts,
      metrics: files.size.metrics,
      days: files.size.days,
      from: files.from,
      to: files.to,
      ...extra,
    },
    runsNote: `${m.runs.length} timed run(s), each with a fresh data worker and an empty store (accounts imported first, not timed)`,
    ...(m.failures.length > 0 ? { failures: m.failures } : {}),
    ...(m.runs.some((r) => r.imports.some((x) => x.comparisonError))
      ? {
          dryRunFailedAfterReading: [
            ...new Set(m.runs.flatMap((r) => r.imports.map((x) => x.comparisonError).filter(Boolean))),
          ],
        }
      : {}),
  });
  const wideFilesNote = (files) =>
    `${files.wide.length} files (month-ends ${files.wide[0]?.asOf} … ${files.wide.at(-1)?.asOf}), one row per account with ${files.size.metrics} metric columns: a wide row carries one day, so they hold accounts × ${files.size.metrics} × ${files.wide.length} observations, not the long file's accounts × ${files.size.metrics} × ${files.size.days}`;

  const results = [];
  try {
    await waitFor(url);
    const page = await openPage();
    log(await page.evaluate(() => navigator.userAgent));
    const observer = await page.evaluate(() => window.importBench.checkObserver());
    log(
      `long-task observer: ${observer.observing ? "on" : "off"}; a 120 ms task showed as ${JSON.stringify(observer.seen)}`,
    );
    if (!observer.observing || observer.seen.count === 0) throw new Error("the long-task observer does not work here");

    // 1. The subset both ways: the real import path and one IndexedDB row per observation, same observations.
    const subset = await measure("subset", "subset", {
      apply: true,
      accounts: STORE_ACCOUNTS,
      runs: RUNS.subset,
      warmup: 1,
    });
    let baseline;
    if (subset.runs.length > 0) {
      const f = subset.files;
      const obs = f.subset.observations;
      const subsetText = `${f.subset.month} (${f.subset.from} … ${f.subset.to}) of the first ${fmt(f.subset.accounts)} accounts: ${fmt(f.subset.accounts)} × ${f.size.metrics} metrics × ${obs / f.subset.accounts / f.size.metrics} days = ${fmt(obs)} observations`;
      const baselineRuns = [];
      for (let i = 0; i < RUNS.baseline; i++) {
        const b = await state.page.evaluate((batch) => window.importBench.baseline(batch), BASELINE_BATCH);
        if (b.stored !== b.rows || b.rows !== obs) {
          throw new Error(`the baseline stored ${b.stored} of ${b.rows} rows; the subset has ${obs} observations`);
        }
        log(`baseline run ${i + 1}: ${fmt(b.rows)} rows in ${fmt(b.ms)} ms`);
        baselineRuns.push(rate(b.rows, b.ms));
      }
      baseline = {
        name: `one IndexedDB row per observation, Dexie bulkPut (${fmt(BASELINE_BATCH)} rows a call, one transaction, key [accountId+metric+day] plus accountId and metric indexes as the blocks table has), in a worker`,
        unit: "observations/s",
        median: median(baselineRuns),
        runs: baselineRuns,
        subset: subsetText,
      };
      const store = perRun(subset.runs, (r) => rate(obs, phase(r, "applyMs")));
      results.push({
        name: "subset, long CSV: applyImport into an empty store (observation blocks, one transaction with undo), real data worker",
        tier: "M (subset)",
        unit: "observations/s",
        runs: store,
        median: median(store),
        baseline,
        ratio: round(median(store) / baseline.median, 2),
        ratioMeaning: "this store rate ÷ the baseline's, on the same observations in the same run",
        subset: subsetText,
        applyMs: msRuns(subset.runs, "applyMs"),
        parseRate: perRun(subset.runs, (r) => rate(obs, phase(r, "readMs"))),
        runsNote: `${subset.runs.length} timed runs after 1 warm-up; baseline ${baselineRuns.length} runs`,
        ...(subset.failures.length > 0 ? { failures: subset.failures } : {}),
      });
    } else results.push(failed("subset, long CSV: applyImport, real data worker (baseline not run)", subset));

    // 2. Dry runs at full size: parse + validate (and the comparison with an empty store). The wide dry runs and
    // the store runs that follow are kept room for (guessed: 5 minutes) when deciding whether another long one fits.
    const STORE_RESERVE_MS = 5 * 60_000;
    const longPlan = await measure("long dry run", "long", {
      apply: false,
      accounts: ACCOUNTS,
      runs: RUNS.longPlan,
      more: (msPerRun) => elapsed() + msPerRun + STORE_RESERVE_MS < BUDGET_MS,
    });
    if (longPlan.runs.length > 0) {
      const m = longPlan;
      const f = m.files;
      const obs = f.long.observations;
      const common = commonOf(m, f, { observations: obs, rows: f.long.rows, bytes: f.long.bytes });
      const parse = perRun(m.runs, (r) => rate(obs, phase(r, "readMs")));
      results.push({
        name: "long CSV: parse + validate (dry run's reading phase), real data worker",
        ...common,
        unit: "observations/s",
        runs: parse,
        median: median(parse),
        goal: { atLeast: GOALS.parse, met: median(parse) >= GOALS.parse },
        readMs: msRuns(m.runs, "readMs"),
        compareMs: msRuns(m.runs, "compareMs"),
        mibPerSecond: round(median(perRun(m.runs, (r) => f.long.bytes / 2 ** 20 / (phase(r, "readMs") / 1000))), 1),
      });
      results.push(longTaskResult("page long tasks during the long CSV's dry runs (planImport)", m, common));
    } else results.push(failed("long CSV: parse + validate", longPlan));

    const widePlan = await measure("wide dry run", "wide", { apply: false, accounts: ACCOUNTS, runs: RUNS.widePlan });
    if (widePlan.runs.length > 0) {
      const m = widePlan;
      const common = commonOf(m, m.files, { observations: observationsOf(m.runs[0]), rows: rowsOf(m.runs[0]) });
      const parse = perRun(m.runs, (r) => rate(observationsOf(r), phase(r, "readMs")));
      results.push({
        name: "wide month-end snapshots: parse + validate (dry run's reading phase, 12 files), real data worker",
        ...common,
        unit: "observations/s",
        runs: parse,
        median: median(parse),
        goal: { atLeast: GOALS.parse, met: median(parse) >= GOALS.parse },
        rowsPerSecond: median(perRun(m.runs, (r) => rate(rowsOf(r), phase(r, "readMs")))),
        readMs: msRuns(m.runs, "readMs"),
        compareMs: msRuns(m.runs, "compareMs"),
        files: wideFilesNote(m.files),
      });
    } else results.push(failed("wide month-end snapshots: parse + validate", widePlan));

    // 3. Storing, at STORE_ACCOUNTS: the wide files in order, then the long file. A long store run is guessed at
    // 2.5 wide ones when deciding whether another wide run fits.
    let wideRunMs = 0;
    const wideStore = await measure("wide import", "wide", {
      apply: true,
      accounts: STORE_ACCOUNTS,
      runs: RUNS.wideStore,
      more: (msPerRun) => {
        wideRunMs = msPerRun;
        return elapsed() + msPerRun * 3.5 < BUDGET_MS;
      },
    });
    if (wideStore.runs.length > 0) {
      const m = wideStore;
      const obs = observationsOf(m.runs[0]);
      const common = commonOf(m, m.files, { observations: obs, rows: rowsOf(m.runs[0]) });
      const store = perRun(m.runs, (r) => rate(obs, phase(r, "applyMs")));
      results.push({
        name: "wide month-end snapshots: applyImport (12 imports into one store, one observation per new block), real data worker",
        ...common,
        unit: "observations/s",
        runs: store,
        median: median(store),
        goal: { atLeast: GOALS.store, met: median(store) >= GOALS.store },
        applyMs: msRuns(m.runs, "applyMs"),
        readMs: msRuns(m.runs, "readMs"),
        compareMs: msRuns(m.runs, "compareMs"),
        files: wideFilesNote(m.files),
      });
      results.push(
        longTaskResult("page long tasks during the 12 wide imports (planImport + applyImport each)", m, common),
      );
    } else results.push(failed("wide month-end snapshots: applyImport", wideStore));

    const longStore = await measure("long import", "long", {
      apply: true,
      accounts: STORE_ACCOUNTS,
      runs: RUNS.longStore,
      more: (msPerRun) => elapsed() + msPerRun < BUDGET_MS,
    });
    if (longStore.runs.length > 0) {
      const m = longStore;
      const f = m.files;
      const obs = f.long.observations;
      const common = commonOf(m, f, { observations: obs, rows: f.long.rows, bytes: f.long.bytes });
      const store = perRun(m.runs, (r) => rate(obs, phase(r, "applyMs")));
      results.push({
        name: "long CSV: applyImport into an empty store (observation blocks, one transaction with undo), real data worker",
        ...common,
        unit: "observations/s",
        runs: store,
        median: median(store),
        goal: { atLeast: GOALS.store, met: median(store) >= GOALS.store },
        ...(baseline
          ? {
              baseline,
              ratio: round(median(store) / baseline.median, 2),
              ratioMeaning: `this store rate ÷ the baseline's; the baseline stores only the subset (${baseline.subset}), the real path ${fmt(obs)} observations here`,
            }
          : {}),
        applyMs: msRuns(m.runs, "applyMs"),
      });
      const total = perRun(m.runs, (r) => round(r.totalMs));
      results.push({
        name: "long CSV: the whole import as a user waits for it (dry run: read + compare; then apply)",
        ...common,
        unit: "ms",
        runs: total,
        median: median(total),
        observationsPerSecond: rate(obs, median(total)),
        phases: {
          readMs: msRuns(m.runs, "readMs"),
          compareMs: msRuns(m.runs, "compareMs"),
          applyMs: msRuns(m.runs, "applyMs"),
        },
      });
      results.push(
        longTaskResult("page long tasks during the long CSV's imports (planImport + applyImport)", m, common),
      );
    } else results.push(failed("long CSV: applyImport", longStore));
    if (wideRunMs > 0) log(`wide import runs took ${fmt(wideRunMs / 1000)} s each`);
  } finally {
    await browser.close();
    server.kill();
    if (!prebuilt) rmSync(outDir, { recursive: true, force: true });
  }
  return results;
}
