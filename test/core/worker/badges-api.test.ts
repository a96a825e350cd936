import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dragSentence } from "../../../core/insights/explain-text.ts";
import { changeSentence, scoreChangeOf } from "../../../core/insights/score-change.ts";
import { BadgeSet } from "../../../core/schema/badge.ts";
import { schemaUrl } from "../../../core/schema/json-schemas.ts";
import { roundHalfUp } from "../../../core/scoring/bands.ts";
import { VitalsDb } from "../../../core/store/db.ts";
import { createAppApi } from "../../../core/worker/app-api.ts";

/** The badge set the app gives the extension, over a small demo portfolio (60 accounts) in fake-indexeddb. */
const name = "badges-api";
const open = () => new VitalsDb(name, { indexedDB, IDBKeyRange });
let api: ReturnType<typeof createAppApi>;

beforeAll(async () => {
  api = createAppApi(open, { demoAccounts: 60 }, open);
  await api.loadDemo("demo");
}, 60_000);
afterAll(async () => {
  await api.close();
  await open().delete();
});

describe("badges API", () => {
  it("gives every account a badge that says what its account page says: score, grade, colour, delta, drags", async () => {
    const set = BadgeSet.parse(await api.badgeSet("http://localhost:5173/"));
    const rows = await api.accounts();
    expect(set.accounts.map((a) => a.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(set.pwaUrl).toBe("http://localhost:5173/");
    // The demo portfolio's set says so: the extension refuses it over a user's own badges.
    expect(set.demo).toBe(true);
    const status = await api.status();
    const scored = rows.filter((r) => r.shown?.points != null).slice(0, 5);
    expect(scored.length).toBeGreaterThan(0);
    for (const row of scored) {
      const badge = set.accounts.find((a) => a.id === row.id);
      const detail = await api.account(row.id);
      const primary = detail.results.find((r) => r.primary);
      if (!badge || !primary) throw new Error(`no badge or primary result for ${row.id}`);
      expect(badge).toMatchObject({
        name: detail.account.name,
        shown: primary.points,
        grade: primary.grade,
        color: primary.color,
        label: primary.label,
        asOf: status.asOf,
        coverage: primary.coverage,
      });
      expect(badge.delta).toBe(
        primary.points === null || primary.previousScore === null
          ? null
          : primary.points - roundHalfUp(primary.previousScore),
      );
      // The same sentences as the account page's "What pulls it down".
      const words = primary.topDrags.map((id) =>
        dragSentence(primary.factors.find((f) => f.factorId === id) ?? (undefined as never), primary.deltaDays),
      );
      expect(badge.drags.map((d) => d.text)).toEqual(words);
      // The same "why the score moved" sentence as the account page, whose points add up to the badge's delta.
      const change = scoreChangeOf(primary);
      expect(badge.why).toBe(change ? changeSentence(change, 400) : undefined);
      if (change) expect(change.shownChange).toBe(badge.delta);
      expect(badge.domains).toEqual(detail.account.domains.map((d) => d.toLowerCase()));
      // Thirteen weeks, the last one today's shown score.
      expect(badge.sparkline).toHaveLength(13);
      expect(badge.sparkline.at(-1)).toBe(primary.points);
    }
  }, 60_000);

  it("carries an active override beside the score, and open alerts from the alerts table", async () => {
    const [row] = (await api.accounts()).filter((r) => r.shown?.points != null);
    if (!row) throw new Error("no scored account");
    await api.setOverride({
      accountId: row.id,
      score: 55,
      reason: "Exec sponsor left",
      author: "Dana",
      expiresOn: "2999-01-31",
    });
    const db = open();
    await db.alerts.put({
      id: "alert-1",
      ruleId: "drop",
      accountId: row.id,
      status: "open",
      raisedOn: "2026-11-01",
      message: "Score fell 14 points in 7 days",
    });
    await db.alerts.put({
      id: "alert-2",
      ruleId: "stale",
      accountId: row.id,
      status: "done",
      raisedOn: "2026-10-01",
      message: "No new data",
    });
    db.close();
    const badge = (await api.badgeSet()).accounts.find((a) => a.id === row.id);
    expect(badge?.override).toEqual({ text: "Overridden to 55 by Dana: Exec sponsor left", until: "2999-01-31" });
    // Open alerts only (the demo's rescore may have raised others of its own).
    expect(badge?.alerts).toContainEqual({ title: "Score fell 14 points in 7 days", raisedOn: "2026-11-01" });
    expect(badge?.alerts.map((a) => a.title)).not.toContain("No new data");
  }, 60_000);

  it("exports the set as a file the extension's import reads", async () => {
    const file = await api.exportBadges("http://localhost:5173/");
    const status = await api.status();
    expect(file.fileName).toBe(`vitals-badges-${status.asOf}.json`);
    // The file names its JSON Schema; the reader ignores it.
    expect(JSON.parse(file.text).$schema).toBe(schemaUrl("badge-set"));
    const set = BadgeSet.parse(JSON.parse(file.text));
    expect(set.accounts).toHaveLength(file.accounts);
    expect(file.accounts).toBe(status.accounts);
    expect(set.demo).toBe(true);
  }, 60_000);

  it("does not call a set demo data once the demo is cleared", async () => {
    await api.clearDemo("clear");
    const set = BadgeSet.parse(await api.badgeSet());
    expect(set.demo).toBeUndefined();
    expect(set.accounts).toEqual([]);
  }, 60_000);
});
