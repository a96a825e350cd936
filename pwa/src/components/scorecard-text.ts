import type {
  Aggregation,
  Condition,
  Factor,
  MissingPolicy,
  Rule,
  Scorecard,
  SimpleSource,
  Source,
} from "../../../core/schema/scorecard.ts";
import { compileScorecard } from "../../../core/scoring/compile.ts";
import { normalizeValue, type RawValue } from "../../../core/scoring/normalize.ts";
import { grouped } from "../../../core/text/words.ts";

/**
 * A scorecard in words, for the editor and the printable explanation. The numbers (shares, n of a value) come from
 * core's scoring functions; this file only phrases them.
 */

/** A number as a CSM reads it: at most two decimals, no trailing zeros. */
export function num(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "—";
  return grouped(Number(value.toFixed(2)), 2);
}

/** Points with one decimal at most: 20, 7.5. */
export const pts = (value: number): string => (Number.isFinite(value) ? grouped(Number(value.toFixed(1))) : "—");

/** A metric's name in words: active_users → active users. */
export const metricWords = (metric: string): string => metric.replace(/_/g, " ").trim() || "(no metric)";

/**
 * Each factor's share of the scorecard in points out of 100, as the score uses them (a group's weight shared by its
 * factors). A draft being typed may be incomplete: a factor whose weight is not a positive number counts 0, and a
 * share that cannot be worked out (an unknown group, no weight at all) is NaN.
 */
export function sharesOf(draft: Scorecard): number[] {
  const usable = (w: number) => (Number.isFinite(w) && w > 0 ? w : 0);
  try {
    const compiled = compileScorecard({
      ...draft,
      factors: draft.factors.map((f) => ({ ...f, weight: usable(f.weight) })),
      groups: draft.groups.map((g) => ({ ...g, weight: usable(g.weight) })),
      bands: [],
    });
    return compiled.shares.map((s) => (Number.isFinite(s) ? s : Number.NaN));
  } catch {
    return draft.factors.map(() => Number.NaN);
  }
}

const AGGREGATION_WORDS: Record<Aggregation, (m: string, w: number) => string> = {
  last: (m, w) => `the latest ${m} in the last ${w} days`,
  sum: (m, w) => `the total ${m} over the last ${w} days`,
  mean: (m, w) => `the average ${m} over the last ${w} days`,
  min: (m, w) => `the lowest ${m} in the last ${w} days`,
  max: (m, w) => `the highest ${m} in the last ${w} days`,
  count: (m, w) => `the number of ${m} in the last ${w} days`,
  daysSince: (m) => `the days since the last day with ${m}`,
  change: (m, w) => `the change in % of the total ${m} over the last ${w} days against the ${w} days before`,
  nps: (m, w) => `the NPS from the ${m} answers (0–10) in the last ${w} days, from −100 to 100`,
};

/** What an aggregation does, for the editor's select. */
export const AGGREGATIONS: readonly (readonly [Aggregation, string])[] = [
  ["last", "Latest value"],
  ["sum", "Total"],
  ["mean", "Average"],
  ["min", "Lowest"],
  ["max", "Highest"],
  ["count", "Number of records"],
  ["daysSince", "Days since the last one"],
  ["change", "Change vs the window before (%)"],
  ["nps", "NPS of 0–10 answers"],
];

/** Where a value comes from, as a phrase: "the average active users over the last 30 days". */
export function sourceWords(source: Source | SimpleSource): string {
  switch (source.kind) {
    case "metric":
      return (AGGREGATION_WORDS[source.aggregation] ?? AGGREGATION_WORDS.last)(
        metricWords(source.metric),
        source.windowDays,
      );
    case "attribute":
      return `the account's ${source.key || "(no attribute)"}`;
    case "tenureDays":
      return "the days since the account started";
    case "ratio":
      return `${sourceWords(source.numerator)} divided by ${sourceWords(source.denominator)}`;
  }
}

