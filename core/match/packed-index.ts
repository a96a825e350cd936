import type { BadgeAccount } from "../schema/badge.ts";
import { buildAll, buildIndex, type KeyTable, type MatchAccount, type MatchIndex, wordHash } from "./match-index.ts";

// The match index in a form IndexedDB stores as it is: a small head (the Bloom filter of name words) and each
// table's keys in shards by hash, a few strings and typed arrays each, no objects per key. A woken service worker
// reads the head, then only the shards its lookup's keys fall in and the accounts they name, and answers at once:
// building the index again (buildIndex) means reading every account and seconds of work at 100,000, and reading
// it whole (32 MB at 100,000) costs IndexedDB hundreds of milliseconds.

/**
 * The packed form's version: a stored index of another version (or none) is rebuilt from the accounts. Bump it
 * whenever what the index holds or how it is laid out changes, including buildIndex's matching rules.
 */
export const PACKED_INDEX_VERSION = 2;

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

/** The index's tables, each stored in shards of its keys (by their hash). */
export type TableName = (typeof TABLES)[number];

/**
 * What is stored of the index apart from its shards, in one small record: the version, the number of accounts, how
 * many shards each table has (2^bits), and the Bloom filter of the words names start with (free text tests every
 * word against it before it asks a table).
 */
export interface IndexHead {
  readonly version: number;
  readonly count: number;
  /**
   * Whether two accounts have exactly the same id. When none do, the account a match names is the one matching
   * read, and a reader needs no id table to find its position.
   */
  readonly duplicateIds: boolean;
  readonly bits: Readonly<Record<TableName, number>>;
  readonly firstWords: Uint32Array;
}

/** One shard of one table: the keys whose hash's top bits are `shard`, packed (PackedTable). */
export interface IndexShard {
  readonly table: TableName;
  readonly shard: number;
  readonly packed: PackedTable;
}

/** The index packed for storage: its head and every table's shards. */
export interface ShardedIndex {
  readonly head: IndexHead;
  readonly shards: readonly IndexShard[];
}

/** About this many keys per shard: a lookup of a few hundred keys reads a few hundred kilobytes, not the index. */
const KEYS_PER_SHARD = 512;
/** At most 2^12 shards per table. */
const MAX_BITS = 12;

/** The number of bits that split a table of `size` keys into shards of about `keysPerShard`. */
function bitsFor(size: number, keysPerShard: number): number {
  let bits = 0;
  while (bits < MAX_BITS && size > keysPerShard * 2 ** bits) bits++;
  return bits;
}

/** The shard a key of a table with 2^bits shards is in: the top bits of its hash (the slots use the low ones). */
export function shardOf(bits: number, key: string): number {
  return bits === 0 ? 0 : wordHash(key) >>> (32 - bits);
}

/** The storage key of a shard. */
export function shardKey(table: TableName, shard: number): string {
  return `${table}/${shard}`;
}

/**
 * Builds the index of these accounts, every family of it, packed for storage in shards (about `keysPerShard` keys
 * each). The accounts themselves are not in it: what matching reads of an account (MatchAccount) comes from the
 * stored accounts (pagedIndex).
 */
