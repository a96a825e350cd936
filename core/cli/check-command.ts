import { columnsOf, Mapping } from "../io/mapping.ts";
import { issuesOf } from "../schema/issues.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { plural } from "../text/words.ts";
import { parseOptions } from "./args.ts";
import { dataWarningProblems, printDataWarnings, type ScorecardOrigin, unknownMetricProblems } from "./data-checks.ts";
import { readTextFile } from "./files.ts";
import { CHECK_HELP } from "./help.ts";
import { inputPaths, missingAsOf, readInputs } from "./inputs.ts";
import { EXIT, type Output, type Problem, reportProblems } from "./problems.ts";
import { problemsOf, readScorecardsFile } from "./scorecards-file.ts";

const OPTIONS = [
  { name: "accounts", value: "<accounts.csv>" },
  { name: "observations", value: "<observations.csv>", repeat: true },
  { name: "data", value: "<export.csv>", repeat: true },
  { name: "mapping", value: "<mapping.json>", repeat: true },
  { name: "help" },
] as const;

/** Whether a JSON file holds a mapping (it has a "shape") rather than a bundle or a scorecard. */
function isMappingFile(path: string): boolean {
  try {
    const json: unknown = JSON.parse(readTextFile(path, "file").replace(/^\uFEFF/, ""));
    return typeof json === "object" && json !== null && !Array.isArray(json) && "shape" in json && !("format" in json);
  } catch {
    return false;
  }
}

/** `vitals check`: validates each file named, then (with data files) the scorecards against the data. */
export async function checkCommand(args: readonly string[], out: Output): Promise<number> {
  const { options, positionals } = parseOptions(args, OPTIONS, "check");
  if (options.has("help")) {
    out.out(CHECK_HELP);
    return EXIT.ok;
  }
  const paths = inputPaths(options);
  if (positionals.length === 0 && paths.accounts === undefined && paths.data.length === 0) {
    out.err(CHECK_HELP);
    return EXIT.usageError;
  }
  const problems: Problem[] = [];
  const scorecards: Scorecard[] = [];
  const origins: ScorecardOrigin[] = [];
  for (const path of positionals) {
    if (isMappingFile(path)) {
      const json: unknown = JSON.parse(readTextFile(path, "file").replace(/^\uFEFF/, ""));
      const parsed = Mapping.safeParse(json);
      if (!parsed.success) {
        problems.push(...problemsOf(path, issuesOf(parsed.error, [], json)));
        continue;
      }
      const m = parsed.data;
      out.out(`${path}: valid ${m.shape} mapping${m.name ? ` "${m.name}"` : ""}\n`);
      if (m.shape === "wide" && m.asOf === undefined && (m.metrics.length > 0 || m.churnFlag !== undefined)) {
        out.out(`  note: ${missingAsOf(m)}\n`);
      }
      // What a mapping alone cannot show: whether an export matches it.
      if (!paths.data.some((d) => d.mapping === path)) {
        out.out(
          `  it reads the columns ${columnsOf(m)
            .map((c) => JSON.stringify(c))
            .join(", ")}. Without the export, check cannot tell whether the file has these columns, whether ` +
            `each cell reads (dates as ${m.dateFormat}, decimal mark "${m.decimal}"), or which rows name a known ` +
            `account: give it as --data <export.csv> --mapping ${path}\n`,
        );
      }
      continue;
    }
    const file = readScorecardsFile(path);
    if (!file.ok) {
      problems.push(...file.problems);
      continue;
    }
    if (file.kind === "scorecard") {
      scorecards.push(file.scorecard);
      origins.push({ file: path, base: "$" });
      out.out(
        `${path}: valid scorecard "${file.scorecard.name}" (${plural(file.scorecard.factors.length, "factor")})\n`,
      );
      continue;
    }
    const b = file.bundle;
    b.scorecards.forEach((card, i) => {
      scorecards.push(card);
      origins.push({ file: path, base: `$.scorecards[${i}]` });
    });
    const parts = [
      plural(b.scorecards.length, "scorecard"),
      plural(b.accounts?.length ?? 0, "account"),
      plural(b.observations?.length ?? 0, "observation"),
    ];
    const upgraded = file.upgradedFrom === undefined ? "" : ` (upgraded from version ${file.upgradedFrom})`;
    out.out(`${path}: valid bundle version ${b.version}${upgraded}: ${parts.join(", ")}\n`);
  }
  const hasData = paths.accounts !== undefined || paths.data.length > 0 || paths.observations.length > 0;
  if (hasData) {
    const read = await readInputs({ ...paths, scorecards: undefined }, out, {
      checkMetrics: false,
      warnScorecards: false,
    });
    if (!read.ok) problems.push(...read.problems);
    else {
      const { portfolio, metrics } = read.inputs;
      out.out(
        `data: ${plural(portfolio.accounts.length, "account")}, metrics ${[...metrics].sort().join(", ") || "none"}\n`,
      );
      if (scorecards.length > 0) {
        problems.push(...unknownMetricProblems(scorecards, origins, metrics));
        printDataWarnings(dataWarningProblems(scorecards, origins, portfolio.accounts), out);
      }
    }
  }
  if (problems.length > 0) return reportProblems(problems, out, "see above");
  return EXIT.ok;
}
