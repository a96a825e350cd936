import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { BadgeSet } from "../../../core/schema/badge.ts";
import {
  BadgeDb,
  badgeAccounts,
  replaceBadgeSet,
  searchBadgeAccounts,
  setInfo,
} from "../../../extension/background/badge-store.ts";
import { readSetFile, setFileError } from "../../../extension/background/read-set-file.ts";
import { account } from "../../fixtures/pages/accounts.ts";

Dexie.dependencies.indexedDB = indexedDB;
Dexie.dependencies.IDBKeyRange = IDBKeyRange;

const set = (n: number) =>
  BadgeSet.parse({
    format: "vitals-badges",
    version: 1,
    generatedAt: "2026-11-20T10:00:00Z",
    accounts: [
      account({ id: "a1", name: "Acme Corporation", domains: ["acme.com"], aliases: ["ACME Rockets"] }),
      account({ id: "a2", name: "Ächtung Analytics GmbH", domains: ["achtung.de"] }),
      ...Array.from({ length: n }, (_, i) => account({ id: `x${i}`, name: `Filler ${i}` })),
    ],
  });

describe("the extension's badge store", () => {
  let db: BadgeDb | undefined;
  afterEach(async () => db?.delete());

  it("finds accounts by the start of any word of a name or alias, a domain or an id, accents and case ignored", async () => {
    db = new BadgeDb(`store-${Math.random()}`);
    await replaceBadgeSet(db, set(3), { kind: "file", fileName: "b.json" });
    const names = async (q: string) => (await searchBadgeAccounts(db as BadgeDb, q)).map((a) => a.name);
    expect(await names("acme")).toEqual(["Acme Corporation"]);
    expect(await names("rock")).toEqual(["Acme Corporation"]);
    expect(await names("achtung ana")).toEqual(["Ächtung Analytics GmbH"]);
    expect(await names("ACHTUNG.de")).toEqual(["Ächtung Analytics GmbH"]);
    expect(await names("dana@acme.com")).toEqual(["Acme Corporation"]);
    expect(await names("acme zzz")).toEqual([]);
    expect(await names("   ")).toEqual([]);
    expect(await searchBadgeAccounts(db, "filler", 2)).toHaveLength(2);
  });

  it("replaces the whole set: accounts of the previous set are gone and the info says where the new one came from", async () => {
    db = new BadgeDb(`store-${Math.random()}`);
    await replaceBadgeSet(db, set(3), { kind: "file", fileName: "old.json" });
    const next = BadgeSet.parse({ ...set(0), accounts: [account({ id: "b1", name: "Bravo" })] });
    const info = await replaceBadgeSet(
      db,
      next,
      { kind: "bridge", origin: "http://localhost:5173" },
      new Date("2026-11-21T08:00:00Z"),
    );
    expect(info).toEqual({
      source: { kind: "bridge", origin: "http://localhost:5173" },
      receivedAt: "2026-11-21T08:00:00.000Z",
      generatedAt: "2026-11-20T10:00:00Z",
      accounts: 1,
    });
    expect(await setInfo(db)).toEqual(info);
    expect([...(await badgeAccounts(db, ["a1", "x0", "b1"])).keys()]).toEqual(["b1"]);
    expect(await searchBadgeAccounts(db, "filler")).toEqual([]);
    expect(await db.chunks.count()).toBe(1);
  });
});

describe("reading a badge file", () => {
  it("reads a valid file, with a byte-order mark", () => {
    const read = readSetFile(`\uFEFF${JSON.stringify(set(0))}`);
    expect(read.ok && read.set.accounts.map((a) => a.id)).toEqual(["a1", "a2"]);
  });

  it("names each problem by JSON path, and says so when the file is the app's bundle instead", () => {
    const bad = { ...set(0), accounts: [{ ...set(0).accounts[0], color: "purple" }, { id: "" }] };
    const read = readSetFile(JSON.stringify(bad));
    expect(read.ok).toBe(false);
    const issues = read.ok ? [] : read.issues;
    expect(issues.map((i) => i.path)).toContain("$.accounts[0].color");
    expect(issues.map((i) => i.path)).toContain("$.accounts[1].id");
    expect(readSetFile('{"format":"vitals-bundle","version":1}')).toEqual({
      ok: false,
      issues: [{ path: "$.format", message: expect.stringContaining("Export for the extension") }],
    });
    expect(readSetFile("{ not json").ok).toBe(false);
  });

  it("writes an error naming the file on every line, at most 20 problems, and that nothing changed", () => {
    const issues = Array.from({ length: 25 }, (_, i) => ({ path: `$.accounts[${i}].score`, message: "too big" }));
    const text = setFileError("team.json", issues).split("\n");
    expect(text[0]).toBe("team.json was not imported; the badges you had are kept.");
    expect(text[1]).toBe("team.json: $.accounts[0].score: too big");
    expect(text).toHaveLength(22);
    expect(text[21]).toBe("… and 5 more");
  });
});
