import type { Day } from "../schema/day.ts";
import type { Condition, Factor, Rule, Scorecard, SimpleSource } from "../schema/scorecard.ts";
import { byPriority } from "../scoring/applies.ts";
import { type CompiledScorecard, compileScorecard } from "../scoring/compile.ts";
import { type Dialect, type DialectName, dialectOf } from "./dialect.ts";

/**
 * Compiles scorecards to one SQL query with the engine's semantics (docs/scoring.md), over the input tables of
 * docs/formats.md ("Warehouse tables"):
 *
 * - `accounts` (id, name, parent_id, arr, and a column per attribute a scorecard reads; start_date for tenure);
 * - `observations` (account_id, metric, day, value);
 * - optionally `covered` (metric, day_from, day_to): the days an events import covered (sum and count 0 inside);
 * - optionally `overrides` (account_id, scorecard_id, score, grade, created_on, expires_on, seq).
 *
 * Windows are window functions over each account's daily rows (RANGE frames of windowDays days), with one probe
 * row per account, metric and as-of day, so a whole history is one pass, not a loop. Every number the engine
 * computes is computed here by the same operations in the same order (weights and constants are inlined as exact
 * doubles), so scores agree to the last bits on integer and binary-fraction data.
 */
export interface SqlOptions {
  dialect: DialectName;
  /** The as-of day; without it, the data's last day (the latest day in `observations`). */
  asOf?: Day | undefined;
  /** A daily score for the last N days (one row per account, scorecard and day) instead of the latest results. */
  history?: number | undefined;
  /** Read the `covered` table (events imports' periods). */
  covered?: boolean | undefined;
  /** Read the `overrides` table. */
  overrides?: boolean | undefined;
}

/** A scorecard SQL cannot express as the engine computes it; names the scorecard and factor (or condition). */
export class SqlCompileError extends Error {
  override readonly name = "SqlCompileError";
  readonly scorecardId: string;
  readonly factorId: string | undefined;
  constructor(message: string, scorecardId: string, factorId?: string) {
    super(message);
    this.scorecardId = scorecardId;
    this.factorId = factorId;
  }
}

/** Columns of the latest results, in order: those of `vitals score --format csv`, then the unrounded score. */
export const SQL_RESULT_COLUMNS = [
  "account_id",
  "name",
  "scorecard",
  "score",
  "grade",
  "label",
  "color",
  "coverage",
  "delta",
  "top_drags",
  "rollup",
  "override_score",
  "override_grade",
  "override_until",
  "score_exact",
] as const;

/** Columns of a history (`history`): one row per account, applying scorecard and day. */
export const SQL_HISTORY_COLUMNS = [
  "account_id",
  "scorecard",
  "day",
  "score",
  "grade",
  "color",
  "score_exact",
] as const;

/** Well-known attributes and the accounts table's column for each; arr and seats are numbers, the rest text. */
const WELL_KNOWN: Record<string, { column: string; numeric: boolean }> = {
  plan: { column: "plan", numeric: false },
  segment: { column: "segment", numeric: false },
  stage: { column: "stage", numeric: false },
  owner: { column: "owner", numeric: false },
  industry: { column: "industry", numeric: false },
  region: { column: "region", numeric: false },
  arr: { column: "arr", numeric: true },
  seats: { column: "seats", numeric: true },
  startDate: { column: "start_date", numeric: false },
  renewalDate: { column: "renewal_date", numeric: false },
};
/** Columns of the accounts table that are not attributes: a custom attribute cannot take their names. */
const OWN_COLUMNS = ["id", "name", "parent_id"];

/** A plain number as JavaScript's Number() reads trimmed text (hex, octal and binary literals aside). */
const PLAIN_NUMBER = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$";

const TRUE_WORDS = ["true", "yes", "y", "1"];
const FALSE_WORDS = ["false", "no", "n", "0"];

/** An attribute read by some scorecard: the accounts column it comes from and the name it has in the query. */
interface AttributeColumn {
  key: string;
  column: string;
  numeric: boolean;
  alias: string;
}

/** A metric aggregated over a window, shared by every factor that reads it. */
interface Feature {
  metric: string;
  aggregation: string;
  windowDays: number;
  alias: string;
}

/** Columns of each scorecard's latest results (CTE res). */
const RES = [
  "account_id",
  "scorecard",
  "prank",
  "score",
  "points",
  "grade",
  "label",
  "color",
  "coverage",
  "delta",
  "top_drags",
];

/** Length of text in UTF-8 bytes (identifier limits are in bytes). */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

class Compiler {
  readonly d: Dialect;
  readonly cards: readonly Scorecard[];
  readonly options: SqlOptions;
  readonly attributes = new Map<string, AttributeColumn>();
  readonly features = new Map<string, Feature>();
  needsStart = false;

  constructor(cards: readonly Scorecard[], options: SqlOptions) {
    this.cards = cards;
    this.options = options;
    this.d = dialectOf(options.dialect);
  }

  fail(message: string, card: Scorecard, factor?: Factor): never {
    const where = factor ? `scorecard "${card.id}", factor "${factor.id}" (${factor.label})` : `scorecard "${card.id}"`;
    throw new SqlCompileError(`${where}: ${message}`, card.id, factor?.id);
  }

  attribute(key: string, card: Scorecard, factor?: Factor): AttributeColumn {
    const known = this.attributes.get(key);
    if (known) return known;
    const wellKnown = Object.hasOwn(WELL_KNOWN, key) ? WELL_KNOWN[key] : undefined;
    const column = wellKnown?.column ?? key;
    if (!wellKnown) {
      const lower = key.toLowerCase();
      const reserved = [...OWN_COLUMNS, ...Object.values(WELL_KNOWN).map((w) => w.column)];
      if (reserved.includes(lower)) {
        this.fail(
          `the custom attribute "${key}" has the name of the accounts table's column "${lower}" (SQL names ignore case); rename the attribute`,
          card,
          factor,
        );
      }
      for (const other of this.attributes.values()) {
        if (other.column.toLowerCase() === lower) {
          this.fail(
            `the attributes "${key}" and "${other.key}" differ only in case, which SQL column names do not tell apart`,
            card,
            factor,
          );
        }
      }
      if (utf8Bytes(key) > this.d.maxIdentifierBytes) {
        this.fail(
          `the attribute name "${key}" is longer than ${this.options.dialect}'s ${this.d.maxIdentifierBytes}-byte column names`,
          card,
          factor,
        );
      }
    }
    if (key === "startDate") this.needsStart = true;
    const entry = { key, column, numeric: wellKnown?.numeric ?? false, alias: `a${this.attributes.size}` };
    this.attributes.set(key, entry);
    return entry;
  }

