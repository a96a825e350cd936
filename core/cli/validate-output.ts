import { percent, plural } from "../text/words.ts";
import type { AlertValidation } from "../validate/alerts.ts";
import type { BandTarget } from "../validate/band-targets.ts";
import type { FittedFactor, ScorecardBuild } from "../validate/builder.ts";
import type { BandSuggestion, ValidationCase, ValidationReport } from "../validate/validate.ts";

/** AUCs to 3 decimals: a gain of 0.004 must show. */
const auc = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toFixed(3));
const signed = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`);
/** Points as written in a scorecard (a tenth): 23.5 shows as 23.5, not 23. */
const pts = (x: number) => String(Math.round(x * 10) / 10);
/** A cell of a table: cut to `width` (with an ellipsis) and padded. */
const cell = (text: string, width: number, right = false) => {
  const cut = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return right ? cut.padStart(width) : cut.padEnd(width);
};

function caseLine(c: ValidationCase): string {
  const score = c.points === null ? "no score" : `${String(c.points).padStart(3)} ${c.grade}`;
  // An account imported without a name is named by its id: print the id once.
  return `  ${cell(c.accountId, 14)} ${cell(c.name === c.accountId ? "" : c.name, 24)} ${score}  ${c.kind} ${c.outcomeDay}, scored as of ${c.asOf}`;
}

function caseList(title: string, list: { total: number; cases: ValidationCase[] }): string[] {
  if (list.total === 0) return [`${title}: none`];
  const lines = [`${title}: ${list.total}`, ...list.cases.map(caseLine)];
  const rest = list.total - list.cases.length;
  if (rest > 0) lines.push(`  … and ${rest} more (--list ${list.total} or --format json lists them)`);
  return lines;
}

function bandLine(s: BandSuggestion): string {
  const cuts = s.bands.map((b) => `${b.grade} from ${b.min}`).join(", ");
  const rates = s.rates.map((r) => percent(r.churnRate)).join(", ");
  return `${cuts} (churn ${rates}${s.falls ? "" : "; it does not fall band by band even so"})`;
}

/** One scorecard's report as text a CSM reads at a terminal. */
function reportText(r: ValidationReport, draftOut: string | undefined): string[] {
  const p = r.population;
  const lines = [`Validation of "${r.scorecardName}" (${r.scorecardId})`];
  const when =
    r.asOfFrom === null
      ? ""
      : r.asOfFrom === r.asOfTo
        ? ` (as of ${r.asOfFrom})`
        : ` (as of ${r.asOfFrom} to ${r.asOfTo})`;
  lines.push(
    r.snapshotDay === null
      ? `Each account is scored ${r.horizonDays} days before its outcome${when}: nothing later is read.`
      : `Every account is scored as of the snapshot day, ${r.snapshotDay}.`,
  );
  if (p.inferred) lines.push(p.inferred.words);
  lines.push("");
  if (p.cases === 0) {
    const outside = p.notApplying > 0 ? ` (${plural(p.notApplying, "account")} with an outcome are outside it)` : "";
    return [...lines, `No account with an outcome is scored by this scorecard${outside}: nothing to report.`];
  }
  const kinds = (["renewed", "expanded", "downgraded"] as const)
    .filter((k) => p.byKind[k] > 0)
    .map((k) => `${p.byKind[k]} ${k}`)
    .join(", ");
  lines.push(
    `Accounts: ${plural(p.cases, "account")} with an outcome: ${p.churned} churned, ${p.notChurned} did not${kinds ? ` (${kinds})` : ""}.`,
  );
  const nulls = p.nullScores.churned + p.nullScores.notChurned;
  lines.push(
    `  ${p.scored} had a score; ${nulls} had not enough data${nulls > 0 ? ` (${p.nullScores.churned} of them churned)` : ""}.` +
      (r.coverage.mean === null ? "" : ` Average coverage ${percent(r.coverage.mean)}.`),
  );
  if (p.notApplying > 0)
    lines.push(`  ${plural(p.notApplying, "account")} with an outcome are outside this scorecard.`);
  if (p.unknownAccounts.count > 0) {
    const more = p.unknownAccounts.count > p.unknownAccounts.ids.length ? ", …" : "";
    lines.push(
      `  ${plural(p.unknownAccounts.count, "outcome names an account", "outcomes name accounts")} not in the data: ` +
        `${p.unknownAccounts.ids.join(", ")}${more}`,
    );
  }
  if (p.cases === 0)
    return [...lines, "", "No account with an outcome is scored by this scorecard: nothing to report."];
  lines.push("");
  lines.push(`How well the score ranks churn: AUC ${auc(r.auc)} (0.5 is a coin toss, 1 is perfect)`);
  if (r.aucNote) lines.push(`  No AUC: ${r.aucNote}`);
  lines.push(
    `Churned accounts that were red: ${r.red.caught} of ${r.red.churned}${r.red.share === null ? "" : ` (${percent(r.red.share)})`}`,
  );
  lines.push("");
  lines.push("Churn by band");
  lines.push(
    `  ${cell("band", 22)} ${cell("from", 5, true)} ${cell("accounts", 9, true)} ${cell("churned", 8, true)}  churn rate`,
  );
  for (const b of r.bands) {
    if (b.min === null && b.cases === 0) continue;
    lines.push(
      `  ${cell(`${b.grade} ${b.label}`, 22)} ${cell(b.min === null ? "" : String(b.min), 5, true)} ` +
        `${cell(String(b.cases), 9, true)} ${cell(String(b.churned), 8, true)}  ${cell(percent(b.churnRate, 1), 10, true)}`,
    );
  }
  for (const w of r.bandWarnings) lines.push(`  ! ${w}`);
  lines.push("");
  lines.push(...caseList("Missed, churned while green (highest score first)", r.missed));
  lines.push("");
  lines.push(...caseList("False alarms, red but renewed or expanded (lowest score first)", r.falseAlarms));
  if (r.bandSuggestion) {
    lines.push("");
    lines.push(`Band thresholds that split churn best: ${bandLine(r.bandSuggestion)}`);
  }
  if (r.alerts) lines.push("", ...alertLines(r.alerts));
  lines.push("");
  const s = r.suggestion;
  if (!s) {
    lines.push(`Suggested weights: none, ${r.suggestionNote ?? "not enough data"}.`);
    return lines;
  }
  lines.push(`Suggested weights (logistic regression of churn on each factor's 0–1 value, L2 penalty ${s.l2})`);
  lines.push(
    `  ${cell("factor", 28)} ${cell("now", 5, true)} ${cell("suggested", 10, true)} ${cell("alone AUC", 10, true)}`,
  );
  const reasons = new Map(s.leftOut.map((l) => [l.factorId, l.reason]));
  for (const f of s.factors) {
    const reason = reasons.get(f.factorId);
    lines.push(
      `  ${cell(f.label, 28)} ${cell(pts(f.currentPoints), 5, true)} ${cell(f.suggestedPoints.toFixed(1), 10, true)} ` +
        `${cell(auc(f.auc), 10, true)}${reason ? `  ! ${reason}` : ""}${f.present < 1 ? `  (has data for ${percent(f.present)})` : ""}`,
    );
  }
  const cv = s.crossValidation;
  lines.push(
    cv
      ? `Out-of-sample AUC (${cv.folds}-fold cross-validation, seed ${cv.seed}): suggested ${auc(cv.suggestedAuc)}, current ${auc(cv.currentAuc)}` +
          (s.crossValidationNote ? ` (${s.crossValidationNote})` : "")
      : `Out-of-sample AUC: none (${s.crossValidationNote ?? "too few accounts"})`,
  );
  if (s.draftBands) lines.push(`Band thresholds for the suggested weights: ${bandLine(s.draftBands)}`);
  if (r.build) lines.push("", ...buildText(r, r.build));
  else if (r.buildNote) lines.push("", `Scorecard builder: none, ${r.buildNote}.`);
  if (r.bandTargets.length > 0) {
    lines.push("", "Red by purpose, on the current scores:", ...targetLines(r.bandTargets));
  }
  lines.push("");
  lines.push(
    s.draft === null && !r.build?.suggested.draft
      ? "No draft: no factor lowers churn in this data."
      : draftOut === undefined
        ? "Nothing was changed. --draft-out <file.json> writes the suggested scorecard, to review in the app's editor."
        : `Nothing was changed. The suggested scorecard is in ${draftOut}, to review in the app's editor.`,
  );
  return lines;
}

