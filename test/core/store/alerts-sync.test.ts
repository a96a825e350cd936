import type { DBCoreGetManyRequest, DBCoreMutateRequest, DBCoreTransaction } from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlertHit } from "../../../core/alerts/evaluate.ts";
import { type Day, parseIsoDay } from "../../../core/schema/day.ts";
import { listAlerts, syncAlerts } from "../../../core/store/alerts.ts";
import { type AlertRow, VitalsDb } from "../../../core/store/db.ts";
import { wrapTables } from "../../support/dbcore.ts";

/**
 * A rescore brings the inbox in line with the rules that hold (syncAlerts). At tier M that is over a thousand open
 * alerts: written in one transaction they passed Chromium's 1 MiB in-memory limit, so IndexedDB wrote them beside an
 * undo copy of every row they replaced, and the next cold starts replayed both (core/store/small-writes.ts). These
 * tests hold syncAlerts to: nothing written when nothing changed, small transactions otherwise, and a CSM's change
 * made meanwhile never overwritten.
 */
let name: string;
let n = 0;
beforeEach(() => {
  name = `alerts-sync-${++n}`;
});
afterEach(async () => {
  await new VitalsDb(name, { indexedDB, IDBKeyRange }).delete();
});

const hit = (accountId: string, over: Partial<AlertHit> = {}): AlertHit => ({
  scorecardId: "usage",
  ruleId: "red-band",
  kind: "band",
  accountId,
  title: "Score entered the red band",
  message: `Score 31 on 2025-03-12, in the red band since 2025-03-02. ${"Usage fell in every team. ".repeat(30)}`,
  since: "2025-03-02",
  ...over,
});

interface Written {
  puts: number;
  bytes: number;
}

/** A connection that records what each transaction puts into the alerts table, and can act inside one. */
function recordingDb(beforeRead?: (trans: DBCoreTransaction, put: (row: AlertRow) => Promise<unknown>) => unknown) {
  const db = new VitalsDb(name, { indexedDB, IDBKeyRange });
  const writes = new Map<DBCoreTransaction, Written>();
  wrapTables(db, (table, t) =>
    table !== "alerts"
      ? t
      : {
          ...t,
          mutate: (req: DBCoreMutateRequest) => {
            if (req.type === "put" || req.type === "add") {
              const w = writes.get(req.trans) ?? { puts: 0, bytes: 0 };
              w.puts += req.values.length;
              w.bytes += req.values.reduce((s: number, v: unknown) => s + JSON.stringify(v).length * 2, 0);
              writes.set(req.trans, w);
            }
            return t.mutate(req);
          },
          getMany: async (req: DBCoreGetManyRequest) => {
            await beforeRead?.(req.trans, (row) => t.mutate({ type: "put", trans: req.trans, values: [row] }));
            return t.getMany(req);
          },
        },
  );
  return { db, writes: () => [...writes.values()] };
}

const day = (iso: string) => parseIsoDay(iso) as Day;
const DAY = day("2025-03-12");
const NEXT_DAY = day("2025-03-13");

describe("syncAlerts", () => {
  it("writes nothing on a second rescore of the same day with the same rules holding", async () => {
    const hits = Array.from({ length: 50 }, (_, i) => hit(`a${i}`));
    const first = recordingDb();
    expect(await syncAlerts(first.db, hits, DAY)).toBe(50);
    expect(first.writes().reduce((s, w) => s + w.puts, 0)).toBe(50);
    first.db.close();

    const again = recordingDb();
    expect(await syncAlerts(again.db, hits, DAY)).toBe(50);
    expect(again.writes()).toEqual([]);
    expect(await again.db.alerts.count()).toBe(50);
    again.db.close();
  });

  it("refreshes over a thousand alerts on a new day in transactions well under 1 MiB", async () => {
    const hits = Array.from({ length: 1500 }, (_, i) => hit(`a${i}`));
    const setup = recordingDb();
    await syncAlerts(setup.db, hits, DAY);
    setup.db.close();

    const { db, writes } = recordingDb();
    expect(await syncAlerts(db, hits, NEXT_DAY)).toBe(1500);
    const all = writes();
    expect(all.length).toBeGreaterThan(1);
    expect(all.reduce((s, w) => s + w.puts, 0)).toBe(1500);
    expect(Math.max(...all.map((w) => w.bytes))).toBeLessThanOrEqual(768 * 1024);
    const stored = await db.alerts.toArray();
    expect(stored).toHaveLength(1500);
    expect(new Set(stored.map((a) => a.updatedOn))).toEqual(new Set(["2025-03-13"]));
    expect(new Set(stored.map((a) => a.raisedOn))).toEqual(new Set(["2025-03-12"]));
    db.close();
  });

  it("keeps a CSM's snooze made between the rescore's read and its write, and writes the rest", async () => {
    const hits = [hit("a1"), hit("a2")];
    const setup = recordingDb();
    await syncAlerts(setup.db, hits, DAY);
    const [a1] = await setup.db.alerts.where("accountId").equals("a1").toArray();
    setup.db.close();
    if (!a1) throw new Error("no alert for a1");

    let snoozed = false;
    const { db } = recordingDb(async (_trans, put) => {
      if (snoozed) return;
      snoozed = true;
      await put({ ...a1, status: "snoozed", snoozedUntil: "2025-03-20" });
    });
    // On the next day both alerts would be refreshed; a1's was snoozed meanwhile, so only a2's is.
    expect(await syncAlerts(db, hits, NEXT_DAY)).toBe(1);
    const after = await listAlerts(db, NEXT_DAY);
    expect(after.find((a) => a.accountId === "a1")).toMatchObject({
      status: "snoozed",
      snoozedUntil: "2025-03-20",
      updatedOn: "2025-03-12",
    });
    expect(after.find((a) => a.accountId === "a2")).toMatchObject({ status: "open", updatedOn: "2025-03-13" });
    db.close();
  });

  it("raises, refreshes and marks cleared alerts as before", async () => {
    const setup = recordingDb();
    await syncAlerts(setup.db, [hit("a1"), hit("a2")], DAY);
    setup.db.close();
    const { db } = recordingDb();
    // a2's condition cleared, a3's is new.
    expect(await syncAlerts(db, [hit("a1"), hit("a3")], NEXT_DAY)).toBe(3);
    const after = await listAlerts(db, NEXT_DAY);
    expect(after.find((a) => a.accountId === "a2")).toMatchObject({ status: "open", clearedOn: "2025-03-13" });
    expect(after.find((a) => a.accountId === "a3")).toMatchObject({ status: "open", raisedOn: "2025-03-13" });
    db.close();
  });
});
