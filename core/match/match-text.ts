import { COMPANY_SUFFIXES, caseKey, newWords, wordsOf } from "./identifiers.ts";
import {
  AMBIGUOUS,
  findDomain,
  findTextId,
  HASH_START,
  hashStep,
  isNamePrefix,
  type MatchIndex,
  type MatchKind,
  mayStartName,
  modeOf,
  NameMode,
  nameSlot,
  wordHash,
} from "./match-index.ts";

/** An account found in free text: [start, end) in UTF-16 units of the text as given. */
export interface TextHit {
  start: number;
  end: number;
  accountId: string;
  kind: MatchKind;
}

// Links in free text, tried in this order at each place: a URL (https://host…), an email address (local@host),
// a bare domain (host, optionally with a path). A host is dot-separated labels ending in a letters-only top-level
// domain, so "3.14", "e.g." and "i.e." are not hosts.
const HOST = "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}(?![a-z0-9-]|\\.[a-z0-9])";
const PATH = "(?::[0-9]{1,5})?(?:[/?#][^\\s<>\"'`]*)?";
const LINKS = new RegExp(
  `(?<![a-z0-9._%+@/-])(?:https?://(${HOST})${PATH}|[a-z0-9._%+-]+@(${HOST})(?!@)|(${HOST})(?!@)${PATH})`,
  "gi",
);
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"»]+$/;
// Runs that may be an id: letters, digits, "-" and "_" (ids are found only if isDistinctiveId, 10+ characters).
const ID_RUNS = /[A-Za-z0-9_-]{10,}/g;

/** An email address, URL or bare domain in a text: its [start, end) and its host. */
export interface Link {
  start: number;
  end: number;
  /** As written (any case, maybe with `www.`). */
  host: string;
  /** Where the host starts in the text. */
  hostStart: number;
  email: boolean;
}

/** The links in a text, in order: email addresses, URLs and bare domains (see LINKS). */
export function linksOf(text: string): Link[] {
  if (text.indexOf(".") < 0) return [];
  const links: Link[] = [];
  LINKS.lastIndex = 0;
  for (let m = LINKS.exec(text); m !== null; m = LINKS.exec(text)) {
    // A link's path may not end in punctuation that closes the sentence around it. (Hosts end in a letter.)
    const end = m.index + m[0].replace(TRAILING_PUNCTUATION, "").length;
    const host = (m[1] ?? m[2] ?? m[3]) as string;
    const hostStart =
      m.index + (m[1] !== undefined ? m[0].indexOf("://") + 3 : m[2] !== undefined ? m[0].indexOf("@") + 1 : 0);
    links.push({ start: m.index, end, host, hostStart, email: m[2] !== undefined });
  }
  return links;
}

// Candidate kinds by rank: on the same span, the lower rank wins.
const KINDS: readonly MatchKind[] = ["email", "domain", "externalId", "accountId", "name"];
const EMAIL = 0;
const DOMAIN = 1;
const EXTERNAL = 2;
const ACCOUNT = 3;
const NAME = 4;

// Scratch space reused across calls (the background matches thousands of short texts per page).
const words = newWords();
const starts: number[] = [];
const ends: number[] = [];
const positions: number[] = [];
const kinds: number[] = [];
let candidates = 0;
const maskStarts: number[] = [];
const maskEnds: number[] = [];
const masked: boolean[] = [];

function push(start: number, end: number, pos: number, kind: number): void {
  starts[candidates] = start;
  ends[candidates] = end;
  positions[candidates] = pos;
  kinds[candidates] = kind;
  candidates++;
}

/**
 * The accounts named in free text (the generic adapter's page text): email addresses and URLs by their domain
 * (never a personal mail domain), bare domains, distinctive ids (see isDistinctiveId), names and aliases on word
 * boundaries in any case, accents and punctuation ignored (see NameMode for short and common-word names). Names
 * inside an email address, URL or domain do not count. Where matches overlap the longest wins (then the earliest);
 * a key two accounts share (AMBIGUOUS) still takes its place but badges nothing. Sorted by start.
 */
