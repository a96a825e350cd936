import type { Account } from "../../core/schema/account.ts";
import { type Day, formatDay, parseIsoDay } from "../../core/schema/day.ts";
import type { Outcome } from "../../core/schema/observation.ts";
import { DEFAULT_METRICS } from "../../core/scoring/metrics.ts";
import type { MetricColumns } from "../../core/scoring/series.ts";
import { mulberry32 } from "../../core/validate/random.ts";

/** Benchmark tiers (docs/architecture.md, "Sizes we design for"). */
export type Tier = "S" | "M" | "L";

/** Size of a synthetic portfolio. */
export interface SyntheticSize {
  accounts: number;
  /** How many metrics (7 to 10): the Adoption (SMB) metrics first, then CSM sentiment, SLA breaches, API calls. */
  metrics: number;
  /** Days of history, ending on `SYNTHETIC_END`. */
  days: number;
}

/** The tiers' sizes: 365 daily points per metric for 500, 10,000 and 100,000 accounts. */
export const TIERS: Readonly<Record<Tier, SyntheticSize>> = {
  S: { accounts: 500, metrics: 8, days: 365 },
  M: { accounts: 10_000, metrics: 10, days: 365 },
  L: { accounts: 100_000, metrics: 10, days: 365 },
};

/** The last day of every synthetic history (2025-06-30), so generated data never depends on today's date. */
export const SYNTHETIC_END: Day = parseIsoDay("2025-06-30") as number;

/** Metric names in the order a synthetic portfolio includes them (a tier with k metrics takes the first k). */
export const SYNTHETIC_METRICS = [
  DEFAULT_METRICS.activeUsers,
  DEFAULT_METRICS.keyEvents,
  DEFAULT_METRICS.logins,
  DEFAULT_METRICS.tickets,
  DEFAULT_METRICS.nps,
  DEFAULT_METRICS.daysOverdue,
  DEFAULT_METRICS.csat,
  DEFAULT_METRICS.sentiment,
  DEFAULT_METRICS.slaBreaches,
  "api_calls",
] as const;

/** Options for a synthetic portfolio. */
export interface SyntheticOptions {
  /**
   * "SMB" (the benchmark's portfolio: every account is SMB with seats, so Adoption (SMB) applies to all), or
   * "mixed": segments, start dates and attributes vary so every default scorecard applies to some accounts.
   */
  mix?: "SMB" | "mixed";
}

/** A generated portfolio: accounts and one column set per metric, in account-major, day-ascending order. */
export interface SyntheticPortfolio {
  accounts: Account[];
  metrics: MetricColumns[];
  from: Day;
  to: Day;
}

/** Counts describing a generated or loaded portfolio. */
export interface PortfolioCounts {
  accounts: number;
  metrics: string[];
  observations: number;
  from: string;
  to: string;
}

/** mulberry32: a small, fast, deterministic PRNG returning floats in [0, 1) (the one core/validate shuffles folds with). */
export const prng = mulberry32;

/** Growable column triple, so sparse event metrics need no size known in advance. */
class ColumnBuilder {
  private account: Int32Array;
  private day: Int32Array;
  private value: Float64Array;
  private length = 0;

  constructor(capacity: number) {
    this.account = new Int32Array(capacity);
    this.day = new Int32Array(capacity);
    this.value = new Float64Array(capacity);
  }

  push(account: number, day: number, value: number): void {
    if (this.length === this.account.length) {
      const grow = this.length * 2;
      const a = new Int32Array(grow);
      a.set(this.account);
      this.account = a;
      const d = new Int32Array(grow);
      d.set(this.day);
      this.day = d;
      const v = new Float64Array(grow);
      v.set(this.value);
      this.value = v;
    }
    this.account[this.length] = account;
    this.day[this.length] = day;
    this.value[this.length] = value;
    this.length++;
  }

  /** Columns trimmed to length (a copy only when the capacity was not used up exactly). */
  build(metric: string): MetricColumns {
    const n = this.length;
    const trim = <T extends Int32Array | Float64Array>(a: T): T => (a.length === n ? a : (a.slice(0, n) as T));
    return { metric, account: trim(this.account), day: trim(this.day), value: trim(this.value) };
  }
}

