import { beforeEach, describe, expect, it } from "vitest";
import type { Scorecard } from "../../../core/schema/scorecard.ts";
import type { VitalsDb } from "../../../core/store/db.ts";
import type { ScorecardPreview } from "../../../core/worker/portfolio-api.ts";
import { freshAppApis, type TestAppApi } from "../../support/stores.ts";

/** The scorecard manager's worker API over fake-indexeddb, on a small demo portfolio (60 accounts). */
const newApi = freshAppApis("scorecards-api");
let api: TestAppApi;
let open: () => VitalsDb;
beforeEach(async () => {
  ({ api, open } = newApi({ demoAccounts: 60 }));
  await api.loadDemo("demo");
}, 60_000);

async function live(id: string): Promise<Scorecard> {
  const card = (await api.scorecards()).find((c) => c.scorecard.id === id)?.scorecard;
  if (!card) throw new Error(`no scorecard ${id}`);
  return card;
}

function ok(preview: ScorecardPreview): Extract<ScorecardPreview, { ok: true }> {
  if (!preview.ok) throw new Error(`unexpected issues: ${JSON.stringify(preview.issues)}`);
  return preview;
}

const count = (side: { bands: { grade: string; accounts: number }[] }, grade: string) =>
  side.bands.find((b) => b.grade === grade)?.accounts ?? 0;

describe("scorecard previews", () => {
  it("the saved scorecard as its own draft changes nothing, and both sides agree", async () => {
    const card = await live("adoption-smb");
    const p = ok(await api.previewScorecard(card));
    expect(p.changes).toEqual([]);
    expect(p.changesTotal).toBe(0);
    expect(p.draft).toEqual(p.saved);
    expect(p.warnings).toEqual([]);
    expect(p.draft.applies).toBeGreaterThan(0);
    // Every account it applies to is in exactly one band (or "not enough data").
    expect(p.draft.bands.reduce((sum, b) => sum + b.accounts, 0)).toBe(p.draft.applies);
    expect(p.draft.bands.at(-1)).toMatchObject({ grade: "—", min: null });
  });

  it("raising a band's min moves accounts out of that band, and the changed-band list is exactly those accounts", async () => {
    const card = await live("adoption-smb");
    const rows = await api.accounts();
    const base = ok(await api.previewScorecard(card));
    // The accounts scored B (65–79) by this scorecard, from its saved scores: those below 75 must move to C.
    const db = open();
    const latest = await db.latestResults.where("scorecardId").equals("adoption-smb").toArray();
    db.close();
    const points = (s: number | null) => (s === null ? null : Math.floor(s + 0.5 + 1e-9));
    const moving = latest
      .filter((r) => {
        const p = points(r.score);
        return p !== null && p >= 65 && p < 75;
      })
      .map((r) => r.accountId)
      .sort();
    expect(moving.length).toBeGreaterThan(0);

    const draft = { ...card, bands: card.bands.map((b) => (b.grade === "B" ? { ...b, min: 75 } : b)) };
    const p = ok(await api.previewScorecard(draft));
    expect(count(p.draft, "B")).toBe(count(base.draft, "B") - moving.length);
    expect(count(p.draft, "C")).toBe(count(base.draft, "C") + moving.length);
    expect(count(p.draft, "A")).toBe(count(base.draft, "A"));
    expect(p.draft.distribution).toEqual(base.draft.distribution);
    expect(p.changesTotal).toBe(moving.length);
    expect(p.changes.map((c) => c.id).sort()).toEqual(moving);
    for (const c of p.changes) {
      expect(c.from?.grade).toBe("B");
      expect(c.to?.grade).toBe("C");
      expect(c.before).toBe(c.after);
      expect(c.name).toBe(rows.find((r) => r.id === c.id)?.name);
    }
    // Nothing was saved.
    expect((await live("adoption-smb")).bands).toEqual(card.bands);
  });

  it("a weight change moves scores and the distribution, with before and after points", async () => {
    const card = await live("adoption-smb");
    const draft = {
      ...card,
      factors: card.factors.map((f) => (f.id === "license-utilization" ? { ...f, weight: 200 } : f)),
    };
    const p = ok(await api.previewScorecard(draft));
    expect(p.draft.distribution).not.toEqual(p.saved?.distribution);
    expect(p.draft.average).not.toBe(p.saved?.average);
    expect(p.changesTotal).toBeGreaterThan(0);
    for (const c of p.changes) expect(c.before).not.toBe(c.after);
  });

  it("a new scorecard is scored beside the others: no saved side, every account it applies to changes from none", async () => {
    const draft = {
      id: "usage-only",
      name: "Usage only",
      factors: [
        {
          id: "logins",
          label: "Logins",
          weight: 1,
          source: { kind: "metric", metric: "logins", aggregation: "count", windowDays: 30 },
          rule: { kind: "linear", worst: 0, best: 20 },
        },
      ],
    };
    const p = ok(await api.previewScorecard(draft));
    expect(p.saved).toBeNull();
    expect(p.draft.applies).toBe(60);
    // Priority 0 is below every default, so it gives no account its primary score.
    expect(p.draft.primary).toBe(0);
    expect(p.changesTotal).toBe(60);
    expect(p.changes.every((c) => c.from === null && c.to !== null)).toBe(true);
    const first = ok(await api.previewScorecard({ ...draft, priority: 100 }));
    expect(first.draft.primary).toBe(60);
  });

  it("problems come back by JSON path, and a metric the data lacks is a warning", async () => {
    const card = await live("adoption-smb");
    const bad = {
      ...card,
      factors: card.factors.map((f, i) => (i === 1 ? { ...f, weight: -1 } : f)),
      bands: card.bands.filter((b) => b.min !== 0),
    };
    const p = await api.previewScorecard(bad);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["$.factors[1].weight", "$.bands"]));

    const unknown = {
      ...card,
      factors: card.factors.map((f, i) =>
        i === 1 ? { ...f, source: { kind: "metric", metric: "no_such_metric", aggregation: "sum", windowDays: 7 } } : f,
      ),
    };
    const w = ok(await api.previewScorecard(unknown));
    expect(w.warnings).toEqual([
      { path: "$.factors[1].source.metric", message: expect.stringContaining('unknown metric "no_such_metric"') },
    ]);
  });
});

