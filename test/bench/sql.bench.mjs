// vitals sql (issue 20): a portfolio of ACCOUNTS accounts × 10 metrics × 365 days written once as Parquet and CSV,
// scored end to end (files to results CSV, each a fresh `vitals` process) by `vitals score --engine duckdb` from
// Parquet, latest and with a 30-day history (the compiled query run in embedded DuckDB), against the default Node
// engine from the same data as CSV (the baseline), with each run's peak memory (max RSS, from /usr/bin/time).
// The issue's tier L is 100,000 accounts (365 M values): VITALS_BENCH_SQL_ACCOUNTS=100000; the default is smaller
// so the suite fits a shared machine's budget.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { median } from "./stats.mjs";

const ACCOUNTS = Number(process.env.VITALS_BENCH_SQL_ACCOUNTS ?? 500);
const METRICS = 10;
const DAYS = 365;
const RUNS = Number(process.env.VITALS_BENCH_SQL_RUNS ?? 3);
const AS_OF = "2025-12-31";
/** VITALS_BENCH_SQL_NODE=0 skips the Node engine (and its CSV): at tier L it cannot hold 365 M values. */
const WITH_NODE = process.env.VITALS_BENCH_SQL_NODE !== "0";
/** VITALS_BENCH_SQL_HISTORY=0 skips the 30-day history (at tier L one run is many minutes). */
const WITH_HISTORY = process.env.VITALS_BENCH_SQL_HISTORY !== "0";
/** Accounts per observations CSV part (about 220 MB each). */
const PART = 2000;

const CARD = {
  id: "bench",
  name: "Bench",
  factors: Array.from({ length: METRICS }, (_, m) => ({
    id: `f${m}`,
    label: `Metric ${m}`,
    weight: 1 + (m % 3),
    source: {
      kind: "metric",
      metric: `m${m}`,
      aggregation: ["sum", "mean", "last", "max", "count", "change", "daysSince", "min", "sum", "mean"][m],
      windowDays: [30, 30, 90, 30, 30, 30, 30, 7, 90, 180][m],
    },
    rule: { kind: "linear", worst: 0, best: 50 },
  })),
};

/** Writes the data once per size (Parquet for DuckDB, CSV for the Node engine), generated inside DuckDB. */
async function prepare(dir, log) {
  const parquet = join(dir, "observations.parquet");
  if (existsSync(parquet) && (!WITH_NODE || existsSync(join(dir, "observations-0.csv")))) return;
  log(`writing ${ACCOUNTS} accounts × ${METRICS} metrics × ${DAYS} days to ${dir}…`);
  mkdirSync(dir, { recursive: true });
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  await conn.run(
    `COPY (SELECT 'a' || i AS id, 'Account ' || i AS name FROM range(${ACCOUNTS}) t(i)) TO '${join(dir, "accounts.csv")}' (HEADER)`,
  );
  const obs = `SELECT 'a' || a AS account_id, 'm' || m AS metric, DATE '${AS_OF}' - CAST(d AS INTEGER) AS day,
      CAST((hash(a, m, d) % 40) AS DOUBLE) AS value
    FROM range(${ACCOUNTS}) x(a), range(${METRICS}) y(m), range(${DAYS}) z(d)`;
  await conn.run(`COPY (${obs}) TO '${parquet}' (FORMAT parquet)`);
  // The Node engine reads a CSV file as one string (at most 512 MiB in V8): the same rows in parts of PART accounts.
  for (let part = 0; WITH_NODE && part * PART < ACCOUNTS; part++) {
    await conn.run(
      `COPY (SELECT * FROM read_parquet('${parquet}') WHERE CAST(substr(account_id, 2) AS INTEGER) >= ${part * PART} AND CAST(substr(account_id, 2) AS INTEGER) < ${(part + 1) * PART}) TO '${join(dir, `observations-${part}.csv`)}' (HEADER)`,
    );
  }
  conn.closeSync();
  db.closeSync();
  writeFileSync(join(dir, "card.json"), JSON.stringify(CARD));
}

/** One `vitals` run: wall time in ms, peak memory in MB and CPU seconds (user + system; on a shared machine the
 * wall time also counts the waits for a core). */
