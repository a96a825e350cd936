// The extension's matcher in real Chromium (issue 6's benchmark): a 5,000-element support-desk page with 200
// identifiers in it (emails, domains, URLs, Salesforce ids, names in any case; test/bench/match-data.ts) against an
// index of 100,000 accounts (tier L). Measured on the harness page (test/harness/match-bench.ts), which runs the
// generic adapter's flow in one page: collect the text nodes, matchText each one against the index (the
// background's work), and insert a shadow-root badge after every match:
// - the whole page found and badged, and each added batch of 50 elements seen by a MutationObserver (SPA updates);
// - the same with the naive baseline (test/bench/naive-match.ts: one test per account over the page text), in the
//   same run, after checking that both find exactly the same matches;
// - buildIndex for 100,000 accounts (time, and the JS heap the index holds), and the heap a badged page adds;
// - the built scripts' sizes, gzipped (.output/chrome-mv3/badges.js, which the background runs in a page after its
//   load event, and content-scripts/*.js, the bridge; built if missing);
// - the built extension on Gmail's address (100,000 accounts): whole page and added batches;
// - an agent's 300-row ticket list on an enabled site, with and without the extension in the same run (issue 16's
//   "Speed, kept": all badges after load, long tasks, the page's own load), and a 3,000-row page
//   (test/bench/agent-list.mjs).
//
// Knobs (environment): VITALS_BENCH_MATCH_ACCOUNTS (100000), VITALS_BENCH_MATCH_HARNESS (an already built harness
// folder instead of building one), VITALS_BENCH_MATCH_EXTENSION=0 (skip the Gmail run), VITALS_BENCH_MATCH_LIST=0
// (skip the agent's list), VITALS_BENCH_MATCH_ONLY=list (the content script's size and the agent's list only),
// VITALS_BENCH_MATCH_LIST_ACCOUNTS (10000 accounts beside the fixture's in the list's index).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { agentListRun } from "./agent-list.mjs";
import { buildHarness, servePreview, waitFor } from "./serve.mjs";
import { median } from "./stats.mjs";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // Heap figures: a full collection before each reading, and exact (not bucketed) performance.memory.
  "--js-flags=--expose-gc",
  "--enable-precise-memory-info",
];
const SEED = 42;
const ACCOUNTS = Number(process.env.VITALS_BENCH_MATCH_ACCOUNTS ?? 100_000);
const PAGE = { elements: 5_000, identifiers: 200, batches: 20, batchSize: 50 };
const GOALS = { fullMs: 20, batchMs: 2, contentScriptGzipBytes: 30 * 1024 };
/**
 * Timed runs: fast full page (+ warm-up), naive full page (one: ~40 s unloaded at 100,000 accounts, minutes on a
 * busy machine), batch passes of 20 batches each, naive batches.
 */
const RUNS = { build: 5, full: 7, fullWarmup: 2, naiveFull: 1, batchPasses: 3, naiveBatches: 5 };

const ratioOf = (baseline, fast) => Number((baseline / fast).toFixed(1));
const kib = (bytes) => Number((bytes / 1024).toFixed(1));
const mib = (bytes) => Number((bytes / 1024 / 1024).toFixed(2));

/** The built content scripts and the badges they run, and their gzipped sizes; builds the extension first if it is not built. */
function contentScripts(log) {
  const dir = resolve(".output/chrome-mv3/content-scripts");
  // Built every run (a few seconds) so the sizes and the extension run are of the code as it is.
  if (!existsSync(dir) || process.env.VITALS_BENCH_MATCH_EXTENSION_BUILT !== "1") {
    log("building the extension (wxt build)…");
    const built = spawnSync(process.execPath, ["node_modules/wxt/bin/wxt.mjs", "build"], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (built.status !== 0) throw new Error("building the extension failed");
  }
  // badges.js: the badges themselves, which the background runs once a page has loaded (entrypoints/badges.ts).
  return [
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".js"))
      .map((f) => `content-scripts/${f}`),
    "badges.js",
  ].map((file) => {
    const code = readFileSync(resolve(".output/chrome-mv3", file));
    return { file, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
  });
}

