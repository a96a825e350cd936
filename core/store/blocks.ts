import type { ObservationColumns } from "../io/columns.ts";
import { type Day, formatDay } from "../schema/day.ts";
import type { Observation } from "../schema/observation.ts";
import type { BlockPatch, YearBlockRow } from "./block-rows.ts";

const MS_PER_DAY = 86_400_000;

/** The first day (days since 1970-01-01) of a UTC year. */
export function yearStart(year: number): Day {
  return Date.UTC(year, 0, 1) / MS_PER_DAY;
}

/** Appends a stored year block's values to `out` as observations, day by day (a bundle's form). */
export function pushBlockObservations(
  block: Pick<YearBlockRow, "accountId" | "metric" | "year" | "days" | "values">,
  out: Observation[],
): void {
  const first = yearStart(block.year);
  for (let k = 0; k < block.days.length; k++) {
    out.push({
      accountId: block.accountId,
      metric: block.metric,
      day: formatDay(first + (block.days[k] as number)),
      value: block.values[k] as number,
    });
  }
}

/** The UTC year of a day. */
export function yearOf(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** A file's observations for one account × metric × year (days of the year), sorted by day then value. */
export interface BlockUpdate {
  readonly accountId: string;
  readonly metric: string;
  readonly year: number;
  readonly days: Uint16Array;
  readonly values: Float64Array;
}

/**
 * Groups observation columns into block updates, in O(rows): a counting sort by (account, metric), a check that
 * each group is already in day order (exports usually are) with a sort only where it is not, then a split by year.
 */
export function* blockUpdatesOf(columns: ObservationColumns): Generator<BlockUpdate> {
  const n = columns.length;
  if (n === 0) return;
  const { account, metric, day, value } = columns.columns();
  const metricCount = columns.metrics.length;
  const groups = columns.accountIds.length * metricCount;
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) {
    const g = (account[i] as number) * metricCount + (metric[i] as number);
    start[g + 1] = (start[g + 1] as number) + 1;
  }
  for (let g = 0; g < groups; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  const cursor = start.slice(0, groups);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = (account[i] as number) * metricCount + (metric[i] as number);
    const at = cursor[g] as number;
    cursor[g] = at + 1;
    order[at] = i;
  }
  // Day → (year, day of year), computed once per distinct day instead of a Date per row.
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const d = day[i] as number;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const span = maxDay - minDay + 1;
  const yearTable = new Int32Array(span);
  const doyTable = new Uint16Array(span);
  for (let year = yearOf(minDay), k = 0; k < span; year++) {
    const next = yearStart(year + 1);
    for (const first = yearStart(year); k < span && minDay + k < next; k++) {
      yearTable[k] = year;
      doyTable[k] = minDay + k - first;
    }
  }
  const before = (x: number, y: number) =>
    (day[x] as number) - (day[y] as number) || (value[x] as number) - (value[y] as number);

  for (let g = 0; g < groups; g++) {
    const from = start[g] as number;
    const to = start[g + 1] as number;
    if (from === to) continue;
    let sorted = true;
    for (let k = from + 1; k < to; k++) {
      if (before(order[k - 1] as number, order[k] as number) > 0) {
        sorted = false;
        break;
      }
    }
    if (!sorted) order.subarray(from, to).sort(before);
    const accountId = columns.accountIds[Math.floor(g / metricCount)] as string;
    const metricName = columns.metrics[g % metricCount] as string;
    let k = from;
    while (k < to) {
      const year = yearTable[(day[order[k] as number] as number) - minDay] as number;
      let end = k;
      while (end < to && yearTable[(day[order[end] as number] as number) - minDay] === year) end++;
      const days = new Uint16Array(end - k);
      const values = new Float64Array(end - k);
      for (let j = k; j < end; j++) {
        const i = order[j] as number;
        days[j - k] = doyTable[(day[i] as number) - minDay] as number;
        values[j - k] = value[i] as number;
      }
      yield { accountId, metric: metricName, year, days, values };
      k = end;
    }
  }
}

/** How an update changed a block's days: each day of the update is new, updated, or unchanged. */
export interface CellCounts {
  new: number;
  updated: number;
  unchanged: number;
}

/** A block's row after an update, what the update did per day, and the patch that takes it back (see BlockPatch). */
export interface MergedBlock {
  row: YearBlockRow;
  counts: CellCounts;
  /** Null when the block did not exist before. */
  undo: BlockPatch | null;
}

/**
 * Merges a file's observations into a stored block: each day the file has replaces that day's stored values; other
 * days stay. One pass over both (each is sorted by day), so adding a month to a year's block costs the block's
 * length, not a search per day. Re-applying the same update changes nothing.
 */
