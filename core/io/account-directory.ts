import { domainOf, isPersonalDomain, nameKey } from "../match/identifiers.ts";
import type { Account } from "../schema/account.ts";
import type { AccountKey } from "./mapping.ts";

// The accounts an import can name, found by any of their keys (id, external id, linked id, domain, name).

/** An id of a kind (a subscription, a workspace) that names an account, learned from a links file. */
export interface AccountLink {
  /** The kind, lower case ("subscription"). */
  kind: string;
  key: string;
  accountId: string;
}

/** Looks up existing accounts by the keys an import can name them by. */
export interface AccountDirectory {
  find(key: AccountKey["by"], value: string, system?: string): Account | undefined;
}

/**
 * Indexes accounts by id, external ids (and ids of other kinds that links pair with them), domains and names.
 * Ambiguous names (two accounts) match neither.
 */
export function directoryOf(
  accounts: readonly Account[],
  links: readonly AccountLink[] = [],
): AccountDirectory & {
  add(account: Account): void;
  addLink(link: AccountLink): void;
  link(kind: string, key: string): string | undefined;
} {
  const byId = new Map<string, Account>();
  const byLink = new Map<string, string>();
  const byExternal = new Map<string, Account>();
  const byDomain = new Map<string, Account>();
  const byName = new Map<string, Account | null>();
  const add = (a: Account) => {
    byId.set(a.id, a);
    for (const [system, value] of Object.entries(a.externalIds))
      byExternal.set(`${system.toLowerCase()}\u0000${value}`, a);
    for (const d of a.domains) byDomain.set(d.toLowerCase(), a);
    for (const n of [a.name, ...a.aliases]) {
      const k = nameKey(n);
      const seen = byName.get(k);
      byName.set(k, seen === undefined || seen?.id === a.id ? a : null);
    }
  };
  accounts.forEach(add);
  const linkKey = (kind: string, key: string) => `${kind.toLowerCase()}\u0000${key.trim()}`;
  const addLink = (l: AccountLink) => byLink.set(linkKey(l.kind, l.key), l.accountId);
  links.forEach(addLink);
  return {
    add,
    addLink,
    link: (kind, key) => byLink.get(linkKey(kind, key)),
    find(by, value, system) {
      switch (by) {
        case "id":
          return byId.get(value.trim());
        case "externalId": {
          const found = byExternal.get(`${(system ?? "").toLowerCase()}\u0000${value.trim()}`);
          if (found) return found;
          const linked = byLink.get(linkKey(system ?? "", value));
          return linked === undefined ? undefined : byId.get(linked);
        }
        case "domain":
        case "email": {
          const d = domainOf(value);
          return d === undefined || isPersonalDomain(d) ? undefined : byDomain.get(d);
        }
        case "name":
          return byName.get(nameKey(value)) ?? undefined;
      }
    },
  };
}
