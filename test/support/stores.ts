import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach } from "vitest";
import { Mapping } from "../../core/io/mapping.ts";
import { ImportPlanner } from "../../core/io/plan.ts";
import { DEFAULT_SCORECARDS } from "../../core/scoring/defaults.ts";
import { VitalsDb } from "../../core/store/db.ts";
import { applyImport } from "../../core/store/imports.ts";
import { saveScorecard } from "../../core/store/scorecards.ts";
import { createAppApi } from "../../core/worker/app-api.ts";

/**
 * Fresh stores in fake-indexeddb for one test file, named `<prefix>-1`, `<prefix>-2`, …: each is closed and deleted
 * after every test. Call it once at the top of the file.
 */
export function freshStores(prefix: string): () => Promise<VitalsDb> {
  const open: VitalsDb[] = [];
  let n = 0;
  afterEach(async () => {
    for (const db of open.splice(0)) {
      db.close();
      await db.delete();
    }
  });
  return async () => {
    const db = new VitalsDb(`${prefix}-${++n}`, { indexedDB, IDBKeyRange });
    await db.open();
    open.push(db);
    return db;
  };
}

/** Saves the default scorecards as their first versions, stamped on 2025-01-01. */
export async function saveDefaultScorecards(db: VitalsDb): Promise<void> {
  for (const card of DEFAULT_SCORECARDS) await saveScorecard(db, card, "Default", "2025-01-01T00:00:00.000Z");
}

/**
 * Imports accounts from a CRM file ("crm.csv") as the Data page would: `rows[0]` is the header, its first column
 * the account id, every other column an attribute of the same name. Import id "i1".
 */
export async function importAccounts(db: VitalsDb, rows: readonly (readonly string[])[]): Promise<void> {
  const [header = [], ...body] = rows;
  const [id = "id", ...attributes] = header;
  const planner = new ImportPlanner(
    "crm.csv",
    [...header],
    Mapping.parse({
      shape: "wide",
      account: { by: "id", column: id },
      attributes: attributes.map((column) => ({ column, attribute: column })),
    }),
    [],
  );
  body.forEach((row, i) => {
    planner.addRow(i + 2, [...row]);
  });
  await applyImport(db, planner.finish(), { id: "i1", at: "2025-03-01T09:00:00Z" });
}

/** Imports usage ("usage.csv", long: account, metric, day, value) for the stored accounts. Import id "i2". */
export async function importUsage(
  db: VitalsDb,
  rows: readonly (readonly [account: string, metric: string, day: string, value: string])[],
): Promise<void> {
  const planner = new ImportPlanner(
    "usage.csv",
    ["account", "metric", "day", "value"],
    Mapping.parse({
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    }),
    (await db.accounts.toArray()).map((a) => a as never),
  );
  rows.forEach((row, i) => {
    planner.addRow(i + 2, [...row]);
  });
  await applyImport(db, planner.finish(), { id: "i2", at: "2025-03-01T09:01:00Z" });
}

/** What a CSM adds by hand to accounts a1 and a2: a rating, an outcome and an override. */
export async function addCsmRows(db: VitalsDb): Promise<void> {
  await db.manualInputs.add({
    accountId: "a1",
    metric: "csm_sentiment",
    day: "2025-02-20",
    rating: 4,
    author: "dana",
    note: "Good QBR",
  });
  await db.outcomes.put({ accountId: "a2", day: "2025-02-28", kind: "renewed" });
  await db.overrides.put({
    id: "o1",
    accountId: "a2",
    grade: "B",
    reason: "Sponsor confirmed",
    author: "dana",
    createdOn: "2025-02-01",
    expiresOn: "2025-04-01",
  });
}

/** The app's worker API as the tests call it (on the main thread). */
export type TestAppApi = ReturnType<typeof createAppApi>;

/**
 * The app's worker API over a fresh fake-indexeddb store per call, named `<prefix>-1`, `<prefix>-2`, …, with `open`
 * to reach that store behind the API's back: each API is closed and its store deleted after every test. Call it once
 * at the top of a file, and the function it returns in `beforeEach` with the API's options (the demo's size, the day
 * it believes is today).
 */
export function freshAppApis(
  prefix: string,
): (options: Parameters<typeof createAppApi>[1]) => { api: TestAppApi; open: () => VitalsDb } {
  const made: { api: TestAppApi; open: () => VitalsDb }[] = [];
  let n = 0;
  afterEach(async () => {
    for (const { api, open } of made.splice(0)) {
      await api.close();
      await open().delete();
    }
  });
  return (options) => {
    const name = `${prefix}-${++n}`;
    const open = () => new VitalsDb(name, { indexedDB, IDBKeyRange });
    const fresh = { api: createAppApi(open, options, open), open };
    made.push(fresh);
    return fresh;
  };
}