export function matchText(index: MatchIndex, text: string): TextHit[] {
  candidates = 0;
  let masks = 0;

  for (const link of linksOf(text)) {
    maskStarts[masks] = link.start;
    maskEnds[masks] = link.end;
    masks++;
    const pos = findDomain(index, link.host);
    if (pos !== undefined) push(link.start, link.end, pos, link.email ? EMAIL : DOMAIN);
  }

  const n = splitWords(text);
  if (idRunCount < 0) {
    // Text with non-ASCII characters: splitWords did not look for id runs.
    idRunCount = 0;
    ID_RUNS.lastIndex = 0;
    for (let m = ID_RUNS.exec(text); m !== null; m = ID_RUNS.exec(text)) {
      idRunStarts[idRunCount] = m.index;
      idRunEnds[idRunCount++] = m.index + m[0].length;
    }
  }
  for (let r = 0; r < idRunCount; r++) {
    let a = idRunStarts[r] as number;
    let b = idRunEnds[r] as number;
    while (a < b && (text.charCodeAt(a) === 45 || text.charCodeAt(a) === 95)) a++;
    while (b > a && (text.charCodeAt(b - 1) === 45 || text.charCodeAt(b - 1) === 95)) b--;
    if (b - a < 10) continue;
    const packed = findTextId(index, text.slice(a, b));
    if (packed === undefined) continue;
    const pos = packed === AMBIGUOUS ? AMBIGUOUS : packed >> 1;
    push(a, b, pos, packed !== AMBIGUOUS && packed & 1 ? EXTERNAL : ACCOUNT);
  }

  // Words inside a link are not names ("acme" in dana@acme-health.com). Links and words both come in order.
  for (let i = 0, k = 0; i < n; i++) {
    const s = words.starts[i] as number;
    while (k < masks && (maskEnds[k] as number) <= s) k++;
    masked[i] = k < masks && (maskStarts[k] as number) < (words.ends[i] as number);
  }
  const names = index.names;
  for (let i = 0; i < n; i++) {
    if (masked[i] || !mayStartName(index, hashes[i] as number)) continue;
    let key = keyAt(text, i);
    let j = i;
    for (;;) {
      const packed = names.get(key);
      if (packed === undefined) break;
      const pos = nameSlot(packed);
      if (pos !== undefined && nameAllowed(index, text, key, packed, i, j, n)) {
        push(words.starts[i] as number, words.ends[j] as number, pos, NAME);
      }
      if (!isNamePrefix(packed)) break;
      j++;
      if (j >= n || masked[j] || !joins(text, j)) break;
      key = `${key} ${keyAt(text, j)}`;
    }
  }
  return resolve(index);
}

const hashes: number[] = [];
const HASH_AND = wordHash("and");

/**
 * Splits the text into words as wordsOf does, with each word's hash (see wordHash) and its key left to keyAt:
 * in ASCII text (nearly all) no string is made for words that start no name. Returns the number of words.
 */
function splitWords(text: string): number {
  let n = 0;
  let start = -1;
  let h = HASH_START;
  // Runs of letters, digits, - and _ that may be ids (10+ long with 2+ digits), found in the same pass.
  idRunCount = 0;
  let idStart = -1;
  let idDigits = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 128) {
      idRunCount = -1;
      return splitWordsSlowly(text);
    }
    if (c >= 65 && c <= 90) c += 32;
    const digit = c >= 48 && c <= 57;
    if ((c >= 97 && c <= 122) || digit) {
      if (start < 0) {
        start = i;
        h = HASH_START;
      }
      h = hashStep(h, c);
      if (idStart < 0) {
        idStart = i;
        idDigits = 0;
      }
      if (digit) idDigits++;
      continue;
    }
    if (start >= 0) {
      setWord(n++, start, i, h, "");
      start = -1;
    }
    if (c === 45 || c === 95) {
      if (idStart < 0) {
        idStart = i;
        idDigits = 0;
      }
    } else if (idStart >= 0) {
      if (i - idStart >= 10 && idDigits >= 2) addIdRun(idStart, i);
      idStart = -1;
    }
    if (c === 38) setWord(n++, i, i + 1, HASH_AND, "and");
  }
  if (start >= 0) setWord(n++, start, text.length, h, "");
  if (idStart >= 0 && text.length - idStart >= 10 && idDigits >= 2) addIdRun(idStart, text.length);
  return n;
}

