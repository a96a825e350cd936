import { buildIndex, lookupIdentifier, type MatchIndex } from "../../core/match/match-index.ts";
import { matchText } from "../../core/match/match-text.ts";
import type { BadgeAccount } from "../../core/schema/badge.ts";
import type { LookupReply, TextMatch } from "../messages.ts";
import { allBadgeAccounts, type BadgeDb, badgeAccounts, setInfo } from "./badge-store.ts";
import { appLink, appOrigin } from "./pairing.ts";

/** A lookup as the background answers it (the parsed LookupMessage's fields). */
export interface LookupRequest {
  identifiers: readonly Parameters<typeof lookupIdentifier>[1][];
  texts: readonly string[];
}

/** The most accounts kept in memory between lookups (a few MB at most). */
const ACCOUNT_CACHE_LIMIT = 5_000;

/**
 * The match index over the stored set, built lazily once per service-worker life (the worker sleeps after 30 s
 * idle and loses memory; most wakes are for a lookup, which then pays one build) and rebuilt only after the set
 * changed. A generation counter drops a build that raced with a newer set.
 */
export function createMatcher(db: BadgeDb) {
  let generation = 0;
  let built: { generation: number; index: Promise<MatchIndex> } | undefined;
  // Accounts already read back (and parsed) in this set's life, and the set's info: an SPA asks again for the same
  // accounts batch after batch, and each IndexedDB read costs more than the whole match. Bounded, dropped with the set.
  let cached = new Map<string, BadgeAccount>();
  // The "Open in Vitals" address: the set's, only when it is on the trusted app origin.
  let link: Promise<string | undefined> | undefined;

  async function accountsOf(ids: readonly string[]): Promise<Map<string, BadgeAccount>> {
    const out = new Map<string, BadgeAccount>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const account = cached.get(id);
      if (account) out.set(id, account);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const mine = generation;
    const read = await badgeAccounts(db, missing);
    if (mine === generation && cached.size + missing.length > ACCOUNT_CACHE_LIMIT) cached = new Map();
    for (const [id, account] of read) {
      out.set(id, account);
      if (mine === generation) cached.set(id, account);
    }
    return out;
  }

  function index(): Promise<MatchIndex> {
    if (built?.generation !== generation) {
      const mine = generation;
      const promise = allBadgeAccounts(db).then((accounts: BadgeAccount[]) => buildIndex(accounts));
      built = { generation: mine, index: promise };
      // A failed build is retried on the next lookup rather than cached.
      promise.catch(() => {
        if (built?.index === promise) built = undefined;
      });
    }
    return built.index;
  }

  return {
    /** Forgets the index: the next lookup builds it from the new set. */
    invalidate(): void {
      generation++;
      built = undefined;
      cached = new Map();
      link = undefined;
    },
    /** Answers a lookup: identifiers → account ids, texts → matches, and only the matched accounts. */
    async lookup(request: LookupRequest): Promise<LookupReply> {
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
      link ??= Promise.all([setInfo(db), appOrigin()]).then(([about, trusted]) => appLink(about?.pwaUrl, trusted));
      const [accounts, pwaUrl] = await Promise.all([accountsOf(ids), link]);
      return {
        type: "matches",
        identifiers,
        texts,
        accounts: [...accounts.values()],
        ...(pwaUrl !== undefined ? { pwaUrl } : {}),
      };
    },
  };
}

/** The background's matcher. */
export type Matcher = ReturnType<typeof createMatcher>;
