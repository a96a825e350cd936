import { domainOf, isPersonalDomain, nameKey } from "../../core/match/identifiers.ts";
import type { BadgeAccount } from "../../core/schema/badge.ts";
import type { Identifier } from "../messages.ts";

// STOPGAP until core/match's buildIndex/lookupIdentifier/matchText land on main (same signatures): exact lookups
// only, and emails/domains in free text. Replaced by the real matcher, then deleted.

/** The identifier index. */
export interface MatchIndex {
  byKey: Map<string, string>;
}

/** Builds the index. */
export function buildIndex(accounts: readonly BadgeAccount[]): MatchIndex {
  const byKey = new Map<string, string>();
  for (const a of accounts) {
    byKey.set(`accountId:${a.id.toLowerCase()}`, a.id);
    byKey.set(`name:${nameKey(a.name)}`, a.id);
    for (const alias of a.aliases) byKey.set(`name:${nameKey(alias)}`, a.id);
    for (const d of a.domains) byKey.set(`domain:${d.toLowerCase()}`, a.id);
    for (const [system, value] of Object.entries(a.externalIds))
      byKey.set(`ext:${system}:${value.toLowerCase()}`, a.id);
  }
  return { byKey };
}

/** The account an identifier names, if any. */
export function lookupIdentifier(index: MatchIndex, identifier: Identifier): string | undefined {
  const v = identifier.value.trim();
  switch (identifier.kind) {
    case "accountId":
      return index.byKey.get(`accountId:${v.toLowerCase()}`);
    case "name":
      return index.byKey.get(`name:${nameKey(v)}`);
    case "externalId":
      return index.byKey.get(`ext:${identifier.system ?? ""}:${v.toLowerCase()}`);
    case "email":
    case "domain": {
      const d = domainOf(v);
      return d && !isPersonalDomain(d) ? index.byKey.get(`domain:${d}`) : undefined;
    }
  }
}

/** Emails and domains in free text. */
export function matchText(
  index: MatchIndex,
  text: string,
): { start: number; end: number; accountId: string; kind: Identifier["kind"] }[] {
  const out: { start: number; end: number; accountId: string; kind: Identifier["kind"] }[] = [];
  for (const m of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) {
    const id = lookupIdentifier(index, { kind: "email", value: m[0] });
    if (id) out.push({ start: m.index, end: m.index + m[0].length, accountId: id, kind: "email" });
  }
  return out;
}
