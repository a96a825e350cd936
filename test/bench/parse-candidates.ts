// The CSV parsers the import could use, measured on the same generated long CSV in Node and in a Chromium worker
// (test/bench/parse.bench.mjs bundles this file for both): papaparse and uDSV alone (rows split into string cells,
// counted), Vitals' CsvScanner alone (rows split into field ranges), and the whole dry-run reading phase as the
// data worker runs it (planCsv: parse + validate into an import plan).
import Papa from "papaparse";
import { initParser, type Schema } from "udsv";
import { planCsv } from "../../core/io/csv.ts";
import { CsvScanner } from "../../core/io/csv-scan.ts";
import { Mapping } from "../../core/io/mapping.ts";
import { formatDay } from "../../core/schema/day.ts";
import { blobText } from "../../core/worker/blob-text.ts";
import { SYNTHETIC_END, SYNTHETIC_METRICS, syntheticAccounts, TIERS } from "../harness/synthetic.ts";

/** The size of the generated file: accounts × metrics × days rows. */
export interface ParseSize {
  accounts: number;
  metrics: number;
  days: number;
}

/** A 32-bit hash of (account, metric, day) → [0, 1): the same values in every run. */
function unit(a: number, m: number, d: number): number {
  let h = Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(m + 1, 0x85ebca77) ^ Math.imul(d, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/** The long CSV (account_id, metric, day, value; account-major) as a Blob built from parts, and its accounts. */
export function longCsv(size: ParseSize) {
  const accounts = syntheticAccounts({ ...TIERS.M, accounts: size.accounts }, 42);
  const metrics = SYNTHETIC_METRICS.slice(0, size.metrics);
  const first = SYNTHETIC_END - size.days + 1;
  const days = Array.from({ length: size.days }, (_, k) => formatDay(first + k));
  const parts: Blob[] = [new Blob(["account_id,metric,day,value\n"])];
  for (const account of accounts) {
    const rows: string[] = [];
    metrics.forEach((metric, m) => {
      days.forEach((day, k) => {
        const r = unit(accounts.indexOf(account), m, k);
        const value = metric === "csat" ? (1 + r * 4).toFixed(1) : String(Math.floor(r * 600));
        rows.push(`${account.id},${metric},${day},${value}\n`);
      });
    });
    parts.push(new Blob([rows.join("")]));
  }
  return { blob: new Blob(parts, { type: "text/csv" }), accounts, rows: size.accounts * metrics.length * size.days };
}

const LONG = Mapping.parse({
  shape: "long",
  name: "bench long",
  account: { by: "id", column: "account_id" },
  metricColumn: "metric",
  dayColumn: "day",
  valueColumn: "value",
});

/** The candidates: each reads the whole file and says how many rows (or observations) it got. */
export const candidates = {
  /** papaparse's streaming step loop, as core/io/csv.ts used it (a Blob in a browser, the text in Node). */
  async papaparse(blob: Blob): Promise<number> {
    const input = typeof FileReader === "undefined" ? await blob.text() : blob;
    return new Promise((resolve, reject) => {
      let rows = 0;
      Papa.parse<string[]>(input as string, {
        delimiter: ",",
        chunkSize: 1 << 20,
        step(result) {
          if (result.data.length > 1) rows++; // (not the empty row after the last newline)
        },
        complete: () => resolve(rows - 1),
        error: reject,
      });
    });
  },
  /** uDSV's incremental parser (string arrays), fed the same 4 MiB text pieces as the import. */
  async udsv(blob: Blob): Promise<number> {
    const schema: Schema = {
      col: ",",
      row: "\n",
      encl: '"',
      esc: '"',
      trim: false,
      cols: ["account_id", "metric", "day", "value"].map((name) => ({
        name,
        type: "s" as const,
        repl: { empty: undefined, null: undefined, NaN: undefined },
      })),
    };
    const parser = initParser(schema);
    let rows = 0;
    const count = () => {
      rows++;
    };
    for await (const piece of blobText(blob).pieces()) parser.chunk<string[]>(piece.text, parser.stringArrs, count);
    parser.end();
    return rows - 1; // (the header: a schema made by hand skips no row)
  },
  /** Vitals' CsvScanner alone: rows split into field ranges, no string per cell. */
  async scanner(blob: Blob): Promise<number> {
    const scanner = new CsvScanner(",");
    let rows = 0;
    const count = () => {
      rows++;
      return true;
    };
    let carry = "";
    for await (const piece of blobText(blob).pieces()) {
      const text = carry === "" ? piece.text : [carry, piece.text].join(""); // (joined flat, not a cons string)
      carry = text.slice(scanner.scan(text, false, count));
    }
    scanner.scan(carry, true, count);
    return rows - 1;
  },
  /** The dry run's reading phase as the data worker runs it: parse + validate into a plan (observations). */
  async planCsv(blob: Blob, accounts: ReturnType<typeof longCsv>["accounts"]): Promise<number> {
    const plan = await planCsv("long.csv", blobText(blob), LONG, accounts);
    if (plan.rejects.length > 0) throw new Error(`${plan.rejects.length} rows rejected: ${plan.rejects[0]?.reason}`);
    return plan.observations.length;
  },
};

/** Times each candidate `runs` times over one file; rows (or observations) per second of each run. */
export async function measureAll(size: ParseSize, runs: number, only?: readonly string[]) {
  const file = longCsv(size);
  const out: Record<string, { perSecond: number[]; count: number }> = {};
  for (const [name, run] of Object.entries(candidates)) {
    if (only && !only.includes(name)) continue;
    const perSecond: number[] = [];
    let count = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      count = await run(file.blob, file.accounts);
      perSecond.push(Math.round(count / ((performance.now() - t0) / 1000)));
    }
    if (count !== file.rows) throw new Error(`${name} read ${count} rows of ${file.rows}`);
    out[name] = { perSecond, count };
  }
  return { rows: file.rows, bytes: file.blob.size, results: out };
}
