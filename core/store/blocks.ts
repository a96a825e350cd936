import type { ObservationColumns } from "../io/columns.ts";
import type { Day } from "../schema/day.ts";
import type { BlockRow } from "./db.ts";

const MS_PER_DAY = 86_400_000;

/** The block month (year × 12 + month − 1) of a day. */
export function monthOf(day: Day): number {
  const d = new Date(day * MS_PER_DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The day (days since 1970-01-01) of a block month's day-of-month. */
export function dayOf(month: number, dayOfMonth: number): Day {
  return Date.UTC(Math.floor(month / 12), month % 12, dayOfMonth) / MS_PER_DAY;
}

/** A file's observations for one account × metric × month, sorted by day then value. */
export interface BlockUpdate {
  readonly accountId: string;
  readonly metric: string;
  readonly month: number;
  readonly days: Uint8Array;
  readonly values: Float64Array;
}

/**
 * Groups observation columns into block updates, in O(rows): a counting sort by (account, metric), a check that
 * each group is already in day order (exports usually are) with a sort only where it is not, then a split by month.
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
  // Day → (month, day of month), computed once per distinct day instead of a Date per row.
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const d = day[i] as number;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const span = maxDay - minDay + 1;
  const monthTable = new Int32Array(span);
  const domTable = new Uint8Array(span);
  for (let k = 0; k < span; k++) {
    const d = new Date((minDay + k) * MS_PER_DAY);
    monthTable[k] = d.getUTCFullYear() * 12 + d.getUTCMonth();
    domTable[k] = d.getUTCDate();
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
      const month = monthTable[(day[order[k] as number] as number) - minDay] as number;
      let end = k;
      while (end < to && monthTable[(day[order[end] as number] as number) - minDay] === month) end++;
      const days = new Uint8Array(end - k);
      const values = new Float64Array(end - k);
      for (let j = k; j < end; j++) {
        const i = order[j] as number;
        days[j - k] = domTable[(day[i] as number) - minDay] as number;
        values[j - k] = value[i] as number;
      }
      yield { accountId, metric: metricName, month, days, values };
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

/**
 * Merges a file's observations into a stored block: each day the file has replaces that day's stored values;
 * other days stay. Re-applying the same update changes nothing.
 */
export function mergeBlock(existing: BlockRow | undefined, update: BlockUpdate): { row: BlockRow; counts: CellCounts } {
  const counts: CellCounts = { new: 0, updated: 0, unchanged: 0 };
  const fileDays = new Set(update.days);
  const keptDays: number[] = [];
  const keptValues: number[] = [];
  const oldByDay = new Map<number, number[]>();
  if (existing) {
    for (let k = 0; k < existing.days.length; k++) {
      const d = existing.days[k] as number;
      const v = existing.values[k] as number;
      if (fileDays.has(d)) {
        const list = oldByDay.get(d);
        if (list) list.push(v);
        else oldByDay.set(d, [v]);
      } else {
        keptDays.push(d);
        keptValues.push(v);
      }
    }
  }
  let k = 0;
  while (k < update.days.length) {
    const d = update.days[k] as number;
    let end = k;
    while (end < update.days.length && update.days[end] === d) end++;
    const old = oldByDay.get(d);
    if (!old) counts.new++;
    else if (old.length === end - k && old.every((v, j) => Object.is(v, update.values[k + j]))) counts.unchanged++;
    else counts.updated++;
    k = end;
  }
  if (!existing || keptDays.length === 0) {
    return {
      row: {
        accountId: update.accountId,
        metric: update.metric,
        month: update.month,
        days: update.days,
        values: update.values,
      },
      counts,
    };
  }
  // Interleave kept days and the file's days, keeping (day, value) order.
  const total = keptDays.length + update.days.length;
  const days = new Uint8Array(total);
  const values = new Float64Array(total);
  let a = 0;
  let b = 0;
  for (let out = 0; out < total; out++) {
    const takeKept =
      b >= update.days.length ||
      (a < keptDays.length &&
        ((keptDays[a] as number) < (update.days[b] as number) ||
          (keptDays[a] === update.days[b] && (keptValues[a] as number) <= (update.values[b] as number))));
    if (takeKept) {
      days[out] = keptDays[a] as number;
      values[out] = keptValues[a++] as number;
    } else {
      days[out] = update.days[b] as number;
      values[out] = update.values[b++] as number;
    }
  }
  return { row: { accountId: update.accountId, metric: update.metric, month: update.month, days, values }, counts };
}
