// The import benchmark's helper worker (npm run bench, suite "import"): makes the tier M files as Blobs, built
// from chunks so no gigabyte-long string ever exists, and runs the baseline (one IndexedDB row per observation,
// Dexie bulkPut) off the page's thread. Test-only: the app never loads it.
import * as Comlink from "comlink";
import Dexie, { type Table } from "dexie";
import { formatDay } from "../../core/schema/day.ts";
import { SYNTHETIC_END, SYNTHETIC_METRICS, syntheticAccounts, TIERS } from "./synthetic.ts";

/** Accounts per Blob part: ~36 MB of long CSV text at 10 metrics × 365 days, dropped once it is in the Blob. */
const ACCOUNTS_PER_PART = 250;
/** The baseline's database (never the app's). */
export const BASELINE_DB = "vitals-bench-baseline";

/** What the page asks for: how many accounts, metrics and days (tier M: 10,000 × 10 × 365). */
export interface BenchSize {
  accounts: number;
  metrics: number;
  days: number;
}

/** One generated file: the Blob, its name, rows and observations it holds. */
export interface BenchFile {
  name: string;
  blob: Blob;
  rows: number;
  observations: number;
  bytes: number;
}

/** Every file of one size: accounts, the long CSV, a one-month subset of it, and the wide month-end snapshots. */
export interface BenchFiles {
  size: BenchSize;
  from: string;
  to: string;
  metrics: string[];
  accounts: BenchFile;
  long: BenchFile;
  /** The long file's rows of one month for the first `subsetAccounts` accounts (the baseline's subset). */
  subset: BenchFile & { accounts: number; month: string; from: string; to: string };
  /** One file per month: one row per account, each metric's value on the month's last day. */
  wide: (BenchFile & { asOf: string })[];
  ms: number;
}

