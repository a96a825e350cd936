// Scale (issue 14): the goals' results at tier M (10,000 accounts × a year) and L (100,000), named as the issue's
// table names them, so a script can read them: `account page cold`, `dashboard cold`, `rating to views`,
// `import year` (s), `store throughput` (MB/s, with the raw IndexedDB baseline and the ratio), `extension lookup
// after wake` and `extension page scan` (tier L, from test/bench/scale/extension.mjs when it exists), and `heap M`,
// `heap L` (MB). Each is { name, tier, unit, runs, median, baseline?, ratio? }, a median of several runs; one that
// could not be measured has `median: null` and says why (`notMeasured`, `failures`).
//
// - Tier M app data: the PWA benchmark's setup (test/bench/pwa.bench.mjs, test/harness/pwa-bench.ts: the demo
//   portfolio of 10,000 accounts, a year of 9 metrics, stored as an import stores it) in a kept profile of this
//   suite's own (ratings are recorded in it), set up again only when missing (minutes). Each run's first start
//   installs this run's build and lets the app score and store its views, untimed.
// - `dashboard cold`, `account page cold`: a new browser process on the profile, left to finish its own start
//   (SETTLE_MS), then opening `#/` or `#/accounts/<id>`; navigation start → the dashboard's mark
//   `vitals:dashboard-rendered`, or → the account's name, score badge and factor table in the DOM (a MutationObserver
//   from the page's first script, which says so on the console: the suite waits for that line, not with Playwright's
//   waitForFunction, whose injected script would run on the page's thread during the start being timed). Cold is the app's: no page, worker or service worker of it runs, nothing of it is
//   in memory; the browser itself runs, as when a CSM follows **Open in Vitals** from a badge. The browser's own start
//   is left out because it is not Vitals': this Chromium renders its omnibox WebUI ("WebUI Top Renderer") for about a
//   second of CPU after launch, which on two cores overlapped the app's start and added 100–200 ms to it. "launch →
//   ready" is still logged beside each run (less the settling).
// - `heap M`: the used JS heap and ArrayBuffers of the page and the app's workers, after a garbage collection,
//   once the account page is shown after a cold start (DevTools protocol); `afterDashboard`: once the dashboard is.
// - `rating to views`: on the account page (one browser process, the extension's bridge played in the page so the
//   app publishes its badge set), click Record rating → the account page shows it (its "Latest:" line read back
//   from the reloaded account), the accounts-table row (Search filtered to the account) shows the new score, and a
//   badge set posted after the click gives it: the latest of the three. Ratings alternate 1 and 5.
// - `import year`: a year of tier M (10 metrics × 365 days, 36.5 M observations, ~1.4 GB long CSV made in the
//   page) through the app's own client and worker as the Data page runs it: accounts file first (untimed), then
//   planImport (read + compare), applyImport (store) and rescore, into an empty store in a fresh disk-backed
//   profile. A run past the timeout is cancelled and reported with how far it got.
// - `store throughput`: the store phase (applyImport) of the long CSV of STORE_ACCOUNTS accounts, in MB/s of its
//   values (8 bytes per observation, a float64: what any layout must write), over raw IndexedDB writing the same
//   bytes in the same page and run (plain IDB API in a worker, Float64Array rows of 4 KiB, 1,000 rows per readwrite
//   transaction, default durability), interleaved run by run. `ratio` = store MB/s ÷ raw MB/s.
// - Extension results and `heap L`: test/bench/scale/extension.mjs's `run({ log })`, when it exists; its results
//   are added as they are. Tier L is not built for the app here.
//
// Run time: ~10 minutes when the goals hold and the profile is kept (+ its setup, ~5–10 minutes, the first time).
// Today's code takes ~40–60 minutes: cold account pages and ratings rescore the portfolio (a minute or more each),
// and the year's import is cut at its timeout.
//
// Knobs (environment): VITALS_BENCH_SCALE_RUNS (5: cold starts of each kind, ratings),
// VITALS_BENCH_SCALE_PROFILES (folder of the kept profile), VITALS_BENCH_SCALE_FRESH=1 (set the profile up again),
// VITALS_BENCH_SCALE_ONLY (comma list of: dashboard, account, rating, store, import, extension),
// VITALS_BENCH_SCALE_SETTLE_MS (3000: a cold start's browser left to finish its own start; 0 opens the app at once),
// VITALS_BENCH_SCALE_TIMEOUT_S (300: a cold start, a rating), VITALS_BENCH_SCALE_IMPORT_ACCOUNTS (10000),
// VITALS_BENCH_SCALE_IMPORT_RUNS (3), VITALS_BENCH_SCALE_IMPORT_TIMEOUT_S (600 a run; 0: none),
// VITALS_BENCH_SCALE_STORE_ACCOUNTS (500), VITALS_BENCH_SCALE_STORE_RUNS (3), VITALS_BENCH_SCALE_BASELINE (a git ref,
// e.g. main: its app is built too and measured beside this tree's in the same run, on a copy of the profile served on
// the same origin, cold starts interleaved run by run and ratings block by block; each result of the app's flows then
// has `baseline` and `ratio` = this build's median ÷ the baseline's, below 1 when faster).
//
// Every result notes the machine's load average (1 minute) when it started and ended (`load`).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, serve } from "./pwa.bench.mjs";
import { coldStart, copyProfile, ensureProfile, prime, ratings } from "./scale/app.mjs";
import { importYear, storeThroughput } from "./scale/import.mjs";
import { freePort } from "./serve.mjs";
import { median } from "./stats.mjs";

