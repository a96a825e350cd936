// A deliberately naive transcription of the scoring rules (docs/scoring.md), written without looking at
// core/scoring: per-account objects holding arrays of { day, value }, and every window re-scanned and re-summed for
// every day. It is the benchmark's baseline and a test oracle for the fast engine, so it favours being obviously
// right over being quick.
import type { Account, AttributeValue } from "../../core/schema/account.ts";
import { parseIsoDay } from "../../core/schema/day.ts";
import type { Condition, Factor, Rule, Scorecard, SimpleSource, Source } from "../../core/schema/scorecard.ts";

/** One observation of one metric: the day (days since 1970-01-01) and the value. */
export interface NaivePoint {
  day: number;
  value: number;
}

/** An account's observations by metric name, each list in any order. */
export type ObservationsByMetric = ReadonlyMap<string, readonly NaivePoint[]>;

/** One factor's part in a naive score. */
export interface NaiveFactor {
  id: string;
  /** Raw value; null when missing. */
  value: AttributeValue;
  /** Normalized n; null when missing. */
  n: number | null;
}

/** A naive score: the unrounded score (null: not enough data), its coverage and the factors. */
export interface NaiveResult {
  score: number | null;
  coverage: number;
  /** Grade of the band, chosen on the score as shown (rounded half up); "—" for a null score. */
  grade: string;
  factors: NaiveFactor[];
}

const WELL_KNOWN = [
  "plan",
  "segment",
  "stage",
  "owner",
  "industry",
  "region",
  "arr",
  "seats",
  "startDate",
  "renewalDate",
];

/** An account attribute by name (a well-known field, else a custom one); empty text and absent fields are null. */
export function naiveAttribute(account: Account, key: string): AttributeValue {
  const record = account as unknown as Record<string, unknown>;
  const value = WELL_KNOWN.includes(key) ? record[key] : account.attributes[key];
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  return null;
}

/** A raw value read as a number: numbers as they are, yes/no as 1/0, numeric text parsed; anything else null. */
function asNumber(value: AttributeValue): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value.trim()))) {
    return Number(value.trim());
  }
  return null;
}

/** Observations of a metric on days in [first, last]. */
function inRange(points: readonly NaivePoint[], first: number, last: number): NaivePoint[] {
  const chosen: NaivePoint[] = [];
  for (const p of points) if (p.day >= first && p.day <= last) chosen.push(p);
  return chosen;
}

/** A metric aggregated over the window of `windowDays` days ending on `asOf` (inclusive); null when missing. */
export function naiveAggregate(
  points: readonly NaivePoint[],
  aggregation: string,
  windowDays: number,
  asOf: number,
): number | null {
  const start = asOf - windowDays + 1;
  if (aggregation === "daysSince") {
    // All history up to the as-of day: days since the latest observation with a value above 0.
    let latest: number | null = null;
    for (const p of points) if (p.day <= asOf && p.value > 0 && (latest === null || p.day > latest)) latest = p.day;
    return latest === null ? null : asOf - latest;
  }
  const window = inRange(points, start, asOf);
  if (window.length === 0) return null;
  let sum = 0;
  for (const p of window) sum += p.value;
  switch (aggregation) {
    case "last": {
      // The latest day's value; of two values on one day, the larger (docs/scoring.md), so the answer never depends
      // on input order.
      let latest = window[0] as NaivePoint;
      for (const p of window) if (p.day > latest.day || (p.day === latest.day && p.value > latest.value)) latest = p;
      return latest.value;
    }
    case "sum":
      return sum;
    case "mean":
      return sum / window.length;
    case "min":
      return Math.min(...window.map((p) => p.value));
    case "max":
      return Math.max(...window.map((p) => p.value));
    case "count":
      return window.length;
    case "change": {
      // The previous window has the same length and ends the day before this one starts.
      const previous = inRange(points, start - windowDays, start - 1);
      if (previous.length === 0) return null;
      let before = 0;
      for (const p of previous) before += p.value;
      if (before === 0) return null; // a relative change from nothing is undefined
      return ((sum - before) / Math.abs(before)) * 100;
    }
    case "nps": {
      const answers = window.filter((p) => p.value >= 0 && p.value <= 10);
      if (answers.length === 0) return null;
      const promoters = answers.filter((p) => p.value >= 9).length;
      const detractors = answers.filter((p) => p.value <= 6).length;
      return ((promoters - detractors) / answers.length) * 100;
    }
    default:
      throw new Error(`unknown aggregation "${aggregation}"`);
  }
}