/** Per-account latent traits every metric derives from, so an account's metrics tell one consistent story. */
interface Traits {
  /** Underlying health in [0, 1]. */
  health: Float64Array;
  /** Usage drift over the year: −1 (fading away) … +1 (growing). */
  trend: Float64Array;
  seats: Int32Array;
  /** Day after which the account stops logging in (churn in progress), or a day after the end. */
  darkFrom: Int32Array;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

function traitsOf(count: number, seed: number, end: Day): Traits {
  const rand = prng(seed ^ 0x9e3779b9);
  const health = new Float64Array(count);
  const trend = new Float64Array(count);
  const seats = new Int32Array(count);
  const darkFrom = new Int32Array(count);
  for (let a = 0; a < count; a++) {
    // Skewed towards healthy, like a real book: most accounts fine, a tail in trouble.
    const h = clamp01(1 - rand() ** 0.6 + 0.35 * rand());
    health[a] = h;
    trend[a] = (rand() - 0.5) * 2 * (0.4 + 0.6 * (1 - h));
    seats[a] = 5 + Math.floor(rand() ** 2 * 195);
    darkFrom[a] = h < 0.2 && rand() < 0.5 ? end - Math.floor(rand() * 40) : end + 1;
  }
  return { health, trend, seats, darkFrom };
}

/** Whole number near `mean` (rounded mean plus small symmetric noise), never below 0. */
const noisyCount = (mean: number, rand: () => number) => Math.max(0, Math.round(mean * (0.8 + 0.4 * rand())));

function metricColumns(metric: string, index: number, traits: Traits, seed: number, from: Day, to: Day) {
  const count = traits.health.length;
  const days = to - from + 1;
  const rand = prng(seed + 7919 * (index + 1));
  const dense = metric === "active_users" || metric === "key_events" || metric === "logins" || metric === "api_calls";
  const out = new ColumnBuilder(dense ? count * days : Math.max(1024, count * 8));
  const firstOfMonth = Uint8Array.from({ length: days }, (_, j) => (formatDay(from + j).endsWith("-01") ? 1 : 0));
  for (let a = 0; a < count; a++) {
    const h = traits.health[a] as number;
    const trend = traits.trend[a] as number;
    const seats = traits.seats[a] as number;
    const dark = traits.darkFrom[a] as number;
    for (let d = from; d <= to; d++) {
      const t = (d - from) / days; // 0 … 1 through the year
      const weekend = (d + 4) % 7 >= 5; // 1970-01-01 was a Thursday
      const usage = clamp01((0.15 + 0.8 * h) * (1 + trend * (t - 0.5))) * (weekend ? 0.3 : 1) * (d >= dark ? 0 : 1);
      switch (metric) {
        case "active_users":
          out.push(a, d, noisyCount(seats * usage, rand));
          break;
        case "key_events":
          out.push(a, d, noisyCount(seats * usage * 3, rand));
          break;
        case "logins":
          out.push(a, d, noisyCount(seats * usage * 1.5, rand));
          break;
        case "api_calls":
          out.push(a, d, noisyCount(seats * usage * 40, rand));
          break;
        case "tickets":
          if (rand() < 0.02 + 0.15 * (1 - h)) out.push(a, d, 1);
          break;
        case "sla_breaches":
          if (rand() < 0.03 * (1 - h)) out.push(a, d, 1);
          break;
        case "nps":
          if (rand() < 0.015) out.push(a, d, Math.min(10, Math.max(0, Math.round(h * 10 + (rand() - 0.5) * 6))));
          break;
        case "csat":
          if (rand() < 0.02 + 0.1 * (1 - h))
            out.push(a, d, Math.min(5, Math.max(1, Math.round(1 + h * 4 + rand() - 0.5))));
          break;
        case "invoice_days_overdue":
          // One invoice a month, on the 1st; how late it was paid (0 = on time).
          if (firstOfMonth[d - from] === 1)
            out.push(a, d, rand() < 0.7 * (1 - h) ? Math.floor(rand() * 70 * (1 - h)) : 0);
          break;
        case "csm_sentiment":
          // A CSM check-in about every five weeks, each account on its own cadence.
          if ((d + a * 13) % 35 === 0)
            out.push(a, d, Math.min(5, Math.max(1, Math.round(1 + h * 4 + (rand() - 0.5) * 1.5))));
          break;
        default:
          throw new Error(`no generator for metric "${metric}"`);
      }
    }
  }
  return out.build(metric);
}

/** The accounts of a synthetic portfolio (cheap; shared by `generateSynthetic` and `syntheticMetric`). */
export function syntheticAccounts(size: SyntheticSize, seed: number, options: SyntheticOptions = {}): Account[] {
  const traits = traitsOf(size.accounts, seed, SYNTHETIC_END);
  const rand = prng(seed ^ 0x5bd1e995);
  const segments = ["SMB", "Mid-market", "Enterprise", "SMB"] as const;
  return Array.from({ length: size.accounts }, (_, a) => {
    const id = `acc-${String(a + 1).padStart(6, "0")}`;
    const mixed = options.mix === "mixed";
    // Started one to four years before the end; in a mixed portfolio every fifth account is still onboarding.
    const startOffset = mixed && a % 5 === 0 ? Math.floor(rand() * 120) : 365 + Math.floor(rand() * 1095);
    const account: Account = {
      id,
      name: `Account ${a + 1}`,
      domains: [`${id}.example`],
      externalIds: {},
      aliases: [],
      segment: mixed ? segments[a % segments.length] : "SMB",
      plan: (traits.seats[a] as number) > 100 ? "Business" : "Team",
      seats: traits.seats[a] as number,
      arr: (traits.seats[a] as number) * 240,
      startDate: formatDay(SYNTHETIC_END - startOffset),
      attributes: mixed ? { training_completed: a % 3 !== 0, exec_sponsor: a % 4 === 0 ? "yes" : "no" } : {},
    };
    return account;
  });
}

/** One metric of a synthetic portfolio, generated on its own so a worker can build series one metric at a time. */
export function syntheticMetric(size: SyntheticSize, seed: number, index: number): MetricColumns {
  const metric = SYNTHETIC_METRICS[index];
  if (metric === undefined) throw new Error(`a synthetic portfolio has at most ${SYNTHETIC_METRICS.length} metrics`);
  const from = SYNTHETIC_END - size.days + 1;
  return metricColumns(metric, index, traitsOf(size.accounts, seed, SYNTHETIC_END), seed, from, SYNTHETIC_END);
}

/**
 * A deterministic synthetic portfolio: the same size and seed always give the same data. Usage metrics are daily
 * gauges (every account, every day); tickets, NPS answers, CSAT ratings, SLA breaches, invoices and CSM check-ins
 * are events on the days they happen, as real imports have them.
 */
export function generateSynthetic(
  size: SyntheticSize | Tier,
  seed: number,
  options: SyntheticOptions = {},
): SyntheticPortfolio {
  const s = typeof size === "string" ? TIERS[size] : size;
  if (s.metrics < 1 || s.metrics > SYNTHETIC_METRICS.length) {
    throw new Error(`metrics must be 1 to ${SYNTHETIC_METRICS.length}`);
  }
  const accounts = syntheticAccounts(s, seed, options);
  const metrics = Array.from({ length: s.metrics }, (_, i) => syntheticMetric(s, seed, i));
  return { accounts, metrics, from: SYNTHETIC_END - s.days + 1, to: SYNTHETIC_END };
}

/**
 * Outcomes for every account of a synthetic portfolio, on days spread over its last 90 days: churn is likelier
 * the lower the account's underlying health (every account that goes dark churns), the others renew, expand
 * (healthy ones) or downgrade (weak ones). Deterministic for a size and seed, so validation can be benchmarked.
 */
export function syntheticOutcomes(size: SyntheticSize, seed: number): Outcome[] {
  const traits = traitsOf(size.accounts, seed, SYNTHETIC_END);
  const rand = prng(seed ^ 0x2545f491);
  return syntheticAccounts(size, seed).map((account, a) => {
    const h = traits.health[a] as number;
    const day = formatDay(SYNTHETIC_END - Math.floor(rand() * 90));
    const churned = (traits.darkFrom[a] as number) <= SYNTHETIC_END || rand() < 1 / (1 + Math.exp(-(2 - 9 * h)));
    const roll = rand();
    const kind = churned
      ? "churned"
      : h > 0.8 && roll < 0.3
        ? "expanded"
        : h < 0.4 && roll < 0.2
          ? "downgraded"
          : "renewed";
    return { accountId: account.id, day, kind };
  });
}
