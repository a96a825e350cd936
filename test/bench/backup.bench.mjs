// Backup and restore in real Chromium, tier M (docs/architecture.md, "Sizes we design for"; issue 17): 10,000 accounts
// × 10 metrics × 365 days = 36.5 M observations in 100,000 year blocks, written straight into the app's store by a
// helper worker (test/harness/backup-bench-worker.ts), then
// - "backup M": Export everything through the app's client and worker (core/worker/app-client.ts exportBackup), as the
//   Data page runs it, until the gzip file is a Blob on the page; and the file's size;
// - "restore M": into an empty store (the database deleted, as in a fresh browser), readBackup (read, gunzip, check
//   every frame, row, count and the checksum) then restoreBackup (one transaction), as the Data page runs them.
// Goal: each within a minute on this machine. Medians of RUNS runs; the machine's load is printed with the results.
//
// Knobs (environment): VITALS_BENCH_BACKUP_ACCOUNTS (10000), VITALS_BENCH_BACKUP_RUNS (3),
// VITALS_BENCH_BACKUP_HARNESS (an already built harness folder instead of building one).
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { chromium } from "@playwright/test";
import { buildHarness, CHROMIUM_ARGS, servePreview, waitFor } from "./serve.mjs";
import { median } from "./stats.mjs";

const TIER_M = { accounts: 10_000, metrics: 10, days: 365 };
const GOAL_MS = 60_000;
const env = (name, fallback) => Number(process.env[`VITALS_BENCH_BACKUP_${name}`] ?? fallback);
const ACCOUNTS = env("ACCOUNTS", TIER_M.accounts);
const RUNS = env("RUNS", 3);
const fmt = (n) => Math.round(n).toLocaleString("en-US");

/** Runs the backup benchmark; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  const prebuilt = process.env.VITALS_BENCH_BACKUP_HARNESS;
  const outDir = prebuilt ?? buildHarness(log, "backup");
  const { origin, server } = await servePreview("test/harness/vite.config.ts", outDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    let last = "";
    page.on("console", (m) => {
      const text = m.text();
      if (text.startsWith("[backup-bench]")) last = text.slice(15);
      else if (m.type() === "error" && !/status of 404/.test(text)) log(`page: ${text}`);
    });
    await waitFor(`${origin}/backup-bench.html`, 120_000);
    await page.goto(`${origin}/backup-bench.html`);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
    const size = { ...TIER_M, accounts: ACCOUNTS };
    const tier = ACCOUNTS === TIER_M.accounts ? "M" : `M reduced to ${fmt(ACCOUNTS)} accounts`;
    const loadBefore = loadavg().map((x) => Number(x.toFixed(2)));
    const filled = await page.evaluate(
      ([a, m, d]) => window.backupBench.fill(a, m, d, 42),
      [size.accounts, size.metrics, size.days],
    );
    log(`filled ${fmt(size.accounts)} accounts, ${fmt(filled.observations)} observations in ${fmt(filled.ms)} ms`);
    const backups = [];
    const restores = [];
    for (let i = 0; i < RUNS; i++) {
      try {
        const b = await page.evaluate(() => window.backupBench.backup());
        log(`backup run ${i + 1}: ${fmt(b.ms)} ms, ${fmt(b.bytes)} bytes, ${fmt(b.observations)} observations`);
        backups.push(b);
        const r = await page.evaluate(() => window.backupBench.restore());
        log(`restore run ${i + 1}: ${fmt(r.ms)} ms (read and check ${fmt(r.readMs)}, write ${fmt(r.writeMs)})`);
        restores.push(r);
      } catch (error) {
        log(
          `run ${i + 1} failed: ${String(error?.message ?? error).split("\n")[0]} (last progress: ${last || "none"})`,
        );
        break;
      }
    }
    const loadAfter = loadavg().map((x) => Number(x.toFixed(2)));
    const note = `${fmt(size.accounts)} accounts × ${size.metrics} metrics × ${size.days} days (${fmt(filled.observations)} observations); load average before ${loadBefore.join("/")}, after ${loadAfter.join("/")}`;
    const result = (name, unit, runs, goal) => ({
      name,
      tier,
      unit,
      runs,
      median: runs.length > 0 ? median(runs) : null,
      ...(goal === undefined ? {} : { goal, met: runs.length > 0 && median(runs) <= goal }),
      note,
    });
    return [
      result(
        "backup M: Export everything (ms)",
        "ms",
        backups.map((b) => b.ms),
        GOAL_MS,
      ),
      result(
        "backup M: file size (MB)",
        "MB",
        backups.map((b) => Number((b.bytes / 1e6).toFixed(1))),
      ),
      result(
        "restore M: into an empty store, read and check + write (ms)",
        "ms",
        restores.map((r) => r.ms),
        GOAL_MS,
      ),
      result(
        "restore M: read and check (ms)",
        "ms",
        restores.map((r) => r.readMs),
      ),
      result(
        "restore M: write (ms)",
        "ms",
        restores.map((r) => r.writeMs),
      ),
    ];
  } finally {
    await browser.close();
    server.kill();
    if (!prebuilt) rmSync(outDir, { recursive: true, force: true });
  }
}
