import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { Mapping } from "../../../core/io/mapping.ts";
import { ImportPlanner } from "../../../core/io/plan.ts";
import { Account } from "../../../core/schema/account.ts";
import { loadAccount } from "../../../core/store/account.ts";
import { allBlocks } from "../../../core/store/block-table.ts";
import { SCHEMA_V1, VitalsDb } from "../../../core/store/db.ts";
import { applyImport, undoImport } from "../../../core/store/imports.ts";
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

/** The store as version 6 declared it: a row per year block (account × metric × year). */
class V6Db extends V4Db {
  constructor(name: string) {
    super(name);
    this.version(5).stores({ blocks: null, yearBlocks: "[accountId+metric+year], accountId, metric" });
    this.version(6).stores({ scorecardVersions: "[scorecardId+version], scorecardId, [scorecardId+hash]" });
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
    expect(db.verno).toBe(7);
    expect(db.tables.map((t) => t.name)).not.toContain("blocks");
    // Worked out by hand: 29 Feb 2024 is day 59 of a leap year, 31 Dec 2024 day 365; 1 Jan 2025 day 0, 1 Mar 2025
    // day 59, 15 Mar 2025 day 73.
    expect((await allBlocks(db)).map(plain)).toEqual([
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
    const years = await allBlocks(db);
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
    expect((await allBlocks(db)).map(plain)).toEqual([["a1", "logins", 2025, [57, 58, 59, 60, 91], [5, 7, 9, 6, 1]]]);
    await undoImport(db, "i2");
    expect((await allBlocks(db)).map(plain)).toEqual([["a1", "logins", 2025, [57, 58, 59], [5, 7, 4]]]);
    await db.delete();
  });
});

const block = (accountId: string, metric: string, year: number, days: number[], values: number[]) => ({
  accountId,
  metric,
  year,
  days: Uint16Array.from(days),
  values: Float64Array.from(values),
});
describe("schema version 7: a row per account × year, every metric's block in it", () => {
  it("from version 6: the same blocks, typed, in rows of an account × year, read and scored the same", async () => {
    const name = "account-years-1";
    const v6 = new V6Db(name);
    await v6.table("accounts").bulkPut([
      { id: "a1", name: "Acme" },
      { id: "a2", name: "Globex" },
    ]);
    const blocks = [
      block("a1", "logins", 2024, [59, 365], [7, 8]),
      block("a1", "logins", 2025, [0, 0, 1, 59], [1, 2, 3, 4]),
      block("a1", "seats", 2025, [73], [9]),
      block("a2", "logins", 2025, [73], [5]),
      block("a2", "seats", 2025, [73], [6]),
    ];
    await v6.table("yearBlocks").bulkPut(blocks);
    v6.close();

    const db = new VitalsDb(name, options);
    await db.open();
    expect(db.verno).toBe(7);
    expect(db.tables.map((t) => t.name)).not.toContain("yearBlocks");
    expect(await db.accountYears.count()).toBe(3);
    const row = await db.accountYears.get(["a1", 2025]);
    expect([row?.metrics, Array.from(row?.ends ?? [])]).toEqual([
      ["logins", "seats"],
      [4, 5],
    ]);
    expect(row?.days).toBeInstanceOf(Uint16Array);
    expect(row?.values).toBeInstanceOf(Float64Array);
    expect((await allBlocks(db)).map(plain)).toEqual(blocks.map(plain));
    const portfolio = await loadPortfolio(db);
    expect(Array.from(portfolio.metrics.find((m) => m.metric === "logins")?.value ?? [])).toEqual([
      7, 8, 1, 2, 3, 4, 5,
    ]);
    const one = await loadAccount(db, "a1");
    expect(one?.metrics.map((m) => [m.metric, Array.from(m.value)])).toEqual([
      ["logins", [7, 8, 1, 2, 3, 4]],
      ["seats", [9]],
    ]);
    await db.delete();
  });

  it("moves more blocks than a page, an account cut by a page's end written whole", async () => {
    const name = "account-years-2";
    const v6 = new V6Db(name);
    // 7 metrics × 2 years = 14 blocks an account: MIGRATION_PAGE is no multiple of 14, so pages end inside accounts.
    expect(MIGRATION_PAGE % 14).not.toBe(0);
    const accounts = Math.ceil((2 * MIGRATION_PAGE) / 14) + 3;
    const rows = [];
    for (let a = 0; a < accounts; a++) {
      for (let m = 0; m < 7; m++) {
        for (const year of [2024, 2025]) rows.push(block(`a${String(a).padStart(4, "0")}`, `m${m}`, year, [m], [a]));
      }
    }
    await v6.table("yearBlocks").bulkPut(rows);
    v6.close();
    const db = new VitalsDb(name, options);
    await db.open();
    expect(await db.accountYears.count()).toBe(accounts * 2);
    for (const row of await db.accountYears.toArray()) expect(row.metrics).toHaveLength(7);
    expect((await allBlocks(db)).map(plain)).toEqual(rows.map(plain));
    await db.delete();
  }, 60_000);

  it("an import of version 6 still undoes exactly, and a new one writes one row per account × year", async () => {
    const name = "account-years-3";
    const v6 = new V6Db(name);
    await v6.table("accounts").put({ id: "a1", name: "Acme" });
    // Before import i1: logins on days 57 and 58 of 2025; i1 added day 59 and the seats block.
    await v6
      .table("yearBlocks")
      .bulkPut([block("a1", "logins", 2025, [57, 58, 59], [5, 7, 4]), block("a1", "seats", 2025, [59], [3])]);
    await v6.table("imports").put({
      id: "i1",
      seq: 1,
      at: "2025-03-01T10:00:00.000Z",
      fileName: "usage.csv",
      shape: "long",
      status: "applied",
      counts: {},
    });
    await v6.table("importUndo").put({
      importId: "i1",
      seq: 0,
      table: "yearBlocks",
      entries: [
        {
          key: ["a1", "logins", 2025],
          before: { touched: Uint16Array.of(59), days: new Uint16Array(0), values: new Float64Array(0) },
        },
        { key: ["a1", "seats", 2025], before: null },
      ],
    });
    v6.close();
    const db = new VitalsDb(name, options);
    await db.open();
    const planner = new ImportPlanner(
      "more.csv",
      ["account", "metric", "day", "value"],
      Mapping.parse({
        shape: "long",
        name: "usage",
        account: { by: "id", column: "account" },
        metricColumn: "metric",
        dayColumn: "day",
        valueColumn: "value",
      }),
      [Account.parse({ id: "a1", name: "Acme" })],
    );
    planner.addRow(2, ["a1", "visits", "2025-03-02", "2"]);
    const i2 = await applyImport(db, planner.finish(), { id: "i2", at: "2025-03-02T10:00:00.000Z" });
    expect(i2.counts).toMatchObject({ observationsNew: 1 });
    expect((await db.accountYears.get(["a1", 2025]))?.metrics).toEqual(["logins", "seats", "visits"]);
    await undoImport(db, "i2");
    await undoImport(db, "i1");
    expect((await allBlocks(db)).map(plain)).toEqual([["a1", "logins", 2025, [57, 58], [5, 7]]]);
    expect(await db.accountYears.count()).toBe(1);
    await db.delete();
  });
});
