import { buildIndex, lookupIdentifier, type MatchIndex } from "../../core/match/match-index.ts";
import { matchText } from "../../core/match/match-text.ts";
import type { BadgeAccount } from "../../core/schema/badge.ts";
import type { LookupReply, TextMatch } from "../messages.ts";
import { allBadgeAccounts, type BadgeDb, badgeAccounts, setInfo } from "./badge-store.ts";

/** A lookup as the background answers it (the parsed LookupMessage's fields). */
export interface LookupRequest {
  identifiers: readonly Parameters<typeof lookupIdentifier>[1][];
  texts: readonly string[];
}

/**
 * The match index over the stored set, built lazily once per service-worker life (the worker sleeps after 30 s
 * idle and loses memory; most wakes are for a lookup, which then pays one build) and rebuilt only after the set
 * changed. A generation counter drops a build that raced with a newer set.
 */
export function createMatcher(db: BadgeDb) {
  let generation = 0;
  let built: { generation: number; index: Promise<MatchIndex> } | undefined;

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
      const [accounts, info] = await Promise.all([badgeAccounts(db, ids), setInfo(db)]);
      return {
        type: "matches",
        identifiers,
        texts,
        accounts,
        ...(info?.pwaUrl !== undefined ? { pwaUrl: info.pwaUrl } : {}),
      };
    },
  };
}

/** The background's matcher. */
export type Matcher = ReturnType<typeof createMatcher>;
