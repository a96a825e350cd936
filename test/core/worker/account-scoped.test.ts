import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Dashboard } from "../../../core/insights/portfolio-view.ts";
import { type Day, parseIsoDay } from "../../../core/schema/day.ts";
import { VitalsDb } from "../../../core/store/db.ts";
import { VIEW_CHUNK } from "../../../core/store/views.ts";
import { createAppApi } from "../../../core/worker/app-api.ts";

/**
 * Issue 14, account-scoped reads: a worker that has not scored the portfolio (a cold start, "Open in Vitals") shows
 * an account and takes a CSM's rating from that account's rows alone, with exactly the results, views, badges and
 * alerts the whole portfolio's scoring gives.
 */
const TODAY = parseIsoDay("2025-06-30") as Day;
/** Enough for the demo to have a parent with subsidiaries (one per hundred accounts). */
const ACCOUNTS = 120;
let name: string;
let n = 0;
/** Rows of blocks (an account × year each) read through connections this test opened, since the last reset. */
let blocksRead = 0;

const open = () => {
  const db = new VitalsDb(name, { indexedDB, IDBKeyRange });
  db.accountYears.hook("reading", (block) => {
    blocksRead++;
    return block;
  });
  return db;
};
const api = () => createAppApi(open, { demoAccounts: ACCOUNTS, today: () => TODAY }, open);

beforeEach(() => {
  name = `account-scoped-${++n}`;
  blocksRead = 0;
});
afterEach(async () => {
  await new VitalsDb(name, { indexedDB, IDBKeyRange }).delete();
});

/** A dashboard with its trend's averages rounded (a patched trend sums in another order). */
const rounded = (d: Dashboard) => ({
  ...d,
  trend: { ...d.trend, average: d.trend.average.map((v) => (Number.isNaN(v) ? v : Math.round(v * 1e9) / 1e9)) },
});

/** Everything a scoring stores, in a fixed order. */
async function storedResults() {
  const db = new VitalsDb(name, { indexedDB, IDBKeyRange });
  const latest = await db.latestResults.orderBy(["scorecardId", "accountId"]).toArray();
  const history = (await db.history.orderBy(["scorecardId", "accountId"]).toArray()).map((h) => ({
    ...h,
    scores: Array.from(h.scores),
  }));
  const alerts = (await db.alerts.toArray())
    .map(({ id: _id, ...a }) => a)
    .sort((x, y) => `${x.accountId} ${x.ruleId}`.localeCompare(`${y.accountId} ${y.ruleId}`));
  db.close();
  return { latest, history, alerts };
}

