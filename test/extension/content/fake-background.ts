import type { BadgeAccountInput } from "../../../core/schema/badge.ts";
import { BadgeAccount } from "../../../core/schema/badge.ts";
import type { LookupMessage, LookupReply, TextMatch } from "../../../extension/messages.ts";

export { account, FIXTURE_ACCOUNTS } from "../../fixtures/pages/accounts.ts";

/** A lookup that answers like the background, from a handful of accounts, and records every message it got. */
export interface FakeBackground {
  lookup(message: LookupMessage): Promise<LookupReply | undefined>;
  messages: LookupMessage[];
  /** Replaces the accounts (as a new BadgeSet would). */
  set(accounts: BadgeAccountInput[]): void;
  pwaUrl: string | undefined;
}

/**
 * A deliberately simple matcher (exact emails' domains, external ids, names; names and domains found in text by
 * plain search): the real index is core/match's and is tested there. This only lets the content side be tested.
 */
export function fakeBackground(initial: BadgeAccountInput[], pwaUrl?: string): FakeBackground {
  let accounts = initial.map((a) => BadgeAccount.parse(a));
  const fake: FakeBackground = {
    messages: [],
    pwaUrl,
    set(next) {
      accounts = next.map((a) => BadgeAccount.parse(a));
    },
    async lookup(message) {
      fake.messages.push(message);
      const hit = new Map<string, BadgeAccount>();
      const identifiers = message.identifiers.map((id) => {
        const value = id.value.toLowerCase();
        const found = accounts.find((a) => {
          switch (id.kind) {
            case "email":
              return a.domains.includes(value.split("@")[1] ?? "");
            case "domain":
              return a.domains.includes(value);
            case "externalId":
              return id.system !== undefined && a.externalIds[id.system] === id.value;
            case "accountId":
              return a.id === id.value;
            case "name":
              return [a.name, ...a.aliases].some((n) => n.toLowerCase() === value);
          }
          return false;
        });
        if (found) hit.set(found.id, found);
        return found?.id ?? null;
      });
      const texts: TextMatch[] = [];
      message.texts.forEach((text, index) => {
        const lower = text.toLowerCase();
        for (const a of accounts) {
          for (const needle of [a.name, ...a.domains]) {
            const start = lower.indexOf(needle.toLowerCase());
            if (start < 0) continue;
            texts.push({ text: index, start, end: start + needle.length, accountId: a.id, kind: "name" });
            hit.set(a.id, a);
            break;
          }
        }
      });
      return {
        type: "matches",
        identifiers,
        texts,
        accounts: [...hit.values()],
        ...(fake.pwaUrl ? { pwaUrl: fake.pwaUrl } : {}),
      };
    },
  };
  return fake;
}
