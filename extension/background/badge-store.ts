import Dexie, { type Table } from "dexie";
import { z } from "zod";
import { nameKey } from "../../core/match/identifiers.ts";
import type { MatchIndex } from "../../core/match/match-index.ts";
import {
  type IndexHead,
  isIndexHead,
  isPackedShard,
  type Missing,
  matchPaged,
  type PackedTable,
  positionOf,
  type ShardedIndex,
  shardIndex,
  shardKey,
  type TableName,
} from "../../core/match/packed-index.ts";
import { BadgeAccount, type BadgeSet } from "../../core/schema/badge.ts";

// The extension's own IndexedDB (the extension origin, shared by the background, the options page and the popup).
// IndexedDB rather than storage.local: a set of 100,000 accounts is tens of megabytes, over storage.local's 10 MB
// without the `unlimitedStorage` permission, and IndexedDB can read back only the chunks a lookup matched.

/** Where the stored set came from: the PWA through the bridge (with its origin), or a file the user imported. */
export const DataSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("bridge"), origin: z.string() }),
  z.object({ kind: z.literal("file"), fileName: z.string() }),
]);
/** Where the stored set came from. */
export type DataSource = z.infer<typeof DataSource>;

/** What is known about the stored set as a whole: where it came from, when, and how many accounts. */
export const SetInfo = z.object({
  source: DataSource,
  /** ISO timestamp the extension stored the set. */
  receivedAt: z.string(),
  /** ISO timestamp the PWA made the set. */
  generatedAt: z.string(),
  pwaUrl: z.string().optional(),
  /** The set is the app's demo portfolio. */
  demo: z.boolean().optional(),
  accounts: z.number().int().nonnegative(),
});
/** What is known about the stored set. */
export type SetInfo = z.infer<typeof SetInfo>;

/** Accounts stored per chunk row: a lookup reads the few chunks its matches are in, an import writes few rows. */
export const CHUNK_SIZE = 64;

/** A chunk of the stored set: the accounts at positions n × CHUNK_SIZE onwards, in the set's order, each as JSON. */
export interface ChunkRow {
  readonly n: number;
  readonly accounts: readonly string[];
}

/**
 * The set's search words, packed: each account's words (lower-case words of the name and aliases, the domains and
 * the id; see termsOf), space-separated, one account after another separated by a newline; `ends[p]` is where
 * position p's words end.
 */
export interface PackedTerms {
  readonly version: number;
  readonly text: string;
  readonly ends: Uint32Array;
}

/** A packed record stored by key: the match index's head ("head") or the search words ("terms"). */
export interface PackedRow {
  readonly key: "head" | "terms";
  readonly value: unknown;
}

/** One shard of the match index's tables, by shardKey (`domains/17`). */
export interface ShardRow {
  readonly key: string;
  readonly value: unknown;
}

/** A small fact stored by key (the set's info). */
export interface BadgeMetaRow {
  readonly key: string;
  readonly value: unknown;
}

/** Version 1's row: one per account, with its search words (read only by the upgrade to version 2). */
interface V1Row {
  readonly id: string;
  readonly account: unknown;
}

/** The name of the extension's database. */
export const BADGE_DATABASE_NAME = "vitals-badges";

/**
 * The extension's database: the current set as a few large rows (chunks of accounts in the set's order), its match
 * index packed beside them in shards (a woken service worker reads the index's small head, the shards its lookup's
 * keys are in and the chunks of the accounts they name: no rebuilding, and no reading the whole index), the search
 * words packed in one row, and the set's info. Version 1 stored one row per account with a multi-entry index of
 * words: importing 100,000 accounts took a minute, and a woken worker read them all back to rebuild the index.
 * Versions 2 and 3 stored the index as one row (32 MB at 100,000, with each account's names again): reading it back
 * took a woken worker hundreds of milliseconds; version 4 drops it, and the first lookup builds the shards from the
 * stored accounts and stores them.
 */
export class BadgeDb extends Dexie {
  chunks!: Table<ChunkRow, number>;
  packed!: Table<PackedRow, string>;
  shards!: Table<ShardRow, string>;
  meta!: Table<BadgeMetaRow, string>;

