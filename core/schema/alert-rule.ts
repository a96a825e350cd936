import { z } from "zod";

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id uses lower-case letters, digits and '-'");
const days = (what: string, max: number) =>
  z
    .number()
    .int(`${what} must be a whole number of days`)
    .min(1, `${what} must be at least 1`)
    .max(max, `${what} must be at most ${max}`);

/** The score fell by at least `points` (shown points) from its highest within the last `withinDays` days. */
export const DropRule = z.object({
  id: RuleId,
  kind: z.literal("drop"),
  points: z.number().finite().min(1, "points must be at least 1").max(100, "points must be at most 100"),
  withinDays: days("withinDays", 365),
});

/** The score is in a band of the given colour, or of the given grade (exactly one of the two). */
export const BandRule = z
  .object({
    id: RuleId,
    kind: z.literal("band"),
    color: z.enum(["green", "yellow", "red"]).optional(),
    grade: z.string().min(1).max(3).optional(),
  })
  .refine((r) => (r.color === undefined) !== (r.grade === undefined), {
    message: "a band rule names either a colour or a grade",
    path: ["color"],
  });

/** A factor's normalized value n (on the latest score) is below a threshold. */
export const FactorRule = z.object({
  id: RuleId,
  kind: z.literal("factor"),
  factorId: z.string().min(1, "pick a factor"),
  below: z.number().gt(0, "below must be more than 0").max(1, "below must be at most 1"),
});

/** The renewal date is within `withinDays` days and the score is not green. */
export const RenewalRule = z.object({
  id: RuleId,
  kind: z.literal("renewal"),
  withinDays: days("withinDays", 730),
});

/** No observation for the account for `days` days or more (it had some before). */
export const NoDataRule = z.object({
  id: RuleId,
  kind: z.literal("noData"),
  days: days("days", 3650),
});

/** One alert rule of a scorecard (docs/scoring.md, "Alerts"). */
export const AlertRule = z.discriminatedUnion("kind", [DropRule, BandRule, FactorRule, RenewalRule, NoDataRule]);
/** One alert rule of a scorecard. */
export type AlertRule = z.infer<typeof AlertRule>;
/** The kinds of alert rule. */
export type AlertRuleKind = AlertRule["kind"];

/**
 * The rules a scorecard without an `alerts` list gets: a drop of 25 points in 30 days, the red band, a renewal
 * within 30 days while not green, no data for 30 days. An empty list turns alerts off for that scorecard.
 * Tuned on the demo's outcomes (issue 15): a drop of 10 points in 30 days and a renewal within 90 days alerted
 * more than half the accounts in the 90 days before their renewal, at about the base churn rate.
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { id: "score-drop", kind: "drop", points: 25, withinDays: 30 },
  { id: "red-band", kind: "band", color: "red" },
  { id: "renewal-risk", kind: "renewal", withinDays: 30 },
  { id: "no-data", kind: "noData", days: 30 },
];
