import Dexie, { type DBCore, type Middleware } from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { browser } from "wxt/browser";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { buildIndex } from "../../../core/match/match-index.ts";
import { PACKED_INDEX_VERSION, positionOf, shardIndex, shardKey } from "../../../core/match/packed-index.ts";
import { type BadgeAccount, type BadgeAccountInput, BadgeSet, badgeCard } from "../../../core/schema/badge.ts";
import {
  BADGE_DATABASE_NAME,
  BadgeDb,
  badgeAccounts,
  replaceBadgeSet,
  searchBadgeAccounts,
  setInfo,
} from "../../../extension/background/badge-store.ts";
import { createBackground, type Sender } from "../../../extension/background/handle-message.ts";
import type { LookupReply } from "../../../extension/messages.ts";
import { account } from "../../fixtures/pages/accounts.ts";

Dexie.dependencies.indexedDB = indexedDB;
Dexie.dependencies.IDBKeyRange = IDBKeyRange;

// A service worker that wakes has lost its memory: here, a new database connection and a new background over the
// same stored data. Its first lookup must come from the index stored beside the set, not from the accounts again.

const ticketUrl = "https://acme.zendesk.com/agent/tickets/1";
const content = (): Sender => ({ id: browser.runtime.id, tab: { id: 7, url: ticketUrl }, url: ticketUrl });
const lookup = (domains: string[]) => ({
  type: "lookup",
  identifiers: domains.map((value) => ({ kind: "domain", value })),
  texts: [],
});

const accounts = (n: number): BadgeAccountInput[] =>
  Array.from({ length: n }, (_, i) => account({ id: `acc-${i}`, name: `Company ${i}`, domains: [`c${i}.com`] }));
const setOf = (list: BadgeAccountInput[]) =>
  BadgeSet.parse({ format: "vitals-badges", version: 1, generatedAt: "2026-11-20T10:00:00Z", accounts: list });

/** Every read the database serves, as `table:operation` (a DBCore middleware sees each request). */
function readLog(db: Dexie): string[] {
  const reads: string[] = [];
  const middleware: Middleware<DBCore> = {
    stack: "dbcore",
    name: "read-log",
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        return {
          ...table,
          get: (req) => {
            reads.push(`${name}:get`);
            return table.get(req);
          },
          getMany: (req) => {
            reads.push(`${name}:getMany:${req.keys.length}`);
            return table.getMany(req);
          },
          query: (req) => {
            reads.push(`${name}:query`);
            return table.query(req);
          },
          openCursor: (req) => {
            reads.push(`${name}:openCursor`);
            return table.openCursor(req);
          },
          count: (req) => {
            reads.push(`${name}:count`);
            return table.count(req);
          },
        };
      },
    }),
  };
  db.use(middleware);
  return reads;
}

