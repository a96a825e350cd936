import type { BadgeAccount } from "../schema/badge.ts";
import { buildAll, buildIndex, type KeyTable, type MatchAccount, type MatchIndex, wordHash } from "./match-index.ts";

// The match index in a form IndexedDB stores as it is and reads back in one go: a few strings and typed arrays,
// no objects per key. A woken service worker reads it and answers its first lookup from it at once, where building
// the index again (buildIndex) means reading every account and a few hundred milliseconds of work at 100,000.

/**
 * The packed form's version: a stored index of another version (or none) is rebuilt from the accounts. Bump it
 * whenever what the index holds or how it is laid out changes, including buildIndex's matching rules.
 */
export const PACKED_INDEX_VERSION = 1;

/**
 * A string → number table packed for storage: the keys one after another in `keys` (entry e spans
 * `ends[e − 1] … ends[e]`), their values, and an open-addressing hash table of entry numbers + 1 (0: empty slot),
 * its length a power of two at least twice the entries, probed linearly from the key's hash.
 */
export interface PackedTable {
  readonly keys: string;
  readonly ends: Uint32Array;
  readonly values: Int32Array;
  readonly slots: Uint32Array;
}

/** The match index, packed (see MatchIndex for what each table holds). */
export interface PackedIndex {
  readonly version: number;
  readonly count: number;
  /** Each account's `[id, name, aliases, externalIds]` as JSON, one after another (position p ends at viewEnds[p]). */
  readonly views: string;
  readonly viewEnds: Uint32Array;
  readonly ids: PackedTable;
  readonly idsExact: PackedTable;
  readonly external: PackedTable;
  readonly externalBySystem: PackedTable;
  readonly domains: PackedTable;
  readonly names: PackedTable;
  readonly firstOwners: PackedTable;
  readonly firstWords: Uint32Array;
}

const TABLES = ["ids", "idsExact", "external", "externalBySystem", "domains", "names", "firstOwners"] as const;

/** A key's slot hash: FNV-1a (as the Bloom filter's words), its high bits folded into the low ones. */
function slotHash(key: string): number {
  const h = wordHash(key);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Packs one table. */
export function packTable(map: ReadonlyMap<string, number>): PackedTable {
  const n = map.size;
  const ends = new Uint32Array(n);
  const values = new Int32Array(n);
  let size = 2;
  while (size < 2 * n) size *= 2;
  const slots = new Uint32Array(size);
  const mask = size - 1;
  const parts: string[] = [];
  let end = 0;
  let e = 0;
  for (const [key, value] of map) {
    parts.push(key);
    end += key.length;
    ends[e] = end;
    values[e] = value;
    let i = slotHash(key) & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = e + 1;
    e++;
  }
  return { keys: parts.join(""), ends, values, slots };
}

/** Reads a packed table in place: each get hashes the key and compares it with the stored keys, allocating nothing. */
export function tableOf(table: PackedTable): KeyTable {
  const { keys, ends, values, slots } = table;
  const mask = slots.length - 1;
  return {
    size: values.length,
    get(key: string): number | undefined {
      const length = key.length;
      let i = slotHash(key) & mask;
      for (;;) {
        const slot = slots[i] as number;
        if (slot === 0) return undefined;
        const e = slot - 1;
        const start = e === 0 ? 0 : (ends[e - 1] as number);
        if ((ends[e] as number) - start === length && keys.startsWith(key, start)) return values[e];
        i = (i + 1) & mask;
      }
    },
  };
}

/** Builds the index of these accounts, every family of it, packed for storage. */
export function packIndex(accounts: readonly BadgeAccount[]): PackedIndex {
  const built = buildAll(buildIndex(accounts));
  const viewEnds = new Uint32Array(accounts.length);
  const views: string[] = [];
  let end = 0;
  for (let pos = 0; pos < accounts.length; pos++) {
    const a = accounts[pos] as BadgeAccount;
    const view = JSON.stringify([a.id, a.name, a.aliases, a.externalIds]);
    views.push(view);
    end += view.length;
    viewEnds[pos] = end;
  }
  return {
    version: PACKED_INDEX_VERSION,
    count: accounts.length,
    views: views.join(""),
    viewEnds,
    ids: packTable(built.ids),
    idsExact: packTable(built.idsExact),
    external: packTable(built.external),
    externalBySystem: packTable(built.externalBySystem),
    domains: packTable(built.domains),
    names: packTable(built.names),
    firstOwners: packTable(built.firstOwners),
    firstWords: built.firstWords,
  };
}

function isPackedTable(value: unknown): value is PackedTable {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Partial<Record<keyof PackedTable, unknown>>;
  if (typeof t.keys !== "string" || !(t.ends instanceof Uint32Array) || !(t.values instanceof Int32Array)) return false;
  if (!(t.slots instanceof Uint32Array) || t.ends.length !== t.values.length) return false;
  const size = t.slots.length;
  return (
    size >= 2 &&
    (size & (size - 1)) === 0 &&
    size >= 2 * t.values.length &&
    (t.ends.length === 0 || t.ends[t.ends.length - 1] === t.keys.length)
  );
}

/**
 * Whether a stored value is a packed index of this version, laid out as unpackIndex expects (a stored value is
 * never trusted: an older extension's, or a damaged one, is rebuilt instead).
 */
export function isPackedIndex(value: unknown): value is PackedIndex {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Partial<Record<keyof PackedIndex, unknown>>;
  if (p.version !== PACKED_INDEX_VERSION || typeof p.count !== "number" || typeof p.views !== "string") return false;
  if (!(p.viewEnds instanceof Uint32Array) || p.viewEnds.length !== p.count) return false;
  if (p.count > 0 && p.viewEnds[p.count - 1] !== p.views.length) return false;
  if (!(p.firstWords instanceof Uint32Array)) return false;
  return TABLES.every((name) => isPackedTable(p[name]));
}

/** The match index over a packed one, read in place: nothing is rebuilt, each account's view is parsed on first use. */
export function unpackIndex(packed: PackedIndex): MatchIndex {
  const { views, viewEnds, count } = packed;
  const parsed: (MatchAccount | undefined)[] = new Array(count);
  const account = (pos: number): MatchAccount => {
    let a = parsed[pos];
    if (a === undefined) {
      if (!(pos >= 0 && pos < count)) throw new RangeError(`no account at position ${pos}`);
      const [id, name, aliases, externalIds] = JSON.parse(
        views.slice(pos === 0 ? 0 : viewEnds[pos - 1], viewEnds[pos]),
      ) as [string, string, string[], Record<string, string>];
      a = { id, name, aliases, externalIds };
      parsed[pos] = a;
    }
    return a;
  };
  return {
    count,
    account,
    ids: tableOf(packed.ids),
    idsExact: tableOf(packed.idsExact),
    external: tableOf(packed.external),
    externalBySystem: tableOf(packed.externalBySystem),
    domains: tableOf(packed.domains),
    names: tableOf(packed.names),
    firstOwners: tableOf(packed.firstOwners),
    firstWords: packed.firstWords,
    modes: new Map(),
  };
}

/** The position of the account with this id (exactly as written), or undefined. */
export function positionOf(index: MatchIndex, id: string): number | undefined {
  const pos = index.idsExact.get(id) ?? index.ids.get(id.toLowerCase());
  return pos !== undefined && pos >= 0 && index.account(pos).id === id ? pos : undefined;
}
