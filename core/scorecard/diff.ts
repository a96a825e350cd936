import type { AlertRule } from "../schema/alert-rule.ts";
import type { Condition, Factor, MissingPolicy, Rule, Scorecard, SimpleSource, Source } from "../schema/scorecard.ts";
import { canonicalJson } from "./lineage.ts";

// A scorecard as a flat set of units (one field of one factor, one band's min, the card's name…), keyed by a path of
// ids rather than positions, so two versions compare and merge field by field however their lists are ordered.
// A factor, group, band (by grade) or alert rule is present when its unit `<list>/<id>` is.

/** The units of a scorecard: unit key → canonical JSON of its value. */
export type Units = ReadonlyMap<string, string>;

const TOP = ["name", "description", "priority", "minCoverage", "deltaDays", "badgeForm", "appliesTo"] as const;
const FACTOR_FIELDS = [
  "label",
  "description",
  "group",
  "weight",
  "source",
  "rule",
  "missing",
  "staleAfterDays",
] as const;
const GROUP_FIELDS = ["label", "weight"] as const;
const BAND_FIELDS = ["min", "color", "label"] as const;

/** Splits a scorecard into its units. */
export function unitsOf(card: Scorecard): Map<string, string> {
  const units = new Map<string, string>();
  const put = (key: string, value: unknown) => {
    if (value !== undefined) units.set(key, canonicalJson(value));
  };
  for (const key of TOP) put(key, card[key]);
  for (const f of card.factors) {
    put(`factors/${f.id}`, true);
    for (const field of FACTOR_FIELDS) put(`factors/${f.id}/${field}`, f[field]);
  }
  for (const g of card.groups) {
    put(`groups/${g.id}`, true);
    for (const field of GROUP_FIELDS) put(`groups/${g.id}/${field}`, g[field]);
  }
  for (const b of card.bands) {
    put(`bands/${b.grade}`, true);
    for (const field of BAND_FIELDS) put(`bands/${b.grade}/${field}`, b[field]);
  }
  if (card.alerts) {
    put("alerts", true);
    for (const rule of card.alerts) put(`alerts/${rule.id}`, rule);
  }
  return units;
}

/** Which side a value comes from in a diff: `a` (mine, the left file) or `b` (theirs, the right file). */
export type Side = "a" | "b";

/** One difference between two versions of a scorecard, in words, with the units it covers. */
export interface ScorecardChange {
  /** Stable key of the change (a unit key, or the `<list>/<id>` of an item added or removed). */
  readonly key: string;
  /** Every unit this change sets: choosing a side takes that side's value (or absence) of each. */
  readonly units: readonly string[];
  /** JSON path of the value in the file that has it (b's, or a's when b has none): `$.factors[2].weight`. */
  readonly path: string;
  /** The same path in each file, where that file has it. */
  readonly paths: { readonly a?: string; readonly b?: string };
  /** Plain words: `factor "NPS": weight 20 → 25`, `band B from 65 to 70`, `factor "Logins" added`. */
  readonly words: string;
}

/** A number as people read it: no trailing zeros, at most four decimals. */
const num = (n: number) => String(Number(n.toFixed(4)));
const q = (s: string) => JSON.stringify(s);

function simpleSourceWords(s: SimpleSource): string {
  if (s.kind === "attribute") return `attribute ${s.key}`;
  if (s.kind === "tenureDays") return "tenure in days";
  if (s.aggregation === "daysSince") return `days since the last ${s.metric}`;
  return `${s.aggregation} of ${s.metric} over ${s.windowDays} days`;
}

/** Where a factor's value comes from, briefly: `sum of logins over 30 days`. */
export function sourceWords(s: Source): string {
  return s.kind === "ratio"
    ? `${simpleSourceWords(s.numerator)} ÷ ${simpleSourceWords(s.denominator)}`
    : simpleSourceWords(s);
}

/** A rule, briefly: `steps ≤ 0 → 0, ≤ 30 → 0.5, above → 1`. */
export function ruleWords(r: Rule): string {
  switch (r.kind) {
    case "linear":
      return `linear from ${num(r.worst)} (worst) to ${num(r.best)} (best)`;
    case "steps":
      return `steps ${r.steps.map((s) => (s.upTo === undefined ? `above → ${num(s.n)}` : `≤ ${num(s.upTo)} → ${num(s.n)}`)).join(", ")}`;
    case "categorical": {
      const map = Object.keys(r.map)
        .sort()
        .map((k) => `${k} → ${num(r.map[k] as number)}`);
      if (r.default !== undefined) map.push(`other → ${num(r.default)}`);
      return `categories ${map.join(", ")}`;
    }
    case "boolean":
      return `yes → ${num(r.true)}, no → ${num(r.false)}`;
  }
}

