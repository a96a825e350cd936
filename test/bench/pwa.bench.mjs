// The PWA in real Chromium with tier M stored (docs/architecture.md, "Sizes we design for"): time to the first dashboard render
// from a cold start, and filtering and sorting the accounts table, with the longest main-thread task during each.
//
// Data: a demo portfolio of 10,000 accounts (core/demo/portfolio.ts: names, segments, renewals, a year of daily
// usage, tickets, NPS, invoices, CSM ratings; its 9 metrics) is stored in a persistent Chromium profile by a setup
// page served on the app's origin (test/harness/pwa-bench.ts): accounts, outcomes and one block per account × metric
// × month, as an import stores them. The app's first start then scores it and stores the latest results, the year of
// daily history and its views, as it does after any import. The profile is kept (in the OS temp folder, with the
// port its origin uses) so later runs skip the setup, which takes minutes: IndexedDB here writes a few thousand rows
// a second.
//
// A cold start is a new browser process on that profile (service worker installed, the OS file cache warm);
// "rendered" is the app's performance mark once the dashboard's numbers and chart are in the DOM (navigation start
// → mark; the browser's own launch is reported beside it). Filter: typing a name's first letters into Search, one
// keystroke at a time; sort: clicking column headers over all rows. Each is timed in the page from the event to the
// frame after the table shows the result.
//
// Baselines in the same run: a cold start with the stored views removed (the app scores every stored observation,
// as every cold start did before the views were stored: the ratio says what they buy), and the same measurements
// at tier S (500 accounts, its own profile).
//
// Knobs (environment): VITALS_BENCH_PWA_RUNS (5 cold starts per tier), VITALS_BENCH_PWA_TIERS ("M,S"),
// VITALS_BENCH_PWA_PROFILES (folder of the kept profiles), VITALS_BENCH_PWA_FRESH=1 (set the profiles up again).
// The scale suite (test/bench/scale/) builds and sets up its own profile with the helpers exported here.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, freePort } from "./serve.mjs";
import { median } from "./stats.mjs";

const TIERS = { S: 500, M: 10_000 };
const GOALS = { coldStartMs: 1000, filterMs: 50, sortMs: 50 };
/** Bumped when the setup stores something else: older profiles are set up again. */
const SETUP_FORMAT = 1;
const RUNS = Number(process.env.VITALS_BENCH_PWA_RUNS ?? 5);
const PROFILES = process.env.VITALS_BENCH_PWA_PROFILES ?? join(tmpdir(), "vitals-bench-pwa");
/** The demo's fixed last day (2025-06-30) as days since 1970-01-01, so the data never depends on today. */
export const AS_OF = Date.UTC(2025, 5, 30) / 86_400_000;
/** How long a cold start that scores every stored observation may take (tier M) before the run is abandoned. */
const SCORING_TIMEOUT_MS = 15 * 60_000;

const round = (x, digits = 1) => Number(x.toFixed(digits));
const ratioOf = (baseline, fast) => Number((baseline / fast).toFixed(2));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
};

/** Builds `config` into a temporary folder (so nothing served meanwhile from dist/ is half rebuilt). */
export function build(config, log, cwd = process.cwd()) {
  const outDir = mkdtempSync(join(tmpdir(), "vitals-pwa-bench-"));
  log(`building ${config}${cwd === process.cwd() ? "" : ` of ${cwd}`} into ${outDir}…`);
  const built = spawnSync(
    process.execPath,
    [join(process.cwd(), "node_modules/vite/bin/vite.js"), "build", "--config", config, "--outDir", outDir],
    {
      cwd,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (built.status !== 0) throw new Error(`building ${config} failed`);
  return outDir;
}

/** One origin for the app (at /) and the setup page (at /harness/), so both use the app's IndexedDB. */
export function serve(appDir, harnessDir, port) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    // `appDir` may be a function: the scale suite switches between two builds on one origin.
    const app = typeof appDir === "function" ? appDir() : appDir;
    const [root, rest] = path.startsWith("/harness/") ? [harnessDir, path.slice(9)] : [app, path.slice(1)];
    let file = normalize(join(root, rest || "index.html"));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, "index.html");
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    res.end(readFileSync(file));
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => done(server));
  });
}

export const portFree = (port) =>
  new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => done(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => done(true)));
  });

