import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCommonWord } from "../../../core/match/common-words.ts";
import {
  COMPANY_SUFFIXES,
  caseKey,
  isDistinctiveId,
  isPersonalDomain,
  nameKey,
  salesforceId18,
} from "../../../core/match/identifiers.ts";
import { buildIndex, lookupIdentifier, type MatchIndex } from "../../../core/match/match-index.ts";
import { matchText } from "../../../core/match/match-text.ts";
import {
  isIndexHead,
  isPackedShard,
  type Missing,
  matchPaged,
  type PackedTable,
  positionOf,
  shardIndex,
  shardKey,
  type TableName,
} from "../../../core/match/packed-index.ts";
import type { BadgeAccount } from "../../../core/schema/badge.ts";
import { naiveMatchText } from "../../bench/naive-match.ts";
import { account } from "./accounts.ts";

// A slow reference for matchText, written from the rules rather than from the implementation: every span of words
// is tried against every account's names, every id is searched with indexOf, links are whitespace-separated chunks.
// It holds for the texts generated below (links always stand between spaces), which is what the property checks.

type Kind = "email" | "domain" | "externalId" | "accountId" | "name";
interface Found {
  start: number;
  end: number;
  accountId: string | null;
  kind: Kind;
}
const RANK: Record<Kind, number> = { email: 0, domain: 1, externalId: 2, accountId: 3, name: 4 };

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;

/** The account(s) a domain names, trying parent domains; null when two accounts share the first one found. */
function domainOwner(accounts: readonly BadgeAccount[], host: string): string | null | undefined {
  let d = host.toLowerCase().replace(/^www\./, "");
  for (;;) {
    if (isPersonalDomain(d)) return undefined;
    const owners = accounts.filter((a) => a.domains.some((x) => x.toLowerCase() === d && !isPersonalDomain(x)));
    if (owners.length === 1) return (owners[0] as BadgeAccount).id;
    if (owners.length > 1) return null;
    const parts = d.split(".");
    if (parts.length <= 2) return undefined;
    d = parts.slice(1).join(".");
  }
}

/** One word of the pools folded by hand: accents off, ß → ss, ø → o, lower case, & → and. */
const fold = (w: string) =>
  w === "&"
    ? "and"
    : w
        .normalize("NFD")
        .replace(/\u0301/g, "")
        .replace(/ß/g, "ss")
        .replace(/[øØ]/g, "o")
        .toLowerCase();

