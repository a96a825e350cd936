import { domainOf } from "../match/identifiers.ts";
import { columnsOf, type Mapping } from "./mapping.ts";
import {
  DATE_FORMATS,
  type DateFormat,
  type DecimalMark,
  headerKey,
  isEmptyCell,
  parseDateCell,
  parseNumberCell,
} from "./values.ts";

/**
 * What the import wizard guesses about a file from its header and first rows, so a CSM starts from the right
 * defaults: what the file holds, which column names the account, which is the day, how dates and numbers are
 * written. Every guess says why, so it can be checked; an ambiguous date format is asked, never guessed.
 */

/** What a file holds, as the wizard offers it. */
export type ShapeGuess = "accounts" | "observations" | "wide" | "long" | "events" | "outcomes";
/** How a row names its account. */
export type AccountBy = "id" | "domain" | "email" | "name";

/** The date format of some values: none (no dates), one sure format, or several that fit every value (ask). */
export type DateGuess =
  | { kind: "none" }
  | { kind: "sure"; format: DateFormat; withTime: boolean; examples: string[] }
  | { kind: "ambiguous"; formats: DateFormat[]; withTime: boolean; examples: string[] };

/** The wizard's defaults for one file. */
export interface ImportGuess {
  shape: ShapeGuess;
  /** Why, in a sentence a CSM can check ("many rows per account in Requester email, dates in Created at, …"). */
  because: string;
  /** `system` is the kind of id when the rows name accounts by an id of another kind (subscription_id → "subscription"). */
  account: { by: AccountBy; column: string } | { by: "externalId"; system: string; column: string };
  /** The column of the day each row happened on ("" when the file has none). */
  dayColumn: string;
  /** Columns whose values are dates. */
  dateColumns: string[];
  /** The format of the date columns' values, pooled (a mapping has one date format). */
  dates: DateGuess;
  decimal: DecimalMark;
  /** A column naming each row's type or status (events) or outcome (outcomes), or "". */
  kindColumn: string;
  metricColumn: string;
  valueColumn: string;
  /** The metric an events file's rows count, named for what the file holds (tickets, invoices, logins…). */
  eventMetric: string;
  /**
   * An events file's number columns (not ids), each summed as its own metric named for the file's rows and the
   * column ("Days Overdue" of invoices → invoice_days_overdue), beside the count.
   */
  eventColumns: { column: string; metric: string }[];
  /** For a links file: the column of ids of another kind and that kind ("Subscription ID" → "subscription"). */
  link: { column: string; kind: string };
}

/** The share of a column's non-empty cells that must fit for it to count as dates (a typo must not hide it). */
const DATE_COLUMN_SHARE = 0.8;
/** Rows per distinct account key from which a file has "many rows per account". */
const EVENTS_ROWS_PER_ACCOUNT = 1.25;

const nonEmpty = (values: readonly string[]) => values.filter((v) => !isEmptyCell(v)).map((v) => v.trim());
const hasTime = (value: string) => /^\S+[T\s]\d{1,2}:\d{2}/.test(value.trim());

/**
 * The date format of some cells, from the values alone: the format reading the most of them as real dates wins
 * (10/16/2024 is only MM/DD/YYYY, 16/10/2024 only DD/MM/YYYY); when several read as many (every day ≤ 12), the
 * answer is ambiguous and the caller asks, showing the examples. A time after the date is allowed.
 */
export function guessDateFormat(cells: readonly string[]): DateGuess {
  const values = nonEmpty(cells);
  const counts = DATE_FORMATS.map((format) => values.filter((v) => parseDateCell(v, format).ok).length);
  const best = Math.max(0, ...counts);
  if (best === 0) return { kind: "none" };
  const formats = DATE_FORMATS.filter((_, i) => counts[i] === best);
  const dated = values.filter((v) => formats.some((f) => parseDateCell(v, f).ok));
  const examples = [...new Set(dated)].slice(0, 3);
  const withTime = dated.some(hasTime);
  return formats.length === 1
    ? { kind: "sure", format: formats[0] as DateFormat, withTime, examples }
    : { kind: "ambiguous", formats, withTime, examples };
}

/** Whether most of a column's non-empty cells are dates in one format. */
function isDateColumn(cells: readonly string[]): boolean {
  const values = nonEmpty(cells);
  if (values.length === 0) return false;
  const best = Math.max(...DATE_FORMATS.map((f) => values.filter((v) => parseDateCell(v, f).ok).length));
  return best / values.length >= DATE_COLUMN_SHARE;
}