/** A simple (non-ratio) source's value as of a day; null when missing. */
function simpleValue(account: Account, observations: ObservationsByMetric, source: SimpleSource, asOf: number) {
  switch (source.kind) {
    case "metric":
      return naiveAggregate(observations.get(source.metric) ?? [], source.aggregation, source.windowDays, asOf);
    case "attribute":
      return naiveAttribute(account, source.key);
    case "tenureDays": {
      const start = account.startDate === undefined ? undefined : parseIsoDay(account.startDate);
      // Before the start date there is no tenure yet.
      return start === undefined || asOf < start ? null : asOf - start;
    }
  }
}

/** A factor's raw value as of a day; a ratio is missing when either side is missing or the denominator is 0. */
export function naiveValue(
  account: Account,
  observations: ObservationsByMetric,
  source: Source,
  asOf: number,
): AttributeValue {
  if (source.kind !== "ratio") return simpleValue(account, observations, source, asOf);
  const top = asNumber(simpleValue(account, observations, source.numerator, asOf));
  const bottom = asNumber(simpleValue(account, observations, source.denominator, asOf));
  if (top === null || bottom === null || bottom === 0) return null;
  return top / bottom;
}

const TRUE = ["true", "yes", "y", "1"];
const FALSE = ["false", "no", "n", "0"];

/** A raw value mapped to n in [0, 1] by a rule; null when missing or unreadable by the rule. */
export function naiveNormalize(rule: Rule, value: AttributeValue): number | null {
  if (value === null) return null;
  switch (rule.kind) {
    case "linear": {
      const v = asNumber(value);
      if (v === null) return null;
      return Math.min(1, Math.max(0, (v - rule.worst) / (rule.best - rule.worst)));
    }
    case "steps": {
      const v = asNumber(value);
      if (v === null) return null;
      for (const step of rule.steps) if (step.upTo === undefined || v <= step.upTo) return step.n;
      return null;
    }
    case "categorical": {
      const text = String(value).trim();
      const exact = Object.entries(rule.map).find(([k]) => k === text);
      const loose = Object.entries(rule.map).find(([k]) => k.toLowerCase() === text.toLowerCase());
      return (exact ?? loose)?.[1] ?? rule.default ?? null;
    }
    case "boolean": {
      const word = String(value).trim().toLowerCase();
      if (TRUE.includes(word)) return rule.true;
      if (FALSE.includes(word)) return rule.false;
      return null;
    }
  }
}

/** Effective weight of a factor: its own, or its group's weight shared in proportion to the group's factors. */
export function naiveWeight(card: Scorecard, factor: Factor): number {
  if (factor.group === undefined) return factor.weight;
  const group = card.groups.find((g) => g.id === factor.group);
  if (!group) throw new Error(`group "${factor.group}" is not defined`);
  const inGroup = card.factors.filter((f) => f.group === factor.group).reduce((s, f) => s + f.weight, 0);
  return (group.weight * factor.weight) / inGroup;
}

