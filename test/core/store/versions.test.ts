import type { DexieOptions } from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { allBlocks, writeBlocks } from "../../../core/store/block-table.ts";
import { VitalsDb } from "../../../core/store/db.ts";
import { describeWriteError, storageHealth } from "../../../core/store/health.ts";

/** A later schema, as the next version of Vitals would declare it: versions 1 to 7 unchanged, version 8 appended. */
class NextVitalsDb extends VitalsDb {
  constructor(name: string, options: DexieOptions) {
    super(name, options);
    this.version(8).stores({ savedViews: "id" });
  }
}

const options = { indexedDB, IDBKeyRange };

describe("schema versions", () => {
  it("a tab on the old version is told to reload and does not block another tab's upgrade, and no data is lost", async () => {
    const oldTab = new VitalsDb("versions-1", options);
    await oldTab.accounts.put({ id: "a1", name: "Acme" });
    await writeBlocks(oldTab, [
      {
        accountId: "a1",
        metric: "logins",
        year: 2025,
        days: Uint16Array.of(1, 2),
        values: Float64Array.of(3, 4),
      },
    ]);
    const told: (number | null)[] = [];
    oldTab.onOutdated((v) => told.push(v));

    const newTab = new NextVitalsDb("versions-1", options);
    await newTab.open(); // would hang if the old connection blocked the upgrade
    expect(newTab.verno).toBe(8);
    expect(told).toEqual([8]);
    expect(oldTab.isOpen()).toBe(false);
    expect(await newTab.accounts.toArray()).toEqual([{ id: "a1", name: "Acme" }]);
    const [block] = await allBlocks(newTab);
    expect([Array.from(block?.days ?? []), Array.from(block?.values ?? [])]).toEqual([
      [1, 2],
      [3, 4],
    ]);
    newTab.close();
    await newTab.delete();
  });
});

describe("storage health", () => {
  it("reports persistence, usage and quota as the browser gives them", async () => {
    const storage = {
      persisted: async () => true,
      estimate: async () => ({ usage: 1_000, quota: 5_000_000 }),
    } as unknown as StorageManager;
    expect(await storageHealth(storage)).toEqual({ persisted: true, usage: 1_000, quota: 5_000_000 });
    expect(await storageHealth(undefined)).toEqual({ persisted: false });
  });
  it("explains a full disk in words a user can act on, saying nothing was lost", () => {
    expect(describeWriteError(new DOMException("quota", "QuotaExceededError"))).toMatch(
      /^The browser has no room left for Vitals' data\. Nothing was saved and your existing data is unchanged\./,
    );
    const quota = new DOMException("quota", "QuotaExceededError");
    expect(
      describeWriteError(quota, { fileName: "usage.csv", bytesNeeded: 3.5 * 2 ** 20, bytesFree: 200 * 2 ** 10 }),
    ).toBe(
      "The browser has no room left for Vitals' data: importing usage.csv needs about 3.5 MB (about 200 KB is free for Vitals). Nothing was saved and your existing data is unchanged. Free some disk space or remove old imports, then try again.",
    );
    expect(describeWriteError(new Error("disk I/O"), { fileName: "usage.csv" })).toBe(
      "Importing usage.csv failed (disk I/O). Nothing was saved and your existing data is unchanged.",
    );
  });
});
