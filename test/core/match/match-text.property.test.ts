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
import { buildIndex, lookupIdentifier } from "../../../core/match/match-index.ts";
import { matchText } from "../../../core/match/match-text.ts";
import { isPackedIndex, packIndex, unpackIndex } from "../../../core/match/packed-index.ts";
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

describe("the packed index (stored beside the set, read back after a service-worker wake)", () => {
  it("matches text and identifiers exactly as the index built from the accounts, after a structured clone", () => {
    fc.assert(
      fc.property(accountsArb, textArb, idArb, linkArb, (accounts, text, id, link) => {
        const built = buildIndex(accounts);
        // What IndexedDB stores and gives back: a structured clone (typed arrays and strings as they are).
        const stored: unknown = structuredClone(packIndex(accounts));
        expect(isPackedIndex(stored)).toBe(true);
        const packed = unpackIndex(stored as ReturnType<typeof packIndex>);
        expect(matchText(packed, text)).toEqual(matchText(built, text));
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
        for (const q of queries) expect(lookupIdentifier(packed, q)).toBe(lookupIdentifier(built, q));
      }),
      { numRuns: 1000 },
    );
  });

  it("is refused when of another version or damaged, so it is rebuilt rather than misread", () => {
    const accounts = [account({ id: "a1", name: "Acme", domains: ["acme.com"] })];
    const packed = packIndex(accounts);
    expect(isPackedIndex(packed)).toBe(true);
    expect(isPackedIndex({ ...packed, version: packed.version + 1 })).toBe(false);
    expect(isPackedIndex({ ...packed, views: `${packed.views} ` })).toBe(false);
    expect(isPackedIndex({ ...packed, domains: { ...packed.domains, slots: new Uint32Array(3) } })).toBe(false);
    expect(isPackedIndex({ ...packed, names: undefined })).toBe(false);
    expect(isPackedIndex(null)).toBe(false);
  });
});