function missingWords(m: MissingPolicy): string {
  return m.policy === "skip" ? "skipped" : m.policy === "zero" ? "counts 0" : `counts ${num(m.n)}`;
}

function conditionWords(c: Condition): string {
  switch (c.kind) {
    case "equals":
      return `${c.attribute} = ${String(c.value)}`;
    case "in":
      return `${c.attribute} in ${c.values.join(", ")}`;
    case "range":
      return `${c.min === undefined ? "" : `${num(c.min)} ≤ `}${c.attribute}${c.max === undefined ? "" : ` ≤ ${num(c.max)}`}`;
    case "stage":
      return `stage ${c.stages.join(" or ")}`;
    case "tenure":
      return `tenure ${c.minDays ?? 0}–${c.maxDays ?? "∞"} days`;
  }
}

function alertWords(r: AlertRule): string {
  switch (r.kind) {
    case "drop":
      return `a drop of ${num(r.points)} points in ${r.withinDays} days`;
    case "band":
      return r.grade === undefined ? `band colour ${r.color}` : `band ${r.grade}`;
    case "factor":
      return `factor ${r.factorId} below ${num(r.below)}`;
    case "renewal":
      return `renewal within ${r.withinDays} days`;
    case "noData":
      return `no data for ${r.days} days`;
  }
}

const TOP_WORDS: Record<(typeof TOP)[number], (v: never) => string> = {
  name: (v: string) => q(v),
  description: (v: string) => (v === "" ? "(none)" : q(v)),
  priority: (v: number) => num(v),
  minCoverage: (v: number) => `${num(v * 100)}%`,
  deltaDays: (v: number) => `${v} days`,
  badgeForm: (v: string) => v,
  appliesTo: (v: Condition[]) => (v.length === 0 ? "all accounts" : v.map(conditionWords).join(" and ")),
};
const TOP_LABEL: Record<(typeof TOP)[number], string> = {
  name: "name",
  description: "description",
  priority: "priority",
  minCoverage: "minimum coverage",
  deltaDays: "change period",
  badgeForm: "badge shows",
  appliesTo: "applies to",
};

function factorFieldWords(field: (typeof FACTOR_FIELDS)[number], a: Factor | undefined, b: Factor | undefined): string {
  const words = (f: Factor | undefined): string => {
    if (!f) return "—";
    switch (field) {
      case "label":
        return q(f.label);
      case "description":
        return f.description === "" ? "(none)" : q(f.description);
      case "group":
        return f.group ?? "(none)";
      case "weight":
        return num(f.weight);
      case "source":
        return sourceWords(f.source);
      case "rule":
        return ruleWords(f.rule);
      case "missing":
        return missingWords(f.missing);
      case "staleAfterDays":
        return f.staleAfterDays === undefined ? "(never)" : `${f.staleAfterDays} days`;
    }
  };
  if (field === "rule" && a?.rule.kind === "steps" && b?.rule.kind === "steps")
    return `rule steps changed: ${words(a).slice(6)} → ${words(b).slice(6)}`;
  const label = { missing: "when missing", staleAfterDays: "stale after" }[field as string] ?? field;
  return `${label} ${words(a)} → ${words(b)}`;
}

/** The display name of a factor or group: its label, from whichever side has it. */
const nameOf = (x: { label: string } | undefined, y: { label: string } | undefined) => q((y ?? x)?.label ?? "");

/**
 * The differences between two versions of a scorecard, in words, in the order of the file (top-level fields,
 * factors, groups, bands, alert rules). Empty when they say the same (whatever their key order or defaults).
 */
