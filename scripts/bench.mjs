// `npm run bench`: runs every benchmark suite and prints one JSON document to stdout (progress goes to stderr).
// A suite is a module in test/bench/ named *.bench.mjs exporting `run(context)` that resolves to an array of
// results: { name, tier?, unit, runs: number[], median, baseline?: { name, median }, ratio? }.
// Suites time their work several times and report medians and ratios against a baseline measured in the same run.
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dir = resolve("test/bench");
const suites = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.mjs"))
  .sort();
const only = process.argv.slice(2);
const report = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  suites: [],
};
for (const file of suites) {
  const name = file.replace(/\.bench\.mjs$/, "");
  if (only.length > 0 && !only.includes(name)) continue;
  console.error(`bench: ${name}…`);
  const mod = await import(pathToFileURL(resolve(dir, file)).href);
  const started = performance.now();
  const results = await mod.run({ log: (...args) => console.error(`  ${name}:`, ...args) });
  report.suites.push({ name, seconds: Number(((performance.now() - started) / 1000).toFixed(2)), results });
}
if (suites.length === 0) console.error("bench: no suites yet (test/bench/*.bench.mjs)");
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
