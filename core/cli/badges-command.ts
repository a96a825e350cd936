import { writeFileSync } from "node:fs";
import { readResultsCsv } from "../io/results.ts";
import type { Account } from "../schema/account.ts";
import type { BadgeSet } from "../schema/badge.ts";
import { formatDay } from "../schema/day.ts";
import { withSchema } from "../schema/json-schemas.ts";
import { parseOptions, stringOption } from "./args.ts";
import { readTextFile } from "./files.ts";
import { BADGES_HELP } from "./help-sql.ts";
import { asOfOption, readInputs } from "./inputs.ts";
import { EXIT, type Output, reportProblems, UsageError } from "./problems.ts";

const OPTIONS = [
  { name: "results", value: "<results.csv>" },
  { name: "as-of", value: "YYYY-MM-DD" },
  { name: "accounts", value: "<accounts.csv>" },
  { name: "out", value: "<file>" },
  { name: "help" },
] as const;

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
  const { accounts, problems } = readResultsCsv(results, text, formatDay(asOf), known);
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
