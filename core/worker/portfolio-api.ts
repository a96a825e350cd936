import { demoPortfolio } from "../demo/portfolio.ts";
import {
  type AccountRow,
  accountRows,
  type Dashboard,
  dashboardOf,
  type PrimaryHistory,
  type ShownScore,
  shownScores,
  utilizationOf,
} from "../insights/portfolio-view.ts";
import type { Account } from "../schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import { Override } from "../schema/override.ts";
import type { ScoreResult } from "../schema/result.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { sortBands } from "../scoring/bands.ts";
import { DEFAULT_SCORECARDS } from "../scoring/defaults.ts";
import {
  explainAccount,
  type PortfolioScores,
  type ScoreHistory,
  scoreHistory,
  scorePortfolioSteps,
} from "../scoring/engine.ts";
import { type PortfolioData, seriesFromColumns } from "../scoring/series.ts";
import type { HistoryRow, LatestResultRow, VitalsDb } from "../store/db.ts";
import { applyImport } from "../store/imports.ts";
import { loadPortfolio } from "../store/portfolio.ts";
import { replaceResults, scoredMeta } from "../store/results.ts";
import { listScorecards, saveScorecard } from "../store/scorecards.ts";

/** Days of daily history the app keeps and shows. */
export const HISTORY_DAYS = 365;

/** What the app knows about its data, for the shell (first run, demo banner, "as of" line). */
export interface PortfolioStatus {
  accounts: number;
  /** The demo portfolio is loaded. */
  demo: boolean;
  /** The user cleared the demo portfolio (so it is not loaded again by itself). */
  demoCleared: boolean;
  asOf: string | null;
  scoredAt: string | null;
  scorecards: { id: string; name: string }[];
}

/** Everything the account page shows. */
export interface AccountDetail {
  account: Account;
  results: ScoreResult[];
  /** Daily scores on each applying scorecard over the history (null where there was no score). */
  history: { scorecardId: string; from: string; scores: (number | null)[] }[];
  shown: ShownScore | null;
  parent: { id: string; name: string } | null;
  children: { id: string; name: string }[];
  /** Name and bands of each scorecard, by id, for headings and the bands behind history charts. */
  scorecards: { id: string; name: string; bands: { min: number; color: string; label: string }[] }[];
}

/** Called with work done so far out of the total, by phase. */
export type PortfolioProgress = (phase: "demo" | "scoring" | "history" | "saving", done: number, total: number) => void;

