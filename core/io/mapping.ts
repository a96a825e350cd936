import { z } from "zod";
import { IsoDay } from "../schema/day.ts";
import { MetricName, OutcomeKind } from "../schema/observation.ts";
import { DATE_FORMATS, type DateFormat } from "./values.ts";

/** How a row names its account: by Vitals/CRM id, by an id in another system, by email domain, email or name. */
export const AccountKey = z.discriminatedUnion("by", [
  z.object({ by: z.literal("id"), column: z.string().min(1) }),
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
  }),
  z.object({
    shape: z.literal("long"),
    name: z.string().default(""),
    ...formats,
    account: AccountKey,
    metricColumn: z.string().min(1),
    dayColumn: z.string().min(1),
    valueColumn: z.string().min(1),
  }),
  z.object({
    shape: z.literal("events"),
    name: z.string().default(""),
    ...formats,
    account: AccountKey,
    dayColumn: z.string().min(1),
    events: z.array(EventOutput).min(1, "an events mapping makes at least one metric"),
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
