import type { AccountKey, MappingInput } from "../../../core/io/mapping.ts";
import type { DateFormat, DecimalMark } from "../../../core/io/values.ts";
import { localIsoDay } from "../../../core/schema/day.ts";
import type { OutcomeKind } from "../../../core/schema/observation.ts";
import type { FilePeek } from "../../../core/worker/data-api.ts";
import { attributeKey, type ColumnUse, columnUses, outcomeKinds } from "./column-uses.ts";

/**
 * The import wizard's model (issue 19): what the user says a file holds, and the column mapping being edited for
 * it, kept as the form shows it (a column's use, comma-separated words) and turned into a mapping of core's schema
 * (core/io/mapping.ts) for the worker, which checks it and names any problem by its JSON path.
 */

/** What a file holds: a Vitals file read as is, a shape whose mapping is edited here, or a saved mapping. */
export type Kind = "accounts" | "observations" | EditedKind | `saved:${string}`;
/** The kinds whose mapping the user edits here. */
export type EditedKind = MappingInput["shape"];

export const EDITED_KINDS: readonly EditedKind[] = ["wide", "long", "events", "outcomes", "links"];

export const isEdited = (kind: Kind | null): kind is EditedKind => EDITED_KINDS.includes(kind as EditedKind);

/** A wide file's rule for an account on several rows, as one form value ("latest:<column>" keeps the latest by it). */
export type RepeatedChoice = "reject" | "first" | "sum" | `latest:${string}`;

/** One metric an events file makes, as the form edits it. */
export interface EventDraft {
  metric: string;
  from: "count" | "column";
  column: string;
  filterColumn: string;
  /** The filter's values, comma-separated. */
  filterValues: string;
}

/** The mapping being edited, every kind's fields at once (switching kind keeps what was chosen). */
export interface MappingDraft {
  accountBy: AccountKey["by"];
  accountColumn: string;
  /** The system or kind of id when accounts are named by an id in another system ("salesforce", "subscription"). */
  system: string;
  /** A links file's column of ids of another kind, and that kind. */
  linkColumn: string;
  linkKind: string;
  /** "" while the dates fit several formats and the user has not said which (see FilePeek.guess.dates). */
  dateFormat: DateFormat | "";
  decimal: DecimalMark;
  createAccounts: boolean;
  repeated: RepeatedChoice;
  /** The day a wide file's metric values are as of (YYYY-MM-DD). */
  asOfDay: string;
  columns: Record<string, ColumnUse>;
  metricColumn: string;
  dayColumn: string;
  valueColumn: string;
  events: EventDraft[];
  kindColumn: string;
  /** The file's own words for each outcome, comma-separated (the kinds' names and usual words always count). */
  kindWords: Record<OutcomeKind, string>;
}

/** The first draft for a file: the worker's guesses (from the values, then the names); what they miss stays "". */
export function initialDraft(peek: FilePeek, today: string = localIsoDay(new Date())): MappingDraft {
  const g = peek.guess;
  return {
    accountBy: g.account.by,
    accountColumn: g.account.column,
    system: g.account.by === "externalId" ? g.account.system : "salesforce",
    linkColumn: g.link.column,
    linkKind: g.link.kind,
    dateFormat: g.dates.kind === "sure" ? g.dates.format : g.dates.kind === "ambiguous" ? "" : "YYYY-MM-DD",
    decimal: g.decimal,
    createAccounts: true,
    repeated: "reject",
    asOfDay: today,
    columns: columnUses(
      peek.header,
      peek.rows.map((r) => r.cells),
    ),
    metricColumn: g.metricColumn,
    dayColumn: g.dayColumn,
    valueColumn: g.valueColumn,
    events: [
      { metric: g.eventMetric, from: "count", column: "", filterColumn: "", filterValues: "" },
      ...g.eventColumns.map(
        (e): EventDraft => ({ metric: e.metric, from: "column", column: e.column, filterColumn: "", filterValues: "" }),
      ),
    ],
    kindColumn: g.kindColumn,
    kindWords: { churned: "", renewed: "", expanded: "", downgraded: "" },
  };
}

/** Comma-separated words as a list, each trimmed, empty ones left out. */
const wordsOf = (text: string) =>
  text
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * The mapping a draft describes for a kind of file. It throws, in words for the page, while the draft cannot make
 * one: the dates fit several formats and the user has not said which (`dateExamples` are the file's, to ask with).
 */
export function mappingOf(kind: EditedKind, d: MappingDraft, dateExamples = "the file's dates"): MappingInput {
  if (d.dateFormat === "") {
    throw new Error(`choose how the dates look first: ${dateExamples} could be read more than one way`);
  }
  const account: AccountKey =
    d.accountBy === "externalId"
      ? { by: d.accountBy, system: d.system, column: d.accountColumn }
      : { by: d.accountBy, column: d.accountColumn };
  const common = { dateFormat: d.dateFormat, decimal: d.decimal, account };
  switch (kind) {
    case "long":
      return {
        shape: "long",
        ...common,
        metricColumn: d.metricColumn,
        dayColumn: d.dayColumn,
        valueColumn: d.valueColumn,
      };
    case "links":
      return { shape: "links", ...common, links: [{ kind: d.linkKind, column: d.linkColumn }] };
    case "outcomes":
      return {
        shape: "outcomes",
        ...common,
        dayColumn: d.dayColumn,
        kindColumn: d.kindColumn,
        kinds: outcomeKinds(d.kindWords),
      };
    case "events":
      return {
        shape: "events",
        ...common,
        dayColumn: d.dayColumn,
        events: d.events.map((e) => ({
          metric: e.metric,
          value: e.from === "count" ? { from: "count" as const } : { from: "column" as const, column: e.column },
          ...(e.filterColumn ? { filter: { column: e.filterColumn, values: wordsOf(e.filterValues) } } : {}),
        })),
      };
    case "wide":
      return wideMapping(d, common);
  }
}

type WideInput = Extract<MappingInput, { shape: "wide" }>;

/** A wide file's mapping: each column's use, the account column left out (it names the account). */
function wideMapping(d: MappingDraft, common: Pick<WideInput, "dateFormat" | "decimal" | "account">): WideInput {
  const attributes: NonNullable<WideInput["attributes"]> = [];
  const metrics: NonNullable<WideInput["metrics"]> = [];
  let churnFlag: { column: string } | undefined;
  for (const [column, use] of Object.entries(d.columns)) {
    if (column === d.accountColumn || use.use === "ignore") continue;
    if (use.use === "field") attributes.push({ column, attribute: use.field });
    if (use.use === "attribute") attributes.push({ column, attribute: attributeKey(column), type: use.type });
    if (use.use === "metric") metrics.push({ column, metric: use.metric });
    if (use.use === "churn") churnFlag = { column };
  }
  return {
    shape: "wide",
    ...common,
    createAccounts: d.createAccounts,
    repeated: d.repeated.startsWith("latest:")
      ? { rule: "latest", column: d.repeated.slice("latest:".length) }
      : { rule: d.repeated as Exclude<RepeatedChoice, `latest:${string}`> },
    attributes,
    metrics,
    ...(churnFlag ? { churnFlag } : {}),
    ...(metrics.length > 0 || churnFlag ? { asOf: { day: d.asOfDay } } : {}),
  };
}
