import { z } from "zod";
import { IsoDay } from "../schema/iso-day.ts";
import { MetricName, OutcomeKind } from "../schema/observation.ts";
import { DATE_FORMATS, type DateFormat } from "./values.ts";

/** How a row names its account: by Vitals/CRM id, by an id in another system, by email domain, email or name. */
export const AccountKey = z.discriminatedUnion("by", [
  z.object({ by: z.literal("id"), column: z.string().min(1) }),
  /** An id in another system (a CRM), or of a kind a links file paired with accounts ("subscription"). */
  z.object({ by: z.literal("externalId"), system: z.string().min(1), column: z.string().min(1) }),
  /** A column holding an email domain (acme.com) or a website (https://www.acme.com). */
  z.object({ by: z.literal("domain"), column: z.string().min(1) }),
  /** A column holding a person's email address; its domain names the account (never a personal mail domain). */
  z.object({ by: z.literal("email"), column: z.string().min(1) }),
  z.object({ by: z.literal("name"), column: z.string().min(1) }),
]);
/** How a row names its account. */
export type AccountKey = z.infer<typeof AccountKey>;

/** What a cell holds, so it is parsed before it is stored. */
export const CellType = z.enum(["text", "number", "boolean", "date", "list"]);

/** A column that sets an account field or attribute (wide files). */
export const AttributeColumn = z.object({
  column: z.string().min(1),
  /** A well-known field (name, domains, arr, seats, segment, stage, owner, startDate, renewalDate, parentId, …),
   * `externalIds.<system>`, or any custom attribute name. */
  attribute: z.string().min(1),
  type: CellType.default("text"),
});

/** A column whose numbers are a metric's value on the file's day (wide files). */
export const MetricColumn = z.object({ column: z.string().min(1), metric: MetricName });

/** A filter on an event row: only rows whose column is one of the values count. */
export const RowFilter = z.object({ column: z.string().min(1), values: z.array(z.string()).min(1) });

/** One metric made from event rows: a count (value 1 per event) or a column's number, optionally filtered. */
export const EventOutput = z.object({
  metric: MetricName,
  value: z.discriminatedUnion("from", [
    z.object({ from: z.literal("count") }),
    z.object({
      from: z.literal("column"),
      column: z.string().min(1),
      map: z.record(z.string(), z.number()).optional(),
    }),
  ]),
  filter: RowFilter.optional(),
});

/**
 * How several values of one account, metric and day in a file become the day's value: summed (counts), averaged
 * (CSAT answers), the file's last, the lowest or highest, the day's NPS from 0–10 answers (% promoters −
 * % detractors), or each kept as its own observation (events: the scorecard's window counts and sums them).
 */
export const SameDayRule = z.enum(["each", "sum", "mean", "last", "min", "max", "nps"]);
/** How a file's same-day values of a metric are combined. */
export type SameDayRule = z.infer<typeof SameDayRule>;

/** Per-metric same-day rules; "*" names every other metric; a metric not named gets its default (`sameDayRuleOf`). */
const sameDay = z.record(z.string(), SameDayRule).default({});

/**
 * The default same-day rule of a metric in a file of a shape: events are kept one by one (a window counts and sums
 * them); values of other files are summed for counts (two subscriptions' active users), averaged for scores and
 * ratings (CSAT, sentiment), kept as answers for NPS (its aggregation computes promoters − detractors over the
 * window) and as events for tickets, breaches and incidents (a scorecard counts them), the highest for overdue days.
 */
export function defaultSameDayRule(shape: "wide" | "long" | "events", metric: string): SameDayRule {
  if (shape === "events") return "each";
  const name = metric.toLowerCase();
  if (/(^|_)nps($|_)/.test(name)) return "each";
  if (/csat|satisfaction|sentiment|rating|score|health|percent|pct|ratio|rate($|_)/.test(name)) return "mean";
  if (/overdue/.test(name)) return "max";
  // Rows that are events even in a metric/day/value file: a scorecard counts them, so each is kept.
  if (/ticket|breach|incident|escalation|complaint|bug/.test(name)) return "each";
  return "sum";
}

/** A mapping's same-day rule for a metric: its own, or the default for the metric and the mapping's shape. */
export function sameDayRuleOf(mapping: Mapping, metric: string): SameDayRule {
  if (mapping.shape === "outcomes" || mapping.shape === "links") return "each";
  return mapping.sameDay[metric] ?? mapping.sameDay["*"] ?? defaultSameDayRule(mapping.shape, metric);
}

/**
 * How a one-row-per-account file treats an account on several rows: reject the later rows (the default), keep the
 * first row, keep the row with the latest day in `column`, or sum the number columns (other columns from the first
 * row that has them).
 */
export const RepeatedAccounts = z
  .object({
    rule: z.enum(["reject", "first", "latest", "sum"]).default("reject"),
    /** The date column `latest` compares. */
    column: z.string().min(1).optional(),
  })
  .refine((r) => r.rule !== "latest" || r.column !== undefined, {
    message: 'the rule "latest" needs the date column to compare',
    path: ["column"],
  });

