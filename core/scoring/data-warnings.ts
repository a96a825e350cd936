import { type Account, attributeOf, WELL_KNOWN_ATTRIBUTES } from "../schema/account.ts";
import type { FileIssue } from "../schema/issues.ts";
import type { Condition, Factor, Rule, Scorecard, SimpleSource } from "../schema/scorecard.ts";
import { count, plural } from "../text/words.ts";
import { toBoolean, toNumber } from "./normalize.ts";

// Mistakes that parse and score without a word: a factor reading an attribute no account has (`contract` for
// `Contract`: attribute names are case-sensitive), a category the card maps that no account has (`Two-year` for
// `Two year`), a category the data has that the card does not map, text where a rule needs numbers. Each leaves the
// factor missing for some or all accounts, so scores rest quietly on the other factors. These checks compare a
// scorecard with the accounts and say so, naming the nearest matches and how many accounts have them.

/** How many names or values a message lists at most. */
const LISTED = 5;

const accounts = (n: number) => plural(n, "account");
const quoted = (text: string) => JSON.stringify(text);

/** Edit distance (insertions, deletions, substitutions) between two short texts. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Lower case without spaces and punctuation: "Two-year" and "two year" and "TwoYear" are the same. */
const folded = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/**
 * The texts among `candidates` (with their counts) that look like `target`: the same but for case, spaces and
 * punctuation first, then a few letters apart, or one inside the other; the most common first among equals.
 */
export function nearestMatches(target: string, candidates: ReadonlyMap<string, number>, limit = 3): [string, number][] {
  const t = folded(target);
  const lower = target.toLowerCase();
  const scored: { text: string; n: number; d: number }[] = [];
  for (const [text, n] of candidates) {
    if (text === target) continue;
    const c = folded(text);
    let d: number;
    if (c === t) d = 0;
    else {
      d = distance(lower, text.toLowerCase());
      const close = d <= Math.max(1, Math.floor(Math.min(target.length, text.length) / 3));
      const inside = t.length >= 4 && c.length >= 4 && (c.includes(t) || t.includes(c));
      if (!close && !inside) continue;
      if (!close) d = Math.max(d, 100);
    }
    scored.push({ text, n, d });
  }
  scored.sort((x, y) => x.d - y.d || y.n - x.n || (x.text < y.text ? -1 : 1));
  return scored.slice(0, limit).map((s) => [s.text, s.n]);
}

/** `"Contract" (7,043 accounts)`, listed. */
const withCounts = (list: readonly [string, number][]) =>
  list.map(([t, n]) => `${quoted(t)} (${accounts(n)})`).join(", ");

/** What the accounts hold, counted once per check: attribute names and, on demand, each attribute's values. */
class AccountFacts {
  readonly #accounts: readonly Account[];
  #keys: Map<string, number> | undefined;
  readonly #values = new Map<string, Map<string, number>>();
  constructor(list: readonly Account[]) {
    this.#accounts = list;
  }
  get size(): number {
    return this.#accounts.length;
  }
  /** Accounts with a value, by attribute name (well-known fields and custom attributes). */
  keys(): Map<string, number> {
    if (this.#keys) return this.#keys;
    const keys = new Map<string, number>();
    const add = (key: string) => keys.set(key, (keys.get(key) ?? 0) + 1);
    for (const account of this.#accounts) {
      for (const key of WELL_KNOWN_ATTRIBUTES) if (attributeOf(account, key) !== null) add(key);
      for (const key of Object.keys(account.attributes)) if (attributeOf(account, key) !== null) add(key);
    }
    this.#keys = keys;
    return keys;
  }
  /** Accounts per value of an attribute (trimmed text of the value), for accounts that have one. */
  values(key: string): Map<string, number> {
    let values = this.#values.get(key);
    if (values) return values;
    values = new Map();
    for (const account of this.#accounts) {
      const v = attributeOf(account, key);
      if (v === null) continue;
      const text = String(v).trim();
      values.set(text, (values.get(text) ?? 0) + 1);
    }
    this.#values.set(key, values);
    return values;
  }
  withStartDate(): number {
    return this.#accounts.filter((a) => a.startDate !== undefined).length;
  }
}

/** The most common texts of a map, most common first. */
const commonest = (values: ReadonlyMap<string, number>, limit: number) =>
  [...values].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);

