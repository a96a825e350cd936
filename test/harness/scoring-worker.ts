// The scoring worker: holds the loaded portfolio and exposes the scoring API with Comlink. Heavy work runs here,
// off the main thread; the faces talk to it through `createScoringClient` (client.ts).
import * as Comlink from "comlink";
import { createScoringApi } from "./api.ts";

const api = createScoringApi();
Comlink.expose(api);

/** The API the worker exposes; the UI imports only this type. */
export type ScoringApi = typeof api;
