import { Account } from "../../core/schema/account.ts";
import type { Outcome } from "../../core/schema/observation.ts";
import { buildPortfolio } from "../../core/scoring/series.ts";
import { mulberry32 } from "../../core/validate/random.ts";

/** The day every outcome of `knownStructure` is on. */
export const KNOWN_DAY = "2026-01-31";

/**
 * Accounts whose churn depends on known effects, for the scorecard builder's tests: on the log-odds scale, the
 * `intercept`, the plan (Basic +1, Pro 0, Premium −1), usage ≤ 30 (+1.2) and a sponsor (`sponsor`, negative: it
 * protects). Each account has a plan and the attributes `usage` (0–100) and `sponsor`; the same seed gives the same
 * accounts and outcomes.
 */
export function knownStructure(count: number, seed: number, effects: { intercept: number; sponsor: number }) {
  const rand = mulberry32(seed);
  const accounts = [];
  const outcomes: Outcome[] = [];
  for (let k = 0; k < count; k++) {
    const plan = ["Basic", "Pro", "Premium"][Math.floor(rand() * 3)] as string;
    const usage = Math.round(rand() * 100);
    const sponsor = rand() < 0.5;
    const eta =
      effects.intercept +
      (plan === "Basic" ? 1 : plan === "Premium" ? -1 : 0) +
      (usage <= 30 ? 1.2 : 0) +
      (sponsor ? effects.sponsor : 0);
    const churned = rand() < 1 / (1 + Math.exp(-eta));
    accounts.push(Account.parse({ id: `a${k}`, name: `A ${k}`, plan, attributes: { usage, sponsor } }));
    outcomes.push({ accountId: `a${k}`, day: KNOWN_DAY, kind: churned ? "churned" : "renewed" });
  }
  return { portfolio: buildPortfolio(accounts, []), outcomes };
}
