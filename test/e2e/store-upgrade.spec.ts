import { readFileSync } from "node:fs";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import type { VitalsDb } from "../../core/store/db.ts";
import { HARNESS_URL } from "./chromium.ts";

// Schema upgrades across tabs, in Chromium: tabs of one browser context share the origin's IndexedDB, so a tab
// running the next version of Vitals (a VitalsDb subclass declaring schema version 8, as that version would) upgrades
// the database the other tabs have open. Dexie opens schema version n as IndexedDB version 10·n.

const DATA_URL = `${HARNESS_URL}data.html`;
const fixture = (name: string) => readFileSync(`test/fixtures/csv/${name}`, "utf8");
const ACCOUNTS = {
  name: "salesforce-accounts.csv",
  text: fixture("salesforce-accounts.csv"),
  mapping: JSON.parse(fixture("salesforce-accounts.mapping.json")) as unknown,
};

declare global {
  interface Window {
    /** This tab's own connection to the store and what its outdated listener was told. */
    tabStore?: { db: VitalsDb; told: (number | null)[] };
  }
}

async function openHarness(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(DATA_URL);
  await expect(page.locator("#status")).toHaveText("ready (worker)");
  return page;
}

/** Imports the Salesforce accounts through the tab's data worker; returns the stored accounts. */
function importAccounts(page: Page) {
  return page.evaluate(async ({ name, text, mapping }) => {
    const { client } = window.data;
    const dry = await client.planImport(new File([text], name), name, mapping);
    const row = await client.applyImport(dry.planId);
    return { importId: row.id, accounts: (await window.data.snapshot()).accounts };
  }, ACCOUNTS);
}

/**
 * In the page: opens the store as the next version of Vitals would, schema version 8 (versions 1 to 7 unchanged, a new
 * table and an upgrade step appended), and keeps the connection as `window.tabStore`. Resolves "blocked" rather
 * than hanging if another connection holds the upgrade up.
 */
function openNextVersion(page: Page) {
  return page.evaluate(async () => {
    class NextVitalsDb extends window.data.VitalsDb {
      constructor() {
        super();
        this.version(8)
          .stores({ savedViews: "id, owner" })
          .upgrade((tx) => tx.table("meta").put({ key: "upgradedTo", value: 8 }));
      }
    }
    const db = new NextVitalsDb();
    const told: (number | null)[] = [];
    db.onOutdated((version) => told.push(version));
    window.tabStore = { db, told };
    const blocked = new Promise<"blocked">((resolve) => db.on("blocked", () => resolve("blocked")));
    const outcome = await Promise.race([db.open().then(() => "open" as const), blocked]);
    if (outcome === "blocked") return { outcome };
    await db.table("savedViews").put({ id: "v1", owner: "dana", filter: "segment = SMB" });
    return {
      outcome,
      verno: db.verno,
      indexedDbVersion: db.backendDB().version,
      tables: db.tables.map((t) => t.name).sort(),
      accounts: await db.accounts.orderBy("id").toArray(),
      imports: (await db.imports.toArray()).map((i) => i.id),
      upgradedTo: (await db.meta.get("upgradedTo"))?.value,
    };
  });
}

/** What the version 8 tab sees now, through its own (still open) connection. */
function nextVersionView(page: Page) {
  return page.evaluate(async () => {
    const store = window.tabStore;
    if (!store) throw new Error("the version 8 tab has no connection");
    const { db, told } = store;
    return {
      open: db.isOpen(),
      told: [...told],
      indexedDbVersion: db.backendDB().version,
      accounts: await db.accounts.orderBy("id").toArray(),
      imports: (await db.imports.toArray()).map((i) => i.id),
      savedViews: await db.table("savedViews").toArray(),
    };
  });
}