describe("account-scoped reads and rescores", () => {
  it("a cold account page reads that account's blocks only and equals the whole portfolio's", async () => {
    const warm = api();
    await warm.loadDemo("j1");
    const rows = await warm.accounts();
    expect(rows.length).toBe(ACCOUNTS);
    // A rating the day before (it counts, as of the data's last day), to score ratings one account at a time too.
    const rated = rows.find((r) => r.shown?.points !== null)?.id as string;
    await warm.addManualInput({ accountId: rated, rating: 2, author: "Ana" });
    const cold = api();
    const db = open();
    try {
      let withParent = 0;
      let withChildren = 0;
      for (const row of await warm.accounts()) {
        const whole = await warm.account(row.id);
        const own = await db.accountYears.where("accountId").equals(row.id).count();
        blocksRead = 0;
        const one = await cold.account(row.id);
        expect(blocksRead, row.id).toBe(own);
        expect(one, row.id).toEqual(whole);
        if (one.parent) withParent++;
        if (one.children.length > 0) withChildren++;
      }
      // The demo has parents and children: their relations come from the accounts' index, not the portfolio.
      expect(withParent).toBeGreaterThan(0);
      expect(withChildren).toBeGreaterThan(0);
      expect((await cold.account(rated)).manualInputs[0]?.rating).toBe(2);
      await expect(cold.account("no-such-account")).rejects.toMatchObject({ name: "InputError" });
    } finally {
      db.close();
      await warm.close();
      await cold.close();
    }
  }, 120_000);

  it("a rating rescores one account: stored results, table row, dashboard, badges and alerts as a full rescore's", async () => {
    const first = api();
    await first.loadDemo("j1");
    await first.close();
    // A cold worker: the rating is taken without scoring the portfolio.
    const cold = api();
    const before = await cold.accounts();
    const beforeToken = await cold.accountsToken();
    const beforeDashboard = await cold.dashboard();
    // An account whose primary score counts a CSM sentiment above 1: a rating of 1 lowers it.
    let target: (typeof before)[number] | undefined;
    for (const row of before) {
      const sentiment = (await cold.account(row.id)).results[0]?.factors.find((f) => f.factorId === "csm-sentiment");
      if (
        row.shown?.points != null &&
        sentiment?.status === "ok" &&
        typeof sentiment.value === "number" &&
        sentiment.value > 1
      ) {
        target = row;
        break;
      }
    }
    expect(target).toBeDefined();
    const id = target?.id as string;
    const db = open();
    const own = await db.accountYears.where("accountId").equals(id).count();
    db.close();
    // Two ratings in a row: the second patches the views the first wrote (held by the worker), then the same day's
    // latest rating is the one that counts.
    await cold.addManualInput({ accountId: id, rating: 5, author: "Ana" });
    blocksRead = 0;
    await cold.addManualInput({ accountId: id, rating: 1, note: "Champion left", author: "Ana" });
    expect(blocksRead).toBe(own);
    const dashboard = await cold.dashboard();
    const rows = await cold.accounts();
    // The bridge's delta: the rated account's badge alone, as the whole set gives it, from no block read.
    const delta = await cold.badgeDelta([id], "http://app.test/");
    expect(blocksRead).toBe(own);
    const badges = await cold.badgeSet("http://app.test/");
    expect(delta?.accounts).toEqual(badges.accounts.filter((a) => a.id === id));
    expect(delta).toMatchObject({ format: "vitals-badges", version: 1, pwaUrl: "http://app.test/" });
    // The account page after the rating is explained from the rescore's own scoring: no block is read again.
    const detail = await cold.account(id);
    expect(blocksRead).toBe(own);
    // The accounts page keeps its rows and patches them with the rated account's (accounts-rows.ts): that gives every
    // row as read whole, under a token that moved with the rating and now matches the worker's.
    const patch = await cold.accountRows([id, "no-such-account"]);
    expect(patch.token).not.toBe(beforeToken);
    expect(patch.token).toBe(await cold.accountsToken());
    expect(before.map((r) => patch.rows.find((p) => p.id === r.id) ?? r)).toEqual(rows);
    expect(patch.rows.map((r) => r.id)).toEqual([id]);
    await expect(cold.accountRows("all" as unknown as string[])).rejects.toMatchObject({ name: "InputError" });
    // The row, the dashboard and the badge moved with the account page.
    const row = rows.find((r) => r.id === id);
    expect(row?.shown).toEqual(detail.shown);
    expect(row?.shown?.points).toBeLessThan(target?.shown?.points as number);
    expect(badges.accounts.find((a) => a.id === id)?.shown).toBe(detail.shown?.points);
    expect(dashboard.averageScore as number).toBeLessThan(beforeDashboard.averageScore as number);
    const patched = await storedResults();
    await cold.close();

    // The same store scored whole: every stored result, view, badge and alert is the same.
    const full = api();
    await full.rescore("j2");
    expect(rounded(await full.dashboard())).toEqual(rounded(dashboard));
    expect(await full.accounts()).toEqual(rows);
    const fullBadges = await full.badgeSet("http://app.test/");
    expect(fullBadges.accounts).toEqual(badges.accounts);
    // An override changes no score: its delta carries the account's badge with the override, as the whole set does.
    const other = rows.find((r) => r.id !== id && r.shown !== null)?.id as string;
    await full.setOverride({
      accountId: other,
      score: 12,
      reason: "Exec sponsor gone",
      author: "Ana",
      expiresOn: "2025-07-30",
    });
    const overridden = await full.badgeDelta([other, id], "http://app.test/");
    const after = await full.badgeSet("http://app.test/");
    expect(overridden?.accounts).toEqual(after.accounts.filter((a) => a.id === other || a.id === id));
    expect(overridden?.accounts.find((a) => a.id === other)?.override?.text).toContain("Exec sponsor gone");
    expect(await full.badgeDelta(["no-such-account"], "http://app.test/")).toBeNull();
    expect(await full.account(id)).toEqual(detail);
    expect(await storedResults()).toEqual(patched);
    await full.close();

    // Another tab's rating after this worker's moves the inputs token: this worker scores the account again rather
    // than explain it from its own last rescore.
    const worker = api();
    await worker.addManualInput({ accountId: id, rating: 5, author: "Ana" });
    const kept = await worker.accountsToken();
    const tab = api();
    await tab.addManualInput({ accountId: id, rating: 1, note: "", author: "Bo" });
    await tab.close();
    // Rows kept under this worker's token are not the store's any more.
    expect(await worker.accountsToken()).not.toBe(kept);
    const fresh = api();
    const expected = await fresh.account(id);
    await fresh.close();
    expect(await worker.account(id)).toEqual(expected);
    await worker.close();
  }, 120_000);

  it("ratings write only the changed chunks of the stored table and badges, which read back as a full rescore's", async () => {
    // More accounts than one chunk holds, so a rating in the second chunk leaves the first as it was.
    const accounts = VIEW_CHUNK + 100;
    const big = () => createAppApi(open, { demoAccounts: accounts, today: () => TODAY }, open);
    const first = big();
    await first.loadDemo("j1");
    const rows = await first.accounts();
    expect(rows.length).toBe(accounts);
    // An account in each chunk whose primary score counts a CSM sentiment above 1: a rating of 1 lowers it.
    const lowered = async (from: number, to: number) => {
      for (const row of rows.slice(from, to)) {
        if (row.shown?.points == null) continue;
        const f = (await first.account(row.id)).results[0]?.factors.find((x) => x.factorId === "csm-sentiment");
        if (f?.status === "ok" && typeof f.value === "number" && f.value > 1) return row.id;
      }
      throw new Error(`no account to lower among rows ${from}-${to}`);
    };
    const late = await lowered(VIEW_CHUNK, accounts);
    const early = await lowered(0, VIEW_CHUNK);
    await first.close();
    const chunk = async (key: string) => {
      const db = open();
      const row = await db.meta.get(key);
      db.close();
      return row?.value;
    };
    const firstChunk = await chunk("views.rows.0");
    const firstBadges = await chunk("views.badges.0");
    const secondChunk = await chunk("views.rows.1");
    expect(firstChunk).toBeDefined();
    expect(firstBadges).toBeDefined();
    const cold = big();
    await cold.addManualInput({ accountId: late, rating: 1, author: "Ana" });
    // The first chunks were not written again; the second one, which holds the account, was.
    expect(await chunk("views.rows.0")).toEqual(firstChunk);
    expect(await chunk("views.badges.0")).toEqual(firstBadges);
    expect(await chunk("views.rows.1")).not.toEqual(secondChunk);
    await cold.addManualInput({ accountId: early, rating: 1, author: "Ana" });
    await cold.close();

    // A new worker reads the patched views from the store: the same as the whole portfolio scored again.
    const reader = big();
    const stored = {
      rows: await reader.accounts(),
      dashboard: rounded(await reader.dashboard()),
      badges: (await reader.badgeSet("http://app.test/")).accounts,
    };
    await reader.close();
    for (const id of [late, early]) {
      const points = (list: typeof rows) => list.find((r) => r.id === id)?.shown?.points as number;
      expect(points(stored.rows)).toBeLessThan(points(rows));
    }
    const full = big();
    await full.rescore("j2");
    expect(stored.rows).toEqual(await full.accounts());
    expect(stored.dashboard).toEqual(rounded(await full.dashboard()));
    expect(stored.badges).toEqual((await full.badgeSet("http://app.test/")).accounts);
    await full.close();
  }, 240_000);

  it("without stored views to patch, a rating scores the portfolio as before", async () => {
    const first = api();
    await first.loadDemo("j1");
    const id = (await first.accounts())[0]?.id as string;
    await first.close();
    const db = open();
    const total = await db.accountYears.count();
    // The inputs changed behind the views' back (as an import does): they are not current, so not patched.
    await db.meta.put({ key: "inputs", value: "changed" });
    db.close();
    const cold = api();
    blocksRead = 0;
    await cold.addManualInput({ accountId: id, rating: 5, author: "Ana" });
    expect(blocksRead).toBe(total);
    expect((await cold.accounts()).find((r) => r.id === id)?.shown).toEqual((await cold.account(id)).shown);
    await cold.close();
  }, 120_000);
});
