import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Mapping, type MappingInput } from "../../../core/io/mapping.ts";
import { ImportPlanner } from "../../../core/io/plan.ts";
import { Account } from "../../../core/schema/account.ts";
import { allBlocks } from "../../../core/store/block-table.ts";
import { VitalsDb } from "../../../core/store/db.ts";
import { applyImport, previewImport, undoImport } from "../../../core/store/imports.ts";

let db: VitalsDb;
let n = 0;
beforeEach(async () => {
  db = new VitalsDb(`test-${++n}`, { indexedDB, IDBKeyRange });
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const accountsMapping: MappingInput = {
  shape: "wide",
  account: { by: "id", column: "id" },
  attributes: [
    { column: "name", attribute: "name" },
    { column: "domain", attribute: "domains" },
    { column: "arr", attribute: "arr" },
  ],
};
const usageMapping: MappingInput = {
  shape: "long",
  account: { by: "id", column: "account" },
  metricColumn: "metric",
  dayColumn: "day",
  valueColumn: "value",
};

/** Plans a CSV-like table (header first) against what the store holds now. */
async function plan(mapping: MappingInput, rows: string[][], fileName = "file.csv") {
  const existing = (await db.accounts.toArray()).map((a) => Account.parse(a));
  const [header = [], ...body] = rows;
  const planner = new ImportPlanner(fileName, header, Mapping.parse(mapping), existing);
  body.forEach((cells, i) => {
    planner.addRow(i + 2, cells);
  });
  return planner.finish();
}

/** Everything stored, in a comparable form. */
async function snapshot() {
  return {
    accounts: await db.accounts.orderBy("id").toArray(),
    blocks: (await allBlocks(db)).map((b) => ({
      ...b,
      days: Array.from(b.days),
      values: Array.from(b.values),
    })),
    outcomes: await db.outcomes.toArray(),
  };
}

const accountsCsv = [
  ["id", "name", "domain", "arr"],
  ["a1", "Acme", "acme.com", "120000"],
  ["a2", "Globex", "globex.io", "45000"],
];
const usageCsv = [
  ["account", "metric", "day", "value"],
  ["a1", "logins", "2025-02-27", "5"],
  ["a1", "logins", "2025-02-28", "7"],
  ["a1", "logins", "2025-03-01", "4"],
  ["a2", "logins", "2025-03-01", "1"],
  ["a2", "logins", "2025-03-01", "2"],
];

describe("importing into the store", () => {
  it("previews counts without writing, then applies exactly that", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    const p = await plan(usageMapping, usageCsv);
    const before = await snapshot();
    const preview = await previewImport(db, p);
    expect(await snapshot()).toEqual(before);
    expect(preview.counts).toMatchObject({
      observationsNew: 4,
      observationsUpdated: 0,
      observationsUnchanged: 0,
      rowsRejected: 0,
    });
    const applied = await applyImport(db, p, { id: "i2", at: "2025-03-01T10:05:00Z" });
    expect(applied.counts).toMatchObject({ observationsNew: 4 });
    // One block per account's year of logins, days of the year from 0 (1 January): 27 and 28 February are 57 and
    // 58, 1 March 59 (2025 is not a leap year); a2's two values of the 1st summed.
    const blocks = (await snapshot()).blocks.map((b) => [b.accountId, b.metric, b.year, b.days, b.values]);
    expect(blocks).toEqual([
      ["a1", "logins", 2025, [57, 58, 59], [5, 7, 4]],
      ["a2", "logins", 2025, [59], [3]],
    ]);
  });

  it("re-importing the same file changes nothing", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    await applyImport(db, await plan(usageMapping, usageCsv), { id: "i2", at: "2025-03-01T10:01:00Z" });
    const before = await snapshot();
    const again = await previewImport(db, await plan(usageMapping, usageCsv));
    expect(again.counts).toMatchObject({ observationsNew: 0, observationsUpdated: 0, observationsUnchanged: 4 });
    const accountsAgain = await previewImport(db, await plan(accountsMapping, accountsCsv));
    expect(accountsAgain.counts).toMatchObject({ accountsNew: 0, accountsUpdated: 0, accountsUnchanged: 2 });
    await applyImport(db, await plan(usageMapping, usageCsv), { id: "i3", at: "2025-03-01T10:02:00Z" });
    expect(await snapshot()).toEqual(before);
  });

  it("a later file replaces the values of the days it has and keeps the others", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    await applyImport(db, await plan(usageMapping, usageCsv), { id: "i2", at: "2025-03-01T10:01:00Z" });
    const correction = await plan(usageMapping, [
      ["account", "metric", "day", "value"],
      ["a1", "logins", "2025-02-28", "9"],
    ]);
    expect((await previewImport(db, correction)).counts).toMatchObject({ observationsNew: 0, observationsUpdated: 1 });
    await applyImport(db, correction, { id: "i3", at: "2025-03-01T10:02:00Z" });
    const year = (await snapshot()).blocks.find((b) => b.accountId === "a1" && b.year === 2025);
    expect([year?.days, year?.values]).toEqual([
      [57, 58, 59],
      [5, 9, 4],
    ]);
  });

  it("a new month merges into the year's block, writes only the blocks it touches, and undo takes back just it", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    await applyImport(db, await plan(usageMapping, usageCsv), { id: "i2", at: "2025-03-01T10:01:00Z" });
    const before = await snapshot();
    // April for a1 (2 and 5 April: days 91 and 94 of 2025), one day of it twice; a correction of 1 March; a2 untouched.
    const april = await plan(usageMapping, [
      ["account", "metric", "day", "value"],
      ["a1", "logins", "2025-04-05", "8"],
      ["a1", "logins", "2025-04-02", "6"],
      ["a1", "logins", "2025-03-01", "11"],
    ]);
    const written: string[] = [];
    db.accountYears.hook("creating", (key) => void written.push(String(key)));
    db.accountYears.hook("updating", (_changes, key) => void written.push(String(key)));
    const applied = await applyImport(db, april, { id: "i3", at: "2025-03-01T10:02:00Z" });
    expect(applied.counts).toMatchObject({ observationsNew: 2, observationsUpdated: 1, observationsUnchanged: 0 });
    expect(written).toEqual(["a1,2025"]);
    const after = await snapshot();
    expect(after.blocks).toEqual([
      { accountId: "a1", metric: "logins", year: 2025, days: [57, 58, 59, 91, 94], values: [5, 7, 11, 6, 8] },
      before.blocks[1],
    ]);
    // The undo record holds the touched days and what they held, not the year's block.
    const [chunk] = await db.importUndo.where("importId").equals("i3").toArray();
    expect(chunk?.table).toBe("yearBlocks");
    const patch = chunk?.entries[0]?.before as { touched: Uint16Array; days: Uint16Array; values: Float64Array };
    expect([Array.from(patch.touched), Array.from(patch.days), Array.from(patch.values)]).toEqual([
      [59, 91, 94],
      [59],
      [4],
    ]);
    await undoImport(db, "i3");
    expect(await snapshot()).toEqual(before);
    // Undoing the first usage import takes the blocks it created away entirely.
    await undoImport(db, "i2");
    expect(await db.accountYears.count()).toBe(0);
  });

  it("observations across a new year go to each year's block", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    await applyImport(
      db,
      await plan(usageMapping, [
        ["account", "metric", "day", "value"],
        ["a1", "logins", "2024-12-31", "1"],
        ["a1", "logins", "2025-01-01", "2"],
        ["a1", "logins", "2024-02-29", "3"],
      ]),
      { id: "i2", at: "2025-03-01T10:01:00Z" },
    );
    // 2024 is a leap year: 29 February is day 59, 31 December day 365.
    expect((await snapshot()).blocks.map((b) => [b.year, b.days, b.values])).toEqual([
      [2024, [59, 365], [3, 1]],
      [2025, [0], [2]],
    ]);
  });

  it("undo restores exactly the state before the import, accounts and data", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    await applyImport(db, await plan(usageMapping, usageCsv), { id: "i2", at: "2025-03-01T10:01:00Z" });
    const before = await snapshot();
    const second = await plan(accountsMapping, [
      ["id", "name", "domain", "arr"],
      ["a1", "Acme Corporation", "acme.com", "150000"],
      ["a3", "Initech", "initech.com", "9000"],
    ]);
    await applyImport(db, second, { id: "i3", at: "2025-03-01T10:02:00Z" });
    const more = await plan(usageMapping, [
      ["account", "metric", "day", "value"],
      ["a1", "logins", "2025-02-28", "70"],
      ["a3", "logins", "2025-03-01", "3"],
    ]);
    await applyImport(db, more, { id: "i4", at: "2025-03-01T10:03:00Z" });
    await expect(undoImport(db, "i3")).rejects.toThrow(
      "undo the later import of file.csv first: it may have changed the same accounts and data",
    );
    await undoImport(db, "i4");
    await undoImport(db, "i3");
    expect(await snapshot()).toEqual(before);
    expect((await db.imports.get("i3"))?.status).toBe("undone");
    await expect(undoImport(db, "i3")).rejects.toThrow("the import of file.csv was already undone");
  });

  it("undo goes by the order imports were written in, not by their clocks (a clock stepped back)", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:05:00Z" });
    // Written after i1, stamped earlier: another tab with a slow clock, or the clock stepped back.
    await applyImport(db, await plan(usageMapping, usageCsv), { id: "i2", at: "2025-03-01T10:00:00Z" });
    expect((await db.imports.orderBy("seq").toArray()).map((i) => [i.id, i.seq])).toEqual([
      ["i1", 1],
      ["i2", 2],
    ]);
    await expect(undoImport(db, "i1")).rejects.toThrow("undo the later import of file.csv first");
    await undoImport(db, "i2");
    await undoImport(db, "i1");
    expect(await db.accounts.count()).toBe(0);
    expect(await db.accountYears.count()).toBe(0);
    // A third import takes the next number even with both earlier ones undone.
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i3", at: "2025-03-01T09:00:00Z" });
    expect((await db.imports.get("i3"))?.seq).toBe(3);
  });

  it("a write that fails half way leaves the store exactly as before", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    const before = await snapshot();
    const undoRowsBefore = await db.importUndo.count();
    // Two batches of blocks (a batch ends between accounts): the second write fails (as a full disk would).
    const rows = [["account", "metric", "day", "value"]];
    for (const account of ["a1", "a2"]) {
      for (let m = 0; m < 2500; m++) rows.push([account, `metric-${m}`, "2025-03-01", String(m)]);
    }
    const big = await plan(usageMapping, rows);
    const original = db.accountYears.bulkPut.bind(db.accountYears);
    let calls = 0;
    db.accountYears.bulkPut = ((...args: Parameters<typeof original>) => {
      if (++calls === 2) return Promise.reject(new DOMException("The quota has been exceeded.", "QuotaExceededError"));
      return original(...args);
    }) as typeof original;
    await expect(applyImport(db, big, { id: "i2", at: "2025-03-01T10:01:00Z" })).rejects.toThrow("quota");
    db.accountYears.bulkPut = original;
    expect(calls).toBe(2);
    expect(await snapshot()).toEqual(before);
    expect(await db.imports.get("i2")).toBeUndefined();
    expect(await db.importUndo.count()).toBe(undoRowsBefore);
  });

  it("rejected rows are reported and the rest is imported", async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
    const p = await plan(usageMapping, [
      ["account", "metric", "day", "value"],
      ["a1", "logins", "2025-02-30", "5"],
      ["zz", "logins", "2025-03-01", "5"],
      ["a2", "logins", "2025-03-01", "five"],
      ["a2", "logins", "2025-03-01", "6"],
    ]);
    const preview = await previewImport(db, p);
    expect(preview.counts).toMatchObject({ observationsNew: 1, rowsRejected: 3, rowsRead: 4 });
    expect(preview.rejects).toEqual([
      { line: 2, column: "day", reason: '"2025-02-30" is not a real date (YYYY-MM-DD)' },
      { line: 3, column: "account", reason: 'no account with id "zz"' },
      { line: 4, column: "value", reason: '"five" is not a number (expected e.g. 1234.5 or 1,234.5)' },
    ]);
  });
});

