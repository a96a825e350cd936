import { describe, expect, it } from "vitest";
import { IDLE, type JobState, runJob } from "../../pwa/src/job/run-job.ts";

/** Runs a job against a state that takes its patches, as useJob does; returns every state it went through. */
async function states(start: JobState, work: Parameters<typeof runJob>[0]) {
  let state = start;
  const seen: JobState[] = [];
  const ok = await runJob(work, (patch) => {
    state = { ...state, ...patch };
    seen.push(state);
  });
  return { ok, seen, end: state };
}

describe("runJob", () => {
  it("is busy while the work runs, clears the last job's error and notice, and ends with the notice it left", async () => {
    let during: boolean | undefined;
    const { ok, seen, end } = await states({ busy: false, error: "old", notice: "older" }, async ({ say }) => {
      during = true;
      say("Saved 3 files.");
    });
    expect(ok).toBe(true);
    expect(during).toBe(true);
    expect(seen[0]).toEqual({ busy: true, error: null, notice: null });
    expect(end).toEqual({ busy: false, error: null, notice: "Saved 3 files." });
  });

  it("a failure ends with its message and no notice, and resolves false instead of rejecting", async () => {
    const { ok, end } = await states(IDLE, async ({ say }) => {
      say("half done");
      throw new Error("this bundle is no longer available: choose the file again");
    });
    expect(ok).toBe(false);
    expect(end).toEqual({
      busy: false,
      error: "this bundle is no longer available: choose the file again",
      notice: null,
    });
  });

  it("a cancelled job says it was cancelled, not the abort's own text", async () => {
    const abort = new Error("The operation was aborted");
    abort.name = "AbortError";
    const { end } = await states(IDLE, async () => {
      throw abort;
    });
    expect(end.error).toBe("Cancelled: nothing was changed.");
  });

  it("a job that left no notice keeps one shown meanwhile (a step that reports on its own)", async () => {
    let state: JobState = IDLE;
    const set = (patch: Partial<JobState>) => {
      state = { ...state, ...patch };
    };
    await runJob(async () => {
      set({ notice: "Merged backup.gz: 2 new accounts." });
    }, set);
    expect(state).toEqual({ busy: false, error: null, notice: "Merged backup.gz: 2 new accounts." });
  });
});
