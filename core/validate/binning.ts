/**
 * Bins of a factor's raw values, chosen from the training cases only, as credit scorecards do: a category with
 * enough accounts is a bin of its own (the rare ones share "other"), a yes/no has two, and a number is cut into
 * quantile steps merged until each holds enough accounts and churn rises or falls monotonically from step to
 * step. Every binning also has a "missing" bin. Pure functions of the training cases, so cross-validation can
 * bin inside each fold.
 */

/** What kind of values a column holds. */
export type ColumnKind = "categorical" | "numeric" | "boolean";

/** A column's raw value per case: numbers (NaN missing), or text keys (null missing; yes/no as "true"/"false"). */
export type ColumnValues =
  | { kind: "numeric"; values: Float64Array }
  | { kind: "categorical" | "boolean"; values: readonly (string | null)[] };

/** How a column's values fall into bins. Bins are numbered as in `binLabels`; the missing bin is last. */
export type Binning =
  | { kind: "categorical"; categories: string[] }
  | { kind: "boolean" }
  | {
      kind: "numeric";
      /** Upper edges (inclusive) of every step but the last, ascending. */
      edges: number[];
      /** +1: churn rises with the value; −1: it falls. */
      direction: 1 | -1;
    };

/** Bins a binning has (its missing bin included). */
export function binCount(binning: Binning): number {
  switch (binning.kind) {
    case "categorical":
      return binning.categories.length + 2; // each category, "other", missing
    case "boolean":
      return 3; // false, true, missing
    case "numeric":
      return binning.edges.length + 2; // each step, missing
  }
}

/** The index of the missing bin. */
export const missingBin = (binning: Binning) => binCount(binning) - 1;

/** The bin of case `i`. */
export function binOf(column: ColumnValues, binning: Binning, i: number): number {
  if (column.kind === "numeric") {
    if (binning.kind !== "numeric") throw new Error("a numeric column needs a numeric binning");
    const v = column.values[i] as number;
    if (Number.isNaN(v)) return missingBin(binning);
    let b = 0;
    while (b < binning.edges.length && v > (binning.edges[b] as number)) b++;
    return b;
  }
  const v = column.values[i] ?? null;
  if (v === null) return missingBin(binning);
  if (binning.kind === "boolean") return v === "true" ? 1 : 0;
  if (binning.kind !== "categorical") throw new Error("a text column needs a categorical or yes/no binning");
  const at = binning.categories.indexOf(v);
  return at >= 0 ? at : binning.categories.length;
}

/** Words for each bin ("≤ 12", "13 – 24", "> 60", "Annual", "other", "yes", "missing"). */
export function binLabels(binning: Binning): string[] {
  switch (binning.kind) {
    case "categorical":
      return [...binning.categories, "other", "missing"];
    case "boolean":
      return ["no", "yes", "missing"];
    case "numeric": {
      const e = binning.edges;
      const fmt = (x: number) => String(Number(x.toPrecision(6)));
      if (e.length === 0) return ["any value", "missing"];
      return [
        `≤ ${fmt(e[0] as number)}`,
        ...e.slice(1).map((edge, j) => `${fmt(e[j] as number)} < v ≤ ${fmt(edge)}`),
        `> ${fmt(e.at(-1) as number)}`,
        "missing",
      ];
    }
  }
}

/** Least accounts a category needs to be a bin of its own: the rest share "other". */
export const categorySupport = (cases: number) => Math.max(5, Math.ceil(cases * 0.005));
/** Least accounts in a numeric step (5% of the training cases, as scorecards commonly use). */
export const stepSupport = (cases: number) => Math.max(10, Math.ceil(cases * 0.05));
/** Quantile steps a number starts with, before merging. */
const START_STEPS = 10;

interface Step {
  /** Highest value in the step. */
  last: number;
  cases: number;
  churned: number;
}

/**
 * Bins a column from the training cases `rows` (their outcomes in `churned`). `monotone`: numeric steps are
 * merged until churn moves one way (the scorecard's); the reference fit leaves them free.
 */
