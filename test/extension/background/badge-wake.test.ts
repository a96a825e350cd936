import Dexie, { type DBCore, type Middleware } from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { browser } from "wxt/browser";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { PACKED_INDEX_VERSION, packIndex } from "../../../core/match/packed-index.ts";
import { type BadgeAccountInput, BadgeSet } from "../../../core/schema/badge.ts";
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
          get: (req) => (reads.push(`${name}:get`), table.get(req)),
          getMany: (req) => (reads.push(`${name}:getMany`), table.getMany(req)),
          query: (req) => (reads.push(`${name}:query`), table.query(req)),
          openCursor: (req) => (reads.push(`${name}:openCursor`), table.openCursor(req)),
          count: (req) => (reads.push(`${name}:count`), table.count(req)),
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

  it("reads the stored index and the matched accounts' chunks, never the whole set", async () => {
    const before = new BadgeDb(name);
    await replaceBadgeSet(before, setOf(accounts(300)), { kind: "file", fileName: "b.json" });
    before.close();

    const woken = new BadgeDb(name);
    const reads = readLog(woken);
    const reply = (await createBackground(woken).handleMessage(
      lookup(["c5.com", "c250.com", "nobody.com"]),
      content(),
    )) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-5", "acc-250", null]);
    expect(reply.accounts.map((a) => a.id).sort()).toEqual(["acc-250", "acc-5"]);
    // One read of the packed index (and of the set's info beside it), one of the two chunks the matches are in.
    expect(reads.filter((r) => r === "packed:get")).toHaveLength(1);
    expect(reads.filter((r) => r.startsWith("chunks:"))).toEqual(["chunks:getMany"]);
    expect(reads.some((r) => r.endsWith(":query") || r.endsWith(":openCursor"))).toBe(false);
    woken.close();
  });

  it("answers from the stored index as it is: it is not rebuilt from the accounts", async () => {
    const db = new BadgeDb(name);
    await replaceBadgeSet(db, setOf(accounts(3)), { kind: "file", fileName: "b.json" });
    // An index stored for the same number of accounts but other domains: a reader that rebuilt would not see it.
    const other = setOf(accounts(3).map((a, i) => ({ ...a, domains: [`other${i}.com`] }))).accounts;
    await db.packed.put({ key: "index", value: packIndex(other) });
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
    await db.packed.put({ key: "index", value: { ...packIndex([]), version: PACKED_INDEX_VERSION - 1 } });
    await db.packed.delete("terms");
    const reply = (await createBackground(db).handleMessage(lookup(["c2.com"]), content())) as LookupReply;
    expect(reply.identifiers).toEqual(["acc-2"]);
    const stored = (await db.packed.get("index"))?.value as { version: number; count: number };
    expect(stored).toMatchObject({ version: PACKED_INDEX_VERSION, count: 3 });
    expect((await searchBadgeAccounts(db, "company 1")).map((a) => a.id)).toEqual(["acc-1"]);
    db.close();
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
    expect(reply.accounts).toEqual([list[149]]);
    expect([...(await badgeAccounts(db, ["acc-0", "acc-77"])).keys()].sort()).toEqual(["acc-0", "acc-77"]);
    expect((await searchBadgeAccounts(db, "company 42")).map((a) => a.name)).toEqual(["Company 42"]);
    expect(db.tables.map((t) => t.name).sort()).toEqual(["chunks", "meta", "packed"]);
    db.close();
  });
});
