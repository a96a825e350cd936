/**
 * A synthetic churn snapshot shaped like the public one-row-per-customer datasets analysts try a scorecard on
 * (about 7,000 subscribers of a connectivity service, mixed categorical, numeric and yes/no columns, a yes/no
 * churn flag), written from scratch with a known structure: churn's log-odds are a sum of known per-category and
 * per-step effects (TRUE_EFFECTS), so a fit can be checked against the truth. Seeded: the same seed, the same rows.
 */
import type { AccountInput } from "../schema/account.ts";
import type { Outcome } from "../schema/observation.ts";
import type { ScorecardInput } from "../schema/scorecard.ts";
import { mulberry32 } from "../validate/random.ts";

/** The snapshot's day: every account is described, and its churn flag read, as of this day. */
export const SNAPSHOT_DAY = "2026-01-31";

/** Churn's true log-odds contributions (0 = the reference level), by column and value or tenure step. */
export const TRUE_EFFECTS = {
  intercept: -2.2,
  term: { Monthly: 1.5, Annual: 0, Biennial: -1.4 } as Record<string, number>,
  /** Tenure in months, by step: up to 6, 7–12, 13–24, 25–48, over 48. */
  tenureSteps: [
    { upTo: 6, effect: 1.0 },
    { upTo: 12, effect: 0.55 },
    { upTo: 24, effect: 0.15 },
    { upTo: 48, effect: -0.25 },
    { upTo: Number.POSITIVE_INFINITY, effect: -0.7 },
  ],
  connection: { Fiber: 0.75, DSL: 0, "No internet": -0.6 } as Record<string, number>,
  security: { Yes: -0.45, No: 0, "No internet": 0 } as Record<string, number>,
  support: { Yes: -0.4, No: 0, "No internet": 0 } as Record<string, number>,
  payment: { "E-check": 0.5, Invoice: 0, "Card auto-pay": -0.15, "Bank auto-pay": -0.2 } as Record<string, number>,
  paperless: { true: 0.3, false: 0 } as Record<string, number>,
  senior: { true: 0.25, false: 0 } as Record<string, number>,
  dependents: { true: -0.2, false: 0 } as Record<string, number>,
  streaming: { Yes: 0.15, No: 0, "No internet": 0 } as Record<string, number>,
  /** Columns with no effect at all: gender, partner, region. */
};

/** One generated customer. */
export interface SnapshotRow {
  id: string;
  name: string;
  gender: string;
  senior: boolean;
  partner: boolean;
  dependents: boolean;
  tenure_months: number;
  phone: boolean;
  connection: string;
  security: string;
  support: string;
  streaming: string;
  term: string;
  paperless: boolean;
  payment: string;
  region: string;
  monthly_charge: number;
  total_charge: number;
  churned: boolean;
}

/** The generated snapshot: rows, the accounts and outcomes they make, and an analyst's hand-made card. */
export interface ChurnSnapshot {
  rows: SnapshotRow[];
  accounts: AccountInput[];
  outcomes: Outcome[];
  snapshotDay: string;
}

function pick<T extends string>(rand: () => number, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return (entries.at(-1) as [T, number])[0];
}

/** Churn's true log-odds for a row (TRUE_EFFECTS). */
export function trueLogOdds(row: SnapshotRow): number {
  const e = TRUE_EFFECTS;
  const step = e.tenureSteps.find((s) => row.tenure_months <= s.upTo)?.effect ?? 0;
  return (
    e.intercept +
    (e.term[row.term] ?? 0) +
    step +
    (e.connection[row.connection] ?? 0) +
    (e.security[row.security] ?? 0) +
    (e.support[row.support] ?? 0) +
    (e.payment[row.payment] ?? 0) +
    (e.paperless[String(row.paperless)] ?? 0) +
    (e.senior[String(row.senior)] ?? 0) +
    (e.dependents[String(row.dependents)] ?? 0) +
    (e.streaming[row.streaming] ?? 0)
  );
}

