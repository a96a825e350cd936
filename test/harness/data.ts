// The data harness page: the real data (import) worker's client as `window.data.client`, and the store's
// database class, so e2e tests drive imports in a real Worker and look at IndexedDB from the page.
import * as Comlink from "comlink";
import Dexie from "dexie";
import { allBlocks } from "../../core/store/block-table.ts";
import { DATABASE_NAME, SCHEMA_V1, VitalsDb } from "../../core/store/db.ts";
import { describeWriteError, storageHealth } from "../../core/store/health.ts";
import type { ImportPhase } from "../../core/worker/data-api.ts";
import { createDataClient } from "./data-client.ts";

/** One progress call as the page received it. */
interface ProgressCall {
  phase: ImportPhase;
  done: number;
  total: number;
}

/**
 * A progress callback for one import job that records every call. `released` resolves when the worker lets go of
 * the callback, which it does when the job has ended there; Comlink sends that on the callback's own channel after
 * every progress call, so by then every call the job made has arrived. `onEvent` runs on each call (e.g. to abort).
 */
function recordProgress(onEvent?: (event: ProgressCall) => void) {
  const events: ProgressCall[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const onProgress = Object.assign(
    (phase: ImportPhase, done: number, total: number) => {
      const event = { phase, done, total };
      events.push(event);
      onEvent?.(event);
    },
    { [Comlink.finalizer]: () => release() },
  );
  return { events, onProgress, released };
}

/**
 * The store as another connection of this page sees it, in plain values (typed arrays as arrays) so tests can
 * compare snapshots deeply: accounts, observation blocks, the import log and the undo chunks' keys.
 */
async function snapshot(name: string = DATABASE_NAME) {
  const db = new VitalsDb(name);
  try {
    return await db.transaction("r", [db.accounts, db.accountYears, db.imports, db.importUndo], async () => ({
      accounts: await db.accounts.orderBy("id").toArray(),
      blocks: (await allBlocks(db)).map((b) => ({
        ...b,
        days: Array.from(b.days),
        values: Array.from(b.values),
      })),
      imports: await db.imports.orderBy("at").toArray(),
      undo: (await db.importUndo.toArray()).map((u) => ({
        importId: u.importId,
        seq: u.seq,
        table: u.table,
        entries: u.entries.length,
      })),
    }));
  } finally {
    db.close();
  }
}

const client = createDataClient();
/** Opens the store as version 4 of Vitals declared it (month blocks), to test the upgrade to year blocks. */
function openVersion4(name: string = DATABASE_NAME): Dexie {
  const db = new Dexie(name);
  db.version(1).stores(SCHEMA_V1);
  db.version(2).stores({ playTemplates: "id", tasks: "id, alertId, accountId, owner" });
  db.version(3).stores({ coverage: "[metric+from+to], metric", links: "[kind+key], accountId" });
  db.version(4).stores({ imports: "id, at, seq" });
  return db;
}

/** Opens the store as version 6 of Vitals declared it (a row per year block), to test the upgrade to account-year rows. */
function openVersion6(name: string = DATABASE_NAME): Dexie {
  const db = openVersion4(name);
  db.version(5).stores({ blocks: null, yearBlocks: "[accountId+metric+year], accountId, metric" });
  db.version(6).stores({ scorecardVersions: "[scorecardId+version], scorecardId, [scorecardId+hash]" });
  return db;
}

const data = {
  client,
  VitalsDb,
  describeWriteError,
  storageHealth,
  recordProgress,
  snapshot,
  openVersion4,
  openVersion6,
  allBlocks,
};
declare global {
  interface Window {
    data: typeof data;
  }
}
window.data = data;
client.mode().then(
  (mode) => {
    const status = document.getElementById("status");
    if (status) status.textContent = `ready (${mode})`;
  },
  (error: unknown) => {
    const status = document.getElementById("status");
    if (status) status.textContent = `failed: ${String(error)}`;
  },
);
