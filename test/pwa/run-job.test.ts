import { describe, expect, it } from "vitest";
import { IDLE, type JobState, jobRunner, percentOf, runJob } from "../../pwa/src/job/run-job.ts";

/** Runs a job against a state that takes its patches, as useJob does; returns every state it went through. */
async function states(start: JobState, work: Parameters<typeof runJob>[0], options?: Parameters<typeof runJob>[2]) {
  let state = start;
  const seen: JobState[] = [];
  const ok = await runJob(
    work,
    (patch) => {
      state = { ...state, ...patch };
      seen.push(state);
    },
    options,
  );
  return { ok, seen, end: state };
}

describe("runJob", () => {
  it("is busy while the work runs, clears the last job's error and notice, and ends with the notice it left", async () => {
    let during: boolean | undefined;
    const { ok, seen, end } = await states({ ...IDLE, error: "old", notice: "older" }, async ({ say }) => {
      during = true;
      say("Saved 3 files.");
    });
    expect(ok).toBe(true);
    expect(during).toBe(true);
    expect(seen[0]).toEqual({ ...IDLE, busy: true });
    expect(end).toEqual({ ...IDLE, notice: "Saved 3 files." });
  });

  it("a failure ends with its message and no notice, and resolves false instead of rejecting", async () => {
    const { ok, end } = await states(IDLE, async ({ say }) => {
      say("half done");
      throw new Error("this bundle is no longer available: choose the file again");
    });
    expect(ok).toBe(false);
    expect(end).toEqual({ ...IDLE, error: "this bundle is no longer available: choose the file again" });
  });

  it("a cancelled job says it was cancelled, not the abort's own text", async () => {
    const abort = new Error("The operation was aborted");
    abort.name = "AbortError";
    const { end } = await states(IDLE, async () => {
      throw abort;
    });
    expect(end.error).toBe("Cancelled: nothing was changed.");
    expect(end.cancelled).toBe(true);
  });

  it("a job that left no notice keeps one shown meanwhile (a step that reports on its own)", async () => {
    let state: JobState = IDLE;
    const set = (patch: Partial<JobState>) => {
      state = { ...state, ...patch };
    };
    await runJob(async () => {
      set({ notice: "Merged backup.gz: 2 new accounts." });
    }, set);
    expect(state).toEqual({ ...IDLE, notice: "Merged backup.gz: 2 new accounts." });
  });

  it("a failure is said in the job's words when it gives them", async () => {
    const { end } = await states(
      IDLE,
      async () => {
        throw new Error("the store is full");
      },
      { failed: (message) => `Loading the demo portfolio failed: ${message}` },
    );
    expect(end).toMatchObject({ error: "Loading the demo portfolio failed: the store is full", cancelled: false });
  });
});

/** An AbortError as the worker's calls reject with when their signal aborts. */
function aborted(): Error {
  const e = new Error("The operation was aborted");
  e.name = "AbortError";
  return e;
}

/** A worker call whose progress and end the test drives: it rejects as the worker would when its signal aborts. */
function call<T>() {
  let report: ((phase: "reading" | "writing", done: number, total: number) => void) | undefined;
  let finish: ((value: T) => void) | undefined;
  let signal: AbortSignal | undefined;
  const start = (o: { signal: AbortSignal; onProgress: NonNullable<typeof report> }) =>
    new Promise<T>((resolve, reject) => {
      report = o.onProgress;
      signal = o.signal;
      finish = resolve;
      o.signal.addEventListener("abort", () => reject(aborted()));
    });
  return {
    start,
    report: (phase: "reading" | "writing", done: number, total: number) => report?.(phase, done, total),
    finish: (value: T) => finish?.(value),
    signal: () => signal,
  };
}