/** A column of a links file holding an id of a kind (subscription, workspace) that names the row's account. */
export const LinkColumn = z.object({
  /** The kind of id, in the user's words ("subscription"); later files name accounts by it (`by: "externalId"`). */
  kind: z
    .string()
    .trim()
    .min(1)
    .transform((k) => k.toLowerCase()),
  column: z.string().min(1),
});

/**
 * The period an events file covers: inside it, an account with no event has count 0 and sum 0 for the file's
 * metrics (not missing). Either end left out is the file's first or last day.
 */
export const EventPeriod = z
  .object({ from: IsoDay.optional(), to: IsoDay.optional() })
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, {
    message: "the period's start is after its end",
    path: ["to"],
  });

const formats = {
  dateFormat: z.enum(DATE_FORMATS as [DateFormat, ...DateFormat[]]).default("YYYY-MM-DD"),
  decimal: z.enum([".", ","]).default("."),
};

/** A saved column mapping for one kind of file; the user sees it, edits it and reuses it. */
export const Mapping = z.discriminatedUnion("shape", [
  z.object({
    shape: z.literal("wide"),
    name: z.string().default(""),
    ...formats,
    account: AccountKey,
    /** Whether rows for unknown accounts create them (a CRM account export) or are rejected. */
    createAccounts: z.boolean().default(true),
    /** The day the snapshot's metric values are as of: a fixed day, or a column. */
    asOf: z.union([z.object({ day: IsoDay }), z.object({ column: z.string().min(1) })]).optional(),
    attributes: z.array(AttributeColumn).default([]),
    metrics: z.array(MetricColumn).default([]),
    /**
     * A yes/no column saying whether the account churned (a churn dataset's snapshot): yes records a `churned`
     * outcome on the as-of day, no a `renewed` one (it stayed), an empty cell nothing.
     */
    churnFlag: z.object({ column: z.string().min(1) }).optional(),
    /** What to do with an account on several rows (default: reject the later rows). */
    repeated: RepeatedAccounts.default({ rule: "reject" }),
    sameDay,
  }),
  z.object({
    shape: z.literal("long"),
    name: z.string().default(""),
    ...formats,
    account: AccountKey,
    metricColumn: z.string().min(1),
    dayColumn: z.string().min(1),
    valueColumn: z.string().min(1),
    sameDay,
  }),
  z.object({
    shape: z.literal("events"),
    name: z.string().default(""),
    ...formats,
    account: AccountKey,
    dayColumn: z.string().min(1),
    events: z.array(EventOutput).min(1, "an events mapping makes at least one metric"),
    /** The period the file covers (default: its first to last day); see EventPeriod. */
    period: EventPeriod.default({}),
    /** Whether accounts with no event in the period count 0 (true) or stay missing (false). */
    zeroFill: z.boolean().default(true),
    sameDay,
  }),
  z.object({
    shape: z.literal("outcomes"),
    name: z.string().default(""),
    ...formats,
    account: AccountKey,
    dayColumn: z.string().min(1),
    kindColumn: z.string().min(1),
    /** The file's words for each outcome (e.g. "Closed Lost" → churned); the kinds' own names always count. */
    kinds: z.record(z.string(), OutcomeKind).default({}),
  }),
  /**
   * A file pairing accounts with ids of other kinds (a subscriptions export: account_id, subscription_id): the
   * pairs are stored, so later files name accounts by those ids. One id of a kind names one account.
   */
  z.object({
    shape: z.literal("links"),
    name: z.string().default(""),
    ...formats,
    account: AccountKey,
    links: z.array(LinkColumn).min(1, "a links mapping pairs at least one column with the account"),
  }),
]);
/** A saved column mapping. */
export type Mapping = z.infer<typeof Mapping>;
/** A mapping as written. */
export type MappingInput = z.input<typeof Mapping>;

/** Every column a mapping reads, for checking them against the file's header before reading rows. */
export function columnsOf(mapping: Mapping): string[] {
  const columns = [mapping.account.column];
  if (mapping.shape === "wide") {
    if (mapping.asOf && "column" in mapping.asOf) columns.push(mapping.asOf.column);
    columns.push(...mapping.attributes.map((a) => a.column), ...mapping.metrics.map((m) => m.column));
    if (mapping.churnFlag) columns.push(mapping.churnFlag.column);
    if (mapping.repeated.column !== undefined) columns.push(mapping.repeated.column);
  } else if (mapping.shape === "links") {
    columns.push(...mapping.links.map((l) => l.column));
  } else if (mapping.shape === "long") {
    columns.push(mapping.metricColumn, mapping.dayColumn, mapping.valueColumn);
  } else if (mapping.shape === "outcomes") {
    columns.push(mapping.dayColumn, mapping.kindColumn);
  } else {
    columns.push(mapping.dayColumn);
    for (const e of mapping.events) {
      if (e.value.from === "column") columns.push(e.value.column);
      if (e.filter) columns.push(e.filter.column);
    }
  }
  return [...new Set(columns)];
}
