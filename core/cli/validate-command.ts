import { writeFileSync } from "node:fs";
import { formatDay, parseIsoDay } from "../schema/day.ts";
import { withSchema } from "../schema/json-schemas.ts";
import type { Band, Scorecard } from "../schema/scorecard.ts";
import { type BandTarget, bandsForTarget } from "../validate/band-targets.ts";
import { type ValidationReport, validateScorecard } from "../validate/validate.ts";
import { listOption, parseOptions, stringOption } from "./args.ts";
import { VALIDATE_HELP } from "./help.ts";
import { inputPaths, readInputs } from "./inputs.ts";
import { EXIT, type Output, problemReport, reportProblems, UsageError } from "./problems.ts";
import { validationJson, validationText } from "./validate-output.ts";

const OPTIONS = [
  { name: "scorecards", value: "<file.json>" },
  { name: "scorecard", value: "<file.json>" },
  { name: "id", value: "<scorecard-id>" },
  { name: "accounts", value: "<accounts.csv>" },
  { name: "observations", value: "<observations.csv>", repeat: true },
  { name: "data", value: "<export.csv>", repeat: true },
  { name: "mapping", value: "<mapping.json>", repeat: true },
  { name: "outcomes", value: "<outcomes.csv>", repeat: true },
  { name: "churn-column", value: "<column>" },
  { name: "snapshot-day", value: "YYYY-MM-DD" },
  { name: "unlisted", value: "leave-out|stayed|not-renewed" },
  { name: "period-from", value: "YYYY-MM-DD" },
  { name: "period-to", value: "YYYY-MM-DD" },
  { name: "horizon", value: "<days>" },
  { name: "folds", value: "<k>" },
  { name: "seed", value: "<number>" },
  { name: "list", value: "<n>" },
  { name: "format", value: "text|json" },
  { name: "out", value: "<file>" },
  { name: "draft-out", value: "<file.json>" },
  { name: "draft", value: "suggested|fitted|weights" },
  { name: "red", value: "<15%|3x>" },
  { name: "max-factors", value: "<n>" },
  { name: "skip-rejected" },
  { name: "allow-missing-metrics" },
  { name: "help" },
] as const;

/** A whole-number option within bounds, or a usage error naming it. */
function intOption(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return n;
}

/** --red: "15%" (red = that share most at risk) or "3x" (red churns at that multiple of the base rate). */
function redOption(text: string | undefined): { kind: "share" | "lift"; value: number } | undefined {
  if (text === undefined) return undefined;
  const share = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (share && Number(share[1]) > 0 && Number(share[1]) < 100) return { kind: "share", value: Number(share[1]) / 100 };
  const lift = /^(\d+(?:\.\d+)?)[x×]$/i.exec(text.trim());
  if (lift && Number(lift[1]) > 1) return { kind: "lift", value: Number(lift[1]) };
  throw new UsageError(
    `--red must be a share such as 15% or a multiple of the base churn rate such as 3x, not "${text}"`,
  );
}

/**
 * The draft --draft-out writes, with its bands: the suggested card (default), the card with fitted points, or the
 * card with suggested weights; bands by --red's purpose (default the 15% most at risk) on the builder's held-out
 * scores, or the weights' suggested split.
 */
function draftToWrite(
  report: ValidationReport,
  which: "suggested" | "fitted" | "weights",
  red: { kind: "share" | "lift"; value: number },
): { draft: Scorecard; bandsWords: string } | null {
  if (which === "weights" || !report.build) {
    const s = report.suggestion;
    if (!s?.draft) return null;
    const bands: Band[] = s.draftBands?.bands ?? s.draft.bands;
    return {
      draft: {
        ...s.draft,
        id: `${s.draft.id}-suggested`.slice(0, 64),
        name: `${s.draft.name} (suggested: weights)`,
        bands,
      },
      bandsWords: s.draftBands ? "the thresholds that split churn best" : "the scorecard's own",
    };
  }
  const fitted = which === "fitted" ? report.build.fitted : report.build.suggested;
  if (!fitted.draft) return null;
  const near = (t: BandTarget) => t.kind === red.kind && Math.abs(t.value - red.value) < 1e-9;
  const target = fitted.bandTargets.find(near);
  if (!target) {
    throw new UsageError(
      `--red ${red.kind === "share" ? `${red.value * 100}%` : `${red.value}x`}: no such threshold for this data ` +
        `(offered: ${fitted.bandTargets.map((t) => (t.kind === "share" ? `${Math.round(t.value * 100)}%` : `${t.value}x`)).join(", ")})`,
    );
  }
  return {
    draft: { ...fitted.draft, bands: bandsForTarget(fitted.draft.bands, target.redBelow) },
    bandsWords: `${target.words}: red below ${target.redBelow}`,
  };
}