/** "no account has the attribute …; nearest: …" or the attributes the data has. */
function missingAttribute(key: string, facts: AccountFacts, what: string): string {
  const near = nearestMatches(key, facts.keys());
  const hint =
    near.length > 0
      ? `did you mean ${withCounts(near)}? (attribute names are case-sensitive)`
      : `the accounts have: ${
          facts.keys().size === 0
            ? "no attributes"
            : commonest(facts.keys(), 10)
                .map(([k]) => quoted(k))
                .join(", ")
        }`;
  return `no account has the attribute ${quoted(key)}, so ${what}; ${hint}`;
}

/** Warnings about one attribute a factor reads: the name, then the values its rule expects. */
function attributeWarnings(
  factor: Factor,
  source: Extract<SimpleSource, { kind: "attribute" }>,
  rule: Rule | null,
  at: string,
  ruleAt: string,
  facts: AccountFacts,
): FileIssue[] {
  const name = `factor ${quoted(factor.label)}`;
  if (!facts.keys().has(source.key)) {
    return [
      { path: `${at}.key`, message: missingAttribute(source.key, facts, `${name} is missing for every account`) },
    ];
  }
  if (rule === null) return [];
  const values = facts.values(source.key);
  const issues: FileIssue[] = [];
  if (rule.kind === "categorical") {
    const lower = new Map<string, number>();
    for (const [v, n] of values) lower.set(v.toLowerCase(), (lower.get(v.toLowerCase()) ?? 0) + n);
    const mapped = new Set(Object.keys(rule.map).map((k) => k.trim().toLowerCase()));
    for (const key of Object.keys(rule.map)) {
      if (lower.has(key.trim().toLowerCase())) continue;
      const near = nearestMatches(key, values);
      issues.push({
        path: `${ruleAt}.map[${quoted(key)}]`,
        message:
          `no account has the value ${quoted(key)} of ${quoted(source.key)} (${name})` +
          (near.length > 0
            ? `; nearest: ${withCounts(near)}`
            : `; its values are ${withCounts(commonest(values, LISTED))}${values.size > LISTED ? ", …" : ""}`),
      });
    }
    if (rule.default === undefined) {
      const unmapped = [...values].filter(([v]) => !mapped.has(v.toLowerCase()));
      if (unmapped.length > 0) {
        const total = unmapped.reduce((s, [, n]) => s + n, 0);
        const keys = new Map(Object.keys(rule.map).map((k) => [k, 0]));
        const listed = commonest(new Map(unmapped), LISTED).map(([v, n]) => {
          const near = nearestMatches(v, keys, 1)[0];
          return `${quoted(v)} (${accounts(n)}${near ? `; the card maps ${quoted(near[0])}` : ""})`;
        });
        const more = unmapped.length > LISTED ? `, and ${count(unmapped.length - LISTED)} more` : "";
        issues.push({
          path: `${ruleAt}.map`,
          message:
            `${unmapped.length === 1 ? "a value" : `${count(unmapped.length)} values`} of ${quoted(source.key)} ` +
            `${unmapped.length === 1 ? "is" : "are"} not mapped, so ${name} is missing for ${accounts(total)}: ` +
            `${listed.join(", ")}${more} (map ${unmapped.length === 1 ? "it" : "them"}, or give the rule a default)`,
        });
      }
    }
  } else {
    const unread = [...values].filter(([v]) =>
      rule.kind === "boolean" ? toBoolean(v) === undefined : Number.isNaN(toNumber(v)),
    );
    if (unread.length > 0) {
      const total = unread.reduce((s, [, n]) => s + n, 0);
      const needs = rule.kind === "boolean" ? "yes or no" : total === 1 ? "a number" : "numbers";
      issues.push({
        path: `${at}.key`,
        message:
          `${accounts(total)} ${total === 1 ? "has a value" : "have values"} of ${quoted(source.key)} that ` +
          `${total === 1 ? "is" : "are"} not ${needs}, so ${name} is missing for ${total === 1 ? "it" : "them"}: ${withCounts(commonest(new Map(unread), LISTED))}${unread.length > LISTED ? ", …" : ""}` +
          (rule.kind === "boolean" ? "" : " (a categorical rule maps text to points)"),
      });
    }
  }
  return issues;
}

