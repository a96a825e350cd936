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

export type OutcomeKind = "churned" | "renewed" | "expanded" | "downgraded";
export const OUTCOME_KINDS: readonly OutcomeKind[] = ["churned", "renewed", "expanded", "downgraded"];

/** Each column's first use: a known field by its name or label, churn for a churn column, else ignored. */
export function columnUses(header: readonly string[]): Record<string, ColumnUse> {
  return Object.fromEntries(
    header.map((column): [string, ColumnUse] => {
      const key = column.toLowerCase().replace(/[\s_\-./]+/g, "");
      const field = FIELDS.find(
        ([f, label]) => key === f.toLowerCase() || key === label.toLowerCase().replace(/[\s_\-./()]+/g, ""),
      );
      return [
        column,
        field
          ? { use: "field", field: field[0] }
          : key === "churn" || key === "churned"
            ? { use: "churn" }
            : { use: "ignore" },
      ];
    }),
  );
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
