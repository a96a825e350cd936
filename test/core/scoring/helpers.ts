import { Account, type AccountInput } from "../../../core/schema/account.ts";
import { formatDay, parseIsoDay } from "../../../core/schema/day.ts";
import type { Observation } from "../../../core/schema/observation.ts";
import { Scorecard, type ScorecardInput } from "../../../core/schema/scorecard.ts";
import { buildPortfolio, type PortfolioData } from "../../../core/scoring/series.ts";

/** 2025-03-01, the as-of day of most golden tests. */
export const D0 = parseIsoDay("2025-03-01") as number;

/** The ISO day `offset` days from D0. */
export const day = (offset: number): string => formatDay(D0 + offset);

/** An account with defaults filled in. */
export const account = (input: Partial<AccountInput> & { id: string }): Account =>
  Account.parse({ name: input.id.toUpperCase(), ...input });

/** Observations of one metric for one account: [dayOffset, value] pairs. */
export const obs = (accountId: string, metric: string, points: [number, number][]): Observation[] =>
  points.map(([offset, value]) => ({ accountId, metric, day: day(offset), value }));

/** A scorecard parsed with defaults. */
export const card = (input: Partial<ScorecardInput> & Pick<ScorecardInput, "factors">): Scorecard =>
  Scorecard.parse({ id: "test", name: "Test", ...input });

/** A portfolio from accounts and observations. */
export const portfolio = (accounts: Account[], observations: Observation[] = []): PortfolioData =>
  buildPortfolio(accounts, observations);