/** Header keys naming a row's own day, best first; a date column named otherwise comes after these. */
const DAY_NAMES = [
  "day",
  "date",
  "createdat",
  "created",
  "createddate",
  "createdon",
  "eventdate",
  "eventtime",
  "timestamp",
  "time",
  "occurredat",
  "invoicedate",
  "issuedate",
  "issuedat",
  "churndate",
  "churnedat",
  "closedate",
  "cancelledat",
  "canceledat",
];
/** Words naming a later or other day of the row (solved, due, updated…): a day column only when nothing else is. */
const OTHER_DAY_WORDS = [
  "solved",
  "closed",
  "updated",
  "due",
  "paid",
  "end",
  "renewal",
  "modified",
  "resolved",
  "last",
];

function dayRank(column: string): number {
  const key = headerKey(column);
  const exact = DAY_NAMES.indexOf(key);
  if (exact >= 0) return exact;
  if (OTHER_DAY_WORDS.some((w) => key.includes(w))) return 200;
  if (key.includes("created") || key.includes("date") || key.includes("day")) return 100;
  return 150;
}

/** The column of each row's day: a column of dates (by its values), the best named; by name only when none. */
function dayColumnOf(header: readonly string[], dateColumns: readonly string[]): string {
  const ranked = (columns: readonly string[]) =>
    [...columns].sort((a, b) => dayRank(a) - dayRank(b) || columns.indexOf(a) - columns.indexOf(b));
  if (dateColumns.length > 0) return ranked(dateColumns)[0] as string;
  return header.find((h) => DAY_NAMES.includes(headerKey(h))) ?? "";
}

const CURRENCY = /[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD)\b/gi;

/**
 * The decimal mark from the numbers in the file: `118,5` or `1.204,50` say comma, `118.5` or `1,204.50` say
 * point; `1.204` and `1,204` could be either and do not count. A point when nothing tells.
 */
export function guessDecimal(cells: readonly string[]): DecimalMark {
  let comma = 0;
  let point = 0;
  for (const cell of cells) {
    const s = cell
      .replace(CURRENCY, "")
      .replace(/[\s\u00a0\u202f%]/g, "")
      .replace(/^[-+−(]|\)$/g, "");
    if (/^\d+,(\d{1,2}|\d{4,})$/.test(s) || /^\d{1,3}(\.\d{3})+,\d+$/.test(s)) comma++;
    else if (/^\d+\.(\d{1,2}|\d{4,})$/.test(s) || /^\d{1,3}(,\d{3})+\.\d+$/.test(s)) point++;
  }
  return comma > point ? "," : ".";
}

const distinct = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase())).size;

/** Rows per account a column's values name (by their domain when they are emails or domains); 0 when empty. */
function rowsPerKey(values: readonly string[], by: AccountBy): number {
  if (values.length === 0) return 0;
  const keys = by === "email" || by === "domain" ? values.map((v) => domainOf(v) ?? v) : values;
  return values.length / distinct(keys);
}

/** Header keys that name the account, best first, for each way of naming it. */
const ACCOUNT_NAMES: readonly [string, AccountBy][] = [
  ["accountid", "id"],
  ["account", "id"],
  ["organizationid", "id"],
  ["organisationid", "id"],
  ["orgid", "id"],
  ["companyid", "id"],
  ["customerid", "id"],
  ["accountdomain", "domain"],
  ["domain", "domain"],
  ["companydomain", "domain"],
  ["website", "domain"],
  ["email", "email"],
  ["requesteremail", "email"],
  ["useremail", "email"],
  ["customeremail", "email"],
  ["contactemail", "email"],
  ["billingemail", "email"],
  ["accountname", "name"],
  ["organization", "name"],
  ["organisation", "name"],
  ["organizationname", "name"],
  ["company", "name"],
  ["companyname", "name"],
  ["customer", "name"],
  ["customername", "name"],
];

const looksLikeEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
const looksLikeDomain = (v: string) => !/\s/.test(v) && /\.[a-z]{2,}(\/.*)?$/i.test(v) && domainOf(v) !== undefined;

/** How a column's values name an account (emails, domains, names with spaces, or ids), from the values first. */
function byOfValues(values: readonly string[], fallback: AccountBy): AccountBy {
  if (values.length === 0) return fallback;
  const share = (test: (v: string) => boolean) => values.filter(test).length / values.length;
  if (share(looksLikeEmail) >= 0.8) return "email";
  if (share(looksLikeDomain) >= 0.8) return "domain";
  return fallback;
}

/** The known outcome words (the kinds and what exports write for them). */
const OUTCOME_WORDS = new Set([
  "churned",
  "renewed",
  "expanded",
  "downgraded",
  "churn",
  "lost",
  "cancelled",
  "canceled",
  "renewal",
  "renew",
  "retained",
  "expansion",
  "upsell",
  "downgrade",
  "contraction",
  "closed lost",
  "closed won",
]);

const TYPE_NAMES = ["type", "status", "eventtype", "event", "eventname", "kind", "category", "priority", "action"];