/** Runs the matcher benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  const results = [];
  // Timings on a shared machine say little without how busy it was: each result records the load around it.
  const load = () => loadavg().map((x) => Number(x.toFixed(2)));
  const scripts = contentScripts(log);
  for (const s of scripts) log(`${s.file}: ${kib(s.bytes)} KiB, ${kib(s.gzipBytes)} KiB gzipped`);
  // The goal is for the code that runs on the pages a CSM reads: badges.js (adapters, scanner, badges), which the
  // background runs once a page has loaded; nothing of the extension runs there before. The bridge script runs only
  // on the Vitals app's own origin; it is listed but not held to the goal.
  const gzipOf = (file) => scripts.find((s) => s.file === file)?.gzipBytes ?? Number.NaN;
  const size = gzipOf("badges.js");
  const withBadges = size;
  results.push({
    name: "content script size, gzipped (.output/chrome-mv3/badges.js, gzip -9)",
    unit: "bytes",
    runs: [size],
    median: size,
    withBadges,
    note: "badges.js, run after the page's load event; no script of the extension runs on a site before it",
    scripts,
    goal: { atMost: GOALS.contentScriptGzipBytes, met: withBadges <= GOALS.contentScriptGzipBytes },
  });

  const list = () =>
    process.env.VITALS_BENCH_MATCH_LIST === "0"
      ? []
      : agentListRun(log, CHROMIUM_ARGS, resolve(".output/chrome-mv3"), load);
  if (process.env.VITALS_BENCH_MATCH_ONLY === "list") {
    results.push(...(await list()));
    return results;
  }

  const prebuilt = process.env.VITALS_BENCH_MATCH_HARNESS;
  const outDir = prebuilt ?? buildHarness(log, "match");
  const { origin, server } = await servePreview("test/harness/vite.config.ts", outDir);
  const url = `${origin}/match-bench.html`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    await waitFor(url);
    const page = await browser.newPage();
    page.on("console", (m) => m.type() === "error" && log(`page: ${m.text()}`));
    page.setDefaultTimeout(15 * 60_000);
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    log(await page.evaluate(() => navigator.userAgent));

    const generated = await page.evaluate(([n, seed]) => window.matchBench.generate(n, seed), [ACCOUNTS, SEED]);
    log(`${generated.accounts} accounts generated in ${generated.ms} ms`);

    // 1. buildIndex.
    const build = await page.evaluate((r) => window.matchBench.timeBuild(r), RUNS.build);
    log(
      `buildIndex: first ${build.firstMs} ms, median ${build.median} ms (domains only ${build.domainsOnly.median} ms); index heap ${mib(build.indexBytes)} MiB`,
    );
    results.push({
      name: `buildIndex + buildAll, ${ACCOUNTS.toLocaleString("en-US")} accounts (the background, after every service-worker start)`,
      unit: "ms",
      runs: build.runs,
      median: build.median,
      firstRunMs: build.firstMs,
      note: "every family of maps built (buildAll); the first run also compiles the code, later runs are warm",
      domainsOnly: {
        name: "buildIndex + the domains alone (what a page of email addresses needs first)",
        ...build.domainsOnly,
      },
      indexHeapBytes: build.indexBytes,
      indexHeapMiB: mib(build.indexBytes),
      keys: build.keys,
      loadAverage: load(),
    });

    // 2. The page, and agreement between the two matchers.
    const prepared = await page.evaluate(
      ([p, seed]) => window.matchBench.preparePage(p.elements, p.identifiers, p.batches, p.batchSize, seed),
      [PAGE, SEED],
    );
    log(`page: ${prepared.elements} elements, ${prepared.batches} batches of ${PAGE.batchSize}`);

    // 3. The whole page, found and badged.
    const fastFull = await page.evaluate(
      ([r, w]) => window.matchBench.timeFull("fast", r, w),
      [RUNS.full, RUNS.fullWarmup],
    );
    log(
      `full page fast: median ${fastFull.median} ms (collect ${fastFull.steps.collectMs}, find ${fastFull.steps.findMs}, badge ${fastFull.steps.badgeMs}), ${fastFull.hits} badges, page heap +${kib(fastFull.addedBytes)} KiB`,
    );
    const naiveFull = await page.evaluate((r) => window.matchBench.timeFull("naive", r, 0), RUNS.naiveFull);
    log(`full page naive: median ${naiveFull.median} ms`);
    // Both runs badged the same page: the naive matcher must have found exactly what matchText found.
    const agreement = await page.evaluate(() => window.matchBench.agree());
    log(
      `agreement: fast ${agreement.fast} matches, naive ${agreement.naive}, same: ${agreement.same} (${agreement.textNodes} text nodes, ${agreement.characters} characters)`,
    );
    if (!agreement.same)
      log(`only fast: ${JSON.stringify(agreement.onlyFast)}; only naive: ${JSON.stringify(agreement.onlyNaive)}`);
    results.push({
      name: "whole page found and badged (5,000 elements, 200 identifiers; collect text nodes, matchText, badge)",
      unit: "ms",
      runs: fastFull.runs,
      median: fastFull.median,
      baseline: {
        name: "naive: one test per account over the page text",
        median: naiveFull.median,
        runs: naiveFull.runs,
      },
      ratio: ratioOf(naiveFull.median, fastFull.median),
      goal: { medianAtMost: GOALS.fullMs, met: fastFull.median <= GOALS.fullMs },
      stepMedians: fastFull.steps,
      badges: fastFull.hits,
      pageHeapAddedBytes: fastFull.addedBytes,
      agreement,
      loadAverage: load(),
      scope: "matcher in the page (what the background does) + badge insertion; not the extension's messaging",
    });

    // 4. SPA batches of 50 elements.
    const passes = [];
    for (let p = 0; p < RUNS.batchPasses; p++)
      passes.push(await page.evaluate(() => window.matchBench.timeBatches("fast")));
    const batchRuns = passes.flatMap((p) => p.runs);
    const batchMedian = Number(median(batchRuns).toFixed(3));
    log(`batch fast: median ${batchMedian} ms over ${batchRuns.length} batches`);
    const naiveBatches = await page.evaluate((n) => window.matchBench.timeBatches("naive", n), RUNS.naiveBatches);
    log(`batch naive: median ${naiveBatches.median} ms`);
    results.push({
      name: "added batch of 50 elements found and badged (MutationObserver records → collect, matchText, badge)",
      unit: "ms",
      runs: batchRuns,
      median: batchMedian,
      baseline: {
        name: "naive: one test per account over the batch's text",
        median: naiveBatches.median,
        runs: naiveBatches.runs,
      },
      ratio: ratioOf(naiveBatches.median, batchMedian),
      goal: { medianAtMost: GOALS.batchMs, met: batchMedian <= GOALS.batchMs },
      badgesPerPass: passes[0]?.hits,
      loadAverage: load(),
    });
    // 5. The background's share of the extension run's lookups: lookupIdentifier for its 200 senders.
    const lookups = await page.evaluate(
      ([n, seed, r]) => window.matchBench.timeLookups(n, seed, r),
      [PAGE.identifiers, SEED, RUNS.full],
    );
    log(`lookupIdentifier × ${lookups.identifiers}: median ${lookups.median} ms (${lookups.found} found)`);
    results.push({
      name: `lookupIdentifier for the extension run's ${lookups.identifiers} sender emails (the matcher's share of that page's lookup)`,
      unit: "ms",
      runs: lookups.runs,
      median: lookups.median,
      found: lookups.found,
      loadAverage: load(),
    });

    // The extension run's data comes from the same generator, made in the harness page.
    const pages = await page.evaluate(([n, seed]) => window.matchBench.gmailPages(n, seed), [PAGE.identifiers, SEED]);
    const setJson = await page.evaluate(() => window.matchBench.badgeSetJson());
    await page.close();
    await browser.close();
    if (process.env.VITALS_BENCH_MATCH_EXTENSION !== "0")
      results.push(...(await extensionRun(log, pages, setJson, load)));
    results.push(...(await list()));
  } finally {
    await browser.close();
    server.kill();
    if (!prebuilt) rmSync(outDir, { recursive: true, force: true });
  }
  return results;
}

const GMAIL = "https://mail.google.com/mail/u/0/";
const EXTENSION_RUNS = { fullWarmup: 1, full: 5 };

/** The vitals:scan measures the content script recorded on a page: [duration ms, elements, matches] each. */
function scans(tab) {
  return tab.evaluate(() =>
    performance.getEntriesByName("vitals:scan").map((m) => [m.duration, m.detail?.elements, m.detail?.matches]),
  );
}