  constructor(name: string = BADGE_DATABASE_NAME) {
    super(name, { cache: "disabled" });
    this.version(1).stores({ accounts: "id, *terms", meta: "key" });
    // Version 1's rows move to chunks, in the order they were read (by id); the index is built on first use.
    this.version(2)
      .stores({ chunks: "n", packed: "key" })
      .upgrade(async (tx) => {
        const rows = (await tx.table("accounts").toArray()) as V1Row[];
        await tx.table("chunks").bulkPut(chunksOf(rows.map((row) => JSON.stringify(row.account))));
      });
    this.version(3).stores({ accounts: null });
    this.version(4)
      .stores({ shards: "key" })
      .upgrade(async (tx) => {
        await tx.table("packed").delete("index");
      });
  }
}

let shared: BadgeDb | undefined;
/** The database of this extension context, opened once. */
export function badgeDb(): BadgeDb {
  shared ??= new BadgeDb();
  return shared;
}

/** The version of PackedTerms' layout (and of termsOf): other versions are rebuilt. */
const TERMS_VERSION = 1;

function chunksOf(json: readonly string[]): ChunkRow[] {
  const rows: ChunkRow[] = [];
  for (let i = 0; i < json.length; i += CHUNK_SIZE)
    rows.push({ n: i / CHUNK_SIZE, accounts: json.slice(i, i + CHUNK_SIZE) });
  return rows;
}

function termsOf(account: BadgeAccount): string[] {
  const words = [account.name, ...account.aliases].flatMap((n) => nameKey(n).split(" "));
  return [...new Set([...words, ...account.domains.map((d) => d.toLowerCase()), account.id.toLowerCase()])].filter(
    (t) => t.length > 0,
  );
}

/** The search words of these accounts, packed (PackedTerms); words never hold spaces or newlines. */
export function packTerms(accounts: readonly BadgeAccount[]): PackedTerms {
  const ends = new Uint32Array(accounts.length);
  const blocks: string[] = [];
  let end = -1;
  for (let pos = 0; pos < accounts.length; pos++) {
    const block = termsOf(accounts[pos] as BadgeAccount)
      .map((t) => t.replace(/\s/g, ""))
      .join(" ");
    blocks.push(block);
    end += block.length + 1;
    ends[pos] = end;
  }
  return { version: TERMS_VERSION, text: blocks.join("\n"), ends };
}

function isPackedTerms(value: unknown): value is PackedTerms {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Partial<PackedTerms>;
  return t.version === TERMS_VERSION && typeof t.text === "string" && t.ends instanceof Uint32Array;
}

/** What a set is stored as: its chunks, index and search words, all made before the write transaction starts. */
interface Prepared {
  chunks: ChunkRow[];
  index: ShardedIndex;
  terms: PackedTerms;
}

function prepare(accounts: readonly BadgeAccount[]): Prepared {
  return {
    chunks: chunksOf(accounts.map((a) => JSON.stringify(a))),
    index: shardIndex(accounts),
    terms: packTerms(accounts),
  };
}

function shardRows(index: ShardedIndex): ShardRow[] {
  return index.shards.map((s) => ({ key: shardKey(s.table, s.shard), value: s.packed }));
}

/**
 * Replaces the stored set whole, in one transaction: readers see the old set or the new one, never a mix, and a
 * failed write leaves the old one in place. The set must already be parsed (BadgeSet). The index and search words
 * are built here and stored with the accounts, so no reader builds them again.
 */
export async function replaceBadgeSet(
  db: BadgeDb,
  set: BadgeSet,
  source: DataSource,
  now: Date = new Date(),
): Promise<SetInfo> {
  const info: SetInfo = {
    source,
    receivedAt: now.toISOString(),
    generatedAt: set.generatedAt,
    ...(set.pwaUrl !== undefined ? { pwaUrl: set.pwaUrl } : {}),
    ...(set.demo ? { demo: true } : {}),
    accounts: set.accounts.length,
  };
  const prepared = prepare(set.accounts);
  await db.transaction("rw", db.chunks, db.packed, db.shards, db.meta, async () => {
    await db.chunks.clear();
    await db.chunks.bulkPut(prepared.chunks);
    await db.shards.clear();
    await db.shards.bulkPut(shardRows(prepared.index));
    await db.packed.bulkPut([
      { key: "head", value: prepared.index.head },
      { key: "terms", value: prepared.terms },
    ]);
    await db.meta.put({ key: "set", value: info });
  });
  return info;
}

/** What a patch changes: the set's header (its time, address and demo flag) and the changed accounts. */
export interface BadgePatch {
  generatedAt: string;
  pwaUrl?: string;
  demo?: boolean;
  accounts: readonly BadgeAccount[];
}