/** Generates `count` customers (default 7,000) with the seed's stream. */
export function churnSnapshot(options: { count?: number; seed?: number } = {}): ChurnSnapshot {
  const count = options.count ?? 7000;
  const rand = mulberry32(options.seed ?? 42);
  const rows: SnapshotRow[] = [];
  for (let k = 1; k <= count; k++) {
    const id = `c${String(k).padStart(5, "0")}`;
    const term = pick(rand, { Monthly: 55, Annual: 21, Biennial: 24 });
    // Longer terms go with longer tenure: a mix of new and old customers, 0–72 months.
    const base = term === "Monthly" ? 18 : term === "Annual" ? 40 : 56;
    const tenure = Math.max(0, Math.min(72, Math.round(base + (rand() - 0.5) * 2 * (term === "Monthly" ? 18 : 26))));
    const connection = pick(rand, { Fiber: 44, DSL: 34, "No internet": 22 });
    const addon = (yes: number) => (connection === "No internet" ? "No internet" : rand() < yes ? "Yes" : "No");
    const security = addon(connection === "DSL" ? 0.45 : 0.25);
    const support = addon(connection === "DSL" ? 0.45 : 0.28);
    const streaming = addon(0.45);
    const phone = connection === "No internet" ? true : rand() < 0.9;
    const monthly =
      Math.round(
        (18 +
          (phone ? 5 : 0) +
          (connection === "Fiber" ? 50 : connection === "DSL" ? 25 : 0) +
          (security === "Yes" ? 5 : 0) +
          (support === "Yes" ? 5 : 0) +
          (streaming === "Yes" ? 10 : 0) +
          (rand() - 0.5) * 8) *
          100,
      ) / 100;
    const row: SnapshotRow = {
      id,
      name: `Customer ${String(k).padStart(5, "0")}`,
      gender: rand() < 0.5 ? "Female" : "Male",
      senior: rand() < 0.16,
      partner: rand() < 0.48,
      dependents: rand() < 0.3,
      tenure_months: tenure,
      phone,
      connection,
      security,
      support,
      streaming,
      term,
      paperless: rand() < (connection === "No internet" ? 0.3 : 0.65),
      payment: pick(rand, { "E-check": 34, Invoice: 23, "Card auto-pay": 21, "Bank auto-pay": 22 }),
      region: pick(rand, { North: 1, South: 1, East: 1, West: 1, Central: 1 }),
      monthly_charge: monthly,
      total_charge: Math.round(monthly * Math.max(1, tenure) * (0.95 + rand() * 0.1) * 100) / 100,
      churned: false,
    };
    row.churned = rand() < 1 / (1 + Math.exp(-trueLogOdds(row)));
    rows.push(row);
  }
  const accounts: AccountInput[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    region: r.region,
    attributes: {
      gender: r.gender,
      senior: r.senior,
      partner: r.partner,
      dependents: r.dependents,
      tenure_months: r.tenure_months,
      phone: r.phone,
      connection: r.connection,
      security: r.security,
      support: r.support,
      streaming: r.streaming,
      term: r.term,
      paperless: r.paperless,
      payment: r.payment,
      monthly_charge: r.monthly_charge,
      total_charge: r.total_charge,
    },
  }));
  const outcomes: Outcome[] = rows.map((r) => ({
    accountId: r.id,
    day: SNAPSHOT_DAY,
    kind: r.churned ? "churned" : "renewed",
  }));
  return { rows, accounts, outcomes, snapshotDay: SNAPSHOT_DAY };
}

/** The snapshot as an accounts CSV with a yes/no `churned` column (for `vitals validate --churn-column churned`). */
export function snapshotCsv(snapshot: ChurnSnapshot): string {
  const columns = Object.keys(snapshot.rows[0] ?? {}) as (keyof SnapshotRow)[];
  const cell = (v: unknown) => (typeof v === "boolean" ? (v ? "yes" : "no") : String(v));
  return `${[columns.join(","), ...snapshot.rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n")}\n`;
}

/**
 * The card an analyst writes by hand for such data: seven factors, values mapped to n by judgement. Its points
 * are close to the truth in direction but not in size, as hand-made cards are.
 */
export const SNAPSHOT_CARD: ScorecardInput = {
  id: "subscriber-health",
  name: "Subscriber health",
  factors: [
    {
      id: "term",
      label: "Contract term",
      weight: 25,
      source: { kind: "attribute", key: "term" },
      rule: { kind: "categorical", map: { Monthly: 0.1, Annual: 0.6, Biennial: 1 } },
    },
    {
      id: "tenure",
      label: "Tenure (months)",
      weight: 25,
      source: { kind: "attribute", key: "tenure_months" },
      rule: { kind: "linear", worst: 0, best: 60 },
    },
    {
      id: "connection",
      label: "Connection",
      weight: 15,
      source: { kind: "attribute", key: "connection" },
      rule: { kind: "categorical", map: { Fiber: 0.3, DSL: 0.7, "No internet": 1 } },
    },
    {
      id: "security",
      label: "Security add-on",
      weight: 10,
      source: { kind: "attribute", key: "security" },
      rule: { kind: "categorical", map: { Yes: 1, No: 0.4, "No internet": 0.8 } },
    },
    {
      id: "support",
      label: "Support add-on",
      weight: 10,
      source: { kind: "attribute", key: "support" },
      rule: { kind: "categorical", map: { Yes: 1, No: 0.4, "No internet": 0.8 } },
    },
    {
      id: "payment",
      label: "Payment method",
      weight: 10,
      source: { kind: "attribute", key: "payment" },
      rule: { kind: "categorical", map: { "E-check": 0.2, Invoice: 0.7, "Card auto-pay": 0.9, "Bank auto-pay": 0.9 } },
    },
    {
      id: "paperless",
      label: "Paperless billing",
      weight: 5,
      source: { kind: "attribute", key: "paperless" },
      rule: { kind: "boolean", true: 0.4, false: 1 },
    },
  ],
};
