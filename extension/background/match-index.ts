import { lookupIdentifier, type MatchIndex } from "../../core/match/match-index.ts";
import { matchText } from "../../core/match/match-text.ts";
import { positionOf } from "../../core/match/packed-index.ts";
import { type BadgeAccount, badgeCard } from "../../core/schema/badge.ts";
import type { LookupReply, TextMatch } from "../messages.ts";
import { type BadgeDb, type IndexPages, isUnreadable, openIndex, setInfo, withIndex } from "./badge-store.ts";
import { appLink, appOrigin } from "./pairing.ts";

/** A lookup as the background answers it (the parsed LookupMessage's fields). */
export interface LookupRequest {
  identifiers: readonly Parameters<typeof lookupIdentifier>[1][];
  texts: readonly string[];
}

/**
 * The stored accounts with these ids, as matching read them. With no two accounts of the set sharing an id, each is
 * the account in memory with that id (matching read it to name it); otherwise the one positionOf names (which may
 * read the id tables' shards: the pass then runs again).
 */
function matchedAccounts(index: MatchIndex, pages: IndexPages, ids: ReadonlySet<string>): BadgeAccount[] {
  const out: BadgeAccount[] = [];
  if (ids.size === 0) return out;
  if (!pages.head.duplicateIds) {
    const byId = new Map<string, BadgeAccount>();
    for (const account of pages.accounts.values()) if (ids.has(account.id)) byId.set(account.id, account);
    for (const id of ids) {
      const account = byId.get(id);
      if (account !== undefined) out.push(account);
    }
    return out;
  }
  for (const id of ids) {
    const pos = positionOf(index, id);
    const account = pos === undefined ? undefined : pages.accounts.get(pos);
    if (account !== undefined && !isUnreadable(account)) out.push(account);
  }
  return out;
}

/** The most accounts kept in memory between lookups (a few MB at most). */
const ACCOUNT_CACHE_LIMIT = 5_000;

/**
 * The match index over the stored set, opened once per service-worker life (the worker sleeps after 30 s idle and
 * loses memory; most wakes are for a lookup): one read of the index's head, then each lookup reads only the shards
 * its keys fall in and the chunks of the accounts they name, which stay in memory for the next lookups (an SPA asks
 * again for the same accounts batch after batch). Opened again only after the set changed; a generation counter
 * drops a read that raced with a newer set.
 */
export function createMatcher(db: BadgeDb) {
  let generation = 0;
  let loaded: { generation: number; pages: Promise<IndexPages> } | undefined;
  // The "Open in Vitals" address: the set's, only when it is on the trusted app origin.
  let link: Promise<string | undefined> | undefined;

  function pages(): Promise<IndexPages> {
    if (loaded?.generation !== generation) {
      const promise = openIndex(db);
      loaded = { generation, pages: promise };
      // A failed read is retried on the next lookup rather than cached.
      promise.catch(() => {
        if (loaded?.pages === promise) loaded = undefined;
      });
    }
    return loaded.pages;
  }

  return {
    /** Forgets the index: the next lookup reads the new set's. */
    invalidate(): void {
      generation++;
      loaded = undefined;
      link = undefined;
    },
    /** Answers a lookup: identifiers → account ids, texts → matches, and only the matched accounts. */
    async lookup(request: LookupRequest): Promise<LookupReply> {
      link ??= Promise.all([setInfo(db), appOrigin()]).then(([about, trusted]) => appLink(about?.pwaUrl, trusted));
      const open = await pages();
      // Accounts read in this set's life stay in memory, bounded: past the bound they are dropped (before this
      // lookup, so it never drops what it just read).
      if (open.accounts.size > ACCOUNT_CACHE_LIMIT) open.accounts.clear();
      const matched = await withIndex(db, open, (idx, complete) => {
        const identifiers = request.identifiers.map((identifier) => lookupIdentifier(idx, identifier) ?? null);
        const texts: TextMatch[] = request.texts.flatMap((text, i) =>
          matchText(idx, text).map((m) => ({
            text: i,
            start: m.start,
            end: m.end,
            accountId: m.accountId,
            kind: m.kind,
          })),
        );
        // A pass that missed shards or accounts is run again: the matched accounts only count in one that missed
        // nothing (their ids are then real ones, and their chunks were read when they were matched).
        if (!complete()) return { identifiers, texts, accounts: [] };
        const ids = new Set([
          ...identifiers.filter((id): id is string => id !== null),
          ...texts.map((m) => m.accountId),
        ]);
        return { identifiers, texts, accounts: matchedAccounts(idx, open, ids) };
      });
      // What their badges show, not how to find them on a page: a smaller answer, and no more of them in the page.
      const accounts = matched.accounts.map(badgeCard);
      const pwaUrl = await link;
      return {
        type: "matches",
        identifiers: matched.identifiers,
        texts: matched.texts,
        accounts,
        ...(pwaUrl !== undefined ? { pwaUrl } : {}),
      };
    },
  };
}

/** The background's matcher. */
export type Matcher = ReturnType<typeof createMatcher>;
