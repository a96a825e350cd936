import { DEFAULT_ALERT_RULES } from "../schema/alert-rule.ts";
import { Scorecard, type ScorecardInput } from "../schema/scorecard.ts";
import { DEFAULT_METRICS } from "./metrics.ts";

const M = DEFAULT_METRICS;

const licenseUtilization = {
  id: "license-utilization",
  label: "License utilization",
  description:
    "Average daily active users over the last 30 days, divided by seats bought. Under 20% is shelfware; 85% or more is full use.",
  weight: 20,
  source: {
    kind: "ratio",
    numerator: { kind: "metric", metric: M.activeUsers, aggregation: "mean", windowDays: 30 },
    denominator: { kind: "attribute", key: "seats" },
  },
  rule: { kind: "linear", worst: 0.2, best: 0.85 },
} satisfies ScorecardInput["factors"][number];

const usageTrend = {
  id: "usage-trend",
  label: "Usage trend",
  description:
    "Use of the key features in the last 30 days compared with the 30 days before. A fall of half or more scores nothing; growth of 10% or more scores full.",
  weight: 15,
  source: { kind: "metric", metric: M.keyEvents, aggregation: "change", windowDays: 30 },
  rule: { kind: "linear", worst: -50, best: 10 },
} satisfies ScorecardInput["factors"][number];

const npsFactor = {
  id: "nps",
  label: "NPS",
  description:
    "Net Promoter Score from survey answers in the last 180 days: 0 or below is a warning, above 30 is strong.",
  weight: 15,
  source: { kind: "metric", metric: M.nps, aggregation: "nps", windowDays: 180 },
  rule: {
    kind: "steps",
    steps: [{ upTo: 0, n: 0 }, { upTo: 30, n: 0.5 }, { n: 1 }],
  },
} satisfies ScorecardInput["factors"][number];

const payments = {
  id: "payments",
  label: "Invoices paid on time",
  description:
    "The most days any invoice was overdue in the last 90 days. Paid on time scores full; 60 days late scores nothing. No invoice due counts as on time.",
  weight: 10,
  source: { kind: "metric", metric: M.daysOverdue, aggregation: "max", windowDays: 90 },
  rule: { kind: "linear", worst: 60, best: 0 },
  missing: { policy: "assume", n: 1 },
} satisfies ScorecardInput["factors"][number];

const sentiment = {
  id: "csm-sentiment",
  label: "CSM sentiment",
  description:
    "The CSM's latest rating of the relationship, 1 (at risk) to 5 (strong), from the last 90 days; flagged stale after 45 days.",
  weight: 15,
  source: { kind: "metric", metric: M.sentiment, aggregation: "last", windowDays: 90 },
  rule: { kind: "linear", worst: 1, best: 5 },
  staleAfterDays: 45,
} satisfies ScorecardInput["factors"][number];