/** What the match index and the search words are made from: a patch that changes any of it needs the whole set. */
const matchKeyOf = (a: BadgeAccount) =>
  JSON.stringify([a.id, a.name, a.domains, Object.entries(a.externalIds).sort(), a.aliases]);

/**
 * Patches a few accounts into the stored set (a delta from the app: a CSM rated, overrode or noted them), in one
 * transaction, without touching the match index or the search words: only the changed accounts' chunks and the set's
 * info are written. Refused, with nothing written, unless the stored set came from the same source (the bridge, from
 * this origin), is the demo's exactly when the patch is, and holds every account with the same name, aliases,
 * domains and ids (what the index is made from); the caller then asks for the whole set. The accounts must already
 * be parsed (BadgeAccount).
 */
export async function patchBadgeSet(
  db: BadgeDb,
  patch: BadgePatch,
  source: DataSource,
  now: Date = new Date(),
): Promise<{ patched: true; info: SetInfo } | { patched: false; reason: string }> {
  return db.transaction("rw", db.chunks, db.packed, db.shards, db.meta, async () => {
    const info = await setInfo(db);
    if (!info || JSON.stringify(info.source) !== JSON.stringify(source)) {
      return { patched: false, reason: "the stored set is not from this app" } as const;
    }
    if (Boolean(info.demo) !== Boolean(patch.demo)) {
      return { patched: false, reason: "the stored set is not the demo's exactly when the patch is" } as const;
    }
    const head = (await db.packed.get("head"))?.value;
    if (!isIndexHead(head) || head.count !== info.accounts) {
      return { patched: false, reason: "the stored set has no index" } as const;
    }
    // The accounts' positions, from the shards of their ids (read here, in this transaction).
    const pages: IndexPages = { head, shards: new Map(), accounts: new Map() };
    let found: (number | undefined)[];
    try {
      found = await matchPaged(
        head,
        sourceOf(pages),
        (missing) => readPages(db, pages, missing),
        (index) => patch.accounts.map((account) => positionOf(index, account.id)),
      );
    } catch (error) {
      if (error instanceof DamagedIndex)
        return { patched: false, reason: "the stored set's index is damaged" } as const;
      throw error;
    }
    const changed = new Map<number, string[]>();
    for (const [i, account] of patch.accounts.entries()) {
      const pos = found[i];
      if (pos === undefined)
        return { patched: false, reason: `the stored set has no account "${account.id}"` } as const;
      const n = Math.floor(pos / CHUNK_SIZE);
      let accounts = changed.get(n);
      if (!accounts) {
        const chunk = await db.chunks.get(n);
        if (!chunk) return { patched: false, reason: `the stored set has no chunk ${n}` } as const;
        accounts = [...chunk.accounts];
        changed.set(n, accounts);
      }
      const stored = readAccount(accounts[pos % CHUNK_SIZE]);
      if (!stored || matchKeyOf(stored) !== matchKeyOf(account)) {
        return { patched: false, reason: `account "${account.id}" changed how it is found` } as const;
      }
      accounts[pos % CHUNK_SIZE] = JSON.stringify(account);
    }
    await db.chunks.bulkPut([...changed].map(([n, accounts]) => ({ n, accounts })));
    const next: SetInfo = {
      ...info,
      receivedAt: now.toISOString(),
      generatedAt: patch.generatedAt,
      ...(patch.pwaUrl !== undefined ? { pwaUrl: patch.pwaUrl } : {}),
    };
    await db.meta.put({ key: "set", value: next });
    return { patched: true, info: next } as const;
  });
}

/** The stored set's info, or undefined when nothing was ever stored (or the row is not readable). */
export async function setInfo(db: BadgeDb): Promise<SetInfo | undefined> {
  const row = await db.meta.get("set");
  const parsed = SetInfo.safeParse(row?.value);
  return parsed.success ? parsed.data : undefined;
}

