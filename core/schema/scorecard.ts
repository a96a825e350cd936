import { z } from "zod";
import { AlertRule } from "./alert-rule.ts";
import { bounded, MAX_WEIGHT, value, wholeDays } from "./bounds.ts";
import { MetricName } from "./observation.ts";

/** How a metric's observations in a window become one number (docs/scoring.md, "From data to a factor value"). */
export const Aggregation = z.enum(["last", "sum", "mean", "min", "max", "count", "daysSince", "change", "nps"]);
/** How a metric's observations in a window become one number. */
export type Aggregation = z.infer<typeof Aggregation>;

const windowDays = z
  .number()
  .int("windowDays must be a whole number of days")
  .min(1, "windowDays must be at least 1")
  .max(3660, "windowDays must be at most 3660 (ten years)");

/** A metric aggregated over the N days ending on the as-of day (inclusive). */
export const MetricSource = z.object({
  kind: z.literal("metric"),
  metric: MetricName,
  aggregation: Aggregation,
  /** Window length in days. `daysSince` reads all history before the as-of day and ignores it. */
  windowDays: windowDays.default(30),
});
/** An account attribute, numeric or categorical (a well-known field such as `seats`, or a custom one). */
export const AttributeSource = z.object({ kind: z.literal("attribute"), key: z.string().min(1) });
/** Days from the account's start date to the as-of day. */
export const TenureSource = z.object({ kind: z.literal("tenureDays") });

/** A source that is not a ratio. */
export const SimpleSource = z.discriminatedUnion("kind", [MetricSource, AttributeSource, TenureSource]);
/** A source that is not a ratio. */
export type SimpleSource = z.infer<typeof SimpleSource>;

/** A ratio of two sources (active users ÷ seats = license utilization). Division by zero is missing. */
export const RatioSource = z.object({
  kind: z.literal("ratio"),
  numerator: SimpleSource,
  denominator: SimpleSource,
});

/** Where a factor's value comes from. */
export const Source = z.discriminatedUnion("kind", [MetricSource, AttributeSource, TenureSource, RatioSource]);
/** Where a factor's value comes from. */
export type Source = z.infer<typeof Source>;

const unit = (what: string) => bounded(what, 0, 1);

/** n = (v − worst)/(best − worst), clamped to [0, 1]; worst > best means lower is better. */
export const LinearRule = z
  .object({ kind: z.literal("linear"), worst: value("worst"), best: value("best") })
  .refine((r) => r.worst !== r.best, {
    message: "worst and best must differ (every value would score the same)",
    path: ["best"],
  });
/** Ordered ranges, first match wins; `upTo` is inclusive; the last step has no `upTo` and takes the rest. */
export const StepsRule = z
  .object({
    kind: z.literal("steps"),
    steps: z
      .array(z.object({ upTo: value("upTo").optional(), n: unit("a step's n") }))
      .min(1, "steps needs at least one step"),
  })
  .superRefine((rule, ctx) => {
    rule.steps.forEach((step, i) => {
      const last = i === rule.steps.length - 1;
      if (!last && step.upTo === undefined) {
        ctx.addIssue({ code: "custom", message: "only the last step may omit upTo", path: ["steps", i, "upTo"] });
      }
      if (last && step.upTo !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: "the last step must omit upTo, so every value above the others gets an n",
          path: ["steps", i, "upTo"],
        });
      }
      const prev = rule.steps[i - 1]?.upTo;
      if (step.upTo !== undefined && prev !== undefined && step.upTo <= prev) {
        ctx.addIssue({ code: "custom", message: "upTo must increase from step to step", path: ["steps", i, "upTo"] });
      }
    });
  });
/** value → n by a table (contract Month-to-month → 0.2); an unmapped value with no default is missing. */
export const CategoricalRule = z.object({
  kind: z.literal("categorical"),
  map: z.record(z.string(), unit("a mapped n")),
  default: unit("default").optional(),
});
/** yes/no → n. */
export const BooleanRule = z.object({
  kind: z.literal("boolean"),
  true: unit("n for true"),
  false: unit("n for false"),
});