  feature(source: Extract<SimpleSource, { kind: "metric" }>): Feature {
    const windowDays = source.aggregation === "daysSince" ? 0 : source.windowDays;
    const id = JSON.stringify([source.metric, source.aggregation, windowDays]);
    let f = this.features.get(id);
    if (!f) {
      f = { metric: source.metric, aggregation: source.aggregation, windowDays, alias: `x${this.features.size}` };
      this.features.set(id, f);
    }
    return f;
  }

  /** Collects the attributes and metric windows every scorecard reads (first pass, before any SQL is written). */
  collect(): void {
    for (const card of this.cards) {
      try {
        compileScorecard(card);
      } catch (error) {
        this.fail((error as Error).message, card);
      }
      const simple = (s: SimpleSource, factor: Factor) => {
        if (s.kind === "metric") this.feature(s);
        else if (s.kind === "attribute") this.attribute(s.key, card, factor);
        else this.needsStart = true;
      };
      for (const factor of card.factors) {
        if (factor.source.kind === "ratio") {
          simple(factor.source.numerator, factor);
          simple(factor.source.denominator, factor);
        } else simple(factor.source, factor);
      }
      for (const c of card.appliesTo) {
        if (c.kind === "equals" || c.kind === "in" || c.kind === "range") this.attribute(c.attribute, card);
        else if (c.kind === "stage") this.attribute("stage", card);
        else this.needsStart = true;
      }
    }
  }

  // ── Values and rules ─────────────────────────────────────────────────────────────────────────────────────

  /** An attribute as a number (toNumber): numbers as they are, text only when it is a plain number. */
  attributeNumber(a: AttributeColumn, table: string): string {
    const col = `${table}.${a.alias}`;
    if (a.numeric) return col;
    return `CASE WHEN ${this.d.matches(col, PLAIN_NUMBER)} THEN ${this.d.parseNumber(col)} END`;
  }

  /** A simple source's numeric value in scorecard CTE v (tables a: accounts, e: evals, f: features). */
  simpleValue(s: SimpleSource): string {
    const d = this.d;
    switch (s.kind) {
      case "metric":
        return `f.${this.feature(s).alias}`;
      case "attribute":
        return this.attributeNumber(this.attributes.get(s.key) as AttributeColumn, "a");
      case "tenureDays":
        return `CASE WHEN e.d - a.start_day >= 0 THEN ${d.toDouble("e.d - a.start_day")} END`;
    }
  }

  /** A numeric value to n (normalizeNumber). */
  numberRule(rule: Rule, v: string): string {
    const d = this.d;
    switch (rule.kind) {
      case "linear": {
        const x = `((${v} - ${d.num(rule.worst)}) / ${d.num(rule.best - rule.worst)})`;
        return `CASE WHEN ${x} < ${d.num(0)} THEN ${d.num(0)} WHEN ${x} > ${d.num(1)} THEN ${d.num(1)} ELSE ${x} END`;
      }
      case "steps": {
        const arms = rule.steps.map((step) =>
          step.upTo === undefined ? `ELSE ${d.num(step.n)}` : `WHEN ${v} <= ${d.num(step.upTo)} THEN ${d.num(step.n)}`,
        );
        return `CASE WHEN ${v} IS NULL THEN NULL ${arms.join(" ")} END`;
      }
      case "categorical": {
        // A number matches a key when String(v) is the key (exactly, then ignoring case): v equals Number(key).
        const arms: string[] = [];
        const entries = Object.entries(rule.map);
        for (const [key, n] of entries) {
          const x = Number(key);
          if (key.trim() !== "" && Number.isFinite(x) && String(x) === key) {
            arms.push(`WHEN ${v} = ${d.num(x)} THEN ${d.num(n)}`);
          }
        }
        for (const [key, n] of entries) {
          const lower = key.toLowerCase();
          const x = Number(lower);
          if (lower.trim() !== "" && Number.isFinite(x) && String(x) === lower) {
            arms.push(`WHEN ${v} = ${d.num(x)} THEN ${d.num(n)}`);
          }
        }
        const otherwise = rule.default === undefined ? d.toDouble("NULL") : d.num(rule.default);
        return `CASE WHEN ${v} IS NULL THEN ${d.toDouble("NULL")} ${arms.join(" ")} ELSE ${otherwise} END`;
      }
      case "boolean":
        return `CASE WHEN ${v} = ${d.num(1)} THEN ${d.num(rule.true)} WHEN ${v} = ${d.num(0)} THEN ${d.num(rule.false)} END`;
    }
  }

  /** A categorical or yes/no rule read straight from an attribute (normalizeValue on the attribute's value). */
  attributeRule(rule: Rule, a: AttributeColumn, col: string): string {
    const d = this.d;
    if (a.numeric) return this.numberRule(rule, col);
    if (rule.kind === "categorical") {
      const entries = Object.entries(rule.map);
      const exact = entries.map(([k, n]) => `WHEN ${col} = ${d.text(k)} THEN ${d.num(n)}`);
      const folded = entries.map(([k, n]) => `WHEN lower(${col}) = ${d.text(k.toLowerCase())} THEN ${d.num(n)}`);
      const otherwise = rule.default === undefined ? d.toDouble("NULL") : d.num(rule.default);
      return `CASE WHEN ${col} IS NULL THEN ${d.toDouble("NULL")} ${exact.join(" ")} ${folded.join(" ")} ELSE ${otherwise} END`;
    }
    if (rule.kind === "boolean") {
      const words = (list: string[]) => list.map((w) => d.text(w)).join(", ");
      return `CASE WHEN lower(${col}) IN (${words(TRUE_WORDS)}) THEN ${d.num(rule.true)} WHEN lower(${col}) IN (${words(FALSE_WORDS)}) THEN ${d.num(rule.false)} END`;
    }
    return this.numberRule(rule, this.attributeNumber(a, "a"));
  }

