// The backup benchmark's page (npm run bench, suite "backup"; driven by test/bench/backup.bench.mjs): fills the app's
// store with tier M in a helper worker (backup-bench-worker.ts), then backs it up and restores it through the app's
// own client and worker (core/worker/app-client.ts), as the Data page's Export everything and Import a bundle do,
// timing each. A restore runs into an empty store: the database is deleted first (its client stopped, so nothing
// holds it open), as in a fresh browser.
import * as Comlink from "comlink";
import { DATABASE_NAME } from "../../core/store/db.ts";
import { type AppClient, createAppClient } from "../../core/worker/app-client.ts";
import type { BackupBenchWorker } from "./backup-bench-worker.ts";

const status = (text: string) => {
  const line = document.getElementById("status");
  if (line) line.textContent = text;
};

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => console.warn(`[backup-bench] deleting ${name} is blocked by an open connection`);
  });
}

let client: AppClient | undefined;
let file: Blob | undefined;

const bench = {
  /** Deletes the store and fills it with the given size; the observations written and how long the fill took. */
  async fill(accounts: number, metrics: number, days: number, seed: number) {
    client?.terminate();
    client = undefined;
    await deleteDatabase(DATABASE_NAME);
    const helper = new Worker(new URL("./backup-bench-worker.ts", import.meta.url), { type: "module" });
    const t0 = performance.now();
    const observations = await Comlink.wrap<BackupBenchWorker>(helper).fill(accounts, metrics, days, seed);
    helper.terminate();
    return { observations, ms: Math.round(performance.now() - t0) };
  },

  /** Export everything: the backup's size and how long writing it took (the file is kept for restoring). */
  async backup() {
    client ??= createAppClient();
    const t0 = performance.now();
    const b = await client.exportBackup({
      onProgress: (phase, done, total) => console.log(`[backup-bench] backup ${phase} ${done}/${total}`),
    });
    const ms = performance.now() - t0;
    file = b.blob;
    return { ms: Math.round(ms), bytes: b.blob.size, observations: b.observations, accounts: b.counts.accounts ?? 0 };
  },

  /** Restores the kept backup into an empty store: reading and checking it, then writing it; each timed. */
  async restore() {
    if (!file) throw new Error("back up first");
    client?.terminate();
    await deleteDatabase(DATABASE_NAME);
    client = createAppClient();
    const t0 = performance.now();
    const summary = await client.readBackup(file, "bench.vitals.gz", {
      onProgress: (phase, done, total) => console.log(`[backup-bench] restore ${phase} ${done}/${total}`),
    });
    const t1 = performance.now();
    await client.restoreBackup(summary.backupId, "replace", {
      onProgress: (phase, done, total) => console.log(`[backup-bench] restore ${phase} ${done}/${total}`),
    });
    const t2 = performance.now();
    return {
      readMs: Math.round(t1 - t0),
      writeMs: Math.round(t2 - t1),
      ms: Math.round(t2 - t0),
      storeEmpty: summary.storeEmpty,
      observations: summary.observations,
    };
  },
};

declare global {
  interface Window {
    backupBench: typeof bench;
  }
}
window.backupBench = bench;
status("ready");
