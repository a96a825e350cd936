// The data worker: reads CSV files, runs import dry runs and writes imports to IndexedDB, and scores the stored
// portfolio for the app's pages, all off the page's thread. The faces talk to it through `createDataClient`
// (imports) and `createAppClient` (portfolio views).
import * as Comlink from "comlink";
import { createAppApi } from "./app-api.ts";

// The worker's own URL names the build (its file name carries a content hash): views stored by another build of the
// scoring code are made again rather than shown.
const api = createAppApi(undefined, { code: new URL(self.location.href).pathname });
Comlink.expose(api);

/** The API the data worker exposes. */
export type DataWorkerApi = typeof api;
