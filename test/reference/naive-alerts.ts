import type { AlertHit, AlertSubject, CompiledAlertRules, DailyScores } from "../../core/alerts/evaluate.ts";
import { bandTargetWords } from "../../core/alerts/rules.ts";
import type { AlertRule } from "../../core/schema/alert-rule.ts";
import { type Day, formatDay } from "../../core/schema/day.ts";
import type { Band } from "../../core/schema/scorecard.ts";
import { bandIndexFor, roundHalfUp } from "../../core/scoring/bands.ts";
import { percent } from "../../core/text/words.ts";

/**
 * The alert rules written the plain way, as a reference and the benchmark's baseline: every rule re-scans the
 * series for every day (the drop rule reads its whole window afresh each day, the band rule looks each day's band
 * up from the bands), then takes the run of holding days that ends on the as-of day.
 */
export function naiveAccountAlerts(
  c: CompiledAlertRules,
  subject: AlertSubject,
  daily: DailyScores,
  asOf: Day,
): AlertHit[] {
  const m = daily.scores.length;
  const at = (j: number) => {
    const s = daily.scores[j] as number;
    return Number.isNaN(s) ? null : Math.min(100, Math.max(0, roundHalfUp(s)));
  };
  const words = (p: number | null) => {
    if (p === null) return "no score (not enough data)";
    const band = c.bands[bandIndexFor(c.bands, p)] as Band;
    return `${p} (${band.grade}, ${band.label})`;
  };
  const plural = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;
  const now = m > 0 ? at(m - 1) : null;
  const hits: AlertHit[] = [];
  c.rules.forEach((rule: AlertRule, k) => {
    const push = (message: string, since: Day | null) =>
      hits.push({
        scorecardId: c.card.id,
        ruleId: rule.id,
        kind: rule.kind,
        accountId: subject.accountId,
        title: c.titles[k] as string,
        message,
        since: since === null ? null : formatDay(since),
      });
    if (rule.kind === "drop" || rule.kind === "band") {
      const holds: boolean[] = [];
      const peaks: number[] = [];
      for (let d = 0; d < m; d++) {
        const p = at(d);
        if (rule.kind === "drop") {
          let peak = -1;
          for (let e = Math.max(0, d - rule.withinDays); e < d; e++) {
            const q = at(e);
            if (q !== null && q >= (peak < 0 ? -1 : (at(peak) as number))) peak = e;
          }
          peaks.push(peak);
          holds.push(p !== null && peak >= 0 && (at(peak) as number) - p >= rule.points);
        } else {
          const band = p === null ? undefined : c.bands[bandIndexFor(c.bands, p)];
          holds.push(
            band !== undefined && (rule.grade !== undefined ? band.grade === rule.grade : band.color === rule.color),
          );
        }
      }
      if (m === 0 || !holds[m - 1]) return;
      let start = m - 1;
      while (start > 0 && holds[start - 1]) start--;
      if (rule.kind === "drop") {
        const peak = peaks[m - 1] as number;
        const from = at(peak) as number;
        push(
          `Score fell ${from - (now as number)} points in ${plural(m - 1 - peak)}, from ${from} on ${formatDay(daily.from + peak)} to ${now}`,
          daily.from + start,
        );
      } else {
        const target = bandTargetWords(rule, c.bands);
        push(
          start === 0
            ? `Score ${words(now)} has been in ${target} since at least ${formatDay(daily.from)}`
            : `Score entered ${target} on ${formatDay(daily.from + start)}; it is ${words(now)}`,
          daily.from + start,
        );
      }
    } else if (rule.kind === "factor") {
      const i = c.card.factors.findIndex((f) => f.id === rule.factorId);
      const n = i < 0 ? Number.NaN : (subject.factorN?.[i] ?? Number.NaN);
      if (!Number.isNaN(n) && n < rule.below) {
        const label = c.card.factors[i]?.label ?? rule.factorId;
        push(
          `${label} earns ${percent(n)} of its points on ${formatDay(asOf)}, below the ${percent(rule.below)} threshold`,
          null,
        );
      }
    } else if (rule.kind === "renewal") {
      if (subject.renewal === undefined) return;
      const left = subject.renewal - asOf;
      const green = now !== null && c.bands[bandIndexFor(c.bands, now)]?.color === "green";
      // No score (not enough data) raises nothing: it says nothing about the account's health.
      if (left < 0 || left > rule.withinDays || now === null || green) return;
      const when = left === 0 ? "" : `${plural(left)} after `;
      push(
        `Renews on ${formatDay(subject.renewal)}, ${when}the as-of day ${formatDay(asOf)}, while the score is ${words(now)}`,
        subject.renewal - rule.withinDays,
      );
    } else {
      // Gaps count up to the as-of day, or the data's last day when it is earlier (said once for the portfolio).
      const end = subject.dataEnd === undefined || subject.dataEnd > asOf ? asOf : subject.dataEnd;
      if (subject.lastData === undefined || end - subject.lastData < rule.days) return;
      push(
        `No new data for ${plural(end - subject.lastData)} up to ${formatDay(end)}; the last was on ${formatDay(subject.lastData)}`,
        subject.lastData + rule.days,
      );
    }
  });
  return hits;
}
