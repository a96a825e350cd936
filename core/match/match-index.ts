import type { BadgeAccount } from "../schema/badge.ts";
import { isCommonWord } from "./common-words.ts";
import { caseKey, domainOf, isDistinctiveId, isPersonalDomain, nameKey, salesforceId18 } from "./identifiers.ts";

/** How an identifier names an account (the same kinds as the extension's Identifier). */
export type MatchKind = "email" | "domain" | "externalId" | "accountId" | "name";

/** What a site adapter read from a known place on a page: the shape of the extension's Identifier. */
export interface IdentifierQuery {
  kind: MatchKind;
  value: string;
  /** The product an `externalId` belongs to (salesforce, hubspot, …); any system when absent. */
  system?: string;
}

// Values in the index's maps are account positions (≥ 0) or AMBIGUOUS: two accounts share the key, so it names
// neither (no badge beats a wrong badge).
/** A key that two accounts share. */
export const AMBIGUOUS = -1;

/** How a name may match in free text (identifiers from known places match by key alone). */
export const NameMode = {
  /** Any capitalisation. */
  anyCase: 0,
  /** Only as the account writes it ("Open Door", "IBM"): short names and names made of common words. */
  exactCase: 1,
  /** Only followed by a company suffix ("Box Inc."): a single common word ("Box", "Front", "Notion"). */
  withSuffix: 2,
} as const;

// names: a name key → (slot << 3) | prefix bit (4), where slot 0 = no name ends here (the key is only the start of
// longer names), slot 1 = ambiguous, slot n ≥ 2 = account position n − 2. One map lookup per word both answers
// "is this a name" and "can a longer name start with these words".
const PREFIX = 4;
const SLOT_NONE = 0;
const SLOT_AMBIGUOUS = 1;

/** What matching reads of an account (the rest of a BadgeAccount is only shown). */
export type MatchAccount = Pick<BadgeAccount, "id" | "name" | "aliases" | "externalIds">;

/** A read-only string → number table: a Map when built here, a packed hash table when read back (packed-index.ts). */
export interface KeyTable {
  get(key: string): number | undefined;
  readonly size: number;
}

/**
 * Every way to find an account: by id, external id, email domain, name and alias. Built from the accounts the
 * extension holds (see buildIndex: each family of maps on first use), or read back packed (packed-index.ts); read by
 * lookupIdentifier and matchText. Keys are strings already held by the accounts where possible and values are small
 * integers, so 100,000 accounts cost a few megabytes.
 */
export interface MatchIndex {
  /** How many accounts (positions 0 … count − 1). */
  readonly count: number;
  /** The account at a position (what matching reads of it). */
  account(pos: number): MatchAccount;
  /** Lower-case account id → position. */
  readonly ids: KeyTable;
  /** Account ids whose lower-case form two accounts share, exactly as written → position. */
  readonly idsExact: KeyTable;
  /** Lower-case external id (Salesforce ids in their 18-character form) → position, any system. */
  readonly external: KeyTable;
  /** `system\0value` → position, only for values that accounts share across systems. */
  readonly externalBySystem: KeyTable;
  /** Lower-case email domain → position. */
  readonly domains: KeyTable;
  /** Name key → packed slot and prefix bit (see nameSlot, isNamePrefix). */
  readonly names: KeyTable;
  /** A Bloom filter of the words names start with (see wordHash), so free text skips most words without a lookup. */
  readonly firstWords: Uint32Array;
  /** For names two accounts share: the first account's position (its name decides how the key may match). */
  readonly firstOwners: KeyTable;
  /**
   * How each name key may match in free text (NameMode), and for exactCase the name's words as written: worked
   * out when the key is first found in a text, not while building, since few keys ever are.
   */
  readonly modes: Map<string, { mode: number; asWritten: string }>;
}

/** A MatchIndex built here: its tables are Maps (which packIndex reads). */
export interface BuiltIndex extends MatchIndex {
  readonly ids: ReadonlyMap<string, number>;
  readonly idsExact: ReadonlyMap<string, number>;
  readonly external: ReadonlyMap<string, number>;
  readonly externalBySystem: ReadonlyMap<string, number>;
  readonly domains: ReadonlyMap<string, number>;
  readonly names: ReadonlyMap<string, number>;
  readonly firstOwners: ReadonlyMap<string, number>;
}