const idRunStarts: number[] = [];
const idRunEnds: number[] = [];
/** Id runs found by splitWords, or −1 when it took the slow path and did not look. */
let idRunCount = 0;

function addIdRun(start: number, end: number): void {
  idRunStarts[idRunCount] = start;
  idRunEnds[idRunCount++] = end;
}

/** splitWords for text with non-ASCII characters: wordsOf's folding, then the hashes of its keys. */
function splitWordsSlowly(text: string): number {
  wordsOf(text, words);
  for (let i = 0; i < words.count; i++) hashes[i] = wordHash(words.keys[i] as string);
  return words.count;
}

function setWord(n: number, start: number, end: number, hash: number, key: string): void {
  words.starts[n] = start;
  words.ends[n] = end;
  words.keys[n] = key;
  hashes[n] = hash;
}

/** Word i's key (lower case), made on first use from ASCII text. */
function keyAt(text: string, i: number): string {
  let key = words.keys[i] as string;
  if (key === "") {
    key = text.slice(words.starts[i], words.ends[i]).toLowerCase();
    words.keys[i] = key;
  }
  return key;
}

/** Whether word j continues the name that word j − 1 is in: at most 3 characters apart, on the same line. */
function joins(text: string, j: number): boolean {
  const a = words.ends[j - 1] as number;
  const b = words.starts[j] as number;
  if (b - a > 3) return false;
  for (let k = a; k < b; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return false;
  }
  return true;
}

function nameAllowed(
  index: MatchIndex,
  text: string,
  key: string,
  packed: number,
  i: number,
  j: number,
  n: number,
): boolean {
  const { mode, asWritten } = modeOf(index, key, packed);
  if (mode === NameMode.anyCase) return true;
  if (mode === NameMode.exactCase) {
    return caseKey(text.slice(words.starts[i], words.ends[j])) === asWritten;
  }
  return j + 1 < n && !masked[j + 1] && joins(text, j + 1) && COMPANY_SUFFIXES.has(keyAt(text, j + 1));
}

/** Keeps the longest candidates that do not overlap (then the earliest, then by kind); drops ambiguous ones. */
function resolve(index: MatchIndex): TextHit[] {
  if (candidates === 0) return [];
  const hits: TextHit[] = [];
  const hit = (c: number) => {
    const pos = positions[c] as number;
    if (pos !== AMBIGUOUS) {
      hits.push({
        start: starts[c] as number,
        end: ends[c] as number,
        accountId: index.account(pos).id,
        kind: KINDS[kinds[c] as number] as MatchKind,
      });
    }
  };
  if (candidates === 1) {
    hit(0);
    return hits;
  }
  const order = Array.from({ length: candidates }, (_, c) => c);
  order.sort(
    (x, y) =>
      (ends[y] as number) - (starts[y] as number) - ((ends[x] as number) - (starts[x] as number)) ||
      (starts[x] as number) - (starts[y] as number) ||
      (kinds[x] as number) - (kinds[y] as number),
  );
  const kept: number[] = [];
  for (const c of order) {
    const s = starts[c] as number;
    const e = ends[c] as number;
    if (kept.every((k) => (ends[k] as number) <= s || (starts[k] as number) >= e)) kept.push(c);
  }
  kept.sort((x, y) => (starts[x] as number) - (starts[y] as number));
  for (const c of kept) hit(c);
  return hits;
}