describe("the first lookup after a service-worker wake", () => {
  let name: string;
  beforeEach(() => {
    fakeBrowser.reset();
    name = `wake-${Math.random()}`;
  });
  afterEach(async () => {
    await Dexie.delete(name);
  });

  it("reads the index's head, the shards its keys are in and the matched accounts' chunks, never the whole set", async () => {
    const before = new BadgeDb(name);
    await replaceBadgeSet(before, setOf(accounts(3000)), { kind: "file", fileName: "b.json" });
    const shardCount = await before.shards.count();
    before.close();
    // 3,000 accounts: each table of a few thousand keys is in several shards.
    expect(shardCount).toBeGreaterThan(20);

    const woken = new BadgeDb(name);
    const reads = readLog(woken);
    const reply = (await createBackground(woken).handleMessage(
      lookup(["c5.com", "c2500.com", "nobody.com"]),
      content(),
    )) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-5", "acc-2500", null]);
    expect(reply.accounts.map((a) => a.id).sort()).toEqual(["acc-2500", "acc-5"]);
    // One read of the head (and of the set's info beside it), then one of the shards the three domains are in
    // (at most three rows), then one of the two matched accounts' chunks: no scan of any table.
    expect(reads.filter((r) => r.startsWith("packed:"))).toEqual(["packed:get"]);
    expect(reads.filter((r) => r.startsWith("chunks:"))).toEqual(["chunks:getMany:2"]);
    const shardReads = reads.filter((r) => r.startsWith("shards:"));
    expect(shardReads).toHaveLength(1);
    expect(Number(shardReads[0]?.split(":")[2])).toBeLessThanOrEqual(3);
    expect(reads.some((r) => r.endsWith(":query") || r.endsWith(":openCursor"))).toBe(false);

    // The next lookup of the same accounts reads nothing: what the first one read stays in memory.
    reads.length = 0;
    const again = (await createBackground(woken).handleMessage(lookup(["c5.com"]), content())) as LookupReply;
    expect(again.identifiers).toEqual(["acc-5"]);
    woken.close();
  });

  it("answers an id two accounts share as the index built whole does: no account, since the id names neither", async () => {
    const db = new BadgeDb(name);
    const list = [
      account({ id: "dup", name: "First Co", domains: ["first.com"] }),
      ...accounts(700),
      account({ id: "dup", name: "Second Co", domains: ["second.com"] }),
    ];
    await replaceBadgeSet(db, setOf(list), { kind: "file", fileName: "b.json" });
    db.close();
    const woken = new BadgeDb(name);
    const reply = (await createBackground(woken).handleMessage(lookup(["second.com"]), content())) as LookupReply;
    expect(reply.identifiers).toEqual(["dup"]);
    const built = buildIndex(setOf(list).accounts);
    expect(positionOf(built, "dup")).toBeUndefined();
    expect(reply.accounts).toEqual([]);
    woken.close();
  });

  it("keeps what it read between lookups of one wake", async () => {
    const db = new BadgeDb(name);
    await replaceBadgeSet(db, setOf(accounts(300)), { kind: "file", fileName: "b.json" });
    const background = createBackground(db);
    await background.handleMessage(lookup(["c5.com"]), content());
    const reads = readLog(db);
    const reply = (await background.handleMessage(lookup(["c5.com"]), content())) as LookupReply;
    expect(reply.accounts.map((a) => a.id)).toEqual(["acc-5"]);
    expect(reads.filter((r) => r.startsWith("shards:") || r.startsWith("chunks:") || r.startsWith("packed:"))).toEqual(
      [],
    );
    db.close();
  });

  it("answers from the stored index as it is: it is not rebuilt from the accounts", async () => {
    const db = new BadgeDb(name);
    await replaceBadgeSet(db, setOf(accounts(3)), { kind: "file", fileName: "b.json" });
    // An index stored for the same number of accounts but other domains: a reader that rebuilt would not see it.
    const other = shardIndex(setOf(accounts(3).map((a, i) => ({ ...a, domains: [`other${i}.com`] }))).accounts);
    await db.shards.clear();
    await db.shards.bulkPut(other.shards.map((s) => ({ key: shardKey(s.table, s.shard), value: s.packed })));
    await db.packed.put({ key: "head", value: other.head });
    const reply = (await createBackground(db).handleMessage(
      lookup(["other1.com", "c1.com"]),
      content(),
    )) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-1", null]);
    db.close();
  });

  it("rebuilds an index of another version (or none) from the accounts, and stores it for the next wake", async () => {
    const db = new BadgeDb(name);
    await replaceBadgeSet(db, setOf(accounts(3)), { kind: "file", fileName: "b.json" });
    const head = (await db.packed.get("head"))?.value as object;
    await db.packed.put({ key: "head", value: { ...head, version: PACKED_INDEX_VERSION - 1 } });
    await db.shards.clear();
    await db.packed.delete("terms");
    const reply = (await createBackground(db).handleMessage(lookup(["c2.com"]), content())) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-2"]);
    const stored = (await db.packed.get("head"))?.value as { version: number; count: number };
    expect(stored).toMatchObject({ version: PACKED_INDEX_VERSION, count: 3 });
    expect(await db.shards.count()).toBeGreaterThan(0);
    expect((await searchBadgeAccounts(db, "company 1")).map((a) => a.id)).toEqual(["acc-1"]);
    db.close();
  });

  it("rebuilds the index when a shard its head names is missing or damaged, and answers rightly", async () => {
    const db = new BadgeDb(name);
    await replaceBadgeSet(db, setOf(accounts(3)), { kind: "file", fileName: "b.json" });
    await db.shards.delete("domains/0");
    await db.shards.put({ key: "ids/0", value: { keys: 1 } });
    const reply = (await createBackground(db).handleMessage(lookup(["c2.com"]), content())) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-2"]);
    expect(reply.accounts.map((a) => a.id)).toEqual(["acc-2"]);
    expect(await db.shards.get("domains/0")).toBeDefined();
    expect([...(await badgeAccounts(db, ["acc-0"])).keys()]).toEqual(["acc-0"]);
    db.close();
  });
});

