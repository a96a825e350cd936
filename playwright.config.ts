import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath, HARNESS_PORT, HARNESS_URL, PWA_PORT, PWA_URL } from "./test/e2e/chromium.ts";

/** End-to-end tests in real Chromium against the production builds of the PWA and the extension. */
export default defineConfig({
  testDir: "test/e2e",
  globalSetup: "./test/e2e/global-setup.ts",
  fullyParallel: true,
  workers: 2,
  // One retry: CI runs on 2 shared cores, where a page can answer after an assertion's wait once in a few hundred
  // runs. A test that passes only on its retry is reported as flaky by `npm test` (its summary names it), not hidden.
  retries: 1,
  timeout: 30_000,
  // Waits for what a page shows: 10 s rather than Playwright's 5, for the same reason.
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: PWA_URL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  webServer: [
    {
      command: `vite preview --config pwa/vite.config.ts --port ${PWA_PORT} --strictPort`,
      url: PWA_URL,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // The worker harness page (test/harness): the scoring client on a bare page, for worker.spec.ts.
      command: `vite preview --config test/harness/vite.config.ts --port ${HARNESS_PORT} --strictPort`,
      url: HARNESS_URL,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