test("another tab's upgrade is not blocked by this tab's page or worker; this tab is told, and refuses further use", async ({
  context,
}) => {
  test.setTimeout(60_000);
  const oldTab = await openHarness(context);
  // Data written by the old tab's worker, a dry run kept there, and the old tab's own connection with its listener.
  const seeded = await importAccounts(oldTab);
  expect(seeded.accounts).toHaveLength(4);
  const pending = await oldTab.evaluate(async ({ name, text, mapping }) => {
    const dry = await window.data.client.planImport(new File([text], name), name, mapping);
    const db = new window.data.VitalsDb();
    const told: (number | null)[] = [];
    db.onOutdated((version) => told.push(version));
    window.tabStore = { db, told };
    await db.accounts.count(); // the connection is open
    return { planId: dry.planId, open: db.isOpen(), verno: db.verno };
  }, ACCOUNTS);
  expect(pending).toMatchObject({ open: true, verno: 7 });

  // The new tab upgrades: both of the old tab's connections (page and worker) close, so the upgrade goes through.
  const newTab = await openHarness(context);
  const upgraded = await openNextVersion(newTab);
  expect(upgraded.outcome).toBe("open");
  expect(upgraded).toMatchObject({ verno: 8, indexedDbVersion: 80, upgradedTo: 8 });
  expect(upgraded.tables).toContain("savedViews");
  expect(upgraded.accounts).toEqual(seeded.accounts);
  expect(upgraded.imports).toEqual([seeded.importId]);

  // The old tab was told (schema version 8) and its connection is closed. Using it again, from the page or from its
  // worker, fails at once with an error that says why, rather than hanging or reopening the newer database.
  const old = await oldTab.evaluate(async (planId) => {
    const store = window.tabStore;
    if (!store) throw new Error("the old tab has no connection");
    const { db, told } = store;
    const failure = (e: Error & { inner?: Error }) => ({ name: e.name, message: e.message, inner: e.inner?.name });
    const open = db.isOpen();
    const read = await db.accounts.toArray().then(() => null, failure);
    const write = await db.accounts.put({ id: "old-tab", name: "Written by the old tab" }).then(() => null, failure);
    const workerRead = await window.data.client.listImports().then(() => null, failure);
    const workerWrite = await window.data.client.applyImport(planId).then(() => null, failure);
    return { told: [...told], open, read, write, workerRead, workerWrite, stillOpen: db.isOpen() };
  }, pending.planId);
  expect(old.told).toEqual([8]);
  expect(old.open).toBe(false);
  const outdated = {
    name: "DatabaseClosedError",
    message: expect.stringContaining("schema version 8, newer than this app's 7"),
    inner: "VersionError",
  };
  expect(old.read).toEqual(outdated);
  expect(old.write).toEqual(outdated);
  expect(old.workerRead).toMatchObject({ name: "DatabaseClosedError", message: outdated.message });
  expect(old.workerWrite).toMatchObject({ name: "WriteError", message: expect.stringContaining("Nothing was saved") });
  expect(old.stillOpen).toBe(false);

  // The new tab still has the old tab's data, and nothing the old tab tried afterwards.
  const view = await nextVersionView(newTab);
  expect(view).toMatchObject({ open: true, told: [], indexedDbVersion: 80 });
  expect(view.accounts).toEqual(seeded.accounts);
  expect(view.imports).toEqual([seeded.importId]);
  expect(view.savedViews).toEqual([{ id: "v1", owner: "dana", filter: "segment = SMB" }]);
});

test("a tab of the older app opened after the upgrade gets a VersionError and leaves the data untouched", async ({
  context,
}) => {
  test.setTimeout(60_000);
  const first = await openHarness(context);
  const seeded = await importAccounts(first);
  await first.close();
  const newTab = await openHarness(context);
  const upgraded = await openNextVersion(newTab);
  expect(upgraded).toMatchObject({ outcome: "open", indexedDbVersion: 80 });
  const before = await nextVersionView(newTab);
  expect(before.accounts).toEqual(seeded.accounts);

  // Dexie 4 would open the newer database under the older schema without a word; VitalsDb refuses it.
  const oldTab = await openHarness(context);
  const old = await oldTab.evaluate(async ({ name, text, mapping }) => {
    const failure = (e: Error & { inner?: Error }) => ({ name: e.name, message: e.message, inner: e.inner?.name });
    const db = new window.data.VitalsDb();
    const opened = await db.open().then(() => null, failure);
    const write = await db.accounts.put({ id: "old-tab", name: "Written by the old tab" }).then(() => null, failure);
    const clear = await db.accounts.clear().then(() => null, failure);
    const workerPlan = await window.data.client
      .planImport(new File([text], name), name, mapping)
      .then(() => null, failure);
    return { opened, open: db.isOpen(), write, clear, workerPlan };
  }, ACCOUNTS);
  expect(old.opened).toEqual({
    name: "VersionError",
    message: expect.stringContaining("schema version 8, newer than this app's 7: reload"),
    inner: undefined,
  });
  expect(old.open).toBe(false);
  const refused = {
    name: "DatabaseClosedError",
    message: expect.stringContaining("schema version 8"),
    inner: "VersionError",
  };
  expect(old.write).toEqual(refused);
  expect(old.clear).toEqual(refused);
  expect(old.workerPlan).toMatchObject({ name: "DatabaseClosedError", message: refused.message });

  // Untouched: same data, still version 8 (not patched or downgraded), and the version 8 tab kept its connection.
  expect(await nextVersionView(newTab)).toEqual(before);
});

