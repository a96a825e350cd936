import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadAccount } from "../../../core/store/account.ts";
import { SCHEMA_VERSION, VitalsDb } from "../../../core/store/db.ts";
import { openReadOnly, type ReadDb } from "../../../core/store/read-db.ts";
import { listScorecards } from "../../../core/store/scorecards.ts";
import { createAppApi } from "../../../core/worker/app-api.ts";

// The first screen's reads straight on IndexedDB (core/store/read-db.ts): they read what Dexie reads, only from data
// at this code's version, never create or hold up a database, and a `reading` scope sees one moment of the store.
let name: string;
let n = 0;
const dexie = () => new VitalsDb(name, { indexedDB, IDBKeyRange });
const direct = () => openReadOnly({ name, indexedDB, IDBKeyRange });
const opened: { close(): void }[] = [];

beforeEach(() => {
  name = `read-db-${++n}`;
});
afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  await dexie().delete();
});

/** The names of the databases fake-indexeddb holds. */
const databases = async () => (await indexedDB.databases()).map((d) => d.name);

/** Opens `name` at IndexedDB version `version` with one table, straight (as another version of the app would). */
function rawOpen(version: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains("meta"))
        request.result.createObjectStore("meta", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function demoStore(): Promise<{ ids: string[] }> {
  const api = createAppApi(dexie, { demoAccounts: 30, code: "test" }, dexie);
  await api.loadDemo("j1");
  const ids = (await api.accounts()).map((r) => r.id);
  await api.close();
  return { ids };
}

async function reader(): Promise<ReadDb> {
  const db = await direct();
  if (!db) throw new Error("the store was not opened for reading");
  opened.push(db);
  return db;
}

describe("reading the store straight on IndexedDB", () => {
  it("reads the rows Dexie reads: by key, by index, by key range, in key order, and counts", async () => {
    const { ids } = await demoStore();
    const lite = await reader();
    const full = dexie();
    opened.push(full);
    const id = ids[4] as string;
    expect(await lite.accounts.get(id)).toEqual(await full.accounts.get(id));
    expect(await lite.accounts.get("no such account")).toBeUndefined();
    expect(await lite.accounts.count()).toBe(ids.length);
    expect(await lite.meta.bulkGet(["demo", "nothing", "scored"])).toEqual(
      await full.meta.bulkGet(["demo", "nothing", "scored"]),
    );
    expect(await lite.history.where("accountId").equals(id).toArray()).toEqual(
      await full.history.where("accountId").equals(id).toArray(),
    );
    expect(await lite.alerts.where("status").equals("open").count()).toBe(
      await full.alerts.where("status").equals("open").count(),
    );
    expect(await lite.scorecards.orderBy("id").toArray()).toEqual(await full.scorecards.orderBy("id").toArray());
    const years = await lite.accountYears
      .where(":id")
      .between([id, Number.NEGATIVE_INFINITY], [id, Number.POSITIVE_INFINITY], true, true)
      .toArray();
    expect(years.length).toBeGreaterThan(0);
    expect(years).toEqual(await full.accountYears.where("[accountId+year]").between([id, 0], [id, 9999]).toArray());
    // The account-scoped reads built on them give what they give on Dexie.
    expect(await loadAccount(lite, id)).toEqual(await loadAccount(full, id));
    expect(await listScorecards(lite)).toEqual(await listScorecards(full));
  }, 60_000);

  it("opens nothing where there is no store, and does not create one", async () => {
    expect(await direct()).toBeUndefined();
    expect(await databases()).not.toContain(name);
  });

  it("leaves data of another version to Dexie (to upgrade, or to refuse), untouched", async () => {
    const older = await rawOpen((SCHEMA_VERSION - 1) * 10);
    older.close();
    expect(await direct()).toBeUndefined();
    const newer = await rawOpen((SCHEMA_VERSION + 1) * 10);
    newer.close();
    expect(await direct()).toBeUndefined();
    const after = await rawOpen((SCHEMA_VERSION + 1) * 10);
    expect(after.version).toBe((SCHEMA_VERSION + 1) * 10);
    after.close();
  });

  it("sees one moment of the store inside a reading scope, and the latest moment outside it", async () => {
    await demoStore();
    const lite = await reader();
    const writer = dexie();
    opened.push(writer);
    await writer.meta.put({ key: "probe", value: 1 });
    const seen = await lite.reading([lite.meta], async () => {
      const first = await lite.meta.get("probe");
      // A write another connection starts now waits for the scope's transaction, which the second read is in.
      const write = writer.meta.put({ key: "probe", value: 2 });
      const second = await lite.meta.get("probe");
      await write;
      return [first?.value, second?.value];
    });
    expect(seen).toEqual([1, 1]);
    expect((await lite.meta.get("probe"))?.value).toBe(2);
  }, 60_000);

  it("gives way to another tab's upgrade, then says why it can no longer read", async () => {
    await demoStore();
    const lite = await reader();
    expect(await lite.meta.get("demo")).toBeDefined();
    const upgraded = await rawOpen((SCHEMA_VERSION + 1) * 10);
    upgraded.close();
    await expect(lite.meta.get("demo")).rejects.toThrow(/another tab is upgrading or deleting the store/);
  }, 60_000);
});