/**
 * Index of accounts by every identifier a page may show. It runs in the background after every service-worker
 * restart, so each family of maps (ids, external ids, domains, names) is built on first use: a page that only
 * shows email addresses (Gmail, a help desk's requesters) pays for the domains alone. `buildAll` builds the rest.
 */
export function buildIndex(accounts: readonly BadgeAccount[]): BuiltIndex {
  let ids: ReturnType<typeof buildIds> | undefined;
  let external: ReturnType<typeof buildExternal> | undefined;
  let domains: Map<string, number> | undefined;
  let names: ReturnType<typeof buildNames> | undefined;
  return {
    count: accounts.length,
    account: (pos) => accounts[pos] as BadgeAccount,
    get ids() {
      ids ??= buildIds(accounts);
      return ids.ids;
    },
    get idsExact() {
      ids ??= buildIds(accounts);
      return ids.idsExact;
    },
    get external() {
      external ??= buildExternal(accounts);
      return external.external;
    },
    get externalBySystem() {
      external ??= buildExternal(accounts);
      return external.externalBySystem;
    },
    get domains() {
      domains ??= buildDomains(accounts);
      return domains;
    },
    get names() {
      names ??= buildNames(accounts);
      return names.names;
    },
    get firstWords() {
      names ??= buildNames(accounts);
      return names.firstWords;
    },
    get firstOwners() {
      names ??= buildNames(accounts);
      return names.firstOwners;
    },
    modes: new Map(),
  };
}

/** Builds every family of the index's maps now (rather than on first use); returns the index. */
export function buildAll<T extends MatchIndex>(index: T): T {
  void index.ids;
  void index.external;
  void index.domains;
  void index.names;
  return index;
}

function buildIds(accounts: readonly BadgeAccount[]) {
  const ids = new Map<string, number>();
  const idsExact = new Map<string, number>();
  const shared = new Set<string>();
  for (let pos = 0; pos < accounts.length; pos++) {
    const lowerId = (accounts[pos] as BadgeAccount).id.toLowerCase();
    if (setNew(ids, lowerId, pos)) shared.add(lowerId);
  }
  // A rare second pass, only over ids two accounts share ignoring case: exact case still tells them apart.
  if (shared.size > 0)
    for (let pos = 0; pos < accounts.length; pos++) {
      const id = (accounts[pos] as BadgeAccount).id;
      if (shared.has(id.toLowerCase())) setOnce(idsExact, id, pos);
    }
  return { ids, idsExact };
}

function buildExternal(accounts: readonly BadgeAccount[]) {
  const external = new Map<string, number>();
  const externalBySystem = new Map<string, number>();
  const shared = new Set<string>();
  const seen: string[] = []; // this account's values so far, so that its own repeats are not taken for sharing
  for (let pos = 0; pos < accounts.length; pos++) {
    const ext = (accounts[pos] as BadgeAccount).externalIds;
    seen.length = 0;
    for (const system in ext) {
      const key = normalizeExternal(system, ext[system] as string).toLowerCase();
      if (seen.includes(key)) continue;
      seen.push(key);
      if (setNew(external, key, pos)) shared.add(key);
    }
  }
  // A rare second pass, only over values accounts share across systems: the system still tells them apart.
  if (shared.size > 0)
    for (let pos = 0; pos < accounts.length; pos++) {
      const ext = (accounts[pos] as BadgeAccount).externalIds;
      for (const system in ext) {
        const value = normalizeExternal(system, ext[system] as string).toLowerCase();
        if (shared.has(value)) setOnce(externalBySystem, `${system.toLowerCase()}\u0000${value}`, pos);
      }
    }
  return { external, externalBySystem };
}

function buildDomains(accounts: readonly BadgeAccount[]): Map<string, number> {
  const domains = new Map<string, number>();
  const seen: string[] = [];
  for (let pos = 0; pos < accounts.length; pos++) {
    seen.length = 0;
    for (const d of (accounts[pos] as BadgeAccount).domains) {
      const domain = cleanDomain(d);
      if (domain === undefined || isPersonalDomain(domain) || seen.includes(domain)) continue;
      seen.push(domain);
      setNew(domains, domain, pos);
    }
  }
  return domains;
}

