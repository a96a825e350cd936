// The scale benchmark's import page (npm run bench, suite "scale"; driven by test/bench/scale/import.mjs): imports a
// generated long CSV through the app's own client and worker (core/worker/app-client.ts, as the Data page does:
// planImport, applyImport, then rescore), timing each phase; and runs the raw IndexedDB baseline in a worker of its
// own (scale-bench-raw-worker.ts). The files come from the import benchmark's helper worker (import-bench-worker.ts).
import * as Comlink from "comlink";
import { DATABASE_NAME } from "../../core/store/db.ts";
import { type AppClient, createAppClient } from "../../core/worker/app-client.ts";
import type { BenchFile, BenchFiles, BenchSize, ImportBenchWorker } from "./import-bench-worker.ts";
import type { RawWorker } from "./scale-bench-raw-worker.ts";

const status = (text: string) => {
  const line = document.getElementById("status");
  if (line) line.textContent = text;
};

const helper = Comlink.wrap<ImportBenchWorker>(
  new Worker(new URL("./import-bench-worker.ts", import.meta.url), { type: "module" }),
);
const raw = Comlink.wrap<RawWorker>(
  new Worker(new URL("./scale-bench-raw-worker.ts", import.meta.url), { type: "module" }),
);
let files: BenchFiles | undefined;

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

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => console.warn(`[scale-bench] deleting ${name} is blocked by an open connection`);
  });
}

/** The last progress of the running import (phase, done, total, ms since the import started), for a timeout's report. */
let last: { step: string; phase: string; done: number; total: number; atMs: number } | undefined;

/** Phase times of one import of the long file, ms; `rescoreMs` is the full rescore the Data page runs after it. */
interface YearRun {
  rows: number;
  observations: number;
  bytes: number;
  readMs: number;
  compareMs: number;
  applyMs: number;
  rescoreMs: number;
  totalMs: number;
  observationsNew: number;
  accounts: number;
}

/**
 * Imports the accounts file (not timed), then the long file (planImport: read + compare; applyImport: store) and
 * rescores (timed), into an empty store with a fresh app worker; cancels everything after `timeoutMs` and then
 * throws, the last progress kept for `lastProgress()`. `score` false skips the rescore (a store-only run).
 */
async function importLong(timeoutMs: number, score: boolean): Promise<YearRun> {
  if (!files) throw new Error("generate the files first");
  const f = files;
  await deleteDatabase(DATABASE_NAME);
  const client: AppClient = createAppClient();
  const abort = new AbortController();
  const timer = timeoutMs > 0 ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
  last = undefined;
  let started = performance.now();
  const progress = (step: string) => (phase: string, done: number, total: number) => {
    const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
    if (
      !last ||
      last.step !== step ||
      last.phase !== phase ||
      Math.floor((last.done / (last.total || 1)) * 10) !== tenth
    ) {
      console.log(`[scale-bench] ${step}: ${phase} ${tenth * 10}% (${done} of ${total})`);
    }
    last = { step, phase, done, total, atMs: performance.now() - started };
  };
  const explain = (step: string, error: unknown): Error => {
    const e = error as { name?: string; message?: string };
    const why = abort.signal.aborted
      ? `cancelled after the ${Math.round(timeoutMs / 1000)} s timeout`
      : `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
    return new Error(`${step} failed: ${why}`);
  };
  try {
    if ((await client.mode()) !== "worker") throw new Error("the app client does not run in a worker");
    const accounts = await importFile(client, f.accounts, ACCOUNTS_MAPPING, abort.signal, () => undefined);
    started = performance.now();
    const t0 = performance.now();
    let readEnd = Number.NaN;
    const onRead = progress("planImport");
    const dry = await client
      .planImport(f.long.blob, f.long.name, LONG_MAPPING, {
        signal: abort.signal,
        onProgress(phase, done, total) {
          if (phase === "reading" && done >= total) readEnd = performance.now();
          onRead(phase, done, total);
        },
      })
      .catch((error: unknown) => {
        throw explain("planImport", error);
      });
    const t1 = performance.now();
    if (Number.isNaN(readEnd)) readEnd = t1;
    if (dry.rejectsTotal > 0)
      throw new Error(`${dry.rejectsTotal} rows rejected, e.g. ${JSON.stringify(dry.rejects.slice(0, 3))}`);
    const row = await client
      .applyImport(dry.planId, { signal: abort.signal, onProgress: progress("applyImport") })
      .catch((error: unknown) => {
        throw explain("applyImport", error);
      });
    const t2 = performance.now();
    if (score) {
      await client.rescore({ signal: abort.signal, onProgress: progress("rescore") }).catch((error: unknown) => {
        throw explain("rescore", error);
      });
    }
    const t3 = performance.now();
    const observationsNew = Number(row.counts.observationsNew ?? 0);
    if (observationsNew !== f.long.observations) {
      throw new Error(`${observationsNew} new observations stored, expected ${f.long.observations}`);
    }
    return {
      rows: f.long.rows,
      observations: f.long.observations,
      bytes: f.long.bytes,
      readMs: readEnd - t0,
      compareMs: t1 - readEnd,
      applyMs: t2 - t1,
      rescoreMs: t3 - t2,
      totalMs: t3 - t0,
      observationsNew,
      accounts,
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    // Ends the worker and its connection, so the store can be deleted.
    client.terminate();
    await deleteDatabase(DATABASE_NAME);
  }
}

/** Plans and applies one small file (the accounts); returns how many rows it imported. */
async function importFile(
  client: AppClient,
  file: BenchFile,
  mapping: unknown,
  signal: AbortSignal,
  onProgress: (phase: string, done: number, total: number) => void,
): Promise<number> {
  const dry = await client.planImport(file.blob, file.name, mapping, { signal, onProgress });
  if (dry.rejectsTotal > 0) throw new Error(`${file.name}: ${dry.rejectsTotal} rows rejected`);
  await client.applyImport(dry.planId, { signal, onProgress });
  return file.rows;
}

const bench = {
  /** Makes the accounts and long files of one size in the helper worker; the page keeps only their Blobs. */
  async generate(size: BenchSize, seed: number) {
    status("generating…");
    files = undefined;
    files = await helper.generate(size, seed, 1, true);
    status("ready");
    return {
      size: files.size,
      from: files.from,
      to: files.to,
      metrics: files.metrics,
      ms: files.ms,
      long: { rows: files.long.rows, observations: files.long.observations, bytes: files.long.bytes },
    };
  },
  importLong,
  lastProgress: () => last,
  /** The raw IndexedDB baseline (see scale-bench-raw-worker.ts). */
  raw: (bytes: number, rowBytes: number, rowsPerTransaction: number) => raw.write(bytes, rowBytes, rowsPerTransaction),
};

declare global {
  interface Window {
    scaleBench: typeof bench;
  }
}
window.scaleBench = bench;
helper.ping().then(
  () => status("ready"),
  (error: unknown) => status(`failed: ${String(error)}`),
);
