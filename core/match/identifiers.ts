/**
 * Mail domains anyone can sign up for. An address at one of these says nothing about which company a person
 * works for, so it never matches an account by domain.
 */
export const PERSONAL_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "yahoo.fr",
  "ymail.com",
  "aol.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "mail.ru",
  "yandex.com",
  "yandex.ru",
  "zoho.com",
  "qq.com",
  "163.com",
  "126.com",
  "fastmail.com",
  "hey.com",
  "tutanota.com",
  "orange.fr",
  "free.fr",
  "t-online.de",
  "comcast.net",
  "verizon.net",
  "att.net",
]);

/**
 * The domain of an email address or website, lower case, without `www.`: `Dana@Acme.COM` → `acme.com`,
 * `https://www.acme.com/about` → `acme.com`. Returns undefined for text that has neither.
 */
export function domainOf(text: string): string | undefined {
  let s = text.trim().toLowerCase();
  const at = s.lastIndexOf("@");
  if (at >= 0) s = s.slice(at + 1);
  else s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, "").split(/[/?#:]/)[0] ?? "";
  s = s
    .replace(/^www\./, "")
    .replace(/\.$/, "")
    .replace(/>$/, "");
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(s) ? s : undefined;
}

/** Whether a domain belongs to a personal mail provider (and so must never match an account). */
export function isPersonalDomain(domain: string): boolean {
  return PERSONAL_EMAIL_DOMAINS.has(domain.toLowerCase());
}

/** Words a company name may end with that say nothing about which company it is: ignored when names are compared. */
export const COMPANY_SUFFIXES: ReadonlySet<string> = new Set([
  "inc",
  "incorporated",
  "llc",
  "ltd",
  "limited",
  "gmbh",
  "ag",
  "sa",
  "sas",
  "bv",
  "plc",
  "corp",
  "corporation",
  "co",
  "company",
  "se",
  "nv",
  "pty",
  "pte",
  "srl",
  "sarl",
  "oy",
  "kg",
  "bhd",
  "lp",
  "llp",
  "pllc",
]);

// Letters that Unicode decomposition keeps whole (no base letter + accent), folded the way people type them
// without the key: "Ørsted" is written "Orsted", "Straße" "Strasse".
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ß: "ss",
  ẞ: "SS",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ø: "o",
  Ø: "O",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  ł: "l",
  Ł: "L",
  þ: "th",
  Þ: "TH",
  ı: "i",
};
const EXTRA_FOLD_RE = /[ßẞæÆœŒøØđĐðÐłŁþÞı]/g;
const COMBINING_RE = /[\u0300-\u036f]/g;

/** `text` without accents (NFKD, combining marks dropped) and with EXTRA_FOLDS applied; case kept. */
export function stripAccents(text: string): string {
  return text
    .normalize("NFKD")
    .replace(COMBINING_RE, "")
    .replace(EXTRA_FOLD_RE, (c) => EXTRA_FOLDS[c] ?? c);
}

// One code point folded for comparison: lower case [a-z0-9] kept, "&" kept (it reads "and"), anything else a space.
// "" means the code point vanishes (a combining accent): it neither ends nor starts a word.
const foldCache = new Map<number, string>();
function foldCodePoint(cp: number): string {
  let folded = foldCache.get(cp);
  if (folded === undefined) {
    folded = stripAccents(String.fromCodePoint(cp))
      .toLowerCase()
      .replace(/[^a-z0-9&]/g, " ");
    foldCache.set(cp, folded);
  }
  return folded;
}

/**
 * The words of a text as names are compared: lower case, accents dropped, split on anything that is not a letter or
 * digit, "&" a word of its own ("and"). `starts`/`ends` are each word's [start, end) in UTF-16 units of `text`, so a
 * match found on the folded words maps back to the original text exactly. Arrays are reused between calls.
 */
export interface Words {
  count: number;
  keys: string[];
  starts: number[];
  ends: number[];
}

/** A Words buffer to pass to `wordsOf` (reuse one to avoid garbage when splitting many texts). */
export function newWords(): Words {
  return { count: 0, keys: [], starts: [], ends: [] };
}

