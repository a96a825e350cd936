// The data worker: reads CSV files, runs import dry runs and writes imports to IndexedDB off the page's thread.
// The faces talk to it through `createDataClient` (data-client.ts).
import * as Comlink from "comlink";
import { VitalsDb } from "../store/db.ts";
import { createDataApi } from "./data-api.ts";

const api = createDataApi(() => new VitalsDb());
Comlink.expose(api);

/** The API the data worker exposes. */
export type DataWorkerApi = typeof api;
