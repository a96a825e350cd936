// The PWA benchmark's setup page (npm run bench, suite "pwa"; driven by test/bench/pwa.bench.mjs). Served on the
// app's own origin, so it fills the app's IndexedDB: a demo portfolio of any size (core/demo/portfolio.ts: names,
// segments, renewals, a year of usage, tickets, NPS, invoices and CSM ratings) stored as an import stores it
// (accounts, one block per account × metric × year, outcomes), in batches of their own transaction with relaxed
// durability (IndexedDB here writes a few thousand rows a second). The app scores it on its next start and stores
// the latest results, the year of daily history and its views, as it does after any import.
import { demoPortfolio } from "../../core/demo/portfolio.ts";
import { writeBlocks } from "../../core/store/block-table.ts";
import { blockUpdatesOf } from "../../core/store/blocks.ts";
import { DATABASE_NAME, type StoredAccount, VitalsDb, type YearBlockRow } from "../../core/store/db.ts";
import { inputsChanged } from "../../core/store/views.ts";

/** Rows per transaction: large enough to amortize the commit, small enough to report progress. */
const BATCH = 10_000;

/** What `store` wrote, and how fast. */
interface Stored {
  accounts: number;
  blocks: number;
  observations: number;
  outcomes: number;
  metrics: string[];
  asOf: string;
  generateMs: number;
  storeMs: number;
  blocksPerSecond: number;
}

const status = (text: string) => {
  const line = document.getElementById("status");
  if (line) line.textContent = text;
};

async function store(accounts: number, asOf: number): Promise<Stored> {
  const t0 = performance.now();
  const demo = demoPortfolio({ accounts, asOf });
  const generateMs = performance.now() - t0;
  console.log(
    `[pwa-bench] generated ${accounts} accounts, ${demo.observations.length} observations in ${Math.round(generateMs)} ms`,
  );
  const db = new VitalsDb(DATABASE_NAME, { chromeTransactionDurability: "relaxed" });
  const t1 = performance.now();
  await db.transaction("rw", db.accounts, db.outcomes, db.meta, async () => {
    await db.accounts.bulkPut(demo.accounts as StoredAccount[]);
    await db.outcomes.bulkPut(demo.outcomes.map((o) => ({ ...o })));
    // Not the app's demo: the banner stays away and Clear demo data does not apply.
    await db.meta.put({ key: "demo", value: false });
  });
  // Blocks are made as they are written, a batch at a time, so a million of them are never all in memory.
  let batch: YearBlockRow[] = [];
  let blocks = 0;
  const flush = async () => {
    await writeBlocks(db, batch);
    blocks += batch.length;
    batch = [];
    if ((blocks / BATCH) % 10 === 0) console.log(`[pwa-bench] stored ${blocks} blocks`);
  };
  for (const b of blockUpdatesOf(demo.observations)) {
    batch.push(b);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await db.transaction("rw", db.meta, () => inputsChanged(db));
  const storeMs = performance.now() - t1;
  db.close();
  return {
    accounts: demo.accounts.length,
    blocks,
    observations: demo.observations.length,
    outcomes: demo.outcomes.length,
    metrics: [...demo.observations.metrics].sort(),
    asOf: new Date(demo.asOf * 86_400_000).toISOString().slice(0, 10),
    generateMs: Math.round(generateMs),
    storeMs: Math.round(storeMs),
    blocksPerSecond: Math.round(blocks / (storeMs / 1000)),
  };
}

declare global {
  interface Window {
    pwaBench: { store: typeof store };
  }
}
window.pwaBench = { store };
status("ready");
