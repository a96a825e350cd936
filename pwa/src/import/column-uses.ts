import { OutcomeKind } from "../../../core/schema/observation.ts";

// What the import wizard first makes of a file's columns, and the outcome words a user typed: objects keyed by the
// file's own column names and the user's words, so built with Object.fromEntries (own properties). A column or a
// word named `__proto__` or `constructor` is then one like any other, never the object's prototype.

export const FIELDS = [
  ["name", "Name"],
  ["domains", "Email domains / website"],
  ["aliases", "Other names"],
  ["arr", "ARR"],
  ["seats", "Seats"],
  ["segment", "Segment"],
  ["stage", "Lifecycle stage"],
  ["owner", "Owner (CSM)"],
  ["industry", "Industry"],
  ["region", "Region"],
  ["plan", "Plan"],
  ["startDate", "Start date"],
  ["renewalDate", "Renewal date"],
  ["parentId", "Parent account id"],
] as const;

export /** What one column of a wide file becomes. */
type ColumnUse =
  | { use: "ignore" }
  | { use: "field"; field: string }
  | { use: "attribute"; type: "text" | "number" | "boolean" | "date" }
  | { use: "metric"; metric: string }
  /** Yes/no: the account churned (a churn dataset's snapshot). */
  | { use: "churn" };

/** The outcomes a file can record, in the order the wizard asks for their words (core's schema's order). */
export const OUTCOME_KINDS: readonly OutcomeKind[] = OutcomeKind.options;

/** What CRM exports call the fields (Salesforce, HubSpot, ChartMogul…), by header key. */
const FIELD_NAMES: Readonly<Record<string, string>> = Object.fromEntries([
  ["accountname", "name"],
  ["companyname", "name"],
  ["organizationname", "name"],
  ["customername", "name"],
  ["website", "domains"],
  ["domain", "domains"],
  ["companydomain", "domains"],
  ["customersince", "startDate"],
  ["startdate", "startDate"],
  ["contractstartdate", "startDate"],
  ["accountowner", "owner"],
  ["csm", "owner"],
  ["customersuccessmanager", "owner"],
  ["annualrevenue", "arr"],
  ["contractrenewaldate", "renewalDate"],
]);

const YES_NO = new Set(["true", "false", "yes", "no", "y", "n"]);

/**
 * Each column's first use: a known field by its name, label or a CRM's name for it, churn for a churn column, a
 * yes/no attribute for a column of TRUE/FALSE or yes/no (from the first rows, when given), else ignored.
 */
export function columnUses(
  header: readonly string[],
  rows: readonly (readonly string[])[] = [],
): Record<string, ColumnUse> {
  return Object.fromEntries(
    header.map((column, i): [string, ColumnUse] => {
      const key = column.toLowerCase().replace(/[\s_\-./]+/g, "");
      const field =
        FIELDS.find(
          ([f, label]) => key === f.toLowerCase() || key === label.toLowerCase().replace(/[\s_\-./()]+/g, ""),
        )?.[0] ?? (Object.hasOwn(FIELD_NAMES, key) ? FIELD_NAMES[key] : undefined);
      const values = rows.map((r) => (r[i] ?? "").trim().toLowerCase()).filter((v) => v !== "");
      const yesNo = values.length > 0 && values.every((v) => YES_NO.has(v));
      return [
        column,
        field
          ? { use: "field", field }
          : key === "churn" || key === "churned"
            ? { use: "churn" }
            : yesNo
              ? { use: "attribute", type: "boolean" }
              : { use: "ignore" },
      ];
    }),
  );
}

/** A header in snake_case: lower case, each run of other characters one "_", none at either end ("" if none left). */
const snakeCase = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");

/** The metric a column becomes when the user makes it one: its header as a metric name ("7d Logins" → m_7d_logins). */
export function metricName(header: string): string {
  return snakeCase(header).replace(/^(\d)/, "m_$1") || "metric";
}

/** The attribute a custom column becomes: its header in snake_case ("Exec Sponsor" → exec_sponsor), as scorecards name them. */
export function attributeKey(column: string): string {
  return snakeCase(column) || column.trim();
}

/** The outcome mapping's words → kind, from the comma-separated words typed for each kind (a later kind wins). */
export function outcomeKinds(words: Readonly<Record<OutcomeKind, string>>): Record<string, OutcomeKind> {
  return Object.fromEntries(
    OUTCOME_KINDS.flatMap((k) =>
      words[k]
        .split(",")
        .map((word) => word.trim())
        .filter((word) => word !== "")
        .map((word): [string, OutcomeKind] => [word, k]),
    ),
  );
}
