import { attributeOf } from "../schema/account.ts";
import { parseIsoDay } from "../schema/day.ts";
import type { Factor, SimpleSource, Source } from "../schema/scorecard.ts";
import { aggregateAccount } from "./aggregate.ts";
import type { CompiledScorecard } from "./compile.ts";
import { missingStandIn } from "./missing.ts";
import { normalizeNumber, normalizeValue, type RawValue, toNumber } from "./normalize.ts";
import { accountAt, type PortfolioData } from "./series.ts";

/**
 * A factor's values for a set of accounts (rows) over a set of as-of days, row-major (row × days).
 * Categorical and yes/no attributes do not vary by day and are kept as one raw value per row.
 */
export interface FactorValues {
  /** Numeric raw values, NaN where missing; absent for categorical/yes-no attributes. */
  readonly numeric?: Float64Array;
  /** Raw attribute values per row, when the factor reads a categorical or yes/no attribute. */
  readonly constant?: readonly RawValue[];
  /** Normalized n per (row, day), NaN where missing. */
  readonly n: Float64Array;
}

/** One scorecard evaluated over rows × days. */
export interface Evaluation {
  readonly compiled: CompiledScorecard;
  readonly rows: Int32Array;
  readonly days: Int32Array;
  readonly factors: readonly FactorValues[];
  /** Unrounded score per (row, day); NaN is a null score. */
  readonly score: Float64Array;
  /** Coverage per (row, day). */
  readonly coverage: Float64Array;
}

/** Signals work to stop; checked between chunks of accounts. */
export interface Cancellation {
  readonly aborted: boolean;
}

function numericSource(
  portfolio: PortfolioData,
  source: SimpleSource,
  rows: Int32Array,
  days: Int32Array,
  out: Float64Array,
): void {
  const m = days.length;
  switch (source.kind) {
    case "metric": {
      const series = portfolio.series.get(source.metric);
      if (!series) {
        out.fill(Number.NaN);
        return;
      }
      for (let r = 0; r < rows.length; r++) {
        aggregateAccount(series, rows[r] as number, source.aggregation, source.windowDays, days, out, r * m);
      }
      return;
    }
    case "attribute":
      for (let r = 0; r < rows.length; r++) {
        const v = toNumber(attributeOf(accountAt(portfolio, rows[r] as number), source.key));
        out.fill(v, r * m, (r + 1) * m);
      }
      return;
    case "tenureDays":
      for (let r = 0; r < rows.length; r++) {
        const account = portfolio.accounts[rows[r] as number];
        const start = account?.startDate === undefined ? undefined : parseIsoDay(account.startDate);
        for (let j = 0; j < m; j++) {
          const tenure = start === undefined ? Number.NaN : (days[j] as number) - start;
          // Before its start date an account has no tenure yet: missing, not negative.
          out[r * m + j] = tenure >= 0 ? tenure : Number.NaN;
        }
      }
      return;
  }
}

/** True when a factor reads a category or yes/no straight from an attribute (no numeric value). */
function isConstantCategorical(factor: Factor): boolean {
  return factor.source.kind === "attribute" && (factor.rule.kind === "categorical" || factor.rule.kind === "boolean");
}

/**
 * Reusable arrays for evaluating chunk after chunk of the same size (score history): the arrays an evaluation
 * returns are views into it, valid until the next evaluation with the same workspace. Saves the garbage of a few
 * MB per factor per chunk.
 */
export class Workspace {
  readonly #arrays = new Map<string, Float64Array>();
  /** A Float64Array view of `size` elements for a role (e.g. "n:3"); contents undefined. */
  take(role: string, size: number): Float64Array {
    let array = this.#arrays.get(role);
    if (!array || array.length < size) {
      array = new Float64Array(size);
      this.#arrays.set(role, array);
    }
    return array.subarray(0, size);
  }
}

/** Fresh arrays (the default): results stay valid for as long as the caller keeps them. */
const fresh = { take: (_role: string, size: number) => new Float64Array(size) };

