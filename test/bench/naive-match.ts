// The matcher benchmark's baseline: no index, one test per account over the page text (every domain, id and name
// of every account searched with indexOf), then the same overlap rule as matchText. It follows matchText's rules
// (see core/match/match-text.ts) so the two must find the same matches; the benchmark checks that they do.
import {
  COMPANY_SUFFIXES,
  caseKey,
  isDistinctiveId,
  isPersonalDomain,
  nameKey,
  salesforceId18,
  wordsOf,
} from "../../core/match/identifiers.ts";
import { NameMode, nameMode } from "../../core/match/match-index.ts";
import { linksOf, type TextHit } from "../../core/match/match-text.ts";
import type { BadgeAccount } from "../../core/schema/badge.ts";

type Kind = TextHit["kind"];
const RANK: Record<Kind, number> = { email: 0, domain: 1, externalId: 2, accountId: 3, name: 4 };

interface Candidate {
  start: number;
  end: number;
  /** Account position, or -1 when two accounts claim the span. */
  pos: number;
  kind: Kind;
}

/** Every account found in `text` by testing each account in turn; the same matches as matchText. */
export function naiveMatchText(accounts: readonly BadgeAccount[], text: string): TextHit[] {
  const candidates: Candidate[] = [];
  const links = linksOf(text);
  // ASCII-only lower case keeps every offset (domains are ASCII).
  const lower = text.replace(/[A-Z]+/g, (s) => s.toLowerCase());

  // Domains: each account's domains searched in the text; an occurrence counts where it ends a link's host.
  const best = links.map(() => ({ length: 0, owners: [] as number[] }));
  for (let pos = 0; pos < accounts.length; pos++) {
    for (const raw of (accounts[pos] as BadgeAccount).domains) {
      const domain = raw.toLowerCase();
      if (isPersonalDomain(domain)) continue;
      for (let at = lower.indexOf(domain); at >= 0; at = lower.indexOf(domain, at + 1)) {
        const end = at + domain.length;
        links.forEach((link, k) => {
          const hostEnd = link.hostStart + link.host.length;
          const hostStart = /^www\./i.test(link.host) ? link.hostStart + 4 : link.hostStart;
          if (end !== hostEnd || at < hostStart) return;
          if (at > hostStart && text[at - 1] !== ".") return;
          const b = best[k] as { length: number; owners: number[] };
          if (domain.length > b.length) {
            b.length = domain.length;
            b.owners = [pos];
          } else if (domain.length === b.length && !b.owners.includes(pos)) b.owners.push(pos);
        });
      }
    }
  }
  links.forEach((link, k) => {
    const b = best[k] as { length: number; owners: number[] };
    if (b.owners.length === 0) return;
    // A personal domain on the way from the host up to the account's domain stops the match.
    const host = link.host.toLowerCase().replace(/^www\./, "");
    for (let d = host; d.length >= b.length; d = d.slice(d.indexOf(".") + 1)) {
      if (isPersonalDomain(d)) return;
      if (d.indexOf(".") < 0) break;
    }
    candidates.push({
      start: link.start,
      end: link.end,
      pos: b.owners.length === 1 ? (b.owners[0] as number) : -1,
      kind: link.email ? "email" : "domain",
    });
  });

  // Ids: each account's distinctive ids searched in the text, as a whole run of letters, digits, - and _.
  const idSpans = new Map<string, { owners: Set<number>; kind: Kind }>();
  const findId = (value: string, pos: number, kind: Kind) => {
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
      const end = at + value.length;
      if (!isWholeRun(text, at, end)) continue;
      const key = `${at}:${end}`;
      const seen = idSpans.get(key) ?? { owners: new Set<number>(), kind };
      seen.owners.add(pos);
      idSpans.set(key, seen);
    }
  };
  for (let pos = 0; pos < accounts.length; pos++) {
    const account = accounts[pos] as BadgeAccount;
    if (isDistinctiveId(account.id)) findId(account.id, pos, "accountId");
    for (const system in account.externalIds) {
      const raw = (account.externalIds[system] as string).trim();
      const value = system.toLowerCase() === "salesforce" ? salesforceId18(raw) : raw;
      if (!isDistinctiveId(value)) continue;
      findId(value, pos, "externalId");
      if (value.length === 18 && salesforceId18(value.slice(0, 15)) === value)
        findId(value.slice(0, 15), pos, "externalId");
    }
  }
  for (const [key, { owners, kind }] of idSpans) {
    const [start, end] = key.split(":").map(Number) as [number, number];
    candidates.push({ start, end, pos: owners.size === 1 ? ([...owners][0] as number) : -1, kind });
  }

  // Names: each account's name keys searched in the text's folded words ("acme health"), on word boundaries.
  const words = wordsOf(text);
  const folded = words.keys.slice(0, words.count).join(" ");
  const wordStarts: number[] = [];
  for (let i = 0, at = 0; i < words.count; i++) {
    wordStarts.push(at);
    at += (words.keys[i] as string).length + 1;
  }
  const masked = Array.from({ length: words.count }, (_, i) =>
    links.some((l) => l.start < (words.ends[i] as number) && (words.starts[i] as number) < l.end),
  );
  const joins = (j: number) => {
    const a = words.ends[j - 1] as number;
    const b = words.starts[j] as number;
    return b - a <= 3 && !/[\r\n]/.test(text.slice(a, b));
  };
  const nameSpans = new Map<string, { owners: number[]; first: string }>();
  for (let pos = 0; pos < accounts.length; pos++) {
    const account = accounts[pos] as BadgeAccount;
    for (const name of [account.name, ...account.aliases]) {
      const key = nameKey(name);
      if (key === "") continue;
      const count = key.split(" ").length;
      for (let at = folded.indexOf(key); at >= 0; at = folded.indexOf(key, at + 1)) {
        if ((at > 0 && folded[at - 1] !== " ") || (at + key.length < folded.length && folded[at + key.length] !== " "))
          continue;
        const i = lowerBound(wordStarts, at);
        const span = `${i}:${i + count - 1}`;
        const seen = nameSpans.get(span);
        if (seen === undefined) nameSpans.set(span, { owners: [pos], first: name });
        else if (!seen.owners.includes(pos)) seen.owners.push(pos);
      }
    }
  }
  for (const [span, { owners, first }] of nameSpans) {
    const [i, j] = span.split(":").map(Number) as [number, number];
    let ok = true;
    for (let k = i; k <= j && ok; k++) ok = !masked[k] && (k === i || joins(k));
    if (!ok) continue;
    const start = words.starts[i] as number;
    const end = words.ends[j] as number;
    const mode = nameMode(first);
    if (mode === NameMode.exactCase && caseKey(text.slice(start, end)) !== caseKey(first)) continue;
    if (
      mode === NameMode.withSuffix &&
      !(j + 1 < words.count && !masked[j + 1] && joins(j + 1) && COMPANY_SUFFIXES.has(words.keys[j + 1] as string))
    )
      continue;
    candidates.push({ start, end, pos: owners.length === 1 ? (owners[0] as number) : -1, kind: "name" });
  }

  candidates.sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start || RANK[x.kind] - RANK[y.kind]);
  const kept: Candidate[] = [];
  for (const c of candidates) if (kept.every((k) => k.end <= c.start || k.start >= c.end)) kept.push(c);
  return kept
    .filter((c) => c.pos >= 0)
    .sort((x, y) => x.start - y.start)
    .map((c) => ({ start: c.start, end: c.end, accountId: (accounts[c.pos] as BadgeAccount).id, kind: c.kind }));
}

const RUN = /[A-Za-z0-9_-]/;

/** Whether [at, end) is a whole run of id characters once leading and trailing - and _ are set aside. */
function isWholeRun(text: string, at: number, end: number): boolean {
  let s = at;
  while (s > 0 && RUN.test(text[s - 1] as string)) s--;
  let e = end;
  while (e < text.length && RUN.test(text[e] as string)) e++;
  return /^[-_]*$/.test(text.slice(s, at)) && /^[-_]*$/.test(text.slice(end, e));
}

/** The index of the word starting at folded offset `at`. */
function lowerBound(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