/** A 32-bit integer hash of (account, metric, day) → [0, 1): the data is the same in every run and file. */
function unit(a: number, m: number, d: number): number {
  let h = Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(m + 1, 0x85ebca77) ^ Math.imul(d, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/**
 * The value of metric `m` (index in SYNTHETIC_METRICS) for account `a` on day `d`, as written in the files:
 * whole counts for usage and events, one decimal for CSAT. The stored value is `Number(text)`.
 */
export function valueText(a: number, m: number, d: number): string {
  const r = unit(a, m, d);
  switch (SYNTHETIC_METRICS[m]) {
    case "active_users":
      return String(Math.floor(r * 200));
    case "key_events":
      return String(Math.floor(r * 600));
    case "logins":
      return String(Math.floor(r * 300));
    case "tickets":
      return String(Math.floor(r * r * 4));
    case "nps":
      return String(Math.floor(r * 11));
    case "invoice_days_overdue":
      return String(Math.floor(r * r * r * 60));
    case "csat":
      return (1 + r * 4).toFixed(1);
    case "csm_sentiment":
      return String(1 + Math.floor(r * 5));
    case "sla_breaches":
      return String(Math.floor(r ** 4 * 3));
    default:
      return String(Math.floor(r * 10_000));
  }
}

const csvCell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** Accumulates text parts into Blobs of bounded size, then one Blob of them all (Blobs of Blobs copy nothing). */
class BlobBuilder {
  readonly #blobs: Blob[] = [];
  #parts: string[] = [];
  #chars = 0;

  add(text: string): void {
    this.#parts.push(text);
    this.#chars += text.length;
    if (this.#chars > 32 << 20) this.#flush();
  }

  #flush(): void {
    if (this.#parts.length === 0) return;
    this.#blobs.push(new Blob(this.#parts, { type: "text/csv" }));
    this.#parts = [];
    this.#chars = 0;
  }

  build(): Blob {
    this.#flush();
    return new Blob(this.#blobs, { type: "text/csv" });
  }
}

function generate(size: BenchSize, seed: number, subsetAccounts: number, withLong: boolean): BenchFiles {
  const t0 = performance.now();
  const metrics = SYNTHETIC_METRICS.slice(0, size.metrics) as string[];
  const first = SYNTHETIC_END - size.days + 1;
  const dayText = Array.from({ length: size.days }, (_, k) => formatDay(first + k));
  const accounts = syntheticAccounts({ ...TIERS.M, accounts: size.accounts }, seed);
  const ids = accounts.map((a) => a.id);

  // Accounts: a CRM export, imported first (a long file's rows for unknown accounts are rejected).
  const accountsOut = new BlobBuilder();
  accountsOut.add("id,name,domains,segment,plan,seats,arr,start_date\n");
  for (const a of accounts) {
    const cells = [a.id, a.name, a.domains.join(";"), a.segment ?? "", a.plan ?? "", a.seats, a.arr, a.startDate];
    accountsOut.add(`${cells.map((c) => csvCell(String(c ?? ""))).join(",")}\n`);
  }

  // The long file: account, metric, day, value; account-major, then metric, then day (a per-account export).
  // The subset: the same rows of the last 31-day January, for the first `subsetAccounts` accounts.
  const monthEnd = dayText.findLastIndex((t) => t.endsWith("-01-31"));
  const monthTo = monthEnd >= 30 ? monthEnd : size.days - 1;
  const monthFrom = Math.max(0, monthTo - 30);
  const longOut = new BlobBuilder();
  const subsetOut = new BlobBuilder();
  const inSubset = Math.min(subsetAccounts, ids.length);
  longOut.add("account_id,metric,day,value\n");
  subsetOut.add("account_id,metric,day,value\n");
  for (let a0 = 0; a0 < ids.length; a0 += ACCOUNTS_PER_PART) {
    const rows: string[] = [];
    const subsetRows: string[] = [];
    const last = Math.min(ids.length, a0 + ACCOUNTS_PER_PART, withLong ? ids.length : inSubset);
    for (let a = a0; a < last; a++) {
      for (let m = 0; m < metrics.length; m++) {
        const prefix = `${ids[a]},${metrics[m]},`;
        for (let k = 0; k < size.days; k++) {
          const row = `${prefix}${dayText[k]},${valueText(a, m, first + k)}\n`;
          if (withLong) rows.push(row);
          if (a < inSubset && k >= monthFrom && k <= monthTo) subsetRows.push(row);
        }
      }
    }
    if (withLong) longOut.add(rows.join(""));
    if (subsetRows.length > 0) subsetOut.add(subsetRows.join(""));
  }

  // Wide month-end snapshots: a wide row carries one day, so a file per month holds accounts × metrics values.
  const wide: BenchFiles["wide"] = [];
  for (let k = 0; k < size.days; k++) {
    const isMonthEnd = k === size.days - 1 || dayText[k + 1]?.endsWith("-01");
    if (!isMonthEnd) continue;
    const asOf = dayText[k] as string;
    const out = new BlobBuilder();
    out.add(`account_id,${metrics.join(",")}\n`);
    const lines: string[] = [];
    for (let a = 0; a < ids.length; a++) {
      lines.push(`${ids[a]},${metrics.map((_, m) => valueText(a, m, first + k)).join(",")}\n`);
    }
    out.add(lines.join(""));
    const blob = out.build();
    wide.push({
      name: `snapshot-${asOf}.csv`,
      blob,
      rows: ids.length,
      observations: ids.length * metrics.length,
      bytes: blob.size,
      asOf,
    });
  }

  const accountsBlob = accountsOut.build();
  const longBlob = longOut.build();
  const subsetBlob = subsetOut.build();
  const monthDays = monthTo - monthFrom + 1;
  return {
    size,
    from: dayText[0] as string,
    to: dayText[size.days - 1] as string,
    metrics,
    accounts: {
      name: "accounts.csv",
      blob: accountsBlob,
      rows: ids.length,
      observations: 0,
      bytes: accountsBlob.size,
    },
    long: {
      name: "observations-long.csv",
      blob: longBlob,
      rows: withLong ? ids.length * metrics.length * size.days : 0,
      observations: withLong ? ids.length * metrics.length * size.days : 0,
      bytes: longBlob.size,
    },
    subset: {
      name: `observations-long-${(dayText[monthFrom] as string).slice(0, 7)}-${inSubset}-accounts.csv`,
      blob: subsetBlob,
      rows: inSubset * metrics.length * monthDays,
      observations: inSubset * metrics.length * monthDays,
      bytes: subsetBlob.size,
      accounts: inSubset,
      month: (dayText[monthFrom] as string).slice(0, 7),
      from: dayText[monthFrom] as string,
      to: dayText[monthTo] as string,
    },
    wide,
    ms: performance.now() - t0,
  };
}

/** One observation per row, keyed like a block but by day; the same secondary indexes as the blocks table. */
interface ObservationRow {
  accountId: string;
  metric: string;
  day: number;
  value: number;
}

class BaselineDb extends Dexie {
  observations!: Table<ObservationRow, [string, string, number]>;
  constructor() {
    super(BASELINE_DB);
    this.version(1).stores({ observations: "[accountId+metric+day], accountId, metric" });
  }
}

const api = {
  async ping(): Promise<"pong"> {
    return "pong";
  },

  /** Makes every file of one size (deterministic for a seed); the long file only when asked (it is ~1.4 GB). */
  async generate(size: BenchSize, seed: number, subsetAccounts: number, withLong: boolean): Promise<BenchFiles> {
    return generate(size, seed, subsetAccounts, withLong);
  },

  /**
   * The baseline: the observations of days [fromDay, toDay] (days since 1970-01-01) of the first `accounts` stored as
   * one row each with `bulkPut`, `batch` rows per call, in one transaction (as an import applies), into an empty
   * database deleted before and after. Times only the transaction (rows are made inside it, batch by batch).
   */
  async baseline(
    size: BenchSize,
    seed: number,
    accounts: number,
    fromDay: number,
    toDay: number,
    batch: number,
  ): Promise<{ rows: number; ms: number; stored: number }> {
    await Dexie.delete(BASELINE_DB);
    const db = new BaselineDb();
    await db.open();
    const first = SYNTHETIC_END - size.days + 1;
    const metrics = SYNTHETIC_METRICS.slice(0, size.metrics) as string[];
    const ids = syntheticAccounts({ ...TIERS.M, accounts: size.accounts }, seed)
      .slice(0, accounts)
      .map((a) => a.id);
    let rows = 0;
    const t0 = performance.now();
    await db.transaction("rw", db.observations, async () => {
      let pending: ObservationRow[] = [];
      for (let a = 0; a < ids.length; a++) {
        for (let m = 0; m < metrics.length; m++) {
          for (let d = fromDay; d <= toDay; d++) {
            if (d < first) continue;
            pending.push({
              accountId: ids[a] as string,
              metric: metrics[m] as string,
              day: d,
              value: Number(valueText(a, m, d)),
            });
            if (pending.length >= batch) {
              rows += pending.length;
              await db.observations.bulkPut(pending);
              pending = [];
            }
          }
        }
      }
      rows += pending.length;
      if (pending.length > 0) await db.observations.bulkPut(pending);
    });
    const ms = performance.now() - t0;
    const stored = await db.observations.count();
    await db.delete();
    return { rows, ms, stored };
  },
};

Comlink.expose(api);

/** The helper worker's API, as the page sees it. */
export type ImportBenchWorker = typeof api;
