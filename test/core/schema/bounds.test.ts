import { describe, expect, it } from "vitest";
import { bounded, shown } from "../../../core/schema/bounds.ts";

describe("how a bound reads in a message", () => {
  it("writes whole numbers with thousands separators, decimals up to 6 places, and 10^n from a billion", () => {
    expect([0, 1, -1, 999, 1000, -1000, 36_600, 999_999_999].map(shown)).toEqual([
      "0",
      "1",
      "-1",
      "999",
      "1,000",
      "-1,000",
      "36,600",
      "999,999,999",
    ]);
    expect([0.5, -0.25, 0.1234567, 12_345.678, 0.000001].map(shown)).toEqual([
      "0.5",
      "-0.25",
      "0.123457",
      "12,345.678",
      "0.000001",
    ]);
    expect([1e9, 1e15, -1e15].map(shown)).toEqual(["10^9", "10^15", "-10^15"]);
  });

  it("names the field and the range when a value is out of it", () => {
    const result = bounded("weight", 0, 1000).safeParse(1500);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("weight must be between 0 and 1,000");
  });
});
