import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { loadAccount } from "../../../core/store/account.ts";
import { SCHEMA_V1, VitalsDb } from "../../../core/store/db.ts";
import { undoImport } from "../../../core/store/imports.ts";
import { loadPortfolio } from "../../../core/store/portfolio.ts";
import { MIGRATION_PAGE } from "../../../core/store/year-migration.ts";

const options = { indexedDB, IDBKeyRange };

/** The store as version 2 of Vitals declared it, nothing after (month blocks). */
class V2Db extends Dexie {
  constructor(name: string) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores({ playTemplates: "id", tasks: "id, alertId, accountId, owner" });
  }
}

/** The store as version 4 declared it. */
class V4Db extends V2Db {
  constructor(name: string) {
    super(name);
    this.version(3).stores({ coverage: "[metric+from+to], metric", links: "[kind+key], accountId" });
    this.version(4).stores({ imports: "id, at, seq" });
  }
}

const month = (year: number, m: number) => year * 12 + (m - 1);
const monthBlock = (accountId: string, metric: string, m: number, days: number[], values: number[]) => ({
  accountId,
  metric,
  month: m,
  days: Uint8Array.from(days),
  values: Float64Array.from(values),
});
const plain = (b: { accountId: string; metric: string; year: number; days: Uint16Array; values: Float64Array }) => [
  b.accountId,
  b.metric,
  b.year,
  Array.from(b.days),
  Array.from(b.values),
];

describe("schema version 5: month blocks become year blocks", () => {
  it("from version 2: each account × metric × year's months in one block, days of the year, scored the same", async () => {
    const name = "year-blocks-1";
    const v2 = new V2Db(name);
    await v2.table("accounts").bulkPut([
      { id: "a1", name: "Acme" },
      { id: "a2", name: "Globex" },
    ]);
    await v2
      .table("blocks")
      .bulkPut([
        monthBlock("a1", "logins", month(2024, 2), [29], [7]),
        monthBlock("a1", "logins", month(2024, 12), [31], [8]),
        monthBlock("a1", "logins", month(2025, 1), [1, 1, 2], [1, 2, 3]),
        monthBlock("a1", "logins", month(2025, 3), [1], [4]),
        monthBlock("a2", "logins", month(2025, 3), [15], [5]),
        monthBlock("a2", "seats", month(2025, 3), [15], [6]),
      ]);
    v2.close();

    const db = new VitalsDb(name, options);
    await db.open();
    expect(db.verno).toBe(6);
    expect(db.tables.map((t) => t.name)).not.toContain("blocks");
    // Worked out by hand: 29 Feb 2024 is day 59 of a leap year, 31 Dec 2024 day 365; 1 Jan 2025 day 0, 1 Mar 2025
    // day 59, 15 Mar 2025 day 73.
    expect((await db.yearBlocks.toArray()).map(plain)).toEqual([
      ["a1", "logins", 2024, [59, 365], [7, 8]],
      ["a1", "logins", 2025, [0, 0, 1, 59], [1, 2, 3, 4]],
      ["a2", "logins", 2025, [73], [5]],
      ["a2", "seats", 2025, [73], [6]],
    ]);
    const stored = await loadPortfolio(db);
    const logins = stored.metrics.find((m) => m.metric === "logins");
    const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    expect(Array.from(logins?.day ?? []).map(iso)).toEqual([
      "2024-02-29",
      "2024-12-31",
      "2025-01-01",
      "2025-01-01",
      "2025-01-02",
      "2025-03-01",
      "2025-03-15",
    ]);
    const one = await loadAccount(db, "a1");
    expect(Array.from(one?.metrics[0]?.value ?? [])).toEqual([7, 8, 1, 2, 3, 4]);
    await db.delete();
  });

  it("moves more month blocks than a page, a year cut by a page's end written whole", async () => {
    const name = "year-blocks-2";
    const v4 = new V4Db(name);
    // 12 months of 2024 for enough accounts to fill more than two pages; the first page ends inside a year.
    const accounts = Math.ceil((2 * MIGRATION_PAGE) / 12) + 3;
    const rows = [];
    for (let a = 0; a < accounts; a++) {
      for (let m = 1; m <= 12; m++)
        rows.push(monthBlock(`a${String(a).padStart(4, "0")}`, "logins", month(2024, m), [1], [m]));
    }
    expect(MIGRATION_PAGE % 12).not.toBe(0);
    await v4.table("blocks").bulkPut(rows);
    v4.close();
    const db = new VitalsDb(name, options);
    await db.open();
    const years = await db.yearBlocks.toArray();
    expect(years).toHaveLength(accounts);
    // 1st of each month of 2024 (a leap year), as days of the year.
    const firsts = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
    for (const y of years) {
      expect([y.year, Array.from(y.days), Array.from(y.values)]).toEqual([
        2024,
        firsts,
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      ]);
    }
    await db.delete();
  }, 60_000);

  it("from version 4: an import's undo record of month blocks still undoes it exactly", async () => {
    const name = "year-blocks-3";
    const v4 = new V4Db(name);
    await v4.table("accounts").put({ id: "a1", name: "Acme" });
    // The state before import i2: February and March 2025. i2 added days of March (one replaced) and a new April.
    const february = monthBlock("a1", "logins", month(2025, 2), [27, 28], [5, 7]);
    const marchBefore = monthBlock("a1", "logins", month(2025, 3), [1], [4]);
    await v4
      .table("blocks")
      .bulkPut([
        february,
        monthBlock("a1", "logins", month(2025, 3), [1, 2], [9, 6]),
        monthBlock("a1", "logins", month(2025, 4), [2], [1]),
      ]);
    const importRow = (id: string, seq: number) => ({
      id,
      seq,
      at: `2025-04-0${seq}T10:00:00.000Z`,
      fileName: `${id}.csv`,
      shape: "long",
      status: "applied",
      counts: {},
    });
    await v4.table("imports").bulkPut([importRow("i1", 1), importRow("i2", 2)]);
    await v4.table("importUndo").bulkPut([
      {
        importId: "i2",
        seq: 0,
        table: "blocks",
        entries: [
          { key: ["a1", "logins", month(2025, 3)], before: marchBefore },
          { key: ["a1", "logins", month(2025, 4)], before: null },
        ],
      },
      { importId: "i2", seq: 1, table: "accounts", entries: [] },
    ]);
    v4.close();

    const db = new VitalsDb(name, options);
    await db.open();
    const chunks = await db.importUndo.toArray();
    expect(chunks.map((c) => [c.seq, c.table])).toEqual([
      [0, "yearBlocks"],
      [1, "accounts"],
    ]);
    expect((await db.yearBlocks.toArray()).map(plain)).toEqual([
      ["a1", "logins", 2025, [57, 58, 59, 60, 91], [5, 7, 9, 6, 1]],
    ]);
    await undoImport(db, "i2");
    expect((await db.yearBlocks.toArray()).map(plain)).toEqual([["a1", "logins", 2025, [57, 58, 59], [5, 7, 4]]]);
    await db.delete();
  });
});
