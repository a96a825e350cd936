// Shared helpers for benchmark suites: medians of repeated runs, never a single time.

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns the times in ms and their median. */
export async function time(fn, { runs = 7, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { runs: times.map((t) => Number(t.toFixed(3))), median: Number(median(times).toFixed(3)) };
}
