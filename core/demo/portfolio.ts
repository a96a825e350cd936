import { ObservationColumns } from "../io/columns.ts";
import { Account } from "../schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../schema/day.ts";
import type { Outcome } from "../schema/observation.ts";
import { DEFAULT_METRICS } from "../scoring/metrics.ts";
import { mulberry32 } from "../validate/random.ts";

/**
 * The demo portfolio the PWA shows on first run, so a fresh install looks like a living book of business:
 * 500 made-up companies with a year of daily product usage, support tickets, surveys, invoices and CSM ratings,
 * written in the default scorecards' metric names. Pure and deterministic: the same options always give the same
 * portfolio, and nothing reads the clock.
 */

/** A generated demo portfolio: accounts, their observations and outcomes, and the last day of data. */
export interface DemoPortfolio {
  accounts: Account[];
  observations: ObservationColumns;
  outcomes: Outcome[];
  /** The last day of data (and the day the demo is meant to be scored as of). */
  asOf: Day;
}

/** Options for `demoPortfolio`; every one has a default. */
export interface DemoOptions {
  seed?: number;
  /** The last day of data; the caller passes a fixed day (core never reads the clock). */
  asOf?: Day;
  /** How many accounts (tier S: 500). */
  accounts?: number;
}

/**
 * Every id the demo makes (its accounts, and its import in the import history) starts with this, so a person can
 * tell demo data apart. Clear demo data does not go by it: it removes the accounts the demo recorded it created.
 */
export const DEMO_ID_PREFIX = "demo-";
/** The default last day of demo data: 2025-06-30. */
export const DEMO_AS_OF: Day = parseIsoDay("2025-06-30") as Day;
/** Days of history, ending on the as-of day. */
export const DEMO_DAYS = 365;
/** Accounts in the default (tier S) demo. */
export const DEMO_ACCOUNTS = 500;
const DEFAULT_SEED = 20250630;

// ---------------------------------------------------------------------------------------------------------------
// Randomness: the draws the demo needs, over mulberry32 (the generator core/validate shuffles folds with).

