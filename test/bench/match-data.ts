// Generated data for the matcher benchmark (npm run -s bench match): a portfolio of BadgeAccounts shaped like a
// product-led company's CRM (tier L: 100,000 accounts) and a support-desk page whose text mentions some of them.
// Deterministic for a seed, so every run and the naive baseline see the same accounts and page.
import { nameKey, salesforceId18 } from "../../core/match/identifiers.ts";
import type { BadgeAccount } from "../../core/schema/badge.ts";
import { prng } from "../harness/synthetic.ts";

const SYLLABLES = [
  "vel",
  "trix",
  "quor",
  "ana",
  "zen",
  "dar",
  "lum",
  "ora",
  "kel",
  "vin",
  "bra",
  "tor",
  "mex",
  "ilo",
  "sar",
  "pix",
  "nov",
  "ent",
  "cal",
  "rho",
  "syn",
  "tek",
  "ver",
  "dia",
  "mon",
  "gal",
  "zor",
  "fen",
  "ux",
  "qua",
];
const ACCENTED = ["é", "ü", "ø", "å"];
const SECOND_WORDS = [
  "Health",
  "Labs",
  "Systems",
  "Logistics",
  "Foods",
  "Energy",
  "Capital",
  "Analytics",
  "Software",
  "Partners",
  "Group",
  "Robotics",
  "Media",
  "Bank",
  "Insurance",
  "Studio",
  "Networks",
  "Retail",
  "Pharma",
  "Motors",
];
const SUFFIXES = [" Inc.", " GmbH", " LLC", ", Ltd", " SA"];
const TLDS = [".com", ".io", ".de", ".co.uk", ".fr", ".net"];
/** Single common words some companies are named after: never matched alone in free text. */
const COMMON_NAMES = ["Box", "Front", "Apple", "Notion", "Slack", "Square", "Pitch", "Linear", "Segment", "Target"];
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** BadgeAccounts for the benchmark: unique names (as nameKey compares them), domains and Salesforce ids. */
export function benchAccounts(count: number, seed: number): BadgeAccount[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const keys = new Set<string>();
  const domains = new Set<string>();
  const accounts: BadgeAccount[] = [];
  for (let i = 0; i < count; i++) {
    let name: string;
    let key: string;
    do {
      if (i < COMMON_NAMES.length) name = COMMON_NAMES[i] as string;
      else {
        let word = "";
        const n = 2 + Math.floor(random() * 2);
        for (let k = 0; k < n; k++) word += pick(SYLLABLES);
        if (random() < 0.05) word = word.replace(/[aeiou]/, pick(ACCENTED));
        name = word[0]?.toUpperCase() + word.slice(1);
        if (random() < 0.6) name += ` ${pick(SECOND_WORDS)}`;
        if (random() < 0.3) name += pick(SUFFIXES);
      }
      key = nameKey(name);
    } while (keys.has(key));
    keys.add(key);
    const first = key.split(" ")[0] as string;
    let domain = first + pick(TLDS);
    while (domains.has(domain)) domain = `${first}${Math.floor(random() * 1000)}${pick(TLDS)}`;
    domains.add(domain);
    let sf = "0015g00000";
    for (let k = 0; k < 5; k++) sf += BASE62[Math.floor(random() * BASE62.length)];
    const words = name.replace(/,? (Inc\.|GmbH|LLC|Ltd|SA)$/, "").split(" ");
    accounts.push({
      id: `acc-${i}`,
      name,
      domains: random() < 0.1 ? [domain, `${first}-mail${pick(TLDS)}`] : [domain],
      externalIds: {
        salesforce: salesforceId18(sf),
        zendesk: String(360_000_000_000 + i),
        hubspot: String(5_000_000 + i * 7),
      },
      // Some accounts are also known by their initials ("VH" for "Veltrix Health": short, so only as written).
      aliases: words.length > 1 && random() < 0.2 ? [words.map((w) => w[0]?.toUpperCase()).join("")] : [],
      scorecard: "Adoption (SMB)",
      score: 40 + (i % 60),
      shown: 40 + (i % 60),
      grade: i % 60 >= 40 ? "A" : i % 60 >= 25 ? "B" : i % 60 >= 10 ? "C" : "D",
      color: i % 60 >= 25 ? "green" : i % 60 >= 10 ? "yellow" : "red",
      label: "Good",
      form: "points",
      delta: (i % 21) - 10,
      coverage: 1,
      drags: [],
      sparkline: [],
      alerts: [],
      asOf: "2025-03-01",
    });
  }
  // As the extension reads them back from IndexedDB: plain objects with flat strings (concatenation above leaves
  // rope strings, which every Map lookup would flatten first and so make the benchmark's index look slower).
  return JSON.parse(JSON.stringify(accounts)) as BadgeAccount[];
}

const FILLER = (
  "the customer asked about the box they ordered and the front page of the report was missing so we sent a new " +
  "apple pitch for the linear segment target of the square notion please check the invoice and let me know when " +
  "support will call back about the login issue on mobile since yesterday our team cannot export data from the " +
  "dashboard after the update thanks for your patience we escalated this ticket to engineering priority high " +
  "status pending reply agent assigned group billing tags renewal onboarding churn risk health score usage drop"
).split(" ");

/** One element of the generated page: its tag and its text. */
export interface BenchElement {
  tag: "td" | "li" | "p" | "a" | "span";
  text: string;
}

