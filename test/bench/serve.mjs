// Helpers the benchmark suites share: Chromium's flags, building the worker harness and serving a built page on
// loopback (not a suite: no `.bench.mjs`).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free TCP port on 127.0.0.1, for a `vite preview` the suite starts. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Resolves once `url` answers 2xx; throws after `ms`. */
export async function waitFor(url, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts `vite preview` of a built page (the worker harness or the PWA) on a free loopback port; `outDir`
 * overrides the config's build folder. Returns the origin to open and the server process to kill when done.
 */
export async function servePreview(config, outDir) {
  const port = await freePort();
  const args = ["node_modules/vite/bin/vite.js", "preview", "--config", config];
  if (outDir !== undefined) args.push("--outDir", outDir);
  args.push("--host", "127.0.0.1", "--port", String(port), "--strictPort");
  const server = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
  return { origin: `http://127.0.0.1:${port}`, server };
}

/** Chromium's flags for a benchmark: no sandbox (containers), no GPU, nothing in the background that adds noise. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Builds the worker harness into a temporary folder of its own named after the suite (so a suite running meanwhile
 * never sees dist/harness half rebuilt); returns the folder.
 */
export function buildHarness(log, suite) {
  const outDir = mkdtempSync(join(tmpdir(), `vitals-${suite}-bench-`));
  log(`building the harness into ${outDir}…`);
  const built = spawnSync(
    process.execPath,
    ["node_modules/vite/bin/vite.js", "build", "--config", "test/harness/vite.config.ts", "--outDir", outDir],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (built.status !== 0) throw new Error("building the harness failed");
  return outDir;
}
