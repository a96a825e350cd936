import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Session } from "chdb";
import pg from "pg";
import { type DialectName, dialectOf } from "../../core/sql/dialect.ts";

/** A cell of an input table: text, a number, a YYYY-MM-DD day (as text), or null. */
export type Cell = string | number | null;
/** An input table: column names with SQL types, and rows. */
export interface Table {
  name: string;
  columns: { name: string; type: "text" | "double" | "date" | "int" }[];
  rows: Cell[][];
}

/** One SQL engine the tests run queries on. */
export interface Engine {
  readonly dialect: DialectName;
  /** Replaces the tables with these (dropping any of the same names). */
  load(tables: readonly Table[]): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const TYPES: Record<DialectName, Record<Table["columns"][number]["type"], string>> = {
  duckdb: { text: "VARCHAR", double: "DOUBLE", date: "DATE", int: "INTEGER" },
  postgres: { text: "TEXT", double: "DOUBLE PRECISION", date: "DATE", int: "INTEGER" },
  clickhouse: { text: "Nullable(String)", double: "Nullable(Float64)", date: "Nullable(Date32)", int: "Int32" },
};

/** CREATE TABLE and INSERT statements for a table, every name quoted and every value a literal of the dialect. */
export function tableSql(dialect: DialectName, table: Table): string[] {
  const d = dialectOf(dialect);
  const cols = table.columns.map((c) => `${d.ident(c.name)} ${TYPES[dialect][c.type]}`).join(", ");
  const create = `CREATE TABLE ${d.ident(table.name)} (${cols})${dialect === "clickhouse" ? " ENGINE = Memory" : ""}`;
  const out = [`DROP TABLE IF EXISTS ${d.ident(table.name)}`, create];
  for (let from = 0; from < table.rows.length; from += 1000) {
    const values = table.rows
      .slice(from, from + 1000)
      .map(
        (row) =>
          `(${row
            .map((cell, i) =>
              cell === null
                ? "NULL"
                : typeof cell === "number"
                  ? table.columns[i]?.type === "int"
                    ? String(cell)
                    : d.num(cell)
                  : d.text(cell),
            )
            .join(", ")})`,
      )
      .join(", ");
    out.push(`INSERT INTO ${d.ident(table.name)} VALUES ${values}`);
  }
  return out;
}

export async function duckdbEngine(): Promise<Engine> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  return {
    dialect: "duckdb",
    async load(tables) {
      for (const t of tables) for (const sql of tableSql("duckdb", t)) await conn.run(sql);
    },
    async query(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export function clickhouseEngine(): Engine {
  const session = new Session();
  return {
    dialect: "clickhouse",
    async load(tables) {
      for (const t of tables) for (const sql of tableSql("clickhouse", t)) session.query(sql);
    },
    async query(sql) {
      const text = session.query(sql, "JSONEachRow");
      return text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async close() {
      session.cleanup();
    },
  };
}

/** PostgreSQL's server programs (initdb, pg_ctl): on PATH, or where Debian's package puts them. */
function postgresBin(): string | undefined {
  const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (onPath) return join(onPath, "..");
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, "bin", "initdb"))) return join(root, v, "bin");
  return undefined;
}

/**
 * A throwaway PostgreSQL cluster in a temporary directory, listening on a Unix socket there only (no TCP port),
 * stopped and deleted by close(). As root (CI), the server runs as the `postgres` user, or `nobody`: initdb
 * refuses root.
 */
export async function postgresEngine(): Promise<Engine> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (initdb not found): apt-get install postgresql");
  const dir = mkdtempSync(join(tmpdir(), "vitals-pg-"));
  const data = join(dir, "data");
  const root = process.getuid?.() === 0;
  const user = root ? (spawnSync("id", ["-u", "postgres"]).status === 0 ? "postgres" : "nobody") : undefined;
  if (root && user) {
    const uid = Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const as = (program: string, args: string[]) =>
    user
      ? execFileSync("runuser", ["-u", user, "--", join(bin, program), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, program), args, { stdio: "pipe" });
  as("initdb", ["-D", data, "-A", "trust", "-U", "vitals", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = 20000 + Math.floor(Math.random() * 30000);
  as("pg_ctl", [
    "-D",
    data,
    "-l",
    join(dir, "log"),
    "-w",
    "-o",
    `-k ${dir} -p ${port} -c listen_addresses= -c fsync=off -c full_page_writes=off`,
    "start",
  ]);
  const client = new pg.Client({ host: dir, port, user: "vitals", database: "postgres" });
  await client.connect();
  // Doubles as text with their shortest round-trip digits (the default since PostgreSQL 12).
  await client.query("SET extra_float_digits = 1");
  return {
    dialect: "postgres",
    async load(tables) {
      for (const t of tables) for (const sql of tableSql("postgres", t)) await client.query(sql);
    },
    async query(sql) {
      const result = await client.query(sql);
      return result.rows as Record<string, unknown>[];
    },
    async close() {
      await client.end().catch(() => {});
      try {
        as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Reads a number from an engine's row (BIGINT as bigint, numbers as text in some outputs); null stays null. */
export function numberOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  if (typeof value === "string") return value === "" ? null : Number(value);
  throw new Error(`not a number: ${String(value)}`);
}
