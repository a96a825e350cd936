import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { restoreAlert } from "../../../core/store/alerts.ts";
import { allBlocks } from "../../../core/store/block-table.ts";
import { SCHEMA_V1, VitalsDb } from "../../../core/store/db.ts";

const options = { indexedDB, IDBKeyRange };

/** The store as version 1 of Vitals declared it, nothing after. */
class V1Db extends Dexie {
  constructor(name: string) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
  }
}

describe("schema version 1 → 2 (plays, tasks, alert fields)", () => {
  it("opens a version 1 store with data, upgrades it, loses nothing, fills the old alerts' new fields", async () => {
    const name = "alerts-migration-1";
    const v1 = new V1Db(name);
    const block = {
      accountId: "a1",
      metric: "logins",
      month: 2025 * 12 + 2,
      days: Uint8Array.of(1, 2),
      values: Float64Array.of(3, 4),
    };
    await v1.table("accounts").bulkPut([
      { id: "a1", name: "Acme", owner: "Dana" },
      { id: "a2", name: "Globex" },
    ]);
    await v1.table("blocks").put(block);
    await v1.table("notes").add({ accountId: "a1", at: "2025-03-01T10:00:00.000Z", author: "Dana", text: "Hi" });
    await v1.table("overrides").put({
      id: "o1",
      accountId: "a1",
      score: 70,
      reason: "Renewal signed",
      author: "Dana",
      createdOn: "2025-03-01",
      expiresOn: "2025-03-31",
    });
    await v1.table("meta").put({ key: "demo", value: false });
    const oldAlert = {
      id: "old-1",
      ruleId: "drop",
      accountId: "a1",
      status: "open",
      raisedOn: "2025-02-20",
      message: "Score fell 12 points",
    };
    await v1.table("alerts").put(oldAlert);
    const before = {
      accounts: await v1.table("accounts").toArray(),
      notes: await v1.table("notes").toArray(),
      overrides: await v1.table("overrides").toArray(),
      meta: await v1.table("meta").toArray(),
    };
    expect(v1.verno).toBe(1);
    v1.close();

    const v2 = new VitalsDb(name, options);
    await v2.open();
    // Through version 2 and on to the current version (4 adds import numbers and the demo's record, 5 year blocks).
    expect(v2.verno).toBe(7);
    expect(v2.backendDB().version).toBe(70);
    expect(await v2.accounts.toArray()).toEqual(before.accounts);
    expect(await v2.notes.toArray()).toEqual(before.notes);
    expect(await v2.overrides.toArray()).toEqual(before.overrides);
    expect(await v2.meta.toArray()).toEqual([...before.meta, { key: "demoAccounts", value: [] }]);
    // 1 and 2 March 2025 in the year's block: days 59 and 60 of the year.
    const [stored] = await allBlocks(v2);
    expect([stored?.year, Array.from(stored?.days ?? []), Array.from(stored?.values ?? [])]).toEqual([
      2025,
      [59, 60],
      [3, 4],
    ]);
    // The old alert keeps its fields and reads back through the Alert schema, still open (the extension's card).
    const [alert] = await v2.alerts.toArray();
    expect(alert).toEqual({
      ...oldAlert,
      scorecardId: "",
      kind: "",
      title: "Score fell 12 points",
      since: null,
      updatedOn: "2025-02-20",
    });
    expect(restoreAlert(alert as NonNullable<typeof alert>)).toMatchObject({ status: "open", accountId: "a1" });
    expect(await v2.alerts.where("status").equals("open").count()).toBe(1);
    // The new tables work.
    await v2.tasks.put({
      id: "t1",
      alertId: "old-1",
      playId: "p",
      playName: "P",
      accountId: "a1",
      step: 0,
      title: "Call",
      owner: "Dana",
      due: "2025-03-03",
      createdOn: "2025-03-01",
    });
    expect(await v2.tasks.where("owner").equals("Dana").count()).toBe(1);
    expect(await v2.playTemplates.count()).toBe(0);
    await v2.delete();
  });
});
