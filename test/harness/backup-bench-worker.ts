// The backup benchmark's filler (npm run bench, suite "backup"; test/bench/backup.bench.mjs): writes a tier M store
// (accounts × metrics × a year of daily values, as year blocks) straight into the app's database with the store's own
// Dexie schema, in a worker, so the page stays idle. Test-only: the app never loads it.
import * as Comlink from "comlink";
import { writeBlocks } from "../../core/store/block-table.ts";
import { VitalsDb, type YearBlockRow } from "../../core/store/db.ts";

/** A small seeded generator (mulberry32), so every run writes the same store. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METRICS = [
  "active_users",
  "logins",
  "key_events",
  "tickets",
  "sla_breaches",
  "nps",
  "csat",
  "invoice_days_overdue",
  "seats_used",
  "api_calls",
];

const api = {
  /**
   * Fills the app's (empty) database: `accounts` accounts, each with `metrics` metrics of a value a day for `days`
   * days of 2025 (counts as whole numbers, csat and nps with one decimal, as real exports have them). Returns the
   * observations written.
   */
  async fill(accounts: number, metrics: number, days: number, seed: number): Promise<number> {
    const db = new VitalsDb();
    await db.open();
    const next = random(seed);
    const rows = Array.from({ length: accounts }, (_, i) => ({
      id: `acct-${String(i).padStart(5, "0")}`,
      name: `Account ${i}`,
      domains: [`account-${i}.example`],
      segment: i % 3 === 0 ? "Enterprise" : "SMB",
      seats: 10 + Math.floor(next() * 500),
      arr: 1000 * Math.floor(5 + next() * 200),
      attributes: {},
    }));
    for (let i = 0; i < rows.length; i += 2000) await db.accounts.bulkPut(rows.slice(i, i + 2000) as never);
    let observations = 0;
    let batch: YearBlockRow[] = [];
    const flush = async () => {
      await writeBlocks(db, batch);
      batch = [];
    };
    for (const account of rows) {
      for (const metric of METRICS.slice(0, metrics)) {
        const dayColumn = new Uint16Array(days);
        const values = new Float64Array(days);
        const base = 5 + next() * 200;
        const decimals = metric === "csat" || metric === "nps";
        for (let d = 0; d < days; d++) {
          dayColumn[d] = d;
          const v = base * (0.7 + 0.6 * next());
          values[d] = decimals ? Math.round(v * 10) / 10 : Math.round(v);
        }
        batch.push({ accountId: account.id, metric, year: 2025, days: dayColumn, values });
        observations += days;
        if (batch.length >= 2000) await flush();
      }
    }
    await flush();
    db.close();
    return observations;
  },
};

export type BackupBenchWorker = typeof api;
Comlink.expose(api);
