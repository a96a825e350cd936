import type { AttributeValue } from "../schema/account.ts";
import type { Rule } from "../schema/scorecard.ts";

/** A factor's raw value: a number from a metric or attribute, or a category or yes/no from an attribute. */
export type RawValue = AttributeValue;

const TRUE_WORDS = new Set(["true", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0"]);

/** Reads a raw value as a number; text that is not a plain number, and null, read as NaN (missing). */
export function toNumber(value: RawValue): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : Number.NaN;
  }
  return Number.NaN;
}

/** Reads a raw value as yes/no (true/false, yes/no, 1/0, any case); anything else is undefined (missing). */
export function toBoolean(value: RawValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  return undefined;
}

/** Maps a number to n by a numeric rule (linear or steps); NaN in gives NaN out. */
export function normalizeNumber(rule: Rule, v: number): number {
  if (Number.isNaN(v)) return Number.NaN;
  switch (rule.kind) {
    case "linear": {
      const n = (v - rule.worst) / (rule.best - rule.worst);
      return n < 0 ? 0 : Math.min(n, 1);
    }
    case "steps": {
      for (const step of rule.steps) if (step.upTo === undefined || v <= step.upTo) return step.n;
      return Number.NaN;
    }
    case "categorical":
      return normalizeValue(rule, v);
    case "boolean":
      return normalizeValue(rule, v);
  }
}

/** Maps any raw value to n in [0, 1], or NaN when it is missing or the rule cannot read it. */
export function normalizeValue(rule: Rule, value: RawValue): number {
  if (value === null) return Number.NaN;
  switch (rule.kind) {
    case "linear":
    case "steps":
      return normalizeNumber(rule, toNumber(value));
    case "categorical": {
      const key = String(value).trim();
      if (Object.hasOwn(rule.map, key)) return rule.map[key] as number;
      // CRMs are not consistent about case ("Annual" vs "annual"): fall back to a case-insensitive match.
      const lower = key.toLowerCase();
      for (const [k, n] of Object.entries(rule.map)) if (k.toLowerCase() === lower) return n;
      return rule.default ?? Number.NaN;
    }
    case "boolean": {
      const b = toBoolean(value);
      return b === undefined ? Number.NaN : b ? rule.true : rule.false;
    }
  }
}