/** Records every long task of the page from its first script on (a PerformanceObserver per document). */
function observeLongTasks() {
  window.__longTasks = [];
  try {
    window.__longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
    });
    window.__longTaskObserver.observe({ type: "longtask", buffered: true });
  } catch {
    // no Long Tasks API: reported as null
  }
}

/** In the page: the longest long task that started within [from, to] (page clock), or 0. */
function longestBetween([from, to]) {
  for (const e of window.__longTaskObserver?.takeRecords() ?? []) window.__longTasks.push([e.startTime, e.duration]);
  return window.__longTasks.filter(([s]) => s >= from && s <= to).reduce((m, [, d]) => Math.max(m, d), 0);
}

/** In the page: types `text` into Search one character at a time, timing each keystroke until the frame after. */
async function typeInFilter(text) {
  const afterFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const input = document.querySelector('input[type="search"]');
  const count = () => document.querySelector(".accounts-count")?.textContent ?? "";
  const out = [];
  for (let i = 1; i <= text.length; i++) {
    const t0 = performance.now();
    input.value = text.slice(0, i);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await afterFrame();
    out.push({ ms: performance.now() - t0, from: t0, to: performance.now(), shown: count() });
  }
  return out;
}

/** In the page: clicks each named column header in turn, timing each click until the frame after. */
async function clickSorts(labels) {
  const afterFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const first = () => document.querySelector(".accounts-table tbody tr:nth-child(2) a")?.textContent ?? "";
  const out = [];
  for (const label of labels) {
    const button = [...document.querySelectorAll(".accounts-table th button")].find((b) =>
      b.textContent.startsWith(label),
    );
    const t0 = performance.now();
    button.click();
    await afterFrame();
    const th = button.closest("th");
    out.push({
      label,
      ms: performance.now() - t0,
      from: t0,
      to: performance.now(),
      sort: th?.getAttribute("aria-sort"),
      first: first(),
    });
  }
  return out;
}

/** Sets up a profile holding `accounts` demo accounts (as the setup page stores them) on `origin`. */
export async function setUp(profile, origin, accounts, log) {
  rmSync(profile, { recursive: true, force: true });
  mkdirSync(profile, { recursive: true });
  // The app's service worker would answer the setup page's navigation with the app: keep it out of the setup.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    serviceWorkers: "block",
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => m.text().startsWith("[pwa-bench]") && log(m.text().slice(12)));
    await page.goto(`${origin}/harness/pwa-bench.html`);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    page.setDefaultTimeout(0);
    return await page.evaluate(([n, day]) => window.pwaBench.store(n, day), [accounts, AS_OF]);
  } finally {
    await context.close();
  }
}

/**
 * One cold start: a new browser on the profile, the app opened, the dashboard rendered; then (when `table`) the
 * accounts table filtered and sorted. `fresh`: installs this run's build first (see below).
 */
