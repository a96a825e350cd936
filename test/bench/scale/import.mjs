// A year of tier M through the app's real import, and the store's throughput against raw IndexedDB (see
// ../scale.bench.mjs). Runs in its own fresh, disk-backed Chromium profile (never the kept app profile: each run
// starts from an empty store), on the harness page test/harness/scale-bench.html.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "../serve.mjs";
import { median } from "../stats.mjs";

const SEED = 42;
const TIER_M = { accounts: 10_000, metrics: 10, days: 365 };
/** Bytes of one observation's value (a float64): what any layout must write at least, and what the baseline writes. */
const BYTES_PER_OBSERVATION = 8;
const round = (x, digits = 1) => Number(x.toFixed(digits));
const fmt = (n) => Math.round(n).toLocaleString("en-US");

/** Opens the harness page in a fresh persistent profile (IndexedDB on disk, as a user's; a new context's is in memory). */
async function openHarness(harnessOrigin, log) {
  const dir = mkdtempSync(join(tmpdir(), "vitals-scale-import-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    serviceWorkers: "block",
  });
  const state = { crashed: false, last: undefined };
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    const text = m.text();
    if (text.startsWith("[scale-bench]")) state.last = text.slice(14);
    else if (m.type() === "error" && !/status of 404/.test(text)) log(`page: ${text}`);
  });
  page.on("crash", () => {
    state.crashed = true;
    log(`the import page crashed (last progress: ${state.last ?? "none"})`);
  });
  await page.goto(`${harnessOrigin}/harness/scale-bench.html`);
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready", null, {
    timeout: 60_000,
  });
  return {
    page,
    state,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Generates the files of `accounts` accounts on the page. */
async function generate(h, accounts, log) {
  const files = await h.page.evaluate(
    ([size, seed]) => window.scaleBench.generate(size, seed),
    [{ ...TIER_M, accounts }, SEED],
  );
  log(
    `generated ${fmt(accounts)} accounts' long CSV in ${fmt(files.ms)} ms: ${fmt(files.long.rows)} rows, ${fmt(files.long.bytes / 2 ** 20)} MiB (${files.from} … ${files.to})`,
  );
  return files;
}

/** One import on the page; a failure or timeout comes back as { error, progress } rather than thrown. */
async function importOnce(h, timeoutMs, score) {
  // The page cancels the import at `timeoutMs`; should the cancel not stop it, this gives up 2 minutes later.
  let timer;
  const stuck = new Promise((_, fail) => {
    if (timeoutMs > 0) {
      timer = setTimeout(
        () => fail(new Error(`the import did not stop within 2 minutes of its cancel at ${timeoutMs / 1000} s`)),
        timeoutMs + 120_000,
      );
    }
  });
  try {
    return {
      run: await Promise.race([
        h.page.evaluate(([t, s]) => window.scaleBench.importLong(t, s), [timeoutMs, score]),
        stuck,
      ]),
    };
  } catch (error) {
    const progress = h.state.crashed
      ? undefined
      : await h.page.evaluate(() => window.scaleBench.lastProgress()).catch(() => undefined);
    return {
      error: String(error?.message ?? error)
        .replace(/^page\.evaluate: (Error: )?/, "")
        .split("\n")[0],
      crashed: h.state.crashed,
      progress: progress ?? h.state.last ?? "no progress logged",
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The store's MB/s on the import's store phase (applyImport of the long CSV of `accounts` accounts into an empty
 * store) and raw IndexedDB's MB/s writing the same bytes, interleaved run by run in the same page.
 */
export async function storeThroughput({ harnessOrigin, accounts, runs, timeoutMs, rowBytes, rowsPerTransaction, log }) {
  const h = await openHarness(harnessOrigin, log);
  try {
    const files = await generate(h, accounts, log);
    const bytes = files.long.observations * BYTES_PER_OBSERVATION;
    const store = [];
    const raw = [];
    const failures = [];
    for (let i = 0; i < runs; i++) {
      const r = await importOnce(h, timeoutMs, false);
      if (r.error) {
        failures.push(r);
        log(`store run ${i + 1} failed: ${r.error} (last progress: ${JSON.stringify(r.progress)})`);
        break;
      }
      const b = await h.page.evaluate(
        ([n, size, per]) => window.scaleBench.raw(n, size, per),
        [bytes, rowBytes, rowsPerTransaction],
      );
      const storeMBs = bytes / 2 ** 20 / (r.run.applyMs / 1000);
      const rawMBs = b.bytes / 2 ** 20 / (b.ms / 1000);
      log(
        `store run ${i + 1}: applyImport of ${fmt(files.long.observations)} observations (${round(bytes / 2 ** 20)} MB of values) in ${fmt(r.run.applyMs)} ms = ${round(storeMBs, 2)} MB/s; raw IndexedDB ${fmt(b.rows)} rows × ${rowBytes} B in ${b.transactions} transactions in ${fmt(b.ms)} ms = ${round(rawMBs, 2)} MB/s`,
      );
      store.push({ ...r.run, mbps: storeMBs });
      raw.push({ ...b, mbps: rawMBs });
    }
    return { files, bytes, store, raw, failures };
  } finally {
    await h.close();
  }
}

/** `runs` imports of a year of `accounts` accounts from the long CSV, stored and scored; stops at the first failure. */
export async function importYear({ harnessOrigin, accounts, runs, timeoutMs, budgetMs, log }) {
  const started = Date.now();
  const h = await openHarness(harnessOrigin, log);
  try {
    const files = await generate(h, accounts, log);
    const out = [];
    const failures = [];
    for (let i = 0; i < runs; i++) {
      if (i > 0 && Date.now() - started + median(out.map((r) => r.totalMs)) > budgetMs) {
        log(`import year: stopping after ${i} run(s): another would pass the suite's budget`);
        break;
      }
      const r = await importOnce(h, timeoutMs, true);
      if (r.error) {
        failures.push(r);
        log(`import year run ${i + 1} failed: ${r.error} (last progress: ${JSON.stringify(r.progress)})`);
        break;
      }
      log(
        `import year run ${i + 1}: ${round(r.run.totalMs / 1000)} s (read ${round(r.run.readMs / 1000)} s, compare ${round(r.run.compareMs / 1000)} s, store ${round(r.run.applyMs / 1000)} s, rescore ${round(r.run.rescoreMs / 1000)} s)`,
      );
      out.push(r.run);
    }
    return { files, runs: out, failures };
  } finally {
    await h.close();
  }
}
