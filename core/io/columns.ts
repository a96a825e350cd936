import type { Day } from "../schema/day.ts";
import type { MetricColumns } from "../scoring/series.ts";

/**
 * Observations as growing parallel columns: account and metric as indices into name tables, then day and value.
 * Millions of rows stay a few typed arrays instead of millions of objects.
 */
export class ObservationColumns {
  readonly accountIds: string[] = [];
  readonly metrics: string[] = [];
  readonly #accountIndex = new Map<string, number>();
  readonly #metricIndex = new Map<string, number>();
  #account = new Int32Array(1024);
  #metric = new Int32Array(1024);
  #day = new Int32Array(1024);
  #value = new Float64Array(1024);
  #length = 0;

  /** Number of observations. */
  get length(): number {
    return this.#length;
  }

  /** Appends one observation. */
  push(accountId: string, metric: string, day: Day, value: number): void {
    this.pushIndexed(this.accountIndex(accountId), this.metricIndex(metric), day, value);
  }

  /** The index of an account in `accountIds`, added when new (for pushIndexed). */
  accountIndex(accountId: string): number {
    let a = this.#accountIndex.get(accountId);
    if (a === undefined) {
      a = this.accountIds.push(accountId) - 1;
      this.#accountIndex.set(accountId, a);
    }
    return a;
  }

  /** The index of a metric in `metrics`, added when new (for pushIndexed). */
  metricIndex(metric: string): number {
    let m = this.#metricIndex.get(metric);
    if (m === undefined) {
      m = this.metrics.push(metric) - 1;
      this.#metricIndex.set(metric, m);
    }
    return m;
  }

  /** Appends one observation of an account and metric given by their indices (accountIndex, metricIndex). */
  pushIndexed(a: number, m: number, day: Day, value: number): void {
    if (this.#length === this.#account.length) this.#grow();
    const i = this.#length++;
    this.#account[i] = a;
    this.#metric[i] = m;
    this.#day[i] = day;
    this.#value[i] = value;
  }

  #grow(): void {
    const size = this.#account.length * 2;
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.#account = grow(this.#account, (n) => new Int32Array(n));
    this.#metric = grow(this.#metric, (n) => new Int32Array(n));
    this.#day = grow(this.#day, (n) => new Int32Array(n));
    this.#value = grow(this.#value, (n) => new Float64Array(n));
  }

  /** The columns, trimmed to length (views, not copies). */
  columns(): { account: Int32Array; metric: Int32Array; day: Int32Array; value: Float64Array } {
    const n = this.#length;
    return {
      account: this.#account.subarray(0, n),
      metric: this.#metric.subarray(0, n),
      day: this.#day.subarray(0, n),
      value: this.#value.subarray(0, n),
    };
  }
}

/** The values of one (account, metric, day), as tests and previews read them. */
export interface ObservationCell {
  accountId: string;
  metric: string;
  day: Day;
  values: number[];
}

/** Groups columns into cells sorted by account, metric and day (values in file order). For tests and previews. */
export function cellsOf(columns: ObservationColumns): ObservationCell[] {
  const { account, metric, day, value } = columns.columns();
  const cells = new Map<string, ObservationCell>();
  for (let i = 0; i < columns.length; i++) {
    const accountId = columns.accountIds[account[i] as number] as string;
    const name = columns.metrics[metric[i] as number] as string;
    const d = day[i] as number;
    const key = `${accountId}\u0000${name}\u0000${d}`;
    const cell = cells.get(key);
    if (cell) cell.values.push(value[i] as number);
    else cells.set(key, { accountId, metric: name, day: d, values: [value[i] as number] });
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...cells.values()].sort((x, y) => cmp(x.accountId, y.accountId) || cmp(x.metric, y.metric) || x.day - y.day);
}

/**
 * Per-metric columns for scoring, from one or more ObservationColumns (several files), with account ids turned
 * into indices of `accountIndex`. Observations of an account not in the index are an error naming it.
 */
export function metricColumnsOf(
  sources: readonly ObservationColumns[],
  accountIndex: ReadonlyMap<string, number>,
): MetricColumns[] {
  const counts = new Map<string, number>();
  for (const source of sources) {
    const { metric } = source.columns();
    const perMetric = new Int32Array(source.metrics.length);
    for (const m of metric) perMetric[m] = (perMetric[m] as number) + 1;
    source.metrics.forEach((name, m) => {
      counts.set(name, (counts.get(name) ?? 0) + (perMetric[m] as number));
    });
  }
  const out = new Map<string, MetricColumns & { filled: number }>();
  for (const [metric, n] of counts) {
    out.set(metric, {
      metric,
      account: new Int32Array(n),
      day: new Int32Array(n),
      value: new Float64Array(n),
      filled: 0,
    });
  }
  for (const source of sources) {
    const { account, metric, day, value } = source.columns();
    const targets = source.metrics.map((name) => out.get(name) as MetricColumns & { filled: number });
    const indices = source.accountIds.map((id) => {
      const at = accountIndex.get(id);
      if (at === undefined) throw new Error(`observations of account "${id}", which is not among the accounts`);
      return at;
    });
    for (let i = 0; i < source.length; i++) {
      const target = targets[metric[i] as number] as MetricColumns & { filled: number };
      const k = target.filled++;
      target.account[k] = indices[account[i] as number] as number;
      target.day[k] = day[i] as number;
      target.value[k] = value[i] as number;
    }
  }
  return [...out.values()].map(({ metric, account, day, value }) => ({ metric, account, day, value }));
}
