import { writeFileSync } from "node:fs";
import { compileSql, SqlCompileError } from "../sql/compile.ts";
import { DIALECTS, type DialectName } from "../sql/dialect.ts";
import { parseOptions, stringOption } from "./args.ts";
import { SQL_HELP } from "./help-sql.ts";
import { asOfOption, loadScorecards } from "./inputs.ts";
import { EXIT, type Output, type Problem, reportProblems, UsageError } from "./problems.ts";

const OPTIONS = [
  { name: "scorecards", value: "<file.json>" },
  { name: "dialect", value: "duckdb|postgres|clickhouse" },
  { name: "as-of", value: "YYYY-MM-DD" },
  { name: "history", value: "<days>" },
  { name: "covered" },
  { name: "overrides" },
  { name: "out", value: "<file>" },
  { name: "help" },
] as const;

/** `vitals sql`: compiles the scorecards to one SQL query for a warehouse (docs/warehouse.md). */
export async function sqlCommand(args: readonly string[], out: Output): Promise<number> {
  const { options, positionals } = parseOptions(args, OPTIONS, "sql");
  if (options.has("help")) {
    out.out(SQL_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (the scorecards file is given with --scorecards)`);
  }
  const dialect = stringOption(options, "dialect") ?? "duckdb";
  if (!(DIALECTS as readonly string[]).includes(dialect)) {
    throw new UsageError(`--dialect must be one of ${DIALECTS.join(", ")}, not "${dialect}"`);
  }
  const historyText = stringOption(options, "history");
  const history = historyText === undefined ? undefined : Number(historyText);
  if (history !== undefined && !(Number.isInteger(history) && history >= 1 && history <= 3660)) {
    throw new UsageError(`--history must be a whole number of days from 1 to 3660, not "${historyText}"`);
  }
  const problems: Problem[] = [];
  const loaded = loadScorecards(stringOption(options, "scorecards"), problems, out);
  if (!loaded) return reportProblems(problems, out, "nothing was compiled");
  let sql: string;
  try {
    sql = compileSql(loaded.scorecards, {
      dialect: dialect as DialectName,
      asOf: asOfOption(options),
      history,
      covered: options.has("covered"),
      overrides: options.has("overrides"),
    });
  } catch (error) {
    if (error instanceof SqlCompileError) {
      out.err(`vitals: ${error.message}\n`);
      out.err("vitals: nothing was compiled\n");
      return EXIT.dataError;
    }
    throw error;
  }
  const outPath = stringOption(options, "out");
  if (outPath === undefined) out.out(sql);
  else {
    try {
      writeFileSync(outPath, sql);
    } catch (error) {
      throw new UsageError(`cannot write ${outPath}: ${(error as Error).message}`);
    }
    out.err(`vitals: wrote the ${dialect} query to ${outPath}\n`);
  }
  return EXIT.ok;
}
