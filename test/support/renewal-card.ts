import type { ScorecardInput } from "../../core/schema/scorecard.ts";

/**
 * The small "renewal" scorecard that the scorecard-file tests pass between two people (the worker's sync API and the
 * CLI's diff and merge): one factor whose weight and label, and a band ("B") whose minimum, each side may change.
 */
export const renewalCard = (weight: number, bandB = 65, label = "Logins"): ScorecardInput => ({
  id: "renewal",
  name: "Renewal",
  factors: [
    {
      id: "logins",
      label,
      weight,
      source: { kind: "metric", metric: "logins", aggregation: "sum", windowDays: 30 },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
  ],
  bands: [
    { min: 80, grade: "A", color: "green", label: "Healthy" },
    { min: bandB, grade: "B", color: "green", label: "Good" },
    { min: 0, grade: "D", color: "red", label: "At risk" },
  ],
});
