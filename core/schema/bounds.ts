import { z } from "zod";

// The ranges every number in Vitals' files must keep to. Without them a value such as 1e308 passes as "finite"
// and then overflows the arithmetic: a weight of 1e308 made every weighted sum Infinity and every score NaN,
// shown as "Not enough data". Each bound is far beyond real use and far inside what a double adds up exactly.

/** The largest magnitude of a data value, an attribute, ARR or a rule's threshold: 10^15. */
export const MAX_VALUE = 1e15;
/** The largest weight of a factor or group (weights are relative: only their ratios matter). */
export const MAX_WEIGHT = 1000;
/** The longest span in days anything counts over: 100 years. */
export const MAX_DAYS = 36_600;

/**
 * How a bound reads in a message: 1e15 as "10^15", others in full with thousands separators and at most 6 decimals
 * (1,000 or 0.5; the bounds are constants of the code). Formatted by hand: the schemas build these messages when
 * their modules load (a worker's cold start), and `toLocaleString` there cost a locale lookup per bound, ~20 ms in
 * all.
 */
export const shown = (x: number): string => {
  if (Math.abs(x) >= 1e9) return `${x < 0 ? "-" : ""}10^${Math.round(Math.log10(Math.abs(x)))}`;
  const [whole = "0", fraction = ""] = Math.abs(x).toFixed(6).split(".");
  const digits = fraction.replace(/0+$/, "");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = digits ? `${grouped}.${digits}` : grouped;
  return x < 0 && text !== "0" ? `-${text}` : text;
};

/** A finite number from `min` to `max`, with messages naming the field and the range. */
export function bounded(what: string, min: number, max: number) {
  const range = `${what} must be between ${shown(min)} and ${shown(max)}`;
  return z.number().min(min, range).max(max, range);
}

/** A data value, attribute or threshold: between −10^15 and 10^15. */
export const value = (what: string) => bounded(what, -MAX_VALUE, MAX_VALUE);

/** A whole number of days from `min` to `max` (MAX_DAYS by default). */
export function wholeDays(what: string, min: number, max: number = MAX_DAYS) {
  return z
    .number()
    .int(`${what} must be a whole number of days`)
    .min(min, `${what} must be at least ${shown(min)}`)
    .max(max, `${what} must be at most ${shown(max)}`);
}
