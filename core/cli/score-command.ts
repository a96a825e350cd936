import { writeFileSync } from "node:fs";
import { type Day, formatDay } from "../schema/day.ts";
import { dataExtent, withRatings } from "../scoring/as-of.ts";
import { scorePortfolio } from "../scoring/engine.ts";
import { type ParsedOptions, parseOptions, stringOption } from "./args.ts";
import { scoreWithDuckdb } from "./duckdb-score.ts";
import { SCORE_HELP } from "./help.ts";
import { asOfOption, inputPaths, loadScorecards, readInputs } from "./inputs.ts";
import { EXIT, type Output, type Problem, problemReport, reportProblems, UsageError } from "./problems.ts";
import { scoresCsv, scoresJson } from "./score-output.ts";

const OPTIONS = [
  { name: "scorecards", value: "<file.json>" },
  { name: "accounts", value: "<accounts.csv>" },
  { name: "observations", value: "<observations.csv>", repeat: true },
  { name: "data", value: "<export.csv>", repeat: true },
  { name: "mapping", value: "<mapping.json>", repeat: true },
  { name: "skip-rejected" },
  { name: "allow-missing-metrics" },
  { name: "as-of", value: "YYYY-MM-DD" },
  { name: "format", value: "csv|json" },
  { name: "out", value: "<file>" },
  { name: "all-scorecards" },
  { name: "engine", value: "node|duckdb" },
  { name: "help" },
] as const;

/**
 * `--engine duckdb`: the compiled SQL run by embedded DuckDB on --accounts and --observations files (CSV or
 * Parquet), for files too big for the Node engine (docs/warehouse.md).
 */
async function scoreOnDuckdb(options: ParsedOptions, chosen: Day | undefined, out: Output): Promise<number> {
  const paths = inputPaths(options);
  for (const name of ["data", "format", "all-scorecards", "skip-rejected"]) {
    if (options.has(name)) throw new UsageError(`--engine duckdb does not take --${name}`);
  }
  if (paths.accounts === undefined) throw new UsageError("--engine duckdb needs --accounts <accounts.csv|parquet>");
  const problems: Problem[] = [];
  const loaded = loadScorecards(paths.scorecards, problems, out);
  if (!loaded) return reportProblems(problems, out, "nothing was scored");
  const b = loaded.bundle;
  if (
    b &&
    ((b.accounts ?? []).length > 0 ||
      (b.observations ?? []).length > 0 ||
      (b.manualInputs ?? []).length > 0 ||
      (b.overrides ?? []).length > 0)
  ) {
    throw new UsageError(
      "--engine duckdb reads the --accounts and --observations files only; the bundle's accounts, data, ratings and overrides need the default engine",
    );
  }
  const { csv, asOf, accounts } = await scoreWithDuckdb(
    loaded.scorecards,
    paths.accounts,
    paths.observations,
    chosen,
    out,
  );
  const outPath = stringOption(options, "out");
  if (outPath === undefined) out.out(csv);
  else {
    try {
      writeFileSync(outPath, csv);
    } catch (error) {
      throw new UsageError(`cannot write ${outPath}: ${(error as Error).message}`);
    }
    out.err(`vitals: scored ${accounts} accounts as of ${formatDay(asOf)} with DuckDB; wrote ${outPath}
`);
  }
  return EXIT.ok;
}

/** `vitals score`: scores every account as of a day and writes CSV (or JSON) to stdout or --out. */
export async function scoreCommand(args: readonly string[], out: Output): Promise<number> {
  const { options, positionals } = parseOptions(args, OPTIONS, "score");
  if (options.has("help")) {
    out.out(SCORE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument "${positionals[0]}" (files are given with --accounts, --observations and --scorecards)`,
    );
  }
  const chosen = asOfOption(options);
  const format = stringOption(options, "format") ?? "csv";
  if (format !== "csv" && format !== "json") throw new UsageError(`--format must be csv or json, not "${format}"`);

  const engine = stringOption(options, "engine") ?? "node";
  if (engine !== "node" && engine !== "duckdb")
    throw new UsageError(`--engine must be node or duckdb, not "${engine}"`);
  if (engine === "duckdb") return await scoreOnDuckdb(options, chosen, out);

  const gathered = await readInputs(inputPaths(options), out, {
    acceptRejected: options.has("skip-rejected"),
    allowMissingMetrics: options.has("allow-missing-metrics"),
  });
  if (!gathered.ok && gathered.emptied !== undefined) {
    return reportProblems(
      gathered.problems,
      out,
      `every row was rejected, so nothing is left to score (--skip-rejected leaves out the rows listed above)`,
    );
  }
  if (!gathered.ok) {
    const hint = gathered.problems.some((p) => p.line !== undefined && p.line > 1)
      ? "nothing was scored (--skip-rejected scores without the rows that could not be read)"
      : "nothing was scored";
    return reportProblems(gathered.problems, out, hint);
  }
  const { scorecards, imported, ratings, overrides, rejected } = gathered.inputs;
  if (rejected.length > 0) {
    for (const line of problemReport(rejected)) out.err(`skipped: ${line}\n`);
    out.err(`vitals: ${rejected.length} ${rejected.length === 1 ? "row" : "rows"} skipped\n`);
  }
  for (const e of gathered.inputs.emptied) {
    out.err(
      `vitals: every row of ${e.file} was rejected (${e.rows} ${e.rows === 1 ? "row" : "rows"}): it adds nothing\n`,
    );
  }
  // The default as-of day is the data's last day: the latest imported observation (a bundle's ratings never move it).
  const dataEnd = dataExtent(imported).last;
  if (chosen === undefined && dataEnd === null) {
    throw new UsageError("no observations to take the as-of day from: give --as-of YYYY-MM-DD");
  }
  const asOf = (chosen ?? dataEnd) as Day;
  const asOfText = formatDay(asOf);
  if (chosen === undefined) out.err(`vitals: scoring as of ${asOfText}, the data's last day (--as-of to choose)\n`);
  const portfolio = withRatings(imported, ratings, asOf, dataEnd);
  const scores = scorePortfolio(portfolio, scorecards, { asOf });
  const all = options.has("all-scorecards");
  const text =
    format === "json"
      ? scoresJson(portfolio, scorecards, scores, overrides, all)
      : scoresCsv(portfolio, scorecards, scores, overrides, all);
  const outPath = stringOption(options, "out");
  if (outPath === undefined) out.out(text);
  else {
    try {
      writeFileSync(outPath, text);
    } catch (error) {
      throw new UsageError(`cannot write ${outPath}: ${(error as Error).message}`);
    }
    out.err(`vitals: scored ${portfolio.accounts.length} accounts as of ${asOfText}; wrote ${outPath}\n`);
  }
  return EXIT.ok;
}