function buildNames(accounts: readonly BadgeAccount[]) {
  const names = new Map<string, number>();
  const firstWords = new Uint32Array(BLOOM_BITS / 32);
  const firstOwners = new Map<string, number>();
  for (let pos = 0; pos < accounts.length; pos++) {
    const account = accounts[pos] as BadgeAccount;
    addName(names, firstOwners, firstWords, account.name, pos);
    for (const alias of account.aliases) addName(names, firstOwners, firstWords, alias, pos);
  }
  return { names, firstWords, firstOwners };
}

/**
 * Sets a key the account at `pos` has not set before; a key another account set becomes AMBIGUOUS (returns true).
 * One hash lookup for a new key instead of a get and a set: a third of buildIndex's time is spent in these maps.
 */
function setNew(map: Map<string, number>, key: string, pos: number): boolean {
  const size = map.size;
  map.set(key, pos);
  if (map.size !== size) return false;
  map.set(key, AMBIGUOUS);
  return true;
}

/** Sets `key` to `pos`, or to AMBIGUOUS if another account already has it; returns what the key now holds. */
function setOnce(map: Map<string, number>, key: string, pos: number): number {
  const seen = map.get(key);
  const value = seen === undefined || seen === pos ? pos : AMBIGUOUS;
  if (value !== seen) map.set(key, value);
  return value;
}

/** External ids as compared: trimmed; a Salesforce id in its 18-character form. */
function normalizeExternal(system: string, value: string): string {
  const v = value.trim();
  return system.toLowerCase() === "salesforce" ? salesforceId18(v) : v;
}

const PLAIN_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** An account's domain as indexed; most are already clean, which skips domainOf's work. */
function cleanDomain(d: string): string | undefined {
  return PLAIN_DOMAIN.test(d) && !d.startsWith("www.") ? d : domainOf(d);
}

function addName(
  names: Map<string, number>,
  firstOwners: Map<string, number>,
  firstWords: Uint32Array,
  name: string,
  pos: number,
): void {
  const key = nameKey(name);
  if (key === "") return;
  const space = key.indexOf(" ");
  bloomAdd(firstWords, wordHash(key, 0, space < 0 ? key.length : space));
  const seen = names.get(key);
  const seenSlot = seen === undefined ? SLOT_NONE : seen >> 3;
  if (seenSlot === pos + 2) return; // the same account's name and alias
  if (seenSlot !== SLOT_NONE) {
    if (seenSlot !== SLOT_AMBIGUOUS) firstOwners.set(key, seenSlot - 2);
    names.set(key, (SLOT_AMBIGUOUS << 3) | ((seen as number) & PREFIX));
    return;
  }
  names.set(key, ((pos + 2) << 3) | ((seen ?? 0) & PREFIX));
  const words = key.split(" ");
  // Mark every shorter run of leading words as the start of a longer name.
  let prefix = "";
  for (let i = 0; i < words.length - 1; i++) {
    prefix = i === 0 ? (words[0] as string) : `${prefix} ${words[i]}`;
    const p = names.get(prefix);
    if (p === undefined) names.set(prefix, (SLOT_NONE << 3) | PREFIX);
    else if (!(p & PREFIX)) names.set(prefix, p | PREFIX);
  }
}

/**
 * How a name may match in free text. One common English word ("Box", "Front", "Apple") only with a company suffix
 * after it, since "the box was" and "in front of" are far more frequent than the company; written in capitals
 * ("SAP", "BOX") it is an acronym and matches as written. A short name (under 4 letters: "IBM", "Xyz") and a name
 * made only of common words ("Open Door", "Blue Sky") match only as the account writes them. Everything else
 * matches in any case.
 */
