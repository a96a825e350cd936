import { beforeEach, describe, expect, it } from "vitest";
import type { VitalsDb } from "../../../core/store/db.ts";
import { inputsChanged } from "../../../core/store/views.ts";
import { createAppApi } from "../../../core/worker/app-api.ts";
import { freshAppApis, type TestAppApi } from "../../support/stores.ts";

/** The app's worker API (imports + portfolio views) over fake-indexeddb; the PWA e2e runs it in Chromium. */
const newApi = freshAppApis("portfolio-api");
let api: TestAppApi;
let open: () => VitalsDb;
beforeEach(() => {
  // A small demo (60 accounts) keeps the test quick; the app's first run uses the full 500.
  ({ api, open } = newApi({ demoAccounts: 60 }));
});

const accountsCsv = "id,name,arr,seats,segment\nc1,Customer One,1000,10,SMB\nc2,Customer Two,2000,20,SMB\n";

describe("portfolio API", () => {
  it("an empty store has no accounts, the default scorecards once asked, and an empty dashboard", async () => {
    const status = await api.status();
    expect(status).toMatchObject({ accounts: 0, demo: false, demoCleared: false, asOf: null });
    const dashboard = await api.dashboard();
    expect(dashboard).toMatchObject({ accounts: 0, scored: 0, averageScore: null, drops: [], renewals: [] });
    expect((await api.status()).scorecards.map((c) => c.id)).toEqual([
      "adoption-smb",
      "enterprise-renewal",
      "onboarding",
    ]);
  }, 30_000);

  it("loads the demo portfolio once, scores it and saves results; clearing it keeps the user's own accounts", async () => {
    const phases = new Set<string>();
    const loaded = await api.loadDemo("j1", (phase) => {
      phases.add(phase);
    });
    expect(loaded.demo).toBe(true);
    expect(loaded.accounts).toBe(60);
    expect(loaded.asOf).not.toBeNull();
    expect([...phases].sort()).toEqual(["demo", "history", "saving", "scoring"]);
    await expect(api.loadDemo("j2")).rejects.toMatchObject({ name: "InputError" });
    // The demo's churns and renewals are recorded with its import, so Validate works on first run.
    const demoDb = open();
    const outcomes = await demoDb.outcomes.toArray();
    demoDb.close();
    expect(outcomes.some((o) => o.kind === "churned") && outcomes.some((o) => o.kind !== "churned")).toBe(true);

    const dashboard = await api.dashboard();
    expect(dashboard.accounts).toBe(loaded.accounts);
    expect(dashboard.bands.some((b) => b.color === "green")).toBe(true);
    expect(dashboard.trend.days).toHaveLength(365);
    const rows = await api.accounts();
    expect(rows).toHaveLength(loaded.accounts);
    const first = rows.find((r) => r.shown?.points !== null && r.shown !== null);
    const detail = await api.account(first?.id ?? "");
    expect(detail.results[0]?.primary).toBe(true);
    expect(detail.results[0]?.points).toBe(first?.shown?.points);
    expect(detail.history[0]?.scores).toHaveLength(365);
    await expect(api.account("nope")).rejects.toMatchObject({ name: "InputError" });

    // The user imports three accounts of their own on top of the demo, one with an id that starts with "demo-"
    // (it used to be cleared with the demo), adds a note to it, then clears the demo.
    const demoIds = rows.map((r) => r.id);
    const own = `${accountsCsv}demo-mine,My Demo Co,3000,30,SMB\n`;
    const dry = await api.planImport("j3", "accounts.csv", own, {
      shape: "wide",
      account: { by: "id", column: "id" },
      attributes: [
        { column: "name", attribute: "name" },
        { column: "arr", attribute: "arr" },
        { column: "seats", attribute: "seats" },
        { column: "segment", attribute: "segment" },
      ],
    });
    await api.applyImport("j4", dry.planId);
    const noteDb = open();
    await noteDb.notes.add({ accountId: "demo-mine", at: "2025-03-01T10:00:00Z", author: "Dana", text: "Mine" });
    noteDb.close();
    const cleared = await api.clearDemo("j5");
    expect(cleared).toMatchObject({ accounts: 3, demo: false, demoCleared: true });
    expect((await api.accounts()).map((r) => r.id).sort()).toEqual(["c1", "c2", "demo-mine"]);
    const db = open();
    expect(await db.accountYears.where("accountId").anyOf(demoIds).count()).toBe(0);
    expect(await db.latestResults.where("accountId").anyOf(demoIds).count()).toBe(0);
    expect(await db.outcomes.count()).toBe(0);
    expect((await db.notes.toArray()).map((n) => n.text)).toEqual(["Mine"]);
    expect((await db.imports.toArray()).map((i) => i.shape)).toEqual(["wide"]);
    db.close();
  }, 60_000);

  it("a cancelled rescore rejects with an AbortError and the previous results stay", async () => {
    await api.loadDemo("j1");
    const before = await api.dashboard();
    const rescore = api.rescore("j2", () => {
      void api.cancel("j2");
    });
    await expect(rescore).rejects.toMatchObject({ name: "AbortError" });
    expect(await api.dashboard()).toEqual(before);
  }, 60_000);

  it("a cold start shows the stored dashboard and rows until the inputs or the code change, then scores again", async () => {
    const db = open();
    const scoredAt = async () => ((await db.meta.get("scored"))?.value as { scoredAt?: string } | undefined)?.scoredAt;
    const coldStart = async (code?: string) => {
      const cold = createAppApi(open, { demoAccounts: 60, ...(code ? { code } : {}) }, open);
      const views = { dashboard: await cold.dashboard(), rows: await cold.accounts() };
      await cold.close();
      return views;
    };
    await api.loadDemo("j1");
    const dashboard = await api.dashboard();
    const rows = await api.accounts();
    await api.close();
    const first = await scoredAt();
    // Take the observations away behind the API's back (no change of the inputs recorded): a cold start that
    // scored would see accounts without data; one that shows the stored views sees the portfolio as it was.
    await db.accountYears.clear();
    expect(await coldStart()).toEqual({ dashboard, rows });
    expect(await scoredAt()).toBe(first);
    // A recorded change of the inputs: the cold start scores what is stored now, and stores its views.
    await db.transaction("rw", db.meta, () => inputsChanged(db));
    const rescored = await coldStart();
    expect(rescored.dashboard.accounts).toBe(dashboard.accounts);
    expect(rescored.dashboard.scored).toBeLessThan(dashboard.scored);
    const second = await scoredAt();
    expect(second).not.toBe(first);
    expect(await coldStart()).toEqual(rescored);
    expect(await scoredAt()).toBe(second);
    // Another build of the code does not trust views it did not make.
    await coldStart("another-build");
    expect(await scoredAt()).not.toBe(second);
    db.close();
  }, 60_000);
});
