import { describe, expect, it } from "vitest";
import { BadgeAccount } from "../../../core/schema/badge.ts";
import { accountUrl, badgeLabel, badgeText, deltaInWords, scoreInWords } from "../../../extension/badge/format.ts";
import { sparklinePath } from "../../../extension/badge/sparkline.ts";
import { account } from "../content/fake-background.ts";

const acme = (over: Parameters<typeof account>[0] extends infer T ? Partial<T> : never = {}) =>
  BadgeAccount.parse(account({ id: "acme", name: "Acme", ...over }));

describe("badge words", () => {
  it.each([
    ["points", "72 B"],
    ["grade", "B"],
    ["label", "Good"],
  ] as const)("shows the scorecard's preferred form %s, never the colour alone: %s", (form, text) => {
    expect(badgeText(acme({ form }))).toBe(text);
  });

  it("shows a dash, never 0, for an account without enough data", () => {
    const none = acme({ score: null, shown: null, grade: "—", color: "grey", label: "" });
    expect(badgeText(none)).toBe("—");
    expect(scoreInWords(none)).toBe("Not enough data");
  });

  it("says the score in all three forms and the change in words", () => {
    expect(scoreInWords(acme())).toBe("72 points, grade B, Good");
    expect(badgeLabel(acme({ delta: -3 }))).toBe("Vitals health of Acme: 72 points, grade B, Good, down 3 points");
    expect(deltaInWords(1)).toBe("up 1 point");
    expect(deltaInWords(0)).toBe("no change");
    expect(deltaInWords(null)).toBeUndefined();
  });

  it("links to the account's page in the PWA, only at a web address", () => {
    expect(accountUrl("http://localhost:5173/", "acme co/1")).toBe("http://localhost:5173/#/accounts/acme%20co%2F1");
    expect(accountUrl("https://vitals.example/app/#/old", "a")).toBe("https://vitals.example/app/#/accounts/a");
    expect(accountUrl("javascript:alert(1)//", "a")).toBeUndefined();
    expect(accountUrl("not a url", "a")).toBeUndefined();
    expect(accountUrl(undefined, "a")).toBeUndefined();
  });

  it("draws the sparkline bottom to top with a gap where a week had no score", () => {
    // 4 values over a 120 × 28 box: steps of 40; score 50 sits at y = 14, 100 at 0, 0 at 28.
    expect(sparklinePath([50, 100, null, 0], 120, 28)).toBe("M0.0 14.0L40.0 0.0M120.0 28.0");
    expect(sparklinePath([null, 70], 120, 28)).toBe("");
  });
});
