import type { Account } from "../schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import type { ScoreColor } from "../schema/result.ts";
import { SCORE_COLORS } from "../schema/score-color.ts";
import type { Band, Scorecard } from "../schema/scorecard.ts";
import { bandIndexFor, NO_DATA_BAND, roundHalfUp, sortBands } from "../scoring/bands.ts";
import type { PortfolioScores } from "../scoring/engine.ts";
import { evaluateFactor } from "../scoring/evaluate.ts";
import { DEFAULT_METRICS } from "../scoring/metrics.ts";
import type { PortfolioData } from "../scoring/series.ts";
import type { DayScore } from "./score-digest.ts";

/**
 * What the app shows about a whole portfolio, worked out from scores in one place (the worker) so the pages only
 * render: each account's primary score as shown, the dashboard's summaries, the accounts table's rows.
 */

/** An account's primary score as a CSM sees it. */
export interface ShownScore {
  scorecardId: string;
  scorecardName: string;
  /** Unrounded score, null when there is not enough data. */
  score: number | null;
  points: number | null;
  grade: string;
  color: ScoreColor;
  label: string;
  coverage: number;
  /** Change over the scorecard's delta period, in points; null when either end is null. */
  delta: number | null;
  deltaDays: number;
  /** Labels of the factors losing the most points, worst first. */
  drags: string[];
}

/** One row of the accounts table. */
export interface AccountsTableRow {
  id: string;
  name: string;
  shown: ShownScore | null;
  /** Weekly primary scores over the last 13 weeks, oldest first (NaN where null), for a sparkline. */
  spark: number[];
  arr: number | null;
  renewalDate: string | null;
  segment: string;
  stage: string;
  owner: string;
  /** Mean daily active users over 30 days ÷ seats; null when unknown. */
  utilization: number | null;
  /**
   * The primary scorecard's score on the day before the as-of day, with the band that day's score falls in (the
   * daily digest compares it with `shown`); null when there was not enough data then.
   */
  dayBefore: DayScore | null;
}

/** Accounts and ARR in one band. */
export interface BandSummary {
  grade: string;
  label: string;
  color: ScoreColor;
  accounts: number;
  arr: number;
}

/** An account in one of the dashboard's lists. */
export interface AccountMention {
  id: string;
  name: string;
  points: number | null;
  grade: string;
  color: ScoreColor;
  label: string;
  arr: number | null;
  /** What makes it worth a look, in words ("−14 points in 7 days", "renews in 23 days", "92% of seats used"). */
  why: string;
  /** The number the list is sorted by. */
  value: number;
}

/** The dashboard: where the portfolio stands and what needs a look. */
export interface Dashboard {
  asOf: string;
  accounts: number;
  scored: number;
  arr: number;
  averageScore: number | null;
  bands: BandSummary[];
  /** Accounts per 10-point bucket of primary points: [0–9, 10–19, …, 90–100]. */
  distribution: number[];
  /** Daily average primary score and accounts per colour over the history. */
  trend: { days: number[]; average: number[]; green: number[]; yellow: number[]; red: number[] };
  drops: AccountMention[];
  renewals: AccountMention[];
  expansion: AccountMention[];
}

/** Primary-scorecard history per account: the first day and one score per day (NaN for null). */
export interface PrimaryHistory {
  from: Day;
  days: number;
  /** Row per account (index into accounts), or undefined when it has none. */
  scores: (Float32Array | undefined)[];
}

/** The shown form of every account's primary score (null when no scorecard applies). */
export function shownScores(
  scorecards: readonly Scorecard[],
  scores: PortfolioScores,
  accounts: number,
): (ShownScore | null)[] {
  const shown: (ShownScore | null)[] = new Array(accounts).fill(null);
  const rowMaps = scores.scorecards.map((cols) => new Map(Array.from(cols.accounts, (a, row) => [a, row])));
  const bands = scorecards.map((card) => sortBands(card.bands));
  for (let a = 0; a < accounts; a++) {
    const k = scores.primary[a] as number;
    if (k < 0) continue;
    const card = scorecards[k];
    const cols = scores.scorecards[k];
    const row = rowMaps[k]?.get(a);
    if (!card || !cols || row === undefined) continue;
    const s = cols.score[row] as number;
    const prev = cols.previous[row] as number;
    const bandIndex = cols.band[row] as number;
    const band = bandIndex < 0 ? NO_DATA_BAND : (bands[k]?.[bandIndex] ?? NO_DATA_BAND);
    const drags = Array.from(cols.drags.subarray(row * 3, row * 3 + 3))
      .filter((f) => f >= 0)
      .map((f) => card.factors[f]?.label ?? "");
    shown[a] = {
      scorecardId: card.id,
      scorecardName: card.name,
      score: Number.isNaN(s) ? null : s,
      points: Number.isNaN(s) ? null : roundHalfUp(s),
      grade: band.grade,
      color: band.color,
      label: band.label,
      coverage: cols.coverage[row] as number,
      delta: Number.isNaN(s) || Number.isNaN(prev) ? null : s - prev,
      deltaDays: card.deltaDays,
      drags,
    };
  }
  return shown;
}

