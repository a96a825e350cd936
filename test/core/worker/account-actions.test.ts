import { beforeEach, describe, expect, it } from "vitest";
import { type Day, formatDay, parseIsoDay } from "../../../core/schema/day.ts";
import type { FactorExplanation, ScoreResult } from "../../../core/schema/result.ts";
import { freshAppApis, type TestAppApi } from "../../support/stores.ts";

/** The CSM's actions on an account (ratings, overrides, notes) through the app's worker API, over fake-indexeddb. */
const START = parseIsoDay("2025-06-30") as Day;
const newApi = freshAppApis("account-actions");
let day: Day;
let api: TestAppApi;
beforeEach(() => {
  day = START;
  ({ api } = newApi({ demoAccounts: 60, today: () => day }));
});

const sentimentOf = (r: ScoreResult | undefined) => r?.factors.find((f) => f.factorId === "csm-sentiment");

/** An account whose primary scorecard has a present, fresh CSM sentiment factor and a score. */
async function ratedAccount(): Promise<{ id: string; result: ScoreResult; factor: FactorExplanation }> {
  for (const row of await api.accounts()) {
    const result = (await api.account(row.id)).results[0];
    const factor = sentimentOf(result);
    if (result && result.score !== null && factor && factor.status === "ok" && factor.value !== null) {
      return { id: row.id, result, factor };
    }
  }
  throw new Error("no demo account has a CSM sentiment");
}