export function nameMode(name: string, words: readonly string[] = nameKey(name).split(" ")): number {
  const common = (w: string) => /^[0-9]+$/.test(w) || w === "and" || isCommonWord(w);
  if (words.length === 1) {
    const word = words[0] as string;
    if (common(word)) {
      const written = caseKey(name);
      const capitals = /[A-Z]/.test(written) && written === written.toUpperCase() && written.length > 1;
      return capitals ? NameMode.exactCase : NameMode.withSuffix;
    }
    return word.length < 4 ? NameMode.exactCase : NameMode.anyCase;
  }
  return words.every(common) ? NameMode.exactCase : NameMode.anyCase;
}

// 2^20 bits (128 KiB) for ~100,000 first words: about one word in ten of a page's text that starts no name still
// passes and costs a Map lookup; the rest cost nothing but the hash computed while splitting the text.
const BLOOM_BITS = 1 << 20;
const BLOOM_MASK = BLOOM_BITS - 1;
/** FNV-1a's offset basis: the hash of an empty word, to start wordHash's loop from. */
export const HASH_START = 0x811c9dc5 | 0;

/** One step of FNV-1a: the hash so far with one more (lower-case) character code. */
export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/** FNV-1a of a lower-case word (`key[from..to)`), as matchText computes it while splitting a text. */
export function wordHash(key: string, from = 0, to = key.length): number {
  let h = HASH_START;
  for (let i = from; i < to; i++) h = hashStep(h, key.charCodeAt(i));
  return h;
}

function bloomAdd(bloom: Uint32Array, hash: number): void {
  const a = hash & BLOOM_MASK;
  const b = (Math.imul(hash, 0x9e3779b1) >>> 12) & BLOOM_MASK;
  bloom[a >>> 5] = (bloom[a >>> 5] as number) | (1 << (a & 31));
  bloom[b >>> 5] = (bloom[b >>> 5] as number) | (1 << (b & 31));
}

/** Whether a word with this hash may start a name (false: it surely does not). */
export function mayStartName(index: MatchIndex, hash: number): boolean {
  const a = hash & BLOOM_MASK;
  const b = (Math.imul(hash, 0x9e3779b1) >>> 12) & BLOOM_MASK;
  const bloom = index.firstWords;
  return ((bloom[a >>> 5] as number) & (1 << (a & 31))) !== 0 && ((bloom[b >>> 5] as number) & (1 << (b & 31))) !== 0;
}

/** Unpacks a names value: the account position (or AMBIGUOUS, or undefined when no name ends at this key). */
export function nameSlot(value: number): number | undefined {
  const slot = value >> 3;
  return slot === SLOT_NONE ? undefined : slot === SLOT_AMBIGUOUS ? AMBIGUOUS : slot - 2;
}

/** Whether a names value says longer names start with this key. */
export function isNamePrefix(value: number): boolean {
  return (value & PREFIX) !== 0;
}

/**
 * How a name key found in free text may match (NameMode, and the words as written for exactCase): decided by the
 * first name or alias with this key of the (first) account that has it. Cached on the index.
 */
export function modeOf(index: MatchIndex, key: string, packed: number): { mode: number; asWritten: string } {
  let known = index.modes.get(key);
  if (known === undefined) {
    const slot = packed >> 3;
    const pos = slot === SLOT_AMBIGUOUS ? (index.firstOwners.get(key) as number) : slot - 2;
    const account = index.account(pos);
    const name = [account.name, ...account.aliases].find((n) => nameKey(n) === key) ?? account.name;
    const mode = nameMode(name);
    known = { mode, asWritten: mode === NameMode.exactCase ? caseKey(name) : "" };
    index.modes.set(key, known);
  }
  return known;
}

/**
 * The account position for a domain (or a parent of it: `eu.acme.com` finds `acme.com`), AMBIGUOUS, or undefined.
 * A personal mail domain never matches.
 */
export function findDomain(index: MatchIndex, domain: string): number | undefined {
  let d = domain.toLowerCase();
  if (d.startsWith("www.")) d = d.slice(4);
  for (;;) {
    if (isPersonalDomain(d)) return undefined;
    const pos = index.domains.get(d);
    if (pos !== undefined) return pos;
    const dot = d.indexOf(".");
    // Stop before a bare top-level domain ("com", "uk").
    if (dot < 0 || d.indexOf(".", dot + 1) < 0) return undefined;
    d = d.slice(dot + 1);
  }
}

