import type {
  AccountYearRow,
  AlertRow,
  CoverageRow,
  HistoryRow,
  ManualInputRow,
  MetaRow,
  NoteRow,
  OverrideRow,
  ScorecardRow,
  StoredAccount,
} from "./db.ts";
import { DATABASE_NAME, LATEST_SCHEMA, SCHEMA_VERSION } from "./schema-version.ts";

// The reads a cold start's first screen makes (core/worker/first-screen.ts: the shell's status, the stored dashboard
// and table, one account's page), over the part of Dexie's table API they use: `ReadDb`. A Dexie connection
// (VitalsDb) is one; `openReadOnly` opens another straight on IndexedDB, without Dexie. Dexie is a third of the
// first screen's code, and its open reads back every index of every table to check them against the declared
// schema: on a cold start that was the worker's longest piece of work after evaluating its code (issue 14). The
// reads here trust the stored data's version number instead, which only this code's Dexie connection moves.

/** Some rows of a table or an index, as Dexie's Collection gives them. */
export interface ReadCollection<T> {
  toArray(): Promise<T[]>;
  count(): Promise<number>;
}

/** A key the reads look rows up by: a string or number, or an array of them (a compound key). */
export type ReadKey = string | number | readonly (string | number)[];

/** An index (or the primary key, ":id") to read by, as Dexie's WhereClause. */
export interface ReadWhere<T> {
  equals(key: ReadKey): ReadCollection<T>;
  between(lower: ReadKey, upper: ReadKey, includeLower?: boolean, includeUpper?: boolean): ReadCollection<T>;
}

/** The reads of one table, as Dexie's Table offers them. */
export interface ReadTable<T, K extends ReadKey> {
  get(key: K): Promise<T | undefined>;
  bulkGet(keys: K[]): Promise<(T | undefined)[]>;
  count(): Promise<number>;
  toArray(): Promise<T[]>;
  /** Rows by an index (its name as the schema declares it), or by the primary key (":id"). */
  where(index: string): ReadWhere<T>;
  /** Every row, in the order of an index (or of the primary key: its name, or ":id"). */
  orderBy(index: string): { toArray(): Promise<T[]> };
}

// biome-ignore lint/suspicious/noExplicitAny: a transaction's tables are of any row type.
type AnyTable = ReadTable<any, any>;

/** The tables the first screen reads, and a read transaction over some of them. */
export interface ReadDb {
  readonly accounts: ReadTable<StoredAccount, string>;
  readonly accountYears: ReadTable<AccountYearRow, [string, number]>;
  readonly manualInputs: ReadTable<ManualInputRow, number>;
  readonly scorecards: ReadTable<ScorecardRow, string>;
  readonly history: ReadTable<HistoryRow, [string, string]>;
  readonly alerts: ReadTable<AlertRow, string>;
  readonly notes: ReadTable<NoteRow, number>;
  readonly overrides: ReadTable<OverrideRow, string>;
  readonly meta: ReadTable<MetaRow, string>;
  readonly coverage: ReadTable<CoverageRow, [string, string, string]>;
  /**
   * Runs `scope`, whose reads of `tables` see the store as one moment: a read transaction (Dexie's, on a Dexie
   * connection; see IdbReader for the connection below).
   */
  reading<R>(tables: readonly AnyTable[], scope: () => Promise<R>): Promise<R>;
  close(): void;
}

/** The tables `ReadDb` names: the connection below checks the stored data has each. */
const TABLES = [
  "accounts",
  "accountYears",
  "manualInputs",
  "scorecards",
  "history",
  "alerts",
  "notes",
  "overrides",
  "meta",
  "coverage",
] as const;
type TableName = (typeof TABLES)[number];

/** A request's result as a promise. */
function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * A read connection straight on IndexedDB. A `reading` scope reads in one IndexedDB transaction over its tables
 * where it can: each read joins the transaction `reading()` opened last while that is still active (IndexedDB
 * keeps it so across promise continuations of its requests) and covers the read's table, else it opens its own.
 * Every read here is read-only, so a read that joins another scope's transaction only sees the store as of that one's
 * start.
 */
class IdbReader {
  /** The connection as the reads use it. */
  readonly db: ReadDb;
  readonly #db: IDBDatabase;
  readonly #range: typeof IDBKeyRange;
  readonly #names = new Map<AnyTable, TableName>();
  /** The transaction the latest `reading()` opened, while it may still be active. */
  #open: IDBTransaction | undefined;
  #closed: string | undefined;

  constructor(db: IDBDatabase, range: typeof IDBKeyRange) {
    this.#db = db;
    this.#range = range;
    db.onversionchange = () => this.#close("another tab is upgrading or deleting the store: reload the page");
    db.onclose = () => this.#close("the browser closed the store");
    const tables = Object.fromEntries(
      TABLES.map((name) => {
        const table = this.#table(name);
        this.#names.set(table, name);
        return [name, table];
      }),
    ) as unknown as Pick<ReadDb, TableName>;
    this.db = {
      ...tables,
      reading: (list, scope) => this.reading(list, scope),
      close: () => this.close(),
    };
  }

