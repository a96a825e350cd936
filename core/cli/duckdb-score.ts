import { DuckDBInstance } from "@duckdb/node-api";
import { type CsvCell, fixedCell, writeCsv } from "../io/csv-write.ts";
import { standardAccountsMapping, standardObservationsMapping } from "../io/standard.ts";
import { type Day, formatDay } from "../schema/day.ts";
import type { Scorecard } from "../schema/scorecard.ts";
import { compileSql } from "../sql/compile.ts";
import { dialectOf } from "../sql/dialect.ts";
import { type Output, UsageError } from "./problems.ts";
import { CSV_COLUMNS } from "./score-output.ts";

const d = dialectOf("duckdb");

/** A file as a DuckDB table expression: Parquet by its extension, anything else CSV (every column as text). */
function fileSource(path: string): string {
  return /\.parquet$/i.test(path)
    ? `read_parquet(${d.text(path)})`
    : `read_csv(${d.text(path)}, header = true, all_varchar = true)`;
}

/** Where the accounts file's well-known columns go in the accounts table the SQL reads (docs/formats.md). */
const ACCOUNT_TABLE_COLUMNS: Record<string, { column: string; type: "text" | "double" | "date" }> = {
  name: { column: "name", type: "text" },
  parentId: { column: "parent_id", type: "text" },
  arr: { column: "arr", type: "double" },
  seats: { column: "seats", type: "double" },
  startDate: { column: "start_date", type: "date" },
  renewalDate: { column: "renewal_date", type: "date" },
  plan: { column: "plan", type: "text" },
  segment: { column: "segment", type: "text" },
  stage: { column: "stage", type: "text" },
  owner: { column: "owner", type: "text" },
  industry: { column: "industry", type: "text" },
  region: { column: "region", type: "text" },
};

/** A file whose columns are not what Vitals reads is the command's input problem, told in one line. */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const cast = (expr: string, type: "text" | "double" | "date") =>
  type === "text"
    ? `NULLIF(TRIM(CAST(${expr} AS VARCHAR)), '')`
    : type === "double"
      ? `CAST(NULLIF(TRIM(CAST(${expr} AS VARCHAR)), '') AS DOUBLE)`
      : `CAST(NULLIF(TRIM(CAST(${expr} AS VARCHAR)), '') AS DATE)`;

/**
 * `vitals score --engine duckdb`: the same scores from the compiled SQL, run by embedded DuckDB straight from the
 * files (CSV or Parquet), which it streams: observations are never all held in Node's memory. Returns the CSV of
 * `vitals score` (rows by account id) and the as-of day.
 */
export async function scoreWithDuckdb(
  scorecards: readonly Scorecard[],
  accountsPath: string,
  observationPaths: readonly string[],
  chosenAsOf: Day | undefined,
  out: Output,
): Promise<{ csv: string; asOf: Day; accounts: number }> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  const columnsOf = async (path: string): Promise<string[]> => {
    try {
      const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${fileSource(path)}`);
      return reader.getRowObjectsJS().map((r) => String(r.column_name));
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as Error).message.split("\n")[0]}`);
    }
  };
  try {
    // accounts: the accounts file's columns by the same names `vitals score` reads them by.
    const header = await columnsOf(accountsPath);
    const mapping = asUsage(() => standardAccountsMapping(accountsPath, header));
    if (mapping.shape !== "wide") throw new Error("the accounts mapping is not wide");
    const idColumn = mapping.account.by === "id" ? mapping.account.column : header[0];
    const select = [`${cast(d.ident(idColumn as string), "text")} AS id`];
    const taken = new Set(["id"]);
    for (const a of mapping.attributes) {
      const known = ACCOUNT_TABLE_COLUMNS[a.attribute];
      const column = known?.column ?? a.attribute;
      if (
        taken.has(column.toLowerCase()) ||
        a.attribute.includes(".") ||
        a.attribute === "domains" ||
        a.attribute === "aliases"
      ) {
        continue;
      }
      taken.add(column.toLowerCase());
      select.push(`${cast(d.ident(a.column), known?.type ?? "text")} AS ${d.ident(column)}`);
    }
    if (!taken.has("name")) select.push(`${cast(d.ident(idColumn as string), "text")} AS name`);
    if (!taken.has("parent_id")) select.push("CAST(NULL AS VARCHAR) AS parent_id");
    if (!taken.has("arr")) select.push("CAST(NULL AS DOUBLE) AS arr");
    if (!taken.has("start_date")) select.push("CAST(NULL AS DATE) AS start_date");
    await conn.run(`CREATE VIEW accounts AS SELECT ${select.join(", ")} FROM ${fileSource(accountsPath)}`);

    const parts: string[] = [];
    for (const path of observationPaths) {
      const cols = await columnsOf(path);
      const m = asUsage(() => standardObservationsMapping(path, cols));
      if (m.shape !== "long") throw new Error("the observations mapping is not long");
      parts.push(
        `SELECT CAST(${d.ident(m.account.column)} AS VARCHAR) AS account_id, CAST(${d.ident(m.metricColumn)} AS VARCHAR) AS metric, CAST(${d.ident(m.dayColumn)} AS DATE) AS day, CAST(${d.ident(m.valueColumn)} AS DOUBLE) AS value FROM ${fileSource(path)}`,
      );
    }
    await conn.run(
      `CREATE VIEW observations AS ${parts.length > 0 ? parts.join(" UNION ALL ") : "SELECT CAST(NULL AS VARCHAR) AS account_id, CAST(NULL AS VARCHAR) AS metric, CAST(NULL AS DATE) AS day, CAST(NULL AS DOUBLE) AS value WHERE false"}`,
    );

    let asOf = chosenAsOf;
    if (asOf === undefined) {
      const reader = await conn.runAndReadAll(
        `SELECT CAST(datediff('day', DATE '1970-01-01', max(day)) AS INTEGER) AS d FROM observations`,
      );
      const last = reader.getRowObjectsJS()[0]?.d;
      if (last === null || last === undefined) {
        throw new UsageError("no observations to take the as-of day from: give --as-of YYYY-MM-DD");
      }
      asOf = Number(last);
      out.err(`vitals: scoring as of ${formatDay(asOf)}, the data's last day (--as-of to choose)\n`);
    }
    const sql = compileSql(scorecards, { dialect: "duckdb", asOf });
    let rows: Record<string, unknown>[];
    try {
      rows = (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    } catch (error) {
      throw new UsageError(`DuckDB could not score the files: ${(error as Error).message.split("\n")[0]}`);
    }
    const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    const cells = rows.map((r): CsvCell[] => {
      const coverage = num(r.coverage);
      const delta = num(r.delta);
      return [
        String(r.account_id),
        String(r.name),
        String(r.scorecard ?? ""),
        num(r.score),
        String(r.grade),
        String(r.label),
        String(r.color),
        coverage === null ? null : fixedCell(coverage, 3),
        delta === null ? null : fixedCell(delta, 1),
        String(r.top_drags ?? ""),
        num(r.rollup),
        null,
        "",
        "",
      ];
    });
    return { csv: writeCsv(CSV_COLUMNS, cells, { newline: "\n" }), asOf, accounts: rows.length };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
