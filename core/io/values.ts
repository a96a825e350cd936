import { MAX_VALUE } from "../schema/bounds.ts";
import { type Day, parseIsoDay } from "../schema/day.ts";

/** How a file writes its dates; the import mapping says which (a file rarely says so itself). */
export type DateFormat = "YYYY-MM-DD" | "MM/DD/YYYY" | "DD/MM/YYYY" | "DD.MM.YYYY";
/** The date formats an import mapping can name. */
export const DATE_FORMATS: readonly DateFormat[] = ["YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "DD.MM.YYYY"];

/** How a file writes numbers: `1,234.5` (decimal point) or `1.234,5` (decimal comma). */
export type DecimalMark = "." | ",";

/** A parsed cell: a value, nothing (an empty cell), or why it could not be read. */
export type Cell<T> = { ok: true; value: T } | { ok: true; value: null } | { ok: false; reason: string };

const EMPTY: Cell<never> = { ok: true, value: null };
const fail = (reason: string): Cell<never> => ({ ok: false, reason });
const ok = <T>(value: T): Cell<T> => ({ ok: true, value });

/** Cells that mean "no value" in CRM and help-desk exports. */
const EMPTY_WORDS = new Set(["", "-", "—", "n/a", "na", "null", "none", "#n/a"]);

/** Whether a cell is empty (blank, or one of the placeholders exports write for nothing). */
export function isEmptyCell(text: string): boolean {
  return EMPTY_WORDS.has(text.trim().toLowerCase());
}

/** Powers of ten a plain decimal's digits are divided by (exact as doubles up to 10^22). */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The fast path of parseNumberCell: text[start, end) read in place as a plain decimal (`-?digits[mark digits]`,
 * at most 15 digits, no spaces, signs or separators), or NaN for anything else, which parseNumberCell then reads.
 * With at most 15 digits the digits are an exact integer and one division by an exact power of ten rounds once,
 * so the value is the same double as `Number(text)`.
 */
export function scanPlainNumber(text: string, start: number, end: number, decimal: DecimalMark = "."): number {
  const mark = decimal === "." ? 46 : 44;
  let i = start;
  const negative = i < end && text.charCodeAt(i) === 45;
  if (negative) i++;
  let digits = 0;
  let fraction = -1;
  let mantissa = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === mark && fraction < 0 && digits > 0) fraction = 0;
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const value = fraction > 0 ? mantissa / (POW10[fraction] as number) : mantissa;
  return negative ? -value : value;
}

const CURRENCY = /[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD)\b/gi;

/**
 * Reads a number as exports write them: thousands separators, currency signs and codes, a trailing %, spaces,
 * parentheses or a leading minus for negatives. `1,234.50 €` → 1234.5; with decimal ",": `1.234,50` → 1234.5.
 */
export function parseNumberCell(text: string, decimal: DecimalMark = "."): Cell<number> {
  const fast = scanPlainNumber(text, 0, text.length, decimal);
  if (!Number.isNaN(fast)) return ok(fast);
  if (isEmptyCell(text)) return EMPTY;
  let s = text
    .trim()
    .replace(CURRENCY, "")
    .replace(/[\s\u00a0\u202f']/g, "");
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.endsWith("%")) s = s.slice(0, -1);
  if (s.startsWith("-") || s.startsWith("−")) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith("+")) s = s.slice(1);
  const thousands = decimal === "." ? "," : ".";
  // Thousands separators must group by three: "1,234,567.5" is fine, "1,23" with decimal "." is not a number.
  const grouped = decimal === "." ? /^\d{1,3}(,\d{3})+(\.\d+)?$/ : /^\d{1,3}(\.\d{3})+(,\d+)?$/;
  const plain = decimal === "." ? /^(\d+(\.\d*)?|\.\d+)$/ : /^(\d+(,\d*)?|,\d+)$/;
  if (grouped.test(s)) s = s.split(thousands).join("");
  else if (!plain.test(s)) {
    return fail(
      decimal === "."
        ? `"${text}" is not a number (expected e.g. 1234.5 or 1,234.5)`
        : `"${text}" is not a number (expected e.g. 1234,5 or 1.234,5)`,
    );
  }
  const value = Number(decimal === "," ? s.replace(",", ".") : s);
  if (!Number.isFinite(value)) return fail(`"${text}" is not a number`);
  // Past 10^15 sums over a window lose whole units and, near 1e308, overflow to Infinity (every score NaN).
  if (value > MAX_VALUE) return fail(`"${text}" is too large (numbers must be between -10^15 and 10^15)`);
  return ok(negative ? -value : value);
}

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "x", "✓", "ja", "oui", "sí", "si"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "nein", "non"]);

/** Reads TRUE/FALSE, Yes/No, Y/N, 1/0 (any case). */
export function parseBooleanCell(text: string): Cell<boolean> {
  if (text.trim() === "") return EMPTY;
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return fail(`"${text}" is not yes/no (expected TRUE/FALSE, Yes/No or 1/0)`);
}

const DATE_PATTERNS: Record<DateFormat, RegExp> = {
  "YYYY-MM-DD": /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})$/,
  "MM/DD/YYYY": /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  "DD/MM/YYYY": /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  "DD.MM.YYYY": /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The fast path of parseDateCell for `YYYY-MM-DD`: text[start, end) read in place as exactly that (no time, no
 * spaces), or NaN for anything else, which parseDateCell then reads. Impossible dates (2025-02-30) and years
 * before 100 (which parseIsoDay refuses) are NaN too.
 */
export function scanIsoDay(text: string, start: number, end: number): number {
  if (end - start !== 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return Number.NaN;
  // Each digit minus "0" as an unsigned number: anything but a digit is above 9.
  const y0 = (text.charCodeAt(start) - 48) >>> 0;
  const y1 = (text.charCodeAt(start + 1) - 48) >>> 0;
  const y2 = (text.charCodeAt(start + 2) - 48) >>> 0;
  const y3 = (text.charCodeAt(start + 3) - 48) >>> 0;
  const m0 = (text.charCodeAt(start + 5) - 48) >>> 0;
  const m1 = (text.charCodeAt(start + 6) - 48) >>> 0;
  const d0 = (text.charCodeAt(start + 8) - 48) >>> 0;
  const d1 = (text.charCodeAt(start + 9) - 48) >>> 0;
  if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9) return Number.NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (y < 100 || m < 1 || m > 12 || d < 1) return Number.NaN;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number))) return Number.NaN;
  // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Reads a date in the mapping's format. A time after the date (`2024-10-16 14:03:00`, `2024-10-16T14:03:00Z`)
 * is ignored: Vitals works in whole days, and the day is the one written, with no time-zone shift.
 */
export function parseDateCell(text: string, format: DateFormat): Cell<Day> {
  if (format === "YYYY-MM-DD") {
    const day = scanIsoDay(text, 0, text.length);
    if (!Number.isNaN(day)) return ok(day);
  }
  if (isEmptyCell(text)) return EMPTY;
  const datePart = text.trim().split(/[T\s]/)[0] ?? "";
  const match = DATE_PATTERNS[format].exec(datePart);
  if (!match?.groups) return fail(`"${text}" is not a date in the format ${format}`);
  const { y, m, d } = match.groups as { y: string; m: string; d: string };
  const day = parseIsoDay(`${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`);
  return day === undefined ? fail(`"${text}" is not a real date (${format})`) : ok(day);
}

/** Normalizes a header for matching: lower case, no BOM, spaces/underscores/dashes ignored ("Account ID" = "account_id"). */
export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_\-./]+/g, "");
}
