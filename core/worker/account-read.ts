import { type ShownScore, shownScores } from "../insights/portfolio-view.ts";
import type { Account } from "../schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import { MANUAL_FACTORS, type ManualFactor, type ManualInput } from "../schema/observation.ts";
import { Override } from "../schema/override.ts";
import type { ScoreResult } from "../schema/result.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { type AsOfSetting, resolveAsOf, withRatings } from "../scoring/as-of.ts";
import { explainAccount, overrideActive, scorePortfolio } from "../scoring/engine.ts";
import type { PortfolioData } from "../scoring/series.ts";
import { loadAccount } from "../store/account.ts";
import type { NoteRow } from "../store/db.ts";
import { importedDataOf } from "../store/portfolio.ts";
import type { ReadDb } from "../store/read-db.ts";
import { scoredMeta } from "../store/results.ts";
import { listScorecards } from "../store/scorecards.ts";
import { readAsOfSetting } from "../store/settings.ts";
import { namedError } from "./runtime/errors.ts";

/** What the app knows about its data, for the shell (first run, demo banner, "as of" line). */
export interface PortfolioStatus {
  accounts: number;
  /** The demo portfolio is loaded. */
  demo: boolean;
  /** The user cleared the demo portfolio (so it is not loaded again by itself). */
  demoCleared: boolean;
  /** The day the stored scores are as of. */
  asOf: string | null;
  scoredAt: string | null;
  /** How the as-of day is chosen: the data's last day (default), today, or a day. */
  asOfSetting: AsOfSetting;
  /** The imported data's last day (ratings, overrides and notes never move it); null when nothing is imported. */
  dataEnd: string | null;
  /** The local calendar day, for "705 days ago". */
  today: string;
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
  scorecards: {
    id: string;
    name: string;
    bands: { min: number; color: string; label: string; grade: string }[];
  }[];
  /** The CSM's ratings of the account, newest first. */
  manualInputs: StoredManualInput[];
  /** The account's overrides, newest first, each saying whether it applies today. */
  overrides: ListedOverride[];
  /** The account's notes, newest first (its timeline). */
  notes: StoredNote[];
  /**
   * What the CSM can rate: the qualitative factors (sentiment, relationship, risk) and any other manual factor (one
   * with a stale limit) of the applying scorecards, each with the scorecards that use its metric, used ones first.
   */
  manualFactors: (ManualFactor & { usedBy: string[] })[];
}

/** A stored manual input, with its id. */
export type StoredManualInput = ManualInput & { id: number };
/** A stored note, with its id. */
export interface StoredNote {
  id: number;
  accountId: string;
  /** ISO timestamp. */
  at: string;
  author: string;
  text: string;
}
/** An override as listed on the account page: active from its creation day to its expiry day, inclusive. */
export type ListedOverride = Override & { active: boolean };

/**
 * Reads of one account and of the shell's status from the store, without the scored portfolio (issue 14): what the
 * first screen needs (the worker's cold path loads this, not the scoring of the whole portfolio or the imports), and
 * what the portfolio API uses for the account page and a one-account rescore.
 */

/** The factors a CSM can rate on an account whose applying scorecards are `cards`, used ones first. */
function manualFactorsOf(cards: readonly (Scorecard | undefined)[]): AccountDetail["manualFactors"] {
  const choices = new Map(MANUAL_FACTORS.map((f) => [f.metric, { ...f, usedBy: [] as string[] }]));
  for (const card of cards) {
    for (const factor of card?.factors ?? []) {
      if (factor.source.kind !== "metric") continue;
      const metric = factor.source.metric;
      let choice = choices.get(metric);
      // A factor with a stale limit is fed by manual input; one of another metric is offered under its own label.
      if (!choice && factor.staleAfterDays !== undefined) {
        choice = { metric, label: factor.label, words: ["very poor", "poor", "fair", "good", "very good"], usedBy: [] };
        choices.set(metric, choice);
      }
      if (choice && card && !choice.usedBy.includes(card.name)) choice.usedBy.push(card.name);
    }
  }
  const all = [...choices.values()];
  return [...all.filter((c) => c.usedBy.length > 0), ...all.filter((c) => c.usedBy.length === 0)];
}

/** Where the reads find the store: the derived store, the user's durable one (ratings, notes), and today. */
export interface ReadContext {
  store: () => ReadDb;
  userStore: () => ReadDb;
  today: () => Day;
}