export function chooseBinning(
  column: ColumnValues,
  churned: ArrayLike<number>,
  rows: ArrayLike<number>,
  monotone = true,
): Binning {
  if (column.kind !== "numeric") {
    if (column.kind === "boolean") return { kind: "boolean" };
    const counts = new Map<string, number>();
    for (let k = 0; k < rows.length; k++) {
      const v = column.values[rows[k] as number] ?? null;
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const least = categorySupport(rows.length);
    const categories = [...counts.entries()]
      .filter(([, c]) => c >= least)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([v]) => v);
    return { kind: "categorical", categories };
  }
  // Numbers: sort the present training values, cut at quantiles, merge small steps, then merge violators.
  const present: { v: number; y: number }[] = [];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const v = column.values[i] as number;
    if (!Number.isNaN(v)) present.push({ v, y: churned[i] ? 1 : 0 });
  }
  present.sort((a, b) => a.v - b.v);
  if (present.length === 0) return { kind: "numeric", edges: [], direction: 1 };
  let steps: Step[] = [];
  const perStep = present.length / START_STEPS;
  let current: Step | null = null;
  for (let j = 0; j < present.length; j++) {
    const { v, y } = present[j] as { v: number; y: number };
    // A step ends at a quantile, never between equal values.
    const full = current !== null && current.cases >= perStep && v !== current.last;
    if (current === null || full) {
      current = { last: v, cases: 0, churned: 0 };
      steps.push(current);
    }
    current.last = v;
    current.cases++;
    current.churned += y;
  }
  const merge = (a: Step, b: Step): Step => ({
    last: Math.max(a.last, b.last),
    cases: a.cases + b.cases,
    churned: a.churned + b.churned,
  });
  // Enough accounts per step: fold each small step into its smaller neighbour.
  const least = stepSupport(rows.length);
  for (;;) {
    let smallest = -1;
    steps.forEach((s, j) => {
      if (s.cases < least && (smallest < 0 || s.cases < (steps[smallest] as Step).cases)) smallest = j;
    });
    if (smallest < 0 || steps.length < 2) break;
    const left = steps[smallest - 1];
    const right = steps[smallest + 1];
    const into = !right || (left && left.cases <= right.cases) ? smallest - 1 : smallest + 1;
    const [a, b] = into < smallest ? [into, smallest] : [smallest, into];
    steps.splice(a, 2, merge(steps[a] as Step, steps[b] as Step));
  }
  // Which way churn goes: the sign of its correlation with the value's rank among the steps.
  let sxy = 0;
  let sx = 0;
  let sy = 0;
  let n = 0;
  steps.forEach((s, j) => {
    sxy += j * s.churned;
    sx += j * s.cases;
    sy += s.churned;
    n += s.cases;
  });
  const direction: 1 | -1 = sxy - (sx * sy) / Math.max(1, n) >= 0 ? 1 : -1;
  if (monotone) steps = poolViolators(steps, direction);
  return { kind: "numeric", edges: steps.slice(0, -1).map((s) => s.last), direction };
}

/** Pools adjacent steps until churn rates move in `direction` (pool-adjacent-violators). */
function poolViolators(steps: Step[], direction: 1 | -1): Step[] {
  const out: Step[] = [];
  for (const step of steps) {
    out.push({ ...step });
    for (;;) {
      const upper = out.at(-1) as Step;
      const lower = out.at(-2);
      if (!lower) break;
      // Rates compared by cross-multiplying: lower's rate vs upper's, against the direction.
      const diff = upper.churned * lower.cases - lower.churned * upper.cases;
      if (direction * diff >= 0) break;
      out.pop();
      out[out.length - 1] = {
        last: upper.last,
        cases: lower.cases + upper.cases,
        churned: lower.churned + upper.churned,
      };
    }
  }
  return out;
}

/** A numeric binning with the steps j and j+1 merged into one. */
export function mergeSteps(binning: Binning & { kind: "numeric" }, j: number): Binning {
  return { ...binning, edges: binning.edges.filter((_, e) => e !== j) };
}