describe("saving, versions, revert and delete", () => {
  it("a save keeps a version and rescores; an invalid card is refused with its issues by path; revert makes a new version", async () => {
    const card = await live("adoption-smb");
    const before = (await api.scorecards()).find((c) => c.scorecard.id === "adoption-smb");
    expect(before?.version).toBe(1);

    const invalid = { ...card, factors: card.factors.map((f, i) => (i === 0 ? { ...f, weight: 0 } : f)) };
    expect(await api.saveScorecard(invalid, "nope")).toEqual({
      ok: false,
      issues: [{ path: "$.factors[0].weight", message: "weight must be greater than 0" }],
    });
    expect((await api.scorecardVersions("adoption-smb")).length).toBe(1);

    const stricter = { ...card, bands: card.bands.map((b) => (b.grade === "A" ? { ...b, min: 95 } : b)) };
    const expectedA = count(ok(await api.previewScorecard(stricter)).draft, "A");
    expect(await api.saveScorecard(stricter, "Stricter A")).toEqual({ ok: true, value: 2 });
    const saved = (await api.scorecards()).find((c) => c.scorecard.id === "adoption-smb");
    expect(saved?.version).toBe(2);
    expect(saved?.updatedAt).not.toBe(before?.updatedAt);
    // The views were rescored: the saved side now is what the draft was.
    const after = ok(await api.previewScorecard(saved?.scorecard));
    expect(count(after.saved ?? { bands: [] }, "A")).toBe(expectedA);
    expect(after.changesTotal).toBe(0);
    const shown = (await api.accounts()).flatMap((r) => (r.shown?.scorecardId === "adoption-smb" ? [r.shown] : []));
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) if (s.grade === "A") expect(s.points).toBeGreaterThanOrEqual(95);

    const versions = await api.scorecardVersions("adoption-smb");
    expect(versions.map((v) => [v.version, v.message])).toEqual([
      [1, "Default scorecard"],
      [2, "Stricter A"],
    ]);
    expect(await api.revertScorecard("adoption-smb", 1)).toEqual({ ok: true, value: 3 });
    expect((await live("adoption-smb")).bands).toEqual(card.bands);
    expect((await api.scorecardVersions("adoption-smb")).at(-1)?.message).toBe("Reverted to version 1");
    expect(await api.revertScorecard("adoption-smb", 9)).toEqual({
      ok: false,
      issues: [{ path: "$", message: 'scorecard "adoption-smb" has no version 9' }],
    });
    expect(await api.scorecardVersions("adoption-smb")).toHaveLength(3);
  }, 30_000);

  it("a new scorecard may not take a live scorecard's id", async () => {
    const card = await live("onboarding");
    expect(await api.saveScorecard({ ...card, name: "Other" }, "copy", { create: true })).toEqual({
      ok: false,
      issues: [{ path: "$.id", message: 'a scorecard with id "onboarding" already exists' }],
    });
    expect(
      await api.saveScorecard({ ...card, id: "onboarding-copy", name: "Onboarding (copy)" }, "Copy", { create: true }),
    ).toEqual({ ok: true, value: 1 });
    expect((await api.status()).scorecards.map((c) => c.id)).toContain("onboarding-copy");
  }, 30_000);

  it("deletes scorecards but never the last one", async () => {
    expect(await api.deleteScorecard("onboarding")).toEqual({ ok: true, value: "onboarding" });
    expect(await api.deleteScorecard("enterprise-renewal")).toEqual({ ok: true, value: "enterprise-renewal" });
    expect((await api.scorecards()).map((c) => c.scorecard.id)).toEqual(["adoption-smb"]);
    expect((await api.dashboard()).bands.some((b) => b.label === "No scorecard applies")).toBe(true);
    expect(await api.deleteScorecard("adoption-smb")).toEqual({
      ok: false,
      issues: [{ path: "$", message: "the last scorecard cannot be deleted: every account needs one" }],
    });
    expect(await api.deleteScorecard("nope")).toEqual({
      ok: false,
      issues: [{ path: "$", message: 'there is no scorecard "nope"' }],
    });
    expect((await api.scorecards()).map((c) => c.scorecard.id)).toEqual(["adoption-smb"]);
  }, 30_000);
});
