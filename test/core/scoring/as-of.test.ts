import { describe, expect, it } from "vitest";
import type { Account } from "../../../core/schema/account.ts";
import { type Day, parseIsoDay } from "../../../core/schema/day.ts";
import {
  DEFAULT_AS_OF,
  dataExtent,
  lastDataDays,
  ratingCountsOn,
  resolveAsOf,
  restoreAsOfSetting,
  withRatings,
} from "../../../core/scoring/as-of.ts";
import { buildPortfolio } from "../../../core/scoring/series.ts";

const day = (iso: string) => parseIsoDay(iso) as Day;
const accounts = [{ id: "a1", name: "One" } as Account, { id: "a2", name: "Two" } as Account];
const imported = buildPortfolio(accounts, [
  { accountId: "a1", metric: "logins", day: "2024-12-01", value: 5 },
  { accountId: "a1", metric: "logins", day: "2024-12-31", value: 7 },
  { accountId: "a2", metric: "logins", day: "2024-11-20", value: 3 },
  { accountId: "a2", metric: "csm_sentiment", day: "2024-12-31", value: 3 },
]);
const END = day("2024-12-31");
const TODAY = day("2026-12-06");

describe("as-of resolution", () => {
  it("defaults to the data's last day; today and a chosen day are settings", () => {
    expect(resolveAsOf(DEFAULT_AS_OF, END, TODAY)).toEqual({ asOf: END, followsToday: false });
    expect(resolveAsOf({ mode: "today" }, END, TODAY)).toEqual({ asOf: TODAY, followsToday: true });
    expect(resolveAsOf({ mode: "day", day: "2024-06-30" }, END, TODAY)).toEqual({
      asOf: day("2024-06-30"),
      followsToday: false,
    });
  });
  it("is today when nothing is imported, and never after today when the data runs past it", () => {
    expect(resolveAsOf(DEFAULT_AS_OF, null, TODAY)).toEqual({ asOf: TODAY, followsToday: true });
    expect(resolveAsOf(DEFAULT_AS_OF, day("2027-01-01"), TODAY)).toEqual({ asOf: TODAY, followsToday: true });
  });
  it("reads a stored setting back, and anything unreadable as the default", () => {
    expect(restoreAsOfSetting({ mode: "day", day: "2024-06-30" })).toEqual({ mode: "day", day: "2024-06-30" });
    expect(restoreAsOfSetting(undefined)).toEqual(DEFAULT_AS_OF);
    expect(restoreAsOfSetting({ mode: "day", day: "2024-02-30" })).toEqual(DEFAULT_AS_OF);
    expect(restoreAsOfSetting("today")).toEqual(DEFAULT_AS_OF);
  });
  it("the data's extent: the last day over every metric, and each metric's first and last day", () => {
    expect(dataExtent(imported)).toEqual({
      last: END,
      metrics: [
        { metric: "csm_sentiment", first: END, last: END, observations: 1, accounts: 1 },
        { metric: "logins", first: day("2024-11-20"), last: END, observations: 3, accounts: 2 },
      ],
    });
    expect(dataExtent(buildPortfolio(accounts, []))).toEqual({ last: null, metrics: [] });
  });
  it("each account's last data on or before a day", () => {
    expect(Array.from(lastDataDays(imported, END))).toEqual([END, END]);
    expect(Array.from(lastDataDays(imported, day("2024-12-30")))).toEqual([day("2024-12-01"), day("2024-11-20")]);
    expect(Array.from(lastDataDays(imported, day("2024-01-01")))).toEqual([-1, -1]);
  });
});

describe("ratings made after the data's last day", () => {
  it("count on the as-of day when it is at or after the data's last day, and on their own day otherwise", () => {
    expect(ratingCountsOn(TODAY, END, END)).toBe(END);
    expect(ratingCountsOn(TODAY, day("2025-06-30"), END)).toBe(day("2025-06-30"));
    expect(ratingCountsOn(day("2025-06-30"), TODAY, END)).toBe(day("2025-06-30"));
    // A day in the past chosen to look back: a later rating stays after it, so it is not read (no leakage).
    expect(ratingCountsOn(TODAY, day("2024-06-30"), END)).toBe(TODAY);
    expect(ratingCountsOn(day("2024-12-10"), END, END)).toBe(day("2024-12-10"));
  });
  it("are merged into the rated metric only: the latest made wins its day and replaces an imported value there", () => {
    const ratings = [
      { account: 1, metric: "csm_sentiment", day: day("2026-01-05"), value: 2 },
      { account: 1, metric: "csm_sentiment", day: day("2026-12-06"), value: 5 },
      { account: 1, metric: "csm_sentiment", day: day("2026-03-01"), value: 1 },
      { account: 0, metric: "csm_sentiment", day: day("2024-12-10"), value: 4 },
    ];
    const scored = withRatings(imported, ratings, END, END);
    expect(scored.series.get("logins")).toBe(imported.series.get("logins"));
    const s = scored.series.get("csm_sentiment");
    if (!s) throw new Error("no sentiment series");
    expect(Array.from(s.offsets)).toEqual([0, 1, 2]);
    expect(Array.from(s.days)).toEqual([day("2024-12-10"), END]);
    // a2: the rating made on 2026-12-06 (the latest) replaces the imported 3 on the as-of day.
    expect(Array.from(s.values)).toEqual([4, 5]);
    // Unchanged input: the imported portfolio is not modified.
    expect(Array.from(imported.series.get("csm_sentiment")?.values ?? [])).toEqual([3]);
    // As of a past day, the later ratings stay on their own days.
    const past = withRatings(imported, ratings, day("2024-06-30"), END).series.get("csm_sentiment");
    expect(Array.from(past?.days ?? [])).toEqual([
      day("2024-12-10"),
      END,
      day("2026-01-05"),
      day("2026-03-01"),
      day("2026-12-06"),
    ]);
  });
});
