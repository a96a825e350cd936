import { lookupIdentifier, type MatchIndex } from "../../core/match/match-index.ts";
import { matchText } from "../../core/match/match-text.ts";
import { positionOf } from "../../core/match/packed-index.ts";
import type { BadgeAccount } from "../../core/schema/badge.ts";
import type { LookupReply, TextMatch } from "../messages.ts";
import { accountsAt, type BadgeDb, loadIndex, setInfo } from "./badge-store.ts";
import { appLink, appOrigin } from "./pairing.ts";

/** A lookup as the background answers it (the parsed LookupMessage's fields). */
export interface LookupRequest {
  identifiers: readonly Parameters<typeof lookupIdentifier>[1][];
  texts: readonly string[];
}

/** The most accounts kept in memory between lookups (a few MB at most). */
const ACCOUNT_CACHE_LIMIT = 5_000;

/**
 * The match index over the stored set, read once per service-worker life (the worker sleeps after 30 s idle and
 * loses memory; most wakes are for a lookup): the index is stored packed beside the accounts, so this is one read
 * and no rebuilding. Read again only after the set changed; a generation counter drops a read that raced with a
 * newer set.
 */
export function createMatcher(db: BadgeDb) {
  let generation = 0;
  let loaded: { generation: number; index: Promise<MatchIndex> } | undefined;
  // Accounts already read back (and parsed) in this set's life, by position: an SPA asks again for the same
  // accounts batch after batch, and each IndexedDB read costs more than the whole match. Bounded, dropped with the set.
  let cached = new Map<number, BadgeAccount>();
  // The "Open in Vitals" address: the set's, only when it is on the trusted app origin.
  let link: Promise<string | undefined> | undefined;

  async function accountsOf(positions: readonly number[]): Promise<BadgeAccount[]> {
    const out: BadgeAccount[] = [];
    const missing: number[] = [];
    for (const pos of new Set(positions)) {
      const account = cached.get(pos);
      if (account) out.push(account);
      else missing.push(pos);
    }
    if (missing.length === 0) return out;
    const mine = generation;
    const read = await accountsAt(db, missing);
    if (mine === generation && cached.size + missing.length > ACCOUNT_CACHE_LIMIT) cached = new Map();
    for (const [pos, account] of read) {
      out.push(account);
      if (mine === generation) cached.set(pos, account);
    }
    return out;
  }

  function index(): Promise<MatchIndex> {
    if (loaded?.generation !== generation) {
      const promise = loadIndex(db);
      loaded = { generation, index: promise };
      // A failed read is retried on the next lookup rather than cached.
      promise.catch(() => {
        if (loaded?.index === promise) loaded = undefined;
      });
    }
    return loaded.index;
  }

  return {
    /** Forgets the index: the next lookup reads the new set's. */
    invalidate(): void {
      generation++;
      loaded = undefined;
      cached = new Map();
      link = undefined;
    },
    /** Answers a lookup: identifiers → account ids, texts → matches, and only the matched accounts. */
    async lookup(request: LookupRequest): Promise<LookupReply> {
      link ??= Promise.all([setInfo(db), appOrigin()]).then(([about, trusted]) => appLink(about?.pwaUrl, trusted));
      const idx = await index();
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
      const ids = [...identifiers.filter((id): id is string => id !== null), ...texts.map((m) => m.accountId)];
      const positions = [...new Set(ids)].flatMap((id) => positionOf(idx, id) ?? []);
      const [accounts, pwaUrl] = await Promise.all([accountsOf(positions), link]);
      return {
        type: "matches",
        identifiers,
        texts,
        accounts,
        ...(pwaUrl !== undefined ? { pwaUrl } : {}),
      };
    },
  };
}

/** The background's matcher. */
export type Matcher = ReturnType<typeof createMatcher>;
