import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import Papa from "papaparse";
import { afterAll, describe, expect, it } from "vitest";
import { BadgeSet } from "../../core/schema/badge.ts";
import { schemaUrl } from "../../core/schema/json-schemas.ts";
import { vitals } from "./run-vitals.ts";

const dir = mkdtempSync(join(tmpdir(), "vitals-sql-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const formats = readFileSync("docs/formats.md", "utf8");
const scoring = readFileSync("docs/scoring.md", "utf8");
const card = /<!-- checked: scorecard -->\s*```json\n([\s\S]*?)```/.exec(formats)?.[1] ?? "";
const csvBlock = (name: string) =>
  new RegExp(`<!-- checked: ${name} -->\\s*\`\`\`csv\\n([\\s\\S]*?)\`\`\``).exec(scoring)?.[1] ?? "";
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const rowsOf = (csv: string) => {
  const rows: string[][] = [];
  Papa.parse<string[]>(csv, { skipEmptyLines: true, step: (r) => void rows.push(r.data) });
  const header = rows.shift() ?? [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
};

describe("vitals sql and vitals badges", () => {
  const cardPath = file("example.json", card);
  const accounts = file("accounts.csv", csvBlock("example-accounts"));
  const observations = file("observations.csv", csvBlock("example-observations"));

  it("the query run by DuckDB on the example's files gives vitals score's rows, and both become the same badges", async () => {
    const scored = await vitals(
      "score",
      "--as-of",
      "2025-03-01",
      "--scorecards",
      cardPath,
      "--accounts",
      accounts,
      "--observations",
      observations,
    );
    expect(scored.code, scored.stderr).toBe(0);
    const sql = await vitals("sql", "--dialect", "duckdb", "--as-of", "2025-03-01", "--scorecards", cardPath);
    expect(sql.code, sql.stderr).toBe(0);

    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const lit = (p: string) => `'${p.replaceAll("'", "''")}'`;
    await conn.run(
      `CREATE TABLE accounts AS SELECT *, CAST(NULL AS VARCHAR) AS parent_id, CAST(NULL AS DOUBLE) AS arr FROM read_csv(${lit(accounts)}, all_varchar = true)`,
    );
    await conn.run(`CREATE TABLE observations AS SELECT * FROM read_csv(${lit(observations)})`);
    const results = join(dir, "results.csv");
    await conn.run(`COPY (${sql.stdout.trim()}) TO ${lit(results)} (HEADER)`);
    conn.closeSync();
    db.closeSync();

    const fromSql = rowsOf(readFileSync(results, "utf8"));
    const fromScore = rowsOf(scored.stdout);
    expect(fromSql.map((r) => r.account_id)).toEqual(fromScore.map((r) => r.account_id));
    fromSql.forEach((row, i) => {
      const want = fromScore[i] as Record<string, string>;
      for (const k of ["name", "scorecard", "score", "grade", "label", "color", "top_drags", "rollup"]) {
        expect(row[k], `${row.account_id}: ${k}`).toBe(want[k]);
      }
      expect(Number(row.coverage).toFixed(3)).toBe(want.coverage);
      expect(row.delta === "" ? "" : Number(row.delta).toFixed(1)).toBe(want.delta);
    });
    expect(Number(fromSql[0]?.score_exact)).toBeCloseTo(69.2857142857, 9);

    const scoreCsv = file("score.csv", scored.stdout);
    const a = await vitals("badges", "--results", results, "--as-of", "2025-03-01", "--accounts", accounts);
    const b = await vitals("badges", "--results", scoreCsv, "--as-of", "2025-03-01");
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(a.stdout).$schema).toBe(schemaUrl("badge-set"));
    const setA = BadgeSet.parse(JSON.parse(a.stdout));
    const setB = BadgeSet.parse(JSON.parse(b.stdout));
    const pick = (s: BadgeSet) =>
      s.accounts.map((x) => [x.id, x.shown, x.grade, x.color, x.label, x.drags.map((d) => d.text)]);
    expect(pick(setA)).toEqual(pick(setB));
    expect(setA.accounts[0]).toMatchObject({
      id: "a1",
      name: "Acme",
      shown: 69,
      grade: "B",
      delta: -27,
      asOf: "2025-03-01",
    });
    expect(setA.accounts[0]?.score).toBeCloseTo(69.2857142857, 9);
  });

  it("vitals score --engine duckdb prints the Node engine's CSV, from CSV files and from Parquet", async () => {
    const node = await vitals(
      "score",
      "--scorecards",
      cardPath,
      "--accounts",
      accounts,
      "--observations",
      observations,
    );
    expect(node.code, node.stderr).toBe(0);
    const duck = await vitals(
      "score",
      "--engine",
      "duckdb",
      "--scorecards",
      cardPath,
      "--accounts",
      accounts,
      "--observations",
      observations,
    );
    expect(duck.code, duck.stderr).toBe(0);
    expect(duck.stdout).toBe(node.stdout);
    expect(duck.stderr).toContain("scoring as of 2025-03-02, the data's last day");

    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const parquet = join(dir, "observations.parquet");
    await conn.run(`COPY (SELECT * FROM read_csv('${observations}')) TO '${parquet}' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    const fromParquet = await vitals(
      "score",
      "--engine",
      "duckdb",
      "--as-of",
      "2025-03-01",
      "--scorecards",
      cardPath,
      "--accounts",
      accounts,
      "--observations",
      parquet,
    );
    expect(fromParquet.code, fromParquet.stderr).toBe(0);
    expect(fromParquet.stdout).toBe(csvBlock("score-csv"));

    const noAccounts = await vitals("score", "--engine", "duckdb", "--observations", parquet);
    expect(noAccounts.code).toBe(2);
    expect(noAccounts.stderr).toContain("--engine duckdb needs --accounts");
  });

  it("names the factor it cannot compile, and refuses an unknown dialect", async () => {
    const bad = JSON.parse(card) as { factors: { source: unknown }[] };
    (bad.factors[3] as { source: unknown }).source = { kind: "attribute", key: "Name" };
    const path = file("bad.json", JSON.stringify(bad));
    const run = await vitals("sql", "--scorecards", path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('scorecard "example", factor "contract" (Contract): the custom attribute "Name"');
    const dialect = await vitals("sql", "--dialect", "oracle");
    expect(dialect.code).toBe(2);
    expect(dialect.stderr).toContain("--dialect must be one of duckdb, postgres, clickhouse");
  });

  it("a results file without the score columns is refused with its file and line", async () => {
    const path = file("partial.csv", "account_id,name\na1,Acme\n");
    const run = await vitals("badges", "--results", path, "--as-of", "2025-03-01");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}:1: missing columns "scorecard", "score"`);
    const badColor = file(
      "color.csv",
      `account_id,name,scorecard,score,grade,label,color,coverage,delta,top_drags,override_score,override_grade,override_until\na1,Acme,c,50,C,Watch,purple,1,,,,,\n`,
    );
    const run2 = await vitals("badges", "--results", badColor, "--as-of", "2025-03-01");
    expect(run2.code).toBe(1);
    expect(run2.stderr).toContain(`${badColor}:2: color:`);
  });
});