describe("the badge database's upgrade from versions 2 and 3 (the index in one row)", () => {
  afterEach(async () => {
    await Dexie.delete(BADGE_DATABASE_NAME);
  });

  it("drops the old index row, keeps the set, and builds and stores the sharded index on the first lookup", async () => {
    // Version 3 as that extension wrote it: chunks of 64 accounts as JSON, the index and search words packed in
    // one row each, and the set's info.
    const v3 = new Dexie(BADGE_DATABASE_NAME);
    v3.version(1).stores({ accounts: "id, *terms", meta: "key" });
    v3.version(2).stores({ chunks: "n", packed: "key" });
    v3.version(3).stores({ accounts: null });
    const list = setOf(accounts(150)).accounts;
    const chunks = [0, 1, 2].map((n) => ({
      n,
      accounts: list.slice(n * 64, n * 64 + 64).map((a) => JSON.stringify(a)),
    }));
    await v3.table("chunks").bulkPut(chunks);
    await v3.table("packed").bulkPut([
      { key: "index", value: { version: 1, count: 150, views: "x".repeat(1000), viewEnds: new Uint32Array(150) } },
      { key: "terms", value: { version: 1, text: "", ends: new Uint32Array(0) } },
    ]);
    const info = {
      source: { kind: "bridge", origin: "http://vitals.localhost:8482" },
      receivedAt: "2026-11-20T11:00:00.000Z",
      generatedAt: "2026-11-20T10:00:00Z",
      accounts: 150,
    };
    await v3.table("meta").put({ key: "set", value: info });
    v3.close();

    const db = new BadgeDb();
    expect(await setInfo(db)).toEqual(info);
    expect(await db.packed.get("index" as "head")).toBeUndefined();
    const reply = (await createBackground(db).handleMessage(lookup(["c149.com", "c3.com"]), content())) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-149", "acc-3"]);
    expect(reply.accounts.map((a) => a.id).sort()).toEqual(["acc-149", "acc-3"]);
    // What the badge shows of it: the account without how to find it on a page.
    expect(reply.accounts.find((a) => a.id === "acc-149")).toEqual(badgeCard(list[149] as BadgeAccount));
    expect((await db.packed.get("head"))?.value).toMatchObject({ version: PACKED_INDEX_VERSION, count: 150 });
    db.close();

    // The next wake reads what the first lookup stored: the head and a few shards, no chunk but the matched one.
    const woken = new BadgeDb();
    const reads = readLog(woken);
    const again = (await createBackground(woken).handleMessage(lookup(["c100.com"]), content())) as LookupReply;
    expect(again.identifiers).toEqual(["acc-100"]);
    expect(reads.filter((r) => r.startsWith("chunks:"))).toEqual(["chunks:getMany:1"]);
    expect(reads.some((r) => r.endsWith(":query") || r.endsWith(":openCursor"))).toBe(false);
    expect((await searchBadgeAccounts(woken, "company 42")).map((a) => a.name)).toEqual(["Company 42"]);
    woken.close();
  });
});

describe("the badge database's upgrade from version 1 (one row per account)", () => {
  afterEach(async () => {
    await Dexie.delete(BADGE_DATABASE_NAME);
  });

  it("moves every account into chunks, keeps the set's info, and finds them by lookup, id and search", async () => {
    const v1 = new Dexie(BADGE_DATABASE_NAME);
    v1.version(1).stores({ accounts: "id, *terms", meta: "key" });
    const list = setOf(accounts(150)).accounts;
    await v1.table("accounts").bulkPut(list.map((a) => ({ id: a.id, terms: [a.id], account: a })));
    const info = {
      source: { kind: "file", fileName: "old.json" },
      receivedAt: "2026-11-20T11:00:00.000Z",
      generatedAt: "2026-11-20T10:00:00Z",
      accounts: 150,
    };
    await v1.table("meta").put({ key: "set", value: info });
    v1.close();

    const db = new BadgeDb();
    expect(await setInfo(db)).toEqual(info);
    const reply = (await createBackground(db).handleMessage(lookup(["c149.com"]), content())) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-149"]);
    expect(reply.accounts).toEqual([badgeCard(list[149] as BadgeAccount)]);
    expect([...(await badgeAccounts(db, ["acc-0", "acc-77"])).keys()].sort()).toEqual(["acc-0", "acc-77"]);
    expect((await searchBadgeAccounts(db, "company 42")).map((a) => a.name)).toEqual(["Company 42"]);
    expect(db.tables.map((t) => t.name).sort()).toEqual(["chunks", "meta", "packed", "shards"]);
    db.close();
  });
});
