// The "Speed, kept" part of `npm run -s bench match` (issue 16): a support agent's 300-row ticket list on a site
// the user enabled (test/fixtures/pages/generic-ticket-list.html, read by the generic matcher: free text, regions,
// split sentences), opened in real Chromium with the built extension loaded and without it, in the same run, runs
// interleaved. Not a suite of its own (no `.bench.mjs`): match.bench.mjs runs it.
//
// Measured in the page, by an init script that runs before the page's own (the same in both browsers):
// - all badges after load: when the last badge was added to the page (a MutationObserver) minus the end of the
//   page's load event; and the same from the navigation's start;
// - the longest long task attributable to the extension (PerformanceObserver 'longtask', buffered): a task that
//   ends after the badges began (their first `vitals:scan` or `vitals:lookup` mark; the fixture page does all its
//   own work before its load event, and the badges run after it, so what runs after that in the page's thread is
//   ours);
//   beside it, the longest long task of the page without the extension;
// - the page's own load (navigation timing: loadEventEnd, domContentLoadedEventEnd) with and without the extension,
//   and their ratio; beside them, with an empty content script registered on the site (what injecting any content
//   script before the load costs: the badges' starter ran there before the background ran them after the load) and
//   with the extension loaded but not enabled on the site;
// - the large page: the same list with 3,000 rows (tier L-ish: 7,501 badges), the first whole-page pass
//   (`vitals:scan`) and all badges after load;
// - a site the extension does not badge, loaded right after the extension's background was stopped (as after 30 s
//   idle): what waking the background (it listens to every tab's updates) costs another site's load.
// The index holds the fixture's accounts and VITALS_BENCH_MATCH_LIST_ACCOUNTS (10,000) more that the page never
// names, imported through the options page as a user does. VITALS_BENCH_MATCH_LIST_COMPARE=<folder> runs another
// built extension (an earlier commit's .output/chrome-mv3) interleaved with this one, for before/after figures;
// VITALS_BENCH_MATCH_LIST_RUNS the 300-row list's runs (7; more on a busy machine, where one load varies twofold).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";
import { account, FIXTURE_ACCOUNTS } from "../fixtures/pages/accounts.ts";
import { median } from "./stats.mjs";

const ORIGIN = "https://desk.example.org";
/** The empty content script written into a copy of the extension (what any content script costs a page's load). */
const CONTENT_SCRIPT = "empty-content-script.js";
const FILLER = Number(process.env.VITALS_BENCH_MATCH_LIST_ACCOUNTS ?? 10_000);
const RUNS = { warmup: 1, list: Number(process.env.VITALS_BENCH_MATCH_LIST_RUNS ?? 7), large: 3 };
const ROWS = { list: 300, large: 3_000 };
const GOALS = { allBadgesAfterLoadMs: 300, longTaskMs: 50 };

/** Badges the fixture shows with `rows` rows: Northwind's rows 3 each, Globex's 2, and the requester card's 1. */
const expectedBadges = (rows) => Math.ceil(rows / 2) * 3 + Math.floor(rows / 2) * 2 + 1;

/** Runs in every page before its own scripts: when badges arrive, and the long tasks. */
function probe() {
  const bench = { lastBadgeAt: 0, firstBadgeAt: 0, longTasks: [] };
  window.__vitalsBench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // No long task timing in this engine: the figures say so (an empty list).
  }
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes)
        if (node.nodeName === "VITALS-BADGE") {
          bench.lastBadgeAt = performance.now();
          if (!bench.firstBadgeAt) bench.firstBadgeAt = bench.lastBadgeAt;
        }
  }).observe(document, { childList: true, subtree: true });
}

