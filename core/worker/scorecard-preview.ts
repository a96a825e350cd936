import type { Account } from "../schema/account.ts";
import { unknownMetricIssues } from "../schema/bundle.ts";
import { formatDay } from "../schema/day.ts";
import { type FileIssue, issuesOf } from "../schema/issues.ts";
import type { ScoreColor } from "../schema/result.ts";
import { Scorecard } from "../schema/scorecard.ts";
import { appliesTo, byPriority } from "../scoring/applies.ts";
import { NO_DATA_BAND, roundHalfUp, sortBands } from "../scoring/bands.ts";
import { scorecardDataWarnings } from "../scoring/data-warnings.ts";
import { type ScorecardColumns, scorePortfolio } from "../scoring/engine.ts";
import type { Scored } from "./scored-rows.ts";

// The scorecard editor's live preview: a draft scored on the scored portfolio beside the saved scorecard of its id.

/** A band of a scorecard and the accounts in it. `min` is null for "not enough data". */
export interface BandCount {
  grade: string;
  label: string;
  color: ScoreColor;
  min: number | null;
  accounts: number;
}

/** One side of a scorecard preview (the saved scorecard, or the draft): where its scores fall. */
export interface PreviewSide {
  /** Accounts the scorecard applies to on the as-of day. */
  applies: number;
  /** Accounts whose primary score (the badge's) it gives. */
  primary: number;
  /** Its bands, highest first, then "not enough data". */
  bands: BandCount[];
  /** Accounts per 10 points of shown score: 0–9, 10–19, …, 90–100 (null scores left out). */
  distribution: number[];
  /** Mean unrounded score of the accounts with one; null when none has. */
  average: number | null;
}

/** A band as an account sees it. */
export interface BandRef {
  grade: string;
  label: string;
  color: ScoreColor;
}

/** An account whose grade on the scorecard would change. `from`/`to` are null where the scorecard does not apply. */
export interface BandChange {
  id: string;
  name: string;
  from: BandRef | null;
  to: BandRef | null;
  /** Shown points before and after (null: not enough data, or the scorecard does not apply). */
  before: number | null;
  after: number | null;
}

/** Accounts listed in a preview's changes; the total says how many there are. */
export const PREVIEW_CHANGES_SHOWN = 200;

/** What a draft scorecard would do to the portfolio, next to the saved one (or every problem in the draft). */
export type ScorecardPreview =
  | {
      ok: true;
      asOf: string;
      /** The saved scorecard of the draft's id; null when the draft is a new scorecard. */
      saved: PreviewSide | null;
      draft: PreviewSide;
      /** Accounts whose grade changes, by name, at most PREVIEW_CHANGES_SHOWN. */
      changes: BandChange[];
      changesTotal: number;
      /** Problems that do not stop a save (a metric the data does not have), by JSON path. */
      warnings: FileIssue[];
      /** Milliseconds the worker took to score the draft and compare. */
      ms: number;
    }
  | { ok: false; issues: FileIssue[] };

/** Where one scorecard's scores fall: accounts per band (highest first, then "not enough data"), distribution. */
function previewSide(card: Scorecard, cols: ScorecardColumns, primary: number): PreviewSide {
  const bands = sortBands(card.bands);
  const counts = new Array<number>(bands.length + 1).fill(0);
  const distribution = new Array<number>(10).fill(0);
  let sum = 0;
  let scored = 0;
  for (let r = 0; r < cols.accounts.length; r++) {
    const b = cols.band[r] as number;
    const k = b < 0 ? bands.length : b;
    counts[k] = (counts[k] as number) + 1;
    const score = cols.score[r] as number;
    if (Number.isNaN(score)) continue;
    scored++;
    sum += score;
    const bucket = Math.min(9, Math.floor(roundHalfUp(score) / 10));
    distribution[bucket] = (distribution[bucket] as number) + 1;
  }
  return {
    applies: cols.accounts.length,
    primary,
    bands: [
      ...bands.map((b, i) => ({
        grade: b.grade,
        label: b.label,
        color: b.color,
        min: b.min,
        accounts: counts[i] as number,
      })),
      { ...NO_DATA_BAND, min: null, accounts: counts[bands.length] as number },
    ],
    distribution,
    average: scored > 0 ? sum / scored : null,
  };
}

/** Each account's grade and shown points on one scorecard, or null where it does not apply. */
function gradesOf(card: Scorecard, cols: ScorecardColumns, accountCount: number) {
  const bands = sortBands(card.bands);
  const out: ({ band: BandRef; points: number | null } | null)[] = new Array(accountCount).fill(null);
  cols.accounts.forEach((a, r) => {
    const b = cols.band[r] as number;
    const band = b < 0 ? NO_DATA_BAND : (bands[b] as BandRef);
    const score = cols.score[r] as number;
    out[a] = {
      band: { grade: band.grade, label: band.label, color: band.color },
      points: Number.isNaN(score) ? null : roundHalfUp(score),
    };
  });
  return out;
}

/**
 * What a draft scorecard does to the scored portfolio, next to the saved scorecard of its id: band counts and
 * distribution of both, the accounts whose grade changes, and warnings; or the draft's problems by JSON path.
 */
export function previewScorecard(s: Scored, draft: unknown): ScorecardPreview {
  const started = performance.now();
  const parsed = Scorecard.safeParse(draft);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  const card = parsed.data;
  const { accounts } = s.portfolio;
  // Only the draft is scored: the other scorecards' scores do not depend on it, and which scorecard gives an
  // account's primary score depends only on "applies to" and priority.
  const draftCols = scorePortfolio(s.portfolio, [card], { asOf: s.asOf }).scorecards[0] as ScorecardColumns;
  const ahead = s.scorecards.filter((c) => c.id !== card.id && byPriority(c, card) < 0);
  let draftPrimary = 0;
  for (const a of draftCols.accounts) {
    const account = accounts[a] as Account;
    if (!ahead.some((c) => appliesTo(c, account, s.asOf))) draftPrimary++;
  }
  const k = s.scorecards.findIndex((c) => c.id === card.id);
  const savedCard = s.scorecards[k];
  const savedCols = s.scores.scorecards[k];
  let savedPrimary = 0;
  for (const p of s.scores.primary) if (p === k) savedPrimary++;
  const before = savedCard && savedCols ? gradesOf(savedCard, savedCols, accounts.length) : [];
  const after = gradesOf(card, draftCols, accounts.length);
  const changes: BandChange[] = [];
  accounts.forEach((account, a) => {
    const from = before[a] ?? null;
    const to = after[a] ?? null;
    if ((from?.band.grade ?? null) === (to?.band.grade ?? null)) return;
    changes.push({
      id: account.id,
      name: account.name,
      from: from?.band ?? null,
      to: to?.band ?? null,
      before: from?.points ?? null,
      after: to?.points ?? null,
    });
  });
  changes.sort((x, y) => x.name.localeCompare(y.name, "en") || (x.id < y.id ? -1 : 1));
  return {
    ok: true,
    asOf: formatDay(s.asOf),
    saved: savedCard && savedCols ? previewSide(savedCard, savedCols, savedPrimary) : null,
    draft: previewSide(card, draftCols, draftPrimary),
    changes: changes.slice(0, PREVIEW_CHANGES_SHOWN),
    changesTotal: changes.length,
    warnings: [
      ...unknownMetricIssues(card, new Set(s.portfolio.series.keys())),
      ...scorecardDataWarnings(card, accounts),
    ],
    ms: performance.now() - started,
  };
}
