import type { DBCoreMutateRequest, DBCoreTransaction } from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HistoryRow, type LatestResultRow, type MetaRow, VitalsDb } from "../../../core/store/db.ts";
import { replaceResults, writeViewRows } from "../../../core/store/results.ts";
import { runsBySize, WRITE_BUDGET } from "../../../core/store/small-writes.ts";
import { wrapTables } from "../../support/dbcore.ts";

/**
 * Issue 14: a rescore rewrites tens of megabytes of scores. Written in one transaction (or with a clear), Chromium
 * keeps an on-disk copy of all it replaced, and every later open of the database reads through it (180–270 ms per
 * cold start, measured). These tests hold the store to what avoids that: small transactions that put, and deletes
 * only of rows that are gone, in transactions of their own; and they check the rows end up exactly as computed.
 */
let name: string;
let n = 0;
beforeEach(() => {
  name = `results-${++n}`;
});
afterEach(async () => {
  await new VitalsDb(name, { indexedDB, IDBKeyRange }).delete();
});

interface Recorded {
  tables: Set<string>;
  puts: number;
  putBytes: number;
  deletes: number;
  ranges: number;
}

/** A connection that records, per transaction, what it writes (through Dexie's DBCore, under every table method). */
function recordingDb() {
  const db = new VitalsDb(name, { indexedDB, IDBKeyRange });
  const transactions = new Map<DBCoreTransaction, Recorded>();
  const bytes = (value: unknown): number => {
    const scores = (value as { scores?: unknown }).scores;
    return scores instanceof Float32Array ? scores.byteLength + 64 : JSON.stringify(value).length * 2;
  };
  wrapTables(db, (table, t) => ({
    ...t,
    mutate: (req: DBCoreMutateRequest) => {
      let r = transactions.get(req.trans);
      if (!r) {
        r = { tables: new Set(), puts: 0, putBytes: 0, deletes: 0, ranges: 0 };
        transactions.set(req.trans, r);
      }
      r.tables.add(table);
      if (req.type === "put" || req.type === "add") {
        r.puts += req.values.length;
        r.putBytes += req.values.reduce((s: number, v: unknown) => s + bytes(v), 0);
      } else if (req.type === "delete") r.deletes += req.keys.length;
      else r.ranges++;
      return t.mutate(req);
    },
  }));
  return { db, written: () => [...transactions.values()] };
}

const CARDS = ["adoption", "support"];
/** A computation's rows: every account on every scorecard, scores filled with `seed`. */
function computed(accounts: number, seed: number, cards = CARDS) {
  const latest: LatestResultRow[] = [];
  const history: HistoryRow[] = [];
  for (let a = 0; a < accounts; a++) {
    const accountId = `acc-${String(a).padStart(5, "0")}`;
    for (const scorecardId of cards) {
      latest.push({
        scorecardId,
        accountId,
        asOf: "2026-12-01",
        score: seed + a,
        previousScore: null,
        coverage: 1,
        band: 0,
        drags: ["usage"],
        primary: scorecardId === cards[0],
      });
      history.push({ scorecardId, accountId, from: 20_000, scores: new Float32Array(365).fill(seed + a) });
    }
  }
  return { latest, history };
}
const meta = (asOf: string) => ({ asOf, scoredAt: `${asOf}T00:00:00.000Z`, dataEnd: asOf });