export function createAccountReads({ store, userStore, today }: ReadContext) {
  /** What the shell shows about the store (counts, demo, as-of day, scorecards). */
  async function status(): Promise<PortfolioStatus> {
    const [accounts, demo, meta, cards, asOfSetting] = await Promise.all([
      store().accounts.count(),
      store().meta.get("demo"),
      scoredMeta(store()),
      listScorecards(store()),
      readAsOfSetting(store()),
    ]);
    return {
      accounts,
      demo: demo?.value === true,
      demoCleared: demo?.value === false,
      asOf: meta?.asOf ?? null,
      scoredAt: meta?.scoredAt ?? null,
      asOfSetting,
      dataEnd: meta?.dataEnd ?? null,
      today: formatDay(today()),
      scorecards: cards.map((c) => ({ id: c.id, name: c.name })),
    };
  }

  /**
   * What one-account reads score with: the live scorecards and the as-of day of the stored results (the as-of day is
   * the portfolio's: the data's last day over every account, stored with the results, resolved with the setting and
   * today as a full scoring would). Undefined when nothing was scored yet.
   */
  async function storedBasis(): Promise<{ asOf: Day; dataEnd: Day | null; cards: Scorecard[] } | undefined> {
    const [meta, setting, cards] = await Promise.all([
      scoredMeta(store()),
      readAsOfSetting(store()),
      listScorecards(store()),
    ]);
    if (!meta || cards.length === 0) return undefined;
    const dataEnd = meta.dataEnd === null ? null : (parseIsoDay(meta.dataEnd) ?? null);
    return { asOf: resolveAsOf(setting, dataEnd, today()).asOf, dataEnd, cards };
  }

  /** One account scored alone, as a portfolio of one (its index is 0), from its own rows. */
  async function scoreOne(id: string, basis: { asOf: Day; dataEnd: Day | null; cards: Scorecard[] }) {
    return scoreStored(id, await loadAccount(store(), id), basis);
  }

  /** One account scored alone from its rows as `loadAccount` read them (undefined: there is no such account). */
  function scoreStored(
    id: string,
    stored: Awaited<ReturnType<typeof loadAccount>>,
    basis: { asOf: Day; dataEnd: Day | null; cards: Scorecard[] },
  ) {
    if (!stored) throw namedError("InputError", `there is no account "${id}"`);
    const imported = importedDataOf(stored);
    const portfolio = withRatings(imported, stored.ratings, basis.asOf, basis.dataEnd);
    const scores = scorePortfolio(portfolio, basis.cards, { asOf: basis.asOf });
    return { portfolio, imported, scores };
  }

  /** The account page: the account's explained results, history, relations and the CSM's words. */
  async function accountDetail(
    portfolio: PortfolioData,
    index: number,
    cards: readonly Scorecard[],
    asOf: Day,
    shown: ShownScore | null,
    more: {
      historyOf: (scorecardId: string) => { from: string; scores: (number | null)[] } | undefined;
      parent: AccountDetail["parent"];
      children: AccountDetail["children"];
      /** The CSM's words on the account, when the caller read them already. */
      words?: [ListedOverride[], StoredManualInput[], StoredNote[]];
    },
  ): Promise<AccountDetail> {
    const account = portfolio.accounts[index] as Account;
    const id = account.id;
    const [overrides, manualInputs, notes] = more.words ?? (await wordsOf(id));
    // Overrides are judged on today (their expiry is a calendar day); the scores are as of the data's last day.
    const active = overrides.filter((o) => o.active).map(({ active: _active, ...o }) => o);
    const results = explainAccount(portfolio, cards, index, asOf, active, today());
    const history = results.flatMap((r) => {
      const h = more.historyOf(r.scorecardId);
      return h ? [{ scorecardId: r.scorecardId, ...h }] : [];
    });
    return {
      account,
      results,
      history,
      shown,
      parent: more.parent,
      children: more.children,
      scorecards: cards.map((c) => ({
        id: c.id,
        name: c.name,
        bands: c.bands.map((b) => ({ min: b.min, color: b.color, label: b.label, grade: b.grade })),
      })),
      manualInputs,
      overrides,
      notes,
      manualFactors: manualFactorsOf(results.map((r) => cards.find((c) => c.id === r.scorecardId))),
    };
  }

  /** The CSM's words on an account: its overrides, ratings and notes. */
  const wordsOf = (id: string) => Promise.all([listOverrides(id), listManualInputs(id), listNotes(id)]);

  const byNewest = <T extends { id?: number }>(rows: T[], when: (row: T) => string) =>
    rows.sort((x, y) => (when(x) < when(y) ? 1 : when(x) > when(y) ? -1 : (y.id ?? 0) - (x.id ?? 0)));

  async function listManualInputs(accountId: string): Promise<StoredManualInput[]> {
    const rows = await userStore().manualInputs.where("accountId").equals(accountId).toArray();
    return byNewest(rows, (r) => r.day).map((r) => ({
      id: r.id as number,
      accountId: r.accountId,
      metric: r.metric,
      day: r.day,
      rating: r.rating,
      author: r.author,
      note: r.note,
    }));
  }

  async function listOverrides(accountId: string): Promise<ListedOverride[]> {
    const now = today();
    const rows = await userStore().overrides.where("accountId").equals(accountId).toArray();
    return rows
      .flatMap((row) => {
        const parsed = Override.safeParse(row);
        return parsed.success ? [{ ...parsed.data, active: overrideActive(parsed.data, now) }] : [];
      })
      .sort((x, y) => (x.createdOn < y.createdOn ? 1 : x.createdOn > y.createdOn ? -1 : x.id < y.id ? 1 : -1));
  }

  async function listNotes(accountId: string): Promise<StoredNote[]> {
    const rows = await userStore().notes.where("accountId").equals(accountId).toArray();
    return byNewest(rows, (r: NoteRow) => r.at).map((r) => ({
      id: r.id as number,
      accountId: r.accountId,
      at: r.at,
      author: r.author,
      text: r.text,
    }));
  }

  /**
   * The account page from the account's own rows (a cold start, "Open in Vitals" from a badge): scored alone as of
   * the stored results' day, with its stored history rows and its relations from the accounts' parent index.
   * Undefined when nothing was scored yet (then the portfolio is scored first). An InputError for an unknown id.
   * `scored`: the account already scored alone on the current inputs (a one-account rescore just did), so only the
   * CSM's words, the history rows and the relations are read.
   */
  async function readAccount(id: string, scored?: ScoredAlone): Promise<AccountDetail | undefined> {
    const s = store();
    // Every read is started at once, not one after another (a cold start's account page waits for each round trip to
    // the store): the account's own rows first (the scoring waits for them), what depends on the account's id alone,
    // and its parent once the account's row is in.
    const stored = scored ? undefined : loadAccount(s, id);
    const alone = Promise.all([
      s.history.where("accountId").equals(id).toArray(),
      s.accounts.where("parentId").equals(id).toArray(),
      wordsOf(id),
    ]);
    const parentId = async () =>
      scored ? scored.one.portfolio.accounts[0]?.parentId : (await stored)?.accounts[0]?.parentId;
    const parent = parentId().then((p) => (p === undefined ? undefined : s.accounts.get(p)));
    for (const read of [alone, stored, parent]) read?.catch(() => undefined);
    const basis = scored?.basis ?? (await storedBasis());
    if (!basis) return undefined;
    const one = scored?.one ?? scoreStored(id, await stored, basis);
    const [[rows, children, words], parentRow] = await Promise.all([alone, parent]);
    const histories = new Map(rows.map((r) => [r.scorecardId, r]));
    return accountDetail(
      one.portfolio,
      0,
      basis.cards,
      basis.asOf,
      shownScores(basis.cards, one.scores, 1)[0] ?? null,
      {
        historyOf: (scorecardId) => {
          const h = histories.get(scorecardId);
          return h
            ? { from: formatDay(h.from as Day), scores: Array.from(h.scores, (v) => (Number.isNaN(v) ? null : v)) }
            : undefined;
        },
        parent: parentRow ? { id: parentRow.id, name: parentRow.name } : null,
        children: children.map((c) => ({ id: c.id, name: c.name })),
        words,
      },
    );
  }

  return {
    status,
    storedBasis,
    scoreOne,
    accountDetail,
    readAccount,
    listManualInputs,
    listOverrides,
    listNotes,
  };
}

/** An account scored alone (scoreOne) and what it was scored with (storedBasis). */
export interface ScoredAlone {
  basis: NonNullable<Awaited<ReturnType<AccountReads["storedBasis"]>>>;
  one: Awaited<ReturnType<AccountReads["scoreOne"]>>;
}

/** The account reads' type. */
export type AccountReads = ReturnType<typeof createAccountReads>;
