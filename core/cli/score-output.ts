import { type CsvCell, fixedCell, writeCsv } from "../io/csv-write.ts";
import type { Account } from "../schema/account.ts";
import { formatDay } from "../schema/day.ts";
import type { Override } from "../schema/override.ts";
import type { ScoreResult } from "../schema/result.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { byPriority } from "../scoring/applies.ts";
import { NO_DATA_BAND, roundHalfUp } from "../scoring/bands.ts";
import { compileScorecard } from "../scoring/compile.ts";
import { explainAccount, overrideActive, type PortfolioScores } from "../scoring/engine.ts";
import { TOP_DRAGS } from "../scoring/explain.ts";
import type { PortfolioData } from "../scoring/series.ts";

/** The columns of the CSV output, in order (`primary` only with --all-scorecards). */
export const CSV_COLUMNS = [
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
  "rollup",
  "override_score",
  "override_grade",
  "override_until",
] as const;

/** Shown points: rounded half up, empty for a null (NaN) score. Never "NaN". */
const points = (score: number): number | null => (Number.isNaN(score) ? null : roundHalfUp(score));

/**
 * The CSV output: one row per account with its primary score (or, with `all`, one row per applying scorecard,
 * primary first). Scores, bands, coverage and deltas come from the bulk columns of scorePortfolio; the drags are
 * the engine's drag columns named by factor label, the same factors explainAccount lists as top drags.
 */
export function scoresCsv(
  portfolio: PortfolioData,
  scorecards: readonly Scorecard[],
  scores: PortfolioScores,
  overrides: readonly Override[],
  all: boolean,
): string {
  const active = overrides.filter((o) => overrideActive(o, scores.asOf));
  /** The active override of an account's result (a scorecard's own, or the primary's), as three cells. */
  const overrideCells = (accountId: string, cardId: string, primary: boolean): CsvCell[] => {
    const o = active.find(
      (x) => x.accountId === accountId && (x.scorecardId === undefined ? primary : x.scorecardId === cardId),
    );
    return o ? [o.score ?? null, o.grade ?? "", o.expiresOn] : [null, "", ""];
  };
  const compiled = scorecards.map((card) => compileScorecard(card));
  const order = scorecards.map((card, i) => ({ card, i })).sort((a, b) => byPriority(a.card, b.card));
  const rowOf = scores.scorecards.map((cols) => new Map(Array.from(cols.accounts, (a, row) => [a, row])));
  const lines: CsvCell[][] = [];
  portfolio.accounts.forEach((account, a) => {
    const rollup = points(scores.rollup[a] as number);
    const base = [account.id, account.name];
    const applying = order.filter(({ i }) => rowOf[i]?.has(a));
    if (applying.length === 0) {
      lines.push([
        ...base,
        "",
        null,
        NO_DATA_BAND.grade,
        "No scorecard applies",
        NO_DATA_BAND.color,
        null,
        null,
        "",
        rollup,
        null,
        "",
        "",
      ]);
      if (all) (lines.at(-1) as CsvCell[]).push("");
      return;
    }
    for (const { card, i } of all ? applying : applying.slice(0, 1)) {
      const cols = scores.scorecards[i];
      const c = compiled[i];
      const row = rowOf[i]?.get(a);
      if (!cols || !c || row === undefined) continue;
      const score = cols.score[row] as number;
      const band = cols.band[row] as number;
      const shown = band < 0 ? NO_DATA_BAND : (c.bands[band] ?? NO_DATA_BAND);
      const drags = Array.from(cols.drags.subarray(row * TOP_DRAGS, (row + 1) * TOP_DRAGS))
        .filter((f) => f >= 0)
        .map((f) => card.factors[f]?.label ?? "");
      const line: CsvCell[] = [
        ...base,
        card.id,
        points(score),
        shown.grade,
        shown.label,
        shown.color,
        fixedCell(cols.coverage[row] as number, 3),
        fixedCell((score - (cols.previous[row] as number)) as number, 1),
        drags.join("; "),
        rollup,
        ...overrideCells(account.id, card.id, i === scores.primary[a]),
      ];
      if (all) line.push(String(i === scores.primary[a]));
      lines.push(line);
    }
  });
  // "\n" rather than RFC 4180's CRLF: this goes to stdout, for Unix tools as much as for spreadsheets.
  return writeCsv(all ? [...CSV_COLUMNS, "primary"] : CSV_COLUMNS, lines, { newline: "\n" });
}

/** One account in the JSON output: its explained results (primary first) and its children's roll-up. */
export interface AccountScores {
  accountId: string;
  name: string;
  /** ARR-weighted mean of the children's primary scores (unrounded); null when it has no scored children. */
  rollup: number | null;
  results: ScoreResult[];
}

/** The JSON output: every account's explained results as of a day (primary only unless `all`). */
export function scoresJson(
  portfolio: PortfolioData,
  scorecards: readonly Scorecard[],
  scores: PortfolioScores,
  overrides: readonly Override[],
  all: boolean,
): string {
  const accounts: AccountScores[] = portfolio.accounts.map((account: Account, a) => {
    const results = explainAccount(portfolio, scorecards, a, scores.asOf, overrides);
    const rollup = scores.rollup[a] as number;
    return {
      accountId: account.id,
      name: account.name,
      rollup: Number.isNaN(rollup) ? null : rollup,
      results: all ? results : results.slice(0, 1),
    };
  });
  return `${JSON.stringify({ asOf: formatDay(scores.asOf), accounts }, null, 2)}\n`;
}
