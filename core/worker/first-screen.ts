import type { AccountsTableRow, Dashboard } from "../insights/portfolio-view.ts";
import type { Day } from "../schema/day.ts";
import { formatDay, localDay } from "../schema/day.ts";
import { type AlertCounts, countAlerts } from "../store/alert-counts.ts";
import { openReadOnly, type ReadDb } from "../store/read-db.ts";
import { readScoredElsewhereInfo, type ScoredElsewhereInfo } from "../store/scored-elsewhere-info.ts";
import { readDashboardView, readRowsView, rowsToken, storedViewsStamp } from "../store/views.ts";
import { createAccountReads } from "./account-read.ts";
import type { AppApi } from "./app-api.ts";
import type { ElsewhereAccount } from "./elsewhere-api.ts";
import type { AccountDetail, PortfolioStatus } from "./portfolio-api.ts";

/**
 * The data worker's cold path (issue 14, "a split worker"): the calls the first screen makes (the shell's status and
 * alert counts, the dashboard, the accounts table, one account's page) answered from stored rows by a small module,
 * while the full API (the portfolio's scoring, imports, the demo, validation) is imported only when a call needs it,
 * or in the background once the first screen has its answer. From then on the full API answers every call, so the
 * two never disagree about what the worker holds in memory.
 */
/** What a cold start opens, as the worker can tell from the page's address: the dashboard, or one account's page. */
export type FirstScreen = { page: "dashboard" } | { page: "account"; id: string };

/**
 * The first screen a worker named `name` reads ahead for: the app names its worker after the page's address, always
 * starting with "#" (`#` or `#/` is the dashboard, `#/accounts/<id>` an account's page). Undefined for any other
 * address, and for a worker not named so (a test harness, a benchmark, or the page's own address empty): such a
 * worker opens the store only when asked.
 */
export function firstScreenOf(name: string): FirstScreen | undefined {
  if (!name.startsWith("#")) return undefined;
  const path = name.slice(1) || "/";
  if (path === "/") return { page: "dashboard" };
  const account = /^\/accounts\/(.+)$/.exec(path);
  if (!account?.[1]) return undefined;
  try {
    return { page: "account", id: decodeURIComponent(account[1]) };
  } catch {
    return undefined;
  }
}

/** How long after the first screen's answer the rest of the worker's code loads (unless a call needs it sooner). */
const WARM_UP_MS = 1_000;

/** How long an answer read ahead waits for the page's call before it is dropped (it may be stale after that). */
const READ_AHEAD_MS = 10_000;

