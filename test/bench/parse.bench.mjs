// CSV parsers for the import, in Node and in a headless Chromium worker, on the same generated long CSV
// (account_id, metric, day, value; 1,000 accounts × 10 metrics × 365 days = 3.65 M rows, ~134 MB, made as a Blob
// from parts): papaparse and uDSV alone (rows split into strings), Vitals' CsvScanner alone (rows split into field
// ranges), and planCsv, the dry run's whole reading phase (parse + validate into an import plan) as the data worker
// runs it. The candidates are test/bench/parse-candidates.ts, bundled with esbuild for each runtime.
// Knobs (environment): VITALS_BENCH_PARSE_ACCOUNTS (1000), VITALS_BENCH_PARSE_RUNS (5).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "@playwright/test";
import { build } from "esbuild";
import { median } from "./stats.mjs";

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"];
const SIZE = { accounts: Number(process.env.VITALS_BENCH_PARSE_ACCOUNTS ?? 1000), metrics: 10, days: 365 };
const RUNS = Number(process.env.VITALS_BENCH_PARSE_RUNS ?? 5);

/** Bundles `entry` (exporting measureAll) for Node (ESM) and for a browser worker (an IIFE answering a message). */
export async function bundle(entry, dir) {
  const nodeFile = join(dir, "node.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: nodeFile,
    logLevel: "warning",
  });
  const workerEntry = join(dir, "worker-entry.ts");
  writeFileSync(
    workerEntry,
    `import { measureAll } from ${JSON.stringify(entry)};\n` +
      "self.onmessage = async (e) => { try { self.postMessage({ ok: await measureAll(...e.data) }); } catch (error) { self.postMessage({ error: String(error?.stack ?? error) }); } };\n",
  );
  await build({
    entryPoints: [workerEntry],
    bundle: true,
    platform: "browser",
    format: "iife",
    outfile: join(dir, "worker.js"),
    logLevel: "warning",
  });
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>parse bench</title>");
  return { nodeFile, dir };
}

/** Runs the bundle's measureAll in Node and in a Chromium worker; results per runtime. */
export async function measure({ nodeFile, dir }, size, runs, log) {
  const out = {};
  const { measureAll } = await import(pathToFileURL(nodeFile).href);
  log("node…");
  out.node = await measureAll(size, runs);
  const server = createServer((req, res) => {
    const file = req.url === "/worker.js" ? "worker.js" : "index.html";
    res.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "text/html" });
    res.end(readFileSync(join(dir, file)));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    log("chromium worker…");
    out.chromium = await page.evaluate(
      ([s, r]) =>
        new Promise((resolve, reject) => {
          const worker = new Worker("/worker.js");
          worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.ok));
          worker.postMessage([s, r]);
        }),
      [size, runs],
    );
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

/** Results in the shape scripts/bench.mjs prints: rows (or observations) per second, papaparse as the baseline. */
export function resultsOf(measured) {
  const results = [];
  for (const [runtime, m] of Object.entries(measured)) {
    const base = m.results.papaparse;
    for (const [name, r] of Object.entries(m.results)) {
      const med = median(r.perSecond);
      results.push({
        name: `${name === "planCsv" ? "planCsv (parse + validate, observations)" : `${name} alone (rows)`}, ${runtime === "node" ? "Node" : "Chromium worker"}`,
        tier: `${SIZE.accounts} accounts × ${SIZE.metrics} metrics × ${SIZE.days} days (${m.rows} rows, ${Math.round(m.bytes / 2 ** 20)} MiB)`,
        unit: name === "planCsv" ? "observations/s" : "rows/s",
        runs: r.perSecond,
        median: med,
        ...(base && name !== "papaparse"
          ? {
              baseline: { name: `papaparse alone, ${runtime}`, median: median(base.perSecond) },
              ratio: Number((med / median(base.perSecond)).toFixed(2)),
            }
          : {}),
      });
    }
  }
  return results;
}

export async function run({ log }) {
  const dir = mkdtempSync(join(tmpdir(), "vitals-parse-bench-"));
  try {
    const built = await bundle(new URL("./parse-candidates.ts", import.meta.url).pathname, dir);
    return resultsOf(await measure(built, SIZE, RUNS, log));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
