import Papa from "papaparse";
import type { Account } from "../schema/account.ts";
import { BadgeAccount, type BadgeAccountInput } from "../schema/badge.ts";
import { roundHalfUp } from "../scoring/bands.ts";

/**
 * A results file: the CSV `vitals score --format csv` and `vitals sql` write (one row per account: its primary
 * score, band, coverage, delta, drags, override), read into badge accounts for `vitals badges` and for the app's
 * "scored elsewhere" portfolio. Parsed row by row with papaparse; every problem names the file, line and column.
 */

/** A problem in a results file: file, physical line (the header is line 1), column, reason. */
export interface ResultsProblem {
  file: string;
  line?: number;
  at?: string;
  message: string;
}

/** Columns a results file must have (those of `vitals score --format csv`). */
export const RESULTS_COLUMNS = [
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
  "override_score",
  "override_grade",
  "override_until",
] as const;

/** An empty cell, or ClickHouse's NULL in CSV. */
const isNull = (cell: string | undefined) => cell === undefined || cell.trim() === "" || cell === "\\N";

/**
 * Reads a results CSV into badge accounts, with the problems of each row by line and column. `known` gives the
 * matching details (domains, aliases, ids) of accounts from an accounts file.
 */
export function readResultsCsv(
  file: string,
  text: string,
  asOf: string,
  known: ReadonlyMap<string, Account>,
): { accounts: BadgeAccount[]; problems: ResultsProblem[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Each record with the physical line it starts on (blank lines skipped, quoted line breaks counted).
  const rows: string[][] = [];
  const lines: number[] = [];
  let pos = 0;
  let lineNo = 1;
  Papa.parse<string[]>(source, {
    skipEmptyLines: true,
    step: (r) => {
      const end = r.meta.cursor;
      while (pos < end && (source[pos] === "\n" || source[pos] === "\r")) {
        if (source[pos] === "\n") lineNo++;
        pos++;
      }
      lines.push(lineNo);
      for (; pos < end; pos++) if (source[pos] === "\n") lineNo++;
      rows.push(r.data);
    },
  });
  lines.shift();
  const header = (rows.shift() ?? []).map((h) => h.trim());
  const missing = RESULTS_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      accounts: [],
      problems: [
        {
          file,
          line: 1,
          message: `missing ${missing.length === 1 ? "column" : "columns"} ${missing.map((c) => `"${c}"`).join(", ")} (a results file has the columns of vitals score --format csv)`,
        },
      ],
    };
  }
  const col = (name: string) => header.indexOf(name);
  const exactAt = col("score_exact");
  const problems: ResultsProblem[] = [];
  const accounts: BadgeAccount[] = [];
  rows.forEach((row, i) => {
    const line = lines[i] ?? i + 2;
    const cell = (name: string) => {
      const at = name === "score_exact" ? exactAt : col(name);
      const value = at < 0 ? undefined : row[at];
      return isNull(value) ? undefined : (value as string).trim();
    };
    const number = (name: string): number | null => {
      const text = cell(name);
      if (text === undefined) return null;
      const n = Number(text);
      if (!Number.isFinite(n)) {
        problems.push({ file, line, at: name, message: `"${text}" is not a number` });
        return null;
      }
      return n;
    };
    const points = number("score");
    const exact = exactAt >= 0 ? number("score_exact") : null;
    const score = exact ?? points;
    const delta = number("delta");
    const id = cell("account_id") ?? "";
    const account = known.get(id);
    const overrideScore = number("override_score");
    const overrideGrade = cell("override_grade");
    const until = cell("override_until");
    const overrideText = [overrideScore === null ? undefined : String(overrideScore), overrideGrade]
      .filter((x) => x !== undefined)
      .join(" · ");
    const input: BadgeAccountInput = {
      id,
      name: cell("name") ?? account?.name ?? id,
      domains: account?.domains ?? [],
      externalIds: account?.externalIds ?? {},
      aliases: account?.aliases ?? [],
      scorecard: cell("scorecard") ?? "",
      score,
      shown: points,
      grade: cell("grade") ?? "—",
      color: (cell("color") ?? "grey") as BadgeAccountInput["color"],
      label: cell("label") ?? "",
      // The change in shown points: from the unrounded scores when the file has them.
      delta:
        delta === null || score === null
          ? null
          : exact !== null
            ? roundHalfUp(exact) - roundHalfUp(exact - delta)
            : roundHalfUp(delta),
      coverage: number("coverage") ?? 0,
      drags: (cell("top_drags") ?? "")
        .split("; ")
        .filter((label) => label !== "")
        .slice(0, 5)
        .map((label) => ({ factorId: label, text: label, lost: 0 })),
      ...(overrideText !== "" && until !== undefined ? { override: { text: `Override: ${overrideText}`, until } } : {}),
      asOf,
    };
    const parsed = BadgeAccount.safeParse(input);
    if (parsed.success) accounts.push(parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        problems.push({ file, line, at: issue.path.join(".") || "row", message: issue.message });
      }
    }
  });
  return { accounts, problems };
}
