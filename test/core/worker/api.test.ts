import { describe, expect, it } from "vitest";
import { formatDay } from "../../../core/schema/day.ts";
import type { ScorecardInput } from "../../../core/schema/scorecard.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { scoreHistory, scorePortfolio } from "../../../core/scoring/engine.ts";
import { createScoringApi, type ScoringState } from "../../harness/api.ts";
import { generateSynthetic, SYNTHETIC_END } from "../../harness/synthetic.ts";

/** A loaded API over a mixed synthetic portfolio (so all three default scorecards apply to some accounts). */
async function loadedApi(accounts = 300) {
  const state: ScoringState = {};
  const api = createScoringApi(state);
  const data = generateSynthetic({ accounts, metrics: 10, days: 200 }, 5, { mix: "mixed" });
  await api.load(data.accounts, data.metrics);
  return { api, state, data };
}

describe("scoring API (worker side, run in Node)", () => {
  it("score returns exactly what the engine's scorePortfolio computes", async () => {
    const { api, state } = await loadedApi();
    const asOf = formatDay(SYNTHETIC_END);
    const viaApi = await api.score("j1", [...DEFAULT_SCORECARDS], asOf);
    const direct = scorePortfolio(state.portfolio as NonNullable<ScoringState["portfolio"]>, DEFAULT_SCORECARDS, {
      asOf: SYNTHETIC_END,
    });
    expect(viaApi).toEqual(direct);
  });

  it("history in chunks of accounts is bit-for-bit the engine's scoreHistory, tenure-bound scorecard included", async () => {
    // 1,200 accounts × 365 days spans two chunks (262,144 cells each).
    const { api, state } = await loadedApi(1200);
    const from = SYNTHETIC_END - 364;
    for (const card of DEFAULT_SCORECARDS) {
      const chunks: number[] = [];
      const viaApi = await api.history("h", card, formatDay(from), formatDay(SYNTHETIC_END), (done) => {
        chunks.push(done);
      });
      const direct = scoreHistory(state.portfolio as NonNullable<ScoringState["portfolio"]>, card, from, SYNTHETIC_END);
      expect(viaApi.accounts).toEqual(direct.accounts);
      expect(Buffer.from(viaApi.score.buffer).equals(Buffer.from(direct.score.buffer)), card.id).toBe(true);
      expect(chunks.length).toBeGreaterThanOrEqual(1);
    }
  });

  it("cancel(jobId) stops a running job between chunks with an error named AbortError, and the API still answers", async () => {
    const { api } = await loadedApi(1200);
    const cards = Array.from(
      { length: 6 },
      (_, i) => ({ ...DEFAULT_SCORECARDS[1], id: `copy-${i}` }) as ScorecardInput,
    );
    let seen = 0;
    let total = 0;
    const job = api.score("long", cards, formatDay(SYNTHETIC_END), (done, all) => {
      seen = done;
      total = all;
      if (done === 1) void api.cancel("long");
    });
    await expect(job).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toBeLessThan(total);
    expect(await api.cancel("long")).toBe(false); // the job is gone
    const again = await api.score("after", [DEFAULT_SCORECARDS[1] as ScorecardInput], formatDay(SYNTHETIC_END));
    expect(again.scorecards[0]?.accounts.length).toBeGreaterThan(0);
  });

  it("invalid scorecards are rejected with an InputError naming the path and the problem", async () => {
    const { api } = await loadedApi(20);
    const bad = { ...DEFAULT_SCORECARDS[1], factors: [{ ...DEFAULT_SCORECARDS[1]?.factors[0], weight: -1 }] };
    await expect(api.score("bad", [bad as ScorecardInput], "2025-06-30")).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringContaining("scorecards[0].factors[0].weight: weight must be greater than 0"),
    });
    await expect(api.score("bad-day", [...DEFAULT_SCORECARDS], "2025-02-30")).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringContaining("asOf must be a date"),
    });
    await expect(api.explain("nobody", [...DEFAULT_SCORECARDS], "2025-06-30")).rejects.toThrow(
      'no account with id "nobody"',
    );
  });

  it("load rejects columns that refer to accounts outside the portfolio", async () => {
    const api = createScoringApi();
    const metric = {
      metric: "logins",
      account: Int32Array.of(0, 3),
      day: Int32Array.of(20000, 20001),
      value: Float64Array.of(1, 2),
    };
    await expect(api.load([{ id: "a", name: "A" }], [metric])).rejects.toMatchObject({
      name: "InputError",
      message: expect.stringContaining("account index 3"),
    });
  });
});
