// Helpers the benchmark suites share for serving a built page on loopback (not a suite: no `.bench.mjs`).
import { spawn } from "node:child_process";
import { createServer } from "node:net";

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
