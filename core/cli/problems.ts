/** Where a command writes: its results (stdout) and its messages (stderr). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** One problem found in the input: where (file, line or JSON path, column) and what is wrong. */
export interface Problem {
  file: string;
  /** Physical line in a CSV file (the header is line 1). */
  line?: number;
  /** A JSON path in a JSON file, or a column name in a CSV file. */
  at?: string;
  message: string;
}

/** Formats a problem as `<file>:<line>: <column>: <message>` (CSV) or `<file>: <json path>: <message>` (JSON). */
export function formatProblem(p: Problem): string {
  const where = p.line === undefined ? `${p.file}:` : `${p.file}:${p.line}:`;
  return p.at === undefined ? `${where} ${p.message}` : `${where} ${p.at}: ${p.message}`;
}

/** At most this many problems are listed; the rest are counted, so a file of 100,000 bad rows stays readable. */
export const MAX_LISTED_PROBLEMS = 50;

/**
 * The lines that report a list of problems (or of notes on rows: `noun`): the first MAX_LISTED_PROBLEMS, then a
 * count of the rest.
 */
export function problemReport(problems: readonly Problem[], noun = "problem"): string[] {
  const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map(formatProblem);
  const rest = problems.length - MAX_LISTED_PROBLEMS;
  if (rest > 0) lines.push(`… and ${rest} more ${rest === 1 ? noun : `${noun}s`} (${problems.length} in all)`);
  return lines;
}

/**
 * Exit codes: 0 done, 1 the data has problems, 2 the command was used wrongly (bad option, missing file), 70 an
 * unexpected failure (a bug in Vitals, not in the input; 70 is EX_SOFTWARE in BSD's sysexits.h).
 */
export const EXIT = { ok: 0, dataError: 1, usageError: 2, internalError: 70 } as const;

/** A mistake in how the command was called; reported in one line with exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Prints problems (the first 50, then a count) and the closing line; returns the data-error exit code. */
export function reportProblems(problems: readonly Problem[], out: Output, what: string): number {
  for (const line of problemReport(problems)) out.err(`${line}\n`);
  const n = problems.length;
  out.err(`vitals: ${n} ${n === 1 ? "problem" : "problems"} in the input; ${what}\n`);
  return EXIT.dataError;
}
