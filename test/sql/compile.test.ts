import { describe, expect, it } from "vitest";
import { Scorecard } from "../../core/schema/scorecard.ts";
import { compileSql, SqlCompileError } from "../../core/sql/compile.ts";

const card = (keys: string[]) =>
  Scorecard.parse({
    id: "c",
    name: "C",
    factors: keys.map((key, i) => ({
      id: `f${i}`,
      label: `Factor ${i}`,
      weight: 1,
      source: { kind: "attribute", key },
      rule: { kind: "categorical", map: { a: 1 } },
    })),
  });

describe("vitals sql: what the compiler refuses, naming the factor", () => {
  it("a custom attribute with the name of one of the accounts table's own columns", () => {
    expect(() => compileSql([card(["Name"])], { dialect: "duckdb" })).toThrow(
      /scorecard "c", factor "f0" \(Factor 0\): the custom attribute "Name" has the name of the accounts table's column "name"/,
    );
  });
  it("two attributes that differ only in case", () => {
    expect(() => compileSql([card(["Tier", "tier"])], { dialect: "postgres" })).toThrow(
      /factor "f1" \(Factor 1\): the attributes "tier" and "Tier" differ only in case/,
    );
  });
  it("an attribute name longer than PostgreSQL's 63-byte identifiers (but not DuckDB's)", () => {
    const long = "ü".repeat(32);
    expect(() => compileSql([card([long])], { dialect: "postgres" })).toThrow(SqlCompileError);
    expect(() => compileSql([card([long])], { dialect: "postgres" })).toThrow(/63-byte/);
    expect(() => compileSql([card([long])], { dialect: "duckdb" })).not.toThrow();
  });
  it("a history outside 1–3660 days", () => {
    expect(() => compileSql([card(["tier"])], { dialect: "duckdb", history: 0 })).toThrow(/history must be/);
  });
  it("quotes every name and text it writes", () => {
    const key = `a"b\`c'd\\e`;
    const sql = compileSql([card([key])], { dialect: "clickhouse" });
    expect(sql).toContain("`a\"b\\`c'd\\\\e`");
    expect(compileSql([card([key])], { dialect: "postgres" })).toContain(`"a""b\`c'd\\e"`);
  });
  it("a metric name with quotes or SQL in it never reaches the compiler: the scorecard is refused at its path", () => {
    const parsed = Scorecard.safeParse({
      id: "c",
      name: "C",
      factors: [
        {
          id: "f0",
          label: "Usage",
          weight: 1,
          source: { kind: "metric", metric: "x'; DROP TABLE observations; --", aggregation: "sum", windowDays: 7 },
          rule: { kind: "linear", worst: 0, best: 1 },
        },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["factors", 0, "source", "metric"]);
    expect(parsed.error?.issues[0]?.message).toMatch(/letters, digits/);
  });
});