/** What an events file's name says its rows are, as the metric counting them (default scorecards read tickets, logins). */
const EVENT_WORDS: readonly [RegExp, string][] = [
  [/ticket|case|support|helpdesk|zendesk|freshdesk|intercom/, "tickets"],
  [/invoice|billing|stripe|payment/, "invoices"],
  [/login|sign.?in|session/, "logins"],
  [/nps/, "nps_responses"],
  [/csat|survey|satisfaction/, "survey_responses"],
  [/call|meeting/, "meetings"],
  [/email|message|conversation/, "messages"],
];

/** The metric counting an events file's rows, from the file's name ("zendesk-tickets.csv" → tickets). */
export function eventMetricOf(fileName: string): string {
  const base = fileName
    .replace(/\.[a-z0-9]+$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const known = EVENT_WORDS.find(([words]) => words.test(base));
  if (known) return known[1];
  return /^[a-z]/.test(base) ? base.slice(0, 40) : "events";
}

/** The kind of id an id-like header names ("subscription_id", "Workspace ID" → "subscription", "workspace"), or "". */
function idKindOf(column: string): string {
  const words = column
    .trim()
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length < 2 || !/^(id|key|number|no|num)$/.test(words[words.length - 1] as string)) return "";
  return words.slice(0, -1).join(" ");
}