export function mergeBlock(existing: YearBlockRow | undefined, update: BlockUpdate): MergedBlock {
  const counts: CellCounts = { new: 0, updated: 0, unchanged: 0 };
  const ud = update.days;
  const uv = update.values;
  if (!existing || existing.days.length === 0) {
    for (let j = 0; j < ud.length; j++) if (j === 0 || ud[j] !== ud[j - 1]) counts.new++;
    const row = { accountId: update.accountId, metric: update.metric, year: update.year, days: ud, values: uv };
    return { row, counts, undo: existing ? { touched: uniqueDays(ud), days: EMPTY_DAYS, values: EMPTY_VALUES } : null };
  }
  const ed = existing.days;
  const ev = existing.values;
  const days = new Uint16Array(ed.length + ud.length);
  const values = new Float64Array(ed.length + ud.length);
  const touched = new Uint16Array(ud.length);
  const oldDays = new Uint16Array(ed.length);
  const oldValues = new Float64Array(ed.length);
  let out = 0;
  let touchedCount = 0;
  let oldCount = 0;
  let i = 0;
  let j = 0;
  while (j < ud.length) {
    const d = ud[j] as number;
    let jEnd = j + 1;
    while (jEnd < ud.length && ud[jEnd] === d) jEnd++;
    // The stored days before this one stay as they are.
    while (i < ed.length && (ed[i] as number) < d) {
      days[out] = ed[i] as number;
      values[out++] = ev[i++] as number;
    }
    let iEnd = i;
    while (iEnd < ed.length && ed[iEnd] === d) iEnd++;
    if (iEnd === i) counts.new++;
    else {
      let same = iEnd - i === jEnd - j;
      for (let k = 0; same && k < jEnd - j; k++) same = Object.is(ev[i + k], uv[j + k]);
      if (same) counts.unchanged++;
      else counts.updated++;
      for (; i < iEnd; i++) {
        oldDays[oldCount] = d;
        oldValues[oldCount++] = ev[i] as number;
      }
    }
    touched[touchedCount++] = d;
    for (; j < jEnd; j++) {
      days[out] = d;
      values[out++] = uv[j] as number;
    }
  }
  for (; i < ed.length; i++) {
    days[out] = ed[i] as number;
    values[out++] = ev[i] as number;
  }
  return {
    row: {
      accountId: update.accountId,
      metric: update.metric,
      year: update.year,
      days: days.slice(0, out),
      values: values.slice(0, out),
    },
    counts,
    undo: {
      touched: touched.slice(0, touchedCount),
      days: oldDays.slice(0, oldCount),
      values: oldValues.slice(0, oldCount),
    },
  };
}

const EMPTY_DAYS = new Uint16Array(0);
const EMPTY_VALUES = new Float64Array(0);

/** The distinct days of a sorted day column. */
function uniqueDays(days: Uint16Array): Uint16Array {
  const out = new Uint16Array(days.length);
  let n = 0;
  for (let k = 0; k < days.length; k++) if (k === 0 || days[k] !== days[k - 1]) out[n++] = days[k] as number;
  return out.slice(0, n);
}

/**
 * Takes a block back by an undo patch: its observations on the patch's touched days are replaced by the patch's
 * (both sides sorted by day, so one pass). Returns undefined when nothing is left (undo deletes the row).
 */
export function unpatchBlock(
  current: YearBlockRow | undefined,
  key: { accountId: string; metric: string; year: number },
  patch: BlockPatch,
): YearBlockRow | undefined {
  const cd = current?.days ?? EMPTY_DAYS;
  const cv = current?.values ?? EMPTY_VALUES;
  const touched = new Set(patch.touched);
  const days = new Uint16Array(cd.length + patch.days.length);
  const values = new Float64Array(cd.length + patch.days.length);
  let out = 0;
  let j = 0;
  for (let i = 0; i < cd.length; i++) {
    const d = cd[i] as number;
    // The patch's days are all touched days, which the current block's kept days never are: order by day alone.
    while (j < patch.days.length && (patch.days[j] as number) < d) {
      days[out] = patch.days[j] as number;
      values[out++] = patch.values[j++] as number;
    }
    if (touched.has(d)) continue;
    days[out] = d;
    values[out++] = cv[i] as number;
  }
  for (; j < patch.days.length; j++) {
    days[out] = patch.days[j] as number;
    values[out++] = patch.values[j] as number;
  }
  if (out === 0) return undefined;
  return { ...key, days: days.slice(0, out), values: values.slice(0, out) };
}
