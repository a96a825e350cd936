import type { Mapping } from "./mapping.ts";
import { headerKey } from "./values.ts";

/**
 * Vitals' own CSV layouts, read without a mapping file: an accounts file (one row per account, known columns by
 * name, any other column kept as a custom attribute), an observations file (account, metric, day, value) and an
 * outcomes file (account, day, kind). The mapping is built from the header, so these files go through the same planner as any mapped export.
 */

interface KnownColumn {
  readonly attribute: string;
  readonly type: "text" | "number" | "date" | "list" | "boolean";
  /** Header keys (see headerKey) that name this column. */
  readonly keys: readonly string[];
}

const EXTERNAL_SYSTEMS = ["salesforce", "hubspot", "zendesk", "intercom", "freshdesk"] as const;

/** Account columns Vitals knows by name; `id` names the account. */
const ACCOUNT_COLUMNS: readonly KnownColumn[] = [
  { attribute: "name", type: "text", keys: ["name", "accountname"] },
  { attribute: "domains", type: "list", keys: ["domains", "domain"] },
  { attribute: "aliases", type: "list", keys: ["aliases", "alias"] },
  ...EXTERNAL_SYSTEMS.map((system) => ({
    attribute: `externalIds.${system}`,
    type: "text" as const,
    keys: [`${system}id`, `${system}accountid`],
  })),
  { attribute: "parentId", type: "text", keys: ["parentid", "parentaccountid", "parent"] },
  ...["plan", "segment", "stage", "owner", "industry", "region"].map((field) => ({
    attribute: field,
    type: "text" as const,
    keys: [field],
  })),
  { attribute: "arr", type: "number", keys: ["arr"] },
  { attribute: "seats", type: "number", keys: ["seats", "licenses"] },
  { attribute: "startDate", type: "date", keys: ["startdate", "customersince"] },
  { attribute: "renewalDate", type: "date", keys: ["renewaldate", "renewal"] },
];

const ID_KEYS = ["id", "accountid"];

const find = (header: readonly string[], keys: readonly string[]): string | undefined =>
  header.find((h) => keys.includes(headerKey(h)));

/**
 * The mapping of a Vitals accounts file: an `id` (or `account_id`) column names each account; known columns fill
 * their fields; every other non-empty header becomes a text attribute under its own name. Throws when there is no
 * id column, naming the columns the file has.
 */
export function standardAccountsMapping(fileName: string, header: readonly string[]): Mapping {
  const id = find(header, ID_KEYS);
  if (id === undefined) {
    throw new Error(
      `${fileName}: an accounts file needs an "id" column (its columns: ${header.map((h) => `"${h}"`).join(", ")})`,
    );
  }
  const attributes: { column: string; attribute: string; type: KnownColumn["type"] }[] = [];
  const used = new Set<string>([headerKey(id)]);
  for (const known of ACCOUNT_COLUMNS) {
    const column = find(header, known.keys);
    if (column === undefined || used.has(headerKey(column))) continue;
    used.add(headerKey(column));
    attributes.push({ column, attribute: known.attribute, type: known.type });
  }
  for (const column of header) {
    if (column.trim() === "" || used.has(headerKey(column))) continue;
    used.add(headerKey(column));
    attributes.push({ column, attribute: column.trim(), type: "text" });
  }
  return {
    shape: "wide",
    name: "Vitals accounts file",
    dateFormat: "YYYY-MM-DD",
    decimal: ".",
    account: { by: "id", column: id },
    createAccounts: true,
    attributes,
    metrics: [],
    repeated: { rule: "reject" },
    sameDay: {},
  };
}

/**
 * The mapping of a Vitals observations file: account id, metric, day (YYYY-MM-DD) and value columns. Throws
 * naming every column that is missing and the columns the file has.
 */
export function standardObservationsMapping(fileName: string, header: readonly string[]): Mapping {
  const wanted = [
    ["account_id", ["accountid", "account", "id"]],
    ["metric", ["metric"]],
    ["day", ["day", "date"]],
    ["value", ["value"]],
  ] as const;
  const found = wanted.map(([name, keys]) => ({ name, column: find(header, keys) }));
  const missing = found.filter((f) => f.column === undefined).map((f) => `"${f.name}"`);
  if (missing.length > 0) {
    throw new Error(
      `${fileName}: an observations file needs the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(its columns: ${header.map((h) => `"${h}"`).join(", ")})`,
    );
  }
  const [account, metric, day, value] = found.map((f) => f.column as string) as [string, string, string, string];
  return {
    shape: "long",
    name: "Vitals observations file",
    dateFormat: "YYYY-MM-DD",
    decimal: ".",
    account: { by: "id", column: account },
    metricColumn: metric,
    dayColumn: day,
    valueColumn: value,
    // Vitals' own file: each row is an observation as written (several on a day are events).
    sameDay: { "*": "each" },
  };
}

/**
 * The mapping of a Vitals outcomes file: account id, day (YYYY-MM-DD) and kind (churned, renewed, expanded,
 * downgraded) columns. Throws naming every column that is missing and the columns the file has.
 */
export function standardOutcomesMapping(fileName: string, header: readonly string[]): Mapping {
  const wanted = [
    ["account_id", ["accountid", "account", "id"]],
    ["day", ["day", "date"]],
    ["kind", ["kind", "outcome"]],
  ] as const;
  const found = wanted.map(([name, keys]) => ({ name, column: find(header, keys) }));
  const missing = found.filter((f) => f.column === undefined).map((f) => `"${f.name}"`);
  if (missing.length > 0) {
    throw new Error(
      `${fileName}: an outcomes file needs the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(its columns: ${header.map((h) => `"${h}"`).join(", ")})`,
    );
  }
  const [account, day, kind] = found.map((f) => f.column as string) as [string, string, string];
  return {
    shape: "outcomes",
    name: "Vitals outcomes file",
    dateFormat: "YYYY-MM-DD",
    decimal: ".",
    account: { by: "id", column: account },
    dayColumn: day,
    kindColumn: kind,
    kinds: {},
  };
}