// Every character below U+0080 (written as the complement, since the lint rejects control characters in a class).
const ASCII_RE = /^[^\u0080-\uffff]*$/;
// foldCodePoint for ASCII, precomputed.
const ASCII_FOLD: readonly string[] = Array.from({ length: 128 }, (_, c) =>
  String.fromCharCode(c)
    .toLowerCase()
    .replace(/[^a-z0-9&]/, " "),
);

/** Splits `text` into its comparable words (see Words); fills and returns `out`. */
export function wordsOf(text: string, out: Words = newWords()): Words {
  out.count = 0;
  if (ASCII_RE.test(text)) {
    // Fast path: lower-casing ASCII keeps every offset, words are slices.
    const lower = text.toLowerCase();
    let start = -1;
    for (let i = 0; i < lower.length; i++) {
      const c = lower.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) {
        pushWord(out, lower.slice(start, i), start, i);
        start = -1;
      }
      if (c === 38) pushWord(out, "and", i, i + 1);
    }
    if (start >= 0) pushWord(out, lower.slice(start), start, lower.length);
    return out;
  }
  let word = "";
  let start = -1;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) as number;
    const size = cp > 0xffff ? 2 : 1;
    const folded = cp < 128 ? (ASCII_FOLD[cp] as string) : foldCodePoint(cp);
    for (let k = 0; k < folded.length; k++) {
      const ch = folded[k] as string;
      if (ch === " " || ch === "&") {
        if (start >= 0) {
          // A word that began in this same code point ("½" → "1 2") ends after it; otherwise before it.
          pushWord(out, word, start, start >= i ? i + size : i);
          start = -1;
          word = "";
        }
        if (ch === "&") pushWord(out, "and", i, i + size);
      } else {
        if (start < 0) start = i;
        word += ch;
      }
    }
    i += size;
  }
  if (start >= 0) pushWord(out, word, start, text.length);
  return out;
}

function pushWord(out: Words, key: string, start: number, end: number): void {
  const n = out.count++;
  out.keys[n] = key;
  out.starts[n] = start;
  out.ends[n] = end;
}

/** A name as compared for matching: case, accents, punctuation and company suffixes ignored ("Acme, Inc." → "acme"). */
export function nameKey(name: string): string {
  const words = wordsOf(name);
  let key = "";
  for (let i = 0; i < words.count; i++) {
    const w = words.keys[i] as string;
    if (COMPANY_SUFFIXES.has(w)) continue;
    key = key === "" ? w : `${key} ${w}`;
  }
  return key;
}

/**
 * A name's words with their capitalisation kept (accents and punctuation still ignored, suffixes dropped):
 * "Open Door, Inc." → "Open Door". Names that only match as written are compared this way.
 */
export function caseKey(name: string): string {
  const words = stripAccents(name)
    .replace(/&/g, " and ")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "" && !COMPANY_SUFFIXES.has(w.toLowerCase()));
  return words.join(" ");
}

const SF_15 = /^[A-Za-z0-9]{15}$/;
const SF_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/**
 * A Salesforce record id in its 18-character form: the 15-character form (case-sensitive) gets Salesforce's
 * 3-character checksum of its capitals appended, so `001A0000006Vm9r` and `001A0000006Vm9rIAC` are the same record.
 * Anything else is returned unchanged.
 */
export function salesforceId18(id: string): string {
  if (!SF_15.test(id)) return id;
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let k = 0; k < 5; k++) {
      const c = id.charCodeAt(chunk * 5 + k);
      if (c >= 65 && c <= 90) bits |= 1 << k;
    }
    suffix += SF_SUFFIX[bits];
  }
  return id + suffix;
}

/**
 * Whether an id is distinctive enough to look for in free text: 10 or more characters of letters, digits, `-` and
 * `_`, with at least one letter and two digits (Salesforce ids, UUIDs, Intercom's hex ids, `ACME-2024-0042`). Short
 * or purely numeric ids (HubSpot and Zendesk numbers, `demo-0001`) are not: they look like phone, order and ticket
 * numbers, amounts and years. Those still match where an adapter reads them from a known place.
 */
export function isDistinctiveId(id: string): boolean {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{8,198}[A-Za-z0-9]$/.test(id)) return false;
  const digits = id.replace(/[^0-9]/g, "").length;
  return digits >= 2 && /[A-Za-z]/.test(id);
}
