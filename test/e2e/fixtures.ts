import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, test as base, chromium, type Worker } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./chromium.ts";

/** The unpacked extension that `npm run build:ext` writes. */
export const EXTENSION_DIR = resolve(".output/chrome-mv3");

/** A browser profile with the built extension loaded, as a CSM would have it. */
export interface ExtensionFixture {
  context: BrowserContext;
  /** The extension's background service worker. */
  background: Worker;
  /** The extension id, read from the service worker URL. */
  id: string;
}

/**
 * Serves a fixture page under a real product URL (e.g. https://acme.zendesk.com/...), so content scripts
 * are matched by the manifest's real patterns while nothing leaves the machine.
 */
export async function serveFixture(context: BrowserContext, url: string, fixture: string): Promise<void> {
  const body = readFileSync(resolve("test/fixtures/pages", fixture), "utf8");
  await context.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body }));
}

/**
 * Launches a persistent Chromium profile with the built extension loaded, as a CSM would have it; `close` ends it
 * and deletes the profile. The `extension` fixture uses it per test; a spec may share one per worker. `dir` loads
 * another unpacked copy of the build (a test that must start with a permission already granted).
 */
export async function launchExtension(dir = EXTENSION_DIR): Promise<ExtensionFixture & { close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "vitals-e2e-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    // Playwright disables extensions by default; this profile exists to load one.
    ignoreDefaultArgs: ["--disable-extensions"],
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  // Anything not served by a test's route must not reach the network.
  // (`*.localhost` names are this computer too: the app's own host, vitals.localhost.)
  await context.route(/^https?:\/\/(?!(?:localhost|127\.0\.0\.1|[a-z0-9-]+\.localhost)[:/])/, (route) =>
    route.abort("blockedbyclient"),
  );
  const background = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const id = new URL(background.url()).host;
  return {
    context,
    background,
    id,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Playwright's `test` with an `extension` fixture: a persistent Chromium profile with Vitals loaded. */
export const test = base.extend<{ extension: ExtensionFixture }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring.
  extension: async ({}, use) => {
    const { close, ...extension } = await launchExtension();
    await use(extension);
    await close();
  },
});

export { expect } from "@playwright/test";
