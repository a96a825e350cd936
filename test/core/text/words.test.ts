import { describe, expect, it } from "vitest";
import { count, dollars, grouped, percent, plural } from "../../../core/text/words.ts";

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

/**
 * grouped and dollars write numbers without Intl (a cold start's first screen must not load Intl's locale data), so
 * they are held here to exactly what Intl writes, on numbers chosen for their edges and on thousands of random ones.
 */
describe("numbers as Intl's en-US format writes them, without Intl", () => {
  const intl = (n: number, digits: number) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
  const usd = (n: number) =>
    n.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
  const edges = [
    0,
    -0,
    1,
    -1,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    0.05,
    0.005,
    0.0005,
    1.005,
    1.0005,
    1.0045,
    9.995,
    9.9995,
    99.5,
    999.5,
    999.9995,
    1234.5,
    12345.678,
    123456.789,
    -98765.4321,
    1e6,
    1234567.891,
    0.1 + 0.2,
    1 / 3,
    2 / 3,
    1e-7,
    5e-7,
    123456789012345,
    2 ** 53,
    999999999999999.9,
    1e20,
    1.5e20,
    1e21,
    1e25,
    12.34e-5,
    Number.NaN,
    Infinity,
    -Infinity,
    Number.MAX_SAFE_INTEGER + 0.5,
    0.9995,
    0.99949,
    19.999,
    1000000.5,
    -1000000.5,
  ];
  it("writes the edge cases as Intl does, at 0 to 3 decimals", () => {
    for (const n of edges) {
      for (const digits of [0, 1, 2, 3]) expect(grouped(n, digits), `${n} at ${digits}`).toBe(intl(n, digits));
      expect(count(n), `count ${n}`).toBe(n.toLocaleString("en-US"));
      expect(dollars(n), `dollars ${n}`).toBe(usd(n));
    }
  });
  it("writes random numbers of every size as Intl does", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const scale = 10 ** Math.floor(random() * 16 - 4);
      const n = (random() - 0.3) * scale;
      const rounded = Math.round(n * 1000) / 1000;
      for (const value of [n, rounded, Math.round(n)]) {
        for (const digits of [0, 1, 2, 3])
          expect(grouped(value, digits), `${value} at ${digits}`).toBe(intl(value, digits));
        expect(dollars(value), `dollars ${value}`).toBe(usd(value));
      }
    }
  });
});
