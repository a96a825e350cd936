// The data worker: reads CSV files, runs import dry runs and writes imports to IndexedDB, and scores the stored
// portfolio for the app's pages, all off the page's thread. The faces talk to it through `createDataClient`
// (imports) and `createAppClient` (portfolio views).
import * as Comlink from "comlink";
import { createAppApi } from "./app-api.ts";

const api = createAppApi();
Comlink.expose(api);

/** The API the data worker exposes. */
export type DataWorkerApi = typeof api;
