import { BACKUP_HELP, backupCommand } from "./backup-command.ts";
import { badgesCommand } from "./badges-command.ts";
import { checkCommand } from "./check-command.ts";
import { CHECK_HELP, MAIN_HELP, SCORE_HELP, VALIDATE_HELP } from "./help.ts";
import { BADGES_HELP, SQL_HELP } from "./help-sql.ts";
import { EXIT, type Output, UsageError } from "./problems.ts";
import { scoreCommand } from "./score-command.ts";
import { DIFF_HELP, diffCommand, MERGE_HELP, mergeCommand } from "./scorecard-commands.ts";
import { sqlCommand } from "./sql-command.ts";
import { validateCommand } from "./validate-command.ts";

const HELP: Record<string, string> = {
  score: SCORE_HELP,
  check: CHECK_HELP,
  validate: VALIDATE_HELP,
  sql: SQL_HELP,
  badges: BADGES_HELP,
  diff: DIFF_HELP,
  merge: MERGE_HELP,
  backup: BACKUP_HELP,
};

/**
 * Runs `vitals <command> …` and returns the exit code. Usage errors are one line on stderr (exit 2); problems in
 * the data are listed by the command (exit 1); anything else is reported as an internal error, never a stack of
 * half-written output.
 */
export async function main(argv: readonly string[], out: Output, version = "0.0.0"): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "--help":
      case "-h":
        out.out(MAIN_HELP);
        return EXIT.ok;
      case "help": {
        const topic = rest[0];
        if (topic === undefined) out.out(MAIN_HELP);
        else if (HELP[topic]) out.out(HELP[topic]);
        else
          throw new UsageError(
            `no command "${topic}" (commands: score, check, validate, sql, badges, diff, merge, backup)`,
          );
        return EXIT.ok;
      }
      case "--version":
      case "-v":
        out.out(`vitals ${version}\n`);
        return EXIT.ok;
      case "score":
        return await scoreCommand(rest, out);
      case "check":
        return await checkCommand(rest, out);
      case "validate":
        return await validateCommand(rest, out);
      case "sql":
        return await sqlCommand(rest, out);
      case "badges":
        return await badgesCommand(rest, out);
      case "diff":
        return await diffCommand(rest, out);
      case "merge":
        return await mergeCommand(rest, out);
      case "backup":
        return await backupCommand(rest, out);
      default:
        throw new UsageError(
          `unknown command "${command}" (commands: score, check, validate, sql, badges, diff, merge, backup; see vitals --help)`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      out.err(`vitals: ${error.message}\n`);
      return EXIT.usageError;
    }
    out.err(`vitals: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.internalError;
  }
}