async function coldStart(profile, origin, { table, timeout, log, fresh = false }) {
  const launched = performance.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    await context.addInitScript(observeLongTasks);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => m.type() === "error" && log(`page: ${m.text()}`));
    page.on("pageerror", (e) => log(`page error: ${e.message}`));
    if (fresh) {
      // The profile's service worker would serve the build it cached on an earlier run (and offer this one as an
      // update): take it and its caches away, so this start installs the build under test.
      await page.goto(`${origin}/`);
      await page.evaluate(async () => {
        for (const r of (await navigator.serviceWorker?.getRegistrations()) ?? []) await r.unregister();
        for (const key of await caches.keys()) await caches.delete(key);
      });
    }
    const opened = performance.now();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => performance.getEntriesByName("vitals:dashboard-rendered").length > 0, null, {
      timeout,
      polling: 50,
    });
    const wallMs = performance.now() - launched;
    const sinceOpenMs = performance.now() - opened;
    const renderedMs = await page.evaluate(
      () => performance.getEntriesByName("vitals:dashboard-rendered")[0]?.startTime ?? Number.NaN,
    );
    const sw = await page.evaluate(() => Boolean(navigator.serviceWorker?.controller));
    // Long tasks are delivered after they end: a frame or two later.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
    const longestMs = await page.evaluate(longestBetween, [0, renderedMs]);
    const run = { renderedMs, wallMs, sinceOpenMs, longestMs, serviceWorker: sw };
    if (!table) return run;

    await page.evaluate(() => {
      location.hash = "#/accounts";
    });
    await page.locator(".accounts-table tbody tr a").first().waitFor({ timeout: 60_000 });
    const total = await page.locator(".accounts-count").textContent();
    // Type the first letters of the name of the 37th account by name: a prefix that narrows the table step by step.
    const name = await page.evaluate(async () => {
      const button = [...document.querySelectorAll(".accounts-table th button")].find((b) =>
        b.textContent.startsWith("Account"),
      );
      button.click();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const el = document.querySelector(".table-scroll");
      el.scrollTop = 36 * 44;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
      const links = [...document.querySelectorAll(".accounts-table tbody tr a")].map((a) => a.textContent);
      el.scrollTop = 0;
      return links[Math.min(links.length - 1, 12)] ?? "a";
    });
    const text = name.toLowerCase().slice(0, 6);
    const typed = await page.evaluate(typeInFilter, text);
    const filterLongest = await page.evaluate(longestBetween, [typed[0].from, typed.at(-1).to]);
    await page.getByRole("button", { name: "Reset" }).click();
    await page
      .locator(".accounts-count")
      .filter({ hasText: total ?? "" })
      .waitFor();
    const sorts = await page.evaluate(clickSorts, [
      "ARR",
      "ARR",
      "Account",
      "Account",
      "Health",
      "Change",
      "Renewal",
      "Owner",
    ]);
    const sortLongest = await page.evaluate(longestBetween, [sorts[0].from, sorts.at(-1).to]);
    return {
      ...run,
      rows: total,
      filter: { text, keystrokes: typed.map((t) => ({ ms: round(t.ms), shown: t.shown })), longestMs: filterLongest },
      sort: {
        clicks: sorts.map((s) => ({ label: s.label, ms: round(s.ms), sort: s.sort, first: s.first })),
        longestMs: sortLongest,
      },
    };
  } finally {
    await context.close();
  }
}