/** How a factor's value maps to a normalized n in [0, 1]. */
export const Rule = z.discriminatedUnion("kind", [LinearRule, StepsRule, CategoricalRule, BooleanRule]);
/** How a factor's value maps to a normalized n in [0, 1]. */
export type Rule = z.infer<typeof Rule>;

/** What a factor counts as when its value is missing. */
export const MissingPolicy = z.discriminatedUnion("policy", [
  z.object({ policy: z.literal("skip") }),
  z.object({ policy: z.literal("zero") }),
  z.object({ policy: z.literal("assume"), n: unit("an assumed n") }),
]);
/** What a factor counts as when its value is missing. */
export type MissingPolicy = z.infer<typeof MissingPolicy>;

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "an id uses lower-case letters, digits and '-'");
const weight = z
  .number()
  .positive("weight must be greater than 0")
  .max(MAX_WEIGHT, `weight must be at most ${MAX_WEIGHT} (weights are relative: only their ratios matter)`);

/** One weighted factor of a scorecard. */
export const Factor = z.object({
  id: Id,
  label: z.string().min(1),
  /** One sentence a CSM understands: what it measures and why it matters. */
  description: z.string().default(""),
  group: Id.optional(),
  weight,
  source: Source,
  rule: Rule,
  missing: MissingPolicy.default({ policy: "skip" }),
  /** For manual inputs: an input older than this many days (but inside the window) is flagged stale. */
  staleAfterDays: wholeDays("staleAfterDays", 1).optional(),
});
/** One weighted factor of a scorecard. */
export type Factor = z.infer<typeof Factor>;

/** A group of factors (Usage, Support, Sentiment…) whose weight is shared by its factors in proportion to theirs. */
export const Group = z.object({ id: Id, label: z.string().min(1), weight });
/** A group of factors. */
export type Group = z.infer<typeof Group>;

/** A band: the highest band whose `min` ≤ the score wins. */
export const Band = z.object({
  min: bounded("a band's min", 0, 100),
  grade: z.string().min(1).max(3),
  color: z.enum(["green", "yellow", "red"]),
  label: z.string().min(1),
});
/** A band: points from `min` up, with a grade, colour and label. */
export type Band = z.infer<typeof Band>;

/** The default bands (docs/scoring.md, "Bands: grade, colour and label"). */
export const DEFAULT_BANDS: Band[] = [
  { min: 80, grade: "A", color: "green", label: "Healthy" },
  { min: 65, grade: "B", color: "green", label: "Good" },
  { min: 50, grade: "C", color: "yellow", label: "Watch" },
  { min: 0, grade: "D", color: "red", label: "At risk" },
];

/** A condition on an account for a scorecard to apply. All of a scorecard's conditions must hold. */
export const Condition = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("equals"),
    attribute: z.string().min(1),
    value: z.union([z.string(), value("value"), z.boolean()]),
  }),
  z.object({
    kind: z.literal("in"),
    attribute: z.string().min(1),
    values: z.array(z.union([z.string(), value("a value")])).min(1),
  }),
  z.object({
    kind: z.literal("range"),
    attribute: z.string().min(1),
    min: value("min").optional(),
    max: value("max").optional(),
  }),
  z.object({ kind: z.literal("stage"), stages: z.array(z.string().min(1)).min(1) }),
  z.object({
    kind: z.literal("tenure"),
    minDays: wholeDays("minDays", 0).optional(),
    maxDays: wholeDays("maxDays", 0).optional(),
  }),
]);
/** A condition on an account for a scorecard to apply. */
export type Condition = z.infer<typeof Condition>;

/** Which form a badge shows first. */
export const BadgeForm = z.enum(["points", "grade", "label"]);

