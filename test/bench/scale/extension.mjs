// The extension at tier L (issue 14): 100,000 accounts imported through the real, unpacked extension's options page
// in a kept Chromium profile, then on a generated page served at Gmail's address (the manifest's content script and
// its Gmail adapter run; test/bench/match.bench.mjs's page and data, test/bench/match-data.ts):
// - `extension page scan`: the content script's first pass over the whole page (5,000 elements, 200 senders:
//   collect, one lookup message to the background, badges), the service worker awake;
// - `extension lookup after wake`: the service worker stopped (CDP ServiceWorker.stopAllWorkers, as the browser
//   stops it after 30 s idle), then a page's first lookup: the content script's `vitals:lookup` measure, the round
//   trip that wakes the worker, reads the stored index and the matched accounts and answers;
// - `extension options import`: choosing the 100,000 accounts' file (45 MB) in the options page until it says
//   Imported (parse, validate, pack, store);
// - `heap L`: the background's heap (used JS heap and ArrayBuffers, after a garbage collection) after each wake's
//   first lookup.
// Called by test/bench/scale.bench.mjs; runnable alone: `node test/bench/scale/extension.mjs` prints the results.
//
// Knobs (environment): VITALS_BENCH_EXTENSION_ACCOUNTS (100000), VITALS_BENCH_EXTENSION_PROFILE (the kept profile's
// folder; default in the system's temp folder, one per build of background.js), VITALS_BENCH_EXTENSION_DIR (an
// already built extension instead of building .output/chrome-mv3), CHROMIUM_PATH.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "@playwright/test";
import { build } from "esbuild";
import { median } from "../stats.mjs";
import { heapOf } from "./heap.mjs";

const ACCOUNTS = Number(process.env.VITALS_BENCH_EXTENSION_ACCOUNTS ?? 100_000);
const SEED = 42;
const PAGE = { elements: 5_000, identifiers: 200, batches: 20, batchSize: 50 };
const RUNS = { import: 3, scanWarmup: 2, scan: 7, wake: 7 };
const GOALS = { wakeMs: 200, scanMs: 20 };
const GMAIL = "https://mail.google.com/mail/u/0/";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const round = (ms) => Number(ms.toFixed(3));
const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const stats = (runs) => ({ runs: runs.map(round), median: round(median(runs)) });

