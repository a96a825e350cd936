import type { BadgeAccountInput } from "../../../core/schema/badge.ts";
import { BadgeAccount } from "../../../core/schema/badge.ts";
import type { LookupMessage, LookupReply, TextMatch } from "../../../extension/messages.ts";

/** A lookup that answers like the background, from a handful of accounts, and records every message it got. */
export interface FakeBackground {
  lookup(message: LookupMessage): Promise<LookupReply | undefined>;
  messages: LookupMessage[];
  /** Replaces the accounts (as a new BadgeSet would). */
  set(accounts: BadgeAccountInput[]): void;
  pwaUrl: string | undefined;
}

/** A complete BadgeAccount for tests: defaults for everything not given. */
export function account(input: Partial<BadgeAccountInput> & { id: string; name: string }): BadgeAccountInput {
  return {
    scorecard: "Adoption (SMB)",
    score: 72.4,
    shown: 72,
    grade: "B",
    color: "green",
    label: "Good",
    delta: 5,
    coverage: 0.9,
    asOf: "2026-11-20",
    ...input,
  };
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
        accounts: Object.fromEntries(hit),
        ...(fake.pwaUrl ? { pwaUrl: fake.pwaUrl } : {}),
      };
    },
  };
  return fake;
}

/** The accounts the fixture pages show (and the e2e tests seed). */
export const FIXTURE_ACCOUNTS: BadgeAccountInput[] = [
  account({
    id: "northwind",
    name: "Northwind Traders",
    domains: ["northwind.example"],
    externalIds: {
      zendesk: "360001",
      salesforce: "001Dn00000NwTrd",
      hubspot: "9001",
      intercom: "5f1e0c",
      freshdesk: "77",
    },
    drags: [{ factorId: "nps", text: "NPS fell from 40 to −10: −12 points", lost: 12 }],
    sparkline: [60, 64, null, 70, 72],
    alerts: [{ title: "Dropped 10 points in 30 days", raisedOn: "2026-11-18" }],
  }),
  account({
    id: "globex",
    name: "Globex Corporation",
    domains: ["globex.example"],
    externalIds: { salesforce: "001Dn00000GlBxQIAT", hubspot: "9002", intercom: "5f1e0d", zendesk: "360002" },
    score: 41,
    shown: 41,
    grade: "D",
    color: "red",
    label: "At risk",
    form: "grade",
    delta: -12,
  }),
  account({
    id: "initech",
    name: "Initech",
    domains: ["initech.example"],
    score: 58,
    shown: 58,
    grade: "C",
    color: "yellow",
    label: "Watch",
    form: "label",
    delta: 0,
  }),
  account({
    id: "mallory",
    name: "<img src=x onerror=alert(1)>",
    domains: ["evil.example"],
    drags: [{ factorId: "x", text: "<script>window.pwned = true</script>", lost: 3 }],
    alerts: [{ title: '"><svg onload=alert(2)>', raisedOn: "2026-11-01" }],
    override: { text: "<b>bold</b> claim", until: "2026-12-31" },
  }),
];