const inputs: ScorecardInput[] = [
  {
    id: "onboarding",
    name: "Onboarding (first 90 days)",
    description: "For new customers in their first 90 days: are they activating seats and reaching first value?",
    appliesTo: [{ kind: "tenure", maxDays: 90 }],
    priority: 20,
    factors: [
      {
        id: "seat-activation",
        label: "Seats activated",
        description: "Most users active on one day in the last 14 days, divided by seats bought; 70% is a full start.",
        weight: 20,
        source: {
          kind: "ratio",
          numerator: { kind: "metric", metric: M.activeUsers, aggregation: "max", windowDays: 14 },
          denominator: { kind: "attribute", key: "seats" },
        },
        rule: { kind: "linear", worst: 0, best: 0.7 },
      },
      {
        id: "first-value",
        label: "Key feature use",
        description: "Uses of the key features in the last 14 days; 50 or more means the team has found first value.",
        weight: 20,
        source: { kind: "metric", metric: M.keyEvents, aggregation: "sum", windowDays: 14 },
        rule: { kind: "linear", worst: 0, best: 50 },
        missing: { policy: "zero" },
      },
      {
        id: "login-recency",
        label: "Days since last login",
        description: "Days since anyone logged in. Yesterday or today is full marks; two weeks is none.",
        weight: 15,
        source: { kind: "metric", metric: M.logins, aggregation: "daysSince", windowDays: 30 },
        rule: { kind: "linear", worst: 14, best: 1 },
      },
      {
        id: "onboarding-tickets",
        label: "Support tickets (30 days)",
        description:
          "Tickets opened in the last 30 days. A few questions are normal in onboarding; 10 or more is struggle. None counts as full.",
        weight: 15,
        source: { kind: "metric", metric: M.tickets, aggregation: "count", windowDays: 30 },
        rule: { kind: "linear", worst: 10, best: 2 },
        missing: { policy: "assume", n: 1 },
      },
      {
        ...sentiment,
        staleAfterDays: 21,
        description: "The CSM's latest rating of the kickoff, 1 to 5, flagged stale after 21 days.",
      },
      {
        id: "training-completed",
        label: "Admin training done",
        description:
          "Whether the customer's admins finished the onboarding training (the training_completed attribute).",
        weight: 15,
        source: { kind: "attribute", key: "training_completed" },
        rule: { kind: "boolean", true: 1, false: 0 },
      },
    ],
  },
  {
    id: "adoption-smb",
    name: "Adoption (SMB)",
    description: "For small and mid-market customers past onboarding: product use carries most of the weight.",
    appliesTo: [{ kind: "in", attribute: "segment", values: ["SMB", "Mid-market"] }],
    priority: 10,
    factors: [
      licenseUtilization,
      usageTrend,
      {
        id: "login-recency",
        label: "Days since last login",
        description: "Days since anyone logged in. Within a day is full marks; three weeks is none.",
        weight: 15,
        source: { kind: "metric", metric: M.logins, aggregation: "daysSince", windowDays: 30 },
        rule: { kind: "linear", worst: 21, best: 1 },
      },
      {
        id: "support-load",
        label: "Support tickets (30 days)",
        description: "Tickets opened in the last 30 days; 8 or more is a customer in trouble. None counts as full.",
        weight: 15,
        source: { kind: "metric", metric: M.tickets, aggregation: "count", windowDays: 30 },
        rule: { kind: "linear", worst: 8, best: 0 },
        missing: { policy: "assume", n: 1 },
      },
      npsFactor,
      payments,
      {
        id: "csat",
        label: "CSAT",
        description: "Average support satisfaction rating (1–5) in the last 90 days.",
        weight: 10,
        source: { kind: "metric", metric: M.csat, aggregation: "mean", windowDays: 90 },
        rule: { kind: "linear", worst: 1, best: 5 },
      },
    ],
  },
  {
    id: "enterprise-renewal",
    name: "Enterprise renewal",
    description: "For enterprise accounts: relationship and sponsorship weigh as much as usage ahead of a renewal.",
    appliesTo: [{ kind: "equals", attribute: "segment", value: "Enterprise" }],
    priority: 10,
    // The defaults, and the CSM's rating of 1 ("at risk"): the most precise warning on the demo's outcomes.
    alerts: [
      ...DEFAULT_ALERT_RULES,
      { id: "csm-sentiment-low", kind: "factor", factorId: "csm-sentiment", below: 0.2 },
    ],
    factors: [
      {
        id: "exec-sponsor",
        label: "Executive sponsor engaged",
        description:
          "Whether an executive sponsor on the customer's side met us this quarter (the exec_sponsor attribute).",
        weight: 15,
        source: { kind: "attribute", key: "exec_sponsor" },
        rule: { kind: "boolean", true: 1, false: 0 },
      },
      { ...licenseUtilization, weight: 15 },
      usageTrend,
      {
        id: "sla-breaches",
        label: "SLA breaches (90 days)",
        description:
          "Support tickets that missed their SLA in the last 90 days; 5 or more is a relationship at risk. None counts as full.",
        weight: 10,
        source: { kind: "metric", metric: M.slaBreaches, aggregation: "count", windowDays: 90 },
        rule: { kind: "linear", worst: 5, best: 0 },
        missing: { policy: "assume", n: 1 },
      },
      npsFactor,
      sentiment,
      { ...payments, weight: 15 },
    ],
  },
];

/** Scorecards a CSM can start from: 5–7 factors of 10–20 points each, every factor explained in a sentence. */
export const DEFAULT_SCORECARDS: readonly Scorecard[] = inputs.map((input) => Scorecard.parse(input));