  /** A factor's n in scorecard CTE v. */
  factorN(factor: Factor): string {
    const s = factor.source;
    if (s.kind === "attribute" && (factor.rule.kind === "categorical" || factor.rule.kind === "boolean")) {
      const a = this.attributes.get(s.key) as AttributeColumn;
      return this.attributeRule(factor.rule, a, `a.${a.alias}`);
    }
    let value: string;
    if (s.kind === "ratio") {
      const num = this.simpleValue(s.numerator);
      const den = this.simpleValue(s.denominator);
      value = `(CASE WHEN (${den}) = ${this.d.num(0)} THEN NULL ELSE (${num}) / (${den}) END)`;
    } else value = `(${this.simpleValue(s)})`;
    return this.numberRule(factor.rule, value);
  }

  // ── appliesTo ────────────────────────────────────────────────────────────────────────────────────────────

  /** sameValue(attribute, value) as SQL. */
  same(a: AttributeColumn, value: string | number | boolean): string {
    const d = this.d;
    const col = `a.${a.alias}`;
    const asNumber = (v: string | number | boolean) =>
      typeof v === "number"
        ? v
        : typeof v === "boolean"
          ? v
            ? 1
            : 0
          : v.trim() === ""
            ? Number.NaN
            : Number(v.trim());
    if (a.numeric || typeof value === "number") {
      const x = asNumber(value);
      if (!Number.isFinite(x)) return "1 = 0";
      return `(${this.attributeNumber(a, "a")}) = ${d.num(x)}`;
    }
    if (typeof value === "string") return `lower(${col}) = ${d.text(value.trim().toLowerCase())}`;
    return "1 = 0";
  }

  condition(c: Condition, day: string): string {
    const d = this.d;
    switch (c.kind) {
      case "equals":
        return this.same(this.attributes.get(c.attribute) as AttributeColumn, c.value);
      case "in":
        return `(${c.values.map((v) => this.same(this.attributes.get(c.attribute) as AttributeColumn, v)).join(" OR ")})`;
      case "range": {
        const v = `(${this.attributeNumber(this.attributes.get(c.attribute) as AttributeColumn, "a")})`;
        const parts = [`${v} IS NOT NULL`];
        if (c.min !== undefined) parts.push(`${v} >= ${d.num(c.min)}`);
        if (c.max !== undefined) parts.push(`${v} <= ${d.num(c.max)}`);
        return `(${parts.join(" AND ")})`;
      }
      case "stage":
        return `(${c.stages.map((s) => this.same(this.attributes.get("stage") as AttributeColumn, s)).join(" OR ")})`;
      case "tenure": {
        const t = `(${day} - a.start_day)`;
        const parts = ["a.start_day IS NOT NULL", `${t} >= 0`];
        if (c.minDays !== undefined) parts.push(`${t} >= ${c.minDays}`);
        if (c.maxDays !== undefined) parts.push(`${t} <= ${c.maxDays}`);
        return `(${parts.join(" AND ")})`;
      }
    }
  }

  // ── The query ────────────────────────────────────────────────────────────────────────────────────────────

  compile(): string {
    this.collect();
    const d = this.d;
    const history = this.options.history;
    const ctes: string[] = [];
    // Materialized where the engine allows it: inlined, each layer would repeat the expressions of the one below.
    // The observations' rows (CTE obs) are read once: streamed, never held (materialized, they would be every row).
    const cte = (name: string, body: string) =>
      ctes.push(`${name} AS ${name === "obs" ? "" : d.materialized}(\n${body}\n)`);

    const asOf =
      this.options.asOf !== undefined
        ? `SELECT ${d.int(this.options.asOf)} AS as_of`
        : `SELECT max(${d.dayNum("day")}) AS as_of FROM observations`;
    cte("params", asOf);
    const offsets =
      history !== undefined
        ? d.series(history)
        : [...new Set([0, ...this.cards.map((c) => c.deltaDays)])]
            .map((k) => `SELECT ${d.int(k)} AS k`)
            .join(" UNION ALL ");
    cte("offsets", offsets);
    cte("evals", "SELECT p.as_of - o.k AS d, o.k AS k FROM params p CROSS JOIN offsets o");

    const attrs = [...this.attributes.values()].map((a) =>
      a.numeric
        ? `${d.toDouble(`t.${d.ident(a.column)}`)} AS ${a.alias}`
        : `NULLIF(TRIM(${d.toText(`t.${d.ident(a.column)}`)}), '') AS ${a.alias}`,
    );
    cte(
      "acct",
      [
        "SELECT",
        [
          `${d.toText("t.id")} AS account_id`,
          `${d.toText("t.name")} AS name`,
          `NULLIF(${d.toText("t.parent_id")}, '') AS parent_id`,
          `${d.toDouble("t.arr")} AS arr`,
          ...(this.needsStart ? [`${d.dayNum("t.start_date")} AS start_day`] : []),
          ...attrs,
        ].join(",\n  "),
        "FROM accounts t",
      ].join("\n  "),
    );

    const features = [...this.features.values()];
    if (features.length > 0) this.metricCtes(features, cte);

    const order = this.cards.map((card, i) => ({ card, i })).sort((x, y) => byPriority(x.card, y.card));
    const rank = new Map(order.map(({ i }, r) => [i, r]));
    const results: string[] = [];
    this.cards.forEach((card, ci) => {
      const compiled = compileScorecard(card);
      this.scorecardCtes(card, compiled, ci, cte);
      results.push(
        history === undefined
          ? this.latestSelect(card, compiled, ci, rank.get(ci) as number)
          : this.historySelect(card, compiled, ci),
      );
    });
    if (history !== undefined) {
      const body = results.length > 0 ? results.join("\nUNION ALL\n") : "SELECT NULL AS account_id WHERE 1 = 0";
      return `WITH\n${ctes.join(",\n")}\n${body}\nORDER BY account_id, scorecard, day${d.trailer}\n`;
    }
    cte("res", results.join("\nUNION ALL\n"));
    return `WITH\n${ctes.join(",\n")}\n${this.finalSelect()}${d.trailer}\n`;
  }