/** License utilization per account: mean daily active users over 30 days ÷ seats, as of a day (NaN if unknown). */
export function utilizationOf(portfolio: PortfolioData, asOf: Day): Float64Array {
  const rows = Int32Array.from(portfolio.accounts, (_, i) => i);
  const values = evaluateFactor(
    portfolio,
    {
      id: "utilization",
      label: "License utilization",
      description: "",
      weight: 1,
      source: {
        kind: "ratio",
        numerator: { kind: "metric", metric: DEFAULT_METRICS.activeUsers, aggregation: "mean", windowDays: 30 },
        denominator: { kind: "attribute", key: "seats" },
      },
      rule: { kind: "linear", worst: 0, best: 1 },
      missing: { policy: "skip" },
    },
    rows,
    Int32Array.of(asOf),
  );
  return Float64Array.from(values.numeric ?? [], (v) => (Number.isFinite(v) ? v : Number.NaN));
}

/** Weekly points in a row's sparkline, the last one on the as-of day. */
const SPARK_WEEKS = 13;

const scoreAt = (history: PrimaryHistory, a: number, day: Day): number => {
  const row = history.scores[a];
  const j = day - history.from;
  if (!row || j < 0 || j >= history.days) return Number.NaN;
  return row[j] as number;
};

/** A past score as shown under the account's primary scorecard's bands (sorted highest first); null for NaN. */
function dayScoreOf(score: number, bands: readonly Band[] | undefined): DayScore | null {
  const band = bands && !Number.isNaN(score) ? bands[bandIndexFor(bands, score)] : undefined;
  if (!band) return null;
  return { score, points: roundHalfUp(score), grade: band.grade, color: band.color as ScoreColor, label: band.label };
}

/** The accounts table's rows, in account order. */
export function accountRows(
  accounts: readonly Account[],
  shown: readonly (ShownScore | null)[],
  history: PrimaryHistory,
  utilization: Float64Array,
  asOf: Day,
  /** Each account's primary scorecard's bands, sorted highest first, to band the day before's score. */
  bandsOf: readonly (readonly Band[] | undefined)[],
): AccountsTableRow[] {
  return accounts.map((account, a) => {
    const spark: number[] = [];
    for (let w = SPARK_WEEKS - 1; w >= 0; w--) spark.push(scoreAt(history, a, asOf - 7 * w));
    const u = utilization[a] as number;
    return {
      id: account.id,
      name: account.name,
      shown: shown[a] ?? null,
      spark,
      arr: account.arr ?? null,
      renewalDate: account.renewalDate ?? null,
      segment: account.segment ?? "",
      stage: account.stage ?? "",
      owner: account.owner ?? "",
      utilization: Number.isNaN(u) ? null : u,
      dayBefore: shown[a] ? dayScoreOf(scoreAt(history, a, asOf - 1), bandsOf[a]) : null,
    };
  });
}

const sign = (x: number) => (x > 0 ? `+${x}` : x < 0 ? `−${-x}` : "±0");

/** The dashboard's trend: daily average primary score and accounts per colour over the history. */
export type Trend = Dashboard["trend"];

/** The dashboard from the table's rows and the primary history. */
export function dashboardOf(
  rows: readonly AccountsTableRow[],
  history: PrimaryHistory,
  asOf: Day,
  /** Each account's primary scorecard's bands, sorted highest first, to colour past scores. */
  bandsOf: readonly (readonly Band[] | undefined)[],
): Dashboard {
  return dashboardFromRows(rows, trendOf(history, rows.length, bandsOf), asOf);
}

/** Trend: average primary score and accounts per colour, day by day; a past score is coloured by its own value. */
export function trendOf(
  history: PrimaryHistory,
  accounts: number,
  bandsOf: readonly (readonly Band[] | undefined)[],
): Trend {
  const days: number[] = [];
  const average: number[] = [];
  const green: number[] = [];
  const yellow: number[] = [];
  const red: number[] = [];
  for (let j = 0; j < history.days; j++) {
    let total = 0;
    let n = 0;
    let g = 0;
    let y = 0;
    let r = 0;
    for (let a = 0; a < accounts; a++) {
      const v = history.scores[a]?.[j];
      if (v === undefined || Number.isNaN(v)) continue;
      total += v;
      n++;
      const c = colorOf(v, bandsOf[a]);
      if (c === "green") g++;
      else if (c === "yellow") y++;
      else r++;
    }
    days.push(history.from + j);
    average.push(n === 0 ? Number.NaN : total / n);
    green.push(g);
    yellow.push(y);
    red.push(r);
  }
  return { days, average, green, yellow, red };
}

/** One account's primary history as the trend counts it: its daily scores and its primary scorecard's bands. */
export interface TrendPart {
  from: number;
  scores: ArrayLike<number>;
  bands: readonly Band[] | undefined;
}

/**
 * The trend with one account's part taken out and its new part put in (a rating rescored it): the same as
 * `trendOf` over every account again, without reading the others' histories (averages up to rounding).
 */
