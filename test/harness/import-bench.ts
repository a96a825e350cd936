// The import benchmark's page (npm run bench, suite "import"; driven by test/bench/import.bench.mjs): imports
// generated files through the real data client (test/harness/data-client.ts → the app's data worker), timing each phase
// from its progress callbacks, while a PerformanceObserver records the page's long tasks. The files and the
// one-row-per-observation baseline come from a helper worker (import-bench-worker.ts), so the page stays idle.
import * as Comlink from "comlink";
import { parseIsoDay } from "../../core/schema/day.ts";
import { DATABASE_NAME } from "../../core/store/db.ts";
import type { ImportDryRun, ImportPhase } from "../../core/worker/data-api.ts";
import { createDataClient, type DataClient } from "./data-client.ts";
import type { BenchFile, BenchFiles, BenchSize, ImportBenchWorker } from "./import-bench-worker.ts";

/** A long task on the page's thread: when it started (page clock) and how long it took. */
interface LongTask {
  start: number;
  ms: number;
}

/** Long tasks seen in a window of time: how many, the longest and their total. */
interface LongTasks {
  count: number;
  maxMs: number;
  totalMs: number;
}

/** One import of one file: phase times (ms) measured on the page, and what the import did. */
interface ImportTiming {
  file: string;
  rows: number;
  observations: number;
  bytes: number;
  /** planImport start → the "reading" phase's last progress (the whole file parsed and validated). */
  readMs: number;
  /** Then → planImport resolved (the dry run's comparison with the store). */
  compareMs: number;
  planMs: number;
  applyMs: number;
  observationsNew: number;
  rowsRejected: number;
  /** How the reading phase's end was found: its last progress callback, or (if none came) planImport's end. */
  readEndFrom: "progress" | "planImport";
  /** A dry run (no apply) that failed after reading the whole file: why. */
  comparisonError?: string;
}

/** A whole measured import (one or more files), with the page's long tasks during it. */
interface ImportRun {
  imports: ImportTiming[];
  totalMs: number;
  longTasks: LongTasks;
  mode: string;
}

const status = (text: string) => {
  const line = document.getElementById("status");
  if (line) line.textContent = text;
};

const tasks: LongTask[] = [];
let observing = false;
const observer = (() => {
  try {
    const o = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, ms: e.duration });
    });
    o.observe({ type: "longtask", buffered: true });
    observing = true;
    return o;
  } catch {
    return undefined;
  }
})();

/** Long tasks that started within [from, to] (page clock), after taking the observer's pending entries. */
function longTasksBetween(from: number, to: number): LongTasks {
  for (const e of observer?.takeRecords() ?? []) tasks.push({ start: e.startTime, ms: e.duration });
  const seen = tasks.filter((t) => t.start >= from && t.start <= to);
  return {
    count: seen.length,
    maxMs: Math.round(seen.reduce((m, t) => Math.max(m, t.ms), 0)),
    totalMs: Math.round(seen.reduce((s, t) => s + t.ms, 0)),
  };
}

const helper = Comlink.wrap<ImportBenchWorker>(
  new Worker(new URL("./import-bench-worker.ts", import.meta.url), { type: "module" }),
);
let files: BenchFiles | undefined;
/** The seed the files were made with (the baseline makes the same values from it). */
let seed = 42;

const ACCOUNTS_MAPPING = {
  shape: "wide",
  name: "bench accounts",
  account: { by: "id", column: "id" },
  attributes: [
    { column: "name", attribute: "name" },
    { column: "domains", attribute: "domains" },
    { column: "segment", attribute: "segment" },
    { column: "plan", attribute: "plan" },
    { column: "seats", attribute: "seats" },
    { column: "arr", attribute: "arr" },
    { column: "start_date", attribute: "startDate" },
  ],
};
const LONG_MAPPING = {
  shape: "long",
  name: "bench long",
  account: { by: "id", column: "account_id" },
  metricColumn: "metric",
  dayColumn: "day",
  valueColumn: "value",
};
const wideMapping = (asOf: string, metrics: readonly string[]) => ({
  shape: "wide",
  name: "bench month-end snapshot",
  account: { by: "id", column: "account_id" },
  createAccounts: false,
  asOf: { day: asOf },
  metrics: metrics.map((m) => ({ column: m, metric: m })),
});

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => console.warn(`[import-bench] deleting ${name} is blocked by an open connection`);
  });
}

function loaded(): BenchFiles {
  if (!files) throw new Error("generate the files first");
  return files;
}

/** Logs progress every tenth of a phase, so a crash says how far an import got (the bench reads the console). */
function progressLogger(file: string) {
  let last = "";
  return (phase: ImportPhase, done: number, total: number) => {
    const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
    const key = `${phase}:${tenth}`;
    if (key === last) return;
    last = key;
    console.log(`[import-bench] ${file}: ${phase} ${tenth * 10}% (${done} of ${total})`);
  };
}

/**
 * Plans one file and (when `apply`) applies it, timing the phases from the progress callbacks. A dry run that
 * fails after the whole file was read still has its reading time: with `apply` false that is returned with the
 * error (`comparisonError`); any other failure throws, naming the file and the step.
 */
