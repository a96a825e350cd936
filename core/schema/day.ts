/**
 * A calendar day as a whole number of days since 1970-01-01 (UTC). Scores are computed "as of a day", and
 * integer days make windows, deltas and history plain arithmetic with no time zones in the way.
 */
export type Day = number;

const MS_PER_DAY = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` into a Day; returns undefined for anything else, including impossible dates (2025-02-30). */
export function parseIsoDay(text: string): Day | undefined {
  const match = ISO_DAY.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a real date reads back the same.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return ms / MS_PER_DAY;
}

/**
 * The calendar day a moment falls on where the user is (the runtime's time zone), as a Day. "Today" is always
 * this: a UTC day (toISOString) is already tomorrow in the evening west of Greenwich, and yesterday in the early
 * morning east of it.
 */
export function localDay(now: Date): Day {
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / MS_PER_DAY;
}

/**
 * The day a moment falls on where the user is, as `YYYY-MM-DD`: a Date, or a stored ISO timestamp
 * ("2026-12-07T03:00:00.000Z", which its first ten characters would date in UTC). Today is `localIsoDay(new Date())`.
 */
export function localIsoDay(at: Date | string): string {
  return formatDay(localDay(typeof at === "string" ? new Date(at) : at));
}

/** The `YYYY-MM-DD` day `days` after another (before it when negative): calendar days, whatever the time zone. */
export function addDays(isoDay: string, days: number): string {
  const day = parseIsoDay(isoDay);
  if (day === undefined) throw new Error(`"${isoDay}" is not a day (YYYY-MM-DD)`);
  return formatDay(day + days);
}

/** Formats a Day as `YYYY-MM-DD`. */
export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
