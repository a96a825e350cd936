import Dexie, { type Table } from "dexie";
import { z } from "zod";
import { nameKey } from "../../core/match/identifiers.ts";
import { BadgeAccount, type BadgeSet } from "../../core/schema/badge.ts";

// The extension's own IndexedDB (the extension origin, shared by the background, the options page and the popup).
// IndexedDB rather than storage.local: a set of 100,000 accounts is tens of megabytes, over storage.local's 10 MB
// without the `unlimitedStorage` permission, and IndexedDB can read back only the accounts a lookup matched.

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

/** One stored account with the words it can be searched by. */
export interface BadgeRow {
  readonly id: string;
  /** Lower-case words of the name and aliases, the domains and the id: what the popup's search matches by prefix. */
  readonly terms: readonly string[];
  readonly account: BadgeAccount;
}

/** A small fact stored by key (the set's info). */
export interface BadgeMetaRow {
  readonly key: string;
  readonly value: unknown;
}

/** The name of the extension's database. */
export const BADGE_DATABASE_NAME = "vitals-badges";

/** The extension's database: the current badge set, one row per account, and its info. */
export class BadgeDb extends Dexie {
  accounts!: Table<BadgeRow, string>;
  meta!: Table<BadgeMetaRow, string>;

  constructor(name: string = BADGE_DATABASE_NAME) {
    super(name, { cache: "disabled" });
    this.version(1).stores({ accounts: "id, *terms", meta: "key" });
  }
}

let shared: BadgeDb | undefined;
/** The database of this extension context, opened once. */
export function badgeDb(): BadgeDb {
  shared ??= new BadgeDb();
  return shared;
}

/** Rows written per request: large enough to be fast, small enough to keep memory flat. */
const BATCH = 2000;

function termsOf(account: BadgeAccount): string[] {
  const words = [account.name, ...account.aliases].flatMap((n) => nameKey(n).split(" "));
  return [...new Set([...words, ...account.domains.map((d) => d.toLowerCase()), account.id.toLowerCase()])].filter(
    (t) => t.length > 0,
  );
}

/**
 * Replaces the stored set whole, in one transaction: readers see the old set or the new one, never a mix, and a
 * failed write leaves the old one in place. The set must already be parsed (BadgeSet).
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
  await db.transaction("rw", db.accounts, db.meta, async () => {
    await db.accounts.clear();
    for (let i = 0; i < set.accounts.length; i += BATCH) {
      await db.accounts.bulkPut(
        set.accounts.slice(i, i + BATCH).map((account) => ({ id: account.id, terms: termsOf(account), account })),
      );
    }
    await db.meta.put({ key: "set", value: info });
  });
  return info;
}

/** The stored set's info, or undefined when nothing was ever stored (or the row is not readable). */
export async function setInfo(db: BadgeDb): Promise<SetInfo | undefined> {
  const row = await db.meta.get("set");
  const parsed = SetInfo.safeParse(row?.value);
  return parsed.success ? parsed.data : undefined;
}

/** Every stored account (to build the match index), each read back through the schema; unreadable rows are skipped. */
export async function allBadgeAccounts(db: BadgeDb): Promise<BadgeAccount[]> {
  const rows = await db.accounts.toArray();
  const accounts: BadgeAccount[] = [];
  for (const row of rows) {
    const parsed = BadgeAccount.safeParse(row.account);
    if (parsed.success) accounts.push(parsed.data);
  }
  return accounts;
}

/** The stored accounts with these ids (missing ones left out), by id (a Map: any string is an id, `__proto__` too). */
export async function badgeAccounts(db: BadgeDb, ids: readonly string[]): Promise<Map<string, BadgeAccount>> {
  const rows = await db.accounts.bulkGet([...new Set(ids)]);
  const out = new Map<string, BadgeAccount>();
  for (const row of rows) {
    const parsed = BadgeAccount.safeParse(row?.account);
    if (parsed.success) out.set(parsed.data.id, parsed.data);
  }
  return out;
}

/**
 * Accounts whose name, alias, domain or id has words starting with every word of the query (case and accents
 * ignored), by name, at most `limit`. Uses the `terms` index for the first word, so it stays fast at 100,000.
 */
export async function searchBadgeAccounts(db: BadgeDb, query: string, limit = 20): Promise<BadgeAccount[]> {
  const words = query
    .split(/\s+/)
    .flatMap((w) =>
      w.includes(".") || w.includes("@") ? [w.toLowerCase().replace(/^.*@/, "")] : nameKey(w).split(" "),
    )
    .filter((w) => w.length > 0);
  const [first, ...rest] = words;
  if (first === undefined) return [];
  const seen = new Set<string>();
  const found: BadgeAccount[] = [];
  await db.accounts
    .where("terms")
    .startsWith(first)
    .until(() => found.length >= limit)
    .each((row) => {
      if (seen.has(row.id)) return;
      seen.add(row.id);
      if (!rest.every((w) => row.terms.some((t) => t.startsWith(w)))) return;
      const parsed = BadgeAccount.safeParse(row.account);
      if (parsed.success) found.push(parsed.data);
    });
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
