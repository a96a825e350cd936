// `npm test`: typecheck, lint, unit tests, builds, then e2e in real Chromium. Every step runs even when an
// earlier one failed (so one run shows every problem); the exit code is non-zero if anything failed, and the
// last line is "N passed, N failed" over all tests plus one per failed check.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const tmp = mkdtempSync(join(tmpdir(), "vitals-test-"));
const results = [];
let passed = 0;
let failed = 0;

function step(name, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n━━ ${name}: ${command} ${args.join(" ")}`);
  const { status } = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: status === 0, seconds });
  return status === 0;
}

function readJson(path) {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
  } catch {
    return undefined;
  }
}

const npx = "npx";
for (const [name, args] of [
  ["typecheck: pure core (no DOM, no Node)", ["tsc", "-p", "tsconfig.core.json"]],
  ["typecheck: browser code", ["tsc", "-p", "tsconfig.json"]],
  ["typecheck: node code and tests", ["tsc", "-p", "tsconfig.node.json"]],
  ["lint and format", ["biome", "check", "."]],
]) {
  if (!step(name, npx, args)) failed++;
}

const vitestJson = join(tmp, "vitest.json");
const unitOk = step("unit tests (vitest)", npx, [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
]);
const unit = readJson(vitestJson);
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
}
if (!unitOk && !unit?.numFailedTests) failed++;

const buildOk =
  step("build PWA", "npm", ["run", "--silent", "build:pwa"]) &
  step("build worker harness", npx, ["vite", "build", "--config", "test/harness/vite.config.ts"]) &
  step("build extension", "npm", ["run", "--silent", "build:ext"]);
if (!buildOk) failed++;

// Firefox: its build (Manifest V2) must build and pass Mozilla's linter (no errors).
const firefoxOk =
  step("build extension for Firefox", npx, ["wxt", "build", "-b", "firefox"]) &&
  step("lint the Firefox build (web-ext lint)", npx, ["web-ext", "lint", "--source-dir", ".output/firefox-mv2"]);
if (!firefoxOk) failed++;

const e2eJson = join(tmp, "playwright.json");
const e2eOk =
  buildOk &&
  step("e2e tests (Playwright, Chromium)", npx, ["playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson });
const e2e = readJson(e2eJson);
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  for (const name of flakyTests(e2e.suites ?? [])) console.log(`flaky (passed on its retry): ${name}`);
}
if (!e2eOk && !e2e?.stats.unexpected) failed++;

/** The titles of tests that failed once and passed on their retry, from Playwright's JSON report. */
function flakyTests(suites, out = []) {
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) if (t.status === "flaky") out.push(`${spec.file}:${spec.line} › ${spec.title}`);
    }
    flakyTests(suite.suites ?? [], out);
  }
  return out;
}

rmSync(tmp, { recursive: true, force: true });
console.log("\n━━ Summary");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"}  ${r.name} (${r.seconds} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.every((r) => r.ok) ? 0 : 1);
