import type { SameDayRule } from "./mapping.ts";

// Several values of one account, metric and day: the one value a same-day rule keeps, and the rows it did not keep
// with why.

/**
 * A row whose value was not imported as a value of its own: the same account, metric and day is on other rows, and
 * the metric's same-day rule made one value of them (summed, averaged, the last, lowest or highest kept, an NPS
 * worked out) or left it out (an NPS answer outside 0–10). `reason` names the metric, day and account, the line the
 * day's value stands on and the rule.
 */
export interface CombinedRow {
  line: number;
  reason: string;
}

/** A number as a reason shows it: at most 6 decimals, no float noise (0.1 + 0.2 reads 0.3). */
function shown(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

const isNpsAnswer = (v: number) => v >= 0 && v <= 10;

/**
 * The rows of one account, metric and day that a same-day rule did not keep as a value of their own, each with why:
 * `lines` and `values` in file order, `kept` the day's value (undefined: none, no valid NPS answer). The day's value
 * stands on one line: the last (`last`), the first holding the lowest or highest value (`min`, `max`), the first
 * (`sum`, `mean`) or the first valid answer (`nps`); the others are listed. A lone value is never listed, except an
 * NPS answer outside 0–10, which is left out.
 */
export function combinedRows(
  rule: SameDayRule,
  subject: string,
  lines: readonly number[],
  values: readonly number[],
  kept: number | undefined,
): CombinedRow[] {
  if (rule === "each") return [];
  const because = `(same-day rule "${rule}")`;
  const rows: CombinedRow[] = [];
  if (rule === "nps") {
    const home = values.findIndex(isNpsAnswer);
    values.forEach((v, j) => {
      const line = lines[j] as number;
      if (!isNpsAnswer(v))
        rows.push({
          line,
          reason: `${subject}: ${shown(v)} is not an NPS answer (0 to 10), so it is left out ${because}`,
        });
      else if (j !== home && kept !== undefined)
        rows.push({
          line,
          reason: `${subject}: counted with line ${lines[home]} in the day's NPS, ${shown(kept)} ${because}`,
        });
    });
    return rows;
  }
  if (lines.length < 2) return rows;
  const home =
    rule === "last" ? lines.length - 1 : rule === "min" || rule === "max" ? values.indexOf(kept as number) : 0;
  const homeLine = lines[home] as number;
  const total = `${lines.length} values`;
  const why: Record<Exclude<SameDayRule, "each" | "nps">, string> = {
    sum: `summed with line ${homeLine}: the day's value is ${shown(kept as number)}, the sum of ${total}`,
    mean: `averaged with line ${homeLine}: the day's value is ${shown(kept as number)}, the mean of ${total}`,
    last: `line ${homeLine} has the day's last value, ${shown(kept as number)}, which is kept`,
    min: `line ${homeLine} has the day's lowest value, ${shown(kept as number)}, which is kept`,
    max: `line ${homeLine} has the day's highest value, ${shown(kept as number)}, which is kept`,
  };
  lines.forEach((line, j) => {
    if (j !== home) rows.push({ line, reason: `${subject}: ${why[rule]} ${because}` });
  });
  return rows;
}

/** One day's value from several under a same-day rule (undefined: nothing to keep, e.g. no valid NPS answer). */
export function combine(rule: SameDayRule, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  switch (rule) {
    case "each":
    case "last":
      return values[values.length - 1];
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "mean":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "min":
      return Math.min(...values);
    case "max":
      return Math.max(...values);
    case "nps": {
      const valid = values.filter((v) => v >= 0 && v <= 10);
      if (valid.length === 0) return undefined;
      const promoters = valid.filter((v) => v >= 9).length;
      const detractors = valid.filter((v) => v <= 6).length;
      return ((promoters - detractors) / valid.length) * 100;
    }
  }
}