/** The alert rules against the outcomes: one row per rule and one for any of them. */
export function alertLines(a: AlertValidation): string[] {
  const lead = (x: AlertValidation["any"]) =>
    x.leadDays === null
      ? "—"
      : x.leadDays.shortest === x.leadDays.longest
        ? `${x.leadDays.median} d`
        : `${x.leadDays.median} d (${x.leadDays.shortest}–${x.leadDays.longest})`;
  const row = (x: AlertValidation["any"]) =>
    `  ${cell(x.title, 46)} ${cell(`${x.alerted} (${percent(x.alertedShare)})`, 11, true)} ${cell(`${x.caught} of ${a.churned}`, 9, true)} ` +
    `${cell(String(x.falseAlarms), 12, true)} ${cell(percent(x.precision), 9, true)} ${cell(percent(x.recall), 6, true)}  ${lead(x)}`;
  return [
    `Alert rules against the outcomes (${a.cases} accounts, ${a.churned} churned). ${a.words}`,
    `  ${cell("rule", 46)} ${cell("alerted", 11, true)} ${cell("caught", 9, true)} ${cell("false alarms", 12, true)} ${cell("precision", 9, true)} ${cell("recall", 6, true)}  lead time (median, range)`,
    ...a.rules.map(row),
    ...(a.rules.length > 1 ? [row(a.any)] : []),
    ...a.notes.map((n) => `  ! ${n}`),
  ];
}

