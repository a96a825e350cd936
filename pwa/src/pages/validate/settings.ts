import type { ValidationOptionsInput } from "../../../../core/validate/validate.ts";

/** How far before its outcome each account is scored, in days; or one snapshot day for every account. */
export const HORIZONS = [30, 60, 90, 180, 365] as const;
export type Horizon = { kind: "days"; days: number } | { kind: "snapshot"; day: string };
/** What the accounts with no outcome row in the period are (issue 13): left out, stayed, or did not renew. */
export type Unlisted = "leave-out" | "stayed" | "not-renewed";
export const UNLISTED_WORDS: Record<Unlisted, string> = {
  "leave-out": "left out (default)",
  stayed: "stayed (no churn event means they stayed)",
  "not-renewed": "did not renew (renewal date in the period, no row)",
};
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** What the Validate page asks: when to score each account, and what the accounts with no outcome are, when. */
export interface ValidationSettings {
  horizon: Horizon;
  unlisted: Unlisted;
  /** The period's days as typed ("" is the outcomes' own first or last day). */
  period: { from: string; to: string };
}

export const DEFAULT_SETTINGS: ValidationSettings = {
  horizon: { kind: "days", days: 90 },
  unlisted: "leave-out",
  period: { from: "", to: "" },
};

/** Cases each list of the report shows (the misses, the false alarms). */
const LIST_LIMIT = 50;

/**
 * The validation the settings ask for, or null while a day in them is still being typed (a snapshot or period day
 * that is not yet a whole YYYY-MM-DD: nothing runs until it is).
 */
export function validationOptions(s: ValidationSettings): ValidationOptionsInput | null {
  if (s.horizon.kind === "snapshot" && !isDay(s.horizon.day)) return null;
  const { from, to } = s.period;
  if ((from !== "" && !isDay(from)) || (to !== "" && !isDay(to))) return null;
  const population =
    s.unlisted === "leave-out"
      ? {}
      : { unlisted: s.unlisted, ...(from ? { periodFrom: from } : {}), ...(to ? { periodTo: to } : {}) };
  return s.horizon.kind === "days"
    ? { horizonDays: s.horizon.days, listLimit: LIST_LIMIT, ...population }
    : { snapshotDay: s.horizon.day, listLimit: LIST_LIMIT, ...population };
}