/** Whether one `appliesTo` condition holds for an account on a day. */
export function naiveCondition(condition: Condition, account: Account, asOf: number): boolean {
  const same = (a: AttributeValue, b: string | number | boolean) => {
    if (a === null) return false;
    if (typeof a === "string" && typeof b === "string") return a.trim().toLowerCase() === b.trim().toLowerCase();
    if (typeof a === "number" || typeof b === "number") {
      const x = asNumber(a);
      const y = asNumber(b);
      return x !== null && x === y;
    }
    return a === b;
  };
  switch (condition.kind) {
    case "equals":
      return same(naiveAttribute(account, condition.attribute), condition.value);
    case "in":
      return condition.values.some((v) => same(naiveAttribute(account, condition.attribute), v));
    case "range": {
      const v = asNumber(naiveAttribute(account, condition.attribute));
      return (
        v !== null &&
        (condition.min === undefined || v >= condition.min) &&
        (condition.max === undefined || v <= condition.max)
      );
    }
    case "stage":
      return condition.stages.some((s) => same(naiveAttribute(account, "stage"), s));
    case "tenure": {
      const start = account.startDate === undefined ? undefined : parseIsoDay(account.startDate);
      if (start === undefined || asOf < start) return false;
      const t = asOf - start;
      return (
        (condition.minDays === undefined || t >= condition.minDays) &&
        (condition.maxDays === undefined || t <= condition.maxDays)
      );
    }
  }
}

/** Whether a scorecard applies to an account on a day. */
export function naiveApplies(card: Scorecard, account: Account, asOf: number): boolean {
  return card.appliesTo.every((c) => naiveCondition(c, account, asOf));
}

/**
 * An account's score on a scorecard as of a day, straight from docs/scoring.md: each factor's value and n, the missing
 * policy, coverage (weight present ÷ total weight), null below minCoverage, and 100 × Σ wᵢ·nᵢ ÷ Σ wᵢ over the
 * factors counted. Does not check `appliesTo` (see `naiveApplies`).
 */
export function naiveScore(
  account: Account,
  observationsByMetric: ObservationsByMetric,
  scorecard: Scorecard,
  asOfDay: number,
): NaiveResult {
  let total = 0;
  let present = 0;
  let weighted = 0;
  let counted = 0;
  const factors: NaiveFactor[] = [];
  for (const factor of scorecard.factors) {
    const w = naiveWeight(scorecard, factor);
    total += w;
    const value = naiveValue(account, observationsByMetric, factor.source, asOfDay);
    const n = naiveNormalize(factor.rule, value);
    factors.push({ id: factor.id, value, n });
    if (n !== null) {
      present += w;
      weighted += w * n;
      counted += w;
    } else if (factor.missing.policy === "zero") {
      counted += w;
    } else if (factor.missing.policy === "assume") {
      weighted += w * factor.missing.n;
      counted += w;
    }
  }
  const coverage = present / total;
  const enough = coverage >= scorecard.minCoverage - 1e-12 && counted > 0;
  const score = enough ? (100 * weighted) / counted : null;
  return { score, coverage, grade: naiveGrade(scorecard, score), factors };
}

/** The grade of a score: the highest band whose min ≤ the score as shown (rounded half up); "—" when null. */
export function naiveGrade(scorecard: Scorecard, score: number | null): string {
  if (score === null) return "—";
  const shown = Math.floor(score + 0.5 + 1e-9);
  const bands = [...scorecard.bands].sort((a, b) => b.min - a.min);
  return (bands.find((b) => b.min <= shown) ?? bands[bands.length - 1])?.grade ?? "—";
}

/** Daily scores of one account over [from, to]: the naive score recomputed from scratch for every day. */
export function naiveHistory(
  account: Account,
  observationsByMetric: ObservationsByMetric,
  scorecard: Scorecard,
  from: number,
  to: number,
): (number | null)[] {
  const scores: (number | null)[] = [];
  for (let day = from; day <= to; day++) {
    scores.push(
      naiveApplies(scorecard, account, day) ? naiveScore(account, observationsByMetric, scorecard, day).score : null,
    );
  }
  return scores;
}
