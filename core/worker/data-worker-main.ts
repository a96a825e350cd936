// The data worker's code: reads CSV files, runs import dry runs and writes imports to IndexedDB, and scores the
// stored portfolio for the app's pages, all off the page's thread. The faces talk to it through `createDataClient`
// (imports) and `createAppClient` (portfolio views). Its first module is small (first-screen.ts): the full API is
// a separate chunk, imported when a call needs it or once the first screen is shown. The worker's entry
// (data-worker.ts) imports this module and calls `start`.
import * as Comlink from "comlink";
import type { AppApi } from "./app-api.ts";
import { createWorkerApi, firstScreenOf } from "./first-screen.ts";

/**
 * Exposes the worker's API on the worker's global scope, then hands it the messages that came while this module
 * loaded (`early`, held by the entry), in the order they came.
 */
export function start(early: readonly MessageEvent[]): void {
  // The worker's own URL names the build (its file name carries a content hash): views stored by another build of
  // the scoring code are made again rather than shown.
  const code = new URL(self.location.href).pathname;
  // The app names the worker after the page's address (pwa/src/services.ts): the worker then reads what that
  // screen shows as soon as it runs, before the page's code has asked.
  const api: AppApi = createWorkerApi(() => import("./app-api.ts").then((m) => m.createAppApi(undefined, { code })), {
    code,
    firstScreen: firstScreenOf(self.name),
  });
  Comlink.expose(api);
  for (const event of early) {
    self.dispatchEvent(new MessageEvent("message", { data: event.data, ports: [...event.ports] }));
  }
}

/** The API the data worker exposes. */
export type DataWorkerApi = AppApi;
