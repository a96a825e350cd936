// The alerts benchmark's page (npm run bench, suite "alerts"; driven by test/bench/alerts.bench.mjs): starts the
// benchmark worker and exposes it as `window.alertsBench`, so every measurement runs in a worker as the app's does.
import * as Comlink from "comlink";
import type { AlertsBenchWorker } from "./alerts-bench-worker.ts";

declare global {
  interface Window {
    /** The alerts benchmark's worker. */
    alertsBench: Comlink.Remote<AlertsBenchWorker>;
  }
}

window.alertsBench = Comlink.wrap<AlertsBenchWorker>(
  new Worker(new URL("./alerts-bench-worker.ts", import.meta.url), { type: "module" }),
);
(document.getElementById("status") as HTMLElement).textContent = "ready";
