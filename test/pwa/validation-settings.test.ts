import { describe, expect, it } from "vitest";
import { ValidationOptions } from "../../core/validate/validate.ts";
import { DEFAULT_SETTINGS, validationOptions } from "../../pwa/src/pages/validate/settings.ts";

describe("the validation the Validate page's settings ask for", () => {
  it("by default: each account 90 days before its outcome, the accounts with no outcome left out", () => {
    const options = validationOptions(DEFAULT_SETTINGS);
    expect(options).toEqual({ horizonDays: 90, listLimit: 50 });
    expect(ValidationOptions.safeParse(options).success).toBe(true);
  });

  it("one snapshot day, and the unlisted accounts as stayed in a period (an empty end is the outcomes' own)", () => {
    const options = validationOptions({
      horizon: { kind: "snapshot", day: "2025-06-30" },
      unlisted: "stayed",
      period: { from: "2025-01-01", to: "" },
    });
    expect(options).toEqual({ snapshotDay: "2025-06-30", listLimit: 50, unlisted: "stayed", periodFrom: "2025-01-01" });
    expect(ValidationOptions.safeParse(options).success).toBe(true);
  });

  it("waits while a day is still being typed, and ignores the period while the unlisted accounts are left out", () => {
    expect(validationOptions({ ...DEFAULT_SETTINGS, horizon: { kind: "snapshot", day: "2025-06" } })).toBeNull();
    expect(validationOptions({ ...DEFAULT_SETTINGS, unlisted: "not-renewed", period: { from: "", to: "202" } })).toBe(
      null,
    );
    expect(validationOptions({ ...DEFAULT_SETTINGS, period: { from: "2025-01-01", to: "" } })).toEqual({
      horizonDays: 90,
      listLimit: 50,
    });
  });
});
