import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * A bare page that starts the scoring worker and exposes its client as `window.vitals` (e2e tests) and a
 * benchmark worker as `window.harness` (npm run bench). Built to dist/harness and served by `vite preview`.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("../../dist/harness", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
  worker: { format: "es" },
});