/** A scorecard: weighted factors, bands, and which accounts it applies to. */
export const Scorecard = z
  .object({
    id: Id,
    name: z.string().min(1),
    description: z.string().default(""),
    factors: z.array(Factor).min(1, "a scorecard needs at least one factor"),
    groups: z.array(Group).default([]),
    // Checked on the list itself, so a bad band list is reported together with problems elsewhere in the card.
    bands: z
      .array(Band)
      .superRefine((bands, ctx) => {
        const mins = bands.map((b) => b.min);
        if (!mins.includes(0)) {
          ctx.addIssue({
            code: "custom",
            message: "bands must start at 0 (one band needs min 0, so every score has a band)",
          });
        }
        mins.forEach((m, i) => {
          if (mins.indexOf(m) !== i) {
            ctx.addIssue({ code: "custom", message: `two bands have min ${m}`, path: [i, "min"] });
          }
        });
      })
      .default(DEFAULT_BANDS),
    appliesTo: z.array(Condition).default([]),
    /** Among the scorecards that apply to an account, the highest priority gives the primary score. */
    priority: z
      .number()
      .int("priority must be a whole number")
      .min(-1000, "priority must be between -1,000 and 1,000")
      .max(1000, "priority must be between -1,000 and 1,000")
      .default(0),
    /** Below this coverage the score is null ("not enough data"). */
    minCoverage: bounded("minCoverage", 0, 1).default(0.5),
    /** Days between the two scores of a delta. */
    deltaDays: wholeDays("deltaDays", 1, 3660).default(30),
    badgeForm: BadgeForm.default("points"),
    /** Alert rules; absent means DEFAULT_ALERT_RULES, an empty list turns alerts off for this scorecard. */
    alerts: z.array(AlertRule).optional(),
    updatedAt: z.string().optional(),
  })
  .superRefine((card, ctx) => {
    const seen = new Set<string>();
    card.factors.forEach((f, i) => {
      if (seen.has(f.id)) {
        ctx.addIssue({ code: "custom", message: `factor id "${f.id}" is used twice`, path: ["factors", i, "id"] });
      }
      seen.add(f.id);
      if (f.group !== undefined && !card.groups.some((g) => g.id === f.group)) {
        ctx.addIssue({
          code: "custom",
          message: `group "${f.group}" is not defined in groups`,
          path: ["factors", i, "group"],
        });
      }
    });
    card.groups.forEach((g, i) => {
      if (!card.factors.some((f) => f.group === g.id)) {
        ctx.addIssue({ code: "custom", message: `group "${g.id}" has no factors`, path: ["groups", i, "id"] });
      }
    });
    const ruleIds = new Set<string>();
    card.alerts?.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) {
        ctx.addIssue({
          code: "custom",
          message: `alert rule id "${rule.id}" is used twice`,
          path: ["alerts", i, "id"],
        });
      }
      ruleIds.add(rule.id);
      if (rule.kind === "factor" && !seen.has(rule.factorId)) {
        ctx.addIssue({
          code: "custom",
          message: `factor "${rule.factorId}" is not a factor of this scorecard`,
          path: ["alerts", i, "factorId"],
        });
      }
      if (rule.kind === "band" && rule.grade !== undefined && !card.bands.some((b) => b.grade === rule.grade)) {
        ctx.addIssue({
          code: "custom",
          message: `grade "${rule.grade}" is not a band of this scorecard`,
          path: ["alerts", i, "grade"],
        });
      }
    });
  });
/** A scorecard, with defaults filled in. */
export type Scorecard = z.infer<typeof Scorecard>;
/** A scorecard as written in a file. */
export type ScorecardInput = z.input<typeof Scorecard>;

/** Names of the metrics a scorecard reads. */
export function metricsOf(card: Scorecard): string[] {
  const names = new Set<string>();
  const visit = (s: Source) => {
    if (s.kind === "metric") names.add(s.metric);
    if (s.kind === "ratio") {
      visit(s.numerator);
      visit(s.denominator);
    }
  };
  for (const f of card.factors) visit(f.source);
  return [...names].sort();
}