describe("account actions", () => {
  it("a sentiment rating becomes the factor's value today and moves the score by the factor's points", async () => {
    await api.loadDemo("j1");
    const { id, result, factor } = await ratedAccount();
    expect(factor.value).not.toBe(1);

    // linear {worst 1, best 5}: a rating of 1 is n = 0, so the factor earns nothing and the score loses what the
    // factor earned before (every other factor, the weights and the as-of day are unchanged).
    const added = await api.addManualInput({ accountId: id, rating: 1, note: "Champion left", author: "Ana" });
    expect(added).toMatchObject({
      ok: true,
      value: { accountId: id, metric: "csm_sentiment", day: formatDay(START), rating: 1 },
    });
    let detail = await api.account(id);
    let now = detail.results.find((r) => r.scorecardId === result.scorecardId);
    expect(sentimentOf(now)?.value).toBe(1);
    expect(sentimentOf(now)?.n).toBe(0);
    expect(sentimentOf(now)?.earned).toBe(0);
    expect(now?.score).toBeCloseTo((result.score as number) - factor.earned, 9);
    // The dashboard's table follows (the rescore ran).
    expect((await api.accounts()).find((r) => r.id === id)?.shown?.points).toBe(detail.shown?.points);

    // A second rating the same day replaces the first: 4 is n = (4 − 1) / (5 − 1) = 0.75 of the factor's share.
    await api.addManualInput({ accountId: id, metric: "csm_sentiment", rating: 4, note: "", author: "Ana" });
    detail = await api.account(id);
    now = detail.results.find((r) => r.scorecardId === result.scorecardId);
    expect(sentimentOf(now)?.value).toBe(4);
    expect(sentimentOf(now)?.earned).toBeCloseTo(0.75 * factor.share, 9);
    expect(now?.score).toBeCloseTo((result.score as number) - factor.earned + 0.75 * factor.share, 9);

    // Listed newest first, in the account detail and on their own.
    expect(detail.manualInputs.map((m) => [m.rating, m.note])).toEqual([
      [4, ""],
      [1, "Champion left"],
    ]);
    expect(await api.manualInputs(id)).toEqual(detail.manualInputs);
  }, 90_000);

  it("an override shows beside the computed score with its reason, until its expiry day", async () => {
    await api.loadDemo("j1");
    const row = (await api.accounts()).find((r) => r.shown?.points !== null) as { id: string };
    const before = (await api.account(row.id)).results[0] as ScoreResult;
    const saved = await api.setOverride({
      accountId: row.id,
      score: 42,
      grade: "D",
      reason: "Renewal blocked by legal",
      author: "Ana",
      expiresOn: formatDay((START + 10) as Day),
    });
    expect(saved).toMatchObject({ ok: true, value: { createdOn: formatDay(START), active: true } });
    if (!saved.ok) throw new Error("the override was refused");
    const set = saved.value;

    let detail = await api.account(row.id);
    const primary = detail.results[0] as ScoreResult;
    expect(primary.override).toEqual({
      score: 42,
      grade: "D",
      reason: "Renewal blocked by legal",
      author: "Ana",
      expiresOn: formatDay((START + 10) as Day),
    });
    // Beside, never instead of: the computed score is unchanged.
    expect(primary.score).toBe(before.score);
    expect(primary.grade).toBe(before.grade);
    expect(detail.results.slice(1).every((r) => r.override === undefined)).toBe(true);
    expect(detail.overrides).toMatchObject([{ id: set.id, active: true }]);

    // Still applies on its expiry day, no longer the day after.
    day = (START + 10) as Day;
    expect((await api.account(row.id)).results[0]?.override?.reason).toBe("Renewal blocked by legal");
    day = (START + 11) as Day;
    detail = await api.account(row.id);
    expect(detail.results[0]?.override).toBeUndefined();
    expect(detail.overrides).toMatchObject([{ id: set.id, active: false }]);

    // Removed, it is gone from the list.
    expect(await api.removeOverride(set.id)).toBe(true);
    expect(await api.removeOverride(set.id)).toBe(false);
    expect(await api.overrides(row.id)).toEqual([]);
  }, 90_000);

  it("notes form a timeline, newest first", async () => {
    await api.loadDemo("j1");
    const id = (await api.accounts())[0]?.id as string;
    await api.addNote({ accountId: id, text: "Kick-off call", author: "Ana" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await api.addNote({ accountId: id, text: "  QBR booked  ", author: "Ben" });
    const notes = await api.notes(id);
    expect(notes.map((x) => [x.text, x.author])).toEqual([
      ["QBR booked", "Ben"],
      ["Kick-off call", "Ana"],
    ]);
    expect((await api.account(id)).notes).toEqual(notes);
  }, 90_000);

  it("refuses bad inputs with their problems by field, storing nothing", async () => {
    await api.loadDemo("j1");
    const id = (await api.accounts())[0]?.id as string;
    // Each refusal is data: one issue (or more) at the field's JSON path, never a thrown message to parse.
    const refused = async (promise: Promise<{ ok: boolean; issues?: { path: string }[] }>, field: string) => {
      const result = await promise;
      expect(result.ok).toBe(false);
      expect(result.issues?.map((i) => i.path)).toContain(`$.${field}`);
    };
    await refused(api.addManualInput({ accountId: id, rating: 7, note: "", author: "Ana" }), "rating");
    await refused(api.addManualInput({ accountId: id, rating: 2.5, author: "Ana" }), "rating");
    await refused(api.addManualInput({ accountId: id, rating: 3, author: " " }), "author");
    await refused(api.addManualInput({ accountId: "nope", rating: 3, author: "Ana" }), "accountId");
    await refused(api.addManualInput({ accountId: id, metric: "bad metric", rating: 3, author: "Ana" }), "metric");
    const override = { accountId: id, score: 50, reason: "Exec sponsor", author: "Ana", expiresOn: "2025-07-30" };
    await refused(api.setOverride({ ...override, reason: "" }), "reason");
    await refused(api.setOverride({ ...override, reason: undefined }), "reason");
    await refused(api.setOverride({ ...override, expiresOn: "2025-06-29" }), "expiresOn");
    await refused(api.setOverride({ ...override, expiresOn: "30/07/2025" }), "expiresOn");
    await refused(api.setOverride({ ...override, score: 120 }), "score");
    await refused(api.setOverride({ ...override, score: undefined }), "score");
    await refused(api.setOverride({ ...override, scorecardId: "nope" }), "scorecardId");
    await refused(api.addNote({ accountId: id, text: "   ", author: "Ana" }), "text");
    // Nothing was stored.
    expect(await api.manualInputs(id)).toEqual([]);
    expect(await api.overrides(id)).toEqual([]);
    expect(await api.notes(id)).toEqual([]);
    // Expiring today is allowed.
    await expect(api.setOverride({ ...override, expiresOn: "2025-06-30" })).resolves.toMatchObject({
      ok: true,
      value: { active: true },
    });
  }, 90_000);
});