export function createWorkerApi(
  loadFull: () => Promise<AppApi>,
  options: {
    code: string;
    /**
     * Opens the store for the first screen's reads; undefined when they cannot read it as it is (then the full API
     * answers them). By default straight on IndexedDB when the stored data is at this code's version (openReadOnly:
     * no Dexie to load, and no check of every index on opening); no store yet, or data that needs an upgrade, is the
     * full API's to create or upgrade, with Dexie.
     */
    openDb?: () => ReadDb | undefined | Promise<ReadDb | undefined>;
    today?: () => Day;
    /**
     * The screen the page is opening (a cold start): its reads start as soon as the worker runs, before the page's
     * code asks (it asks once its own modules are evaluated and the worker answered a ping), and the page's first
     * call for it takes that answer.
     */
    firstScreen?: FirstScreen;
  },
): AppApi {
  const today = options.today ?? (() => localDay(new Date()));
  let db: ReadDb | undefined;
  let opening: Promise<ReadDb | undefined> | undefined;
  /** Opens the store once; undefined when only the full API can read it. */
  const opened = (): Promise<ReadDb | undefined> => {
    opening ??= Promise.resolve((options.openDb ?? (() => openReadOnly()))()).then((open) => {
      db = open;
      return open;
    });
    return opening;
  };
  /** The open store: every read below runs after `direct()` said the first screen reads it. */
  const store = (): ReadDb => {
    if (!db) throw new Error("the store was read before it was opened");
    return db;
  };
  const reads = createAccountReads({ store, userStore: store, today });
  const expected = () => ({ code: options.code, today: formatDay(today()) });
  let full: AppApi | undefined;
  let loading: Promise<AppApi> | undefined;
  const fullApi = (): Promise<AppApi> => {
    loading ??= loadFull().then((api) => {
      full = api;
      return api;
    });
    return loading;
  };
  /**
   * Whom a call goes to: undefined when the first screen's reads answer it (the store is open for them), else the
   * full API (loaded once it must: another call needed it, or the store could not be opened for these reads).
   */
  const through = async (): Promise<AppApi | undefined> => {
    if (full) return full;
    return (await opened()) ? undefined : fullApi();
  };
  /**
   * After the first screen's answer: the rest of the worker's code, a while later. Loading it at once (~50 ms of
   * compiling and evaluating on this thread) overlapped the page's render of that answer, on a machine of two cores
   * the two then shared. Any other call before then loads it at once.
   */
  const warmUp = () => setTimeout(() => void fullApi().catch(() => undefined), WARM_UP_MS);

  /** Answers read ahead for the first screen, by call: each is taken by the first such call, or dropped. */
  const ahead = new Map<string, Promise<unknown>>();
  const readAhead = (key: string, read: () => Promise<unknown>) => {
    const answer = read();
    answer.catch(() => undefined);
    ahead.set(key, answer);
    setTimeout(() => ahead.delete(key), READ_AHEAD_MS);
  };
  /** The answer read ahead for `key`, taken once; undefined when there is none. */
  const takeAhead = <T>(key: string): Promise<T> | undefined => {
    const answer = ahead.get(key) as Promise<T> | undefined;
    ahead.delete(key);
    return answer;
  };

  const first = {
    async ping(): Promise<"pong"> {
      return "pong";
    },
    async status(): Promise<PortfolioStatus> {
      const early = await takeAhead<PortfolioStatus>("status");
      if (early) return early;
      const api = await through();
      return api ? api.status() : reads.status();
    },
    async alertCounts(): Promise<AlertCounts> {
      const early = await takeAhead<AlertCounts>("alertCounts");
      if (early) return early;
      const api = await through();
      return api ? api.alertCounts() : countAlerts(store(), today());
    },
    async dashboard(): Promise<Dashboard> {
      return (await first.storedDashboard()) ?? (await fullApi()).dashboard();
    },
    async storedDashboard(): Promise<Dashboard | null> {
      const early = takeAhead<Dashboard | null>("dashboard");
      if (early) return early;
      const api = await through();
      if (api) return api.storedDashboard();
      if (await readScoredElsewhereInfo(store())) return (await fullApi()).storedDashboard();
      const stored = await readDashboardView(store(), expected());
      if (!stored) return null;
      // On a new day the full API scores in the background (alert rules read today's date): it does on its first
      // dashboard call after a start.
      const stamp = await storedViewsStamp(store());
      if (stamp && stamp.today !== formatDay(today())) void fullApi().then((api) => api.dashboard());
      else warmUp();
      return stored;
    },
    async accounts(): Promise<AccountsTableRow[]> {
      const api = await through();
      if (api) return api.accounts();
      if (await readScoredElsewhereInfo(store())) return (await fullApi()).accounts();
      const stored = await readRowsView(store(), expected());
      if (!stored) return (await fullApi()).accounts();
      warmUp();
      return stored;
    },
    // The accounts page asks this beside its rows on a cold start: one meta read, not the full API.
    async accountsToken(): Promise<string> {
      const api = await through();
      return api ? api.accountsToken() : rowsToken(store());
    },
    async account(id: string): Promise<AccountDetail> {
      if (full) return full.account(id);
      return (await first.storedAccount(id)) ?? (await fullApi()).account(id);
    },
    async storedAccount(id: string): Promise<AccountDetail | null> {
      const early = takeAhead<AccountDetail | null>(`account:${id}`);
      if (early) return early;
      const api = await through();
      if (api) return api.storedAccount(id);
      const detail = await reads.readAccount(id);
      if (!detail) return null;
      warmUp();
      return detail;
    },
    // The first screen asks whether a portfolio scored elsewhere is shown (the dashboard's note, the account page):
    // almost always not, which one meta row says without loading the full API.
    async scoredElsewhere(): Promise<ScoredElsewhereInfo | null> {
      const api = await through();
      return api ? api.scoredElsewhere() : readScoredElsewhereInfo(store());
    },
    async scoredElsewhereAccount(id: string): Promise<ElsewhereAccount | null> {
      const early = takeAhead<ElsewhereAccount | null>(`elsewhere-account:${id}`);
      if (early) return early;
      const api = await through();
      if (api) return api.scoredElsewhereAccount(id);
      if (!(await readScoredElsewhereInfo(store()))) return null;
      return (await fullApi()).scoredElsewhereAccount(id);
    },
    async close(): Promise<void> {
      const open = opening;
      opening = undefined;
      db = undefined;
      (await open?.catch(() => undefined))?.close();
      if (full) await full.close();
    },
  };
  const screen = options.firstScreen;
  if (screen?.page === "dashboard") {
    readAhead("status", () => first.status());
    readAhead("alertCounts", () => first.alertCounts());
    readAhead("dashboard", () => first.storedDashboard());
  } else if (screen?.page === "account") {
    // The account's reads go to the store first, the status's after them: the status counts every account (the
    // store walks each key: 20–30 ms at tier M), and an account's reads queued behind that count waited for it. The
    // account page does not wait for the status (pwa/src/app.tsx). Whether the account is one of a portfolio scored
    // elsewhere goes first of all: the page asks it before it asks for the account (one meta row), and that answer
    // had waited behind the account's scoring, holding the page back once the account was read.
    readAhead(`elsewhere-account:${screen.id}`, () => first.scoredElsewhereAccount(screen.id));
    const account = first.storedAccount(screen.id);
    const after = account.then(
      () => undefined,
      () => undefined,
    );
    readAhead(`account:${screen.id}`, () => account);
    readAhead("status", () => after.then(() => first.status()));
    readAhead("alertCounts", () => after.then(() => first.alertCounts()));
  }
  // Every other call goes to the full API, loaded on first need. It may change the data: what was read ahead is dropped.
  return new Proxy(first as unknown as AppApi, {
    get(target, prop) {
      if (typeof prop !== "string") return undefined;
      if (Object.hasOwn(target, prop)) return (target as unknown as Record<string, unknown>)[prop];
      return async (...args: unknown[]) => {
        ahead.clear();
        const api = (await fullApi()) as unknown as Record<string, (...a: unknown[]) => unknown>;
        const method = api[prop];
        if (typeof method !== "function") throw new TypeError(`the worker has no method "${prop}"`);
        return method.apply(api, args);
      };
    },
  });
}
