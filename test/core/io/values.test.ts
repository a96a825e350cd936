import { describe, expect, it } from "vitest";
import { headerKey, parseBooleanCell, parseDateCell, parseNumberCell } from "../../../core/io/values.ts";
import { parseIsoDay } from "../../../core/schema/day.ts";

const value = <T>(cell: { ok: boolean; value?: T | null; reason?: string }) =>
  cell.ok ? cell.value : `error: ${cell.reason}`;

describe("number cells as exports write them", () => {
  it.each([
    ["1234.5", 1234.5],
    ["1,234.50", 1234.5],
    ["$1,234,567", 1234567],
    ["€ 99", 99],
    ["12 500 USD", 12500],
    ["85%", 85],
    ["(300.25)", -300.25],
    ["-42", -42],
    ["−7", -7],
    ["+3", 3],
    [".5", 0.5],
    ["", null],
    ["  ", null],
    ["N/A", null],
    ["-", null],
  ])("reads %j as %j with a decimal point", (text, expected) => {
    expect(value(parseNumberCell(text))).toBe(expected);
  });

  it.each([
    ["1.234,50", 1234.5],
    ["1234,5", 1234.5],
    ["12.000 €", 12000],
    ["0,75", 0.75],
  ])("reads %j as %j with a decimal comma", (text, expected) => {
    expect(value(parseNumberCell(text, ","))).toBe(expected);
  });

  it.each([["12abc"], ["1,23"], ["1.2.3"], ["--5"], ["$"]])("refuses %j, saying what was expected", (text) => {
    expect(value(parseNumberCell(text))).toBe(`error: "${text}" is not a number (expected e.g. 1234.5 or 1,234.5)`);
  });
  it("refuses a number past 10^15 either way (sums over a window would lose units or overflow)", () => {
    const huge = `1${"0".repeat(300)}`;
    expect(value(parseNumberCell(huge))).toBe(
      `error: "${huge}" is too large (numbers must be between -10^15 and 10^15)`,
    );
    expect(value(parseNumberCell(`-${huge}`))).toMatch(/too large/);
    expect(value(parseNumberCell("1000000000000000"))).toBe(1e15);
    expect(value(parseNumberCell("-1,000,000,000,000,000"))).toBe(-1e15);
  });
});

describe("yes/no cells", () => {
  it("reads TRUE/FALSE, Yes/No, Y/N and 1/0 in any case", () => {
    expect(["TRUE", "false", "Yes", "no", "Y", "n", "1", "0", ""].map((t) => value(parseBooleanCell(t)))).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      null,
    ]);
  });
  it("refuses anything else", () => {
    expect(value(parseBooleanCell("maybe"))).toBe('error: "maybe" is not yes/no (expected TRUE/FALSE, Yes/No or 1/0)');
  });
});

describe("date cells in the mapping's format", () => {
  const oct16 = parseIsoDay("2024-10-16");
  it.each([
    ["2024-10-16", "YYYY-MM-DD"],
    ["2024-10-16 14:03:00", "YYYY-MM-DD"],
    ["2024-10-16T23:59:00-08:00", "YYYY-MM-DD"],
    ["10/16/2024", "MM/DD/YYYY"],
    ["16/10/2024", "DD/MM/YYYY"],
    ["16.10.2024", "DD.MM.YYYY"],
    ["6.1.2024", "DD.MM.YYYY"],
  ] as const)("reads %j as %s", (text, format) => {
    const expected = text === "6.1.2024" ? parseIsoDay("2024-01-06") : oct16;
    expect(value(parseDateCell(text, format))).toBe(expected);
  });
  it("refuses a date in another format, naming the expected one", () => {
    expect(value(parseDateCell("16.10.2024", "MM/DD/YYYY"))).toBe(
      'error: "16.10.2024" is not a date in the format MM/DD/YYYY',
    );
    expect(value(parseDateCell("13/16/2024", "MM/DD/YYYY"))).toBe(
      'error: "13/16/2024" is not a real date (MM/DD/YYYY)',
    );
    expect(value(parseDateCell("02/30/2025", "MM/DD/YYYY"))).toBe(
      'error: "02/30/2025" is not a real date (MM/DD/YYYY)',
    );
  });
});

describe("header matching", () => {
  it("ignores case, BOM, spaces, underscores and dashes", () => {
    expect(["\uFEFFAccount ID", "account_id", "ACCOUNT-ID", "accountId"].map(headerKey)).toEqual([
      "accountid",
      "accountid",
      "accountid",
      "accountid",
    ]);
  });
});
