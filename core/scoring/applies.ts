import { type Account, type AttributeValue, attributeOf } from "../schema/account.ts";
import { parseIsoDay } from "../schema/day.ts";
import type { Condition, Scorecard } from "../schema/scorecard.ts";
import { toNumber } from "./normalize.ts";

/** Equality as a CSM means it: text ignores case and surrounding spaces; "12" equals 12. */
function sameValue(a: AttributeValue | undefined, b: AttributeValue): boolean {
  if (a === undefined) return false;
  if (typeof a === "string" && typeof b === "string") return a.trim().toLowerCase() === b.trim().toLowerCase();
  if (typeof a === "number" || typeof b === "number") return toNumber(a) === toNumber(b);
  return a === b;
}

/** Whether one condition holds for an account on a day (only tenure depends on the day). */
export function conditionHolds(condition: Condition, account: Account, day: number): boolean {
  switch (condition.kind) {
    case "equals":
      return sameValue(attributeOf(account, condition.attribute), condition.value);
    case "in": {
      const value = attributeOf(account, condition.attribute);
      return condition.values.some((v) => sameValue(value, v));
    }
    case "range": {
      const v = toNumber(attributeOf(account, condition.attribute));
      if (Number.isNaN(v)) return false;
      return (condition.min === undefined || v >= condition.min) && (condition.max === undefined || v <= condition.max);
    }
    case "stage":
      return account.stage !== undefined && condition.stages.some((s) => sameValue(account.stage, s));
    case "tenure": {
      const start = account.startDate === undefined ? undefined : parseIsoDay(account.startDate);
      if (start === undefined) return false;
      const tenure = day - start;
      return (
        tenure >= 0 &&
        (condition.minDays === undefined || tenure >= condition.minDays) &&
        (condition.maxDays === undefined || tenure <= condition.maxDays)
      );
    }
  }
}

/** Whether a scorecard applies to an account on a day: every `appliesTo` condition holds (none means all accounts). */
export function appliesTo(card: Scorecard, account: Account, day: number): boolean {
  return card.appliesTo.every((c) => conditionHolds(c, account, day));
}

/**
 * Orders scorecards for choosing the primary score: highest priority first, ties broken by id so the choice
 * never depends on the order scorecards were loaded in.
 */
export function byPriority(a: Scorecard, b: Scorecard): number {
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
