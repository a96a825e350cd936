import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { type CsvCell, fixedCell, writeCsv } from "../../../core/io/csv-write.ts";

const parse = (csv: string, newline: "\n" | "\r\n" = "\n"): string[][] => {
  const result = Papa.parse<string[]>(csv, { delimiter: ",", newline, header: false });
  expect(result.errors).toEqual([]);
  // The writer ends every row with the newline, so the parser sees one empty line last.
  expect(result.data.at(-1)).toEqual([""]);
  return result.data.slice(0, -1);
};

/** A cell a spreadsheet would run as a formula. */
const FORMULA = /^[=+\-@\t\r]/;

describe("writeCsv, the one CSV writer", () => {
  it("escapes formula text (OWASP) and keeps numbers numeric", () => {
    const csv = writeCsv(
      ["id", "name", "delta", "coverage"],
      [
        ["-5", '=HYPERLINK("http://x","y")', -5, fixedCell(0.5, 3)],
        ["a", "+cmd|' /C calc'!A0", -12.5, fixedCell(-0.01, 1)],
        ["b", "@SUM(1)", Number.NaN, null],
        ["c", "\tx", Number.POSITIVE_INFINITY, undefined],
        ["d", "\rx", -0, 3],
        ["e", "=1+2\nsecond line", 1e21, ""],
      ],
      { newline: "\n" },
    );
    expect(csv.split("\n").slice(0, 5)).toEqual([
      "id,name,delta,coverage",
      `"'-5","'=HYPERLINK(""http://x"",""y"")",-5,0.500`,
      `a,"'+cmd|' /C calc'!A0",-12.5,0.0`,
      `b,"'@SUM(1)",,`,
      `c,"'\tx",,`,
    ]);
    expect(parse(csv)).toEqual([
      ["id", "name", "delta", "coverage"],
      ["'-5", `'=HYPERLINK("http://x","y")`, "-5", "0.500"],
      ["a", "'+cmd|' /C calc'!A0", "-12.5", "0.0"],
      ["b", "'@SUM(1)", "", ""],
      ["c", "'\tx", "", ""],
      ["d", "'\rx", "0", "3"],
      ["e", "'=1+2\nsecond line", "1e+21", ""],
    ]);
  });

  it("quotes per RFC 4180 and ends every row with CRLF by default", () => {
    expect(
      writeCsv(
        ["a", "b"],
        [
          ['say "hi", then', " edge "],
          ["x", "y\r\nz"],
        ],
      ),
    ).toBe(`a,b\r\n"say ""hi"", then"," edge "\r\nx,"y\r\nz"\r\n`);
    expect(writeCsv(["a"], [])).toBe("a\r\n");
  });

  it("over random cells: text never parses back starting like a formula and round-trips without the prefix", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc
        .tuple(fc.constantFrom("=", "+", "-", "@", "\t", "\r", "'", " ", '"', ",", "\n"), fc.string())
        .map(([a, b]) => a + b),
    );
    const cell = fc.oneof(
      text.map((t) => ({ kind: "text" as const, cell: t as CsvCell })),
      fc.double().map((n) => ({ kind: "number" as const, cell: n as CsvCell })),
      fc
        .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }))
        .map(([n, d]) => ({ kind: "number" as const, cell: fixedCell(n, d) })),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 5 }),
        fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
        (rows, newline) => {
          const parsed = parse(
            writeCsv(
              ["x", "y"],
              rows.map((r) => r.map((c) => c.cell)),
              { newline },
            ),
            newline,
          );
          expect(parsed).toHaveLength(rows.length + 1);
          rows.forEach((row, r) => {
            row.forEach(({ kind, cell }, c) => {
              const back = parsed[r + 1]?.[c] as string;
              if (kind === "number") {
                // A number is written as a number: digits, at most a leading minus, or empty when not finite.
                expect(back).toMatch(/^(-?\d+(\.\d+)?(e[+-]\d+)?)?$/);
                if (typeof cell === "number" && Number.isFinite(cell)) expect(Number(back)).toBe(cell === 0 ? 0 : cell);
                return;
              }
              const original = cell as string;
              expect(FORMULA.test(back)).toBe(false);
              expect(FORMULA.test(original) ? back.slice(1) : back).toBe(original);
              if (FORMULA.test(original)) expect(back[0]).toBe("'");
            });
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
