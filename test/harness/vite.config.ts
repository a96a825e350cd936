import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * Bare pages for tests and benchmarks, built to dist/harness and served by `vite preview`:
 * - index.html starts the scoring worker and exposes its client as `window.vitals` (e2e tests) and a benchmark
 *   worker as `window.harness` (npm run bench);
 * - data.html exposes the data (import) worker's client and the store as `window.data` (e2e tests);
 * - import-bench.html holds the import benchmark's page (npm run bench);
 * - match-bench.html holds the matcher benchmark's page (npm run bench);
 * - alerts-bench.html holds the alerts benchmark's page (npm run bench);
 * - pwa-bench.html fills the app's store for the PWA benchmark (npm run bench; served on the app's origin);
 * - scale-bench.html imports a year of tier M through the app's client for the scale benchmark (npm run bench);
 * - backup-bench.html backs up and restores tier M through the app's client for the backup benchmark (npm run bench).
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("../../dist/harness", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL("index.html", import.meta.url)),
        data: fileURLToPath(new URL("data.html", import.meta.url)),
        "import-bench": fileURLToPath(new URL("import-bench.html", import.meta.url)),
        "match-bench": fileURLToPath(new URL("match-bench.html", import.meta.url)),
        "alerts-bench": fileURLToPath(new URL("alerts-bench.html", import.meta.url)),
        "pwa-bench": fileURLToPath(new URL("pwa-bench.html", import.meta.url)),
        "scale-bench": fileURLToPath(new URL("scale-bench.html", import.meta.url)),
        "backup-bench": fileURLToPath(new URL("backup-bench.html", import.meta.url)),
      },
    },
  },
  worker: { format: "es" },
});