class Rng {
  /** A float in [0, 1). */
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** A whole number in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Roughly standard normal (sum of three uniforms, rescaled): cheap, bounded at ±3. */
  normal(): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

/** An independent stream per (seed, stream), so one account's draws never shift another's. */
const streamSeed = (seed: number, stream: number): number =>
  (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------------------------------------------
// Word lists. The first word is the brand; the second tells the industry.

const BRANDS = [
  "Northwind",
  "Bluebird",
  "Acme",
  "Summit",
  "Evergreen",
  "Redwood",
  "Silverline",
  "Brightpath",
  "Ironclad",
  "Harbor",
  "Pinnacle",
  "Lumen",
  "Cobalt",
  "Granite",
  "Meridian",
  "Orion",
  "Beacon",
  "Cedar",
  "Crescent",
  "Falcon",
  "Horizon",
  "Keystone",
  "Juniper",
  "Maple",
  "Nimbus",
  "Polaris",
  "Riverstone",
  "Sterling",
  "Tidewater",
  "Vertex",
  "Willow",
  "Zenith",
  "Aurora",
  "Bayview",
  "Copperleaf",
  "Driftwood",
  "Foxglove",
  "Greenfield",
  "Highland",
  "Kestrel",
  "Lakeshore",
  "Magnolia",
  "Oakridge",
  "Pioneer",
  "Sapphire",
  "Trailhead",
  "Westbrook",
  "Alpine",
  "Blue Harbor",
  "Clearwater",
  "Everline",
  "Goldcrest",
  "Ironwood",
  "Larkspur",
  "Moonstone",
  "Northstar",
  "Quillon",
  "Saltmarsh",
  "Starling",
  "Thornbury",
] as const;

const SECTORS: readonly (readonly [word: string, industry: string])[] = [
  ["Logistics", "Logistics"],
  ["Freight", "Logistics"],
  ["Health", "Healthcare"],
  ["Clinics", "Healthcare"],
  ["Robotics", "Manufacturing"],
  ["Manufacturing", "Manufacturing"],
  ["Analytics", "Software"],
  ["Software", "Software"],
  ["Cloud", "Software"],
  ["Security", "Software"],
  ["Labs", "Biotech"],
  ["Biosciences", "Biotech"],
  ["Foods", "Food & Beverage"],
  ["Brewing", "Food & Beverage"],
  ["Energy", "Energy"],
  ["Solar", "Energy"],
  ["Capital", "Financial Services"],
  ["Bank", "Financial Services"],
  ["Insurance", "Insurance"],
  ["Media", "Media"],
  ["Studios", "Media"],
  ["Retail", "Retail"],
  ["Outfitters", "Retail"],
  ["Travel", "Travel & Hospitality"],
  ["Hotels", "Travel & Hospitality"],
  ["Learning", "Education"],
  ["Academy", "Education"],
  ["Networks", "Telecommunications"],
  ["Motors", "Automotive"],
  ["Construction", "Construction"],
  ["Consulting", "Professional Services"],
  ["Legal", "Professional Services"],
  ["Realty", "Real Estate"],
  ["Pharma", "Pharmaceuticals"],
];

/** Industries whose companies often sit on a .io domain. */
const TECH = new Set(["Software"]);

interface Country {
  name: string;
  /** How a subsidiary's name says the country ("Acme Robotics UK"). */
  short: string;
  region: string;
  tld: string;
  suffix: string;
  weight: number;
}

const COUNTRIES: readonly Country[] = [
  { name: "United States", short: "US", region: "North America", tld: "com", suffix: "Inc.", weight: 45 },
  { name: "Canada", short: "Canada", region: "North America", tld: "ca", suffix: "Inc.", weight: 5 },
  { name: "United Kingdom", short: "UK", region: "EMEA", tld: "co.uk", suffix: "Ltd.", weight: 12 },
  { name: "Germany", short: "Germany", region: "EMEA", tld: "de", suffix: "GmbH", weight: 10 },
  { name: "France", short: "France", region: "EMEA", tld: "fr", suffix: "SAS", weight: 5 },
  { name: "Netherlands", short: "Netherlands", region: "EMEA", tld: "nl", suffix: "B.V.", weight: 4 },
  { name: "Sweden", short: "Sweden", region: "EMEA", tld: "se", suffix: "AB", weight: 3 },
  { name: "Australia", short: "Australia", region: "APAC", tld: "com.au", suffix: "Pty Ltd", weight: 5 },
  { name: "Japan", short: "Japan", region: "APAC", tld: "jp", suffix: "K.K.", weight: 3 },
  { name: "Singapore", short: "Singapore", region: "APAC", tld: "sg", suffix: "Pte. Ltd.", weight: 3 },
  { name: "Brazil", short: "Brazil", region: "LATAM", tld: "com.br", suffix: "Ltda.", weight: 3 },
  { name: "Mexico", short: "Mexico", region: "LATAM", tld: "mx", suffix: "S.A. de C.V.", weight: 2 },
];
const US = COUNTRIES[0] as Country;

/** CSMs, two per segment: enterprise books are small, SMB books are pooled. */
const OWNERS = {
  Enterprise: ["Priya Shah", "Jonas Weber"],
  "Mid-market": ["Sofia Alvarez", "Marcus Chen"],
  SMB: ["Aisha Okafor", "Liam O'Brien"],
} as const;

type Segment = keyof typeof OWNERS;

const PLANS: Record<Segment, readonly string[]> = {
  SMB: ["Starter", "Team"],
  "Mid-market": ["Business"],
  Enterprise: ["Enterprise"],
};

// ---------------------------------------------------------------------------------------------------------------
// Calendar helpers.

/** The same calendar day `years` later (Feb 29 falls back to Feb 28 in common years). */
function addYears(day: Day, years: number): Day {
  const [y, m, d] = formatDay(day).split("-").map(Number) as [number, number, number];
  const mm = String(m).padStart(2, "0");
  const exact = parseIsoDay(`${y + years}-${mm}-${String(d).padStart(2, "0")}`);
  return exact ?? (parseIsoDay(`${y + years}-${mm}-28`) as Day);
}

/** Saturday or Sunday (1970-01-01, day 0, was a Thursday). */
const isWeekend = (day: Day): boolean => {
  const dow = (day + 4) % 7;
  return dow === 0 || dow === 6;
};

// ---------------------------------------------------------------------------------------------------------------
// Planning: who each account is and what story its data tells.

/**
 * What the account's data shows. steady: noise around its health; expansion: near-full seats (upsell);
 * declining: usage sliding for the last 40–60 days; cliff: usage fell off this week; dark: nobody has logged in
 * for weeks; stalled: an onboarding that stopped; churned: usage fades out before the churn day.
 */
type Story = "steady" | "expansion" | "declining" | "cliff" | "dark" | "stalled" | "churned";

interface Plan {
  index: number;
  id: string;
  segment: Segment;
  country: Country;
  industry: string;
  name: string;
  base: string;
  domain: string;
  seats: number;
  arr: number;
  start: Day;
  /** Next renewal after the as-of day; for a churned account, the renewal it did not renew on (its churn day). */
  renewal: Day | undefined;
  churn: Day | undefined;
  onboarding: boolean;
  /** Underlying health in [0, 1] every metric derives from, so an account's metrics tell one story. */
  health: number;
  story: Story;
  /** When the story's change began (decline, cliff, going dark, stall, fade-out). */
  storyFrom: Day;
  parentId: string | undefined;
}

/** A health distribution as ranges from worst to best, each with its share of accounts. */
type HealthMix = readonly (readonly [share: number, lo: number, hi: number])[];

/**
 * Health across a book that is mostly fine with a tail in trouble: about half healthy, a third to watch, the rest
 * at risk. New customers sit lower (the onboarding scorecard forgives a slow start less than a mild one);
 * enterprise accounts get a CSM's full attention, so their tail is shallower.
 */
const HEALTH: Record<"book" | "enterprise" | "onboarding", HealthMix> = {
  book: [
    [0.09, 0.02, 0.38],
    [0.45, 0.38, 0.62],
    [0.46, 0.62, 1],
  ],
  enterprise: [
    [0.08, 0.12, 0.42],
    [0.4, 0.42, 0.64],
    [0.52, 0.64, 1],
  ],
  onboarding: [
    [0.14, 0.02, 0.25],
    [0.42, 0.3, 0.52],
    [0.44, 0.6, 1],
  ],
};

/** The health at quantile q of a mix. */
function healthAt(mix: HealthMix, q: number): number {
  let below = 0;
  for (const [share, lo, hi] of mix) {
    if (q < below + share) return lo + ((hi - lo) * (q - below)) / share;
    below += share;
  }
  return (mix[mix.length - 1] as HealthMix[number])[2];
}

function drawSeatsAndArr(rng: Rng, segment: Segment): { seats: number; arr: number } {
  const r = rng.next();
  switch (segment) {
    case "SMB": {
      const seats = 5 + Math.floor(r ** 1.5 * 45);
      return { seats, arr: Math.round((seats * rng.between(300, 600)) / 100) * 100 };
    }
    case "Mid-market": {
      const seats = 50 + Math.floor(r ** 1.5 * 250);
      return { seats, arr: Math.round((seats * rng.between(350, 650)) / 500) * 500 };
    }
    case "Enterprise": {
      const seats = 300 + Math.floor(r ** 2 * 2700);
      return { seats, arr: Math.round((seats * rng.between(300, 550)) / 1000) * 1000 };
    }
  }
}

function drawCountry(rng: Rng): Country {
  const total = COUNTRIES.reduce((s, c) => s + c.weight, 0);
  let r = rng.next() * total;
  for (const c of COUNTRIES) {
    r -= c.weight;
    if (r < 0) return c;
  }
  return US;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

function planAccounts(count: number, seed: number, asOf: Day): Plan[] {
  const rng = new Rng(streamSeed(seed, -1));
  const from = asOf - DEMO_DAYS + 1;

  // Lifecycles by exact counts, so even a small demo has some of each: ~10% onboarding, ~4% churned.
  const order = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  const onboardingCount = Math.round(count * 0.1);
  const churnCount = Math.round(count * 0.04);
  const onboarding = new Set(order.slice(0, onboardingCount));
  const churned = new Set(order.slice(onboardingCount, onboardingCount + churnCount));

  const segments: Segment[] = Array.from({ length: count }, () => {
    const r = rng.next();
    return r < 0.5 ? "SMB" : r < 0.8 ? "Mid-market" : "Enterprise";
  });

  // Families for roll-up: about one enterprise parent per 100 accounts, each with two or three subsidiaries.
  const settled = order.slice(onboardingCount + churnCount);
  const parents = settled.filter((i) => segments[i] === "Enterprise").slice(0, Math.floor(count / 100));
  const childPool = settled.filter((i) => !parents.includes(i));
  const parentOf = new Map<number, number>();
  for (const p of parents) {
    const n = rng.int(2, 3);
    for (let k = 0; k < n && childPool.length > 0; k++) parentOf.set(childPool.pop() as number, p);
  }

  // Health by stratified sampling within each group, so even a small demo gets each group's spread of bands.
  const health = new Float64Array(count);
  const groups = new Map<keyof typeof HEALTH, number[]>();
  for (let i = 0; i < count; i++) {
    if (churned.has(i)) {
      health[i] = rng.between(0.05, 0.4);
      continue;
    }
    const key = onboarding.has(i) ? "onboarding" : segments[i] === "Enterprise" ? "enterprise" : "book";
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  }
  for (const [key, members] of groups) {
    rng.shuffle(members).forEach((i, k) => {
      health[i] = healthAt(HEALTH[key], (k + rng.next()) / members.length);
    });
  }

  // Unique brand + sector names, in a shuffled order; past the list's end a number keeps them unique.
  const combos = rng.shuffle(BRANDS.flatMap((brand) => SECTORS.map(([word, industry]) => ({ brand, word, industry }))));

  const plans: Plan[] = [];
  let nextName = 0;
  for (let i = 0; i < count; i++) {
    const isOnboarding = onboarding.has(i);
    const isChurned = churned.has(i);
    const parentIndex = parentOf.get(i);
    let segment = segments[i] as Segment;
    if (parentIndex !== undefined && segment === "SMB") segment = "Mid-market";
    const combo = combos[nextName % combos.length] as (typeof combos)[number];
    const round = Math.floor(nextName / combos.length);
    nextName++;
    const base = `${combo.brand} ${combo.word}${round > 0 ? ` ${round + 1}` : ""}`;
    // A subsidiary's name, industry and country are its parent's (set below, once every parent is planned).
    const industry = combo.industry;
    const country = parents.includes(i) ? US : drawCountry(rng);
    const { seats, arr } = drawSeatsAndArr(rng, segment);

    let start: Day;
    let churn: Day | undefined;
    if (isOnboarding) start = asOf - rng.int(5, 88);
    else if (isChurned) {
      // Churned at a renewal (the anniversary they did not renew on), some time in the past year.
      churn = asOf - rng.int(20, 330);
      start = addYears(churn, -rng.int(1, 3));
    } else start = asOf - rng.int(92, 4 * 365); // past the onboarding scorecard's 90 days (inclusive)
    // A churned account keeps the renewal date it did not renew on, as a CRM keeps a lost renewal's date.
    let renewal: Day | undefined = churn;
    if (churn === undefined) {
      let k = 1;
      while (addYears(start, k) <= asOf) k++;
      renewal = addYears(start, k);
    }

    let story: Story = "steady";
    let storyFrom = from;
    const h = health[i] as number;
    if (isChurned) story = "churned";
    else if (isOnboarding) {
      if (h < 0.25 && asOf - start > 20) {
        story = "stalled";
        storyFrom = Math.max(start + 7, asOf - rng.int(6, 15));
      }
    } else if (h >= 0.78 && rng.chance(0.22)) story = "expansion";
    else if (h >= 0.5 && rng.chance(0.1)) {
      story = "declining";
      storyFrom = asOf - rng.int(40, 60);
    } else if (h >= 0.55 && rng.chance(0.07)) {
      story = "cliff";
      storyFrom = asOf - rng.int(3, 7);
    } else if (h < 0.36 && rng.chance(0.35)) {
      story = "dark";
      storyFrom = asOf - rng.int(12, 40);
    }

    plans.push({
      index: i,
      id: `${DEMO_ID_PREFIX}${String(i + 1).padStart(4, "0")}`,
      segment,
      country,
      industry,
      name: base,
      base,
      domain: "",
      seats,
      arr,
      start,
      renewal,
      churn,
      onboarding: isOnboarding,
      health: h,
      story,
      storyFrom,
      parentId: undefined,
    });
  }

  // Subsidiaries: "<parent> <country>", on the country's domain, one country per child within a family.
  for (const p of parents) {
    const parent = plans[p] as Plan;
    const abroad = rng.shuffle(COUNTRIES.filter((c) => c !== US));
    let k = 0;
    for (const [child, of] of parentOf) {
      if (of !== p) continue;
      const plan = plans[child] as Plan;
      plan.country = abroad[k++ % abroad.length] as Country;
      plan.base = `${parent.base} ${plan.country.short}`;
      plan.industry = parent.industry;
      plan.parentId = parent.id;
    }
  }

  // Names (sometimes with the legal suffix) and domains derived from them, unique across the portfolio.
  const domains = new Set<string>();
  for (const plan of plans) {
    const parent = plan.parentId === undefined ? undefined : plans.find((q) => q.id === plan.parentId);
    plan.name = rng.chance(0.3) ? `${plan.base} ${plan.country.suffix}` : plan.base;
    const stem = parent ? slug(parent.base) : rng.chance(0.25) ? slug(plan.base).replace(/-/g, "") : slug(plan.base);
    const tld = parent
      ? plan.country.tld
      : TECH.has(plan.industry) && rng.chance(0.45)
        ? "io"
        : plan.country !== US && rng.chance(0.6)
          ? plan.country.tld
          : "com";
    let domain = `${stem}.${tld}`;
    if (domains.has(domain)) domain = `${slug(plan.base)}.${tld}`;
    if (domains.has(domain)) domain = `${slug(plan.base)}-${plan.index + 1}.com`;
    domains.add(domain);
    plan.domain = domain;
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------------------------
// External ids.

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An 18-character Salesforce account id: key prefix 001, a pod, the record number, and the case-safe suffix. */
function salesforceId(rng: Rng, used: Set<string>): string {
  for (;;) {
    let id15 = "0015g00000";
    for (let k = 0; k < 5; k++) id15 += BASE62[rng.int(0, 61)];
    if (used.has(id15)) continue;
    used.add(id15);
    let suffix = "";
    for (let chunk = 0; chunk < 3; chunk++) {
      let bits = 0;
      for (let k = 0; k < 5; k++) {
        const c = id15[chunk * 5 + k] as string;
        if (c >= "A" && c <= "Z") bits |= 1 << k;
      }
      suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits];
    }
    return id15 + suffix;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Observations.

const M = DEFAULT_METRICS;

/** Support tickets per weekday for a perfectly healthy account; an unhealthy one files up to three times as many. */
const TICKET_RATE: Record<Segment, number> = { SMB: 0.02, "Mid-market": 0.05, Enterprise: 0.15 };
/** Days between a CSM's sentiment ratings. */
const CHECK_IN_DAYS: Record<Segment, number> = { SMB: 60, "Mid-market": 45, Enterprise: 30 };
/** NPS respondents per survey wave. */
const RESPONDENTS: Record<Segment, readonly [number, number]> = {
  SMB: [1, 2],
  "Mid-market": [1, 3],
  Enterprise: [3, 7],
};

type Event = [day: Day, value: number];

function sortEvents(events: Event[]): Event[] {
  return events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Writes one account's year of data: daily usage, then its events, each metric in day order. */
function writeObservations(plan: Plan, rng: Rng, out: ObservationColumns, asOf: Day, monthStarts: Set<Day>): void {
  const from = asOf - DEMO_DAYS + 1;
  const first = Math.max(from, plan.start);
  const last = plan.churn === undefined ? asOf : plan.churn - 1;
  if (last < first) return;
  const { id, seats, health: h, story, storyFrom, segment } = plan;

  // Usage level: the 30-day mean of active users over seats, weekends included, is ~0.06 + 0.74 × health.
  const expansion = story === "expansion";
  const mean = expansion ? rng.between(0.86, 0.95) : clamp(0.06 + 0.74 * h + 0.06 * rng.normal(), 0.03, 0.8);
  const weekendShare = expansion ? rng.between(0.7, 0.9) : rng.between(0.15, 0.45);
  const weekdayLevel = Math.min(0.99, (7 * mean) / (5 + 2 * weekendShare));
  const loginsPerUser = rng.between(1.2, 2.5);
  const eventsPerUser = rng.between(1.5, 6);
  // Monthly growth; troubled accounts have been sliding for a few months, the rest drift gently.
  const growth =
    h >= 0.62 ? rng.between(-0.01, 0.07) : h >= 0.36 ? rng.between(-0.06, 0.03) : rng.between(-0.25, -0.05);
  const trendFrom = h < 0.36 ? asOf - rng.int(60, 200) : from;
  // New customers ramp up over a few weeks (slower when onboarding goes badly).
  const rampDays = 10 + 120 * (1 - h) ** 2 + rng.between(0, 10);
  const declineFloor = rng.between(0.3, 0.6);
  const fadeFrom = plan.churn === undefined ? last : plan.churn - rng.int(45, 120);
  const zeroFrom = plan.churn === undefined ? last + 1 : plan.churn - rng.int(7, 21);

  const storyFactor = (d: Day): number => {
    switch (story) {
      case "declining":
        return d < storyFrom ? 1 : 1 - ((1 - declineFloor) * (d - storyFrom)) / (asOf - storyFrom);
      case "cliff":
        return d < storyFrom ? 1 : 0;
      case "dark":
      case "stalled":
        return d < storyFrom ? 1 : 0;
      case "churned":
        return d < fadeFrom ? 1 : d >= zeroFrom ? 0 : 1 - (d - fadeFrom) / (zeroFrom - fadeFrom);
      default:
        return 1;
    }
  };

  const tickets: Event[] = [];
  const breaches: Event[] = [];
  const csat: Event[] = [];
  const nps: Event[] = [];
  const overdue: Event[] = [];
  const sentiment: Event[] = [];

  const ticketBase = plan.onboarding ? 0.08 : TICKET_RATE[segment];
  const breachChance = 0.02 + 0.15 * (1 - h);
  const latePayer = rng.chance(0.04 + 0.5 * (1 - h) ** 2);
  const checkIn = plan.onboarding ? 14 : CHECK_IN_DAYS[segment];
  let nextCheckIn = first + rng.int(0, checkIn - 1);
  const wavePhase = rng.int(0, 119);
  const [minRespondents, maxRespondents] = RESPONDENTS[segment];

  for (let d = first; d <= last; d++) {
    const factor = storyFactor(d);
    // Health as the customer feels it now: a sliding account's answers and ratings sour with its usage.
    const felt = clamp(h - 0.35 * (1 - factor), 0, 1);
    const weekend = isWeekend(d);
    const trend = Math.exp((growth * (Math.max(d, trendFrom) - asOf)) / 30);
    const ramp = Math.min(1, (d - plan.start + 1) / rampDays);
    const level = weekdayLevel * (weekend ? weekendShare : 1) * trend * factor * ramp;
    const active = Math.min(seats, Math.round(seats * level * (0.9 + 0.2 * rng.next())));
    const logins = active === 0 ? 0 : Math.max(1, Math.round(active * loginsPerUser * (0.85 + 0.3 * rng.next())));
    // Key features come after the logins: a new team finds them over a ramp half again as long.
    const discovered = Math.min(1, (d - plan.start + 1) / (1.5 * rampDays));
    const keyEvents = Math.round(active * eventsPerUser * discovered * (0.7 + 0.6 * rng.next()));
    out.push(id, M.activeUsers, d, active);
    out.push(id, M.logins, d, logins);
    out.push(id, M.keyEvents, d, keyEvents);

    // Tickets: one observation per ticket; some miss their SLA, some get a CSAT answer a few days later.
    let ticketChance =
      ticketBase *
      (plan.onboarding ? 0.3 + 4 * (1 - felt) : 0.6 + 2.4 * (1 - felt)) *
      (weekend ? 0.15 : 1) *
      (factor > 0 ? 1 : 0.3);
    while (rng.chance(ticketChance)) {
      tickets.push([d, 1]);
      if (rng.chance(breachChance)) breaches.push([d, 1]);
      const answered = d + rng.int(1, 4);
      if (answered <= last && rng.chance(0.45)) {
        csat.push([answered, clamp(Math.round(1.6 + 3.4 * felt + 0.8 * rng.normal()), 1, 5)]);
      }
      ticketChance *= 0.5;
    }

    // NPS: a survey wave every four months, a few respondents answering over the following week or so.
    if ((d - wavePhase) % 120 === 0 && !plan.onboarding && rng.chance(0.85)) {
      const respondents = rng.int(minRespondents, maxRespondents);
      for (let k = 0; k < respondents; k++) {
        const answered = d + rng.int(0, 10);
        if (answered <= last) nps.push([answered, clamp(Math.round(5 + 5.5 * felt + 1.5 * rng.normal()), 0, 10)]);
      }
    }

    // Billing: on the 1st, how many days the oldest open invoice is overdue (mostly 0; late payers lag).
    if (monthStarts.has(d)) {
      const late = latePayer && rng.chance(0.55);
      const value = late ? rng.int(5, 15 + Math.round(60 * (1 - felt))) : rng.chance(0.03) ? rng.int(1, 10) : 0;
      overdue.push([d, value]);
    }

    // CSM sentiment, 1 (at risk) to 5 (strong), every month or two (every two weeks while onboarding).
    if (d === nextCheckIn) {
      sentiment.push([d, clamp(Math.round(1 + 4 * felt + 0.6 * rng.normal()), 1, 5)]);
      nextCheckIn = d + checkIn + rng.int(-5, 5);
    }
  }

  const events: readonly [string, Event[]][] = [
    [M.tickets, tickets],
    [M.slaBreaches, breaches],
    [M.csat, sortEvents(csat)],
    [M.nps, sortEvents(nps)],
    [M.daysOverdue, overdue],
    [M.sentiment, sentiment],
  ];
  for (const [metric, list] of events) for (const [d, v] of list) out.push(id, metric, d, v);
}

// ---------------------------------------------------------------------------------------------------------------

function stageOf(plan: Plan, asOf: Day): string {
  if (plan.churn !== undefined) return "churned";
  if (asOf - plan.start < 90) return "onboarding";
  if (plan.renewal !== undefined && plan.renewal - asOf < 120) return "renewal";
  return "adoption";
}

/**
 * A deterministic demo portfolio: realistic companies (unique names and domains, Salesforce ids, owners,
 * segments, parents and subsidiaries) with a year of data ending on `asOf` that gives every default scorecard a
 * spread of green, yellow and red accounts, and stories worth opening: usage sliding for two months or falling
 * off this week, renewals coming up that are not green, healthy accounts using nearly every seat, and ~4% of
 * accounts that churned during the year (data fading out, then a `churned` outcome).
 */
export function demoPortfolio(options: DemoOptions = {}): DemoPortfolio {
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? DEMO_AS_OF;
  const count = options.accounts ?? DEMO_ACCOUNTS;
  if (!Number.isInteger(count) || count < 1) throw new Error(`a demo needs a whole number of accounts, not ${count}`);
  if (!Number.isInteger(asOf)) throw new Error(`the demo's as-of day must be a whole day, not ${asOf}`);

  const plans = planAccounts(count, seed, asOf);
  const from = asOf - DEMO_DAYS + 1;
  const monthStarts = new Set<Day>();
  for (let d = from; d <= asOf; d++) if (formatDay(d).endsWith("-01")) monthStarts.add(d);

  const ids = new Rng(streamSeed(seed, -2));
  const usedSalesforce = new Set<string>();
  const observations = new ObservationColumns();
  const outcomes: Outcome[] = [];
  const accounts = plans.map((plan) => {
    const rng = new Rng(streamSeed(seed, plan.index));
    const externalIds: Record<string, string> = { salesforce: salesforceId(ids, usedSalesforce) };
    if (ids.chance(0.7)) externalIds.zendesk = String(360_000_000_000 + plan.index * 7919 + ids.int(0, 7000));
    const attributes: Record<string, string | number | boolean> = {
      country: plan.country.name,
      training_completed: plan.onboarding
        ? rng.chance(clamp(1.1 * plan.health - 0.15 + (asOf - plan.start > 30 ? 0.1 : -0.15), 0, 1))
        : rng.chance(0.93),
    };
    if (plan.segment === "Enterprise") attributes.exec_sponsor = rng.chance(0.45 + 0.5 * plan.health);
    const account = Account.parse({
      id: plan.id,
      name: plan.name,
      domains: [plan.domain],
      externalIds,
      aliases: plan.name === plan.base ? [] : [plan.base],
      ...(plan.parentId === undefined ? {} : { parentId: plan.parentId }),
      plan: rng.pick(PLANS[plan.segment]),
      segment: plan.segment,
      stage: stageOf(plan, asOf),
      owner: rng.pick(OWNERS[plan.segment]),
      industry: plan.industry,
      region: plan.country.region,
      arr: plan.arr,
      seats: plan.seats,
      startDate: formatDay(plan.start),
      ...(plan.renewal === undefined ? {} : { renewalDate: formatDay(plan.renewal) }),
      attributes,
    });

    writeObservations(plan, rng, observations, asOf, monthStarts);

    if (plan.churn !== undefined) outcomes.push({ accountId: plan.id, day: formatDay(plan.churn), kind: "churned" });
    else if (plan.renewal !== undefined) {
      const lastRenewal = addYears(plan.renewal, -1);
      if (lastRenewal >= from && lastRenewal > plan.start) {
        const kind =
          plan.story === "expansion" || (plan.health >= 0.75 && rng.chance(0.35))
            ? "expanded"
            : plan.health < 0.45 && rng.chance(0.45)
              ? "downgraded"
              : "renewed";
        outcomes.push({ accountId: plan.id, day: formatDay(lastRenewal), kind });
      }
    }
    return account;
  });
  outcomes.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.accountId < b.accountId ? -1 : 1));
  return { accounts, observations, outcomes, asOf };
}
