import { describe, expect, it } from "vitest";
import { planCsv } from "../../../core/io/csv.ts";
import type { RowReject } from "../../../core/io/plan.ts";
import { groupRejects, linesInWords, rejectsTable } from "../../../core/io/rejects.ts";
import { Account } from "../../../core/schema/account.ts";

const days = (n: number, format: (i: number) => string): RowReject[] =>
  Array.from({ length: n }, (_, i) => ({
    line: i + 2,
    column: "Created at",
    reason: `"${format(i)}" is not a real date (MM/DD/YYYY)`,
  }));

describe("rejects grouped by problem", () => {
  it("one reason repeated 500 times is one group with the count, the lines and the fix in words", () => {
    const groups = groupRejects(days(500, (i) => `${(i % 15) + 13}/10/2024`));
    expect(groups).toHaveLength(1);
    const [g] = groups;
    expect(g).toEqual({
      column: "Created at",
      problem: "not a real date (MM/DD/YYYY)",
      rows: 500,
      lines: [2, 3, 4, 5, 6],
      firstLine: 2,
      lastLine: 501,
      contiguous: true,
      where: "lines 2–501",
      examples: ["13/10/2024", "14/10/2024", "15/10/2024"],
      fix: "Choose the date format DD/MM/YYYY?",
    });
    expect(linesInWords(g as NonNullable<typeof g>)).toBe("lines 2–501");
  });

  it("asks between two formats when the rejected dates fit both, and says no such day when none fits", () => {
    const iso = (text: string) => ({
      line: 2,
      column: "day",
      reason: `"${text}" is not a date in the format YYYY-MM-DD`,
    });
    expect(groupRejects([iso("03/04/2024"), { ...iso("05/06/2024"), line: 3 }])[0]?.fix).toBe(
      "Choose the date format MM/DD/YYYY or DD/MM/YYYY (these dates fit both: check which)?",
    );
    expect(
      groupRejects([{ line: 9, column: "d", reason: '"02/30/2022" is not a real date (MM/DD/YYYY)' }])[0]?.fix,
    ).toBe("Correct these dates in the file: there is no such day.");
  });

  it("offers the other decimal mark when every rejected number reads with it", () => {
    const reason = (t: string) => `"${t}" is not a number (expected e.g. 1234.5 or 1,234.5)`;
    const [g] = groupRejects([
      { line: 4, column: "value", reason: reason("118,55") },
      { line: 9, column: "value", reason: reason("1.204,5") },
    ]);
    expect(g).toMatchObject({ problem: "not a number (expected e.g. 1234.5 or 1,234.5)", rows: 2, contiguous: false });
    expect(g?.fix).toBe("Choose the decimal mark “,” (1.234,5)?");
    expect(linesInWords(g as NonNullable<typeof g>)).toBe("lines 4, 9");
  });

  it("groups unknown accounts, repeated accounts and empty cells apart, largest first, with a fix for each", () => {
    const rejects: RowReject[] = [
      { line: 2, column: "email", reason: 'no account with email "dana@acme.com"' },
      {
        line: 3,
        column: "email",
        reason: '"jo@gmail.com" is a personal email address, which never identifies an account',
      },
      { line: 4, column: "email", reason: 'no account with email "sam@globex.io"' },
      { line: 4, column: "day", reason: "the day is empty" },
      { line: 7, column: "email", reason: 'no account with email "li@acme.com"' },
      { line: 8, column: "id", reason: 'account "a1" is already on line 2' },
      { line: 9, column: "id", reason: 'account "a2" is already on line 5' },
    ];
    const groups = groupRejects(rejects);
    expect(groups.map((g) => [g.column, g.problem, g.rows])).toEqual([
      ["email", "no account with email", 3],
      ["id", "account is already on an earlier line", 2],
      ["email", "a personal email address, which never identifies an account", 1],
      ["day", "the day is empty", 1],
    ]);
    expect(groups[0]).toMatchObject({
      examples: ["dana@acme.com", "sam@globex.io", "li@acme.com"],
      fix: "Import these accounts first (a CRM export), or name accounts by another column.",
    });
    expect(linesInWords(groups[0] as NonNullable<(typeof groups)[0]>)).toBe("lines 2, 4, 7");
    expect(groups.every((g) => g.fix !== undefined)).toBe(true);
  });

  it("counts a row once per group and says how many more lines there are", () => {
    const rejects = [2, 4, 6, 8, 10, 12, 14].map((line) => ({ line, reason: "x: bad" }));
    const [g] = groupRejects(rejects);
    expect(g).toMatchObject({ rows: 7, contiguous: false });
    expect(linesInWords(g as NonNullable<typeof g>)).toBe("lines 2, 4, 6, 8, 10 and 2 more");
    expect(linesInWords({ rows: 1, lines: [5], firstLine: 5, lastLine: 5, contiguous: true })).toBe("line 5");
  });
});

describe("the rejects file", () => {
  it("carries each rejected row as the file had it, also a row the parser could not split", async () => {
    const acme = Account.parse({ id: "a1", name: "Acme" });
    const text =
      "account,metric,day,value\na1,logins,2025-01-02,3\na9,logins,2025-01-02,4\na1,logins,2025-01-03,5,extra\n";
    const plan = await planCsv(
      "usage.csv",
      text,
      {
        shape: "long",
        name: "",
        dateFormat: "YYYY-MM-DD",
        decimal: ".",
        account: { by: "id", column: "account" },
        metricColumn: "metric",
        dayColumn: "day",
        valueColumn: "value",
        sameDay: {},
      },
      [acme],
    );
    const table = rejectsTable(plan.header ?? [], plan.rejects, plan.rejectedCells);
    expect(table.fields).toEqual(["line", "column", "reason", "account", "metric", "day", "value", "field 5"]);
    expect(table.rows).toEqual([
      [3, "account", 'no account with id "a9"', "a9", "logins", "2025-01-02", "4", ""],
      [
        4,
        "",
        'the row has 5 fields but the header has 4 (a "," inside a value that is not quoted?)',
        "a1",
        "logins",
        "2025-01-03",
        "5",
        "extra",
      ],
    ]);
  });
});
