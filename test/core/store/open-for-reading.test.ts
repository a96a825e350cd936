import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { openForReading, SCHEMA_VERSION, VitalsDb } from "../../../core/store/db.ts";

/**
 * A cold start's reads open the store with the latest schema version alone when the data is at that version
 * (declaring every version and its upgrade cost ~10 ms of the worker's thread): such a connection must see exactly
 * the tables and indexes a full one does, and must never touch data that still needs an upgrade.
 */
const names: string[] = [];
const fresh = () => {
  const name = `open-for-reading-${names.length}`;
  names.push(name);
  return name;
};
afterEach(async () => {
  for (const name of names.splice(0)) await new VitalsDb(name, { indexedDB, IDBKeyRange }).delete();
});

const schemaOf = (db: VitalsDb) =>
  Object.fromEntries(
    db.tables.map((t) => [t.name, [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].sort().join(", ")]),
  );

const versionOf = async (name: string) => (await indexedDB.databases()).find((d) => d.name === name)?.version;

describe("openForReading", () => {
  it("opens data at this version with the latest version alone, seeing the same tables and indexes as a full connection", async () => {
    const name = fresh();
    const full = new VitalsDb(name, { indexedDB, IDBKeyRange });
    await full.open();
    await full.meta.put({ key: "scored", value: { asOf: "2025-06-30" } });
    const fullSchema = schemaOf(full);
    full.close();

    const db = await openForReading(name, { indexedDB, IDBKeyRange });
    expect(db.latestOnly).toBe(true);
    expect(db.isOpen()).toBe(true);
    expect(schemaOf(db)).toEqual(fullSchema);
    expect(Object.keys(fullSchema)).toContain("accountYears");
    expect(await db.meta.get("scored")).toEqual({ key: "scored", value: { asOf: "2025-06-30" } });
    expect(await versionOf(name)).toBe(SCHEMA_VERSION * 10);
    db.close();
  });

  it("uses a full connection when there is no data yet, which creates the database as usual", async () => {
    const name = fresh();
    const db = await openForReading(name, { indexedDB, IDBKeyRange });
    expect(db.latestOnly).toBe(false);
    expect(await db.accounts.count()).toBe(0);
    expect(await versionOf(name)).toBe(SCHEMA_VERSION * 10);
    db.close();
  });

  it("leaves data of an older version to a full connection, and a latest-only open of it changes nothing", async () => {
    const name = fresh();
    await new Promise<void>((done, fail) => {
      const request = indexedDB.open(name, (SCHEMA_VERSION - 1) * 10);
      request.onupgradeneeded = () => request.result.createObjectStore("meta", { keyPath: "key" });
      request.onsuccess = () => {
        request.result.close();
        done();
      };
      request.onerror = () => fail(request.error);
    });
    const db = await openForReading(name, { indexedDB, IDBKeyRange });
    expect(db.latestOnly).toBe(false);
    expect(db.isOpen()).toBe(false);

    const lite = new VitalsDb(name, { indexedDB, IDBKeyRange, latestOnly: true });
    await expect(lite.open()).rejects.toThrow(/needs an upgrade/);
    lite.close();
    expect(await versionOf(name)).toBe((SCHEMA_VERSION - 1) * 10);
  });
});