function vitals(args) {
  const hasTime = existsSync("/usr/bin/time");
  const command = hasTime ? "/usr/bin/time" : process.execPath;
  const full = hasTime
    ? ["-f", "maxrss=%M cpu=%U %S", process.execPath, resolve("bin/vitals.mjs"), ...args]
    : [resolve("bin/vitals.mjs"), ...args];
  const t0 = performance.now();
  const run = spawnSync(command, full, { encoding: "utf8", maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`vitals ${args.join(" ")} failed: ${run.stderr.slice(-2000)}`);
  const rss = /maxrss=(\d+)/.exec(run.stderr)?.[1];
  const cpu = /cpu=([\d.]+) ([\d.]+)/.exec(run.stderr);
  return { ms, mb: rss ? Number(rss) / 1024 : null, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
}

function measure(name, args, log) {
  const runs = [];
  const loadAtStart = Number(loadavg()[0].toFixed(1));
  for (let i = 0; i < RUNS; i++) {
    try {
      runs.push(vitals(args));
    } catch (error) {
      // A run that cannot finish (the Node engine out of memory at tier L) is reported, not retried.
      log(`${name}: failed: ${error.message.slice(-300)}`);
      return { name, tier: `${ACCOUNTS}×${METRICS}×${DAYS}`, unit: "ms", failed: error.message.slice(-300) };
    }
    log(
      `${name}: ${runs.at(-1).ms.toFixed(0)} ms, ${runs.at(-1).cpu?.toFixed(1)} s CPU, ${runs.at(-1).mb?.toFixed(0)} MB`,
    );
  }
  return {
    name,
    tier: `${ACCOUNTS}×${METRICS}×${DAYS}`,
    unit: "ms",
    runs: runs.map((r) => Number(r.ms.toFixed(1))),
    median: Number(median(runs.map((r) => r.ms)).toFixed(1)),
    peakMemoryMB: Math.max(...runs.map((r) => r.mb ?? 0)),
    cpuSeconds: runs.map((r) => (r.cpu === null ? null : Number(r.cpu.toFixed(2)))),
    load: [loadAtStart, Number(loadavg()[0].toFixed(1))],
  };
}

/** Runs the suite; resolves to results in the shape scripts/bench.mjs prints. */
export async function run({ log }) {
  const dir = join(tmpdir(), `vitals-bench-sql-${ACCOUNTS}-p${PART}`);
  await prepare(dir, log);
  const files = ["--scorecards", join(dir, "card.json"), "--accounts", join(dir, "accounts.csv"), "--as-of", AS_OF];
  const out = ["--out", join(dir, "results.csv")];
  const nodeName = `latest: Node engine from CSV (parts of ${PART} accounts)`;
  const node = !WITH_NODE
    ? { name: nodeName, tier: `${ACCOUNTS}×${METRICS}×${DAYS}`, unit: "ms", skipped: "VITALS_BENCH_SQL_NODE=0" }
    : measure(
        `latest: Node engine from CSV (parts of ${PART} accounts)`,
        [
          "score",
          ...files,
          ...Array.from({ length: Math.ceil(ACCOUNTS / PART) }, (_, p) => [
            "--observations",
            join(dir, `observations-${p}.csv`),
          ]).flat(),
          ...out,
        ],
        log,
      );
  const duck = measure(
    "latest: DuckDB from Parquet",
    ["score", "--engine", "duckdb", ...files, "--observations", join(dir, "observations.parquet"), ...out],
    log,
  );
  if (node.median !== undefined && duck.median !== undefined) {
    duck.baseline = { name: node.name, median: node.median };
    duck.ratio = Number((node.median / duck.median).toFixed(2));
    const cpu = (r) => median(r.cpuSeconds.filter((c) => c !== null));
    if (duck.cpuSeconds.some((c) => c !== null)) duck.cpuRatio = Number((cpu(node) / cpu(duck)).toFixed(2));
  }
  if (!WITH_HISTORY) return [node, duck];
  // 30 days of history: the compiled --history query, run by DuckDB on the same Parquet.
  const sql = spawnSync(
    process.execPath,
    [resolve("bin/vitals.mjs"), "sql", "--scorecards", join(dir, "card.json"), "--as-of", AS_OF, "--history", "30"],
    { encoding: "utf8" },
  );
  if (sql.status !== 0) throw new Error(sql.stderr);
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  await conn.run(
    `CREATE VIEW accounts AS SELECT id, name, CAST(NULL AS VARCHAR) AS parent_id, CAST(NULL AS DOUBLE) AS arr FROM read_csv('${join(dir, "accounts.csv")}')`,
  );
  await conn.run(`CREATE VIEW observations AS SELECT * FROM read_parquet('${join(dir, "observations.parquet")}')`);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await conn.run(`COPY (${sql.stdout.trim()}) TO '${join(dir, "history.csv")}' (HEADER)`);
    times.push(performance.now() - t0);
    log(`history 30 days: ${times.at(-1).toFixed(0)} ms`);
  }
  conn.closeSync();
  db.closeSync();
  const history = {
    name: "history 30 days: DuckDB from Parquet (query only, in-process)",
    tier: duck.tier,
    unit: "ms",
    runs: times.map((t) => Number(t.toFixed(1))),
    median: Number(median(times).toFixed(1)),
  };
  return [node, duck, history];
}
