import { beforeEach, describe, expect, it } from "vitest";
import { type Day, parseIsoDay } from "../../../core/schema/day.ts";
import type { ScoreResult } from "../../../core/schema/result.ts";
import { accepted } from "../../support/results.ts";
import { freshAppApis, type TestAppApi } from "../../support/stores.ts";

/**
 * Issue 13, "As of must never jump": a portfolio whose data ended long ago is scored as of its data's last day; a
 * rating made today changes only the rated account; "no new data" is not raised on every account; the as-of day is
 * a setting (the data's last day, today, or a day).
 */
const DATA_END = parseIsoDay("2024-12-31") as Day;
const TODAY = parseIsoDay("2026-12-06") as Day;
const newApi = freshAppApis("as-of");
let day: Day;
let api: TestAppApi;
beforeEach(() => {
  day = DATA_END;
  ({ api } = newApi({ demoAccounts: 60, today: () => day }));
});

const sentimentOf = (r: ScoreResult | undefined) => r?.factors.find((f) => f.factorId === "csm-sentiment");
const scoresOf = async () => new Map((await api.accounts()).map((r) => [r.id, r.shown?.score ?? null]));
const noDataAlerts = async () => (await api.alerts({ status: "open" })).alerts.filter((a) => a.kind === "noData");

describe("the portfolio's as-of day", () => {
  it("stays on the data's last day when today is two years later and a rating is made today", async () => {
    await api.loadDemo("demo"); // the demo's data ends "today", 2024-12-31
    const gapsThen = (await noDataAlerts()).length;
    day = TODAY;
    let status = await api.rescore("r1");
    expect(status).toMatchObject({
      asOf: "2024-12-31",
      dataEnd: "2024-12-31",
      today: "2026-12-06",
      asOfSetting: { mode: "data" },
    });
    // Gaps count up to the data's last day, not today: the same accounts as on the data's last day, not all 60.
    expect((await noDataAlerts()).length).toBe(gapsThen);
    expect(gapsThen).toBeLessThan(10);

    const before = await scoresOf();
    // Find an account whose primary scorecard reads sentiment, and rate it 1 today.
    let target: string | undefined;
    for (const [id] of before) {
      if (sentimentOf((await api.account(id)).results[0])) {
        target = id;
        break;
      }
    }
    if (!target) throw new Error("no account reads sentiment");
    await api.addManualInput({ accountId: target, rating: 1, author: "Ana" });
    status = await api.status();
    expect(status.asOf).toBe("2024-12-31");
    expect(status.dataEnd).toBe("2024-12-31");
    const after = await scoresOf();
    for (const [id, score] of before) if (id !== target) expect(after.get(id), id).toBe(score);
    const detail = await api.account(target);
    // The rating counts on the as-of day (so its window has it) and keeps its own day in the history.
    expect(sentimentOf(detail.results[0])?.value).toBe(1);
    expect(detail.manualInputs[0]?.day).toBe("2026-12-06");
    expect((await api.dataSources()).dataEnd).toBe("2024-12-31");
  }, 60_000);

  it("is a setting: today, a chosen day, or the data's last day; a rating after a past chosen day is not read", async () => {
    await api.loadDemo("demo");
    day = TODAY;
    const ids = (await api.accounts()).map((r) => r.id);
    let target: string | undefined;
    for (const id of ids) if (sentimentOf((await api.account(id)).results[0])) target ??= id;
    if (!target) throw new Error("no account reads sentiment");
    await api.addManualInput({ accountId: target, rating: 1, author: "Ana" });

    let status = await accepted(api.setAsOf("s1", { mode: "today" }));
    expect(status).toMatchObject({ asOf: "2026-12-06", asOfSetting: { mode: "today" }, dataEnd: "2024-12-31" });
    // Today: the windows are empty, but the portfolio's stale data is not one "no new data" alert per account.
    expect((await noDataAlerts()).length).toBeLessThan(10);

    status = await accepted(api.setAsOf("s2", { mode: "day", day: "2024-06-30" }));
    expect(status.asOf).toBe("2024-06-30");
    expect((await api.dashboard()).asOf).toBe("2024-06-30");
    // A rating made after a day in the past is not read as of that day (no leakage).
    expect(sentimentOf((await api.account(target)).results[0])?.value).not.toBe(1);

    expect(await api.setAsOf("s3", { mode: "day", day: "2024-02-30" })).toMatchObject({
      ok: false,
      issues: [{ path: "$.day" }],
    });
    expect(await api.setAsOf("s4", { mode: "tomorrow" })).toMatchObject({ ok: false, issues: [{ path: "$.mode" }] });
    expect((await api.status()).asOfSetting).toEqual({ mode: "day", day: "2024-06-30" });

    status = await accepted(api.setAsOf("s5", { mode: "data" }));
    expect(status.asOf).toBe("2024-12-31");
    expect(sentimentOf((await api.account(target)).results[0])?.value).toBe(1);
  }, 60_000);
});
