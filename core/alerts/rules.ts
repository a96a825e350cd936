import { type AlertRule, DEFAULT_ALERT_RULES } from "../schema/alert-rule.ts";
import type { Band, Scorecard } from "../schema/scorecard.ts";
import { sortBands } from "../scoring/bands.ts";
import { percent } from "../text/words.ts";

/** A scorecard's alert rules: its own list, or the defaults when it has none. */
export function alertRulesOf(card: Scorecard): readonly AlertRule[] {
  return card.alerts ?? DEFAULT_ALERT_RULES;
}

/** The bands a band rule matches, in words: "the red band" (one red band) or "a red band", or "grade D (At risk)". */
export function bandTargetWords(rule: Extract<AlertRule, { kind: "band" }>, bands: readonly Band[]): string {
  if (rule.grade !== undefined) {
    const band = bands.find((b) => b.grade === rule.grade);
    return band ? `grade ${band.grade} (${band.label})` : `grade ${rule.grade}`;
  }
  const count = bands.filter((b) => b.color === rule.color).length;
  return `${count === 1 ? "the" : "a"} ${rule.color} band`;
}

/** A rule in words, as the inbox and the play editor name it ("Score fell 10 points or more within 30 days"). */
export function describeRule(rule: AlertRule, card: Scorecard): string {
  switch (rule.kind) {
    case "drop":
      return `Score fell ${rule.points} points or more within ${rule.withinDays} days`;
    case "band":
      return `Score entered ${bandTargetWords(rule, sortBands(card.bands))}`;
    case "factor": {
      const factor = card.factors.find((f) => f.id === rule.factorId);
      return `${factor?.label ?? rule.factorId} below ${percent(rule.below)} of its points`;
    }
    case "renewal":
      return `Renewal within ${rule.withinDays} days while not green`;
    case "noData":
      return `No new data for ${rule.days} days`;
  }
}