const env = (name, fallback) => process.env[`VITALS_BENCH_SCALE_${name}`] ?? fallback;
const RUNS = Number(env("RUNS", 5));
/** How long a cold start's new browser is left to finish its own start before the app is opened (ms). */
const SETTLE_MS = Number(env("SETTLE_MS", 3000));
const PROFILES = env("PROFILES", join(tmpdir(), "vitals-bench-scale"));
const ONLY = new Set(env("ONLY", "dashboard,account,rating,store,import,extension").split(","));
const TIMEOUT_MS = Number(env("TIMEOUT_S", 300)) * 1000;
const IMPORT_ACCOUNTS = Number(env("IMPORT_ACCOUNTS", 10_000));
const IMPORT_RUNS = Number(env("IMPORT_RUNS", 3));
const IMPORT_TIMEOUT_MS = Number(env("IMPORT_TIMEOUT_S", 600)) * 1000;
const STORE_ACCOUNTS = Number(env("STORE_ACCOUNTS", 500));
const STORE_RUNS = Number(env("STORE_RUNS", 3));
const BASELINE = env("BASELINE", "");
const BASELINE_PROFILE = join(PROFILES, "tier-M-baseline");
/** The raw baseline's rows: 4 KiB (about a year of one metric of one account as float64s), 1,000 a transaction. */
const RAW_ROW_BYTES = 4096;
const RAW_ROWS_PER_TRANSACTION = 1000;
/** The first start of a new build on the profile may score all of tier M. */
const PRIME_TIMEOUT_MS = 20 * 60_000;
const TIER_M_ACCOUNTS = 10_000;

const round = (x, digits = 1) => Number(x.toFixed(digits));
const stats = (values, digits = 1) => ({
  runs: values.map((v) => round(v, digits)),
  median: round(median(values), digits),
});
const notMeasured = (name, tier, unit, reason, extra = {}) => ({
  name,
  tier,
  unit,
  runs: [],
  median: null,
  notMeasured: reason,
  ...extra,
});
const messageOf = (error) => String(error?.message ?? error).split("\n")[0];

/** Runs `fn`, turning a failure into a not-measured result for each of `names` (so one failure never hides the rest). */
async function attempt(log, names, fn) {
  try {
    return await fn();
  } catch (error) {
    log(`${names.map((n) => n[0]).join(", ")} failed: ${messageOf(error)}`);
    return names.map(([name, tier, unit]) => notMeasured(name, tier, unit, `failed: ${messageOf(error)}`));
  }
}

