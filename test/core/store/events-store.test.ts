import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Mapping, type MappingInput } from "../../../core/io/mapping.ts";
import { ImportPlanner } from "../../../core/io/plan.ts";
import { Account } from "../../../core/schema/account.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { allBlocks } from "../../../core/store/block-table.ts";
import { SCHEMA_V1, VitalsDb } from "../../../core/store/db.ts";
import { applyImport, previewImport, undoImport } from "../../../core/store/imports.ts";
import { loadPortfolio, portfolioDataOf } from "../../../core/store/portfolio.ts";
import { saveScorecard } from "../../../core/store/scorecards.ts";

const options = { indexedDB, IDBKeyRange };
let db: VitalsDb;
let n = 0;
beforeEach(async () => {
  db = new VitalsDb(`events-store-${++n}`, options);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

async function plan(mapping: MappingInput, rows: string[][]) {
  const existing = (await db.accounts.toArray()).map((a) => Account.parse(a));
  const links = await db.links.toArray();
  const [header = [], ...body] = rows;
  const planner = new ImportPlanner("file.csv", header, Mapping.parse(mapping), existing, links);
  body.forEach((cells, i) => {
    planner.addRow(i + 2, cells);
  });
  return planner.finish();
}

let importSeq = 0;
const apply = async (mapping: MappingInput, rows: string[][]) =>
  applyImport(db, await plan(mapping, rows), { id: `i${++importSeq}`, at: `2025-01-01T10:${10 + importSeq}:00Z` });

const accountsMapping: MappingInput = {
  shape: "wide",
  account: { by: "id", column: "id" },
  attributes: [{ column: "segment", attribute: "segment" }],
};
const threeAccounts = [
  ["id", "segment"],
  ["a1", "SMB"],
  ["a2", "SMB"],
  ["a3", "SMB"],
];
const ticketsMapping: MappingInput = {
  shape: "events",
  account: { by: "id", column: "account" },
  dayColumn: "created",
  events: [
    { metric: "tickets", value: { from: "count" } },
    { metric: "csat", value: { from: "column", column: "csat" } },
  ],
  period: { from: "2024-01-01", to: "2024-12-31" },
};
const ticketRows = [
  ["account", "created", "csat"],
  ["a1", "2024-03-01", "5"],
  ["a1", "2024-12-20", ""],
];

describe("events imports store the period they cover", () => {
  it("the dry run says per metric how many accounts count 0 and which factors stay missing for them", async () => {
    await apply(accountsMapping, threeAccounts);
    for (const card of DEFAULT_SCORECARDS) await saveScorecard(db, card, "default", "2025-01-01T00:00:00Z");
    const preview = await previewImport(db, await plan(ticketsMapping, ticketRows));
    const tickets = preview.zeroFill.find((z) => z.metric === "tickets");
    expect(tickets).toMatchObject({ accountsWithEvents: 1, accountsZeroFilled: 2, stillMissing: [] });
    const csat = preview.zeroFill.find((z) => z.metric === "csat");
    expect(csat?.accountsWithEvents).toBe(1);
    // CSAT is a mean: an account with no answer has no CSAT, zero-filled or not.
    expect(csat?.stillMissing).toEqual([
      { scorecard: "Adoption (SMB)", factor: "CSAT", aggregation: "mean", accounts: 2 },
    ]);
    expect(preview.extras).toMatchObject({ coverageNew: 2, coverageUnchanged: 0 });
  });

  it("the stored period reaches scoring: no ticket is 0 inside it, for every account; the same file twice adds nothing; undo removes it", async () => {
    await apply(accountsMapping, threeAccounts);
    await apply(ticketsMapping, ticketRows);
    const stored = await loadPortfolio(db);
    expect(stored.coverage.filter((c) => c.metric === "tickets")).toHaveLength(1);
    const series = portfolioDataOf(stored).series.get("tickets");
    expect(Array.from(series?.covered ?? [])).toEqual([19723, 20088]); // 2024-01-01 … 2024-12-31

    const again = await previewImport(db, await plan(ticketsMapping, ticketRows));
    expect(again.extras).toMatchObject({ coverageNew: 0, coverageUnchanged: 2 });
    const rowsBefore = await db.coverage.toArray();
    await apply(ticketsMapping, ticketRows);
    expect(await db.coverage.toArray()).toEqual(rowsBefore);

    // A later file extending the period adds a row; undoing it leaves the first period.
    const next = await apply({ ...ticketsMapping, period: { from: "2024-06-01", to: "2025-03-31" } }, ticketRows);
    expect(await db.coverage.count()).toBe(4);
    await undoImport(db, next.id);
    expect(await db.coverage.toArray()).toEqual(rowsBefore);
    const imports = await db.imports.orderBy("at").toArray();
    for (const i of imports.reverse()) if (i.status === "applied") await undoImport(db, i.id);
    expect(await db.coverage.count()).toBe(0);
  });
});

describe("links are stored, so later files join through them", () => {
  const subscriptions: MappingInput = {
    shape: "links",
    account: { by: "id", column: "account" },
    links: [{ kind: "subscription", column: "subscription" }],
  };
  const usage: MappingInput = {
    shape: "long",
    account: { by: "externalId", system: "subscription", column: "subscription" },
    metricColumn: "metric",
    dayColumn: "day",
    valueColumn: "value",
  };
  it("a links import, then usage keyed by subscription; re-import unchanged; undo removes the links", async () => {
    await apply(accountsMapping, threeAccounts);
    const pairs = [
      ["account", "subscription"],
      ["a1", "S-1"],
      ["a1", "S-2"],
      ["a2", "S-3"],
    ];
    const preview = await previewImport(db, await plan(subscriptions, pairs));
    expect(preview.extras).toMatchObject({ linksNew: 3, linksUnchanged: 0 });
    const linked = await apply(subscriptions, pairs);
    expect(await db.links.count()).toBe(3);
    expect((await previewImport(db, await plan(subscriptions, pairs))).extras.linksUnchanged).toBe(3);

    const usagePlan = await plan(usage, [
      ["subscription", "metric", "day", "value"],
      ["S-1", "active_users", "2024-12-01", "5"],
      ["S-2", "active_users", "2024-12-01", "6"],
      ["S-3", "active_users", "2024-12-01", "2"],
    ]);
    expect(usagePlan.rejects).toEqual([]);
    const usageImport = await applyImport(db, usagePlan, { id: "usage", at: "2025-01-01T11:00:00Z" });
    const blocks = (await allBlocks(db)).map((b) => [b.accountId, Array.from(b.values)]);
    expect(blocks).toEqual([
      ["a1", [11]],
      ["a2", [2]],
    ]);
    await undoImport(db, usageImport.id);
    await undoImport(db, linked.id);
    expect(await db.links.count()).toBe(0);
  });
});

describe("schema version 2 → 3 (covered periods, links)", () => {
  /** The store as version 2 of Vitals declared it. */
  class V2Db extends Dexie {
    constructor(name: string) {
      super(name, options);
      this.version(1).stores(SCHEMA_V1);
      this.version(2).stores({ playTemplates: "id", tasks: "id, alertId, accountId, owner" });
    }
  }
  it("opens a version 2 store with data, loses nothing, and starts with no periods and no links", async () => {
    const name = "events-migration-2";
    const v2 = new V2Db(name);
    await v2.table("accounts").bulkPut([{ id: "a1", name: "Acme" }]);
    await v2
      .table("imports")
      .put({ id: "i1", at: "2025-01-01T00:00:00Z", fileName: "a.csv", shape: "wide", status: "applied", counts: {} });
    await v2
      .table("importUndo")
      .put({ importId: "i1", seq: 0, table: "accounts", entries: [{ key: "a1", before: null }] });
    await v2.table("tasks").put({ id: "t1", alertId: "x", accountId: "a1", owner: "Dana" });
    const before = {
      accounts: await v2.table("accounts").toArray(),
      imports: await v2.table("imports").toArray(),
      tasks: await v2.table("tasks").toArray(),
    };
    v2.close();
    const v3 = new VitalsDb(name, options);
    await v3.open();
    // On to the current version: 4 also numbers the imports (seq) for Undo.
    expect(v3.verno).toBe(7); // through version 3 and on to the current one
    expect(await v3.accounts.toArray()).toEqual(before.accounts);
    expect(await v3.imports.toArray()).toEqual(before.imports.map((row, i) => ({ ...row, seq: i + 1 })));
    expect(await v3.tasks.toArray()).toEqual(before.tasks);
    expect(await v3.coverage.count()).toBe(0);
    expect(await v3.links.count()).toBe(0);
    // The old import still undoes (its undo rows predate the new tables).
    await undoImport(v3, "i1");
    expect(await v3.accounts.count()).toBe(0);
    v3.close();
    await v3.delete();
  });
});