const outcomesMapping: MappingInput = {
  shape: "outcomes",
  account: { by: "domain", column: "domain" },
  dayColumn: "day",
  kindColumn: "outcome",
};

describe("importing outcomes", () => {
  beforeEach(async () => {
    await applyImport(db, await plan(accountsMapping, accountsCsv), { id: "i1", at: "2025-03-01T10:00:00Z" });
  });

  it("the dry run counts outcomes new, replaced and unchanged without writing; apply writes exactly those", async () => {
    await db.outcomes.bulkPut([
      { accountId: "a1", day: "2025-01-31", kind: "renewed" },
      { accountId: "a2", day: "2025-02-28", kind: "renewed" },
    ]);
    const p = await plan(outcomesMapping, [
      ["domain", "day", "outcome"],
      ["acme.com", "2025-01-31", "renewed"],
      ["globex.io", "2025-02-28", "churned"],
      ["globex.io", "2024-02-28", "renewed"],
      ["nobody.example", "2025-02-28", "churned"],
    ]);
    const before = await snapshot();
    const preview = await previewImport(db, p);
    expect(await snapshot()).toEqual(before);
    expect(preview.counts).toMatchObject({
      outcomesNew: 1,
      outcomesUpdated: 1,
      outcomesUnchanged: 1,
      rowsRejected: 1,
      rowsRead: 4,
    });
    expect(preview.rejects).toEqual([{ line: 5, column: "domain", reason: 'no account with domain "nobody.example"' }]);
    const applied = await applyImport(db, p, { id: "i2", at: "2025-03-01T10:01:00Z" });
    expect(applied.counts).toMatchObject({ outcomesNew: 1, outcomesUpdated: 1, outcomesUnchanged: 1 });
    // Globex's renewal on 2025-02-28 became a churn: one outcome per account and day.
    expect((await snapshot()).outcomes).toEqual([
      { accountId: "a1", day: "2025-01-31", kind: "renewed" },
      { accountId: "a2", day: "2024-02-28", kind: "renewed" },
      { accountId: "a2", day: "2025-02-28", kind: "churned" },
    ]);
    const again = await previewImport(
      db,
      await plan(outcomesMapping, [
        ["domain", "day", "outcome"],
        ...[
          ["acme.com", "2025-01-31", "renewed"],
          ["globex.io", "2025-02-28", "churned"],
          ["globex.io", "2024-02-28", "renewed"],
        ],
      ]),
    );
    expect(again.counts).toMatchObject({ outcomesNew: 0, outcomesUpdated: 0, outcomesUnchanged: 3 });
  });

  it("undo puts back exactly the outcomes the import replaced and removes the ones it added", async () => {
    await db.outcomes.put({ accountId: "a2", day: "2025-02-28", kind: "renewed" });
    const before = await snapshot();
    const p = await plan(outcomesMapping, [
      ["domain", "day", "outcome"],
      ["globex.io", "2025-02-28", "churned"],
      ["acme.com", "2025-02-01", "expanded"],
    ]);
    await applyImport(db, p, { id: "i2", at: "2025-03-01T10:01:00Z" });
    expect(await db.outcomes.count()).toBe(2);
    expect(await db.outcomes.get(["a2", "2025-02-28", "renewed"])).toBeUndefined();
    await undoImport(db, "i2");
    expect(await snapshot()).toEqual(before);
  });

  it("a snapshot with a churn flag brings accounts, values and outcomes in one import, undone as one", async () => {
    const before = await snapshot();
    const snapshotMapping: MappingInput = {
      shape: "wide",
      account: { by: "id", column: "id" },
      asOf: { day: "2025-03-01" },
      attributes: [{ column: "name", attribute: "name" }],
      metrics: [{ column: "logins", metric: "logins" }],
      churnFlag: { column: "churn" },
    };
    const p = await plan(snapshotMapping, [
      ["id", "name", "logins", "churn"],
      ["a1", "Acme", "12", "no"],
      ["a9", "Hooli", "0", "yes"],
    ]);
    const applied = await applyImport(db, p, { id: "i2", at: "2025-03-01T10:01:00Z" });
    expect(applied.counts).toMatchObject({ accountsNew: 1, observationsNew: 2, outcomesNew: 2 });
    expect((await snapshot()).outcomes).toEqual([
      { accountId: "a1", day: "2025-03-01", kind: "renewed" },
      { accountId: "a9", day: "2025-03-01", kind: "churned" },
    ]);
    await undoImport(db, "i2");
    expect(await snapshot()).toEqual(before);
  });

  it("an outcome write that fails leaves accounts, data and outcomes exactly as before", async () => {
    const before = await snapshot();
    const p = await plan(outcomesMapping, [
      ["domain", "day", "outcome"],
      ["globex.io", "2025-02-28", "churned"],
    ]);
    const original = db.outcomes.bulkPut.bind(db.outcomes);
    db.outcomes.bulkPut = (() =>
      Promise.reject(
        new DOMException("The quota has been exceeded.", "QuotaExceededError"),
      )) as unknown as typeof original;
    await expect(applyImport(db, p, { id: "i2", at: "2025-03-01T10:01:00Z" })).rejects.toThrow("quota");
    db.outcomes.bulkPut = original;
    expect(await snapshot()).toEqual(before);
    expect(await db.imports.get("i2")).toBeUndefined();
  });
});

