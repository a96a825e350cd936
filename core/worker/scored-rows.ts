import {
  type AccountsTableRow,
  accountRows,
  type Dashboard,
  type PrimaryHistory,
  type ShownScore,
  shownScores,
  utilizationOf,
} from "../insights/portfolio-view.ts";
import type { Account } from "../schema/account.ts";
import { type Day, formatDay } from "../schema/day.ts";
import type { Band, Scorecard } from "../schema/scorecard.ts";
import type { DataExtent } from "../scoring/as-of.ts";
import { sortBands } from "../scoring/bands.ts";
import type { PortfolioScores, ScoreHistory } from "../scoring/engine.ts";
import type { PortfolioData } from "../scoring/series.ts";
import type { HistoryRow, LatestResultRow } from "../store/db.ts";

/** The scored portfolio the worker keeps in memory: what every view is made from. */
export interface Scored {
  portfolio: PortfolioData;
  scorecards: Scorecard[];
  scores: PortfolioScores;
  histories: Map<string, ScoreHistory>;
  primaryHistory: PrimaryHistory;
  shown: (ShownScore | null)[];
  rows: AccountsTableRow[];
  dashboard: Dashboard;
  asOf: Day;
  /** The imported observations alone (no ratings), and their extent. */
  imported: PortfolioData;
  extent: DataExtent;
}

/** Days of daily history the app keeps and shows. */
export const HISTORY_DAYS = 365;

/**
 * What a scoring stores and shows, for a whole portfolio or for one account scored alone (the same code either way,
 * so a one-account rescore writes exactly the rows the full one would): latest results, history rows, each
 * account's primary history, shown score and accounts-table row, and the bands its primary scorecard colours by.
 */
export interface ScoredRows {
  latest: LatestResultRow[];
  history: HistoryRow[];
  primaryHistory: PrimaryHistory;
  shown: (ShownScore | null)[];
  rows: AccountsTableRow[];
  bandsOf: (readonly Band[] | undefined)[];
}

export function scoredRows(
  portfolio: PortfolioData,
  cards: readonly Scorecard[],
  scores: PortfolioScores,
  histories: ReadonlyMap<string, ScoreHistory>,
  asOf: Day,
): ScoredRows {
  const accounts = portfolio.accounts;
  const from = asOf - HISTORY_DAYS + 1;
  const primaryHistory: PrimaryHistory = { from, days: HISTORY_DAYS, scores: new Array(accounts.length) };
  const latest: LatestResultRow[] = [];
  const history: HistoryRow[] = [];
  const asOfText = formatDay(asOf);
  cards.forEach((card, k) => {
    const h = histories.get(card.id);
    const cols = scores.scorecards[k];
    if (!h || !cols) return;
    h.accounts.forEach((a, r) => {
      const row = h.score.slice(r * h.days, (r + 1) * h.days);
      const account = accounts[a] as Account;
      history.push({ scorecardId: card.id, accountId: account.id, from, scores: row });
      if (scores.primary[a] === k) primaryHistory.scores[a] = row;
    });
    cols.accounts.forEach((a, row) => {
      const s = cols.score[row] as number;
      const p = cols.previous[row] as number;
      latest.push({
        scorecardId: card.id,
        accountId: (accounts[a] as Account).id,
        asOf: asOfText,
        score: Number.isNaN(s) ? null : s,
        previousScore: Number.isNaN(p) ? null : p,
        coverage: cols.coverage[row] as number,
        band: cols.band[row] as number,
        drags: Array.from(cols.drags.subarray(row * 3, row * 3 + 3))
          .filter((f) => f >= 0)
          .map((f) => card.factors[f]?.id ?? ""),
        primary: scores.primary[a] === k,
      });
    });
  });
  const shown = shownScores(cards, scores, accounts.length);
  const utilization = utilizationOf(portfolio, asOf);
  const sorted = cards.map((card) => sortBands(card.bands));
  const bandsOf = accounts.map((_, a) => {
    const k = scores.primary[a] as number;
    return k < 0 ? undefined : sorted[k];
  });
  const rows = accountRows(accounts, shown, primaryHistory, utilization, asOf, bandsOf);
  return { latest, history, primaryHistory, shown, rows, bandsOf };
}