/** How a rule turns values into points, as a sentence, for a factor worth `share` points. */
export function ruleWords(rule: Rule, share: number): string {
  const p = (n: number) => `${pts(n * share)} points`;
  switch (rule.kind) {
    case "linear":
      return rule.worst <= rule.best
        ? `${num(rule.worst)} or less earns 0 points, ${num(rule.best)} or more earns all ${pts(share)}, and values between earn points in proportion.`
        : `Lower is better: ${num(rule.worst)} or more earns 0 points, ${num(rule.best)} or less earns all ${pts(share)}, and values between earn points in proportion.`;
    case "steps": {
      const parts = rule.steps.map((s, i) => {
        const prev = rule.steps[i - 1]?.upTo;
        if (s.upTo !== undefined) return `up to ${num(s.upTo)} earns ${p(s.n)}`;
        return prev === undefined ? `any value earns ${p(s.n)}` : `above ${num(prev)} earns ${p(s.n)}`;
      });
      return `${capitalize(parts.join("; "))}.`;
    }
    case "categorical": {
      const parts = Object.entries(rule.map).map(([k, n]) => `“${k}” earns ${p(n)}`);
      const other =
        rule.default === undefined ? "any other value counts as no data" : `any other value earns ${p(rule.default)}`;
      return `${capitalize([...parts, other].join("; "))}.`;
    }
    case "boolean":
      return `Yes earns ${p(rule.true)}, no earns ${p(rule.false)}.`;
  }
}

/** What happens when a factor has no data. */
export function missingWords(missing: MissingPolicy, share: number): string {
  switch (missing.policy) {
    case "skip":
      return "With no data it is left out, and the other factors' points are scaled up to 100.";
    case "zero":
      return "With no data it earns 0 points.";
    case "assume":
      return `With no data it counts as ${pts(missing.n * share)} points.`;
  }
}

/** One factor as a paragraph a CSM understands: what it reads, how it earns points, what missing data does. */
export function factorSentence(factor: Factor, share: number): string {
  return `${capitalize(sourceWords(factor.source))}. ${ruleWords(factor.rule, share)} ${missingWords(factor.missing, share)}`;
}

/** One "applies to" condition in words. */
export function conditionWords(c: Condition): string {
  switch (c.kind) {
    case "equals":
      return `${c.attribute} is ${String(c.value)}`;
    case "in":
      return `${c.attribute} is one of ${c.values.join(", ")}`;
    case "range":
      return c.min !== undefined && c.max !== undefined
        ? `${c.attribute} is from ${num(c.min)} to ${num(c.max)}`
        : c.min !== undefined
          ? `${c.attribute} is at least ${num(c.min)}`
          : c.max !== undefined
            ? `${c.attribute} is at most ${num(c.max)}`
            : `${c.attribute} has a number`;
    case "stage":
      return `lifecycle stage is ${c.stages.join(" or ")}`;
    case "tenure":
      return c.minDays !== undefined && c.maxDays !== undefined
        ? `customer for ${c.minDays} to ${c.maxDays} days`
        : c.maxDays !== undefined
          ? `in the first ${c.maxDays} days as a customer`
          : c.minDays !== undefined
            ? `customer for ${c.minDays} days or more`
            : "has a start date";
  }
}

/** Which accounts a scorecard applies to, in words. */
export function appliesWords(conditions: readonly Condition[]): string {
  return conditions.length === 0 ? "Every account" : capitalize(conditions.map(conditionWords).join(" and "));
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A few values and the n and points each earns under a rule, for the editor's "value → points" table. */
export function ruleSamples(rule: Rule, share: number): { value: string; n: number; points: number }[] {
  const sample = (label: string, value: RawValue) => {
    let n: number;
    try {
      n = normalizeValue(rule, value);
    } catch {
      n = Number.NaN;
    }
    return { value: label, n, points: n * share };
  };
  switch (rule.kind) {
    case "linear": {
      const { worst, best } = rule;
      if (!Number.isFinite(worst) || !Number.isFinite(best)) return [];
      return [0, 0.25, 0.5, 0.75, 1].map((t) => {
        const v = worst + (best - worst) * t;
        return sample(num(v), v);
      });
    }
    case "steps":
      return rule.steps.flatMap((s, i) => {
        if (s.upTo !== undefined) return Number.isFinite(s.upTo) ? [sample(`≤ ${num(s.upTo)}`, s.upTo)] : [];
        const prev = rule.steps[i - 1]?.upTo;
        if (prev === undefined) return [sample("any", 0)];
        return Number.isFinite(prev) ? [sample(`> ${num(prev)}`, prev + 1)] : [];
      });
    case "categorical":
      return [
        ...Object.keys(rule.map).map((k) => sample(k, k)),
        rule.default === undefined
          ? { value: "any other", n: Number.NaN, points: Number.NaN }
          : { value: "any other", n: rule.default, points: rule.default * share },
      ];
    case "boolean":
      return [sample("yes", true), sample("no", false)];
  }
}