/** What one page load measured, read once its badges are all there (or at once without the extension). */
function readings() {
  const bench = window.__vitalsBench;
  const [nav] = performance.getEntriesByType("navigation");
  const marks = ["vitals:scan", "vitals:lookup"].flatMap((name) => performance.getEntriesByName(name));
  const extensionFrom = marks.length ? Math.min(...marks.map((m) => m.startTime)) : Number.POSITIVE_INFINITY;
  const ours = bench.longTasks.filter(([start, duration]) => start + duration > extensionFrom);
  const scans = performance.getEntriesByName("vitals:scan");
  return {
    loadEventEnd: nav.loadEventEnd,
    domContentLoaded: nav.domContentLoadedEventEnd,
    firstBadgeAt: bench.firstBadgeAt,
    lastBadgeAt: bench.lastBadgeAt,
    badges: document.querySelectorAll("vitals-badge").length,
    longTasks: bench.longTasks,
    longestOurs: Math.max(0, ...ours.map(([, d]) => d)),
    longestAll: Math.max(0, ...bench.longTasks.map(([, d]) => d)),
    firstScanMs: scans[0]?.duration ?? null,
    scans: scans.length,
    lookups: performance.getEntriesByName("vitals:lookup").map((m) => m.duration),
    collectMs: performance.getEntriesByName("vitals:collect")[0]?.duration ?? null,
    badgeMs: performance.getEntriesByName("vitals:badge").reduce((sum, m) => sum + m.duration, 0),
  };
}

/**
 * A copy of the built extension whose manifest holds the permission for ORIGIN (the user's grant, as in e2e).
 * `emptyContentScript`: its content script does nothing (the cost of having one at all, beside ours).
 */