function namedError(name: "AbortError" | "InputError", message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The scored portfolio held in the worker between calls, so pages ask for views without rescoring. */
interface Scored {
  portfolio: PortfolioData;
  scorecards: Scorecard[];
  scores: PortfolioScores;
  histories: Map<string, ScoreHistory>;
  primaryHistory: PrimaryHistory;
  shown: (ShownScore | null)[];
  rows: AccountRow[];
  dashboard: Dashboard;
  asOf: Day;
}

/** The local calendar day (days since 1970-01-01) of a moment. */
export function localDay(now: Date): Day {
  return parseIsoDay(
    `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`,
  ) as Day;
}

/**
 * The portfolio API the app's pages call (in the data worker): first-run demo data, scoring the stored portfolio
 * with its scorecards (latest scores and a year of daily history, saved to the store), and the views the pages
 * render: dashboard, accounts table, account detail.
 */
export function createPortfolioApi(openDb: () => VitalsDb, options: { today?: () => Day; demoAccounts?: number } = {}) {
  const today = options.today ?? (() => localDay(new Date()));
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openDb();
    return db;
  };
  const jobs = new Map<string, { cancelled: boolean }>();
  let scored: Scored | undefined;
  let scoring: Promise<Scored> | undefined;

  async function job<T>(jobId: string, work: (check: () => void) => Promise<T>): Promise<T> {
    if (jobs.has(jobId)) throw namedError("InputError", `job "${jobId}" is already running`);
    const state = { cancelled: false };
    jobs.set(jobId, state);
    try {
      return await work(() => {
        if (state.cancelled) throw namedError("AbortError", `job "${jobId}" was cancelled`);
      });
    } finally {
      jobs.delete(jobId);
    }
  }

  const report = (onProgress: PortfolioProgress | undefined, ...args: Parameters<PortfolioProgress>) => {
    if (onProgress) Promise.resolve(onProgress(...args)).catch(() => undefined);
  };

  /** The live scorecards; the default ones are saved on first use so the user can edit them. */
  async function scorecards(): Promise<Scorecard[]> {
    const cards = await listScorecards(store());
    if (cards.length > 0) return cards;
    for (const card of DEFAULT_SCORECARDS) await saveScorecard(store(), card, "Default scorecard");
    return listScorecards(store());
  }

  /** The day to score as of: the last day with data, and never after today. */
  function asOfFor(portfolio: PortfolioData): Day {
    let last = Number.NEGATIVE_INFINITY;
    for (const series of portfolio.series.values()) {
      for (let a = 0; a + 1 < series.offsets.length; a++) {
        const end = series.offsets[a + 1] as number;
        if (end > (series.offsets[a] as number)) last = Math.max(last, series.days[end - 1] as number);
      }
    }
    const now = today();
    return Number.isFinite(last) ? Math.min(last, now) : now;
  }

  async function compute(check: () => void, onProgress?: PortfolioProgress): Promise<Scored> {
    const stored = await loadPortfolio(store());
    const cards = await scorecards();
    const accounts = stored.accounts;
    const portfolio: PortfolioData = {
      accounts,
      accountIndex: new Map(accounts.map((a, i) => [a.id, i])),
      series: new Map(stored.metrics.map((m) => [m.metric, seriesFromColumns(accounts.length, m)])),
    };
    const asOf = asOfFor(portfolio);
    const { steps, total } = scorePortfolioSteps(portfolio, cards, { asOf, chunkSize: 2048 });
    let done = 0;
    let scores: PortfolioScores;
    for (;;) {
      const step = steps.next();
      if (step.done) {
        scores = step.value;
        break;
      }
      report(onProgress, "scoring", ++done, total);
      await yieldToEventLoop();
      check();
    }
    const histories = new Map<string, ScoreHistory>();
    for (const [k, card] of cards.entries()) {
      histories.set(card.id, scoreHistory(portfolio, card, asOf - HISTORY_DAYS + 1, asOf));
      report(onProgress, "history", k + 1, cards.length);
      await yieldToEventLoop();
      check();
    }
    const from = asOf - HISTORY_DAYS + 1;
    const primaryHistory: PrimaryHistory = { from, days: HISTORY_DAYS, scores: new Array(accounts.length) };
    const latest: LatestResultRow[] = [];
    const historyRows: HistoryRow[] = [];
    const asOfText = formatDay(asOf);
    cards.forEach((card, k) => {
      const h = histories.get(card.id);
      const cols = scores.scorecards[k];
      if (!h || !cols) return;
      h.accounts.forEach((a, r) => {
        const row = h.score.slice(r * h.days, (r + 1) * h.days);
        const account = accounts[a] as Account;
        historyRows.push({ scorecardId: card.id, accountId: account.id, from, scores: row });
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
    report(onProgress, "saving", 0, 1);
    check();
    await replaceResults(store(), latest, historyRows, { asOf: asOfText, scoredAt: new Date().toISOString() });
    report(onProgress, "saving", 1, 1);
    const shown = shownScores(cards, scores, accounts.length);
    const utilization = utilizationOf(portfolio, asOf);
    const rows = accountRows(accounts, shown, primaryHistory, utilization, asOf);
    const sorted = cards.map((card) => sortBands(card.bands));
    const bandsOf = accounts.map((_, a) => {
      const k = scores.primary[a] as number;
      return k < 0 ? undefined : sorted[k];
    });
    const dashboard = dashboardOf(rows, primaryHistory, asOf, bandsOf);
    return { portfolio, scorecards: cards, scores, histories, primaryHistory, shown, rows, dashboard, asOf };
  }

  /** The scored portfolio, computing it once when the worker has none (a cold start). */
  function current(): Promise<Scored> {
    if (scored) return Promise.resolve(scored);
    scoring ??= compute(() => {}).then(
      (result) => {
        scored = result;
        scoring = undefined;
        return result;
      },
      (error: unknown) => {
        scoring = undefined;
        throw error;
      },
    );
    return scoring;
  }

  async function status(): Promise<PortfolioStatus> {
    const [accounts, demo, meta, cards] = await Promise.all([
      store().accounts.count(),
      store().meta.get("demo"),
      scoredMeta(store()),
      listScorecards(store()),
    ]);
    return {
      accounts,
      demo: demo?.value === true,
      demoCleared: demo?.value === false,
      asOf: meta?.asOf ?? null,
      scoredAt: meta?.scoredAt ?? null,
      scorecards: cards.map((c) => ({ id: c.id, name: c.name })),
    };
  }

  return {
    async ping(): Promise<"pong"> {
      return "pong";
    },

    status,

    /**
     * First run: fills an empty store with the demo portfolio (500 accounts, a year of data ending today) in one
     * import, then scores it. Does nothing to a store that already has accounts.
     */
    async loadDemo(jobId: string, onProgress?: PortfolioProgress): Promise<PortfolioStatus> {
      return job(jobId, async (check) => {
        if ((await store().accounts.count()) > 0) throw namedError("InputError", "the store already has accounts");
        report(onProgress, "demo", 0, 1);
        const demo = demoPortfolio({
          asOf: today(),
          ...(options.demoAccounts === undefined ? {} : { accounts: options.demoAccounts }),
        });
        check();
        await applyImport(
          store(),
          {
            fileName: "Demo portfolio",
            shape: "demo",
            rowsRead: demo.accounts.length,
            rowsSkipped: 0,
            accounts: demo.accounts,
            observations: demo.observations,
            rejects: [],
          },
          { id: `demo-${Date.now().toString(36)}`, at: new Date().toISOString() },
        );
        await store().outcomes.bulkPut(demo.outcomes.map((o) => ({ ...o })));
        await store().meta.put({ key: "demo", value: true });
        report(onProgress, "demo", 1, 1);
        scored = await compute(check, onProgress);
        return status();
      });
    },

    /** Removes the demo portfolio (every account whose id starts with "demo-", with its data), then rescores. */
    async clearDemo(jobId: string, onProgress?: PortfolioProgress): Promise<PortfolioStatus> {
      return job(jobId, async (check) => {
        const s = store();
        await s.transaction(
          "rw",
          [
            s.accounts,
            s.blocks,
            s.outcomes,
            s.manualInputs,
            s.notes,
            s.overrides,
            s.alerts,
            s.imports,
            s.importUndo,
            s.meta,
          ],
          async () => {
            const ids = await s.accounts.where("id").startsWith("demo-").primaryKeys();
            await s.accounts.bulkDelete(ids);
            for (const table of [s.blocks, s.outcomes, s.manualInputs, s.notes, s.overrides, s.alerts]) {
              await table.where("accountId").startsWith("demo-").delete();
            }
            const demoImports = (await s.imports.toArray()).filter((i) => i.shape === "demo").map((i) => i.id);
            await s.imports.bulkDelete(demoImports);
            for (const id of demoImports) await s.importUndo.where("importId").equals(id).delete();
            await s.meta.put({ key: "demo", value: false });
          },
        );
        scored = await compute(check, onProgress);
        return status();
      });
    },

    /** Scores the stored portfolio again (after an import, an edit, a new day) and saves the results. */
    async rescore(jobId: string, onProgress?: PortfolioProgress): Promise<PortfolioStatus> {
      return job(jobId, async (check) => {
        scored = await compute(check, onProgress);
        return status();
      });
    },

    async dashboard(): Promise<Dashboard> {
      return (await current()).dashboard;
    },

    async accounts(): Promise<AccountRow[]> {
      return (await current()).rows;
    },

    /** One account's explained results on every applying scorecard (primary first), history and relations. */
    async account(id: string): Promise<AccountDetail> {
      const s = await current();
      const index = s.portfolio.accountIndex.get(id);
      if (index === undefined) throw namedError("InputError", `there is no account "${id}"`);
      const overrides = (await store().overrides.where("accountId").equals(id).toArray()).flatMap((row) => {
        const parsed = Override.safeParse(row);
        return parsed.success ? [parsed.data] : [];
      });
      const account = s.portfolio.accounts[index] as Account;
      const results = explainAccount(s.portfolio, s.scorecards, index, s.asOf, overrides);
      const history = results.flatMap((r) => {
        const h = s.histories.get(r.scorecardId);
        if (!h) return [];
        const row = Array.from(h.accounts).indexOf(index);
        if (row < 0) return [];
        const scores = Array.from(h.score.subarray(row * h.days, (row + 1) * h.days), (v) =>
          Number.isNaN(v) ? null : v,
        );
        return [{ scorecardId: r.scorecardId, from: formatDay(h.from), scores }];
      });
      const parent = account.parentId === undefined ? undefined : s.portfolio.accountIndex.get(account.parentId);
      return {
        account,
        results,
        history,
        shown: s.shown[index] ?? null,
        parent:
          parent === undefined
            ? null
            : { id: account.parentId as string, name: (s.portfolio.accounts[parent] as Account).name },
        children: s.portfolio.accounts.filter((a) => a.parentId === id).map((a) => ({ id: a.id, name: a.name })),
        scorecards: s.scorecards.map((c) => ({
          id: c.id,
          name: c.name,
          bands: c.bands.map((b) => ({ min: b.min, color: b.color, label: b.label })),
        })),
      };
    },

    /** Closes the database connection and forgets the scored portfolio. */
    async close(): Promise<void> {
      db?.close();
      db = undefined;
      scored = undefined;
    },

    async cancel(jobId: string): Promise<boolean> {
      const state = jobs.get(jobId);
      if (state) state.cancelled = true;
      return state !== undefined;
    },
  };
}

/** The portfolio API's type, as clients see it. */
export type PortfolioApi = ReturnType<typeof createPortfolioApi>;
