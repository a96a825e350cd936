import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { Window } from "happy-dom";
import { afterEach, describe, expect, it } from "vitest";
import { buildAll, buildIndex, lookupIdentifier } from "../../../core/match/match-index.ts";
import { matchText } from "../../../core/match/match-text.ts";
import { BadgeAccount, BadgeSet } from "../../../core/schema/badge.ts";
import { BadgeDb, replaceBadgeSet } from "../../../extension/background/badge-store.ts";
import { createMatcher } from "../../../extension/background/match-index.ts";
import { badgeRoot } from "../../../extension/badge/badge.ts";
import { parseLookupReply } from "../../../extension/content/reply-schema.ts";
import { createScanner, type Scanner } from "../../../extension/content/scanner.ts";
import { generic } from "../../../extension/sites/generic.ts";
import { account } from "./fake-background.ts";

Dexie.dependencies.indexedDB = indexedDB;
Dexie.dependencies.IDBKeyRange = IDBKeyRange;

// Account ids, names and domains that are also the names of Object.prototype's members: each must work like any
// other id through the index, the background's answer, the content script's parse and the badge.
const KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
const ACCOUNTS = KEYS.map((key, i) =>
  BadgeAccount.parse(
    account({
      id: key,
      name: `${key} Holdings`,
      domains: [`${key.replace(/_/g, "")}.example`],
      externalIds: { zendesk: String(9000 + i) },
      shown: 10 + i,
      score: 10 + i,
    }),
  ),
);

let win: Window | undefined;
let scanner: Scanner | undefined;
afterEach(async () => {
  scanner?.stop();
  scanner = undefined;
  await win?.happyDOM.close();
  win = undefined;
});

describe("account ids, names and domains named like Object.prototype's members", () => {
  it("are found by the index by id, name, domain and external id, and in free text", () => {
    const index = buildAll(buildIndex(ACCOUNTS));
    for (const [i, a] of ACCOUNTS.entries()) {
      expect(lookupIdentifier(index, { kind: "accountId", value: a.id })).toBe(a.id);
      expect(lookupIdentifier(index, { kind: "name", value: a.name })).toBe(a.id);
      expect(lookupIdentifier(index, { kind: "domain", value: a.domains[0] as string })).toBe(a.id);
      expect(lookupIdentifier(index, { kind: "externalId", value: String(9000 + i), system: "zendesk" })).toBe(a.id);
      expect(matchText(index, `Ticket from someone at ${a.domains[0]} today`).map((m) => m.accountId)).toEqual([a.id]);
    }
    // Ids nobody has stay unknown, however they are spelled.
    const one = buildAll(buildIndex(ACCOUNTS.slice(2)));
    expect(lookupIdentifier(one, { kind: "accountId", value: "__proto__" })).toBeUndefined();
    expect(lookupIdentifier(one, { kind: "accountId", value: "constructor" })).toBeUndefined();
  });

  it("get their own badge and card through the background's answer and the content script's parse", async () => {
    const db = new BadgeDb(`proto-${Math.random()}`);
    await replaceBadgeSet(
      db,
      BadgeSet.parse({ format: "vitals-badges", version: 1, generatedAt: "2026-11-20T10:00:00Z", accounts: ACCOUNTS }),
      { kind: "file", fileName: "badges.json" },
    );
    const matcher = createMatcher(db);
    win = new Window({ url: "https://desk.example/tickets/1" });
    const doc = win.document as unknown as Document;
    doc.body.innerHTML = KEYS.map((key) => `<p>Mail from someone at ${key.replace(/_/g, "")}.example</p>`).join("");
    scanner = createScanner({
      doc,
      adapter: generic,
      // As the real channel does: the answer crosses as JSON and the content script parses it with its own schema.
      lookup: async (message) => parseLookupReply(JSON.parse(JSON.stringify(await matcher.lookup(message)))),
    });
    scanner.start();
    await scanner.idle();
    const hosts = [...doc.querySelectorAll("vitals-badge")] as HTMLElement[];
    expect(hosts).toHaveLength(KEYS.length);
    const names = hosts.map((host) => badgeRoot(host)?.querySelector(".pill")?.getAttribute("aria-label"));
    expect(names).toEqual(
      ACCOUNTS.map((a) => expect.stringContaining(`Vitals health of ${a.name}: ${a.shown} points`)),
    );
    db.close();
  });
});