export function diffScorecards(a: Scorecard, b: Scorecard): ScorecardChange[] {
  const ua = unitsOf(a);
  const ub = unitsOf(b);
  const changes: ScorecardChange[] = [];
  const differs = (key: string) => ua.get(key) !== ub.get(key);
  const change = (key: string, units: string[], pa: string | undefined, pb: string | undefined, words: string) => {
    const paths: { a?: string; b?: string } = {};
    if (pa !== undefined) paths.a = pa;
    if (pb !== undefined) paths.b = pb;
    changes.push({ key, units, path: (pb ?? pa) as string, paths, words });
  };
  for (const key of TOP) {
    if (!differs(key)) continue;
    const words = TOP_WORDS[key] as (v: unknown) => string;
    change(key, [key], `$.${key}`, `$.${key}`, `${TOP_LABEL[key]} ${words(a[key])} → ${words(b[key])}`);
  }
  const lists = [
    {
      list: "factors",
      word: "factor",
      ia: a.factors,
      ib: b.factors,
      fields: FACTOR_FIELDS,
      idOf: (x: { id: string }) => x.id,
    },
    {
      list: "groups",
      word: "group",
      ia: a.groups,
      ib: b.groups,
      fields: GROUP_FIELDS,
      idOf: (x: { id: string }) => x.id,
    },
    {
      list: "bands",
      word: "band",
      ia: a.bands,
      ib: b.bands,
      fields: BAND_FIELDS,
      idOf: (x: { grade: string }) => x.grade,
    },
  ] as const;
  for (const { list, word, ia, ib, fields, idOf } of lists) {
    const ids = orderedIds(
      (ia as readonly unknown[]).map((x) => idOf(x as never)),
      (ib as readonly unknown[]).map((x) => idOf(x as never)),
    );
    for (const id of ids) {
      const at = (items: readonly unknown[]) => items.findIndex((x) => idOf(x as never) === id);
      const ka = at(ia);
      const kb = at(ib);
      const xa = ia[ka] as Record<string, unknown> | undefined;
      const xb = ib[kb] as Record<string, unknown> | undefined;
      const pa = ka < 0 ? undefined : `$.${list}[${ka}]`;
      const pb = kb < 0 ? undefined : `$.${list}[${kb}]`;
      const unitKeys = [`${list}/${id}`, ...fields.map((f) => `${list}/${id}/${f}`)];
      const name = list === "bands" ? id : nameOf(xa as { label: string }, xb as { label: string });
      if (!xa || !xb) {
        const item = (xb ?? xa) as Record<string, unknown>;
        const what =
          list === "bands"
            ? `band ${id} (from ${num(item.min as number)}, ${item.color}, ${q(item.label as string)})`
            : list === "factors"
              ? `factor ${name} (weight ${num(item.weight as number)}, ${sourceWords(item.source as Source)})`
              : `group ${name} (weight ${num(item.weight as number)})`;
        change(`${list}/${id}`, unitKeys, pa, pb, `${what} ${xb ? "added" : "removed"}`);
        continue;
      }
      for (const field of fields) {
        const key = `${list}/${id}/${field}`;
        if (!differs(key)) continue;
        let words: string;
        if (list === "factors")
          words = `factor ${name}: ${factorFieldWords(field as never, xa as Factor, xb as Factor)}`;
        else if (list === "bands" && field === "min")
          words = `band ${id} from ${num(xa.min as number)} to ${num(xb.min as number)}`;
        else {
          const show = (v: unknown) => (typeof v === "number" ? num(v) : field === "label" ? q(String(v)) : String(v));
          words = `${word} ${name}: ${field === "color" ? "colour" : field} ${show(xa[field])} → ${show(xb[field])}`;
        }
        change(key, [key], `${pa}.${field}`, `${pb}.${field}`, words);
      }
    }
  }
  if (differs("alerts") && (!a.alerts || !b.alerts)) {
    const keys = new Set(["alerts", ...[...ua.keys(), ...ub.keys()].filter((k) => k.startsWith("alerts/"))]);
    change(
      "alerts",
      [...keys],
      a.alerts ? "$.alerts" : undefined,
      b.alerts ? "$.alerts" : undefined,
      `alert rules: ${a.alerts ? "its own list" : "the default rules"} → ${b.alerts ? "its own list" : "the default rules"}`,
    );
  } else if (a.alerts && b.alerts) {
    const ra = a.alerts;
    const rb = b.alerts;
    for (const id of orderedIds(
      ra.map((r) => r.id),
      rb.map((r) => r.id),
    )) {
      const key = `alerts/${id}`;
      if (!differs(key)) continue;
      const ka = ra.findIndex((r) => r.id === id);
      const kb = rb.findIndex((r) => r.id === id);
      const xa = ra[ka];
      const xb = rb[kb];
      const words = !xa
        ? `alert rule ${q(id)} added (${alertWords(xb as AlertRule)})`
        : !xb
          ? `alert rule ${q(id)} removed (${alertWords(xa)})`
          : `alert rule ${q(id)}: ${alertWords(xa)} → ${alertWords(xb)}`;
      change(key, [key], ka < 0 ? undefined : `$.alerts[${ka}]`, kb < 0 ? undefined : `$.alerts[${kb}]`, words);
    }
  }
  return changes;
}

/** Ids in a's order, then those only b has in b's order. */
export function orderedIds(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set(a);
  return [...a, ...b.filter((id) => !seen.has(id))];
}
