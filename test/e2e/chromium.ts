import { existsSync } from "node:fs";

/** Debian's Chromium (or CHROMIUM_PATH): tests never download a browser. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`,
    );
  }
  return path;
}

/** Flags for a sandboxed CI machine with no network: no GPU, and none of Chromium's own background traffic. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Where the PWA's production build is served during e2e tests. */
export const PWA_PORT = Number(process.env.VITALS_E2E_PORT ?? 4173);
/** The base URL of the served PWA in e2e tests. */
export const PWA_URL = `http://localhost:${PWA_PORT}`;

/**
 * The same served app reached at its own host name, as `npm start` serves it (`vitals.localhost`, which Chromium
 * resolves to this computer) but on the e2e port: the extension's bridge runs there, and trusts it once paired.
 */
export const APP_URL = `http://vitals.localhost:${PWA_PORT}`;

/** Where the worker harness (test/harness, built to dist/harness) is served during e2e tests. */
export const HARNESS_PORT = Number(process.env.VITALS_HARNESS_PORT ?? 4174);
/** The URL of the served worker harness page. */
export const HARNESS_URL = `http://localhost:${HARNESS_PORT}/`;
