/**
 * The one CSV writer: every CSV the product writes (the Accounts export, `vitals score --format csv`, an import's
 * rejected rows, the open tasks) goes through `writeCsv`, so each is quoted per RFC 4180 (fields
 * holding a comma, a quote, a line break or an edge space are quoted, inner quotes doubled) and none carries a
 * formula.
 *
 * Cells are typed, and the type alone decides escaping (never the look of the text):
 * - a `string` is text. Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a `'`
 *   in front and quoted (OWASP's advice on CSV injection), so a spreadsheet shows it as text instead of running
 *   it: an account id "-5", a name "=HYPERLINK(…)" or "@SUM(1)" all come back as text with a leading `'`.
 * - a `number` (or `fixedCell(value, decimals)`) is a number, written as one and never escaped: a delta of -12.5
 *   stays numeric. It is formatted here from a JS number, so it can only be digits, a `-`, a `.` and an exponent;
 *   NaN and ±Infinity are written empty, -0 as 0.
 * - `null` and `undefined` are empty cells.
 */
export type CsvCell = string | number | CsvFixed | null | undefined;

/** A number written with a fixed count of decimals (e.g. a coverage of 0.500). */
export interface CsvFixed {
  readonly fixed: number;
  readonly decimals: number;
}

/** A number cell with `decimals` fixed decimals. */
export const fixedCell = (value: number, decimals: number): CsvFixed => ({ fixed: value, decimals });

/** The first characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a text would be run as a formula by a spreadsheet, and so is written with a leading `'`. */
export const startsLikeFormula = (text: string): boolean => FORMULA_START.test(text);

/** A number's text: shortest round-trip form (or fixed decimals), empty when not finite, and never "-0". */
function numberText(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return "";
  const text = decimals === undefined ? String(value) : value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Options for `writeCsv`. */
export interface CsvWriteOptions {
  /** Line ending after every row, header included; RFC 4180's "\r\n" by default ("\n" for the CLI's stdout). */
  newline?: "\r\n" | "\n";
}

/** A field as RFC 4180 writes it: quoted, inner quotes doubled, when it holds a comma, quote or line break. */
function field(text: string, quote: boolean): string {
  return quote || /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A text cell: with a leading `'` and quoted when it could start a formula. */
function textField(text: string): string {
  return startsLikeFormula(text) ? field(`'${text}`, true) : field(text, false);
}

/** A cell as written. */
function cellField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return textField(cell);
  return typeof cell === "number" ? numberText(cell) : numberText(cell.fixed, cell.decimals);
}

/**
 * A header and rows as CSV text, comma-separated, every row (the last included) ending with the newline. Written
 * here rather than with papaparse's unparse, whose formula pattern (/^[=+\-@\t\r].*$/) misses a formula
 * followed by a line break and which writes a header-only file and an empty one-cell row ambiguously.
 */
export function writeCsv(
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: CsvWriteOptions = {},
): string {
  const newline = options.newline ?? "\r\n";
  const lines = [header.map(textField).join(",")];
  for (const row of rows) lines.push(row.map(cellField).join(","));
  return `${lines.join(newline)}${newline}`;
}