/** The guesses for a file, from its header and first rows (a few hundred are plenty), and its name. */
export function guessImport(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  fileName = "",
): ImportGuess {
  const column = (i: number) => rows.map((r) => r[i] ?? "");
  const keys = header.map(headerKey);
  const values = header.map((_, i) => nonEmpty(column(i)));
  const at = (name: string) => keys.indexOf(name);
  const named = (...names: string[]) => names.map(at).find((i) => i >= 0) ?? -1;

  const dateIdx = header.map((_, i) => i).filter((i) => isDateColumn(column(i)));
  const dateColumns = dateIdx.map((i) => header[i] as string);
  const dates = guessDateFormat(dateIdx.flatMap((i) => column(i)));
  const dayColumn = dayColumnOf(header, dateColumns);
  const numberIdx = header
    .map((_, i) => i)
    .filter((i) => !dateIdx.includes(i) && (values[i] as string[]).length > 0)
    .filter((i) => (values[i] as string[]).every((v) => parseNumberCell(v, guessDecimal(values[i] as string[])).ok));
  const decimal = guessDecimal(header.flatMap((_, i) => (dateIdx.includes(i) ? [] : (values[i] as string[]))));

  // The account: a column named for it (ids before domains, emails and names), read by what its values look like.
  // A column whose every value differs (a ticket's own id) is a poor key when another column repeats.
  const byOf = header.map((_, i) => {
    const namedBy = ACCOUNT_NAMES.find(([name]) => name === keys[i])?.[1] ?? "id";
    return byOfValues(values[i] as string[], namedBy);
  });
  const repeats = (i: number) => rowsPerKey(values[i] ?? [], byOf[i] ?? "id");
  const candidates = ACCOUNT_NAMES.map(([name]) => at(name)).filter((i) => i >= 0);
  const idIdx = at("id");
  const emailIdx = header.findIndex((_, i) => byOf[i] === "email");
  // Ids of another kind (subscription_id, Workspace ID): a key when nothing names the account, never a date column.
  const kindIdx = header.map((_, i) => i).filter((i) => !dateIdx.includes(i) && idKindOf(header[i] as string) !== "");
  const otherKindIdx = kindIdx.find((i) => repeats(i) >= EVENTS_ROWS_PER_ACCOUNT) ?? kindIdx[0];
  const accountIdx =
    candidates.find((i) => repeats(i) >= EVENTS_ROWS_PER_ACCOUNT) ??
    (idIdx >= 0 && repeats(idIdx) < EVENTS_ROWS_PER_ACCOUNT ? idIdx : undefined) ??
    candidates[0] ??
    (emailIdx >= 0 ? emailIdx : idIdx >= 0 ? idIdx : undefined) ??
    otherKindIdx ??
    Math.max(
      0,
      header.findIndex((_, i) => !dateIdx.includes(i)),
    );
  const accountColumn = header[accountIdx] ?? "";
  const perAccount = repeats(accountIdx);
  const account: ImportGuess["account"] =
    !candidates.includes(accountIdx) && accountIdx !== idIdx && accountIdx === otherKindIdx
      ? { by: "externalId", system: idKindOf(accountColumn), column: accountColumn }
      : { by: byOf[accountIdx] ?? "id", column: accountColumn };
  // Another kind's ids beside the account's (Subscription ID): what a links file pairs with the account.
  const linkIdx = kindIdx.find((i) => i !== accountIdx && !ACCOUNT_NAMES.some(([name]) => name === keys[i]));
  const link = {
    column: header[linkIdx ?? -1] ?? "",
    kind: linkIdx === undefined ? "" : idKindOf(header[linkIdx] as string),
  };

  const metricIdx = named("metric", "metricname", "kpi");
  const valueIdx = named("value", "metricvalue", "count", "amount", "total", "quantity");
  const outcomeIdx = header.findIndex((_, i) => {
    const v = values[i] as string[];
    return (
      i !== accountIdx && v.length > 0 && v.filter((x) => OUTCOME_WORDS.has(x.toLowerCase())).length / v.length >= 0.8
    );
  });
  const typeIdx =
    TYPE_NAMES.map(at).find((i) => i >= 0 && i !== accountIdx && !dateIdx.includes(i)) ??
    header.findIndex((_, i) => {
      const v = values[i] as string[];
      return (
        i !== accountIdx &&
        i !== idIdx &&
        !dateIdx.includes(i) &&
        !numberIdx.includes(i) &&
        v.length >= 4 &&
        distinct(v) <= Math.max(2, v.length / 4)
      );
    });
  const metricColumn = header[metricIdx] ?? header[typeIdx] ?? "";
  const valueColumn = header[valueIdx] ?? header[numberIdx.find((i) => i !== accountIdx) ?? -1] ?? "";
  const eventMetric = eventMetricOf(fileName);
  const singular = eventMetric.replace(/s$/, "");
  const eventColumns = numberIdx
    .filter((i) => i !== accountIdx && !kindIdx.includes(i) && keys[i] !== "id")
    .map((i) => {
      const column = header[i] as string;
      const name = column
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "");
      return { column, metric: name.startsWith(singular) ? name : `${singular}_${name}` };
    });
  const base = {
    account,
    dayColumn,
    dateColumns,
    dates,
    decimal,
    metricColumn,
    valueColumn,
    eventMetric,
    eventColumns,
    link,
  };
  const described = (c: string) => `“${c}”`;
  const rowsPerAccount = `${perAccount.toFixed(1)} rows per account in ${described(accountColumn)}`;

  if (at("accountid") >= 0 && at("metric") >= 0 && at("day") >= 0 && at("value") >= 0) {
    return {
      ...base,
      shape: "observations",
      kindColumn: "",
      because: "the columns are a Vitals observations file's: account_id, metric, day, value",
    };
  }
  if (outcomeIdx >= 0 && dayColumn !== "") {
    const kindColumn = header[outcomeIdx] as string;
    return {
      ...base,
      shape: "outcomes",
      kindColumn,
      because: `${described(kindColumn)} says what happened (churned, renewed…) and ${described(dayColumn)} when`,
    };
  }
  if (metricIdx >= 0 && valueIdx >= 0 && dayColumn !== "" && perAccount >= EVENTS_ROWS_PER_ACCOUNT) {
    return {
      ...base,
      shape: "long",
      kindColumn: "",
      because: `${rowsPerAccount}, each naming a metric (${described(header[metricIdx] as string)}), a day and a value`,
    };
  }
  if (perAccount >= EVENTS_ROWS_PER_ACCOUNT && dayColumn !== "") {
    const kindColumn = header[typeIdx] ?? "";
    return {
      ...base,
      shape: "events",
      kindColumn,
      because:
        `${rowsPerAccount}, each with a date (${described(dayColumn)})` +
        (kindColumn ? ` and a type or status (${described(kindColumn)})` : ""),
    };
  }
  if (idIdx === 0 && perAccount < EVENTS_ROWS_PER_ACCOUNT && accountIdx === idIdx) {
    return {
      ...base,
      shape: "accounts",
      kindColumn: "",
      because: "the first column is “id”, one row per account: a Vitals accounts file",
    };
  }
  return {
    ...base,
    shape: "wide",
    kindColumn: "",
    because:
      perAccount >= EVENTS_ROWS_PER_ACCOUNT
        ? `${rowsPerAccount} but no column of dates: check what the file holds`
        : `one row per account in ${described(accountColumn)}`,
  };
}

/**
 * The saved mapping made for files like this one: every column it reads is in the header (compared as headers
 * are), most columns first. A mapping reading fewer than two columns is too vague to pick on its own.
 */
export function savedMappingFor<T extends { name: string; mapping: Mapping }>(
  header: readonly string[],
  saved: readonly T[],
): T | undefined {
  const have = new Set(header.map(headerKey));
  let best: { saved: T; n: number } | undefined;
  for (const s of saved) {
    const columns = columnsOf(s.mapping);
    if (columns.length < 2 || !columns.every((c) => have.has(headerKey(c)))) continue;
    if (!best || columns.length > best.n) best = { saved: s, n: columns.length };
  }
  return best?.saved;
}
