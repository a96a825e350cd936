import { describe, expect, it } from "vitest";
import { formatDay, IsoDay, parseIsoDay } from "../../../core/schema/day.ts";

describe("calendar days", () => {
  it("count days since 1970-01-01", () => {
    expect(parseIsoDay("1970-01-01")).toBe(0);
    expect(parseIsoDay("1970-01-02")).toBe(1);
    // 2024 is a leap year: 2024-02-29 exists and 2024-03-01 is the next day.
    expect(parseIsoDay("2024-03-01")).toBe((parseIsoDay("2024-02-29") ?? Number.NaN) + 1);
    // 2025-01-01 is 55 years after 1970 with 14 leap days between: 55*365 + 14 = 20089.
    expect(parseIsoDay("2025-01-01")).toBe(20089);
  });

  it("round-trip through YYYY-MM-DD", () => {
    for (const text of ["1999-12-31", "2000-02-29", "2025-03-01", "2031-07-15"]) {
      const day = parseIsoDay(text);
      expect(day).toBeTypeOf("number");
      expect(formatDay(day ?? Number.NaN)).toBe(text);
    }
  });

  it.each(["2025-02-30", "2025-13-01", "2023-02-29", "2025-3-1", "03/01/2025", "", "2025-03-01T00:00:00Z"])(
    "reject %j",
    (text) => {
      expect(parseIsoDay(text)).toBeUndefined();
      const result = IsoDay.safeParse(text);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe("expected a date as YYYY-MM-DD (e.g. 2025-03-01)");
    },
  );
});