async function importFile(
  client: DataClient,
  file: BenchFile,
  mapping: unknown,
  apply: boolean,
): Promise<ImportTiming> {
  const log = progressLogger(file.name);
  let readEnd = Number.NaN;
  const explain = (step: string, error: unknown) => {
    const e = error as { name?: string; message?: string };
    return `${file.name}: ${step} failed: ${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
  };
  const t0 = performance.now();
  let dry: ImportDryRun;
  try {
    dry = await client.planImport(file.blob, file.name, mapping, {
      onProgress(phase, done, total) {
        if (phase === "reading" && done >= total) readEnd = performance.now();
        log(phase, done, total);
      },
    });
  } catch (error) {
    if (apply || Number.isNaN(readEnd)) throw new Error(explain("planImport", error));
    const at = performance.now();
    return {
      file: file.name,
      rows: file.rows,
      observations: file.observations,
      bytes: file.bytes,
      readMs: readEnd - t0,
      compareMs: at - readEnd,
      planMs: at - t0,
      applyMs: 0,
      observationsNew: 0,
      rowsRejected: 0,
      readEndFrom: "progress",
      comparisonError: explain("planImport (after the whole file was read)", error),
    };
  }
  const t1 = performance.now();
  if (dry.rejectsTotal > 0) {
    throw new Error(`${file.name}: ${dry.rejectsTotal} rows rejected, e.g. ${JSON.stringify(dry.rejects.slice(0, 3))}`);
  }
  let observationsNew = dry.counts.observationsNew;
  if (apply) {
    const row = await client.applyImport(dry.planId, { onProgress: log }).catch((error: unknown) => {
      throw new Error(explain("applyImport", error));
    });
    observationsNew = Number(row.counts.observationsNew ?? 0);
  }
  const t2 = performance.now();
  const readEndFrom = Number.isNaN(readEnd) ? "planImport" : "progress";
  if (Number.isNaN(readEnd)) readEnd = t1;
  return {
    file: file.name,
    rows: file.rows,
    observations: file.observations,
    bytes: file.bytes,
    readMs: readEnd - t0,
    compareMs: t1 - readEnd,
    planMs: t1 - t0,
    applyMs: t2 - t1,
    observationsNew,
    rowsRejected: dry.counts.rowsRejected,
    readEndFrom,
  };
}

/**
 * One measured import into an empty store with a fresh data worker: the accounts file first (not measured), then
 * `which` ("long": the whole long file; "subset": its one-month subset; "wide": the month-end snapshots in order),
 * each planned and, when `apply`, applied (a dry run only: nothing but the accounts is written). The store is
 * deleted before and after.
 */
async function runImport(which: "long" | "subset" | "wide", apply = true): Promise<ImportRun> {
  const f = loaded();
  await deleteDatabase(DATABASE_NAME);
  const client = createDataClient();
  try {
    const mode = await client.mode();
    if (mode !== "worker") throw new Error(`the data client runs on the ${mode}, not in a worker`);
    const accounts = await importFile(client, f.accounts, ACCOUNTS_MAPPING, true);
    if (accounts.rowsRejected > 0) throw new Error("accounts rejected");
    const imports: ImportTiming[] = [];
    const from = performance.now();
    if (which === "wide") {
      for (const file of f.wide) {
        imports.push(await importFile(client, file, wideMapping(file.asOf, f.metrics), apply));
      }
    } else imports.push(await importFile(client, which === "long" ? f.long : f.subset, LONG_MAPPING, apply));
    const to = performance.now();
    for (const i of imports) {
      if (!i.comparisonError && i.observationsNew !== i.observations) {
        throw new Error(`${i.file}: ${i.observationsNew} new observations, expected ${i.observations}`);
      }
    }
    return { imports, totalMs: to - from, longTasks: longTasksBetween(from, to), mode };
  } finally {
    await client.close().catch(() => undefined);
    client.terminate();
    await deleteDatabase(DATABASE_NAME);
  }
}

const summary = (file: BenchFile) => ({
  name: file.name,
  rows: file.rows,
  observations: file.observations,
  bytes: file.bytes,
});

const bench = {
  /** Whether the long-task observer works here: blocks the page for 120 ms and looks for the long task. */
  async checkObserver(): Promise<{ observing: boolean; seen: LongTasks }> {
    // In a task of the page's own (a call from the driver runs outside the tasks the observer watches).
    const from = performance.now();
    await new Promise<void>((done) =>
      setTimeout(() => {
        const t0 = performance.now();
        while (performance.now() - t0 < 120) {
          // busy on purpose
        }
        setTimeout(done, 200);
      }, 0),
    );
    return { observing, seen: longTasksBetween(from, performance.now()) };
  },

  /** Makes the files of one size in the helper worker; the page keeps only their Blobs. */
  async generate(size: BenchSize, withSeed: number, subsetAccounts: number, withLong: boolean) {
    status("generating…");
    files = undefined;
    seed = withSeed;
    files = await helper.generate(size, seed, subsetAccounts, withLong);
    status("ready");
    return {
      size: files.size,
      from: files.from,
      to: files.to,
      metrics: files.metrics,
      ms: files.ms,
      accounts: summary(files.accounts),
      long: summary(files.long),
      subset: {
        ...summary(files.subset),
        accounts: files.subset.accounts,
        month: files.subset.month,
        from: files.subset.from,
        to: files.subset.to,
      },
      wide: files.wide.map((w) => ({ ...summary(w), asOf: w.asOf })),
    };
  },

  runImport,

  /** The baseline over the subset's observations: one row per observation with Dexie bulkPut, in the helper worker. */
  async baseline(batch: number) {
    const f = loaded();
    const from = parseIsoDay(f.subset.from) as number;
    const to = parseIsoDay(f.subset.to) as number;
    return helper.baseline(f.size, seed, f.subset.accounts, from, to, batch);
  },
};

declare global {
  interface Window {
    importBench: typeof bench;
  }
}
window.importBench = bench;
helper.ping().then(
  () => status("ready"),
  (error: unknown) => status(`failed: ${String(error)}`),
);
