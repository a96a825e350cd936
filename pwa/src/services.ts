import { useEffect, useState } from "preact/hooks";
import type { AskRecord } from "../../core/store/health.ts";
import { dollars } from "../../core/text/words.ts";
import { createAppClient } from "../../core/worker/app-client.ts";

declare global {
  interface Window {
    /** The data worker index.html's first script started (a build only: pwa/vite.config.ts, earlyWorker). */
    vitalsEarlyWorker?: Worker;
  }
}

/**
 * The data worker index.html started before the app's code loaded, taken once; undefined when there is none (the dev
 * server) or it failed to start (then the client starts one, or runs on the page's thread).
 */
function takeEarlyWorker(): Worker | undefined {
  const worker = window.vitalsEarlyWorker;
  window.vitalsEarlyWorker = undefined;
  return worker;
}

/** The one client of the data worker: every page reads and changes data through it. */
export const client = createAppClient({ workerName: location.hash || "#/", startedWorker: takeEarlyWorker() });

/**
 * The store's status, asked for as soon as the app's code runs: the worker starts loading and opens the database
 * while the page renders its first frame (a cold start's critical path).
 */
export const firstStatus = client.status();
// The shell reports a failure when it reads this; it is not an unhandled rejection meanwhile.
firstStatus.catch(() => undefined);

let firstScreenDone: () => void = () => undefined;
/**
 * Resolves once the page a cold start opened on (the dashboard, an account) shows what it read, or failed to: work
 * the first screen does not need (the extension's bridge and its schemas) waits for it, so its code is not evaluated
 * on the page's thread while the worker's answer is due.
 */
export const firstScreenShown = new Promise<void>((done) => {
  firstScreenDone = done;
});
/** Called by the dashboard and the account page once they show their data (or their error); later calls do nothing. */
export function firstScreenIsShown(): void {
  firstScreenDone();
}

/** Where the app keeps the browser's answer to "keep Vitals' data?" (a small setting, not data). */
export const persistenceRecord: AskRecord = {
  get: () => localStorage.getItem("vitals.persistenceAsk"),
  set: (text) => localStorage.setItem("vitals.persistenceAsk", text),
};

/**
 * Call after the user's own import (a CSV file or a bundle) succeeds: the first time, asks the browser to keep the
 * data (navigator.storage.persist; only a page may ask, not a worker) and records the answer for the Data page.
 */
export async function afterOwnImport(): Promise<void> {
  // health.ts (and its schemas) is loaded here, not with the app's first code.
  await import("../../core/store/health.ts")
    .then((health) => health.askPersistenceAfterFirstImport(persistenceRecord))
    .catch(() => undefined);
}

/** What changed: only these accounts (a rating, an override, a note), or anything (undefined). */
export interface Changed {
  accounts: readonly string[];
}
type Listener = (changed?: Changed) => void;
const listeners = new Set<Listener>();

/**
 * Tells every page that the data changed (an import, a rescore, the demo cleared), so they load again; `changed`
 * names the accounts when only they changed (the bridge then posts only their badges).
 */
export function dataChanged(changed?: Changed): void {
  early.clear();
  for (const listener of listeners) listener(changed);
}

/**
 * Answers the first screen's page asked for as the app's code started (a cold start's critical path: the worker
 * reads while the page's code loads), by key. Each is taken once; a data change or another page drops them.
 */
const early = new Map<string, Promise<unknown>>();
addEventListener("hashchange", () => early.clear());

/** Asks the worker now for what the first screen's page will load with `key`. */
export function askEarly(key: string, load: () => Promise<unknown>): void {
  const answer = load();
  // The page reports a failure when it takes the answer; it is not an unhandled rejection meanwhile.
  answer.catch(() => undefined);
  early.set(key, answer);
}

/** The answer asked for early under `key` (once), or undefined when none was asked for. */
export function takeEarly<T>(key: string): Promise<T> | undefined {
  const answer = early.get(key) as Promise<T> | undefined;
  early.delete(key);
  return answer;
}

/** Calls `listener` on every data change, with what changed; returns the unsubscribe. */
export function onDataChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A counter that moves each time the data changes: put it in an effect's dependencies to reload. `only` counts only
 * the changes of the whole data ("whole") or only those naming their accounts ("accounts": a rating, override or
 * note).
 */
export function useDataVersion(only?: "whole" | "accounts"): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const listener = (changed?: Changed) => {
      if (only === undefined || (only === "accounts") === (changed !== undefined)) setVersion((v) => v + 1);
    };
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, [only]);
  return version;
}

/** The result of an async load: loading, the value, or the error's message. */
export type Loaded<T> = { state: "loading" } | { state: "ready"; value: T } | { state: "error"; message: string };

/** Loads a value with the worker, again whenever `deps` or the data change (`only` those changes: useDataVersion). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], only?: "whole" | "accounts"): Loaded<T> {
  const version = useDataVersion(only);
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setLoaded({ state: "ready", value }),
      (error: unknown) => live && setLoaded({ state: "error", message: (error as Error).message ?? String(error) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, version]);
  return loaded;
}

/** Formats money without cents: 120000 → "$120,000". */
export const money = (value: number | null): string => (value === null ? "—" : dollars(value));

/** A signed number of points: +3, −12, ±0 (shared with the extension's badges, so it lives in core). */
export { signed } from "../../core/insights/explain-text.ts";

/** Saves text as a file through the browser's download (the data never leaves the device). */
export function download(name: string, text: string, type: string): void {
  downloadBlob(name, new Blob([text], { type }));
}

/** Saves a Blob as a file through the browser's download. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
