import { afterEach, describe, expect, it } from "vitest";
import { addDays, formatDay, localDay, localIsoDay, parseIsoDay } from "../../../core/schema/day.ts";
import { IsoDay } from "../../../core/schema/iso-day.ts";

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

describe("today (localDay)", () => {
  // Node reads TZ afresh whenever it is assigned, so each case runs in the zone it names.
  const zoneBefore = process.env.TZ;
  afterEach(() => {
    if (zoneBefore === undefined) delete process.env.TZ;
    else process.env.TZ = zoneBefore;
  });
  const todayIn = (zone: string, moment: string): string => {
    process.env.TZ = zone;
    return formatDay(localDay(new Date(moment)));
  };

  it("is the day on the user's calendar, not the UTC day", () => {
    // 03:00 UTC on 7 December is 19:00 on 6 December in Los Angeles (UTC−8) and 12:00 on the 7th in Tokyo (UTC+9).
    expect(todayIn("America/Los_Angeles", "2026-12-07T03:00:00Z")).toBe("2026-12-06");
    expect(todayIn("Asia/Tokyo", "2026-12-07T03:00:00Z")).toBe("2026-12-07");
    // 22:30 UTC on 31 December is already 1 January in Auckland (UTC+13 in summer): a new year, east of Greenwich.
    expect(todayIn("Pacific/Auckland", "2026-12-31T22:30:00Z")).toBe("2027-01-01");
    expect(todayIn("UTC", "2026-12-31T22:30:00Z")).toBe("2026-12-31");
  });

  it("dates a stored timestamp on the user's calendar too (localIsoDay), where its first ten characters are UTC's", () => {
    const at = "2026-12-07T03:00:00.000Z";
    process.env.TZ = "America/Los_Angeles";
    expect(localIsoDay(at)).toBe("2026-12-06");
    expect(localIsoDay(new Date(at))).toBe("2026-12-06");
    process.env.TZ = "Asia/Tokyo";
    expect(localIsoDay(at)).toBe("2026-12-07");
    process.env.TZ = "UTC";
    expect(localIsoDay(at)).toBe(at.slice(0, 10));
  });

  it("counts whole days across a daylight-saving change", () => {
    // New York moves its clocks forward on 8 March 2026: the local midnights around it are 23 hours apart.
    const before = todayIn("America/New_York", "2026-03-08T04:59:00Z"); // 23:59 on the 7th (EST)
    const after = todayIn("America/New_York", "2026-03-09T04:01:00Z"); // 00:01 on the 9th (EDT)
    expect([before, after]).toEqual(["2026-03-07", "2026-03-09"]);
    process.env.TZ = "America/New_York";
    expect(localDay(new Date("2026-03-09T04:01:00Z")) - localDay(new Date("2026-03-08T04:59:00Z"))).toBe(2);
  });
});

describe("addDays", () => {
  it("counts calendar days across months, leap days and years, in any time zone", () => {
    const zoneBefore = process.env.TZ;
    try {
      for (const zone of ["UTC", "America/New_York", "Pacific/Auckland"]) {
        process.env.TZ = zone;
        expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
        expect(addDays("2026-03-07", 2)).toBe("2026-03-09"); // across New York's change to summer time
        expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
        expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
      }
    } finally {
      if (zoneBefore === undefined) delete process.env.TZ;
      else process.env.TZ = zoneBefore;
    }
  });

  it("refuses what is not a day", () => {
    expect(() => addDays("2025-02-30", 1)).toThrow('"2025-02-30" is not a day (YYYY-MM-DD)');
  });
});