/** The account position for an account id: exact first, then ignoring case; AMBIGUOUS or undefined. */
function findId(index: MatchIndex, id: string): number | undefined {
  const exact = index.idsExact.get(id);
  if (exact !== undefined) return exact;
  return index.ids.get(id.toLowerCase());
}

/** The account position for an external id, in `system` or any; AMBIGUOUS or undefined. */
function findExternal(index: MatchIndex, value: string, system: string | undefined): number | undefined {
  const sys = system?.toLowerCase();
  const v = (sys === undefined || sys === "salesforce" ? salesforceId18(value) : value).toLowerCase();
  let pos = index.external.get(v);
  if (pos === undefined && sys === undefined && v !== value.toLowerCase()) {
    // A 15-character value with no system: maybe not a Salesforce id after all.
    pos = index.external.get(value.toLowerCase());
  }
  if (pos === undefined || sys === undefined) return pos;
  if (pos === AMBIGUOUS) return index.externalBySystem.get(`${sys}\u0000${v}`);
  // The value is unique across systems; check it is this account's id in the system asked for.
  const ext = index.account(pos).externalIds;
  for (const s in ext) {
    if (s.toLowerCase() === sys && normalizeExternal(s, ext[s] as string).toLowerCase() === v) return pos;
  }
  return undefined;
}

const SALESFORCE_15 = /^[A-Za-z0-9]{15}$/;

/**
 * An id found in free text (a run of letters, digits, - and _): the account whose id or external id it is, exactly
 * as written (a Salesforce id also in its 15-character form), packed as position × 2 + 1 for an external id or + 0
 * for an account id (which wins when both name the same account); AMBIGUOUS when it is two accounts' (ignoring
 * case); undefined when it is nobody's or not distinctive (isDistinctiveId), since short ids look like any number.
 * It reads the same maps as lookupIdentifier, so free-text ids cost the index no memory of their own.
 */
export function findTextId(index: MatchIndex, run: string): number | undefined {
  if (!isDistinctiveId(run)) return undefined;
  let exact = run;
  let lower = run.toLowerCase();
  let ext = index.external.get(lower);
  if (SALESFORCE_15.test(run)) {
    const long = salesforceId18(run);
    const found = index.external.get(long.toLowerCase());
    if (found !== undefined) {
      exact = long;
      lower = long.toLowerCase();
      ext = found;
    }
  }
  const own = index.ids.get(lower);
  if (ext === AMBIGUOUS || own === AMBIGUOUS) return AMBIGUOUS;
  let external = false;
  if (ext !== undefined) {
    const ids = index.account(ext).externalIds;
    for (const system in ids) {
      if (normalizeExternal(system, ids[system] as string) === exact) external = true;
    }
  }
  const account = own !== undefined && index.account(own).id === exact;
  if (account && external && own !== ext) return AMBIGUOUS;
  if (account) return (own as number) * 2;
  return external ? (ext as number) * 2 + 1 : undefined;
}

/**
 * The account an identifier read from a known place names, or undefined. Exact, case-insensitive; an email by its
 * domain unless the domain is a personal mail provider; a name by nameKey (suffixes, accents, punctuation ignored).
 * A key two accounts share names neither.
 */
export function lookupIdentifier(index: MatchIndex, identifier: IdentifierQuery): string | undefined {
  const value = identifier.value.trim();
  let pos: number | undefined;
  switch (identifier.kind) {
    case "email":
    case "domain": {
      const domain = domainOf(value);
      pos = domain === undefined ? undefined : findDomain(index, domain);
      break;
    }
    case "accountId":
      pos = findId(index, value);
      break;
    case "externalId":
      pos = findExternal(index, value, identifier.system);
      break;
    case "name": {
      const key = nameKey(value);
      const packed = key === "" ? undefined : index.names.get(key);
      pos = packed === undefined ? undefined : nameSlot(packed);
      break;
    }
  }
  return pos === undefined || pos === AMBIGUOUS ? undefined : pos < index.count ? index.account(pos).id : undefined;
}
