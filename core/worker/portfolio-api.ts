import { z } from "zod";
import { churnedAccounts, portfolioAlerts } from "../alerts/portfolio.ts";
import { DEMO_ID_PREFIX, demoPortfolio } from "../demo/portfolio.ts";
import {
  type AccountsTableRow,
  type Dashboard,
  dashboardFromRows,
  dashboardOf,
  patchTrend,
} from "../insights/portfolio-view.ts";
import { dataPlan } from "../io/plan.ts";
import { type Account, WELL_KNOWN_ATTRIBUTES } from "../schema/account.ts";
import { type Day, formatDay, localDay } from "../schema/day.ts";
import { IsoDay } from "../schema/iso-day.ts";
import { type FileIssue, issuesOf, refused, type SaveResult } from "../schema/issues.ts";
import { MetricName } from "../schema/observation.ts";
import { Override } from "../schema/override.ts";
import { Scorecard } from "../schema/scorecard.ts";
import { AsOfSetting, dataExtent, type MetricExtent, resolveAsOf, withRatings } from "../scoring/as-of.ts";
import { sortBands } from "../scoring/bands.ts";
import { DEFAULT_SCORECARDS } from "../scoring/defaults.ts";
import { type PortfolioScores, type ScoreHistory, scoreHistory, scorePortfolioSteps } from "../scoring/engine.ts";
import { syncAccountAlerts, syncAlerts } from "../store/alerts.ts";
import {
  DEMO_ACCOUNTS_KEY,
  type ManualInputRow,
  type MetaRow,
  type NoteRow,
  type ScorecardVersionRow,
  type VitalsDb,
} from "../store/db.ts";
import { applyImport } from "../store/imports.ts";
import { importedDataOf, loadPortfolio } from "../store/portfolio.ts";
import { replaceResults, writeViewRows } from "../store/results.ts";
import {
  deleteScorecard,
  type LiveScorecard,
  listLiveScorecards,
  listScorecards,
  revertScorecard,
  saveScorecard,
  scorecardVersions,
} from "../store/scorecards.ts";
import { readAsOfSetting, writeAsOfSetting } from "../store/settings.ts";
import {
  badgeRows,
  inputsChanged,
  inputsToken,
  patchedBadgeRows,
  patchedViewRows,
  readBadgesForPatch,
  readBadgeView,
  readDashboardView,
  readRowsView,
  readViewsForPatch,
  rowsToken,
  sameViews,
  storedViewsStamp,
  type ViewsStamp,
  viewRows,
  viewsCurrent,
} from "../store/views.ts";
import {
  type AccountDetail,
  createAccountReads,
  type ListedOverride,
  type PortfolioStatus,
  type ScoredAlone,
  type StoredManualInput,
  type StoredNote,
} from "./account-read.ts";
import { type BadgeEntry, badgeEntries } from "./badges-api.ts";
import { checkRequest, namedError, parseRequest, yieldToEventLoop } from "./runtime/errors.ts";
import { previewScorecard, type ScorecardPreview } from "./scorecard-preview.ts";
import { HISTORY_DAYS, type Scored, scoredRows } from "./scored-rows.ts";

export type { AccountDetail, ListedOverride, PortfolioStatus, StoredManualInput, StoredNote } from "./account-read.ts";
export type { BandChange, BandCount, BandRef, PreviewSide, ScorecardPreview } from "./scorecard-preview.ts";
export { HISTORY_DAYS } from "./scored-rows.ts";

/** Each metric's extent in the imported data, for the Data page ("logins: 2024-01-01 to 2024-12-31"). */
export interface DataSources {
  dataEnd: string | null;
  today: string;
  asOf: string;
  metrics: (Omit<MetricExtent, "first" | "last"> & { first: string; last: string })[];
}

/** What the CSM types to rate an account (the day is today). */
export const ManualInputRequest = z.object({
  accountId: z.string().min(1, "pick an account"),
  metric: MetricName.default("csm_sentiment"),
  rating: z.number().int("a rating is a whole number 1 to 5").min(1, "a rating is 1 to 5").max(5, "a rating is 1 to 5"),
  note: z.string().max(2000, "a note is at most 2,000 characters").default(""),
  author: z.string().trim().min(1, "say who rated it"),
});
/** What the CSM types to override a score or band (made today). */
export const OverrideRequest = z
  .object({
    accountId: z.string().min(1, "pick an account"),
    scorecardId: z.string().min(1).optional(),
    score: z.number().min(0, "a score is 0 to 100").max(100, "a score is 0 to 100").optional(),
    grade: z.string().trim().min(1, "pick a grade").optional(),
    reason: z.string().trim().min(1, "an override needs a reason"),
    author: z.string().trim().min(1, "an override needs an author"),
    expiresOn: IsoDay,
  })
  .refine((o) => o.score !== undefined || o.grade !== undefined, {
    message: "an override sets a score, a grade, or both",
    path: ["score"],
  });
