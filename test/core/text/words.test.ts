import { describe, expect, it } from "vitest";
import { count, percent, plural } from "../../../core/text/words.ts";

describe("numbers in words", () => {
  it("groups thousands and picks the noun by count", () => {
    expect(count(12345)).toBe("12,345");
    expect(plural(1, "account")).toBe("1 account");
    expect(plural(2, "person", "people")).toBe("2 people");
  });

  it("rounds a share to whole percent, or to the digits asked for", () => {
    expect(percent(0.254)).toBe("25%");
    expect(percent(0.2546, 1)).toBe("25.5%");
    expect(percent(1)).toBe("100%");
    expect(percent(0)).toBe("0%");
    expect(percent(null)).toBe("—");
  });

  it("never shows a share short of all as 100%, or a share above none as 0%", () => {
    // 7,032 of 7,043 accounts: 99.84…%, which whole-percent rounding would show as 100%.
    expect(percent(7032 / 7043)).toBe("99.8%");
    expect(percent(0.9996)).toBe("99.96%");
    expect(percent(3 / 1000)).toBe("0.3%");
    expect(percent(0.00004)).toBe("0.004%");
    // Past three more decimals it stops: 99.99996% is shown as 100.000%, not as a long row of nines.
    expect(percent(0.9999996)).toBe("100.000%");
  });
});