  metricCtes(features: Feature[], cte: (name: string, body: string) => void): void {
    const d = this.d;
    const metrics = [...new Set(features.map((f) => f.metric))];
    const metricList = metrics.map((m) => d.text(m)).join(", ");
    const history = this.options.history;
    // Which statistics each window length needs.
    const byWindow = new Map<number, Set<string>>();
    for (const f of features) {
      if (f.aggregation === "daysSince") continue;
      const set = byWindow.get(f.windowDays) ?? new Set<string>();
      byWindow.set(f.windowDays, set);
      set.add(f.aggregation);
    }
    const dsMetrics = [...new Set(features.filter((f) => f.aggregation === "daysSince").map((f) => f.metric))];
    // Only the days some window reads: the latest as-of offset's windows (twice as long for "change"), and for
    // daysSince the positive values of its metrics back to the first day.
    const lookback = Math.max(
      0,
      ...features
        .filter((f) => f.aggregation !== "daysSince")
        .map((f) => (f.aggregation === "change" ? 2 : 1) * f.windowDays),
    );
    const lastOffset = history !== undefined ? history - 1 : Math.max(0, ...this.cards.map((c) => c.deltaDays));
    const day = d.dayNum("o.day");
    const value = d.toDouble("o.value");
    const metric = d.toText("o.metric");
    /** The observation's day after (or on or before) a day so many days before the as-of day. */
    const dayVs = (op: ">" | "<=", back: number) => `${this.dayColumn("o.day")} ${op} ${this.dayMinus(back)}`;
    const recent = dayVs(">", lastOffset + lookback);
    const positive = `${metric} IN (${dsMetrics.map((m) => d.text(m)).join(", ")}) AND ${value} > ${d.num(0)}`;
    // Each metric's rows back only as far as its own windows read (the longest window of its features, twice as
    // long for "change"); a metric only daysSince reads keeps its positive values only. mi numbers the metrics
    // (a metric no scorecard reads has no window: its rows are dropped).
    const metricLookback = (m: string) =>
      Math.max(
        -1,
        ...features
          .filter((f) => f.metric === m && f.aggregation !== "daysSince")
          .map((f) => (f.aggregation === "change" ? 2 : 1) * f.windowDays),
      );
    const cuts = metrics
      .map((m) => ({ m, back: metricLookback(m) }))
      .filter((x) => x.back >= 0)
      .map((x) => `WHEN ${d.text(x.m)} THEN ${this.dayMinus(lastOffset + x.back)}`);
    const ownWindow = [
      ...(cuts.length > 0 ? [`${this.dayColumn("o.day")} > CASE ${metric} ${cuts.join(" ")} END`] : []),
      ...(dsMetrics.length > 0 ? [`(${positive})`] : []),
    ];
    const select = `SELECT ${d.toText("o.account_id")} AS account_id, ${metric} AS metric,
    CASE ${metric} ${metrics.map((m, i) => `WHEN ${d.text(m)} THEN ${i}`).join(" ")} END AS mi,
    ${day} AS d, ${value} AS v
  FROM observations o`;
    // Recent rows and daysSince's older positive values are two reads of observations, each with plain day
    // bounds that an engine can apply while it scans (and skip whole blocks of a file sorted by day).
    cte(
      "obs",
      `${select}
  WHERE ${dayVs("<=", 0)} AND ${recent} AND (${ownWindow.join(" OR ")})${
    dsMetrics.length === 0
      ? ""
      : `
UNION ALL
${select}
  WHERE ${dayVs("<=", lastOffset + lookback)} AND ${positive}`
  }`,
    );

    const covered = this.options.covered === true;
    const coverWindows = [...byWindow.entries()]
      .filter(([, aggs]) => aggs.has("sum") || aggs.has("count") || aggs.has("change"))
      .map(([w]) => w);
    const withCover = covered && coverWindows.length > 0;
    if (withCover) {
      const flags = coverWindows.map(
        (w) =>
          `max(CASE WHEN ${d.dayNum("c.day_from")} <= e.d AND e.d - ${w - 1} <= ${d.dayNum("c.day_to")} THEN 1 ELSE 0 END) AS cov_${w}`,
      );
      cte(
        "covflags",
        `SELECT ${d.toText("c.metric")} AS metric, e.d AS d, ${flags.join(", ")}
  FROM covered c CROSS JOIN evals e
  WHERE ${d.toText("c.metric")} IN (${metricList})
  GROUP BY ${d.toText("c.metric")}, e.d`,
      );
    }
    if (history === undefined) this.latestWindows(features, metrics, byWindow, withCover ? coverWindows : [], cte);
    else this.historyWindows(features, byWindow, withCover ? coverWindows : [], cte);

    const zero = d.num(0);
    const isCovered = (w: number) => (withCover && coverWindows.includes(w) ? `cov_${w} = 1` : "1 = 0");
    const featureValue = (f: Feature): string => {
      const w = f.windowDays;
      const c = `c_${w}`;
      switch (f.aggregation) {
        case "sum":
          return `CASE WHEN ${c} > ${zero} THEN s_${w} WHEN ${isCovered(w)} THEN ${zero} END`;
        case "count":
          return `CASE WHEN ${c} > ${zero} THEN ${c} WHEN ${isCovered(w)} THEN ${zero} END`;
        case "mean":
          return `CASE WHEN ${c} > ${zero} THEN s_${w} / ${c} END`;
        case "min":
          return `CASE WHEN ${c} > ${zero} THEN mn_${w} END`;
        case "max":
          return `CASE WHEN ${c} > ${zero} THEN mx_${w} END`;
        case "last":
          return `CASE WHEN ${c} > ${zero} THEN lv_${w} END`;
        case "daysSince":
          return `CASE WHEN ds IS NOT NULL THEN ${d.toDouble("d - ds")} END`;
        case "nps":
          return `CASE WHEN nv_${w} > ${zero} THEN ((np_${w} - nd_${w}) / nv_${w}) * ${d.num(100)} END`;
        case "change": {
          const current = `CASE WHEN ${c} > ${zero} THEN s_${w} ELSE ${zero} END`;
          return `CASE WHEN (${c} > ${zero} OR ${isCovered(w)}) AND pc_${w} > ${zero} AND ps_${w} <> ${zero} THEN (((${current}) - ps_${w}) / abs(ps_${w})) * ${d.num(100)} END`;
        }
        default:
          throw new Error(`unknown aggregation "${f.aggregation}"`);
      }
    };
    const pivot = features.map(
      (f) => `max(CASE WHEN metric = ${d.text(f.metric)} THEN ${featureValue(f)} END) AS ${f.alias}`,
    );
    cte("feat", `SELECT account_id, d, ${pivot.join(",\n    ")}\n  FROM pr GROUP BY account_id, d`);
  }

