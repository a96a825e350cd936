import { formatDay } from "../schema/day.ts";

/** The SQL engines `vitals sql` compiles to. */
export const DIALECTS = ["duckdb", "postgres", "clickhouse"] as const;
/** A SQL engine `vitals sql` compiles to. */
export type DialectName = (typeof DIALECTS)[number];

/** What differs between engines: quoting, types, date arithmetic, number parsing, integer series. */
export interface Dialect {
  readonly name: DialectName;
  /** Longest identifier the engine keeps (PostgreSQL truncates at 63 bytes). */
  readonly maxIdentifierBytes: number;
  /** A quoted identifier (column or table name), whatever characters it holds. */
  ident(name: string): string;
  /** A quoted text literal. */
  text(value: string): string;
  /** A double-precision literal, exactly the JavaScript number (cast from its shortest round-trip text). */
  num(value: number): string;
  /** A whole-number literal (days, offsets). */
  int(value: number): string;
  /** Days since 1970-01-01 of a DATE (or YYYY-MM-DD text) column. */
  dayNum(expr: string): string;
  /** A DATE (or YYYY-MM-DD text) column as the engine's date type. */
  toDate(expr: string): string;
  /** A day number as a date literal of the engine's date type. */
  date(day: number): string;
  /** A day number back to YYYY-MM-DD text. */
  dayText(expr: string): string;
  /** An expression cast to double precision. */
  toDouble(expr: string): string;
  /** An expression cast to text. */
  toText(expr: string): string;
  /** A whole number (BIGINT) from a double holding one. */
  toInt(expr: string): string;
  /** Text already checked to be a plain number, read as double precision. */
  parseNumber(expr: string): string;
  /** Whether a text expression matches a regular expression (whole-pattern anchors are in the pattern). */
  matches(expr: string, pattern: string): string;
  /**
   * Aggregate: the value of the latest day among the rows where `cond` holds, the largest value on that day (the
   * engine's "last": observations sorted by day, then value); NULL when no row holds.
   */
  lastValue(value: string, day: string, cond: string): string;
  /** Aggregate: the value of the row with the smallest key among the rows where `cond` holds (keys unique). */
  firstBy(value: string, key: string, cond: string): string;
  /** A table of whole numbers k = 0 … n−1 in a column named k. */
  series(n: number): string;
  /** What goes between "name AS" and a CTE's body to compute it once ("MATERIALIZED "), or "". */
  readonly materialized: string;
  /** Text appended after the whole query (engine settings), or "". */
  readonly trailer: string;
}

const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;
const doubleQuoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function checkNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a SQL number`);
  return Object.is(value, -0) ? "0" : String(value);
}

const duckdb: Dialect = {
  name: "duckdb",
  maxIdentifierBytes: 255,
  ident: doubleQuoted,
  text: sqlText,
  num: (v) => `CAST('${checkNumber(v)}' AS DOUBLE)`,
  int: (v) => String(Math.trunc(v)),
  dayNum: (e) => `CAST(datediff('day', DATE '1970-01-01', CAST(${e} AS DATE)) AS INTEGER)`,
  toDate: (e) => `CAST(${e} AS DATE)`,
  date: (day) => `DATE '${formatDay(day)}'`,
  dayText: (e) => `strftime(DATE '1970-01-01' + CAST(${e} AS INTEGER), '%Y-%m-%d')`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  toText: (e) => `CAST(${e} AS VARCHAR)`,
  toInt: (e) => `CAST(${e} AS BIGINT)`,
  parseNumber: (e) => `TRY_CAST(${e} AS DOUBLE)`,
  matches: (e, p) => `regexp_full_match(${e}, ${sqlText(p)})`,
  lastValue: (v, day, cond) => `arg_max(${v}, struct_pack(d := ${day}, v := ${v})) FILTER (WHERE ${cond})`,
  firstBy: (v, key, cond) => `arg_min(${v}, ${key}) FILTER (WHERE ${cond})`,
  series: (n) => `SELECT CAST(range AS INTEGER) AS k FROM range(0, ${n})`,
  trailer: "",
  materialized: "MATERIALIZED ",
};

const postgres: Dialect = {
  name: "postgres",
  maxIdentifierBytes: 63,
  ident: doubleQuoted,
  text: sqlText,
  num: (v) => `CAST('${checkNumber(v)}' AS DOUBLE PRECISION)`,
  int: (v) => String(Math.trunc(v)),
  dayNum: (e) => `(CAST(${e} AS DATE) - DATE '1970-01-01')`,
  toDate: (e) => `CAST(${e} AS DATE)`,
  date: (day) => `DATE '${formatDay(day)}'`,
  dayText: (e) => `to_char(DATE '1970-01-01' + CAST(${e} AS INTEGER), 'YYYY-MM-DD')`,
  toDouble: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
  toText: (e) => `CAST(${e} AS TEXT)`,
  toInt: (e) => `CAST(${e} AS BIGINT)`,
  parseNumber: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
  matches: (e, p) => `(${e} ~ ${sqlText(p)})`,
  lastValue: (v, day, cond) => `(array_agg(${v} ORDER BY ${day} DESC, ${v} DESC) FILTER (WHERE ${cond}))[1]`,
  firstBy: (v, key, cond) => `(array_agg(${v} ORDER BY ${key}) FILTER (WHERE ${cond}))[1]`,
  series: (n) => `SELECT CAST(g AS INTEGER) AS k FROM generate_series(0, ${n - 1}) AS g`,
  trailer: "",
  materialized: "MATERIALIZED ",
};

/** ClickHouse text literals read backslash escapes, so backslashes are doubled as well as quotes. */
const chText = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

const clickhouse: Dialect = {
  name: "clickhouse",
  maxIdentifierBytes: 255,
  ident: (name) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``,
  text: chText,
  num: (v) => `toFloat64(${chText(checkNumber(v))})`,
  int: (v) => `toInt32(${Math.trunc(v)})`,
  dayNum: (e) => `toInt32(dateDiff('day', toDate32('1970-01-01'), toDate32(${e})))`,
  toDate: (e) => `toDate32(${e})`,
  date: (day) => `toDate32('${formatDay(day)}')`,
  dayText: (e) => `toString(addDays(toDate32('1970-01-01'), ${e}))`,
  toDouble: (e) => `toFloat64(${e})`,
  toText: (e) => `toString(${e})`,
  toInt: (e) => `toInt64(${e})`,
  parseNumber: (e) => `toFloat64OrNull(${e})`,
  matches: (e, p) => `match(${e}, ${chText(p)})`,
  lastValue: (v, day, cond) => `argMaxIf(${v}, (${day}, ${v}), ${cond})`,
  firstBy: (v, key, cond) => `argMinIf(${v}, ${key}, ${cond})`,
  series: (n) => `SELECT toInt32(number) AS k FROM numbers(${n})`,
  // Unmatched LEFT JOIN columns are NULL; CTEs are computed once (ClickHouse 26 and later).
  trailer: "\nSETTINGS join_use_nulls = 1",
  materialized: "MATERIALIZED ",
};

/** The dialect of an engine. */
export function dialectOf(name: DialectName): Dialect {
  return name === "duckdb" ? duckdb : name === "postgres" ? postgres : clickhouse;
}
