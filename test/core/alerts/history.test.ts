import { describe, expect, it } from "vitest";
import { type AlertSubject, compileAlertRules, evaluateAccountAlerts } from "../../../core/alerts/evaluate.ts";
import { alertHoldDays, yearlyRenewals } from "../../../core/alerts/history.ts";
import type { AlertRule } from "../../../core/schema/alert-rule.ts";
import { type Day, parseIsoDay } from "../../../core/schema/day.ts";
import { Scorecard } from "../../../core/schema/scorecard.ts";
import { mulberry32 } from "../../../core/validate/random.ts";

const FROM = parseIsoDay("2025-01-01") as Day;
const RULES: AlertRule[] = [
  { id: "drop", kind: "drop", points: 12, withinDays: 7 },
  { id: "red", kind: "band", color: "red" },
  { id: "grade-c", kind: "band", grade: "C" },
  { id: "renewal", kind: "renewal", withinDays: 10 },
  { id: "quiet", kind: "noData", days: 6 },
  { id: "low-usage", kind: "factor", factorId: "usage", below: 0.3 },
];
const card = Scorecard.parse({
  id: "c",
  name: "C",
  factors: [
    {
      id: "usage",
      label: "Usage",
      weight: 1,
      source: { kind: "metric", metric: "usage", aggregation: "last" },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
  ],
  alerts: RULES,
});

describe("alertHoldDays", () => {
  it("holds on a day exactly when the inbox's evaluation as of that day raises the rule (random histories)", () => {
    const compiled = compileAlertRules(card);
    const random = mulberry32(15);
    for (let trial = 0; trial < 200; trial++) {
      const m = 20 + Math.floor(random() * 40);
      // Scores that wander, with gaps (no score) and jumps, so every rule holds on some days and not on others.
      const scores = new Float32Array(m);
      let s = 30 + random() * 60;
      for (let j = 0; j < m; j++) {
        s = Math.min(100, Math.max(0, s + (random() - 0.5) * 16 + (random() < 0.05 ? -25 : 0)));
        scores[j] = random() < 0.08 ? Number.NaN : s;
      }
      const n = Float64Array.from(scores, (v) => (random() < 0.1 ? Number.NaN : v / 100));
      const dataDays = Int32Array.from(Array.from({ length: m }, (_, j) => FROM + j).filter(() => random() < 0.4));
      const renewals = random() < 0.8 ? [FROM + Math.floor(random() * m), FROM + m + Math.floor(random() * 20)] : [];
      renewals.sort((a, b) => a - b);
      const dataEnd = random() < 0.5 ? FROM + Math.floor(random() * m) : undefined;
      const start = Math.floor(random() * 10);
      const holds = alertHoldDays(
        compiled,
        { renewals, dataDays, ...(dataEnd !== undefined ? { dataEnd } : {}), factorN: [n] },
        { from: FROM, scores },
        start,
      );
      for (let j = start; j < m; j++) {
        const d = FROM + j;
        const last = [...dataDays].filter((x) => x <= d).at(-1);
        const renewal = renewals.find((r) => r >= d);
        const subject: AlertSubject = {
          accountId: "a",
          ...(renewal !== undefined ? { renewal } : {}),
          ...(last !== undefined ? { lastData: last } : {}),
          ...(dataEnd !== undefined ? { dataEnd } : {}),
          factorN: [n[j] as number],
        };
        const raised = new Set(
          evaluateAccountAlerts(compiled, subject, { from: FROM, scores: scores.subarray(0, j + 1) }, d).map(
            (h) => h.ruleId,
          ),
        );
        RULES.forEach((rule, k) => {
          expect(holds[k]?.[j - start] === 1, `trial ${trial}, day ${j}, rule ${rule.id}`).toBe(raised.has(rule.id));
        });
      }
    }
  });

  it("reads a renewal date on record as the same day in earlier years back to a day", () => {
    const day = (iso: string) => parseIsoDay(iso) as Day;
    expect(yearlyRenewals("2026-03-21", day("2024-01-01"))).toEqual([
      day("2024-03-21"),
      day("2025-03-21"),
      day("2026-03-21"),
    ]);
    // Feb 29 falls back to Feb 28 in common years.
    expect(yearlyRenewals("2028-02-29", day("2026-06-01"))).toEqual([day("2027-02-28"), day("2028-02-29")]);
    expect(yearlyRenewals(undefined, day("2024-01-01"))).toEqual([]);
  });
});