function grantedCopy(extensionDir, emptyContentScript = false) {
  const dir = mkdtempSync(join(tmpdir(), "vitals-list-ext-"));
  cpSync(extensionDir, dir, { recursive: true });
  const manifestPath = join(dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.host_permissions = [`${ORIGIN}/*`];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  if (emptyContentScript) writeFileSync(join(dir, CONTENT_SCRIPT), '"use strict";\n');
  return dir;
}

/** A persistent profile, with the extension or without it; every page gets the probe and the fixture at ORIGIN. */
async function profile(args, extensionDir) {
  const userDataDir = mkdtempSync(join(tmpdir(), "vitals-list-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    ...(extensionDir
      ? {
          ignoreDefaultArgs: ["--disable-extensions"],
          args: [...args, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
        }
      : { args }),
  });
  context.setDefaultTimeout(10 * 60_000);
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort("blockedbyclient"));
  const body = readFileSync(resolve("test/fixtures/pages/generic-ticket-list.html"), "utf8");
  await context.route(`${ORIGIN}/tickets**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body }),
  );
  await context.addInitScript(probe);
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Enables ORIGIN as the background does (its record, background/sites.ts: no content script runs there, the
 * background runs the badges once a page has loaded); resolves to the extension's id.
 */
async function enableSite(context) {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  await worker.evaluate((origin) => chrome.storage.local.set({ [`site:${origin}`]: true }), ORIGIN);
  return new URL(worker.url()).host;
}

/**
 * Registers a content script on ORIGIN, as versions before the background ran the badges after the load did (the
 * copy's content script is emptied: what injecting any content script costs the page's load).
 */
async function registerContentScript(context) {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  await worker.evaluate(
    ([origin, js]) =>
      chrome.scripting.registerContentScripts([
        { id: `empty:${origin}`, matches: [`${origin}/*`], js: [js], runAt: "document_idle" },
      ]),
    [ORIGIN, CONTENT_SCRIPT],
  );
}

/** Enables ORIGIN and imports the accounts through the options page. */
async function prepareExtension(context, log) {
  const id = await enableSite(context);
  const filler = Array.from({ length: FILLER }, (_, i) =>
    account({ id: `filler-${i}`, name: `Filler ${i} Holdings`, domains: [`filler${i}.example`] }),
  );
  const set = {
    format: "vitals-badges",
    version: 1,
    generatedAt: "2026-11-20T10:00:00.000Z",
    accounts: [...FIXTURE_ACCOUNTS, ...filler],
  };
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.getByLabel("Import bundle").setInputFiles({
    name: "badges.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(set), "utf8"),
  });
  await options.getByRole("status").filter({ hasText: "Imported" }).waitFor();
  await options.close();
  log(`list: ${set.accounts.length.toLocaleString("en-US")} accounts imported`);
}

/** Opens the list with `rows` rows in a new tab; with the extension, waits for every badge and a quiet moment. */
async function openList(context, rows, withExtension) {
  const page = await context.newPage();
  try {
    await page.goto(`${ORIGIN}/tickets?rows=${rows}`, { waitUntil: "load" });
    if (withExtension) {
      await page.waitForFunction((n) => document.querySelectorAll("vitals-badge").length >= n, expectedBadges(rows), {
        polling: 20,
      });
    }
    // Long tasks are reported a little after they end, and a late badge would still move lastBadgeAt.
    await page.waitForTimeout(500);
    return await page.evaluate(readings);
  } finally {
    await page.close();
  }
}

const round = (x) => (x === null || !Number.isFinite(x) ? x : Number(x.toFixed(1)));
const med = (values) => round(median(values));

/** The three figures of the 300-row list over a set of runs (the results' names below say what each is). */
function listFigures(runs) {
  return {
    afterLoad: runs.map((m) => round(m.lastBadgeAt - m.loadEventEnd)),
    longest: runs.map((m) => round(m.longestOurs)),
    load: runs.map((m) => round(m.loadEventEnd)),
  };
}

/** A figure's runs and median, for a baseline or comparison beside a result. */
const beside = (name, runs) => ({ name, runs, median: med(runs) });

/** Stops the extension's background (its service worker), as the browser does after 30 s idle; resolves to how many. */
async function stopBackground(cdp) {
  const { targetInfos } = await cdp.send("Target.getTargets");
  const workers = targetInfos.filter((t) => t.type === "service_worker" && t.url.startsWith("chrome-extension://"));
  for (const t of workers) await cdp.send("Target.closeTarget", { targetId: t.targetId }).catch(() => undefined);
  return workers.length;
}

/**
 * A page of a site the extension does not badge, loaded right after its background was stopped (as after 30 s
 * idle): the page's load wakes the background (tabs.onUpdated, on every tab's update), which then starts in the
 * extension's own process beside the page's load. Measured against the page without the extension, interleaved.
 */
async function backgroundAsleep(log, extensionContext, withoutContext) {
  const cdp = await extensionContext.newCDPSession(await extensionContext.newPage());
  const on = [];
  const off = [];
  let stopped = 0;
  for (let r = 0; r < RUNS.warmup + RUNS.list; r++) {
    const n = await stopBackground(cdp);
    await new Promise((done) => setTimeout(done, 1_500));
    const a = await openList(extensionContext, ROWS.list, false);
    const b = await openList(withoutContext, ROWS.list, false);
    if (r < RUNS.warmup) continue;
    stopped += n;
    on.push(round(a.loadEventEnd));
    off.push(round(b.loadEventEnd));
    log(
      `background asleep run ${r}: load ${round(a.loadEventEnd)} vs ${round(b.loadEventEnd)} ms without the extension`,
    );
  }
  const differences = on.map((x, i) => round(x - off[i]));
  return {
    name: `a site not badged: the page's own load (loadEventEnd) with the extension's background asleep (${ROWS.list} rows)`,
    unit: "ms",
    runs: on,
    median: med(on),
    baseline: beside("the same page without the extension, same run, interleaved", off),
    ratio: Number((median(on) / median(off)).toFixed(2)),
    pairedDifference: { runs: differences, median: med(differences) },
    backgroundsStopped: stopped,
    note: "the background was stopped before each load (as the browser does after 30 s idle), and the load woke it",
  };
}

/**
 * Runs the agent's list with and without the extension; resolves to results in scripts/bench.mjs's shape.
 * VITALS_BENCH_MATCH_LIST_COMPARE: the folder of another built extension (an earlier commit's .output/chrome-mv3),
 * run interleaved with this one on the same pages; its figures go beside each result as `compare`.
 */
export async function agentListRun(log, args, extensionDir, load) {
  const compareDir = process.env.VITALS_BENCH_MATCH_LIST_COMPARE;
  const copies = [grantedCopy(extensionDir), grantedCopy(extensionDir, true)];
  if (compareDir) copies.push(grantedCopy(resolve(compareDir)));
  const [granted, emptied, compared] = copies;
  const withExt = await profile(args, granted);
  const without = await profile(args);
  // Beside them: an empty content script registered on the site (what any content script costs the load), and the
  // extension loaded but not enabled on the site.
  const withEmpty = await profile(args, emptied);
  const notOnSite = await profile(args, granted);
  const other = compared ? await profile(args, compared) : undefined;
  try {
    await prepareExtension(withExt.context, log);
    await registerContentScript(withEmpty.context);
    if (other) await prepareExtension(other.context, log);
    const loadAtStart = load();
    const on = [];
    const off = [];
    const empty = [];
    const idle = [];
    const cmp = [];
    for (let r = 0; r < RUNS.warmup + RUNS.list; r++) {
      // Interleaved, so all see the same load on a shared machine.
      const a = await openList(withExt.context, ROWS.list, true);
      const b = await openList(without.context, ROWS.list, false);
      const c = await openList(withEmpty.context, ROWS.list, false);
      const d = await openList(notOnSite.context, ROWS.list, false);
      const e = other ? await openList(other.context, ROWS.list, true) : undefined;
      if (r < RUNS.warmup) continue;
      on.push(a);
      off.push(b);
      empty.push(c);
      idle.push(d);
      if (e) cmp.push(e);
      log(
        `list run ${r}: collect ${round(a.collectMs)} ms, lookup ${round(a.lookups[0])} ms, badges placed in ${round(a.badgeMs)} ms; all badges ${round(a.lastBadgeAt - a.loadEventEnd)} ms after load (${a.badges} badges), ` +
          `longest long task ours ${round(a.longestOurs)} ms, load ${round(a.loadEventEnd)} vs ${round(b.loadEventEnd)} ms without, ${round(c.loadEventEnd)} with an empty content script, ${round(d.loadEventEnd)} not enabled on the site` +
          (e
            ? `; compared build: all badges ${round(e.lastBadgeAt - e.loadEventEnd)} ms after load, longest ${round(e.longestOurs)} ms, load ${round(e.loadEventEnd)} ms`
            : ""),
      );
    }
    const loadAtEnd = load();
    const ours = listFigures(on);
    const theirs = cmp.length ? listFigures(cmp) : undefined;
    const compare = (key) => (theirs ? { compare: beside(`the build in ${compareDir}`, theirs[key]) } : {});
    const fromStart = on.map((m) => round(m.lastBadgeAt));
    const loadOff = off.map((m) => round(m.loadEventEnd));
    const loadAverage = { start: loadAtStart, end: loadAtEnd };
    const scope = `generic-ticket-list.html, ${ROWS.list} rows, ${expectedBadges(ROWS.list)} badges, ${(FIXTURE_ACCOUNTS.length + FILLER).toLocaleString("en-US")} accounts; built extension, site enabled`;
    const results = [
      {
        name: `agent's list: all badges after the page's load event (${ROWS.list} rows)`,
        unit: "ms",
        runs: ours.afterLoad,
        median: med(ours.afterLoad),
        ...compare("afterLoad"),
        fromNavigationStart: { runs: fromStart, median: med(fromStart) },
        firstBadgeFromNavigationStart: med(on.map((m) => m.firstBadgeAt)),
        firstScanMs: { runs: on.map((m) => round(m.firstScanMs)), median: med(on.map((m) => m.firstScanMs)) },
        lookupMs: med(on.flatMap((m) => m.lookups)),
        firstPassParts: {
          note: "medians of the first pass's parts: reading the page (collect), the lookup round trip, placing badges",
          collectMs: med(on.map((m) => m.collectMs)),
          lookupMs: med(on.map((m) => m.lookups[0] ?? null)),
          badgeMs: med(on.map((m) => m.badgeMs)),
        },
        goal: { medianAtMost: GOALS.allBadgesAfterLoadMs, met: med(ours.afterLoad) <= GOALS.allBadgesAfterLoadMs },
        scope,
        loadAverage,
      },
      {
        name: `agent's list: longest long task from the extension (PerformanceObserver 'longtask', ${ROWS.list} rows)`,
        unit: "ms",
        runs: ours.longest,
        median: med(ours.longest),
        max: Math.max(...ours.longest),
        ...compare("longest"),
        note: "0 = no long task (none of 50 ms or more) that ends after the badges began (vitals:scan, vitals:lookup)",
        baseline: beside(
          "longest long task of the same page without the extension",
          off.map((m) => round(m.longestAll)),
        ),
        goal: { atMost: GOALS.longTaskMs, met: Math.max(...ours.longest) <= GOALS.longTaskMs },
        scope,
        loadAverage,
      },
      {
        name: `agent's list: the page's own load (loadEventEnd) with the extension (${ROWS.list} rows)`,
        unit: "ms",
        runs: ours.load,
        median: med(ours.load),
        baseline: beside("the same page without the extension, same run, interleaved", loadOff),
        ratio: Number((median(ours.load) / median(loadOff)).toFixed(2)),
        emptyContentScript: beside(
          "the extension with an empty content script on the site, same run, interleaved",
          empty.map((m) => round(m.loadEventEnd)),
        ),
        notEnabledOnSite: beside(
          "the extension loaded but not enabled on the site (no content script there), same run, interleaved",
          idle.map((m) => round(m.loadEventEnd)),
        ),
        ...compare("load"),
        domContentLoaded: {
          median: med(on.map((m) => m.domContentLoaded)),
          baselineMedian: med(off.map((m) => m.domContentLoaded)),
        },
        note: "ratio = with ÷ without; near 1 is no slowdown",
        scope,
        loadAverage,
      },
    ];

    // The large page: 3,000 rows (7,501 badges), several lookups (a message holds at most 5,000 texts).
    const large = [];
    const largeCmp = [];
    for (let r = 0; r < RUNS.warmup + RUNS.large; r++) {
      const m = await openList(withExt.context, ROWS.large, true);
      const c = other ? await openList(other.context, ROWS.large, true) : undefined;
      if (r >= RUNS.warmup) {
        large.push(m);
        if (c) largeCmp.push(c);
      }
      log(
        `large run ${r}: first pass ${round(m.firstScanMs)} ms, all badges ${round(m.lastBadgeAt - m.loadEventEnd)} ms after load, longest long task ${round(m.longestOurs)} ms` +
          (c
            ? `; compared build: first pass ${round(c.firstScanMs)} ms, all badges ${round(c.lastBadgeAt - c.loadEventEnd)} ms after load, longest ${round(c.longestOurs)} ms`
            : ""),
      );
    }
    results.push({
      name: `agent's list, large page (${ROWS.large.toLocaleString("en-US")} rows): whole-page scan (first vitals:scan pass)`,
      unit: "ms",
      runs: large.map((m) => round(m.firstScanMs)),
      median: med(large.map((m) => m.firstScanMs)),
      ...(other
        ? {
            compare: beside(
              `the build in ${compareDir}`,
              largeCmp.map((m) => round(m.firstScanMs)),
            ),
          }
        : {}),
      allBadgesAfterLoad: {
        runs: large.map((m) => round(m.lastBadgeAt - m.loadEventEnd)),
        median: med(large.map((m) => m.lastBadgeAt - m.loadEventEnd)),
        ...(other ? { compareMedian: med(largeCmp.map((m) => m.lastBadgeAt - m.loadEventEnd)) } : {}),
      },
      longestLongTask: {
        runs: large.map((m) => round(m.longestOurs)),
        median: med(large.map((m) => m.longestOurs)),
        ...(other ? { compareMedian: med(largeCmp.map((m) => m.longestOurs)) } : {}),
      },
      firstPassParts: {
        collectMs: med(large.map((m) => m.collectMs)),
        lookupMs: med(large.map((m) => m.lookups.slice(0, 2).reduce((a, b) => a + b, 0))),
        badgeMs: med(large.map((m) => m.badgeMs)),
      },
      badges: large[0]?.badges,
      lookupsPerPass: large[0]?.lookups.length,
      note: "a pass: collect the page's text, look it up in the background (round trip included), badge",
      loadAverage: { start: loadAtEnd, end: load() },
    });
    results.push(await backgroundAsleep(log, notOnSite.context, without.context));
    return results;
  } finally {
    for (const p of [withExt, without, withEmpty, notOnSite, other]) await p?.close();
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  }
}
