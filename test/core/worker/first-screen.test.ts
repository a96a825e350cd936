import type { DBCoreGetRequest } from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Day, parseIsoDay } from "../../../core/schema/day.ts";
import { VitalsDb } from "../../../core/store/db.ts";
import { openReadOnly } from "../../../core/store/read-db.ts";
import { type AppApi, createAppApi } from "../../../core/worker/app-api.ts";
import { createWorkerApi, firstScreenOf } from "../../../core/worker/first-screen.ts";
import { wrapTables } from "../../support/dbcore.ts";

/** The data worker's cold path: the first screen is answered from stored rows without loading the full API. */
const TODAY = parseIsoDay("2025-06-30") as Day;
let name: string;
let n = 0;
const open = () => new VitalsDb(name, { indexedDB, IDBKeyRange });
const full = () => createAppApi(open, { demoAccounts: 40, today: () => TODAY, code: "test" }, open);

beforeEach(() => {
  name = `first-screen-${++n}`;
});
afterEach(async () => {
  await open().delete();
});

/** The first screen's readers: straight on IndexedDB (what the worker opens), and a Dexie connection. */
const READERS = [
  { reader: "IndexedDB directly", openDb: () => openReadOnly({ name, indexedDB, IDBKeyRange }) },
  { reader: "Dexie", openDb: open },
];