/** A stored account as JSON, read back through the schema; undefined when it is not readable. */
function readAccount(json: string | undefined): BadgeAccount | undefined {
  if (json === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = BadgeAccount.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A stand-in for an unreadable stored account: it keeps its position and matches nothing. */
const UNREADABLE: BadgeAccount = BadgeAccount.parse({
  id: "\u0000unreadable",
  name: "\u0000",
  scorecard: "",
  score: null,
  shown: null,
  grade: "—",
  color: "grey",
  label: "",
  delta: null,
  coverage: 0,
  asOf: "2000-01-01",
});

/**
 * Builds the index and search words again from the stored accounts and stores them (when they are missing, of
 * another version, damaged, or of another set): after an upgrade of the extension or of the database. Returns the
 * index's head.
 */
async function rebuildPacked(db: BadgeDb): Promise<IndexHead> {
  return db.transaction("rw", db.chunks, db.packed, db.shards, async () => {
    const chunks = await db.chunks.orderBy("n").toArray();
    const accounts = chunks.flatMap((c) => c.accounts.map((json) => readAccount(json) ?? UNREADABLE));
    const index = shardIndex(accounts);
    await db.shards.clear();
    await db.shards.bulkPut(shardRows(index));
    await db.packed.bulkPut([
      { key: "head", value: index.head },
      { key: "terms", value: packTerms(accounts) },
    ]);
    return index.head;
  });
}

/**
 * The head of the stored set's match index (read with the set's info, in one read); rebuilt from the accounts (and
 * stored again, shards and all) only when it is missing, of another version or of another set.
 */
export async function loadHead(db: BadgeDb): Promise<IndexHead> {
  const [row, meta] = await db.transaction("r", db.packed, db.meta, () =>
    Promise.all([db.packed.get("head"), db.meta.get("set")]),
  );
  const info = SetInfo.safeParse(meta?.value);
  const count = info.success ? info.data.accounts : 0;
  if (isIndexHead(row?.value) && row.value.count === count) return row.value;
  return rebuildPacked(db);
}

/**
 * What a reader of the stored index holds in memory: the head, the shards and the accounts read so far (accounts
 * by position, unreadable ones as UNREADABLE). Kept for a service worker's life, dropped with the set.
 */
export interface IndexPages {
  head: IndexHead;
  readonly shards: Map<string, PackedTable>;
  readonly accounts: Map<number, BadgeAccount>;
}

/** A new reader of the stored index: its head, nothing else read yet. */
export async function openIndex(db: BadgeDb): Promise<IndexPages> {
  return { head: await loadHead(db), shards: new Map(), accounts: new Map() };
}

/** Thrown when a shard the head names is not stored as it should be: the index is rebuilt. */
class DamagedIndex extends Error {}

/**
 * Reads what a pass missed into `pages` (in the caller's transaction): the shards (each checked; DamagedIndex when
 * one is missing or not a shard) and the chunks of the accounts (each parsed through the schema).
 */
async function readPages(db: BadgeDb, pages: IndexPages, missing: Missing): Promise<void> {
  const shardKeys = [...missing.shards];
  const positions = [...missing.positions];
  const chunkNumbers = [...new Set(positions.map((p) => Math.floor(p / CHUNK_SIZE)))];
  const [shards, chunks] = await Promise.all([
    shardKeys.length > 0 ? db.shards.bulkGet(shardKeys) : [],
    chunkNumbers.length > 0 ? db.chunks.bulkGet(chunkNumbers) : [],
  ]);
  shardKeys.forEach((key, i) => {
    const value = shards[i]?.value;
    if (!isPackedShard(value)) throw new DamagedIndex(`shard ${key}`);
    pages.shards.set(key, value);
  });
  const byNumber = new Map<number, ChunkRow>();
  for (const row of chunks) if (row) byNumber.set(row.n, row);
  for (const pos of positions) {
    const json = byNumber.get(Math.floor(pos / CHUNK_SIZE))?.accounts[pos % CHUNK_SIZE];
    pages.accounts.set(pos, readAccount(json) ?? UNREADABLE);
  }
}

/**
 * Reads what a pass missed into `pages`, in one read-only transaction. A shard that is missing or damaged means the
 * index is: it is rebuilt and `pages` starts again from the new head.
 */
async function fetchPages(db: BadgeDb, pages: IndexPages, missing: Missing): Promise<void> {
  try {
    await db.transaction("r", db.shards, db.chunks, () => readPages(db, pages, missing));
  } catch (error) {
    if (!(error instanceof DamagedIndex)) throw error;
    pages.head = await rebuildPacked(db);
    pages.shards.clear();
  }
}

/** Where a paged index over `pages` finds what is in memory. */
function sourceOf(pages: IndexPages) {
  return {
    shard: (table: TableName, shard: number) => pages.shards.get(shardKey(table, shard)),
    account: (pos: number) => pages.accounts.get(pos),
  };
}

/**
 * Runs `match` over the stored index (core/match's matchPaged): each pass that misses shards or accounts reads
 * them, all at once, into `pages`, and runs again. A lookup after a wake reads the head, the shards of its keys,
 * then the chunks of the accounts they name.
 */
export function withIndex<T>(
  db: BadgeDb,
  pages: IndexPages,
  match: (index: MatchIndex, complete: () => boolean) => T,
): Promise<T> {
  const head = pages.head;
  return matchPaged(
    head,
    sourceOf(pages),
    (missing) => fetchPages(db, pages, missing),
    (index, complete) => {
      // The index was rebuilt while this ran: start again over the new one.
      if (pages.head !== head) throw new RestartMatch();
      return match(index, complete);
    },
  ).catch((error: unknown) => {
    if (error instanceof RestartMatch) return withIndex(db, pages, match);
    throw error;
  });
}

class RestartMatch extends Error {}

/** The stored accounts at these positions (unreadable ones left out), by position. */
export async function accountsAt(db: BadgeDb, positions: readonly number[]): Promise<Map<number, BadgeAccount>> {
  const wanted = [...new Set(positions)].filter((p) => Number.isInteger(p) && p >= 0);
  const chunkNumbers = [...new Set(wanted.map((p) => Math.floor(p / CHUNK_SIZE)))];
  const rows = await db.chunks.bulkGet(chunkNumbers);
  const byNumber = new Map<number, ChunkRow>();
  for (const row of rows) if (row) byNumber.set(row.n, row);
  const out = new Map<number, BadgeAccount>();
  for (const pos of wanted) {
    const account = readAccount(byNumber.get(Math.floor(pos / CHUNK_SIZE))?.accounts[pos % CHUNK_SIZE]);
    if (account) out.set(pos, account);
  }
  return out;
}

/** The stored accounts with these ids (missing ones left out), by id (a Map: any string is an id, `__proto__` too). */
export async function badgeAccounts(db: BadgeDb, ids: readonly string[]): Promise<Map<string, BadgeAccount>> {
  const out = new Map<string, BadgeAccount>();
  if (ids.length === 0) return out;
  const pages = await openIndex(db);
  const positions = await withIndex(db, pages, (index) =>
    [...new Set(ids)].flatMap((id) => positionOf(index, id) ?? []),
  );
  for (const pos of positions) {
    const account = pages.accounts.get(pos);
    if (account && account !== UNREADABLE) out.set(account.id, account);
  }
  return out;
}

/** Whether an account read back is the stand-in for an unreadable one. */
export function isUnreadable(account: BadgeAccount): boolean {
  return account === UNREADABLE;
}

/** The packed search words of the stored set, rebuilt when missing or of another version. */
async function loadTerms(db: BadgeDb): Promise<PackedTerms> {
  const row = await db.packed.get("terms");
  if (isPackedTerms(row?.value)) return row.value;
  await rebuildPacked(db);
  const again = await db.packed.get("terms");
  return isPackedTerms(again?.value) ? again.value : packTerms([]);
}

/** The position whose words span character `at` of the packed text (binary search over the ends). */
function positionAt(ends: Uint32Array, at: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ends[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Accounts whose name, alias, domain or id has words starting with every word of the query (case and accents
 * ignored), by name, at most `limit` (the first found in the set's order). Searches the packed words in one string,
 * so it stays fast at 100,000.
 */
export async function searchBadgeAccounts(db: BadgeDb, query: string, limit = 20): Promise<BadgeAccount[]> {
  const words = query
    .split(/\s+/)
    .flatMap((w) =>
      w.includes(".") || w.includes("@") ? [w.toLowerCase().replace(/^.*@/, "")] : nameKey(w).split(" "),
    )
    .filter((w) => w.length > 0);
  const [first, ...rest] = words;
  if (first === undefined || limit <= 0) return [];
  const { text, ends } = await loadTerms(db);
  const found: number[] = [];
  for (let at = text.indexOf(first); at >= 0 && found.length < limit; at = text.indexOf(first, at + 1)) {
    const before = at === 0 ? 10 : text.charCodeAt(at - 1);
    if (before !== 32 && before !== 10) continue; // not the start of a word
    const pos = positionAt(ends, at);
    const start = pos === 0 ? 0 : (ends[pos - 1] as number) + 1;
    const terms = text.slice(start, ends[pos]).split(" ");
    if (rest.every((w) => terms.some((t) => t.startsWith(w)))) found.push(pos);
    // The next word start is in the next account at the earliest when this one is taken or refused as a whole.
    at = ends[pos] as number;
  }
  const accounts = await accountsAt(db, found);
  return [...accounts.values()].sort((a, b) => a.name.localeCompare(b.name));
}
