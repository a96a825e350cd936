import { guessDateFormat } from "./guess.ts";
import type { RowReject } from "./plan.ts";
import { type DecimalMark, parseNumberCell } from "./values.ts";

/**
 * Rejected rows grouped by what went wrong, so one reason repeated 500 times reads once: the column, the problem
 * without the cell's value, how many rows and which lines, a few of the values, and the fix in words when one is
 * known ("Choose the date format DD/MM/YYYY?").
 */
export interface RejectGroup {
  column?: string;
  /** The problem in words, without the value that differs from row to row. */
  problem: string;
  /** Rows with this problem (a row is counted once even if it has the problem twice). */
  rows: number;
  /** The first few lines. */
  lines: number[];
  firstLine: number;
  lastLine: number;
  /** Whether every line from the first to the last has this problem (then "lines 2–501" says it all). */
  contiguous: boolean;
  /** The lines in words (see linesInWords). */
  where: string;
  /** A few distinct values that had the problem. */
  examples: string[];
  /** What to change, in words, when the values say it. */
  fix?: string;
}

/** Lines kept per group to show. */
const LINES_SHOWN = 5;
/** Values kept per group to work out a fix from (and three to show). */
const VALUES_KEPT = 200;

/** The value a reason quotes first (the cell at fault, as the planner writes its reasons), if any. */
const QUOTED = /"((?:[^"]|"")*)"/;

/** A reason with the row's own value, day and line taken out, so rows with the same problem share one key. */
function normalized(reason: string): string {
  return reason
    .replace(QUOTED, '"…"')
    .replace(/\(line \d+\)/g, "(an earlier line)")
    .replace(/\bon line \d+/g, "on an earlier line")
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, "that day");
}

/** The problem as a phrase: `"…" is not a date in the format X` → `not a date in the format X`. */
function phrase(normal: string): string {
  return normal
    .replace(/^"…"(?: is|:) /, "")
    .replace(/ "…"/g, "")
    .replace(/"…" /g, "")
    .trim();
}

/** The fix the values point to, in words. */
function fixOf(normal: string, values: readonly string[]): string | undefined {
  const date = /not a (?:real )?date (?:in the format |\()([A-Z./-]+)\)?$/.exec(normal);
  if (date) {
    const current = date[1];
    const guess = guessDateFormat(values);
    if (guess.kind === "sure" && guess.format !== current) return `Choose the date format ${guess.format}?`;
    if (guess.kind === "ambiguous" && !guess.formats.some((f) => f === current))
      return `Choose the date format ${guess.formats.join(" or ")} (these dates fit both: check which)?`;
    return normal.includes("real date")
      ? "Correct these dates in the file: there is no such day."
      : "Correct these dates in the file, or choose another column for the day.";
  }
  const number = /not a number \(expected e\.g\. 1234([.,])5/.exec(normal);
  if (number) {
    const other: DecimalMark = number[1] === "." ? "," : ".";
    if (values.length > 0 && values.every((v) => parseNumberCell(v, other).ok))
      return `Choose the decimal mark “${other}” (${other === "," ? "1.234,5" : "1,234.5"})?`;
    return "Correct these numbers in the file, or ignore this column.";
  }
  if (normal.startsWith("no account with") && normal.includes("this mapping does not create accounts"))
    return "Tick “Create accounts that are not in Vitals yet”, or leave these rows out.";
  if (normal.startsWith("no account with"))
    return "Import these accounts first (a CRM export), or name accounts by another column.";
  if (normal.includes("personal email address"))
    return "A personal address (gmail.com, …) names no company: name accounts by another column, or leave these rows out.";
  if (normal.startsWith("no account: the cell is empty")) return "Fill in the account, or leave these rows out.";
  if (normal.startsWith("the day is empty")) return "Fill in the day, or choose another day column.";
  if (normal.includes("is already on an earlier line")) return "Keep one row per account.";
  if (normal.includes("is not an outcome")) return "List the file's word for it under “Also means …”.";
  if (normal.includes("is not yes/no")) return "Use TRUE/FALSE, Yes/No or 1/0, or read the column as text.";
  return undefined;
}

/** Groups rejects by column and problem, largest group first (then by first line). */
export function groupRejects(rejects: readonly RowReject[]): RejectGroup[] {
  const groups = new Map<
    string,
    { column?: string; normal: string; lines: number[]; last: number; rows: number; values: string[] }
  >();
  for (const r of rejects) {
    const normal = normalized(r.reason);
    const key = `${r.column ?? ""}\u0000${normal}`;
    let g = groups.get(key);
    if (!g) {
      g = { ...(r.column === undefined ? {} : { column: r.column }), normal, lines: [], last: -1, rows: 0, values: [] };
      groups.set(key, g);
    }
    if (g.last !== r.line) {
      g.rows++;
      if (g.lines.length < LINES_SHOWN) g.lines.push(r.line);
      g.last = r.line;
    }
    const value = QUOTED.exec(r.reason)?.[1];
    if (value !== undefined && g.values.length < VALUES_KEPT) g.values.push(value.replace(/""/g, '"'));
  }
  const first = (g: { lines: number[] }) => g.lines[0] as number;
  return [...groups.values()]
    .sort((a, b) => b.rows - a.rows || first(a) - first(b))
    .map((g) => {
      const fix = fixOf(g.normal, g.values);
      const at = { rows: g.rows, lines: g.lines, firstLine: first(g), lastLine: g.last };
      const contiguous = g.last - first(g) + 1 === g.rows;
      return {
        ...(g.column === undefined ? {} : { column: g.column }),
        problem: phrase(g.normal),
        ...at,
        contiguous,
        where: linesInWords({ ...at, contiguous }),
        examples: [...new Set(g.values)].slice(0, 3),
        ...(fix === undefined ? {} : { fix }),
      };
    });
}

/** A group's lines in words: "line 7", "lines 2–501", or "lines 2, 5, 9, 12, 30 and 95 more". */
export function linesInWords(g: Pick<RejectGroup, "rows" | "lines" | "firstLine" | "lastLine" | "contiguous">): string {
  if (g.rows === 1) return `line ${g.firstLine}`;
  if (g.contiguous) return `lines ${g.firstLine}–${g.lastLine}`;
  const more = g.rows - g.lines.length;
  return more > 0
    ? `lines ${g.lines.join(", ")} and ${more.toLocaleString("en-US")} more`
    : `lines ${g.lines.join(", ")}`;
}

/**
 * The rejected rows as a table for the user to fix and re-import: line, column and reason, then the row as the
 * file had it under the file's own header (a row kept without its cells leaves them empty).
 */
export function rejectsTable(
  header: readonly string[],
  rejects: readonly RowReject[],
  cells: ReadonlyMap<number, readonly string[]> = new Map(),
): { fields: string[]; rows: (string | number)[][] } {
  let width = header.length;
  for (const row of cells.values()) width = Math.max(width, row.length);
  const fields = [
    "line",
    "column",
    "reason",
    ...Array.from({ length: width }, (_, i) => header[i] ?? `field ${i + 1}`),
  ];
  const rows = rejects.map((r) => [
    r.line,
    r.column ?? "",
    r.reason,
    ...Array.from({ length: width }, (_, i) => cells.get(r.line)?.[i] ?? ""),
  ]);
  return { fields, rows };
}