/** Removes the stored views from the profile's store (raw IndexedDB on the app's origin), so the next start scores. */
async function forgetViews(profile, origin) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    serviceWorkers: "block",
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/harness/pwa-bench.html`);
    await page.evaluate(
      () =>
        new Promise((done, fail) => {
          const open = indexedDB.open("vitals");
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction("meta", "readwrite");
            tx.objectStore("meta").delete("views.dashboard");
            tx.objectStore("meta").delete("views.rows");
            tx.oncomplete = () => {
              db.close();
              done();
            };
            tx.onerror = () => fail(tx.error);
          };
        }),
    );
  } finally {
    await context.close();
  }
}

const stats = (values) => ({
  runs: values.map((v) => round(v)),
  median: round(median(values)),
});

/** Runs the PWA benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  const appDir = build("pwa/vite.config.ts", log);
  const harnessDir = build("test/harness/vite.config.ts", log);
  const tiers = (process.env.VITALS_BENCH_PWA_TIERS ?? "M,S").split(",");
  const results = [];
  const measured = {};
  try {
    for (const tier of tiers) {
      const accounts = TIERS[tier];
      if (!accounts) throw new Error(`unknown tier ${tier} (S or M)`);
      const profile = join(PROFILES, `tier-${tier}`);
      const readyFile = join(PROFILES, `tier-${tier}.json`);
      let ready = existsSync(readyFile) ? JSON.parse(readFileSync(readyFile, "utf8")) : undefined;
      if (
        process.env.VITALS_BENCH_PWA_FRESH === "1" ||
        !ready ||
        ready.format !== SETUP_FORMAT ||
        ready.accounts !== accounts ||
        !existsSync(profile) ||
        !(await portFree(ready.port))
      ) {
        ready = undefined;
      }
      const port = ready?.port ?? (await freePort());
      const server = await serve(appDir, harnessDir, port);
      const origin = `http://127.0.0.1:${port}`;
      try {
        if (!ready) {
          log(`tier ${tier}: storing ${accounts} accounts in a new profile at ${profile} (origin ${origin})…`);
          const t0 = performance.now();
          const stored = await setUp(profile, origin, accounts, log);
          ready = {
            format: SETUP_FORMAT,
            accounts,
            port,
            stored,
            setupSeconds: round((performance.now() - t0) / 1000),
          };
          writeFileSync(readyFile, JSON.stringify(ready, null, 2));
          log(`tier ${tier}: stored ${JSON.stringify(stored)}`);
        } else {
          log(`tier ${tier}: reusing the profile at ${profile} (set up ${ready.setupSeconds} s; origin ${origin})`);
        }
        // Baseline: a start without stored views scores every stored observation (as every cold start did before
        // they were stored), then stores them. It is also the first start of this run's build: it installs it and
        // its service worker (a new build would not trust views stored by another anyway).
        await forgetViews(profile, origin);
        const scoring = await coldStart(profile, origin, {
          table: false,
          timeout: SCORING_TIMEOUT_MS,
          log,
          fresh: true,
        });
        log(`tier ${tier}: cold start without stored views rendered in ${round(scoring.renderedMs)} ms`);
        const runs = [];
        for (let i = 0; i < RUNS; i++) {
          const r = await coldStart(profile, origin, { table: true, timeout: 120_000, log });
          log(
            `tier ${tier} run ${i + 1}: rendered ${round(r.renderedMs)} ms (wall ${round(r.wallMs)} ms, longest task ${round(r.longestMs)} ms); ` +
              `filter ${r.filter.keystrokes.map((k) => k.ms).join("/")} ms; sort ${r.sort.clicks.map((c) => c.ms).join("/")} ms`,
          );
          runs.push(r);
        }
        const keystrokes = runs.flatMap((r) => r.filter.keystrokes.map((k) => k.ms));
        const clicks = runs.flatMap((r) => r.sort.clicks.map((c) => c.ms));
        const portfolio = { accounts, stored: ready.stored, rows: runs[0]?.rows };
        const m = {
          cold: stats(runs.map((r) => r.renderedMs)),
          wall: stats(runs.map((r) => r.wallMs)),
          coldLongest: round(Math.max(...runs.map((r) => r.longestMs))),
          scoring,
          filter: stats(keystrokes),
          filterLongest: round(Math.max(...runs.map((r) => r.filter.longestMs))),
          sort: stats(clicks),
          sortLongest: round(Math.max(...runs.map((r) => r.sort.longestMs))),
          sample: { filter: runs[0]?.filter, sort: runs[0]?.sort },
          serviceWorker: runs.every((r) => r.serviceWorker),
        };
        measured[tier] = m;
        results.push({
          name: "cold start to the dashboard rendered (navigation start → numbers and chart in the DOM)",
          tier,
          unit: "ms",
          runs: m.cold.runs,
          median: m.cold.median,
          longestTaskMs: m.coldLongest,
          browserLaunchToRendered: m.wall,
          servedByServiceWorker: m.serviceWorker,
          baseline: {
            name: "the same cold start without stored views (scores every stored observation first, as before)",
            runs: [round(scoring.renderedMs)],
            median: round(scoring.renderedMs),
            longestTaskMs: round(scoring.longestMs),
          },
          ratio: ratioOf(scoring.renderedMs, m.cold.median),
          ...(tier === "M"
            ? { goal: { medianAtMost: GOALS.coldStartMs, met: m.cold.median <= GOALS.coldStartMs } }
            : {}),
          portfolio,
        });
        results.push({
          name: "accounts table: one keystroke in Search until the frame after the table shows the result",
          tier,
          unit: "ms",
          ...m.filter,
          longestTaskMs: m.filterLongest,
          ...(tier === "M" ? { goal: { medianAtMost: GOALS.filterMs, met: m.filter.median <= GOALS.filterMs } } : {}),
          sample: m.sample.filter,
          portfolio: { accounts },
        });
        results.push({
          name: "accounts table: one click on a column header (sort all rows) until the frame after",
          tier,
          unit: "ms",
          ...m.sort,
          longestTaskMs: m.sortLongest,
          ...(tier === "M" ? { goal: { medianAtMost: GOALS.sortMs, met: m.sort.median <= GOALS.sortMs } } : {}),
          sample: m.sample.sort,
          portfolio: { accounts },
        });
      } finally {
        await new Promise((r) => server.close(r));
      }
    }
  } finally {
    rmSync(appDir, { recursive: true, force: true });
    rmSync(harnessDir, { recursive: true, force: true });
  }
  // Tier M against tier S, measured in the same run: how the times grow with 20 × the accounts.
  if (measured.M && measured.S) {
    for (const [key, label] of [
      ["cold", "cold start"],
      ["filter", "filter keystroke"],
      ["sort", "sort click"],
    ]) {
      results.push({
        name: `tier M (10,000 accounts) over tier S (500): ${label}`,
        unit: "ratio",
        median: ratioOf(measured.M[key].median, measured.S[key].median),
        baseline: { name: `tier S ${label}`, median: measured.S[key].median },
      });
    }
  }
  return results;
}