export function shardIndex(accounts: readonly BadgeAccount[], keysPerShard = KEYS_PER_SHARD): ShardedIndex {
  const built = buildAll(buildIndex(accounts));
  const bits = {} as Record<TableName, number>;
  const shards: IndexShard[] = [];
  for (const table of TABLES) {
    const map = built[table];
    const b = bitsFor(map.size, keysPerShard);
    bits[table] = b;
    const parts = Array.from({ length: 1 << b }, () => new Map<string, number>());
    for (const [key, value] of map) (parts[shardOf(b, key)] as Map<string, number>).set(key, value);
    parts.forEach((part, shard) => {
      shards.push({ table, shard, packed: packTable(part) });
    });
  }
  return {
    head: {
      version: PACKED_INDEX_VERSION,
      count: accounts.length,
      duplicateIds: new Set(accounts.map((a) => a.id)).size !== accounts.length,
      bits,
      firstWords: built.firstWords,
    },
    shards,
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
 * Whether a stored value is an index head of this version (a stored value is never trusted: an older extension's,
 * or a damaged one, is rebuilt instead).
 */
export function isIndexHead(value: unknown): value is IndexHead {
  if (typeof value !== "object" || value === null) return false;
  const h = value as Partial<Record<keyof IndexHead, unknown>>;
  if (h.version !== PACKED_INDEX_VERSION || typeof h.count !== "number" || !(h.firstWords instanceof Uint32Array))
    return false;
  if (typeof h.duplicateIds !== "boolean") return false;
  const bits = h.bits as Record<string, unknown> | undefined;
  return (
    typeof bits === "object" &&
    bits !== null &&
    TABLES.every((t) => Number.isInteger(bits[t]) && (bits[t] as number) >= 0 && (bits[t] as number) <= MAX_BITS)
  );
}

/** Whether a stored value is a shard as shardIndex packs it. */
export function isPackedShard(value: unknown): value is PackedTable {
  return isPackedTable(value);
}

/** Where a paged index reads shards and accounts from: what is in memory now, undefined for what is not. */
export interface PagedSource {
  shard(table: TableName, shard: number): PackedTable | undefined;
  account(pos: number): MatchAccount | undefined;
}

/** What a pass over a paged index asked for and did not have: shard keys (shardKey) and account positions. */
export interface Missing {
  readonly shards: Set<string>;
  readonly positions: Set<number>;
}

/** A stand-in for an account not in memory yet: it has no name, alias or id that anything matches. */
const ABSENT: MatchAccount = { id: "\u0000absent", name: "\u0000", aliases: [], externalIds: {} };

/**
 * The match index over a stored head, reading shards and accounts from `source`. Whatever is not in memory is
 * noted in `missing` and read as empty (no key, an account that matches nothing), so a pass over it that missed
 * something must be thrown away and run again once those are read (matchPaged). Tables are read in place, nothing
 * is rebuilt.
 */
export function pagedIndex(head: IndexHead, source: PagedSource, missing: Missing): MatchIndex {
  const tables = new Map<string, KeyTable>();
  const tableOfShard = (table: TableName, shard: number): KeyTable | undefined => {
    const key = shardKey(table, shard);
    let t = tables.get(key);
    if (t === undefined) {
      const packed = source.shard(table, shard);
      if (packed === undefined) {
        missing.shards.add(key);
        return undefined;
      }
      t = tableOf(packed);
      tables.set(key, t);
    }
    return t;
  };
  const paged = (table: TableName): KeyTable => {
    const bits = head.bits[table];
    return {
      size: Number.NaN,
      get: (key) => tableOfShard(table, shardOf(bits, key))?.get(key),
    };
  };
  return {
    count: head.count,
    account(pos) {
      if (!(Number.isInteger(pos) && pos >= 0 && pos < head.count)) return ABSENT;
      const found = source.account(pos);
      if (found !== undefined) return found;
      missing.positions.add(pos);
      return ABSENT;
    },
    ids: paged("ids"),
    idsExact: paged("idsExact"),
    external: paged("external"),
    externalBySystem: paged("externalBySystem"),
    domains: paged("domains"),
    names: paged("names"),
    firstOwners: paged("firstOwners"),
    firstWords: head.firstWords,
    modes: new Map(),
  };
}

/**
 * Runs `match` over a paged index until it ran with everything it asked for in memory: after a pass that missed
 * shards or accounts, `fetch` reads them (one read for the lot) and the pass runs again. Each pass asks for more or
 * finishes, so this ends; an ordinary lookup takes three passes (the keys' shards, then the accounts they name). `fetch` must make everything it was asked for available to `source` (an
 * unreadable account as one that matches nothing). `complete()` tells `match` whether its pass has missed nothing
 * so far, so it can skip work whose answer would be thrown away.
 */
export async function matchPaged<T>(
  head: IndexHead,
  source: PagedSource,
  fetch: (missing: Missing) => Promise<void>,
  match: (index: MatchIndex, complete: () => boolean) => T,
): Promise<T> {
  for (;;) {
    const missing: Missing = { shards: new Set(), positions: new Set() };
    const complete = () => missing.shards.size === 0 && missing.positions.size === 0;
    // A new index each pass: its name modes (modeOf) were worked out from what was in memory then.
    const result = match(pagedIndex(head, source, missing), complete);
    if (missing.shards.size === 0 && missing.positions.size === 0) return result;
    await fetch(missing);
  }
}

/** The position of the account with this id (exactly as written), or undefined. */
export function positionOf(index: MatchIndex, id: string): number | undefined {
  const pos = index.idsExact.get(id) ?? index.ids.get(id.toLowerCase());
  return pos !== undefined && pos >= 0 && index.account(pos).id === id ? pos : undefined;
}
