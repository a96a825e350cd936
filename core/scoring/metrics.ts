// Its own module (not defaults.ts): the accounts table and the demo read these names, and importing them must not
// build and parse the default scorecards (issue 14: the worker's cold path evaluates this module).
/**
 * The metric names the default scorecards read. Imports map their columns to these (or the CSM edits the
 * scorecard to read their own names).
 */
export const DEFAULT_METRICS = {
  activeUsers: "active_users",
  logins: "logins",
  keyEvents: "key_events",
  tickets: "tickets",
  slaBreaches: "sla_breaches",
  nps: "nps",
  csat: "csat",
  daysOverdue: "invoice_days_overdue",
  sentiment: "csm_sentiment",
} as const;
