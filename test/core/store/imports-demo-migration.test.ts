import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS_KEY, SCHEMA_V1, VitalsDb } from "../../../core/store/db.ts";
import { undoImport } from "../../../core/store/imports.ts";

const options = { indexedDB, IDBKeyRange };

/** The store as version 3 of Vitals declared it, nothing after. */
class V3Db extends Dexie {
  constructor(name: string) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores({ playTemplates: "id", tasks: "id, alertId, accountId, owner" });
    this.version(3).stores({ coverage: "[metric+from+to], metric", links: "[kind+key], accountId" });
  }
}

const importRow = (id: string, at: string, shape: string, fileName: string) => ({
  id,
  at,
  fileName,
  shape,
  status: "applied",
  counts: {},
});

describe("schema version 3 → 4 (imports in sequence, the demo's accounts recorded)", () => {
  it("numbers the imports by time, records the demo's own accounts, loses nothing", async () => {
    const name = "imports-demo-migration-1";
    const v3 = new V3Db(name);
    // The demo (two accounts), then the user's own import: one account whose id starts with "demo-".
    await v3.table("accounts").bulkPut([
      { id: "demo-0001", name: "Demo One" },
      { id: "demo-0002", name: "Demo Two" },
      { id: "demo-mine", name: "My Demo Co" },
    ]);
    await v3
      .table("imports")
      .bulkPut([
        importRow("import-b", "2025-03-01T10:00:00.000Z", "wide", "mine.csv"),
        importRow("demo-a", "2025-03-01T09:00:00.000Z", "demo", "Demo portfolio"),
      ]);
    await v3.table("importUndo").bulkPut([
      {
        importId: "demo-a",
        seq: 0,
        table: "accounts",
        entries: [
          { key: "demo-0001", before: null },
          { key: "demo-0002", before: null },
        ],
      },
      { importId: "import-b", seq: 0, table: "accounts", entries: [{ key: "demo-mine", before: null }] },
    ]);
    await v3.table("meta").put({ key: "demo", value: true });
    const accounts = await v3.table("accounts").toArray();
    v3.close();

    const v4 = new VitalsDb(name, options);
    await v4.open();
    expect(v4.verno).toBe(7); // through version 4 and on to the current one
    expect(await v4.accounts.toArray()).toEqual(accounts);
    expect((await v4.imports.orderBy("seq").toArray()).map((i) => [i.id, i.seq, i.fileName])).toEqual([
      ["demo-a", 1, "Demo portfolio"],
      ["import-b", 2, "mine.csv"],
    ]);
    expect((await v4.meta.get(DEMO_ACCOUNTS_KEY))?.value).toEqual(["demo-0001", "demo-0002"]);
    expect((await v4.meta.get("demo"))?.value).toBe(true);
    // Undo now goes by the numbers: the demo cannot be undone before the user's later import.
    await expect(undoImport(v4, "demo-a")).rejects.toThrow("undo the later import of mine.csv first");
    await undoImport(v4, "import-b");
    expect((await v4.accounts.toArray()).map((a) => a.id)).toEqual(["demo-0001", "demo-0002"]);
    await v4.delete();
  });

  it("a store without a demo records no demo accounts", async () => {
    const name = "imports-demo-migration-2";
    const v3 = new V3Db(name);
    await v3.table("accounts").put({ id: "demo-mine", name: "My Demo Co" });
    v3.close();
    const v4 = new VitalsDb(name, options);
    await v4.open();
    expect((await v4.meta.get(DEMO_ACCOUNTS_KEY))?.value).toEqual([]);
    expect(await v4.imports.count()).toBe(0);
    await v4.delete();
  });
});