  /** A day column as the engine's date (compared with dayMinus) when the as-of day is given, else its day number. */
  dayColumn(expr: string): string {
    return this.options.asOf !== undefined ? this.d.toDate(expr) : this.d.dayNum(expr);
  }

  /** The as-of day less some days as dayColumn compares it: a date literal, or a day number read from params. */
  dayMinus(days: number): string {
    return this.options.asOf !== undefined ? this.d.date(this.options.asOf - days) : this.asOfMinus(days);
  }

  /** The as-of day less some days: a literal when the as-of day is given, else read from params. */
  asOfMinus(days: number): string {
    const d = this.d;
    if (this.options.asOf !== undefined) return d.int(this.options.asOf - days);
    return days === 0 ? "(SELECT as_of FROM params)" : `((SELECT as_of FROM params) - ${d.int(days)})`;
  }

  /**
   * Latest results: each window's statistics for each as-of day (the as-of day and each deltaDays before it), no
   * window function and no per-day rows, in two GROUP BYs. The days are cut into segments at every window's first
   * and last day (as ages: days before the as-of day), so each window is a run of whole segments: CTE seg sums,
   * counts, extremes and lasts each account, metric and segment once (a row updates one segment's few statistics,
   * only those its metric's features read), and CTE agg combines each window's segments by account and metric.
   * Rows of CTE pr: account, metric and as-of day with the statistics by window (s_W, c_W, mn_W, mx_W, lv_W,
   * nv_W/np_W/nd_W, ps_W/pc_W, ds, cov_W).
   */
  latestWindows(
    features: Feature[],
    metrics: string[],
    byWindow: Map<number, Set<string>>,
    coverWindows: number[],
    cte: (name: string, body: string) => void,
  ): void {
    const d = this.d;
    const offsets = [...new Set([0, ...this.cards.map((c) => c.deltaDays)])];
    // Segment edges as ages: every offset k (daysSince reads ages >= k), every window's first age past its end.
    const edgesOf = (windows: Iterable<[number, Set<string>]>) => {
      const edges = new Set<number>(offsets);
      for (const k of offsets) {
        for (const [w, need] of windows) {
          edges.add(k + w);
          if (need.has("change")) edges.add(k + 2 * w);
        }
      }
      return [...edges].sort((x, y) => x - y);
    };
    const sorted = edgesOf(byWindow);
    /** The first segment at or past an age that is an edge. */
    const seg = (age: number) => sorted.indexOf(age);
    // A metric's rows are cut only at its own features' edges, each piece numbered by its first segment: a window
    // of the metric's own is still a run of whole pieces, and fewer, larger groups are summed (a window of another
    // metric's is read from this metric's rows by no feature).
    const segment = `CASE mi ${metrics
      .map((m, i) => {
        const own = new Map<number, Set<string>>();
        for (const f of features) {
          if (f.metric !== m || f.aggregation === "daysSince") continue;
          own.set(f.windowDays, new Set([...(own.get(f.windowDays) ?? []), f.aggregation]));
        }
        const edges = edgesOf(own);
        const pieces = edges
          .slice(1)
          .map((age, j) => `WHEN d > ${this.asOfMinus(age)} THEN ${seg(edges[j] as number)}`);
        const last = seg(edges.at(-1) as number);
        return `WHEN ${i} THEN ${pieces.length === 0 ? last : `CASE ${pieces.join(" ")} ELSE ${last} END`}`;
      })
      .join(" ")} END`;
    // Segment statistics, each only over the rows of the metrics whose features read it.
    const reading = (test: (f: Feature) => boolean) => {
      const ids = [...new Set(features.filter(test).map((f) => metrics.indexOf(f.metric)))];
      return ids.length === metrics.length ? undefined : `mi IN (${ids.join(", ")})`;
    };
    const has =
      (...aggs: string[]) =>
      (f: Feature) =>
        aggs.includes(f.aggregation);
    const stats: string[] = [];
    const stat = (test: (f: Feature) => boolean, alias: string, agg: (only: string | undefined) => string) => {
      if (features.some(test)) stats.push(`${agg(reading(test))} AS ${alias}`);
    };
    const zero = d.num(0);
    const countIf = (cond: string | undefined, extra?: string) => {
      const all = [cond, extra].filter((x) => x !== undefined);
      return all.length === 0 ? "count(*)" : `count(CASE WHEN ${all.join(" AND ")} THEN 1 END)`;
    };
    const onRows = (fn: string, expr: string, cond: string | undefined) =>
      cond === undefined ? `${fn}(${expr})` : `${fn}(CASE WHEN ${cond} THEN ${expr} END)`;
    stat(has("sum", "mean", "change"), "s", (c) => onRows("sum", "v", c));
    stat(
      (f) => f.aggregation !== "nps" && f.aggregation !== "daysSince",
      "c",
      (c) => countIf(c),
    );
    stat(has("min"), "mn", (c) => onRows("min", "v", c));
    stat(has("max"), "mx", (c) => onRows("max", "v", c));
    stat(has("last"), "lv", (c) => d.lastValue("v", "d", c ?? "1 = 1"));
    stat(has("nps"), "nv", (c) => countIf(c, `v >= ${zero} AND v <= ${d.num(10)}`));
    stat(has("nps"), "np", (c) => countIf(c, `v >= ${d.num(9)} AND v <= ${d.num(10)}`));
    stat(has("nps"), "nd", (c) => countIf(c, `v >= ${zero} AND v <= ${d.num(6)}`));
    stat(has("daysSince"), "ds", (c) => onRows("max", "d", [c, `v > ${zero}`].filter(Boolean).join(" AND ")));
    cte(
      "seg",
      `SELECT account_id, mi, b, ${stats.join(",\n    ")}
  FROM (SELECT account_id, mi, d, v, ${segment} AS b FROM obs) o
  GROUP BY account_id, mi, b`,
    );
    /** The segments of ages from … to (both edges: to + 1 is the next window's or the last segment's first age). */
    const inSegments = (from: number, to: number) => `b >= ${seg(from)} AND b < ${seg(to + 1)}`;
    const count = (expr: string, cond: string) => d.toDouble(`COALESCE(sum(CASE WHEN ${cond} THEN ${expr} END), 0)`);
    const aggs: string[] = [];
    const perOffset: string[][] = offsets.map(() => []);
    offsets.forEach((k, i) => {
      const cols = perOffset[i] as string[];
      for (const [w, need] of byWindow) {
        const cur = inSegments(k, k + w - 1);
        const col = (stat: string, expr: string) => {
          aggs.push(`${expr} AS ${stat}_${w}_${i}`);
          cols.push(`g.${stat}_${w}_${i} AS ${stat}_${w}`);
        };
        if (need.has("sum") || need.has("mean") || need.has("change")) col("s", `sum(CASE WHEN ${cur} THEN s END)`);
        if ([...need].some((a) => a !== "nps")) col("c", count("c", cur));
        if (need.has("min")) col("mn", `min(CASE WHEN ${cur} THEN mn END)`);
        if (need.has("max")) col("mx", `max(CASE WHEN ${cur} THEN mx END)`);
        if (need.has("last")) col("lv", d.firstBy("lv", "b", `${cur} AND lv IS NOT NULL`));
        if (need.has("nps")) {
          col("nv", count("nv", cur));
          col("np", count("np", cur));
          col("nd", count("nd", cur));
        }
        if (need.has("change")) {
          const prev = inSegments(k + w, k + 2 * w - 1);
          col("ps", `sum(CASE WHEN ${prev} THEN s END)`);
          col("pc", count("c", prev));
        }
      }
      if (features.some(has("daysSince"))) {
        aggs.push(`max(CASE WHEN b >= ${seg(k)} THEN ds END) AS ds_${i}`);
        cols.push(`g.ds_${i} AS ds`);
      }
    });
    cte(
      "agg",
      `SELECT account_id, CASE mi ${metrics.map((m, i) => `WHEN ${i} THEN ${d.text(m)}`).join(" ")} END AS metric,
    ${aggs.join(",\n    ")}
  FROM seg GROUP BY account_id, mi`,
    );
    // With covered periods an account and metric without a single row still has sums and counts (0) where its
    // window was covered, so every account and metric gets a row; otherwise a missing row is all missing.
    const covered = coverWindows.length > 0;
    const from = covered
      ? `acct a CROSS JOIN (${metrics.map((m) => `SELECT ${d.text(m)} AS metric`).join(" UNION ALL ")}) m
  LEFT JOIN agg g ON g.account_id = a.account_id AND g.metric = m.metric`
      : "agg g";
    const key = covered
      ? "a.account_id AS account_id, m.metric AS metric"
      : "g.account_id AS account_id, g.metric AS metric";
    const selects = offsets.map((k, i) => {
      const cols = [key, `${this.asOfMinus(k)} AS d`, ...(perOffset[i] as string[])];
      if (covered) cols.push(...coverWindows.map((w) => `cf.cov_${w} AS cov_${w}`));
      const join = covered
        ? `
  LEFT JOIN covflags cf ON cf.metric = m.metric AND cf.d = ${this.asOfMinus(k)}`
        : "";
      return `SELECT ${cols.join(", ")}
  FROM ${from}${join}`;
    });
    cte("pr", selects.join("\nUNION ALL\n"));
  }