/**
 * The real thing: the built extension in Chromium with the 100,000 accounts imported through its options page,
 * on a generated page served at Gmail's address (so the manifest's content script runs and the Gmail adapter reads
 * each sender's address). Reads the content script's own `vitals:scan` measures: each pass collects the page's
 * candidates, asks the background (lookupIdentifier over the index), and badges the answers. The generic adapter
 * (free text) runs only on sites the user enables, which takes a permission prompt no headless run can answer, so
 * free-text matching is measured in the harness above.
 */
async function extensionRun(log, pages, setJson, load) {
  const extensionDir = resolve(".output/chrome-mv3");
  const userDataDir = mkdtempSync(join(tmpdir(), "vitals-match-ext-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    ignoreDefaultArgs: ["--disable-extensions"],
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  context.setDefaultTimeout(15 * 60_000);
  try {
    await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort("blockedbyclient"));
    const body = (html) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inbox</title></head><body><main id="inbox">${html}</main>` +
      // The heap before the content script (it runs at document_idle, after this), for "memory added".
      "<script>window.gc?.();window.heapBefore=performance.memory?.usedJSHeapSize;</script></body></html>";
    await context.route(`${GMAIL}**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: body(pages.page) }),
    );
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    const id = new URL(worker.url()).host;

    log(`extension: importing ${Math.round(setJson.length / 1024 / 1024)} MiB of badge set through the options page…`);
    const options = await context.newPage();
    await options.goto(`chrome-extension://${id}/options.html`);
    const started = performance.now();
    await options.getByLabel("Import bundle").setInputFiles({
      name: "badges.json",
      mimeType: "application/json",
      buffer: Buffer.from(setJson, "utf8"),
    });
    await options.getByRole("status").filter({ hasText: "Imported" }).waitFor();
    log(`extension: imported in ${Math.round(performance.now() - started)} ms`);
    await options.close();

    const tab = await context.newPage();
    const full = [];
    let last;
    for (let r = 0; r < EXTENSION_RUNS.fullWarmup + EXTENSION_RUNS.full; r++) {
      await tab.goto(GMAIL);
      // The first pass covers the whole page (the first one after the import also builds the background's index).
      await tab.waitForFunction(() => performance.getEntriesByName("vitals:scan").length > 0, null, { polling: 50 });
      const [first] = await scans(tab);
      if (r >= EXTENSION_RUNS.fullWarmup) full.push(first);
      else log(`extension: first pass (index built in the background on the first lookup) ${Math.round(first[0])} ms`);
      last = first;
    }
    const heap = await tab.evaluate(() => {
      window.gc?.();
      return { before: window.heapBefore, after: performance.memory?.usedJSHeapSize };
    });
    const badges = await tab.evaluate(() => document.querySelectorAll("vitals-badge").length);
    const fullMedian = Number(median(full.map((f) => f[0])).toFixed(3));
    log(`extension: whole page median ${fullMedian} ms (${last[1]} elements, ${last[2]} matches, ${badges} badges)`);

    const batchTimes = [];
    for (const html of pages.batches) {
      const before = (await scans(tab)).length;
      await tab.evaluate((h) => {
        const section = document.createElement("section");
        section.innerHTML = h; // the benchmark's own generated markup, in its own test page
        document.getElementById("inbox")?.append(section);
      }, html);
      await tab.waitForFunction((n) => performance.getEntriesByName("vitals:scan").length > n, before, { polling: 20 });
      const all = await scans(tab);
      batchTimes.push(Number((all[all.length - 1]?.[0] ?? Number.NaN).toFixed(3)));
    }
    const batchMedian = Number(median(batchTimes).toFixed(3));
    log(`extension: batch median ${batchMedian} ms over ${batchTimes.length} batches`);
    const scope =
      "the built extension: content script (Gmail adapter) collects, one lookup message to the background (lookupIdentifier over 100,000 accounts), badges";
    return [
      {
        name: "extension: whole page badged (5,000 elements, 200 senders at Gmail's address; vitals:scan first pass)",
        unit: "ms",
        runs: full.map((f) => Number(f[0].toFixed(3))),
        median: fullMedian,
        goal: { medianAtMost: GOALS.fullMs, met: fullMedian <= GOALS.fullMs },
        elements: last[1],
        matches: last[2],
        badges,
        pageHeapAddedBytes: heap.after - heap.before,
        scope,
        loadAverage: load(),
      },
      {
        name: "extension: added batch of 50 elements badged (vitals:scan pass after the append)",
        unit: "ms",
        runs: batchTimes,
        median: batchMedian,
        goal: { medianAtMost: GOALS.batchMs, met: batchMedian <= GOALS.batchMs },
        scope,
        loadAverage: load(),
      },
    ];
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
