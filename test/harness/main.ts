// The harness page: the real scoring client as `window.vitals` (e2e tests call it through page.evaluate), and the
// benchmark's helpers as `window.harness`, which time calls from the page so a result includes the thread hop.
import * as Comlink from "comlink";
import { formatDay } from "../../core/schema/day.ts";
import type { ScorecardInput } from "../../core/schema/scorecard.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import type { BenchApi } from "./bench-worker.ts";
import { createScoringClient, type ScoringClient } from "./client.ts";
import { SYNTHETIC_END, type Tier } from "./synthetic.ts";

/** What a timed measurement returns: every run's ms and their median. */
interface Timing {
  runs: number[];
  median: number;
  /** Median ms the naive baseline spent building per-account objects inside a run (0 when they were kept). */
  buildMs?: number;
}

/** How far two score arrays are apart: accounts compared, the largest |difference|, and null-versus-number mismatches. */
interface Agreement {
  compared: number;
  maxAbsDiff: number;
  nullMismatches: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const round = (x: number) => Number(x.toFixed(3));

function compare(pairs: Iterable<[number, number]>): Agreement {
  let compared = 0;
  let maxAbsDiff = 0;
  let nullMismatches = 0;
  for (const [fast, slow] of pairs) {
    compared++;
    if (Number.isNaN(fast) || Number.isNaN(slow)) {
      if (Number.isNaN(fast) !== Number.isNaN(slow)) nullMismatches++;
    } else maxAbsDiff = Math.max(maxAbsDiff, Math.abs(fast - slow));
  }
  return { compared, maxAbsDiff, nullMismatches };
}

const vitals = createScoringClient();
const benchClient: ScoringClient<BenchApi> = createScoringClient<BenchApi>({
  createWorker: () => new Worker(new URL("./bench-worker.ts", import.meta.url), { type: "module" }),
  mainThread: () => Promise.reject(new Error("the benchmark needs a worker")),
});
const adoption = DEFAULT_SCORECARDS.find((c) => c.id === "adoption-smb") as ScorecardInput;
const END = formatDay(SYNTHETIC_END);
const START = formatDay(SYNTHETIC_END - 364);

async function timed(fn: () => Promise<number | undefined>, runs: number, warmup: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const builds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const buildMs = await fn();
    times.push(performance.now() - t0);
    if (buildMs !== undefined) builds.push(buildMs);
  }
  return {
    runs: times.map(round),
    median: round(median(times)),
    ...(builds.length ? { buildMs: round(median(builds)) } : {}),
  };
}

/** The benchmark's steps, each one call from Node through page.evaluate. */
const harness = {
  /** Generates and loads a tier in the benchmark worker; returns counts and ms. */
  async generate(tier: Tier, seed: number) {
    const t0 = performance.now();
    const counts = await benchClient.generateSynthetic(tier, seed);
    return { ...counts, ms: round(performance.now() - t0) };
  },
  /** Builds the naive objects ahead of timing when they fit in memory. */
  async prepareNaive() {
    return (await benchClient.api()).naivePrepare(adoption);
  },
  async releaseNaive() {
    await (await benchClient.api()).naiveRelease();
  },
  /** Times latest scores of the whole portfolio as of the last day (Adoption (SMB)), fast or naive. */
  timeLatest(engine: "fast" | "naive", runs: number, warmup: number): Promise<Timing> {
    if (engine === "fast") return timed(async () => void (await benchClient.score([adoption], END)), runs, warmup);
    return timed(async () => (await (await benchClient.api()).naiveLatest(adoption, END)).buildMs, runs, warmup);
  },
  /** Times the daily history of the last 365 days, fast or naive. */
  timeHistory(engine: "fast" | "naive", runs: number, warmup: number): Promise<Timing> {
    if (engine === "fast")
      return timed(async () => void (await benchClient.history(adoption, START, END)), runs, warmup);
    return timed(
      async () => (await (await benchClient.api()).naiveHistory(adoption, START, END)).buildMs,
      runs,
      warmup,
    );
  },
  /** Latest scores from both engines, compared account by account. */
  async agreeLatest(): Promise<Agreement> {
    const fast = await benchClient.score([adoption], END);
    const slow = await (await benchClient.api()).naiveLatest(adoption, END);
    const cols = fast.scorecards[0];
    if (!cols) throw new Error("no scores");
    // Scores now and deltaDays before, both compared: [fast, naive] per account and day.
    const pairs = Array.from({ length: slow.score.length * 2 }, (_, k): [number, number] => [
      Number.NaN,
      (k % 2 ? slow.previous : slow.score)[k >> 1] as number,
    ]);
    cols.accounts.forEach((a, row) => {
      (pairs[a * 2] as [number, number])[0] = cols.score[row] as number;
      (pairs[a * 2 + 1] as [number, number])[0] = cols.previous[row] as number;
    });
    return compare(pairs);
  },
  /** History from both engines compared cell by cell (the engine stores Float32; the naive one is rounded to it). */
  async agreeHistory(): Promise<Agreement> {
    const fast = await benchClient.history(adoption, START, END);
    const slow = await (await benchClient.api()).naiveHistory(adoption, START, END);
    const m = fast.days;
    const onRow = new Int32Array(slow.score.length / m).fill(-1);
    fast.accounts.forEach((a, row) => {
      onRow[a] = row;
    });
    function* pairs(): Generator<[number, number]> {
      for (let a = 0; a < onRow.length; a++) {
        const row = onRow[a] as number;
        for (let j = 0; j < m; j++) {
          yield [row < 0 ? Number.NaN : (fast.score[row * m + j] as number), slow.score[a * m + j] as number];
        }
      }
    }
    return compare(pairs());
  },
};

declare global {
  interface Window {
    /** The scoring client, for e2e tests. */
    vitals: ScoringClient;
    /** Creates a client whose worker cannot start, for the fallback test. */
    brokenWorkerClient: () => ScoringClient;
    /** Benchmark helpers. */
    harness: typeof harness;
    /** Comlink, so tests can mark callbacks with Comlink.proxy and transfer buffers. */
    Comlink: typeof Comlink;
  }
}

window.vitals = vitals;
window.brokenWorkerClient = () =>
  createScoringClient({
    // A script that does not exist: the worker fires "error" and the client falls back to the main thread.
    createWorker: () => new Worker(new URL("./no-such-worker.js", window.location.href), { type: "module" }),
  });
window.harness = harness;
window.Comlink = Comlink;
(document.getElementById("status") as HTMLElement).textContent = "ready";