  /**
   * A history: one row per account, metric and day (daily sums, counts, extremes, NPS answers) plus a probe row per
   * account, metric and as-of day, and every window a RANGE window function over them, read at the probe rows.
   */
  historyWindows(
    features: Feature[],
    byWindow: Map<number, Set<string>>,
    coverWindows: number[],
    cte: (name: string, body: string) => void,
  ): void {
    const d = this.d;
    const metrics = [...new Set(features.map((f) => f.metric))];
    const one = d.num(1);
    const zero = d.num(0);
    cte(
      "daily",
      `SELECT account_id, metric, d,
    sum(v) AS s, ${d.toDouble("count(*)")} AS c, max(v) AS mx, min(v) AS mn,
    sum(CASE WHEN v >= ${zero} AND v <= ${d.num(10)} THEN ${one} ELSE ${zero} END) AS nv,
    sum(CASE WHEN v >= ${d.num(9)} AND v <= ${d.num(10)} THEN ${one} ELSE ${zero} END) AS np,
    sum(CASE WHEN v >= ${zero} AND v <= ${d.num(6)} THEN ${one} ELSE ${zero} END) AS nd
  FROM obs GROUP BY account_id, metric, d`,
    );
    const nullD = `${d.toDouble("NULL")}`;
    cte(
      "grid",
      `SELECT account_id, metric, d, s, c, mx, mn, nv, np, nd, 0 AS probe FROM daily
  UNION ALL
  SELECT a.account_id, m.metric, e.d, ${nullD}, ${nullD}, ${nullD}, ${nullD}, ${nullD}, ${nullD}, ${nullD}, 1 AS probe
  FROM acct a CROSS JOIN (${metrics.map((m) => `SELECT ${d.text(m)} AS metric`).join(" UNION ALL ")}) m CROSS JOIN evals e`,
    );
    const over = (frame: string) => `OVER (PARTITION BY account_id, metric ORDER BY d ${frame})`;
    const cur = (w: number) => `RANGE BETWEEN ${w - 1} PRECEDING AND CURRENT ROW`;
    const cols: string[] = ["account_id", "metric", "d", "probe"];
    for (const [w, aggs] of byWindow) {
      const f = over(cur(w));
      cols.push(`sum(s) ${f} AS s_${w}`, `sum(c) ${f} AS c_${w}`);
      if (aggs.has("min")) cols.push(`min(mn) ${f} AS mn_${w}`);
      if (aggs.has("max")) cols.push(`max(mx) ${f} AS mx_${w}`);
      if (aggs.has("last")) cols.push(`max(CASE WHEN probe = 0 THEN d END) ${f} AS ld_${w}`);
      if (aggs.has("nps")) cols.push(`sum(nv) ${f} AS nv_${w}`, `sum(np) ${f} AS np_${w}`, `sum(nd) ${f} AS nd_${w}`);
      if (aggs.has("change")) {
        const p = over(`RANGE BETWEEN ${2 * w - 1} PRECEDING AND ${w} PRECEDING`);
        cols.push(`sum(s) ${p} AS ps_${w}`, `sum(c) ${p} AS pc_${w}`);
      }
    }
    if (features.some((f) => f.aggregation === "daysSince")) {
      cols.push(
        `max(CASE WHEN mx > ${zero} THEN d END) ${over("RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")} AS ds`,
      );
    }
    cte("win", `SELECT ${cols.join(",\n    ")}\n  FROM grid`);

    const lastWindows = [...byWindow.entries()].filter(([, aggs]) => aggs.has("last")).map(([w]) => w);
    const winNames = cols.map((c) => c.split(" AS ").at(-1) as string);
    const prCols = [...winNames.map((c) => `w.${c} AS ${c}`), ...lastWindows.map((w) => `l${w}.mx AS lv_${w}`)];
    const joins = lastWindows.map(
      (w) =>
        `LEFT JOIN daily l${w} ON l${w}.account_id = w.account_id AND l${w}.metric = w.metric AND l${w}.d = w.ld_${w}`,
    );
    if (coverWindows.length > 0) {
      prCols.push(...coverWindows.map((w) => `cf.cov_${w} AS cov_${w}`));
      joins.push("LEFT JOIN covflags cf ON cf.metric = w.metric AND cf.d = w.d");
    }
    cte("pr", `SELECT ${prCols.join(", ")}\n  FROM win w\n  ${joins.join("\n  ")}\n  WHERE w.probe = 1`);
  }

