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

/** A name as compared for matching: case, accents, punctuation and company suffixes ignored. */
export function nameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\b(inc|incorporated|llc|ltd|limited|gmbh|ag|sa|sas|bv|plc|corp|corporation|co|company)\b/g, " ")
    .trim()
    .replace(/\s+/g, " ");
}
