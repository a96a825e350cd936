import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { writeBlocks } from "../../../core/store/block-table.ts";
import { VitalsDb, type YearBlockRow } from "../../../core/store/db.ts";
import { loadPortfolio } from "../../../core/store/portfolio.ts";

let db: VitalsDb | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
});

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

/**
 * 2,001 accounts × 2 metrics: 4,002 blocks, written in reverse key order. Account k's
 * "logins" block is of 2024 with days 59 and 60 (29 February and 1 March, a leap year), values k and k + 0.5; its
 * "seats" block is of 2025 with day 0 (1 January), value −k. A block of an account that no longer exists is left out.
 */
const ACCOUNTS = 2001;
const id = (k: number) => `acc-${String(k).padStart(4, "0")}`;

async function seeded(): Promise<VitalsDb> {
  const store = new VitalsDb(`portfolio-read-${Math.random()}`, { indexedDB, IDBKeyRange });
  const blocks: YearBlockRow[] = [];
  for (let k = 0; k < ACCOUNTS; k++) {
    blocks.push({
      accountId: id(k),
      metric: "logins",
      year: 2024,
      days: Uint16Array.of(59, 60),
      values: Float64Array.of(k, k + 0.5),
    });
    blocks.push({
      accountId: id(k),
      metric: "seats",
      year: 2025,
      days: Uint16Array.of(0),
      values: Float64Array.of(-k),
    });
  }
  blocks.push({ accountId: "gone", metric: "logins", year: 2024, days: Uint16Array.of(1), values: Float64Array.of(9) });
  await store.accounts.bulkPut(Array.from({ length: ACCOUNTS }, (_, k) => ({ id: id(k), name: `Account ${k}` })));
  // Written in reverse, so the read's order comes from the keys, not from the order of writing.
  await writeBlocks(store, blocks.reverse());
  return store;
}

describe("loadPortfolio", () => {
  it("gets every observation of thousands of blocks as per-metric columns, in account order", async () => {
    db = await seeded();
    const stored = await loadPortfolio(db);
    expect(stored.accounts).toHaveLength(ACCOUNTS);
    expect(stored.metrics.map((m) => m.metric)).toEqual(["logins", "seats"]);
    const [logins, seats] = stored.metrics;
    // logins: two observations per account (29 February and 1 March 2024), values k and k + 0.5; "gone" is not there.
    expect(logins?.account).toHaveLength(2 * ACCOUNTS);
    expect(Array.from(logins?.account.subarray(0, 4) ?? [])).toEqual([0, 0, 1, 1]);
    expect(Array.from(logins?.day.subarray(0, 2) ?? [])).toEqual([dayOf("2024-02-29"), dayOf("2024-03-01")]);
    expect(Array.from(logins?.value.subarray(-2) ?? [])).toEqual([2000, 2000.5]);
    expect(logins?.account.at(-1)).toBe(2000);
    // seats: one observation per account, on 1 January 2025, value −k.
    expect(seats?.account).toHaveLength(ACCOUNTS);
    expect(seats?.day.every((d) => d === dayOf("2025-01-01"))).toBe(true);
    expect(Array.from(seats?.value ?? []).every((v, k) => v === -k && seats?.account[k] === k)).toBe(true);
    let sum = 0;
    for (const v of logins?.value ?? []) sum += v;
    // Σ (k + k + 0.5) over k = 0…2000 = 2 · 2000 · 2001 / 2 + 0.5 · 2001.
    expect(sum).toBe(2000 * 2001 + 1000.5);
  });
});