/** The benchmark's data (test/bench/match-data.ts, bundled for Node): the set's file and the Gmail pages. */
async function benchData() {
  const bundled = await build({
    entryPoints: [resolve("test/bench/match-data.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "error",
  });
  const code = bundled.outputFiles[0]?.text ?? "";
  const data = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  const accounts = data.benchAccounts(ACCOUNTS, SEED);
  return { setJson: data.badgeSetJson(accounts), ...data.extensionPages(accounts, SEED, PAGE) };
}

/** The unpacked extension's folder, built now unless one is given. */
function extensionDir(log) {
  if (process.env.VITALS_BENCH_EXTENSION_DIR) return resolve(process.env.VITALS_BENCH_EXTENSION_DIR);
  log("building the extension (wxt build)…");
  const built = spawnSync(process.execPath, ["node_modules/wxt/bin/wxt.mjs", "build"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (built.status !== 0) throw new Error("building the extension failed");
  return resolve(".output/chrome-mv3");
}

/** The content script's measures on a tab: [duration ms, detail] of each `name`. */
function measures(tab, name) {
  return tab.evaluate((n) => performance.getEntriesByName(n).map((m) => [m.duration, m.detail]), name);
}

/**
 * In the page, from its first script on: says on the console (`vitals-bench:scan`) each time the content script
 * ends a pass (its `vitals:scan` measure; the page and the content script share the performance timeline). The
 * benchmark waits for that line rather than polling with Playwright's waitForFunction, whose injected script ran on
 * the page's thread during the pass it measured (it must: the content script runs on that thread too).
 */
function sayScans() {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === "vitals:scan") console.debug("vitals-bench:scan");
  }).observe({ type: "measure" });
}

/** Resolves once the tab's content script ends a pass (sayScans). */
function nextScan(tab) {
  const seen = tab.waitForEvent("console", { predicate: (message) => message.text() === "vitals-bench:scan" });
  seen.catch(() => undefined);
  return seen;
}

/** Opens the Gmail page in the tab and waits for the content script's first pass; returns its first measures. */
async function firstPass(tab) {
  const scanned = nextScan(tab);
  await tab.goto(GMAIL);
  await scanned;
  const [scan] = await measures(tab, "vitals:scan");
  const [lookup] = await measures(tab, "vitals:lookup");
  const [collect] = await measures(tab, "vitals:collect");
  const [badge] = await measures(tab, "vitals:badge");
  const [seeing] = await measures(tab, "vitals:visibility");
  const badges = await tab.evaluate(() => document.querySelectorAll("vitals-badge").length);
  return {
    scanMs: scan[0],
    lookupMs: lookup?.[0] ?? Number.NaN,
    collectMs: collect?.[0] ?? Number.NaN,
    badgeMs: badge?.[0] ?? Number.NaN,
    seeingMs: seeing?.[0] ?? Number.NaN,
    elements: scan[1]?.elements,
    badges,
  };
}

/** Runs the extension's tier L benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  const dir = extensionDir(log);
  log(`generating ${ACCOUNTS.toLocaleString("en-US")} accounts…`);
  const data = await benchData();
  // One kept profile per build of the background: Chromium keeps an unpacked extension's service worker script from
  // the first time it ran in a profile (same path, same version), so a rebuilt background.js in a kept profile would
  // be measured as the old one.
  const build = createHash("sha256")
    .update(readFileSync(join(dir, "background.js")))
    .digest("hex")
    .slice(0, 12);
  const profile = resolve(
    process.env.VITALS_BENCH_EXTENSION_PROFILE ?? join(tmpdir(), `vitals-bench-extension-L-${build}`),
  );
  mkdirSync(profile, { recursive: true });
  log(`profile ${profile}${existsSync(join(profile, "Default")) ? " (kept from an earlier run)" : ""}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    ignoreDefaultArgs: ["--disable-extensions"],
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  context.setDefaultTimeout(10 * 60_000);
  const results = [];
  try {
    await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort("blockedbyclient"));
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inbox</title></head><body><main id="inbox">${data.page}</main></body></html>`;
    await context.route(`${GMAIL}**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body }),
    );
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    const id = new URL(worker.url()).host;
    const options = await context.newPage();
    const file = { name: "badges.json", mimeType: "application/json", buffer: Buffer.from(data.setJson, "utf8") };

    // 1. Options import, whole: the page's "Imported" line after choosing the file.
    const imports = [];
    for (let r = 0; r < RUNS.import; r++) {
      await options.goto(`chrome-extension://${id}/options.html`);
      const started = performance.now();
      await options.getByLabel("Import bundle").setInputFiles(file);
      await options.getByRole("status").filter({ hasText: "Imported" }).waitFor();
      imports.push(performance.now() - started);
      log(`options import ${r + 1}: ${Math.round(imports.at(-1))} ms`);
    }
    results.push({
      name: "extension options import",
      tier: "L",
      unit: "ms",
      ...stats(imports),
      accounts: ACCOUNTS,
      fileBytes: file.buffer.length,
      scope: "options page: choosing the file → Imported (read, JSON, schema, pack index and search words, store)",
      loadAverage: load(),
    });

    // 2. A page scanned, the service worker awake (warm-up passes first: the first one reads the index).
    const tab = await context.newPage();
    await tab.addInitScript(sayScans);
    const scans = [];
    const scanLookups = [];
    const parts = { collect: [], seeing: [], badge: [] };
    let last;
    for (let r = 0; r < RUNS.scanWarmup + RUNS.scan; r++) {
      last = await firstPass(tab);
      if (r >= RUNS.scanWarmup) {
        scans.push(last.scanMs);
        scanLookups.push(last.lookupMs);
        parts.collect.push(last.collectMs);
        parts.badge.push(last.badgeMs);
        parts.seeing.push(last.seeingMs);
      }
    }
    log(
      `page scan: median ${round(median(scans))} ms, reading the page ${round(median(parts.collect))} ms, its lookup ${round(median(scanLookups))} ms (of which seeing what shows ${round(median(parts.seeing))} ms), placing badges ${round(median(parts.badge))} ms (${last.elements} elements, ${last.badges} badges)`,
    );
    results.push({
      name: "extension page scan",
      tier: "L",
      unit: "ms",
      ...stats(scans),
      goal: { medianAtMost: GOALS.scanMs, met: median(scans) <= GOALS.scanMs },
      lookup: {
        name: "its lookup message's round trip, the page's own work meanwhile included (vitals:lookup)",
        ...stats(scanLookups),
      },
      collect: { name: "reading the page until its lookup is sent (vitals:collect)", ...stats(parts.collect) },
      seeing: {
        name: "working out what shows, while the lookup is answered (vitals:visibility)",
        ...stats(parts.seeing),
      },
      placing: { name: "placing the badges (vitals:badge)", ...stats(parts.badge) },
      elements: last.elements,
      badges: last.badges,
      scope:
        "the content script's first vitals:scan pass over a 5,000-element Gmail page with 200 senders (collect, one lookup message and what shows meanwhile, badges), service worker awake",
      loadAverage: load(),
    });

    // 3. SPA batches of 50 elements added to the page.
    const batchTimes = [];
    for (const html of data.batches) {
      const scanned = nextScan(tab);
      await tab.evaluate((h) => {
        const section = document.createElement("section");
        section.innerHTML = h; // the benchmark's own generated markup, in its own test page
        document.getElementById("inbox")?.append(section);
      }, html);
      await scanned;
      const all = await measures(tab, "vitals:scan");
      batchTimes.push(all.at(-1)[0]);
    }
    log(`batch of ${PAGE.batchSize}: median ${round(median(batchTimes))} ms`);
    results.push({
      name: "extension batch scan",
      tier: "L",
      unit: "ms",
      ...stats(batchTimes),
      scope: `a batch of ${PAGE.batchSize} elements appended to the page: the vitals:scan pass it causes`,
      loadAverage: load(),
    });

    // 4. The first lookup after the service worker stopped.
    // The options page's DevTools session sees the extension's service worker (its origin) and can stop it; its
    // versions' running status says when it stopped. Playwright's worker "close" event comes only much later.
    const cdp = await context.newCDPSession(options);
    let status = "unknown";
    let changed = () => undefined;
    cdp.on("ServiceWorker.workerVersionUpdated", (event) => {
      const ours = event.versions.find((v) => v.scriptURL.startsWith(`chrome-extension://${id}/`));
      if (ours) status = ours.runningStatus;
      changed();
    });
    await cdp.send("ServiceWorker.enable");
    const stopped = async () => {
      const until = Date.now() + 30_000;
      while (status !== "stopped") {
        if (Date.now() > until) throw new Error(`the extension's service worker did not stop (${status})`);
        await new Promise((done) => {
          changed = done;
          setTimeout(done, 500);
        });
      }
    };
    const wakes = [];
    const wakeScans = [];
    const heaps = [];
    for (let r = 0; r < RUNS.wake; r++) {
      await cdp.send("ServiceWorker.stopAllWorkers");
      await stopped();
      const pass = await firstPass(tab);
      wakes.push(pass.lookupMs);
      wakeScans.push(pass.scanMs);
      // The background's heap once it answered (the options page's own heap is counted apart).
      const heap = await heapOf(context, options, { types: ["service_worker"] });
      heaps.push(heap);
      log(
        `after wake ${r + 1}: lookup ${Math.round(pass.lookupMs)} ms, first pass ${Math.round(pass.scanMs)} ms (${pass.badges} badges); background heap ${heap.workersMB[0]?.mb ?? "?"} MB`,
      );
    }
    results.push({
      name: "extension lookup after wake",
      tier: "L",
      unit: "ms",
      ...stats(wakes),
      goal: { medianAtMost: GOALS.wakeMs, met: median(wakes) <= GOALS.wakeMs },
      firstPass: { name: "the whole first pass (collect, lookup, badges)", ...stats(wakeScans) },
      scope:
        "service worker stopped (CDP ServiceWorker.stopAllWorkers), then the page's first vitals:lookup round trip: wake, read the stored index's head, the shards of the page's keys and the matched accounts, answer",
      loadAverage: load(),
    });
    const backgroundMB = heaps.map((h) => h.workersMB.reduce((sum, w) => sum + w.mb, 0));
    results.push({
      name: "heap L",
      tier: "L",
      unit: "MB",
      runs: backgroundMB,
      median: median(backgroundMB),
      optionsPageMB: median(heaps.map((h) => h.pageMB.mb)),
      scope:
        "the extension's background (service worker) at tier L after a wake's first lookup: used JS heap plus ArrayBuffers, after a garbage collection (the app is not built at tier L)",
      loadAverage: load(),
    });
  } finally {
    await context.close();
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await run({ log: (...args) => console.error("  extension:", ...args) });
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}