/** The app of git ref `ref` built (its tree from git archive, this tree's node_modules): { dir, label }. */
function buildBaseline(ref, log) {
  const sha = execFileSync("git", ["rev-parse", "--short", `${ref}^{commit}`], { encoding: "utf8" }).trim();
  const src = mkdtempSync(join(tmpdir(), "vitals-bench-baseline-src-"));
  const unpacked = spawnSync("sh", ["-c", `git archive ${sha} | tar -x -C "${src}"`], { stdio: "inherit" });
  if (unpacked.status !== 0) throw new Error(`could not unpack ${ref} (${sha})`);
  symlinkSync(resolve("node_modules"), join(src, "node_modules"));
  try {
    return { dir: build("pwa/vite.config.ts", log, src), label: `${ref} (${sha})` };
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

const load = () => round(loadavg()[0], 1);

export async function run({ log }) {
  const results = [];
  const appDir = build("pwa/vite.config.ts", log);
  const baselineApp = BASELINE ? buildBaseline(BASELINE, log) : undefined;
  const harnessDir = build("test/harness/vite.config.ts", log);
  let app;
  try {
    const needsProfile = ["dashboard", "account", "rating"].some((k) => ONLY.has(k));
    if (!needsProfile && (ONLY.has("store") || ONLY.has("import"))) {
      // The imports run in a fresh profile of their own: serving the builds is enough, no tier M profile needed.
      const port = await freePort();
      const server = await serve(appDir, harnessDir, port);
      app = { origin: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) };
    } else if (needsProfile) {
      app = await ensureProfile({
        profiles: PROFILES,
        tier: "M",
        accounts: TIER_M_ACCOUNTS,
        fresh: env("FRESH", "") === "1",
        appDir,
        harnessDir,
        log,
        primeTimeoutMs: PRIME_TIMEOUT_MS,
        beforePrime: baselineApp ? (profile) => copyProfile(profile, BASELINE_PROFILE) : undefined,
      });
    }
    const portfolio = app?.ready && { accounts: TIER_M_ACCOUNTS, stored: app.ready.stored };

    // This tree's build, and the baseline's on a copy of the profile (primed once: it scores and stores its views).
    const current = app && { name: "current", dir: appDir, profile: app.profile };
    let base;
    if (app?.ready && baselineApp) {
      // Copied before this build's first start (ensureProfile), so the baseline opens the store as its schema left it.
      const profile = BASELINE_PROFILE;
      app.use(baselineApp.dir);
      try {
        await prime({
          profile,
          origin: app.origin,
          accounts: TIER_M_ACCOUNTS,
          ready: { ...app.ready },
          primeTimeoutMs: PRIME_TIMEOUT_MS,
          log,
          what: `baseline ${baselineApp.label}`,
        });
      } finally {
        app.use(appDir);
      }
      base = { name: "baseline", dir: baselineApp.dir, profile, label: baselineApp.label };
    }
    const sides = base ? [base, current] : [current];
    /** Runs `fn` with `side`'s build served and its profile. */
    const onSide = async (side, fn) => {
      app.use(side.dir);
      try {
        return await fn(side.profile);
      } finally {
        app.use(appDir);
      }
    };
    /** This build's result with the baseline's beside it (when measured) and the ratio of the medians. */
    const withBaseline = (values, baseValues, what) => {
      const own = stats(values);
      if (!baseValues) return own;
      const b = stats(baseValues);
      return {
        ...own,
        baseline: { name: `the app built from ${base.label}, ${what}`, ...b },
        ratio: round(own.median / b.median, 3),
        ratioMeaning: "this build's median ÷ the baseline build's median (below 1: faster)",
      };
    };

    /** `RUNS` cold starts of each side, interleaved run by run. */
    const coldStarts = async (label, hash, what) => {
      const runs = { baseline: [], current: [] };
      for (let i = 0; i < RUNS; i++) {
        for (const side of sides) {
          const r = await onSide(side, (profile) =>
            coldStart({ ...app, profile, hash, what, timeoutMs: TIMEOUT_MS, heap: true, log, settleMs: SETTLE_MS }),
          );
          log(
            `${label} ${i + 1} (${side.name}): ${round(r.ms)} ms (launch → ready ${round(r.wallMs)} ms, less ${SETTLE_MS} ms settling); heap ${r.heap.totalMB} MB; load ${load()}`,
          );
          runs[side.name].push(r);
        }
      }
      return runs;
    };

    /** The heap after each cold start of this build, by what it opened (`heap M` is reported once both are measured). */
    const heaps = { dashboard: [], account: [] };
    if (ONLY.has("dashboard")) {
      results.push(
        ...(await attempt(log, [["dashboard cold", "M", "ms"]], async () => {
          const loadAtStart = load();
          const runs = await coldStarts("dashboard cold", "", "dashboard");
          heaps.dashboard.push(...runs.current.map((r) => r.heap));
          return [
            {
              name: "dashboard cold",
              tier: "M",
              unit: "ms",
              ...withBaseline(
                runs.current.map((r) => r.ms),
                base && runs.baseline.map((r) => r.ms),
                "the same cold starts, interleaved",
              ),
              launchToRendered: stats(runs.current.map((r) => r.wallMs)),
              browserSettledMs: SETTLE_MS,
              servedByServiceWorker: runs.current.every((r) => r.serviceWorker),
              goal: { medianAtMost: 1000 },
              load: { start: loadAtStart, end: load() },
              portfolio,
            },
          ];
        })),
      );
    }

    if (ONLY.has("account")) {
      results.push(
        ...(await attempt(log, [["account page cold", "M", "ms"]], async () => {
          const loadAtStart = load();
          const hash = `#/accounts/${encodeURIComponent(app.ready.accountId)}`;
          const runs = await coldStarts("account page cold", hash, "account");
          heaps.account.push(...runs.current.map((r) => r.heap));
          return [
            {
              name: "account page cold",
              tier: "M",
              unit: "ms",
              ...withBaseline(
                runs.current.map((r) => r.ms),
                base && runs.baseline.map((r) => r.ms),
                "the same cold starts, interleaved",
              ),
              launchToShown: stats(runs.current.map((r) => r.wallMs)),
              browserSettledMs: SETTLE_MS,
              account: app.ready.accountId,
              goal: { medianAtMost: 300 },
              load: { start: loadAtStart, end: load() },
              portfolio,
            },
          ];
        })),
      );
    }

    if (heaps.dashboard.length > 0 || heaps.account.length > 0) {
      // The larger of the two screens' heaps a cold start leaves (the account page, when measured).
      const main = heaps.account.length > 0 ? heaps.account : heaps.dashboard;
      results.push({
        name: "heap M",
        tier: "M",
        unit: "MB",
        ...stats(main.map((h) => h.totalMB)),
        what: `used JS heap and ArrayBuffers of the app's page and its workers after a garbage collection, once ${heaps.account.length > 0 ? "an account page" : "the dashboard"} is shown after a cold start`,
        ...(heaps.dashboard.length > 0 ? { afterDashboard: stats(heaps.dashboard.map((h) => h.totalMB)) } : {}),
        ...(heaps.account.length > 0 ? { afterAccountPage: stats(heaps.account.map((h) => h.totalMB)) } : {}),
        sample: main[0],
        portfolio,
      });
    } else if (ONLY.has("dashboard") || ONLY.has("account")) {
      results.push(notMeasured("heap M", "M", "MB", "no cold start finished"));
    }

    if (ONLY.has("rating")) {
      results.push(
        ...(await attempt(log, [["rating to views", "M", "ms"]], async () => {
          const loadAtStart = load();
          const runs = {};
          for (const side of sides) {
            runs[side.name] = await onSide(side, (profile) =>
              ratings({
                ...app,
                profile,
                accountId: app.ready.accountId,
                accountName: app.ready.accountName,
                runs: RUNS,
                timeoutMs: TIMEOUT_MS,
                log: (...args) => log(`(${side.name})`, ...args),
              }),
            );
            log(`ratings (${side.name}) done; load ${load()}`);
          }
          const own = runs.current;
          return [
            {
              name: "rating to views",
              tier: "M",
              unit: "ms",
              ...withBaseline(
                own.map((r) => r.ms),
                base && runs.baseline.map((r) => r.ms),
                "the same ratings of the same account, one browser each, the baseline's first",
              ),
              parts: {
                accountPageMs: stats(own.map((r) => r.accountPageMs)),
                tableRowMs: stats(own.map((r) => r.tableRowMs)),
                badgeSetMs: stats(own.map((r) => r.badgeSetMs)),
              },
              ...(base
                ? {
                    baselineParts: {
                      accountPageMs: stats(runs.baseline.map((r) => r.accountPageMs)),
                      tableRowMs: stats(runs.baseline.map((r) => r.tableRowMs)),
                      badgeSetMs: stats(runs.baseline.map((r) => r.badgeSetMs)),
                    },
                  }
                : {}),
              scores: own.map((r) => `${r.value}: ${r.before} → ${r.points}`),
              account: app.ready.accountId,
              goal: { medianAtMost: 300 },
              load: { start: loadAtStart, end: load() },
              portfolio,
            },
          ];
        })),
      );
    }

    if (ONLY.has("store")) {
      results.push(
        ...(await attempt(log, [["store throughput", "M", "MB/s"]], async () => {
          const s = await storeThroughput({
            harnessOrigin: app.origin,
            accounts: STORE_ACCOUNTS,
            runs: STORE_RUNS,
            timeoutMs: IMPORT_TIMEOUT_MS,
            rowBytes: RAW_ROW_BYTES,
            rowsPerTransaction: RAW_ROWS_PER_TRANSACTION,
            log,
          });
          if (s.store.length === 0) {
            return [notMeasured("store throughput", "M", "MB/s", "the import failed", { failures: s.failures })];
          }
          const store = stats(
            s.store.map((r) => r.mbps),
            2,
          );
          const raw = stats(
            s.raw.map((r) => r.mbps),
            2,
          );
          return [
            {
              name: "store throughput",
              tier: "M",
              unit: "MB/s",
              ...store,
              baseline: {
                name: `raw IndexedDB: the same bytes as ${RAW_ROW_BYTES}-byte Float64Array rows, ${RAW_ROWS_PER_TRANSACTION} rows per readwrite transaction, plain IDB API in a worker`,
                ...raw,
              },
              ratio: round(store.median / raw.median, 3),
              ratioMeaning: "store MB/s ÷ raw IndexedDB MB/s, same bytes, same page, same run",
              size: {
                accounts: STORE_ACCOUNTS,
                observations: s.files.long.observations,
                mb: round(s.bytes / 2 ** 20, 2),
                csvMiB: round(s.files.long.bytes / 2 ** 20),
              },
              bytesNote: "8 bytes per observation stored (its float64 value)",
              applyMs: s.store.map((r) => round(r.applyMs, 0)),
              observationsPerSecond: round(median(s.store.map((r) => r.observations / (r.applyMs / 1000))), 0),
              ...(s.failures.length > 0 ? { failures: s.failures } : {}),
            },
          ];
        })),
      );
    }

    if (ONLY.has("import")) {
      results.push(
        ...(await attempt(log, [["import year", "M", "s"]], async () => {
          const y = await importYear({
            harnessOrigin: app.origin,
            accounts: IMPORT_ACCOUNTS,
            runs: IMPORT_RUNS,
            timeoutMs: IMPORT_TIMEOUT_MS,
            budgetMs: 30 * 60_000,
            log,
          });
          const size = {
            accounts: IMPORT_ACCOUNTS,
            metrics: y.files.size.metrics,
            days: y.files.size.days,
            observations: y.files.long.observations,
            csvMiB: round(y.files.long.bytes / 2 ** 20),
          };
          const tier = IMPORT_ACCOUNTS === TIER_M_ACCOUNTS ? "M" : `M reduced to ${IMPORT_ACCOUNTS} accounts`;
          if (y.runs.length === 0) {
            const f = y.failures[0];
            const p = f?.progress;
            const estimate =
              p && typeof p === "object" && p.done > 0 && p.total > 0
                ? `the ${p.step} step's ${p.phase} phase was ${round((p.done / p.total) * 100)}% done after ${round(p.atMs / 1000)} s`
                : undefined;
            return [
              notMeasured("import year", tier, "s", f?.error ?? "no run finished", {
                size,
                failures: y.failures,
                ...(estimate ? { reached: estimate } : {}),
              }),
            ];
          }
          const s = (key) => stats(y.runs.map((r) => r[key] / 1000));
          return [
            {
              name: "import year",
              tier,
              unit: "s",
              ...s("totalMs"),
              phases: { readS: s("readMs"), compareS: s("compareMs"), storeS: s("applyMs"), rescoreS: s("rescoreMs") },
              storeMBps: stats(
                y.runs.map((r) => (r.observations * 8) / 2 ** 20 / (r.applyMs / 1000)),
                2,
              ),
              size,
              goal: { medianAtMost: 120 },
              ...(y.failures.length > 0 ? { failures: y.failures } : {}),
            },
          ];
        })),
      );
    }
  } finally {
    await app?.close();
    rmSync(appDir, { recursive: true, force: true });
    if (baselineApp) rmSync(baselineApp.dir, { recursive: true, force: true });
    rmSync(harnessDir, { recursive: true, force: true });
  }

  // The extension's results (tier L), measured by its own module when it exists.
  const extensionNames = [
    ["extension lookup after wake", "L", "ms"],
    ["extension page scan", "L", "ms"],
  ];
  const extension = resolve("test/bench/scale/extension.mjs");
  let extensionResults = [];
  if (!ONLY.has("extension")) {
    extensionResults = extensionNames.map(([n, t, u]) => notMeasured(n, t, u, "left out (VITALS_BENCH_SCALE_ONLY)"));
  } else if (!existsSync(extension)) {
    extensionResults = extensionNames.map(([n, t, u]) =>
      notMeasured(n, t, u, "test/bench/scale/extension.mjs does not exist yet (the extension's tier L measurement)"),
    );
  } else {
    extensionResults = await attempt(log, extensionNames, async () => {
      const mod = await import(pathToFileURL(extension).href);
      const out = await mod.run({ log: (...args) => log("extension:", ...args) });
      const missing = extensionNames.filter(([n]) => !out.some((r) => r.name === n));
      return [...out, ...missing.map(([n, t, u]) => notMeasured(n, t, u, "extension.mjs returned no such result"))];
    });
  }
  results.push(...extensionResults);
  if (!results.some((r) => r.name === "heap L")) {
    results.push(
      notMeasured(
        "heap L",
        "L",
        "MB",
        "tier L (100,000 accounts) is not built for the app by this suite (its setup page holds the demo's observations in memory: 330 M at tier L); extension.mjs reported none",
      ),
    );
  }
  return results;
}