function referenceMatch(accounts: readonly BadgeAccount[], text: string): Found[] {
  const found: Found[] = [];
  const links: [number, number][] = [];

  // Links: chunks between whitespace, closing punctuation trimmed.
  for (const m of text.matchAll(/[^\s]+/g)) {
    const chunk = m[0].replace(/[.,;:!?)\]}'"»]+$/, "");
    let host: string | undefined;
    let kind: Kind = "domain";
    const url = /^https?:\/\/([^/?#:]+)(?::\d+)?(?:[/?#].*)?$/i.exec(chunk);
    const email = /^[a-z0-9._%+-]+@([^@]+)$/i.exec(chunk);
    const bare = /^([^/?#:@]+)(?::\d+)?(?:[/?#].*)?$/i.exec(chunk);
    if (url && HOST.test(url[1] as string)) host = url[1];
    else if (email && HOST.test(email[1] as string)) {
      host = email[1];
      kind = "email";
    } else if (bare && HOST.test(bare[1] as string)) host = bare[1];
    if (host === undefined) continue;
    links.push([m.index, m.index + chunk.length]);
    const owner = domainOwner(accounts, host);
    if (owner !== undefined) found.push({ start: m.index, end: m.index + chunk.length, accountId: owner, kind });
  }

  // Ids: every occurrence of a distinctive id that is a whole run of [A-Za-z0-9_-] (less leading/trailing - and _).
  const ids = new Map<string, { owners: Set<string>; kind: Kind }>();
  const addId = (value: string, owner: string, kind: Kind) => {
    if (!isDistinctiveId(value)) return;
    const seen = ids.get(value) ?? { owners: new Set<string>(), kind };
    seen.owners.add(owner);
    ids.set(value, seen);
  };
  for (const a of accounts) {
    addId(a.id, a.id, "accountId");
    for (const [system, value] of Object.entries(a.externalIds)) {
      const v = system === "salesforce" ? salesforceId18(value) : value;
      addId(v, a.id, "externalId");
      if (system === "salesforce" && isDistinctiveId(v)) addId(v.slice(0, 15), a.id, "externalId");
    }
  }
  for (const run of text.matchAll(/[A-Za-z0-9_-]+/g)) {
    const lead = (/^[-_]*/.exec(run[0]) as RegExpExecArray)[0].length;
    const value = run[0].replace(/^[-_]+/, "").replace(/[-_]+$/, "");
    const id = ids.get(value);
    if (id === undefined) continue;
    const start = (run.index as number) + lead;
    found.push({
      start,
      end: start + value.length,
      accountId: id.owners.size === 1 ? ([...id.owners][0] as string) : null,
      kind: id.kind,
    });
  }

  // Names: every run of words i..j that joins (gaps of at most 3 characters without a line break).
  const words = [...text.matchAll(/(?:[A-Za-z0-9éÉüÜøØß]\u0301*)+|&/g)].map((m) => ({
    start: m.index as number,
    end: (m.index as number) + m[0].length,
    key: fold(m[0]),
    inLink: links.some(([s, e]) => s < (m.index as number) + m[0].length && (m.index as number) < e),
  }));
  const joins = (a: number, b: number) =>
    (words[b] as { start: number }).start - (words[a] as { end: number }).end <= 3 &&
    !/[\r\n]/.test(text.slice((words[a] as { end: number }).end, (words[b] as { start: number }).start));
  const namesOf = (a: BadgeAccount) => [a.name, ...a.aliases];
  for (let i = 0; i < words.length; i++) {
    for (let j = i; j < words.length; j++) {
      if (j > i && !joins(j - 1, j)) break;
      if ((words[j] as { inLink: boolean }).inLink) break;
      const key = words
        .slice(i, j + 1)
        .map((w) => w.key)
        .join(" ");
      const owners = accounts.filter((a) => namesOf(a).some((n) => nameKey(n) === key));
      if (owners.length === 0) continue;
      const first = namesOf(owners[0] as BadgeAccount).find((n) => nameKey(n) === key) as string;
      const start = (words[i] as { start: number }).start;
      const end = (words[j] as { end: number }).end;
      if (!allowed(first, key, text.slice(start, end), j)) continue;
      found.push({ start, end, accountId: owners.length === 1 ? (owners[0] as BadgeAccount).id : null, kind: "name" });
    }
  }
  function allowed(name: string, key: string, written: string, j: number): boolean {
    const parts = key.split(" ");
    const common = (w: string) => /^[0-9]+$/.test(w) || w === "and" || isCommonWord(w);
    const asWritten = caseKey(written) === caseKey(name);
    if (parts.length === 1) {
      const capitals = /[A-Z]/.test(caseKey(name)) && caseKey(name) === caseKey(name).toUpperCase() && key.length > 1;
      if (common(key)) {
        if (capitals) return asWritten;
        const next = words[j + 1];
        return next !== undefined && !next.inLink && joins(j, j + 1) && COMPANY_SUFFIXES.has(next.key);
      }
      return key.length < 4 ? asWritten : true;
    }
    return parts.every(common) ? asWritten : true;
  }

  // Longest first, then earliest, then by kind; ambiguous ones hold their place but are not returned.
  found.sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start || RANK[x.kind] - RANK[y.kind]);
  const kept: Found[] = [];
  for (const f of found) if (kept.every((k) => k.end <= f.start || k.start >= f.end)) kept.push(f);
  return kept.filter((k) => k.accountId !== null).sort((x, y) => x.start - y.start);
}

// Generated portfolios and texts draw from small pools, so names, domains and ids collide and overlap often.
const NAME_WORDS = [
  "Acme",
  "Health",
  "Box",
  "Front",
  "Apple",
  "Société",
  "Générale",
  "Ørsted",
  "Straße",
  "IBM",
  "Open",
  "Door",
  "Globex",
  "Initech",
  "Zyx",
  "&",
  "Labs",
];
const SUFFIXES = ["Inc.", "GmbH", "LLC", "Co"];
const DOMAINS = ["acme.com", "acmehealth.io", "box.com", "globex.io", "gmail.com", "eu.acme.com"];
const SF = ["001A0000006Vm9r", "0015g00000abcde", "001Zz00000QwErT"];
const IDS = ["acc-000123", "ACME-2024-0042", "4412", "5f9a1c2b3d4e5f6a7b8c"];
const SEPARATORS = [" ", " ", " ", ", ", " - ", " -- ", "  —  ", "\n", "-", ". ", " & ", "&", "'s ", " (", ") ", "🎉"];

const nameArb = fc
  .tuple(
    fc.array(fc.constantFrom(...NAME_WORDS), { minLength: 1, maxLength: 3 }),
    fc.option(fc.constantFrom(...SUFFIXES)),
  )
  .map(([words, suffix]) => [...words, ...(suffix ? [suffix] : [])].join(" "));

const accountsArb = fc
  .array(
    fc.record({
      name: nameArb,
      aliases: fc.array(nameArb, { maxLength: 2 }),
      domains: fc.subarray(DOMAINS, { maxLength: 2 }),
      salesforce: fc.option(fc.constantFrom(...SF)),
      other: fc.option(fc.constantFrom(...IDS)),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((list) =>
    list.map((a, i) =>
      account({
        id: i % 3 === 0 ? `ACC-2025-${String(i).padStart(4, "0")}` : `a${i}`,
        name: a.name,
        aliases: a.aliases,
        domains: a.domains,
        externalIds: {
          ...(a.salesforce ? { salesforce: a.salesforce } : {}),
          ...(a.other ? { zendesk: a.other } : {}),
        },
      }),
    ),
  );

/** A word as a page might write it: as is, lower, upper, or without accents. */
const wordArb = fc
  .tuple(fc.constantFrom(...NAME_WORDS, ...SUFFIXES, "the", "was", "Acmeville"), fc.integer({ min: 0, max: 3 }))
  .map(([w, form]) =>
    form === 1
      ? w.toLowerCase()
      : form === 2
        ? w.toUpperCase()
        : form === 3
          ? w.normalize("NFD") // decomposed accents: offsets must still land on the original text
          : w,
  );
const linkArb = fc
  .tuple(fc.constantFrom("mail", "url", "bare"), fc.constantFrom(...DOMAINS, "crm.example"), fc.constantFrom(...SF))
  .map(([kind, domain, sf]) =>
    kind === "mail" ? `dana.smith@${domain}` : kind === "url" ? `https://${domain}/r/${sf}/view` : domain,
  );
const idArb = fc
  .tuple(fc.constantFrom(...SF, ...IDS, "ACC-2025-0000", "ACC-2025-0003"), fc.boolean())
  .map(([id, long]) => (long && id.length === 15 ? salesforceId18(id) : id));
const textArb = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.tuple(wordArb, fc.constantFrom(...SEPARATORS)).map(([w, s]) => w + s) },
      { weight: 1, arbitrary: linkArb.map((l) => ` ${l} `) },
      { weight: 1, arbitrary: idArb.map((id) => ` ${id} `) },
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(""));

describe("matchText against a slow reference", () => {
  it("finds exactly the matches the rules define, at the same offsets", () => {
    fc.assert(
      fc.property(accountsArb, textArb, (accounts, text) => {
        const index = buildIndex(accounts);
        const expected = referenceMatch(accounts, text).map(({ start, end, accountId, kind }) => ({
          start,
          end,
          accountId,
          kind,
        }));
        expect(matchText(index, text)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with the benchmark's naive baseline (one test per account over the text)", () => {
    fc.assert(
      fc.property(accountsArb, textArb, (accounts, text) => {
        expect(naiveMatchText(accounts, text)).toEqual(matchText(buildIndex(accounts), text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("the sharded index (stored beside the set, read back in pages after a service-worker wake)", () => {
  /**
   * What IndexedDB stores and gives back (a structured clone: typed arrays and strings as they are), read the way
   * the background reads it: nothing in memory at first, then the shards and accounts each pass missed.
   */
  function stored(accounts: readonly BadgeAccount[], keysPerShard: number) {
    const clone = structuredClone(shardIndex(accounts, keysPerShard));
    expect(isIndexHead(clone.head)).toBe(true);
    const byKey = new Map(clone.shards.map((s) => [shardKey(s.table, s.shard), s.packed]));
    /** A reader that has read nothing yet (a fresh wake); it keeps what it reads. */
    const reader = () => {
      const shards = new Map<string, PackedTable>();
      const loaded = new Map<number, BadgeAccount>();
      let fetches = 0;
      const source = {
        shard: (table: TableName, shard: number) => shards.get(shardKey(table, shard)),
        account: (pos: number) => loaded.get(pos),
      };
      const fetch = async (missing: Missing) => {
        fetches++;
        for (const key of missing.shards) {
          const packed = byKey.get(key);
          expect(isPackedShard(packed)).toBe(true);
          shards.set(key, packed as PackedTable);
        }
        for (const pos of missing.positions) loaded.set(pos, accounts[pos] as BadgeAccount);
      };
      return {
        run: <T>(match: (index: MatchIndex) => T) => matchPaged(clone.head, source, fetch, match),
        fetches: () => fetches,
        shardsRead: () => shards.size,
      };
    };
    return { head: clone.head, reader, shardCount: clone.shards.length };
  }

  it("matches text and identifiers exactly as the index built from the accounts, read shard by shard", async () => {
    await fc.assert(
      fc.asyncProperty(
        accountsArb,
        textArb,
        idArb,
        linkArb,
        fc.constantFrom(1, 2, 512),
        async (accounts, text, id, link, keysPerShard) => {
          const built = buildIndex(accounts);
          const words = text.split(/\s+/).filter((w) => w.length > 0);
          const queries = [
            { kind: "accountId" as const, value: id },
            { kind: "externalId" as const, value: id },
            { kind: "externalId" as const, value: id, system: "salesforce" },
            { kind: "externalId" as const, value: id, system: "zendesk" },
            { kind: "email" as const, value: link },
            { kind: "domain" as const, value: link },
            ...accounts.flatMap((a) => [
              { kind: "name" as const, value: a.name },
              { kind: "accountId" as const, value: a.id.toUpperCase() },
              ...a.aliases.map((value) => ({ kind: "name" as const, value })),
            ]),
            ...words.map((value) => ({ kind: "name" as const, value })),
          ];
          // Each on a reader that has read nothing yet (a fresh wake), and all on one that keeps what it read.
          const index = stored(accounts, keysPerShard);
          const kept = index.reader();
          expect(await index.reader().run((ix) => matchText(ix, text))).toEqual(matchText(built, text));
          expect(await kept.run((ix) => matchText(ix, text))).toEqual(matchText(built, text));
          for (const q of queries) {
            expect(await index.reader().run((ix) => lookupIdentifier(ix, q) ?? null)).toBe(
              lookupIdentifier(built, q) ?? null,
            );
            expect(await kept.run((ix) => lookupIdentifier(ix, q) ?? null)).toBe(lookupIdentifier(built, q) ?? null);
          }
          for (const a of accounts) {
            expect(await kept.run((ix) => positionOf(ix, a.id))).toBe(positionOf(built, a.id));
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);

  it("reads only the shards a lookup's keys are in, and the accounts they name", async () => {
    const accounts = Array.from({ length: 400 }, (_, i) =>
      account({ id: `acc-${i}`, name: `Company ${i}`, domains: [`c${i}.com`] }),
    );
    const stored400 = stored(accounts, 4);
    expect(stored400.shardCount).toBeGreaterThan(100);
    const index = stored400.reader();
    const found = await index.run((ix) =>
      ["c7.com", "c300.com"].map((d) => lookupIdentifier(ix, { kind: "domain", value: d })),
    );
    expect(found).toEqual(["acc-7", "acc-300"]);
    // Two domains: at most two shards; then the two accounts (one read each pass that missed something).
    expect(index.shardsRead()).toBeLessThanOrEqual(2);
    expect(index.fetches()).toBe(2);
  });

  it("is refused when of another version or damaged, so it is rebuilt rather than misread", () => {
    const accounts = [account({ id: "a1", name: "Acme", domains: ["acme.com"] })];
    const { head, shards } = shardIndex(accounts);
    expect(isIndexHead(head)).toBe(true);
    expect(isIndexHead({ ...head, version: head.version + 1 })).toBe(false);
    expect(isIndexHead({ ...head, bits: { ...head.bits, names: 40 } })).toBe(false);
    expect(isIndexHead({ ...head, bits: { ...head.bits, names: undefined } })).toBe(false);
    expect(isIndexHead({ ...head, firstWords: [1, 2] })).toBe(false);
    expect(isIndexHead(null)).toBe(false);
    const shard = (shards[0] as { packed: PackedTable }).packed;
    expect(isPackedShard(shard)).toBe(true);
    expect(isPackedShard({ ...shard, keys: `${shard.keys} ` })).toBe(false);
    expect(isPackedShard({ ...shard, slots: new Uint32Array(3) })).toBe(false);
    expect(isPackedShard(undefined)).toBe(false);
  });
});