  scorecardCtes(
    card: Scorecard,
    compiled: CompiledScorecard,
    ci: number,
    cte: (name: string, body: string) => void,
  ): void {
    const d = this.d;
    const history = this.options.history !== undefined;
    const hasFeatures = this.features.size > 0;
    const tenure = card.appliesTo.filter((c) => c.kind === "tenure");
    const fixed = card.appliesTo.filter((c) => c.kind !== "tenure");
    const asOf = "(SELECT as_of FROM params)";
    // Latest: every condition on the as-of day, days = now and deltaDays before. History: tenure day by day.
    const where = (history ? fixed : card.appliesTo).map((c) => this.condition(c, asOf));
    if (!history) where.push(`(e.k = 0 OR e.k = ${d.int(card.deltaDays)})`);
    const holds = history && tenure.length > 0 ? tenure.map((c) => this.condition(c, "e.d")).join(" AND ") : "1 = 1";
    const ns = card.factors.map((factor, i) => {
      try {
        return `${this.factorN(factor)} AS n${i}`;
      } catch (error) {
        return this.fail((error as Error).message, card, factor);
      }
    });
    cte(
      `v${ci}`,
      `SELECT a.account_id AS account_id, e.d AS d, e.k AS k, CASE WHEN ${holds} THEN 1 ELSE 0 END AS holds,
    ${ns.join(",\n    ")}
  FROM acct a CROSS JOIN evals e${hasFeatures ? "\n  LEFT JOIN feat f ON f.account_id = a.account_id AND f.d = e.d" : ""}
  ${where.length > 0 ? `WHERE ${where.join("\n    AND ")}` : ""}`,
    );

    // Sums in the engine's order (factor by factor from 0), so the doubles are the engine's.
    const zero = d.num(0);
    const terms = card.factors.map((f, i) => {
      const w = d.num(compiled.weights[i] as number);
      const n = `n${i}`;
      const missingNum = f.missing.policy === "assume" ? `${w} * ${d.num(f.missing.n)}` : zero;
      const missingDen = f.missing.policy === "skip" ? zero : w;
      return {
        num: `CASE WHEN ${n} IS NOT NULL THEN ${w} * ${n} ELSE ${missingNum} END`,
        den: `CASE WHEN ${n} IS NOT NULL THEN ${w} ELSE ${missingDen} END`,
        present: `CASE WHEN ${n} IS NOT NULL THEN ${w} ELSE ${zero} END`,
      };
    });
    const sum = (parts: string[]) => [zero, ...parts].map((p) => `(${p})`).join(" + ");
    const nCols = card.factors.map((_, i) => `n${i}`);
    cte(
      `w${ci}`,
      `SELECT account_id, d, k, holds, ${nCols.join(", ")},
    ${sum(terms.map((t) => t.num))} AS num,
    ${sum(terms.map((t) => t.den))} AS den,
    ${sum(terms.map((t) => t.present))} AS present
  FROM v${ci}`,
    );
    const raw = `(${d.num(100)} * num) / den`;
    const score = `CASE WHEN den = ${zero} OR present / ${d.num(compiled.totalWeight)} < ${d.num(card.minCoverage - 1e-12)} THEN NULL WHEN ${raw} < ${zero} THEN ${zero} WHEN ${raw} > ${d.num(100)} THEN ${d.num(100)} ELSE ${raw} END`;
    // Points lost per factor (writeDrags): the counted n below 1, times the factor's weight.
    const lost = card.factors.map((f, i) => {
      const counted =
        f.missing.policy === "skip"
          ? `n${i}`
          : `CASE WHEN n${i} IS NOT NULL THEN n${i} ELSE ${f.missing.policy === "zero" ? zero : d.num(f.missing.n)} END`;
      return `CASE WHEN (${counted}) < ${d.num(1 - 1e-12)} THEN ${d.num(compiled.weights[i] as number)} * (${d.num(1)} - (${counted})) END AS lost${i}`;
    });
    cte(
      `c${ci}`,
      `SELECT account_id, d, k, CASE WHEN holds = 1 THEN ${score} END AS score, present / ${d.num(compiled.totalWeight)} AS coverage${history ? "" : `,\n    ${lost.join(",\n    ")}`}
  FROM w${ci}`,
    );
    if (history) return;
    const ranks = card.factors.map((_, i) => {
      const above = card.factors
        .map((__, j) => (j === i ? undefined : `CASE WHEN lost${j} ${j < i ? ">=" : ">"} lost${i} THEN 1 ELSE 0 END`))
        .filter((x) => x !== undefined);
      return `CASE WHEN lost${i} IS NULL THEN NULL ELSE ${["0", ...above].join(" + ")} END AS r${i}`;
    });
    cte(`k${ci}`, `SELECT account_id, d, k, score, coverage, ${ranks.join(",\n    ")}\n  FROM c${ci}`);
  }

  /** Points, grade, label and colour of a score column. */
  band(card: CompiledScorecard, score: string): { points: string; grade: string; label: string; color: string } {
    const d = this.d;
    const shown = `floor(${score} + ${d.num(0.5)} + ${d.num(1e-9)})`;
    const pick = (what: "grade" | "label" | "color", none: string) => {
      const arms = card.bands.map((b, i) =>
        i === card.bands.length - 1
          ? `ELSE ${d.text(b[what])}`
          : `WHEN ${shown} >= ${d.num(b.min)} THEN ${d.text(b[what])}`,
      );
      return `CASE WHEN ${score} IS NULL THEN ${d.text(none)} ${arms.join(" ")} END`;
    };
    return {
      points: `CASE WHEN ${score} IS NULL THEN NULL ELSE ${d.toInt(shown)} END`,
      grade: pick("grade", "—"),
      label: pick("label", "Not enough data"),
      color: pick("color", "grey"),
    };
  }

