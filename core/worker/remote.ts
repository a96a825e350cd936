import * as Comlink from "comlink";

/** What every worker API offers: a readiness check and cancellation of a running job by id. */
export interface WorkerApiShape {
  ping(): Promise<"pong">;
  cancel(jobId: string): Promise<boolean>;
}

/** Where an API runs: in a worker, or on the main thread because no worker could start. */
export type ClientMode = "worker" | "main-thread";

/** A started API: the remote (or the same API on the main thread) and where it runs. */
export interface Connection<T> {
  remote: Comlink.Remote<T>;
  mode: ClientMode;
}

/** The error every cancelled call rejects with: a DOMException named "AbortError", as fetch() uses. */
export function abortError(signal: AbortSignal, what = "the job"): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  return new DOMException(`${what} was cancelled`, "AbortError");
}

let jobCounter = 0;

/**
 * Starts a worker API on first use and runs cancellable jobs on it. If the worker cannot start (no module
 * workers, a blocked script, a CSP), the same API runs on the main thread so the app still works, less smoothly.
 */
export function connectWorker<T extends WorkerApiShape>(
  createWorker: () => Worker,
  mainThread: () => Promise<T>,
  what: string,
) {
  let worker: Worker | undefined;
  let started: Promise<Connection<T>> | undefined;

  async function startMainThread(why: unknown): Promise<Connection<T>> {
    console.warn(`Vitals: the ${what} worker could not start; running on the main thread instead.`, why);
    // Every API method is async, so the plain object behaves as its Comlink remote does (minus transfers).
    const api = (await mainThread()) as unknown as Comlink.Remote<T>;
    return { remote: api, mode: "main-thread" };
  }

  async function start(): Promise<Connection<T>> {
    try {
      worker = createWorker();
    } catch (error) {
      return startMainThread(error);
    }
    const w = worker;
    const remote = Comlink.wrap<T>(w);
    let onError: ((event: Event) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      onError = (event) => reject((event as ErrorEvent).message || "the worker script failed to load");
      w.addEventListener("error", onError);
    });
    try {
      await Promise.race([(remote as unknown as WorkerApiShape).ping(), failed]);
      return { remote, mode: "worker" };
    } catch (error) {
      w.terminate();
      worker = undefined;
      return startMainThread(error);
    } finally {
      if (onError) w.removeEventListener("error", onError);
    }
  }

  function ready(): Promise<Connection<T>> {
    started ??= start();
    return started;
  }

  /** Runs one job; on abort, asks the worker to cancel it and rejects at once with an AbortError. */
  async function job<R>(signal: AbortSignal | undefined, run: (remote: Comlink.Remote<T>, id: string) => Promise<R>) {
    if (signal?.aborted) throw abortError(signal, `the ${what} job`);
    const { remote } = await ready();
    if (signal?.aborted) throw abortError(signal, `the ${what} job`);
    const id = `job-${++jobCounter}`;
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => {
        (remote as unknown as WorkerApiShape).cancel(id).catch(() => undefined);
        reject(abortError(signal as AbortSignal, `the ${what} job`));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      run(remote, id)
        .then(resolve, reject)
        .finally(() => signal?.removeEventListener("abort", onAbort));
    });
  }

  return {
    ready,
    job,
    terminate(): void {
      worker?.terminate();
      worker = undefined;
      started = undefined;
    },
  };
}
