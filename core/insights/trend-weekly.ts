import type { Trend } from "./portfolio-view.ts";

/** Days in one point of the smoothed trend. */
export const WEEK_DAYS = 7;

/**
 * The dashboard's trend smoothed to one point per week: each point is the mean of the 7 daily values of the week
 * ending on its day, weeks counted back from the last day (so the newest point is the as-of day's week). Weekday
 * rhythms (fewer logins at weekends turning accounts yellow and back) cancel out within a week. A leading part week
 * of fewer than 7 days is left out; a day with no average score is skipped in its week's mean (NaN when all are).
 */
export function weeklyTrend(trend: Trend): Trend {
  const out: Trend = { days: [], average: [], green: [], yellow: [], red: [] };
  const length = trend.days.length;
  const mean = (values: readonly number[], from: number) => {
    let total = 0;
    let n = 0;
    for (let j = from; j < from + WEEK_DAYS; j++) {
      const v = values[j] as number;
      if (Number.isNaN(v)) continue;
      total += v;
      n++;
    }
    return n === 0 ? Number.NaN : total / n;
  };
  for (let end = length - 1; end - WEEK_DAYS + 1 >= 0; end -= WEEK_DAYS) {
    const from = end - WEEK_DAYS + 1;
    out.days.push(trend.days[end] as number);
    out.average.push(mean(trend.average, from));
    out.green.push(mean(trend.green, from));
    out.yellow.push(mean(trend.yellow, from));
    out.red.push(mean(trend.red, from));
  }
  out.days.reverse();
  out.average.reverse();
  out.green.reverse();
  out.yellow.reverse();
  out.red.reverse();
  return out;
}