/** What the CSM types to add a note. */
export const NoteRequest = z.object({
  accountId: z.string().min(1, "pick an account"),
  text: z.string().trim().min(1, "a note needs some text").max(10_000, "a note is at most 10,000 characters"),
  author: z.string().trim().min(1, "say who wrote it"),
});

/** What the scorecard editor offers to pick from: the data's metrics, attributes, segments and stages. */
export interface ScorecardChoices {
  metrics: string[];
  attributes: string[];
  segments: string[];
  stages: string[];
}

/** Called with work done so far out of the total, by phase. */
export type PortfolioProgress = (phase: "demo" | "scoring" | "history" | "saving", done: number, total: number) => void;

/**
 * The portfolio API the app's pages call (in the data worker): first-run demo data, scoring the stored portfolio
 * with its scorecards (latest scores and a year of daily history, saved to the store), and the views the pages
 * render: dashboard, accounts table, account detail.
 */
export function createPortfolioApi(
  openDb: () => VitalsDb,
  options: {
    today?: () => Day;
    demoAccounts?: number;
    openUserDb?: () => VitalsDb;
    /** Which build of the code this is (stored views made by another build are not used). */
    code?: string;
  } = {},
) {
  const today = options.today ?? (() => localDay(new Date()));
  let db: VitalsDb | undefined;
  const store = () => {
    db ??= openDb();
    return db;
  };
  // The CSM's own words (ratings, overrides, notes) cannot be made again: written through a durable connection
  // when the app gives one (the derived store may use relaxed durability).
  let userDb: VitalsDb | undefined;
  const userStore = () => {
    if (!options.openUserDb) return store();
    userDb ??= options.openUserDb();
    return userDb;
  };
  const reads = createAccountReads({ store, userStore, today });
  const { status, storedBasis, scoreOne, accountDetail, listManualInputs, listOverrides, listNotes } = reads;
  const jobs = new Map<string, { cancelled: boolean }>();
  let scored: Scored | undefined;
  let scoring: Promise<Scored> | undefined;
  /** Moves when the store changes under `scored` (a one-account rescore): a scoring begun before is not kept. */
  let generation = 0;
  /**
   * The badge entries one-account rescores made since the inputs token was last `inputs` (what they stored in the
   * badge view), so the delta the bridge posts after a rating reads no stored view.
   */
  let patchedBadges: { inputs: string | null; entries: Map<string, BadgeEntry> } | undefined;
  /**
   * The views (and badge entries) the last one-account rescore wrote, as written: the pages' next reads and the next
   * rating's patch take them from here rather than reading and parsing every account's row again, while the store's
   * inputs token is still theirs (another tab's change moves it, and the store is read again).
   */
  /**
   * The account the last one-account rescore scored, with the inputs token and day it was scored on: its page (read
   * again right after a rating) is explained from it while the store's inputs token is still that one, instead of
   * reading and scoring the account again.
   */
  let rescored: (ScoredAlone & { id: string; inputs: string | null; day: string }) | undefined;
  let patchedViews:
    | { stamp: ViewsStamp; dashboard: Dashboard; rows: AccountsTableRow[]; badges: BadgeEntry[] | undefined }
    | undefined;

  /** The patched views while they still describe the store (same inputs, code and day), else undefined. */
  async function currentPatchedViews() {
    const memo = patchedViews;
    if (!memo || scored) return undefined;
    const e = viewsExpected();
    if (memo.stamp.code !== e.code || (memo.stamp.capped && memo.stamp.today !== e.today)) return undefined;
    return (await inputsToken(store())) === memo.stamp.inputs ? memo : undefined;
  }

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
  async function liveScorecards(): Promise<Scorecard[]> {
    const cards = await listScorecards(store());
    if (cards.length > 0) return cards;
    for (const card of DEFAULT_SCORECARDS) await saveScorecard(store(), card, "Default scorecard");
    return listScorecards(store());
  }

  /** What a stored view must have been made with to be shown: this code, and (for capped data) today. */
  const viewsExpected = () => ({ code: options.code ?? "dev", today: formatDay(today()) });

  async function compute(check: () => void, onProgress?: PortfolioProgress): Promise<Scored> {
    patchedViews = undefined;
    // Saving the default scorecards on first use changes the inputs: do it before reading the token, and read the
    // token before the inputs, so views made from these inputs are never stamped with a later token.
    await liveScorecards();
    const inputs = await inputsToken(store());
    const stored = await loadPortfolio(store());
    const cards = await listScorecards(store());
    // The as-of day comes from the setting and the imported data only; the ratings are then placed on the days they
    // count on (issue 13: a rating dated today moved every score to today and emptied every window).
    const imported = importedDataOf(stored);
    const extent = dataExtent(imported);
    const setting = await readAsOfSetting(store());
    const { asOf, followsToday } = resolveAsOf(setting, extent.last, today());
    const portfolio = withRatings(imported, stored.ratings, asOf, extent.last);
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
    const {
      latest,
      history: historyRows,
      primaryHistory,
      shown,
      rows,
      bandsOf,
    } = scoredRows(portfolio, cards, scores, histories, asOf);
    const asOfText = formatDay(asOf);
    const dashboard = dashboardOf(rows, primaryHistory, asOf, bandsOf);
    report(onProgress, "saving", 0, 1);
    check();
    // A view of an as-of day that follows the calendar is stale on the next day (`capped`: it depends on today).
    const stamp: ViewsStamp = { inputs, ...viewsExpected(), asOf: asOfText, capped: followsToday };
    // A cold start scoring unchanged inputs gets what is stored already: writing a year of history again is waste
    // (on a new day only the views' stamp moves, so the next start knows this day was scored).
    const before = await storedViewsStamp(store());
    // The extension's badges, made with the views (a rating then patches one entry; see rescoreAccount).
    const badges = badgeRows(stamp, badgeEntries({ portfolio, scorecards: cards, scores, shown, rows, asOf }));
    if (sameViews(before, stamp)) {
      await writeViewRows(store(), [
        ...(before?.today !== stamp.today ? viewRows(stamp, { dashboard, rows }) : []),
        ...badges,
      ]);
    } else {
      await replaceResults(
        store(),
        latest,
        historyRows,
        {
          asOf: asOfText,
          scoredAt: new Date().toISOString(),
          dataEnd: extent.last === null ? null : formatDay(extent.last),
        },
        [...viewRows(stamp, { dashboard, rows }), ...badges],
      );
    }
    // Alerts (issue 7): the rules that hold as of the as-of day raise new alerts or refresh open ones; written
    // through the durable connection, since snoozes and closes in the same table are the CSM's own words.
    const now = today();
    const churned = churnedAccounts(await store().outcomes.toArray(), asOf);
    await syncAlerts(
      userStore(),
      portfolioAlerts({
        portfolio,
        imported,
        scorecards: cards,
        primary: scores.primary,
        histories,
        asOf,
        dataEnd: extent.last,
        churned,
      }),
      now,
    );
    report(onProgress, "saving", 1, 1);
    return {
      portfolio,
      scorecards: cards,
      scores,
      histories,
      primaryHistory,
      shown,
      rows,
      dashboard,
      asOf,
      imported,
      extent,
    };
  }

  /** The scored portfolio, computing it once when the worker has none (a cold start). */
  function current(): Promise<Scored> {
    if (scored) return Promise.resolve(scored);
    const began = generation;
    scoring ??= compute(() => {}).then(
      (result) => {
        // A save, rescore or import that finished meanwhile scored a store at least as new: keep its result.
        if (began === generation) scored ??= result;
        scoring = undefined;
        return scored ?? result;
      },
      (error: unknown) => {
        scoring = undefined;
        throw error;
      },
    );
    return scoring;
  }

  /**
   * On the first start of a day, scores in the background once the stored views are shown: the alert rules that
   * depend on today's date (renewals coming up, no new data) are evaluated in the scoring.
   */
  async function scoreOnNewDay(): Promise<void> {
    const stamp = await storedViewsStamp(store()).catch(() => undefined);
    if (stamp && stamp.today !== formatDay(today()) && !scored) await current().catch(() => undefined);
  }

  /** Scores the stored portfolio again after a scorecard changed, so every view shows the new scores. */
  async function rescoreAfterChange(): Promise<void> {
    scored = await compute(() => {});
  }

  /** The account page from the scored portfolio the worker holds. */
  async function accountOfScored(s: Scored, id: string): Promise<AccountDetail> {
    const index = s.portfolio.accountIndex.get(id);
    if (index === undefined) throw namedError("InputError", `there is no account "${id}"`);
    const account = s.portfolio.accounts[index] as Account;
    const parent = account.parentId === undefined ? undefined : s.portfolio.accountIndex.get(account.parentId);
    return accountDetail(s.portfolio, index, s.scorecards, s.asOf, s.shown[index] ?? null, {
      historyOf: (scorecardId) => {
        const h = s.histories.get(scorecardId);
        if (!h) return undefined;
        const row = Array.from(h.accounts).indexOf(index);
        if (row < 0) return undefined;
        const scores = Array.from(h.score.subarray(row * h.days, (row + 1) * h.days), (v) =>
          Number.isNaN(v) ? null : v,
        );
        return { from: formatDay(h.from), scores };
      },
      parent:
        parent === undefined
          ? null
          : { id: account.parentId as string, name: (s.portfolio.accounts[parent] as Account).name },
      children: s.portfolio.accounts.filter((a) => a.parentId === id).map((a) => ({ id: a.id, name: a.name })),
    });
  }

  /**
   * Rescores one account after a CSM's rating (issue 14: nothing that changes one account loads the portfolio): its
   * scores and history from its own rows, its stored results, its accounts-table row, the dashboard made again from
   * the rows with the account's part of the trend swapped, its badge and its alerts. False, with nothing written,
   * when the stored views cannot be patched (not current, another change came in, another as-of day): then the
   * caller scores the portfolio.
   */
  async function rescoreAccount(id: string, inputs: string | null, before: string | null): Promise<boolean> {
    const basis = await storedBasis();
    if (!basis) return false;
    const { asOf, cards } = basis;
    const one = await scoreOne(id, basis);
    const histories = new Map<string, ScoreHistory>(
      cards.map((card) => [card.id, scoreHistory(one.portfolio, card, asOf - HISTORY_DAYS + 1, asOf)]),
    );
    const made = scoredRows(one.portfolio, cards, one.scores, histories, asOf);
    const row = made.rows[0] as AccountsTableRow;
    const [badge] = badgeEntries({
      portfolio: one.portfolio,
      scorecards: cards,
      scores: one.scores,
      shown: made.shown,
      rows: made.rows,
      asOf,
    });
    const s = store();
    const patched = await s.transaction("rw", [s.latestResults, s.history, s.meta], async () => {
      if ((await inputsToken(s)) !== inputs) return false;
      // The views this worker last wrote, while the store has not moved since but for this rating; else the store's.
      const memo = patchedViews?.stamp.inputs === before ? patchedViews : undefined;
      const views = memo ?? (await readViewsForPatch(s));
      if (!views || views.stamp.asOf !== formatDay(asOf)) return false;
      const at = views.rows.findIndex((r) => r.id === id);
      const old = views.rows[at];
      if (!old) return false;
      const oldCard = cards.find((c) => c.id === old.shown?.scorecardId);
      const oldHistory = oldCard ? await s.history.get([oldCard.id, id]) : undefined;
      const newHistory = made.primaryHistory.scores[0];
      const trend = patchTrend(
        views.dashboard.trend,
        oldCard && oldHistory
          ? { from: oldHistory.from, scores: oldHistory.scores, bands: sortBands(oldCard.bands) }
          : undefined,
        newHistory ? { from: made.primaryHistory.from, scores: newHistory, bands: made.bandsOf[0] } : undefined,
      );
      const rows = views.rows.slice();
      rows[at] = row;
      const dashboard = dashboardFromRows(rows, trend, asOf);
      // Put over the account's rows, and delete only those of a scorecard that no longer applies: a transaction that
      // deletes keeps a copy of what it deletes on disk, which slows every later open (store/small-writes.ts).
      const [latestKeys, historyKeys] = await Promise.all([
        s.latestResults.where("accountId").equals(id).primaryKeys(),
        s.history.where("accountId").equals(id).primaryKeys(),
      ]);
      await s.latestResults.bulkPut(made.latest);
      await s.history.bulkPut(made.history);
      const goneLatest = latestKeys.filter(([card]) => !made.latest.some((r) => r.scorecardId === card));
      const goneHistory = historyKeys.filter(([card]) => !made.history.some((r) => r.scorecardId === card));
      if (goneLatest.length > 0) await s.latestResults.bulkDelete(goneLatest);
      if (goneHistory.length > 0) await s.history.bulkDelete(goneHistory);
      const stamp: ViewsStamp = { ...views.stamp, inputs };
      // Only what changed is written: the dashboard, and the chunks of rows and badge entries that hold the account.
      const written: MetaRow[] = patchedViewRows(stamp, { dashboard, rows }, at);
      const badges = memo ? memo.badges && { stamp: memo.stamp, entries: memo.badges } : await readBadgesForPatch(s);
      let entries: BadgeEntry[] | undefined;
      if (badge && badges && JSON.stringify(badges.stamp) === JSON.stringify(views.stamp)) {
        const k = badges.entries.findIndex((e) => (e.badge as { id?: unknown })?.id === id);
        entries = (badges.entries as BadgeEntry[]).slice();
        if (k >= 0) entries[k] = badge;
        written.push(...patchedBadgeRows(stamp, entries, k));
      }
      await s.meta.bulkPut(written);
      return { stamp, dashboard, rows, badges: entries };
    });
    if (!patched) return false;
    patchedViews = patched;
    rescored = { id, inputs, day: formatDay(today()), basis, one };
    if (badge) {
      if (patchedBadges?.inputs !== inputs) patchedBadges = { inputs, entries: new Map() };
      patchedBadges.entries.set(id, badge);
    }
    // What the worker held is now older than the store; the views read from the store until it scores again.
    scored = undefined;
    generation++;
    await syncAccountAlerts(
      userStore(),
      id,
      portfolioAlerts({
        portfolio: one.portfolio,
        imported: one.imported,
        scorecards: cards,
        primary: one.scores.primary,
        histories,
        asOf,
        dataEnd: basis.dataEnd,
        churned: churnedAccounts(await store().outcomes.where("accountId").equals(id).toArray(), asOf),
      }),
      today(),
    );
    return true;
  }

  /** The refusal of an account id the store does not have, naming the field; undefined when the store has it. */
  async function unknownAccount(accountId: string): Promise<{ ok: false; issues: FileIssue[] } | undefined> {
    if (await userStore().accounts.get(accountId)) return undefined;
    return refused("$.accountId", `there is no account "${accountId}"`);
  }

  const api = {
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
        const s = store();
        // One transaction: the demo's accounts and the record of which they are land together or not at all.
        const tables = [s.accounts, s.accountYears, s.outcomes, s.imports, s.importUndo, s.meta, s.links, s.coverage];
        await s.transaction("rw", tables, async () => {
          await applyImport(
            s,
            dataPlan({
              fileName: "Demo portfolio",
              shape: "demo",
              rowsRead: demo.accounts.length,
              accounts: demo.accounts,
              observations: demo.observations,
              outcomes: demo.outcomes,
            }),
            { id: `${DEMO_ID_PREFIX}${Date.now().toString(36)}`, at: new Date().toISOString() },
          );
          await s.meta.bulkPut([
            { key: "demo", value: true },
            { key: DEMO_ACCOUNTS_KEY, value: demo.accounts.map((a) => a.id) },
          ]);
        });
        report(onProgress, "demo", 1, 1);
        scored = await compute(check, onProgress);
        return status();
      });
    },

    /**
     * Removes the demo portfolio: the accounts the demo created (as recorded when it was loaded), with their data,
     * notes, overrides, alerts and tasks, and the demo's import; then rescores. A user's own account is kept even
     * when its id starts with "demo-".
     */
    async clearDemo(jobId: string, onProgress?: PortfolioProgress): Promise<PortfolioStatus> {
      return job(jobId, async (check) => {
        const s = store();
        await s.transaction(
          "rw",
          [
            s.accounts,
            s.accountYears,
            s.outcomes,
            s.manualInputs,
            s.notes,
            s.overrides,
            s.alerts,
            s.tasks,
            s.imports,
            s.importUndo,
            s.meta,
          ],
          async () => {
            const recorded = (await s.meta.get(DEMO_ACCOUNTS_KEY))?.value;
            const ids = Array.isArray(recorded) ? recorded.filter((id): id is string => typeof id === "string") : [];
            await s.accounts.bulkDelete(ids);
            for (const table of [s.accountYears, s.outcomes, s.manualInputs, s.notes, s.overrides, s.alerts, s.tasks]) {
              await table.where("accountId").anyOf(ids).delete();
            }
            const demoImports = (await s.imports.toArray()).filter((i) => i.shape === "demo").map((i) => i.id);
            await s.imports.bulkDelete(demoImports);
            for (const id of demoImports) await s.importUndo.where("importId").equals(id).delete();
            await s.meta.bulkPut([
              { key: "demo", value: false },
              { key: DEMO_ACCOUNTS_KEY, value: [] },
            ]);
            await inputsChanged(s);
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

    /**
     * Sets how the portfolio's as-of day is chosen (the data's last day, today, or a day), then rescores so every
     * view follows: the new status, or the setting's problems by field (`$.day`; nothing changed).
     */
    async setAsOf(jobId: string, input: unknown, onProgress?: PortfolioProgress): Promise<SaveResult<PortfolioStatus>> {
      const checked = checkRequest(AsOfSetting, input);
      if (!checked.ok) return checked;
      return job(jobId, async (check) => {
        await writeAsOfSetting(userStore(), checked.value);
        scored = await compute(check, onProgress);
        return { ok: true as const, value: await status() };
      });
    },

    /** Each metric's first and last day in the imported data, and the data's last day. */
    async dataSources(): Promise<DataSources> {
      const s = await current();
      return {
        dataEnd: s.extent.last === null ? null : formatDay(s.extent.last),
        today: formatDay(today()),
        asOf: formatDay(s.asOf),
        metrics: s.extent.metrics.map((m) => ({ ...m, first: formatDay(m.first), last: formatDay(m.last) })),
      };
    },

    /** The live scorecards with their version numbers (the defaults are saved on first use). */
    async scorecards(): Promise<LiveScorecard[]> {
      await liveScorecards();
      return listLiveScorecards(store());
    },

    /** Every saved version of a scorecard, oldest first. */
    async scorecardVersions(id: string): Promise<ScorecardVersionRow[]> {
      return scorecardVersions(store(), id);
    },

    /**
     * Validates a scorecard and saves it as its next version with the author's message, then rescores so every
     * view follows: the new version number, or every problem at once by JSON path (nothing saved). With `create`, an
     * id that a live scorecard already has is refused (a new scorecard must not overwrite another).
     */
    async saveScorecard(
      input: unknown,
      message: string,
      options: { create?: boolean } = {},
    ): Promise<SaveResult<number>> {
      const parsed = Scorecard.safeParse(input);
      if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
      const { updatedAt: _stamp, ...card } = parsed.data;
      if (options.create && (await store().scorecards.get(card.id))) {
        return refused("$.id", `a scorecard with id "${card.id}" already exists`);
      }
      const version = await saveScorecard(store(), card, message.trim() || "Saved");
      await rescoreAfterChange();
      return { ok: true, value: version };
    },

    /**
     * Makes an earlier version live again (as a new version), then rescores: the new version number, or the refusal
     * when there is no such version (nothing changed).
     */
    async revertScorecard(id: string, version: number): Promise<SaveResult<number>> {
      const reverted = await revertScorecard(store(), id, version);
      if (reverted.ok) await rescoreAfterChange();
      return reverted;
    },

    /**
     * Deletes a live scorecard (its versions stay), then rescores; refused for the last one and for one that is not
     * there (nothing changed).
     */
    async deleteScorecard(id: string): Promise<SaveResult<string>> {
      const deleted = await deleteScorecard(store(), id);
      if (deleted.ok) await rescoreAfterChange();
      return deleted;
    },

    /**
     * Scores the loaded portfolio with a draft scorecard in place of the saved one of its id (or beside the others,
     * when new) without saving anything: band counts and distribution of both, and the accounts whose grade would
     * change. A draft that is not valid gives its problems by JSON path instead.
     */
    async previewScorecard(draft: unknown): Promise<ScorecardPreview> {
      return previewScorecard(await current(), draft);
    },

    /** The names the scorecard editor suggests: metrics in the data, account attributes, segments and stages. */
    async scorecardChoices(): Promise<ScorecardChoices> {
      const { portfolio } = await current();
      const attributes = new Set<string>(WELL_KNOWN_ATTRIBUTES);
      const segments = new Set<string>();
      const stages = new Set<string>();
      for (const account of portfolio.accounts) {
        for (const key of Object.keys(account.attributes)) attributes.add(key);
        if (account.segment) segments.add(account.segment);
        if (account.stage) stages.add(account.stage);
      }
      const sorted = (set: Iterable<string>) => [...set].sort((a, b) => a.localeCompare(b, "en"));
      return {
        metrics: sorted(portfolio.series.keys()),
        attributes: sorted(attributes),
        segments: sorted(segments),
        stages: sorted(stages),
      };
    },

    /** The dashboard: the stored one while nothing it was made from changed (a fast cold start), else scored. */
    async dashboard(): Promise<Dashboard> {
      return (await api.storedDashboard()) ?? (await current()).dashboard;
    },

    /**
     * The dashboard without scoring: the one the worker holds or the stored one while current, else null. A cold start
     * asks for it before its page's code is loaded (it never starts a scoring, which a first run's demo does).
     */
    async storedDashboard(): Promise<Dashboard | null> {
      if (scored) return scored.dashboard;
      const patched = await currentPatchedViews();
      if (patched) return patched.dashboard;
      const stored = await readDashboardView(store(), viewsExpected());
      if (!stored) return null;
      void scoreOnNewDay();
      return stored;
    },

    /** The accounts table's rows: the stored ones while current (as the dashboard), else scored. */
    async accounts(): Promise<AccountsTableRow[]> {
      if (scored) return scored.rows;
      const patched = await currentPatchedViews();
      if (patched) return patched.rows;
      const stored = await readRowsView(store(), viewsExpected());
      if (!stored) return (await current()).rows;
      void scoreOnNewDay();
      return stored;
    },

    /** What the accounts table's rows are made from (rowsToken): a page keeps its rows while this is unchanged. */
    async accountsToken(): Promise<string> {
      return rowsToken(store());
    },

    /**
     * Each account's badge for the extension (the badges API adds alerts and overrides): the stored entries while
     * current, so publishing the set after a start or a rating does not score the portfolio; else from the scoring.
     */
    async badgeEntries(): Promise<{ asOf: string; entries: BadgeEntry[] }> {
      const patched = await currentPatchedViews();
      if (patched?.badges) return { asOf: patched.stamp.asOf, entries: patched.badges };
      if (!scored) {
        const stored = await readBadgeView(store(), viewsExpected());
        if (stored) return { asOf: stored.stamp.asOf, entries: stored.entries as BadgeEntry[] };
      }
      const s = await current();
      return { asOf: formatDay(s.asOf), entries: badgeEntries(s) };
    },

    /**
     * The badge entries of these accounts (a delta after a rating, override or note): those the last one-account
     * rescores made while the inputs are unchanged since, else from the stored entries while current, else from the
     * scored portfolio the worker holds (all made, then picked). Undefined when neither is at hand (publish the whole set instead).
     */
    async badgeEntriesFor(ids: readonly string[]): Promise<{ asOf: string; entries: BadgeEntry[] } | undefined> {
      const wanted = [...new Set(ids)];
      const cache = patchedBadges;
      if (cache && !scored && (await inputsToken(store())) === cache.inputs) {
        const entries = wanted.flatMap((id) => cache.entries.get(id) ?? []);
        const stamp = await storedViewsStamp(store());
        if (entries.length === wanted.length && stamp) return { asOf: stamp.asOf, entries };
      }
      const patched = await currentPatchedViews();
      const stored = patched?.badges
        ? { stamp: patched.stamp, entries: patched.badges }
        : await readBadgeView(store(), viewsExpected());
      const all = stored
        ? { asOf: stored.stamp.asOf, entries: stored.entries as BadgeEntry[] }
        : scored
          ? { asOf: formatDay(scored.asOf), entries: badgeEntries(scored) }
          : undefined;
      if (!all) return undefined;
      const want = new Set(wanted);
      return { asOf: all.asOf, entries: all.entries.filter((e) => want.has(e.badge.id)) };
    },

    /** The scored portfolio itself, for the other APIs in this worker (badges); too large for a page to copy. */
    async scoredState(): Promise<Scored> {
      return current();
    },

    /**
     * One account's explained results on every applying scorecard (primary first), history and relations. A worker
     * without the scored portfolio in memory (a cold start: "Open in Vitals" from a badge) reads that account's rows
     * alone and scores it as of the stored results' day; its history is the stored rows.
     */
    async account(id: string): Promise<AccountDetail> {
      return (await api.storedAccount(id)) ?? accountOfScored(await current(), id);
    },

    /**
     * The account page without scoring the portfolio: from the scored portfolio the worker holds, or from the
     * account's own rows and the stored results (as `account`); null when nothing was scored yet.
     */
    async storedAccount(id: string): Promise<AccountDetail | null> {
      if (scored) return accountOfScored(scored, id);
      const memo = rescored;
      const current =
        memo?.id === id && memo.day === formatDay(today()) && (await inputsToken(store())) === memo.inputs;
      return (await reads.readAccount(id, current ? memo : undefined)) ?? null;
    },

    /**
     * Records a CSM's rating (1–5) of an account's qualitative factor (csm_sentiment unless named) for today, then
     * rescores so every view follows. The latest rating of a day is the one that counts. A request that is not
     * valid is refused with its problems by field, and nothing is stored.
     */
    async addManualInput(input: unknown): Promise<SaveResult<StoredManualInput>> {
      const checked = checkRequest(ManualInputRequest, input);
      if (!checked.ok) return checked;
      const request = checked.value;
      const unknown = await unknownAccount(request.accountId);
      if (unknown) return unknown;
      const row: ManualInputRow = { ...request, note: request.note.trim(), day: formatDay(today()) };
      const s = userStore();
      const { id, inputs, before, patchable } = await s.transaction("rw", s.manualInputs, s.meta, async () => {
        // The stored views can be patched for this one account only if they described the store before this rating.
        const patchable = await viewsCurrent(s, viewsExpected());
        const before = await inputsToken(s);
        const added = await s.manualInputs.add(row);
        await inputsChanged(s);
        return { id: added, inputs: await inputsToken(s), before, patchable };
      });
      if (!(patchable && (await rescoreAccount(request.accountId, inputs, before)))) await rescoreAfterChange();
      return { ok: true, value: { ...row, id } };
    },

    /** The CSM's ratings of an account, newest first. */
    async manualInputs(accountId: string): Promise<StoredManualInput[]> {
      return listManualInputs(accountId);
    },

    /**
     * Overrides an account's score and/or grade (on a scorecard, or its primary score) from today until its expiry
     * day, inclusive. Shown beside the computed score, never instead of it; nothing is rescored. A request that is
     * not valid is refused with its problems by field.
     */
    async setOverride(input: unknown): Promise<SaveResult<ListedOverride>> {
      const checked = checkRequest(OverrideRequest, input);
      if (!checked.ok) return checked;
      const request = checked.value;
      const createdOn = formatDay(today());
      if (request.expiresOn < createdOn) {
        return refused("$.expiresOn", `the expiry day cannot be before today (${createdOn})`);
      }
      const unknown = await unknownAccount(request.accountId);
      if (unknown) return unknown;
      if (request.scorecardId !== undefined && !(await store().scorecards.get(request.scorecardId))) {
        return refused("$.scorecardId", `there is no scorecard "${request.scorecardId}"`);
      }
      const override = parseRequest(Override, {
        ...request,
        id: `ovr-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        createdOn,
      });
      await userStore().overrides.put(override);
      return { ok: true, value: { ...override, active: true } };
    },

    /** Removes an override; false when there was none of that id. */
    async removeOverride(id: string): Promise<boolean> {
      const s = userStore();
      return s.transaction("rw", s.overrides, async () => {
        if (!(await s.overrides.get(id))) return false;
        await s.overrides.delete(id);
        return true;
      });
    },

    /** An account's overrides, newest first, each saying whether it applies today. */
    async overrides(accountId: string): Promise<ListedOverride[]> {
      return listOverrides(accountId);
    },

    /** Adds a note to an account's timeline, stamped now; a request that is not valid is refused by field. */
    async addNote(input: unknown): Promise<SaveResult<StoredNote>> {
      const checked = checkRequest(NoteRequest, input);
      if (!checked.ok) return checked;
      const request = checked.value;
      const unknown = await unknownAccount(request.accountId);
      if (unknown) return unknown;
      const row: NoteRow = { ...request, at: new Date().toISOString() };
      const id = await userStore().notes.add(row);
      return { ok: true, value: { ...row, id } };
    },

    /** An account's notes, newest first. */
    async notes(accountId: string): Promise<StoredNote[]> {
      return listNotes(accountId);
    },

    /** Closes the database connection and forgets the scored portfolio. */
    async close(): Promise<void> {
      db?.close();
      db = undefined;
      userDb?.close();
      userDb = undefined;
      scored = undefined;
      patchedViews = undefined;
      patchedBadges = undefined;
    },

    async cancel(jobId: string): Promise<boolean> {
      const state = jobs.get(jobId);
      if (state) state.cancelled = true;
      return state !== undefined;
    },
  };
  return api;
}

/** The portfolio API's type, as clients see it. */
export type PortfolioApi = ReturnType<typeof createPortfolioApi>;
