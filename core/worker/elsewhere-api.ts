import { type AccountsTableRow, type Dashboard, dashboardFromRows, type Trend } from "../insights/portfolio-view.ts";
import { readResultsCsv } from "../io/results.ts";
import type { BadgeAccount } from "../schema/badge.ts";
import { formatDay, parseIsoDay } from "../schema/day.ts";
import type { VitalsDb } from "../store/db.ts";
import { clearScoredElsewhere, readScoredElsewhereAccounts, writeScoredElsewhere } from "../store/scored-elsewhere.ts";
import { readScoredElsewhereInfo, type ScoredElsewhereInfo } from "../store/scored-elsewhere-info.ts";
import { namedError } from "./runtime/errors.ts";

/** At most this many problems of a results file are listed; the rest are counted. */
const LISTED = 50;

/** What an import of a results file did: stored (how many accounts), or its problems as `file:line: column: reason`. */
export type ResultsImport = { ok: true; info: ScoredElsewhereInfo } | { ok: false; problems: string[]; more: number };

/** One account of a portfolio scored elsewhere, with where its results came from. */
export interface ElsewhereAccount {
  info: ScoredElsewhereInfo;
  account: BadgeAccount;
}

/** An accounts-table row from one results row: the primary score as the file gives it, nothing the app computes. */
export function rowOfResult(a: BadgeAccount): AccountsTableRow {
  return {
    id: a.id,
    name: a.name,
    shown:
      a.scorecard === ""
        ? null
        : {
            scorecardId: a.scorecard,
            scorecardName: a.scorecard,
            score: a.score,
            points: a.shown,
            grade: a.grade,
            color: a.color,
            label: a.label,
            coverage: a.coverage,
            delta: a.delta,
            // The file does not say over how many days its delta is.
            deltaDays: 0,
            drags: a.drags.map((d) => d.text),
          },
    spark: [],
    arr: null,
    renewalDate: null,
    segment: "",
    stage: "",
    owner: "",
    utilization: null,
    // A results file holds one day's scores: nothing to compare with the day before.
    dayBefore: null,
  };
}

const NO_TREND: Trend = { days: [], average: [], green: [], yellow: [], red: [] };

/**
 * The app's side of "results back in" (issue 20): a results file (`vitals score --format csv`, `vitals sql`) imported
 * as a read-only portfolio scored elsewhere, which the dashboard, the accounts table and its accounts' pages show
 * instead of the app's own scores until it is cleared.
 */
export function createElsewhereApi(openDb: () => VitalsDb) {
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openDb();
    return db;
  };
  /** The parsed rows, kept while the stored ones are the same (the info's importedAt says which). */
  let cache: { importedAt: string; accounts: BadgeAccount[]; rows: AccountsTableRow[] } | undefined;
  const current = async () => {
    const info = await readScoredElsewhereInfo(store());
    if (!info) {
      cache = undefined;
      return null;
    }
    if (cache?.importedAt !== info.importedAt) {
      const accounts = await readScoredElsewhereAccounts(store());
      cache = { importedAt: info.importedAt, accounts, rows: accounts.map(rowOfResult) };
    }
    return { info, ...cache };
  };
  return {
    /**
     * Imports a results file as the portfolio scored elsewhere, as of `asOf` (the file does not say). Nothing is
     * stored if any row has a problem; the app's own accounts, observations and scores are never touched.
     */
    async importResults(file: Blob, fileName: string, asOf: string): Promise<ResultsImport> {
      const day = parseIsoDay(asOf);
      if (day === undefined) throw namedError("InputError", `asOf: "${asOf}" is not a day (YYYY-MM-DD)`);
      const name = fileName;
      const text = await file.text();
      const { accounts, problems } = readResultsCsv(name, text, formatDay(day), new Map());
      if (problems.length > 0) {
        const lines = problems.map((p) => {
          const where = p.line === undefined ? `${p.file}:` : `${p.file}:${p.line}:`;
          return p.at === undefined ? `${where} ${p.message}` : `${where} ${p.at}: ${p.message}`;
        });
        return { ok: false, problems: lines.slice(0, LISTED), more: Math.max(0, lines.length - LISTED) };
      }
      if (accounts.length === 0) return { ok: false, problems: [`${name}: the file has no results rows`], more: 0 };
      const info: ScoredElsewhereInfo = {
        file: name,
        asOf: formatDay(day),
        importedAt: new Date().toISOString(),
        accounts: accounts.length,
      };
      await writeScoredElsewhere(store(), info, accounts);
      return { ok: true, info };
    },
    /** Where the shown results came from, or null when the app shows its own scores. */
    async scoredElsewhere(): Promise<ScoredElsewhereInfo | null> {
      return readScoredElsewhereInfo(store());
    },
    /** One account of the portfolio scored elsewhere; null when there is none (or the account is not in it). */
    async scoredElsewhereAccount(id: string): Promise<ElsewhereAccount | null> {
      const c = await current();
      const account = c?.accounts.find((a) => a.id === id);
      return c && account ? { info: c.info, account } : null;
    },
    /** Shows the app's own scores again. */
    async clearScoredElsewhere(): Promise<void> {
      await clearScoredElsewhere(store());
      cache = undefined;
    },
    /** The dashboard of the portfolio scored elsewhere (no trend: the file has one day), or null. */
    async elsewhereDashboard(): Promise<Dashboard | null> {
      const c = await current();
      return c ? dashboardFromRows(c.rows, NO_TREND, parseIsoDay(c.info.asOf) as number) : null;
    },
    /** The accounts table of the portfolio scored elsewhere, or null. */
    async elsewhereRows(): Promise<AccountsTableRow[] | null> {
      return (await current())?.rows ?? null;
    },
    async close(): Promise<void> {
      db?.close();
      db = undefined;
    },
  };
}
