import { writeFileSync } from "node:fs";
import Papa from "papaparse";
import type { Account } from "../schema/account.ts";
import { BadgeAccount, type BadgeAccountInput, type BadgeSet } from "../schema/badge.ts";
import { formatDay } from "../schema/day.ts";
import { withSchema } from "../schema/json-schemas.ts";
import { roundHalfUp } from "../scoring/bands.ts";
import { parseOptions, stringOption } from "./args.ts";
import { readTextFile } from "./files.ts";
import { BADGES_HELP } from "./help-sql.ts";
import { readInputs } from "./inputs.ts";
import type { Output } from "./main.ts";
import { EXIT, type Problem, UsageError } from "./problems.ts";
import { reportProblems } from "./score-command.ts";
import { asOfOption } from "./sql-command.ts";

const OPTIONS = [
  { name: "results", value: "<results.csv>" },
  { name: "as-of", value: "YYYY-MM-DD" },
  { name: "accounts", value: "<accounts.csv>" },
  { name: "out", value: "<file>" },
  { name: "help" },
] as const;

/** Columns a results file must have (those of `vitals score --format csv`). */
const REQUIRED = [
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
export function badgeAccountsOf(
  file: string,
  text: string,
  asOf: string,
  known: ReadonlyMap<string, Account>,
): { accounts: BadgeAccount[]; problems: Problem[] } {
  const rows: string[][] = [];
  Papa.parse<string[]>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
    skipEmptyLines: true,
    step: (r) => void rows.push(r.data),
  });
  const header = (rows.shift() ?? []).map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
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
  const problems: Problem[] = [];
  const accounts: BadgeAccount[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
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

/** `vitals badges`: a results CSV (from any engine) to the extension's badge-set file. */
export async function badgesCommand(args: readonly string[], out: Output): Promise<number> {
  const { options, positionals } = parseOptions(args, OPTIONS, "badges");
  if (options.has("help")) {
    out.out(BADGES_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (give --results)`);
  const results = stringOption(options, "results");
  if (results === undefined) throw new UsageError("give the results file: --results results.csv");
  const asOf = asOfOption(options);
  if (asOf === undefined) throw new UsageError("give the day the results are as of: --as-of YYYY-MM-DD");
  const text = readTextFile(results, "results file");
  const known = new Map<string, Account>();
  const accountsPath = stringOption(options, "accounts");
  if (accountsPath !== undefined) {
    const gathered = await readInputs({ accounts: accountsPath, observations: [], data: [] }, out, {
      checkMetrics: false,
    });
    if (!gathered.ok) return reportProblems(gathered.problems, out, "no badge file was written");
    for (const account of gathered.inputs.imported.accounts) known.set(account.id, account);
  }
  const { accounts, problems } = badgeAccountsOf(results, text, formatDay(asOf), known);
  if (problems.length > 0) return reportProblems(problems, out, "no badge file was written");
  const set: BadgeSet = {
    format: "vitals-badges",
    version: 1,
    generatedAt: new Date().toISOString(),
    accounts,
  };
  const json = `${JSON.stringify(withSchema("badge-set", set))}\n`;
  const outPath = stringOption(options, "out");
  if (outPath === undefined) out.out(json);
  else {
    try {
      writeFileSync(outPath, json);
    } catch (error) {
      throw new UsageError(`cannot write ${outPath}: ${(error as Error).message}`);
    }
    out.err(`vitals: wrote ${accounts.length} badges to ${outPath}\n`);
  }
  return EXIT.ok;
}
