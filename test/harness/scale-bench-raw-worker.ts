// The scale benchmark's raw IndexedDB baseline (npm run bench, suite "scale"; test/bench/scale/import.mjs): writes a
// number of bytes with the plain IndexedDB API, as large rows (one Float64Array each), one readwrite transaction per
// batch, default durability (as an import of user data commits), in a worker as the app's store writes. What the
// browser allows: the store's own MB/s is compared with this in the same run. Test-only: the app never loads it.
import * as Comlink from "comlink";

/** The baseline's database (never the app's). */
const RAW_DB = "vitals-bench-raw";

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((done, fail) => {
    r.onsuccess = () => done(r.result);
    r.onerror = () => fail(r.error);
  });
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((done, fail) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = () => done();
    r.onerror = () => fail(r.error);
  });
}

function open(): Promise<IDBDatabase> {
  const r = indexedDB.open(RAW_DB, 1);
  r.onupgradeneeded = () => r.result.createObjectStore("rows");
  return request(r);
}

/** What one baseline run wrote, and how long the writing took (opening and deleting the database not counted). */
export interface RawRun {
  bytes: number;
  rows: number;
  transactions: number;
  ms: number;
}

const api = {
  /**
   * Writes `bytes` (rounded up to whole rows) as rows of `rowBytes` bytes, `rowsPerTransaction` rows a
   * transaction, into an empty database. Values vary row to row and within a row, so nothing compresses away.
   */
  async write(bytes: number, rowBytes: number, rowsPerTransaction: number): Promise<RawRun> {
    await deleteDatabase(RAW_DB);
    const db = await open();
    const perRow = Math.max(1, Math.floor(rowBytes / 8));
    const rows = Math.ceil(bytes / (perRow * 8));
    let transactions = 0;
    const t0 = performance.now();
    for (let first = 0; first < rows; first += rowsPerTransaction) {
      const last = Math.min(rows, first + rowsPerTransaction);
      const tx = db.transaction("rows", "readwrite", { durability: "default" });
      const store = tx.objectStore("rows");
      for (let k = first; k < last; k++) {
        const values = new Float64Array(perRow);
        for (let i = 0; i < perRow; i++) values[i] = ((k * 2_654_435_761 + i * 40_503) % 100_003) / 7;
        store.put(values, k);
      }
      await new Promise<void>((done, fail) => {
        tx.oncomplete = () => done();
        tx.onerror = () => fail(tx.error);
        tx.onabort = () => fail(tx.error ?? new Error("the baseline's transaction aborted"));
      });
      transactions++;
    }
    const ms = performance.now() - t0;
    db.close();
    await deleteDatabase(RAW_DB);
    return { bytes: rows * perRow * 8, rows, transactions, ms };
  },
};

export type RawWorker = typeof api;
Comlink.expose(api);