describe("large imports (more than one batch of blocks)", () => {
  it("dry run, apply and an unchanged re-import all stay inside their one transaction", async () => {
    // 600 accounts × 10 metrics × a year (ten months of it) = 6,000 year blocks: three batches of 2,000.
    const accounts = [["id", "name"], ...Array.from({ length: 600 }, (_, i) => [`a${i}`, `Account ${i}`])];
    await applyImport(
      db,
      await plan({ ...accountsMapping, attributes: [{ column: "name", attribute: "name" }] }, accounts),
      {
        id: "i1",
        at: "2025-03-01T10:00:00Z",
      },
    );
    const rows = [["account", "metric", "day", "value"]];
    for (let a = 0; a < 600; a++) {
      for (let m = 0; m < 10; m++) {
        for (let month = 1; month <= 10; month++)
          rows.push([`a${a}`, `metric-${m}`, `2024-${String(month).padStart(2, "0")}-15`, String(a)]);
      }
    }
    const usage = await plan(usageMapping, rows);
    // A dry run on an empty blocks table reads nothing for its batches: it must not lose its transaction.
    expect((await previewImport(db, usage)).counts).toMatchObject({ observationsNew: 60_000 });
    await applyImport(db, usage, { id: "i2", at: "2025-03-01T10:01:00Z" });
    expect((await allBlocks(db)).length).toBe(6000);
    // Every metric of an account × year in one row.
    expect(await db.accountYears.count()).toBe(600);
    const before = await snapshot();
    // Re-importing: every batch has nothing to write.
    const again = await applyImport(db, await plan(usageMapping, rows), { id: "i3", at: "2025-03-01T10:02:00Z" });
    expect(again.counts).toMatchObject({ observationsNew: 0, observationsUnchanged: 60_000 });
    expect(await snapshot()).toEqual(before);
    // 18,000 block writes in fake-indexeddb: seconds alone, far more on a loaded machine.
  }, 120_000);
});