/** A day option, or a usage error naming it. */
function dayOption(text: string | undefined, name: string): string | undefined {
  if (text === undefined) return undefined;
  const day = parseIsoDay(text);
  if (day === undefined) throw new UsageError(`--${name} "${text}" is not a real date; expected YYYY-MM-DD`);
  return formatDay(day);
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/**
 * `vitals validate`: scores every account with an outcome as of its outcome's day minus the horizon (or a snapshot
 * day) and reports how well each scorecard predicted churn, with suggested weights and band thresholds.
 */
export async function validateCommand(args: readonly string[], out: Output): Promise<number> {
  const { options, positionals } = parseOptions(args, OPTIONS, "validate");
  if (options.has("help")) {
    out.out(VALIDATE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument "${positionals[0]}" (files are given with --scorecard, --accounts, --observations and --outcomes)`,
    );
  }
  if (options.has("scorecards") && options.has("scorecard")) {
    throw new UsageError("give --scorecard or --scorecards, not both (they mean the same)");
  }
  const format = stringOption(options, "format") ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not "${format}"`);
  const horizonDays = intOption(stringOption(options, "horizon"), "horizon", 1, 3660) ?? 90;
  const folds = intOption(stringOption(options, "folds"), "folds", 2, 20) ?? 5;
  const seed = intOption(stringOption(options, "seed"), "seed", 0, 2 ** 31 - 1) ?? 1;
  const list = intOption(stringOption(options, "list"), "list", 0, 100_000) ?? (format === "json" ? 100 : 10);
  let snapshotDay = dayOption(stringOption(options, "snapshot-day"), "snapshot-day");
  const unlisted = stringOption(options, "unlisted") ?? "leave-out";
  if (unlisted !== "leave-out" && unlisted !== "stayed" && unlisted !== "not-renewed") {
    throw new UsageError(`--unlisted must be leave-out, stayed or not-renewed, not "${unlisted}"`);
  }
  const periodFrom = dayOption(stringOption(options, "period-from"), "period-from");
  const periodTo = dayOption(stringOption(options, "period-to"), "period-to");
  if ((periodFrom !== undefined || periodTo !== undefined) && unlisted === "leave-out") {
    throw new UsageError(
      "--period-from and --period-to say what --unlisted stayed or not-renewed covers: give --unlisted",
    );
  }
  if (periodFrom !== undefined && periodTo !== undefined && periodFrom > periodTo) {
    throw new UsageError(`--period-from ${periodFrom} is after --period-to ${periodTo}`);
  }
  const maxFactors = intOption(stringOption(options, "max-factors"), "max-factors", 1, 30) ?? 7;
  const draftKind = stringOption(options, "draft") ?? "suggested";
  if (draftKind !== "suggested" && draftKind !== "fitted" && draftKind !== "weights") {
    throw new UsageError(`--draft must be suggested, fitted or weights, not "${draftKind}"`);
  }
  const red = redOption(stringOption(options, "red")) ?? { kind: "share" as const, value: 0.15 };
  const churnColumn = stringOption(options, "churn-column");
  if (churnColumn !== undefined && snapshotDay === undefined) {
    throw new UsageError("--churn-column needs --snapshot-day YYYY-MM-DD (the day the accounts file describes)");
  }
  if (churnColumn !== undefined && !options.has("accounts")) {
    throw new UsageError("--churn-column names a column of the --accounts file: give --accounts too");
  }

  const paths = inputPaths(options);
  const gathered = await readInputs(
    {
      ...paths,
      scorecards: stringOption(options, "scorecard") ?? paths.scorecards,
      outcomes: listOption(options, "outcomes"),
      churnColumn: churnColumn === undefined ? undefined : { column: churnColumn, day: snapshotDay as string },
      snapshotDay,
    },
    out,
    { acceptRejected: options.has("skip-rejected"), allowMissingMetrics: options.has("allow-missing-metrics") },
  );
  if (!gathered.ok && gathered.emptied !== undefined) {
    return reportProblems(
      gathered.problems,
      out,
      `every row was rejected, so nothing is left to validate (--skip-rejected leaves out the rows listed above)`,
    );
  }
  if (!gathered.ok) {
    const hint = gathered.problems.some((p) => p.line !== undefined && p.line > 1)
      ? "nothing was validated (--skip-rejected validates without the rows that could not be read)"
      : "nothing was validated";
    return reportProblems(gathered.problems, out, hint);
  }
  const { portfolio, outcomes, rejected, snapshotDays } = gathered.inputs;
  if (rejected.length > 0) {
    for (const line of problemReport(rejected)) out.err(`skipped: ${line}\n`);
    out.err(`vitals: ${rejected.length} ${rejected.length === 1 ? "row" : "rows"} skipped\n`);
  }
  for (const e of gathered.inputs.emptied) {
    out.err(
      `vitals: every row of ${e.file} was rejected (${e.rows} ${e.rows === 1 ? "row" : "rows"}): it adds nothing\n`,
    );
  }
  if (outcomes.length === 0) {
    throw new UsageError(
      "no outcomes to validate against: give --outcomes <outcomes.csv> (account_id, day, kind), --churn-column with " +
        "--snapshot-day, a --data file whose mapping reads outcomes, or a bundle with outcomes",
    );
  }
  // Outcomes from a snapshot's churn flag are recorded on its day: score the snapshot as of that day.
  if (snapshotDay === undefined && snapshotDays.size === 1 && outcomes.every((o) => snapshotDays.has(o.day))) {
    snapshotDay = [...snapshotDays][0] as string;
    out.err(`note: the outcomes come from a snapshot's churn flag; scoring as of its day, ${snapshotDay}\n`);
  }
  const id = stringOption(options, "id");
  let scorecards = gathered.inputs.scorecards;
  if (id !== undefined) {
    scorecards = scorecards.filter((card) => card.id === id);
    if (scorecards.length === 0) {
      throw new UsageError(
        `no scorecard with id "${id}" (there are: ${gathered.inputs.scorecards.map((c) => c.id).join(", ")})`,
      );
    }
  }
  const reports = scorecards.map((card) =>
    validateScorecard(portfolio, card, outcomes, {
      horizonDays,
      folds,
      seed,
      listLimit: list,
      unlisted,
      maxFactors,
      ...(periodFrom !== undefined ? { periodFrom } : {}),
      ...(periodTo !== undefined ? { periodTo } : {}),
      ...(snapshotDay !== undefined ? { snapshotDay } : {}),
    }),
  );

  const draftOut = stringOption(options, "draft-out");
  let draftWords = "";
  if (draftOut !== undefined) {
    const drafts = reports.flatMap((r) => {
      const d = draftToWrite(r, draftKind, red);
      return d ? [d] : [];
    });
    if (drafts.length !== 1) {
      throw new UsageError(
        drafts.length === 0
          ? "--draft-out: no scorecard got a suggested draft (see the report for why)"
          : `--draft-out writes one scorecard, and ${drafts.length} got a draft: pick one with --id`,
      );
    }
    const chosen = drafts[0] as { draft: Scorecard; bandsWords: string };
    write(draftOut, `${JSON.stringify(withSchema("scorecard", chosen.draft), null, 2)}\n`);
    draftWords = `"${chosen.draft.name}" (id ${chosen.draft.id}; bands: ${chosen.bandsWords})`;
  }
  const text = format === "json" ? validationJson(reports) : validationText(reports, { draftOut });
  const outPath = stringOption(options, "out");
  if (outPath === undefined) out.out(text);
  else {
    write(outPath, text);
    out.err(
      `vitals: validated ${reports.length} ${reports.length === 1 ? "scorecard" : "scorecards"}; wrote ${outPath}\n`,
    );
  }
  if (draftOut !== undefined) {
    out.err(`vitals: wrote the suggested scorecard ${draftWords} to ${draftOut} (nothing else changed)\n`);
  }
  return EXIT.ok;
}
