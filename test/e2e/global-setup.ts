import { existsSync } from "node:fs";

/** Fails fast, with the fix, when the builds the e2e tests run against are missing. */
export default function globalSetup(): void {
  for (const [path, how] of [
    ["dist/pwa/index.html", "npm run build:pwa"],
    [".output/chrome-mv3/manifest.json", "npm run build:ext"],
    ["dist/harness/index.html", "npx vite build --config test/harness/vite.config.ts"],
  ] as const) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run "${how}" (or "npm test", which builds first).`);
  }
}