/** Evaluates one factor's raw values and n over rows × days. */
export function evaluateFactor(
  portfolio: PortfolioData,
  factor: Factor,
  rows: Int32Array,
  days: Int32Array,
  workspace: Pick<Workspace, "take"> = fresh,
  index = 0,
): FactorValues {
  const m = days.length;
  const size = rows.length * m;
  const n = workspace.take(`n:${index}`, size);
  const source: Source = factor.source;
  if (isConstantCategorical(factor) && source.kind === "attribute") {
    const constant = Array.from(rows, (row) => attributeOf(accountAt(portfolio, row), source.key));
    constant.forEach((value, r) => {
      n.fill(normalizeValue(factor.rule, value), r * m, (r + 1) * m);
    });
    return { constant, n };
  }
  const numeric = workspace.take(`numeric:${index}`, size);
  if (source.kind === "ratio") {
    numericSource(portfolio, source.numerator, rows, days, numeric);
    const denominator = workspace.take(`denominator:${index}`, size);
    numericSource(portfolio, source.denominator, rows, days, denominator);
    for (let k = 0; k < size; k++) {
      const d = denominator[k] as number;
      // Division by zero is missing (docs/scoring.md); NaN on either side stays NaN.
      numeric[k] = d === 0 ? Number.NaN : (numeric[k] as number) / d;
    }
  } else {
    numericSource(portfolio, source, rows, days, numeric);
  }
  for (let k = 0; k < size; k++) n[k] = normalizeNumber(factor.rule, numeric[k] as number);
  return { numeric, n };
}

/**
 * Scores rows × days from the factors' n: score = 100 × Σ wᵢ·nᵢ ÷ Σ wᵢ over the factors counted, where a
 * missing factor is skipped, counted as 0, or counted as its assumed n. Coverage is the weight present over the
 * total; below the scorecard's minCoverage the score is null (NaN).
 */
export function combine(
  compiled: CompiledScorecard,
  factors: readonly FactorValues[],
  size: number,
  workspace: Pick<Workspace, "take"> = fresh,
): { score: Float64Array; coverage: Float64Array } {
  const { card, weights, totalWeight } = compiled;
  const score = workspace.take("score", size);
  const coverage = workspace.take("coverage", size);
  // What each factor counts as where its n is missing (NaN: skipped).
  const standIns = card.factors.map((f) => missingStandIn(f.missing));
  for (let k = 0; k < size; k++) {
    let num = 0;
    let den = 0;
    let present = 0;
    for (let i = 0; i < factors.length; i++) {
      const w = weights[i] as number;
      const n = (factors[i] as FactorValues).n[k] as number;
      if (!Number.isNaN(n)) {
        num += w * n;
        den += w;
        present += w;
        continue;
      }
      const standIn = standIns[i] as number;
      if (!Number.isNaN(standIn)) {
        num += w * standIn;
        den += w;
      }
    }
    const cov = present / totalWeight;
    coverage[k] = cov;
    if (den === 0 || cov < card.minCoverage - 1e-12) score[k] = Number.NaN;
    else {
      const s = (100 * num) / den;
      score[k] = s < 0 ? 0 : Math.min(s, 100);
    }
  }
  return { score, coverage };
}

/** Evaluates a compiled scorecard for the given account rows over ascending as-of days. */
export function evaluate(
  portfolio: PortfolioData,
  compiled: CompiledScorecard,
  rows: Int32Array,
  days: Int32Array,
  workspace: Pick<Workspace, "take"> = fresh,
): Evaluation {
  for (let j = 1; j < days.length; j++) {
    if ((days[j] as number) <= (days[j - 1] as number)) throw new Error("as-of days must be strictly ascending");
  }
  const factors = compiled.card.factors.map((f, i) => evaluateFactor(portfolio, f, rows, days, workspace, i));
  const { score, coverage } = combine(compiled, factors, rows.length * days.length, workspace);
  return { compiled, rows, days, factors, score, coverage };
}