  #close(why: string): void {
    this.#closed ??= why;
    this.#open = undefined;
    this.#db.close();
  }

  close(): void {
    this.#close("the store was closed");
  }

  /**
   * Makes `request` on `name`'s object store: in the open transaction when it covers the table and is still active,
   * else in a transaction of its own (a finished or inactive transaction throws at once, so nothing is lost).
   */
  #request<R>(name: TableName, request: (store: IDBObjectStore) => IDBRequest<R>): IDBRequest<R> {
    if (this.#closed) throw new Error(`cannot read the store: ${this.#closed}`);
    const open = this.#open;
    if (open?.objectStoreNames.contains(name)) {
      try {
        return request(open.objectStore(name));
      } catch {
        this.#open = undefined;
      }
    }
    return request(this.#db.transaction(name, "readonly").objectStore(name));
  }

  /** One request's result; whatever throws (a closed store, a bad key) is the promise's rejection. */
  async #read<R>(name: TableName, request: (store: IDBObjectStore) => IDBRequest<R>): Promise<R> {
    return settled(this.#request(name, request));
  }

  #source(name: TableName, index: string): (store: IDBObjectStore) => IDBObjectStore | IDBIndex {
    const primary = index === ":id" || primaryKeyName(name) === index;
    return (store) => (primary ? store : store.index(index));
  }

  #table<T, K extends ReadKey>(name: TableName): ReadTable<T, K> {
    const collection = (
      on: (store: IDBObjectStore) => IDBObjectStore | IDBIndex,
      range: IDBKeyRange | undefined,
    ): ReadCollection<T> => ({
      toArray: () => this.#read(name, (store) => on(store).getAll(range) as IDBRequest<T[]>),
      count: () => this.#read(name, (store) => on(store).count(range)),
    });
    const all = collection((store) => store, undefined);
    return {
      get: (key) => this.#read(name, (store) => store.get(key as IDBValidKey) as IDBRequest<T | undefined>),
      bulkGet: async (keys) => {
        // The first request picks the transaction; the others go to the same store (one transaction, in order).
        let store: IDBObjectStore | undefined;
        return Promise.all(
          keys.map((key) =>
            settled(
              store
                ? (store.get(key as IDBValidKey) as IDBRequest<T | undefined>)
                : this.#request(name, (s) => {
                    store = s;
                    return s.get(key as IDBValidKey) as IDBRequest<T | undefined>;
                  }),
            ),
          ),
        );
      },
      count: () => all.count(),
      toArray: () => all.toArray(),
      where: (index) => {
        const on = this.#source(name, index);
        return {
          equals: (key) => collection(on, this.#range.only(key as IDBValidKey)),
          between: (lower, upper, includeLower = true, includeUpper = false) =>
            collection(on, this.#range.bound(lower as IDBValidKey, upper as IDBValidKey, !includeLower, !includeUpper)),
        };
      },
      orderBy: (index) => collection(this.#source(name, index), undefined),
    };
  }

  async reading<R>(tables: readonly AnyTable[], scope: () => Promise<R>): Promise<R> {
    if (this.#closed) throw new Error(`cannot read the store: ${this.#closed}`);
    const names = tables.map((t) => this.#names.get(t)).filter((n): n is TableName => n !== undefined);
    if (names.length === 0) return scope();
    const tx = this.#db.transaction(names, "readonly");
    this.#open = tx;
    const forget = () => {
      if (this.#open === tx) this.#open = undefined;
    };
    tx.oncomplete = forget;
    tx.onabort = forget;
    return scope();
  }
}

/** The primary key's name in a table's schema (its first entry), as `orderBy` and `where` take it. */
function primaryKeyName(table: TableName): string {
  return (LATEST_SCHEMA[table] ?? "").split(",")[0]?.trim().replace(/^\+\+/, "") ?? "";
}

/**
 * Opens the store for the first screen's reads without Dexie when its data is at this code's schema version, with
 * every table the reads use; undefined otherwise (no store yet, older data that needs an upgrade, newer data, or an
 * open that failed), and the caller opens it with Dexie, which creates, upgrades or refuses it as always. Never
 * creates the database, and never holds up another tab's upgrade (it closes on a version change).
 */
export function openReadOnly(
  options: { name?: string; indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {},
): Promise<ReadDb | undefined> {
  const factory = options.indexedDB ?? (typeof indexedDB === "undefined" ? undefined : indexedDB);
  const range = options.IDBKeyRange ?? (typeof IDBKeyRange === "undefined" ? undefined : IDBKeyRange);
  if (!factory || !range) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(options.name ?? DATABASE_NAME);
    } catch {
      resolve(undefined);
      return;
    }
    // No store yet: opening without a version would create an empty one. Abort that (the Dexie connection creates it).
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onerror = (event) => {
      event.preventDefault();
      resolve(undefined);
    };
    request.onblocked = () => resolve(undefined);
    request.onsuccess = () => {
      const db = request.result;
      if (db.version !== SCHEMA_VERSION * 10 || !TABLES.every((t) => db.objectStoreNames.contains(t))) {
        db.close();
        resolve(undefined);
        return;
      }
      resolve(new IdbReader(db, range).db);
    };
  });
}
