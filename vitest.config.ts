import { defineConfig } from "vitest/config";
import { WxtVitest } from "wxt/testing/vitest-plugin";

/** Unit and integration tests in Node; the extension's code sees WXT's in-memory fake browser. */
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    exclude: ["test/e2e/**", "node_modules/**"],
    environment: "node",
    testTimeout: 20_000,
  },
});