  latestSelect(card: Scorecard, compiled: CompiledScorecard, ci: number, rank: number): string {
    const d = this.d;
    const b = this.band(compiled, "now.score");
    const slot = (p: number) =>
      `CASE ${card.factors.map((f, i) => `WHEN now.r${i} = ${p} THEN ${d.text(f.label)}`).join(" ")} END`;
    const drags = `CASE WHEN now.score IS NULL THEN '' ELSE COALESCE(${slot(0)}, '') || COALESCE('; ' || ${slot(1)}, '') || COALESCE('; ' || ${slot(2)}, '') END`;
    return `SELECT now.account_id AS account_id, ${d.text(card.id)} AS scorecard, ${rank} AS prank,
    now.score AS score, ${b.points} AS points, ${b.grade} AS grade, ${b.label} AS label, ${b.color} AS color,
    now.coverage AS coverage, now.score - th.score AS delta, ${drags} AS top_drags
  FROM k${ci} now LEFT JOIN k${ci} th ON th.account_id = now.account_id AND th.k = ${d.int(card.deltaDays)}
  WHERE now.k = 0`;
  }

  historySelect(card: Scorecard, compiled: CompiledScorecard, ci: number): string {
    const d = this.d;
    const b = this.band(compiled, "c.score");
    return `SELECT c.account_id AS account_id, ${d.text(card.id)} AS scorecard, ${d.dayText("c.d")} AS day, ${b.points} AS score, ${b.grade} AS grade, ${b.color} AS color, c.score AS score_exact
  FROM c${ci} c`;
  }

  finalSelect(): string {
    const d = this.d;
    const overrides = this.options.overrides === true;
    const asOf = "(SELECT as_of FROM params)";
    const parts: string[] = [];
    parts.push(`prim AS (
SELECT ${RES.join(", ")} FROM (SELECT ${RES.map((c) => `r.${c} AS ${c}`).join(", ")}, row_number() OVER (PARTITION BY r.account_id ORDER BY r.prank) AS rn FROM res r) x WHERE rn = 1
)`);
    parts.push(`roll AS (
SELECT ch.parent_id AS account_id, sum(CASE WHEN ch.arr IS NULL THEN ${d.num(0)} ELSE ch.arr END * p.score) AS ws,
    sum(CASE WHEN ch.arr IS NULL THEN ${d.num(0)} ELSE ch.arr END) AS aw, sum(p.score) AS ss, ${d.toDouble("count(*)")} AS cnt
  FROM acct ch JOIN prim p ON p.account_id = ch.account_id
  WHERE p.score IS NOT NULL AND ch.parent_id IS NOT NULL
  GROUP BY ch.parent_id
)`);
    if (overrides) {
      parts.push(`ovr AS (
SELECT account_id, score, grade, until FROM (
  SELECT ${d.toText("o.account_id")} AS account_id, ${d.toDouble("o.score")} AS score, NULLIF(${d.toText("o.grade")}, '') AS grade,
      ${d.dayText(d.dayNum("o.expires_on"))} AS until,
      row_number() OVER (PARTITION BY ${d.toText("o.account_id")} ORDER BY o.seq) AS rn
    FROM overrides o JOIN prim p ON p.account_id = ${d.toText("o.account_id")}
    WHERE ${d.dayNum("o.created_on")} <= ${asOf} AND ${asOf} <= ${d.dayNum("o.expires_on")}
      AND (o.scorecard_id IS NULL OR ${d.toText("o.scorecard_id")} = '' OR ${d.toText("o.scorecard_id")} = p.scorecard)
) y WHERE rn = 1
)`);
    }
    const rollup = `CASE WHEN r.aw > ${d.num(0)} THEN r.ws / r.aw ELSE r.ss / r.cnt END`;
    const rollPoints = `CASE WHEN r.account_id IS NULL THEN NULL ELSE ${d.toInt(`floor((${rollup}) + ${d.num(0.5)} + ${d.num(1e-9)})`)} END`;
    const none = (value: string, otherwise: string) =>
      `CASE WHEN p.account_id IS NULL THEN ${value} ELSE ${otherwise} END`;
    return `, ${parts.join(",\n")}
SELECT a.account_id AS account_id, a.name AS name,
    ${none("''", "p.scorecard")} AS scorecard,
    p.points AS score,
    ${none(d.text("—"), "p.grade")} AS grade,
    ${none(d.text("No scorecard applies"), "p.label")} AS label,
    ${none(d.text("grey"), "p.color")} AS color,
    p.coverage AS coverage,
    p.delta AS delta,
    ${none("''", "p.top_drags")} AS top_drags,
    ${rollPoints} AS rollup,
    ${overrides ? "o.score" : d.toDouble("NULL")} AS override_score,
    ${overrides ? "o.grade" : "CAST(NULL AS VARCHAR(1))".replace("VARCHAR(1)", d.name === "clickhouse" ? "Nullable(String)" : "VARCHAR")} AS override_grade,
    ${overrides ? "o.until" : d.name === "clickhouse" ? "CAST(NULL AS Nullable(String))" : "CAST(NULL AS VARCHAR)"} AS override_until,
    p.score AS score_exact
  FROM acct a
  LEFT JOIN prim p ON p.account_id = a.account_id
  LEFT JOIN roll r ON r.account_id = a.account_id${overrides ? "\n  LEFT JOIN ovr o ON o.account_id = a.account_id" : ""}
  ORDER BY a.account_id`;
  }
}

/**
 * Compiles scorecards to one query (see SqlOptions). Throws SqlCompileError, naming the scorecard and factor, for
 * anything the query could not compute exactly as the engine does.
 */
export function compileSql(scorecards: readonly Scorecard[], options: SqlOptions): string {
  if (scorecards.length === 0) throw new Error("no scorecards to compile");
  if (
    options.history !== undefined &&
    !(Number.isInteger(options.history) && options.history >= 1 && options.history <= 3660)
  ) {
    throw new Error(`history must be a whole number of days from 1 to 3660, not ${options.history}`);
  }
  return new Compiler(scorecards, options).compile();
}