describe("the worker's first screen", () => {
  it.each(READERS)(
    "answers status, dashboard, rows and an account page from the store ($reader), then hands every call to the full API",
    async ({ openDb }) => {
      const warm = full();
      await warm.loadDemo("j1");
      // The account has a CSM's words: a rating, a note and an override, read back on its page.
      const rated = (await warm.accounts())[3]?.id as string;
      await warm.addManualInput({ accountId: rated, rating: 4, author: "Ana", note: "steady" });
      await warm.addNote({ accountId: rated, text: "Renewal call booked", author: "Ana" });
      await warm.setOverride({
        accountId: rated,
        score: 35,
        reason: "Champion left",
        author: "Ana",
        expiresOn: "2099-12-31",
      });
      const expected = {
        status: await warm.status(),
        dashboard: await warm.dashboard(),
        rows: await warm.accounts(),
        alerts: await warm.alertCounts(),
        token: await warm.accountsToken(),
      };
      const id = expected.rows[3]?.id as string;
      expect(id).toBe(rated);
      const detail = await warm.account(id);
      expect(detail.manualInputs).toHaveLength(1);
      expect(detail.notes).toHaveLength(1);
      expect(detail.overrides).toHaveLength(1);
      await warm.close();

      let loads = 0;
      let loaded: AppApi | undefined;
      const api = createWorkerApi(
        async () => {
          loads++;
          loaded = full();
          return loaded;
        },
        { code: "test", openDb, today: () => TODAY },
      );
      expect(await api.ping()).toBe("pong");
      expect(await api.status()).toEqual(expected.status);
      expect(await api.alertCounts()).toEqual(expected.alerts);
      expect(loads).toBe(0);
      expect(await api.account(id)).toEqual(detail);
      expect(await api.dashboard()).toEqual(expected.dashboard);
      expect(await api.accounts()).toEqual(expected.rows);
      expect(await api.accountsToken()).toBe(expected.token);
      // Calls the first screen does not answer load the full API (once), as does the warm-up after the first screen.
      expect(await api.scorecards()).toHaveLength(expected.status.scorecards.length);
      expect(loads).toBe(1);
      await api.addManualInput({ accountId: id, rating: 1, author: "Ana" });
      expect((await api.account(id)).manualInputs).toHaveLength(2);
      expect(await api.accountsToken()).not.toBe(expected.token);
      expect(loads).toBe(1);
      await api.close();
      expect(loaded).toBeDefined();
    },
    60_000,
  );

  it("reads the screen the page's address names as soon as it starts, and drops that read when the data changes", async () => {
    const warm = full();
    await warm.loadDemo("j1");
    const id = (await warm.accounts())[5]?.id as string;
    const detail = await warm.account(id);
    const status = await warm.status();
    await warm.close();

    let opened = 0;
    const counted = () => {
      opened++;
      return open();
    };
    const start = (hash: string) =>
      createWorkerApi(async () => full(), {
        code: "test",
        openDb: counted,
        today: () => TODAY,
        firstScreen: firstScreenOf(hash),
      });
    // Reading began before any call (the store was opened), and the page's calls take those answers.
    const api = start(`#/accounts/${encodeURIComponent(id)}`);
    expect(opened).toBe(1);
    expect(await api.storedAccount(id)).toEqual(detail);
    expect(await api.status()).toEqual(status);
    await api.close();

    // A change before the page asks: the answer read ahead is stale and is not given.
    const changed = start(`#/accounts/${encodeURIComponent(id)}`);
    await new Promise((r) => setTimeout(r, 1000)); // the read ahead has finished: its answer predates the rating
    await changed.addManualInput({ accountId: id, rating: 2, author: "Ana" });
    const after = await changed.storedAccount(id);
    expect(after?.manualInputs.map((m) => m.rating)).toEqual([2]);
    await changed.close();
  }, 60_000);

  it("on an account's address, reads first whether it is scored elsewhere, and answers the page's question from that", async () => {
    const warm = full();
    await warm.loadDemo("j1");
    const id = (await warm.accounts())[2]?.id as string;
    await warm.close();

    // The store's reads in the order the worker makes them: a table's name, and the key of a single-row get.
    const reads: string[] = [];
    const recorded = () => {
      const db = open();
      wrapTables(db, (table, t) => ({
        ...t,
        get: (req: DBCoreGetRequest) => {
          reads.push(`${table}:${String(req.key)}`);
          return t.get(req);
        },
        getMany: (req) => {
          reads.push(`${table}:many`);
          return t.getMany(req);
        },
        query: (req) => {
          reads.push(`${table}:query`);
          return t.query(req);
        },
      }));
      return db;
    };
    const api = createWorkerApi(async () => full(), {
      code: "test",
      openDb: recorded,
      today: () => TODAY,
      firstScreen: firstScreenOf(`#/accounts/${encodeURIComponent(id)}`),
    });
    const detail = await api.storedAccount(id);
    expect(detail?.account.id).toBe(id);
    // The page asks whether the account is scored elsewhere before it asks for the account: that answer was read
    // before the account's rows, so it never waits behind the account's scoring.
    expect(reads[0]).toBe("meta:scoredElsewhere");
    expect(reads.indexOf(`accounts:${id}`)).toBeGreaterThan(0);
    const before = reads.length;
    expect(await api.scoredElsewhereAccount(id)).toBeNull();
    expect(reads.slice(before).filter((r) => r === "meta:scoredElsewhere")).toEqual([]);
    // Taken once: a later question reads the store again.
    expect(await api.scoredElsewhereAccount(id)).toBeNull();
    expect(reads.slice(before).filter((r) => r === "meta:scoredElsewhere")).toHaveLength(1);
    await api.close();
  }, 60_000);

  it("tells the first screen from the page's address", () => {
    expect(firstScreenOf("#")).toEqual({ page: "dashboard" });
    expect(firstScreenOf("#/")).toEqual({ page: "dashboard" });
    // An unnamed worker (a harness, a benchmark) reads nothing ahead: its page may be about to replace the store.
    expect(firstScreenOf("")).toBeUndefined();
    expect(firstScreenOf("/accounts/a")).toBeUndefined();
    expect(firstScreenOf("#/accounts/acme%20co%2F1")).toEqual({ page: "account", id: "acme co/1" });
    expect(firstScreenOf("#/accounts")).toBeUndefined();
    expect(firstScreenOf("#/data")).toBeUndefined();
    expect(firstScreenOf("#/accounts/%E0%A4%A")).toBeUndefined();
  });

  it("with nothing stored, the dashboard comes from the full API", async () => {
    let loads = 0;
    const api = createWorkerApi(
      async () => {
        loads++;
        return full();
      },
      { code: "test", openDb: open, today: () => TODAY },
    );
    expect((await api.status()).accounts).toBe(0);
    expect(loads).toBe(0);
    expect((await api.dashboard()).accounts).toBe(0);
    expect(loads).toBe(1);
    await api.close();
  }, 60_000);
});