const WORDS = { reading: "Reading the file", writing: "Saving" };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a tracked step", () => {
  it("shows Starting, then each phase in words, and nothing once it ended, even if a last report comes late", async () => {
    let state: JobState = IDLE;
    const seen: (JobState["progress"] | undefined)[] = [];
    const set = (patch: Partial<JobState>) => {
      state = { ...state, ...patch };
      if ("progress" in patch) seen.push(patch.progress);
    };
    const step = call<number>();
    const job = runJob(async ({ track, say }) => {
      const rows = await track(WORDS, step.start);
      say(`Read ${rows} rows.`);
    }, set);
    await tick();
    expect(state.progress).toEqual({ phase: "Starting", done: 0, total: 0 });
    step.report("reading", 5, 10);
    expect(state.progress).toEqual({ phase: "Reading the file", done: 5, total: 10 });
    step.finish(10);
    await job;
    step.report("writing", 10, 10); // arrives after the call settled, through its own port
    expect(state).toEqual({ ...IDLE, notice: "Read 10 rows." });
    expect(seen.at(-1)).toBeNull();
  });

  it("is cancelled by the job's controller, and says so in the words of the step it was in", async () => {
    const controller = new AbortController();
    let state: JobState = IDLE;
    const first = call<number>();
    const second = call<number>();
    const job = runJob(
      async ({ track }) => {
        await track(WORDS, first.start);
        await track(WORDS, second.start, "The restore was cancelled: nothing was changed.");
      },
      (patch) => {
        state = { ...state, ...patch };
      },
      { controller, cancelled: "Reading the backup was cancelled." },
    );
    await tick();
    first.finish(1);
    await tick();
    expect(state.progress?.phase).toBe("Starting");
    controller.abort();
    second.report("writing", 1, 2); // a report after the cancel shows nothing
    expect(await job).toBe(false);
    expect(state).toEqual({
      ...IDLE,
      error: "The restore was cancelled: nothing was changed.",
      cancelled: true,
    });
  });

  it("gives a percentage only once a step reports more than one unit of work", () => {
    expect(percentOf({ phase: "Starting", done: 0, total: 0 })).toBeNull();
    expect(percentOf({ phase: "Saving", done: 0, total: 1 })).toBeNull();
    expect(percentOf({ phase: "Saving", done: 1, total: 3 })).toBe(33);
  });
});

describe("jobRunner", () => {
  const runner = (replace: boolean) => {
    let state: JobState = IDLE;
    let ends = 0;
    const jobs = jobRunner(
      (patch) => {
        state = { ...state, ...patch };
      },
      { replace, ended: () => ends++ },
    );
    return { jobs, state: () => state, ends: () => ends };
  };

  it("ignores a run started while another runs", async () => {
    const { jobs, state, ends } = runner(false);
    const step = call<string>();
    const first = jobs.run(async ({ track, say }) => say(await track(WORDS, step.start)));
    let second = false;
    expect(
      await jobs.run(async () => {
        second = true;
      }),
    ).toBe(false);
    expect(second).toBe(false);
    step.finish("First done.");
    expect(await first).toBe(true);
    expect(state()).toEqual({ ...IDLE, notice: "First done." });
    expect(ends()).toBe(1);
  });

  it("with replace, a newer run cancels the one running, whose end then shows nothing", async () => {
    const { jobs, state, ends } = runner(true);
    const old = call<string>();
    const newer = call<string>();
    const first = jobs.run(async ({ track, say }) => say(await track(WORDS, old.start)), { cancelled: "Cancelled." });
    await tick();
    const second = jobs.run(async ({ track, say }) => say(await track(WORDS, newer.start)));
    expect(old.signal()?.aborted).toBe(true);
    expect(await first).toBe(false);
    // The old run's cancellation did not reach the state: the newer one is running.
    expect(state()).toMatchObject({ busy: true, error: null, progress: { phase: "Starting" } });
    newer.report("reading", 1, 4);
    expect(state().progress).toEqual({ phase: "Reading the file", done: 1, total: 4 });
    newer.finish("Validated.");
    expect(await second).toBe(true);
    expect(state()).toEqual({ ...IDLE, notice: "Validated." });
    expect(ends()).toBe(1);
  });

  it("cancel stops the run going on, which ends as cancelled; a cancel with nothing running does nothing", async () => {
    const { jobs, state } = runner(false);
    jobs.cancel();
    const step = call<string>();
    const job = jobs.run(async ({ track }) => void (await track(WORDS, step.start)), {
      cancelled: "The check was cancelled.",
    });
    await tick();
    jobs.cancel();
    expect(await job).toBe(false);
    expect(state()).toEqual({ ...IDLE, error: "The check was cancelled.", cancelled: true });
    // The next run starts: the cancelled one no longer holds the runner.
    expect(await jobs.run(async ({ say }) => say("Again."))).toBe(true);
  });
});