export function patchTrend(trend: Trend, before: TrendPart | undefined, after: TrendPart | undefined): Trend {
  const out: Trend = {
    days: [...trend.days],
    average: [...trend.average],
    green: [...trend.green],
    yellow: [...trend.yellow],
    red: [...trend.red],
  };
  const apply = (part: TrendPart | undefined, sign: 1 | -1) => {
    if (!part) return;
    out.days.forEach((day, j) => {
      const v = part.scores[day - part.from];
      if (v === undefined || Number.isNaN(v)) return;
      const g = out.green[j] as number;
      const y = out.yellow[j] as number;
      const r = out.red[j] as number;
      const n = g + y + r;
      const total = n === 0 ? 0 : (out.average[j] as number) * n;
      const c = colorOf(v, part.bands);
      if (c === "green") out.green[j] = g + sign;
      else if (c === "yellow") out.yellow[j] = y + sign;
      else out.red[j] = r + sign;
      const m = n + sign;
      out.average[j] = m === 0 ? Number.NaN : (total + sign * v) / m;
    });
  };
  apply(before, -1);
  apply(after, 1);
  return out;
}

/**
 * The dashboard from the table's rows and a trend: counts, ARR, bands, distribution and the lists read the rows
 * alone (a drop compares the sparkline's last two weekly points: the as-of day and 7 days before), so a one-account
 * change redoes them from the stored rows.
 */
export function dashboardFromRows(rows: readonly AccountsTableRow[], trend: Trend, asOf: Day): Dashboard {
  const bandMap = new Map<string, BandSummary>();
  const distribution = new Array<number>(10).fill(0);
  let arr = 0;
  let scored = 0;
  let sum = 0;
  for (const row of rows) {
    arr += row.arr ?? 0;
    const s = row.shown;
    const key = s ? `${s.color}\u0000${s.grade}\u0000${s.label}` : "none";
    const band = bandMap.get(key) ?? {
      grade: s?.grade ?? NO_DATA_BAND.grade,
      label: s ? s.label : "No scorecard applies",
      color: s?.color ?? "grey",
      accounts: 0,
      arr: 0,
    };
    band.accounts++;
    band.arr += row.arr ?? 0;
    bandMap.set(key, band);
    if (s?.points !== null && s?.points !== undefined) {
      scored++;
      sum += s.score ?? 0;
      const bucket = Math.min(9, Math.floor(s.points / 10));
      distribution[bucket] = (distribution[bucket] as number) + 1;
    }
  }
  const bands = [...bandMap.values()].sort(
    (x, y) => SCORE_COLORS.indexOf(x.color) - SCORE_COLORS.indexOf(y.color) || x.grade.localeCompare(y.grade),
  );

  const mention = (row: AccountsTableRow, why: string, value: number): AccountMention => ({
    id: row.id,
    name: row.name,
    points: row.shown?.points ?? null,
    grade: row.shown?.grade ?? NO_DATA_BAND.grade,
    color: row.shown?.color ?? "grey",
    label: row.shown?.label ?? NO_DATA_BAND.label,
    arr: row.arr,
    why,
    value,
  });
  const drops = rows
    .map((row) => {
      const now = row.spark[SPARK_WEEKS - 1] ?? Number.NaN;
      const before = row.spark[SPARK_WEEKS - 2] ?? Number.NaN;
      const change = roundHalfUp(now) - roundHalfUp(before);
      return { row, change };
    })
    .filter((d) => Number.isFinite(d.change) && d.change < 0)
    .sort((x, y) => x.change - y.change || (y.row.arr ?? 0) - (x.row.arr ?? 0))
    .slice(0, 10)
    .map((d) => mention(d.row, `${sign(d.change)} points in 7 days`, d.change));
  const renewals = rows
    .flatMap((row) => {
      const day = row.renewalDate === null ? undefined : parseIsoDay(row.renewalDate);
      if (day === undefined || day < asOf || day - asOf > 90 || row.shown?.color === "green") return [];
      const left = day - asOf;
      return [mention(row, `renews in ${left} ${left === 1 ? "day" : "days"} (${row.renewalDate})`, row.arr ?? 0)];
    })
    .sort((x, y) => y.value - x.value)
    .slice(0, 10);
  const expansion = rows
    .filter((row) => row.shown?.color === "green" && row.utilization !== null && row.utilization >= 0.8)
    .map((row) => mention(row, `${Math.round((row.utilization ?? 0) * 100)}% of seats used`, row.utilization ?? 0))
    .sort((x, y) => y.value - x.value || (y.arr ?? 0) - (x.arr ?? 0))
    .slice(0, 10);
  return {
    asOf: formatDay(asOf),
    accounts: rows.length,
    scored,
    arr,
    averageScore: scored === 0 ? null : sum / scored,
    bands,
    distribution,
    trend,
    drops,
    renewals,
    expansion,
  };
}

/** The colour a past score had under the account's primary scorecard's bands (sorted highest first). */
function colorOf(score: number, bands: readonly Band[] | undefined): ScoreColor {
  if (!bands || bands.length === 0) return "grey";
  const i = bandIndexFor(bands, score);
  return i < 0 ? "grey" : ((bands[i] as Band).color as ScoreColor);
}