describe("replaceResults", () => {
  it("rewrites a year of scores in transactions well under 1 MiB, putting over the old rows and clearing nothing", async () => {
    const { db, written } = recordingDb();
    const first = computed(1500, 1);
    await replaceResults(db, first.latest, first.history, meta("2026-11-30"));
    const again = computed(1500, 2);
    const before = written().length;
    await replaceResults(db, again.latest, again.history, meta("2026-12-01"));
    const rescore = written().slice(before);

    // 3,000 history rows of ~1.5 KB: about 4.5 MB, in several transactions, each well under Chromium's 1 MiB
    // (counted generously here: the results' other fields as JSON text, two bytes a character).
    const scoreWrites = rescore.filter((t) => t.tables.has("history"));
    expect(scoreWrites.length).toBeGreaterThan(4);
    for (const t of rescore) {
      expect(t.putBytes).toBeLessThan(1024 * 1024);
      // Nothing cleared or deleted by range, and nothing deleted at all: every old row has a new one.
      expect(t.ranges).toBe(0);
      expect(t.deletes).toBe(0);
    }
    // Each transaction holds both tables' rows of whole accounts.
    for (const t of scoreWrites) expect([...t.tables].sort()).toEqual(["history", "latestResults"]);

    const history = await db.history.toArray();
    expect(history).toHaveLength(3000);
    expect(history.every((h) => h.scores[0] === 2 + Number(h.accountId.slice(4)))).toBe(true);
    expect((await db.latestResults.get(["support", "acc-00042"]))?.score).toBe(44);
    expect((await db.meta.get("scored"))?.value).toEqual(meta("2026-12-01"));
    db.close();
  });

  it("deletes the rows of accounts and scorecards a new computation no longer has, in small transactions that only delete", async () => {
    const { db, written } = recordingDb();
    const first = computed(600, 1, ["adoption", "support", "retired"]);
    await replaceResults(db, first.latest, first.history, meta("2026-11-30"));
    const fewer = computed(400, 5);
    const before = written().length;
    await replaceResults(db, fewer.latest, fewer.history, meta("2026-12-01"));
    const rescore = written().slice(before);

    const deleting = rescore.filter((t) => t.deletes > 0);
    expect(deleting.reduce((s, t) => s + t.deletes, 0)).toBe(2 * (600 * 3 - 400 * 2));
    for (const t of deleting) {
      expect(t.puts).toBe(0);
      expect(t.deletes).toBeLessThanOrEqual(200);
    }
    expect(rescore.every((t) => t.ranges === 0)).toBe(true);

    expect(await db.history.count()).toBe(800);
    expect(await db.latestResults.count()).toBe(800);
    expect(await db.history.get(["retired", "acc-00001"])).toBeUndefined();
    expect(await db.latestResults.where("accountId").equals("acc-00500").count()).toBe(0);
    expect((await db.history.get(["adoption", "acc-00399"]))?.scores[0]).toBe(5 + 399);
    db.close();
  });
});

describe("writeViewRows", () => {
  const head = (key: string, chunks: number) => ({ key, value: { stamp: { asOf: "x" }, chunks, count: chunks } });
  const chunk = (key: string, k: number, size: number) => ({
    key: `${key}.${k}`,
    value: { view: Array.from({ length: size }, (_, i) => ({ id: `a${k}-${i}`, name: "x".repeat(280) })) },
  });

  it("writes the chunks first in small transactions, then the heads with the scored record in one, then drops chunks past the count", async () => {
    const { db, written } = recordingDb();
    const rows = (chunks: number): MetaRow[] => [
      head("views.rows", chunks),
      ...Array.from({ length: chunks }, (_, k) => chunk("views.rows", k, 500)),
      { key: "views.dashboard", value: { stamp: { asOf: "x" }, view: {} } },
    ];
    await writeViewRows(db, rows(6), [{ key: "scored", value: 1 }]);
    const before = written().length;
    await writeViewRows(db, rows(2), [{ key: "scored", value: 2 }]);
    const second = written().slice(before);

    // Two chunks (~300 KB each as text): one transaction each; then the heads and the scored record; then deletes.
    expect(second.map((t) => [t.puts, t.deletes])).toEqual([
      [1, 0],
      [1, 0],
      [3, 0],
      [0, 4],
    ]);
    expect(second.every((t) => t.putBytes <= WRITE_BUDGET)).toBe(true);
    const keys = (await db.meta.toCollection().primaryKeys()).sort();
    expect(keys).toEqual(["scored", "views.dashboard", "views.rows", "views.rows.0", "views.rows.1"]);
    expect((await db.meta.get("scored"))?.value).toBe(2);
    db.close();
  });
});

describe("runsBySize", () => {
  it("keeps the order, fills each run up to the budget and puts an item larger than it alone", () => {
    expect(runsBySize([3, 4, 2, 9, 1, 1, 5], (x) => x, 6)).toEqual([[3], [4, 2], [9], [1, 1], [5]]);
    expect(runsBySize([], (x: number) => x, 6)).toEqual([]);
  });
});