test("a store of month blocks (version 4) is upgraded to year blocks in Chromium, and its import still undoes", async ({
  context,
}) => {
  test.setTimeout(60_000);
  const page = await openHarness(context);
  const result = await page.evaluate(async () => {
    const { openVersion4, VitalsDb, allBlocks } = window.data;
    await new VitalsDb().delete();
    const v4 = openVersion4();
    const month = (year: number, m: number) => year * 12 + m - 1;
    await v4.table("accounts").put({ id: "a1", name: "Acme" });
    // 12 months × 500 metrics = 6,000 month blocks: more than one page (5,000) of the upgrade.
    const rows = [];
    for (let metric = 0; metric < 500; metric++) {
      for (let m = 1; m <= 12; m++) {
        rows.push({
          accountId: "a1",
          metric: `m${String(metric).padStart(3, "0")}`,
          month: month(2024, m),
          days: Uint8Array.of(1, 15),
          values: Float64Array.of(m, -m),
        });
      }
    }
    await v4.table("blocks").bulkPut(rows);
    await v4.table("imports").put({
      id: "i1",
      seq: 1,
      at: "2025-01-01T00:00:00.000Z",
      fileName: "usage.csv",
      shape: "long",
      status: "applied",
      counts: {},
    });
    await v4.table("importUndo").put({
      importId: "i1",
      seq: 0,
      table: "blocks",
      entries: rows.map((r) => ({ key: [r.accountId, r.metric, r.month], before: null })),
    });
    v4.close();
    const db = new VitalsDb();
    await db.open();
    const years = await allBlocks(db);
    const first = years[0];
    const out = {
      verno: db.verno,
      tables: db.tables.map((t) => t.name),
      years: years.length,
      typed: first?.days instanceof Uint16Array && first?.values instanceof Float64Array,
      first: first && [
        first.metric,
        first.year,
        Array.from(first.days).slice(0, 4),
        Array.from(first.values).slice(0, 4),
      ],
      observations: years.reduce((n, y) => n + y.days.length, 0),
      undoTable: (await db.importUndo.toArray()).map((c) => c.table),
    };
    db.close();
    await window.data.client.undoImport("i1");
    const after = new VitalsDb();
    const left = await after.accountYears.count();
    after.close();
    return { ...out, left };
  });
  expect(result).toEqual({
    verno: 7,
    tables: expect.not.arrayContaining(["blocks", "yearBlocks"]),
    years: 500,
    typed: true,
    // 1 and 15 January (days 0 and 14), 1 and 15 February (31 and 45) of 2024.
    first: ["m000", 2024, [0, 14, 31, 45], [1, -1, 2, -2]],
    observations: 500 * 12 * 2,
    undoTable: ["yearBlocks"],
    left: 0,
  });
});

test("a store of year blocks (version 6) is upgraded to a row per account × year in Chromium, and its import still undoes", async ({
  context,
}) => {
  test.setTimeout(60_000);
  const page = await openHarness(context);
  const result = await page.evaluate(async () => {
    const { openVersion6, VitalsDb, allBlocks } = window.data;
    await new VitalsDb().delete();
    const v6 = openVersion6();
    // 3 accounts × 2,000 metrics × 2 years = 12,000 year blocks: pages of 5,000 end inside an account's blocks.
    const accounts = ["a1", "a2", "a3"];
    await v6.table("accounts").bulkPut(accounts.map((id) => ({ id, name: id })));
    const rows: { accountId: string; metric: string; year: number; days: Uint16Array; values: Float64Array }[] = [];
    for (const accountId of accounts) {
      for (let metric = 0; metric < 2000; metric++) {
        for (const year of [2024, 2025]) {
          rows.push({
            accountId,
            metric: `m${String(metric).padStart(4, "0")}`,
            year,
            days: Uint16Array.of(metric % 365, 364),
            values: Float64Array.of(metric, year),
          });
        }
      }
    }
    await v6.table("yearBlocks").bulkPut(rows);
    await v6.table("imports").put({
      id: "i1",
      seq: 1,
      at: "2025-01-01T00:00:00.000Z",
      fileName: "usage.csv",
      shape: "long",
      status: "applied",
      counts: {},
    });
    await v6.table("importUndo").put({
      importId: "i1",
      seq: 0,
      table: "yearBlocks",
      entries: rows.map((r) => ({ key: [r.accountId, r.metric, r.year], before: null })),
    });
    v6.close();
    const db = new VitalsDb();
    await db.open();
    const blocks = await allBlocks(db);
    const same = blocks.every((b, k) => {
      const r = rows[k];
      return (
        r !== undefined &&
        b.accountId === r.accountId &&
        b.metric === r.metric &&
        b.year === r.year &&
        b.days instanceof Uint16Array &&
        b.values instanceof Float64Array &&
        Array.from(b.days).join() === Array.from(r.days).join() &&
        Array.from(b.values).join() === Array.from(r.values).join()
      );
    });
    const out = {
      verno: db.verno,
      tables: db.tables.map((t) => t.name),
      rows: await db.accountYears.count(),
      blocks: blocks.length,
      same,
      metricsInARow: (await db.accountYears.get(["a2", 2025]))?.metrics.length,
    };
    db.close();
    await window.data.client.undoImport("i1");
    const after = new VitalsDb();
    const left = await after.accountYears.count();
    after.close();
    return { ...out, left };
  });
  expect(result).toEqual({
    verno: 7,
    tables: expect.not.arrayContaining(["yearBlocks"]),
    rows: 6,
    blocks: 12_000,
    same: true,
    metricsInARow: 2000,
    left: 0,
  });
});