/** Warnings about the attributes and values a scorecard's "applies to" conditions name. */
function conditionWarnings(condition: Condition, at: string, facts: AccountFacts): FileIssue[] {
  if (condition.kind === "tenure") return [];
  const key = condition.kind === "stage" ? "stage" : condition.attribute;
  if (!facts.keys().has(key)) {
    return [
      {
        path: `${at}.${condition.kind === "stage" ? "stages" : "attribute"}`,
        message: missingAttribute(key, facts, "this condition holds for no account"),
      },
    ];
  }
  const wanted =
    condition.kind === "equals"
      ? [{ value: condition.value, path: `${at}.value` }]
      : condition.kind === "in"
        ? condition.values.map((value, i) => ({ value, path: `${at}.values[${i}]` }))
        : condition.kind === "stage"
          ? condition.stages.map((value, i) => ({ value, path: `${at}.stages[${i}]` }))
          : [];
  const values = facts.values(key);
  const lower = new Set([...values.keys()].map((v) => v.toLowerCase()));
  return wanted.flatMap(({ value, path }) => {
    const text = String(value).trim();
    if (lower.has(text.toLowerCase())) return [];
    const near = nearestMatches(text, values);
    return [
      {
        path,
        message:
          `no account has ${quoted(key)} ${quoted(text)}` +
          (near.length > 0
            ? `; nearest: ${withCounts(near)}`
            : `; its values are ${withCounts(commonest(values, LISTED))}`),
      },
    ];
  });
}

/**
 * Everything in a scorecard that the accounts cannot give it: attributes no account has (with the nearest names),
 * categories no account has and categories the card does not map (with counts and the nearest ones), values a
 * numeric or yes/no rule cannot read, and "applies to" conditions on attributes or values no account has. Paths
 * are JSON paths under `base`. Metrics are checked apart (unknownMetricIssues). Nothing to say without accounts.
 */
export function scorecardDataWarnings(card: Scorecard, list: readonly Account[], base = "$"): FileIssue[] {
  if (list.length === 0) return [];
  const facts = new AccountFacts(list);
  const issues: FileIssue[] = [];
  card.factors.forEach((factor, i) => {
    const at = `${base}.factors[${i}]`;
    const source = factor.source;
    if (source.kind === "attribute") {
      issues.push(...attributeWarnings(factor, source, factor.rule, `${at}.source`, `${at}.rule`, facts));
    } else if (source.kind === "ratio") {
      for (const side of ["numerator", "denominator"] as const) {
        const part = source[side];
        if (part.kind === "attribute") {
          // A ratio divides numbers: each side must be one.
          issues.push(
            ...attributeWarnings(
              factor,
              part,
              { kind: "linear", worst: 0, best: 1 },
              `${at}.source.${side}`,
              "",
              facts,
            ),
          );
        } else if (part.kind === "tenureDays" && facts.withStartDate() === 0) {
          issues.push({
            path: `${at}.source.${side}`,
            message: `no account has a start date, so factor ${quoted(factor.label)} is missing for every account`,
          });
        }
      }
    } else if (source.kind === "tenureDays" && facts.withStartDate() === 0) {
      issues.push({
        path: `${at}.source`,
        message: `no account has a start date, so factor ${quoted(factor.label)} (tenure) is missing for every account`,
      });
    }
  });
  card.appliesTo.forEach((condition, k) => {
    issues.push(...conditionWarnings(condition, `${base}.appliesTo[${k}]`, facts));
  });
  return issues;
}