/**
 * A support-desk page of `count` elements (ticket table cells, list items, paragraphs, links) with `identifiers`
 * of them naming accounts in the ways a page does: email addresses, domains, URLs, Salesforce ids, names in any
 * case, with accents dropped, with suffixes and initials; plus near misses that must not match (personal mail,
 * "Veltrixville", a common-word company's name used as a word).
 */
export function benchPage(accounts: readonly BadgeAccount[], count: number, identifiers: number, seed: number) {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const sentence = (n: number) => {
    const words: string[] = [];
    for (let k = 0; k < n; k++) words.push(pick(FILLER));
    const s = words.join(" ");
    return s[0]?.toUpperCase() + s.slice(1);
  };
  const tags: BenchElement["tag"][] = ["td", "td", "td", "li", "p", "a", "span"];
  const elements: BenchElement[] = [];
  for (let i = 0; i < count; i++) {
    const tag = pick(tags);
    elements.push({
      tag,
      text: tag === "td" ? sentence(1 + Math.floor(random() * 3)) : sentence(5 + Math.floor(random() * 12)),
    });
  }
  const slots = new Set<number>();
  while (slots.size < Math.min(identifiers, count)) slots.add(Math.floor(random() * count));
  for (const slot of slots) {
    const a = accounts[
      COMMON_NAMES.length + Math.floor(random() * (accounts.length - COMMON_NAMES.length))
    ] as BadgeAccount;
    const el = elements[slot] as BenchElement;
    const domain = a.domains[0] as string;
    const sf = a.externalIds.salesforce as string;
    const base = a.name.replace(/,? (Inc\.|GmbH|LLC|Ltd|SA)$/, "");
    const mention = pick([
      () => `From: ${base} Support <help.desk@${domain}>`,
      () => `cc dana.smith@${domain}`,
      () => `Visit https://www.${domain}/account?ref=crm.`,
      () => `Domain: ${domain}`,
      () => `Salesforce record ${sf} linked`,
      () => `Old record id ${sf.slice(0, 15)}`,
      () => `Renewal call with ${a.name} next week`,
      () => `Escalated by ${base.toUpperCase()} admin`,
      () => `note: ${base.toLowerCase()} wants a discount`,
      () =>
        `${base
          .normalize("NFD")
          .replace(/[\u0300-\u036f]/g, "")
          .replace(/ø/g, "o")} replied`,
      () => `${a.aliases[0] ?? base} QBR scheduled`,
      // Near misses: none of these names an account.
      () => `Forwarded from someone@gmail.com`,
      () => `${base.split(" ")[0]}ville office closed`,
      () => `the ${pick(COMMON_NAMES).toLowerCase()} was late`,
    ])();
    el.text = `${el.text} ${mention}.`;
  }
  return elements;
}

/** Escapes text for the generated fixture page's HTML (the benchmarks write that page; the extension never does). */
const html = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/**
 * The page for the extension run: Gmail's thread list (the content script's Gmail adapter reads each sender's
 * `email` attribute in `.yW span[email]`), with the generated page's text around it. `senders` of the elements are
 * senders, mostly at accounts' domains, some at personal addresses (no badge).
 */
export function gmailHtml(
  accounts: readonly BadgeAccount[],
  elements: readonly BenchElement[],
  senders: number,
  seed: number,
): string {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const slots = new Set<number>();
  while (slots.size < Math.min(senders, elements.length)) slots.add(Math.floor(next() * elements.length));
  return elements
    .map((e, i) => {
      if (!slots.has(i))
        return `<${e.tag === "td" ? "span" : e.tag}>${html(e.text)}</${e.tag === "td" ? "span" : e.tag}>`;
      const a = accounts[Math.floor(next() * accounts.length)] as BadgeAccount;
      const address = next() < 0.1 ? "someone@gmail.com" : `dana.smith@${a.domains[0]}`;
      return `<div class="yW"><span email="${html(address)}" name="Dana Smith">Dana Smith</span></div>`;
    })
    .join("");
}

/**
 * The extension run's page and SPA batches as Gmail HTML, made as the harness makes them (preparePage, then
 * gmailPages): a page of `elements` with `identifiers` senders, and `batchCount` batches of `batchSize` elements.
 */
export function extensionPages(
  accounts: readonly BadgeAccount[],
  seed: number,
  p: { elements: number; identifiers: number; batches: number; batchSize: number },
): { page: string; batches: string[] } {
  const page = benchPage(accounts, p.elements, p.identifiers, seed);
  const perBatchIds = Math.max(1, Math.round((p.identifiers * p.batchSize) / p.elements));
  const batches = Array.from({ length: p.batches }, (_, b) =>
    benchPage(accounts, p.batchSize, perBatchIds, seed + 1 + b),
  );
  const perBatch = Math.max(1, Math.round((p.identifiers * (batches[0]?.length ?? 0)) / page.length));
  return {
    page: gmailHtml(accounts, page, p.identifiers, seed),
    batches: batches.map((b, i) => gmailHtml(accounts, b, perBatch, seed + 1 + i)),
  };
}

/** The accounts as a badge set file ("Export for the extension"), for the options page's Import bundle. */
export function badgeSetJson(accounts: readonly BadgeAccount[]): string {
  return JSON.stringify({ format: "vitals-badges", version: 1, generatedAt: "2025-03-01T10:00:00.000Z", accounts });
}