/** A fitted factor in a line: its points, then each value's. */
function fittedLine(f: FittedFactor): string {
  const values = f.bins.map((b) => `${b.label} → ${pts(b.points)}`).join(", ");
  const way = f.direction
    ? ` (${f.direction === "rises" ? "more points as it grows" : "fewer points as it grows"})`
    : "";
  return `  ${cell(f.label, 28)} ${cell(pts(f.points), 5, true)}  ${values}${way}`;
}

/** The red-by-purpose table. */
function targetLines(targets: readonly BandTarget[]): string[] {
  return [
    `  ${cell("purpose", 44)} ${cell("red below", 9, true)} ${cell("red", 12, true)} ${cell("caught", 14, true)} ${cell("false alarms", 12, true)} ${cell("churn in red", 12, true)}`,
    ...targets.map(
      (t) =>
        `  ${cell(t.words, 44)} ${cell(String(t.redBelow), 9, true)} ${cell(`${t.red} (${percent(t.redShare)})`, 12, true)} ` +
        `${cell(`${t.caught} (${percent(t.caughtShare)})`, 14, true)} ${cell(String(t.falseAlarms), 12, true)} ${cell(percent(t.churnRate), 12, true)}`,
    ),
  ];
}

/** The scorecard builder's section: AUCs side by side, fitted points, discovery, the suggested card. */
function buildText(r: ValidationReport, b: ScorecardBuild): string[] {
  const cv = r.suggestion?.crossValidation;
  const lines = [
    `Out-of-sample AUC (${b.folds}-fold cross-validation; bins and points fitted on the training folds only):`,
    `  ${cell("current scorecard", 32)} ${auc(cv?.currentAuc)}`,
    `  ${cell("suggested weights", 32)} ${auc(cv?.suggestedAuc)}`,
    `  ${cell("fitted points (same factors)", 32)} ${auc(b.fitted.auc)}`,
    `  ${cell(`suggested card (${b.suggested.draft?.factors.length ?? 0} factors)`, 32)} ${auc(b.suggested.auc)}`,
    `  ${cell(`reference (all ${b.reference.columns.length} columns)`, 32)} ${auc(b.reference.auc)}  what a full regularised regression reaches`,
    "",
    "Fitted points per value (points of 100; a value's points = factor points × its n):",
    ...b.fitted.factors.map(fittedLine),
  ];
  lines.push("", "Factors not on the scorecard, by the out-of-sample AUC they add:");
  if (b.discovery.length === 0) lines.push("  none: the data has no other attribute or metric");
  for (const d of b.discovery.slice(0, 15)) {
    lines.push(
      `  ${cell(d.label, 34)} ${cell(signed(d.gain), 7, true)} AUC  (${d.kind === "boolean" ? "yes/no" : d.kind}, ${percent(d.present)} have it)`,
    );
  }
  if (b.discovery.length > 15) lines.push(`  … and ${b.discovery.length - 15} more (--format json lists them)`);
  const s = b.suggested;
  const changes = [
    ...s.added.map((id) => `adds ${b.discovery.find((d) => d.factorId === id)?.label ?? id}`),
    ...s.dropped.map((id) => `drops ${id}`),
  ];
  lines.push(
    "",
    `Suggested card (at most ${s.maxFactors} factors${changes.length > 0 ? `; ${changes.join(", ")}` : ""}), AUC ${auc(s.auc)} out-of-sample:`,
    ...s.factors.filter((f) => f.points > 0).map(fittedLine),
  );
  if (s.bandTargets.length > 0) {
    lines.push(
      "",
      "Red by purpose, for the suggested card (each account's held-out score):",
      ...targetLines(s.bandTargets),
    );
  }
  return lines;
}

/** The text report: one section per scorecard. */
export function validationText(
  reports: readonly ValidationReport[],
  options: { draftOut?: string | undefined } = {},
): string {
  return `${reports.map((r) => reportText(r, options.draftOut).join("\n")).join("\n\n――――――――――\n\n")}\n`;
}

/** The JSON report: every scorecard's ValidationReport, as the app's Validate page gets it. */
export function validationJson(reports: readonly ValidationReport[]): string {
  return `${JSON.stringify({ reports }, null, 2)}\n`;
}
