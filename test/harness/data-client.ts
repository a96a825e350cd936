import * as Comlink from "comlink";
import type { ImportRow } from "../../core/store/db.ts";
import type { SavedMapping } from "../../core/store/mappings.ts";
import type { ImportCallOptions } from "../../core/worker/app-client.ts";
import type { DataApi, FilePeek, ImportDryRun } from "../../core/worker/data-api.ts";
import { type ClientMode, connectWorker } from "../../core/worker/remote.ts";

/** The import API as the faces call it: files in, dry runs and import log entries out, cancellable. */
export interface DataClient {
  mode(): Promise<ClientMode>;
  /** The header and first rows of a file, to map its columns. */
  peek(file: Blob | string, fileName: string, rows?: number): Promise<FilePeek>;
  /** Reads the file under the mapping and reports what an import would change; writes nothing. */
  planImport(
    file: Blob | string,
    fileName: string,
    mapping: unknown,
    options?: ImportCallOptions,
  ): Promise<ImportDryRun>;
  /** Every rejected row of a dry run as CSV. */
  rejectsCsv(planId: string): Promise<string>;
  /** Applies a dry run in one transaction; rejects with a WriteError (store unchanged) when the write fails. */
  applyImport(planId: string, options?: ImportCallOptions): Promise<ImportRow>;
  undoImport(importId: string): Promise<void>;
  listImports(): Promise<ImportRow[]>;
  saveMapping(name: string, mapping: unknown): Promise<SavedMapping>;
  listMappings(): Promise<{ mappings: SavedMapping[]; invalid: string[] }>;
  deleteMapping(name: string): Promise<boolean>;
  /** Closes the worker's database connection. */
  close(): Promise<void>;
  terminate(): void;
}

/**
 * Creates a client of the data worker (file reading, dry runs, imports, undo, saved mappings). When no worker can
 * start, the same API runs on the main thread.
 */
export function createDataClient(
  options: { createWorker?: () => Worker; mainThread?: () => Promise<DataApi> } = {},
): DataClient {
  const createWorker =
    options.createWorker ??
    (() => new Worker(new URL("../../core/worker/data-worker.ts", import.meta.url), { type: "module" }));
  const mainThread =
    options.mainThread ??
    (async () => {
      const [{ createDataApi }, { VitalsDb }] = await Promise.all([
        import("../../core/worker/data-api.ts"),
        import("../../core/store/db.ts"),
      ]);
      return createDataApi(() => new VitalsDb());
    });
  const { ready, job, terminate } = connectWorker<DataApi>(createWorker, mainThread, "import");
  const progress = (options?: ImportCallOptions) =>
    options?.onProgress ? Comlink.proxy(options.onProgress) : undefined;
  const remote = async () => (await ready()).remote;
  return {
    mode: async () => (await ready()).mode,
    peek: async (file, fileName, rows) => (await remote()).peek(fileName, file, rows),
    planImport: (file, fileName, mapping, options) =>
      job(options?.signal, (r, id) => r.planImport(id, fileName, file, mapping, progress(options))),
    rejectsCsv: async (planId) => (await remote()).rejectsCsv(planId),
    applyImport: (planId, options) => job(options?.signal, (r, id) => r.applyImport(id, planId, progress(options))),
    undoImport: async (importId) => (await remote()).undoImport(importId),
    listImports: async () => (await remote()).listImports(),
    saveMapping: async (name, mapping) => (await remote()).saveMapping(name, mapping),
    listMappings: async () => (await remote()).listMappings(),
    deleteMapping: async (name) => (await remote()).deleteMapping(name),
    close: async () => (await remote()).close(),
    terminate,
  };
}
