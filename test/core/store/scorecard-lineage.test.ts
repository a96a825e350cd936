import Dexie from "dexie";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { Scorecard, type ScorecardInput } from "../../../core/schema/scorecard.ts";
import { classifyScorecards, type ScorecardClass } from "../../../core/scorecard/classify.ts";
import { type ScorecardLineage, versionHash } from "../../../core/scorecard/lineage.ts";
import { mergeScorecards } from "../../../core/scorecard/merge.ts";
import { SCHEMA_V1, VitalsDb } from "../../../core/store/db.ts";
import { scorecardLineages, takeScorecard } from "../../../core/store/scorecard-lineage.ts";
import { saveScorecard, scorecardVersions } from "../../../core/store/scorecards.ts";

const options = { indexedDB, IDBKeyRange };

/** The store as version 5 of Vitals declared it, nothing after (scorecard versions without lineage). */
class V5Db extends Dexie {
  constructor(name: string) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores({ playTemplates: "id", tasks: "id, alertId, accountId, owner" });
    this.version(3).stores({ coverage: "[metric+from+to], metric", links: "[kind+key], accountId" });
    this.version(4).stores({ imports: "id, at, seq" });
    this.version(5).stores({ blocks: null, yearBlocks: "[accountId+metric+year], accountId, metric" });
  }
}

const card = (id: string, weight: number, min = 65): ScorecardInput => ({
  id,
  name: `Card ${id}`,
  factors: [
    {
      id: "logins",
      label: "Logins",
      weight,
      source: { kind: "metric", metric: "logins", aggregation: "sum", windowDays: 30 },
      rule: { kind: "linear", worst: 0, best: 100 },
    },
  ],
  bands: [
    { min: 80, grade: "A", color: "green", label: "Healthy" },
    { min, grade: "B", color: "green", label: "Good" },
    { min: 0, grade: "D", color: "red", label: "At risk" },
  ],
});
const at = (n: number) => `2025-01-0${n}T00:00:00.000Z`;

describe("schema version 6: scorecard versions get their lineage", () => {
  it("from version 5: each scorecard's versions become a line, hashed; the live one is the head; saving goes on", async () => {
    const name = "lineage-1";
    const v5 = new V5Db(name);
    const rows = [
      { scorecardId: "a", version: 1, scorecard: card("a", 20), savedAt: at(1), message: "Default scorecard" },
      { scorecardId: "a", version: 2, scorecard: card("a", 25), savedAt: at(2), message: "weight" },
      { scorecardId: "a", version: 3, scorecard: card("a", 20), savedAt: at(3), message: "Reverted to version 1" },
      { scorecardId: "b", version: 1, scorecard: card("b", 10), savedAt: at(1), message: "" },
      // A version that no longer reads (a factor with no weight) keeps its place in the line.
      { scorecardId: "b", version: 2, scorecard: { ...card("b", 10), factors: [] }, savedAt: at(2), message: "" },
    ];
    await v5.table("scorecardVersions").bulkPut(rows);
    await v5.table("scorecards").bulkPut([
      { id: "a", scorecard: card("a", 20), version: 3, updatedAt: at(3) },
      { id: "b", scorecard: card("b", 10), version: 1, updatedAt: at(1) },
    ]);
    v5.close();

    const db = new VitalsDb(name, options);
    await db.open();
    expect(db.verno).toBe(7);
    const a = await scorecardVersions(db, "a");
    const h1 = versionHash(Scorecard.parse(card("a", 20)), []);
    const h2 = versionHash(Scorecard.parse(card("a", 25)), [h1]);
    const h3 = versionHash(Scorecard.parse(card("a", 20)), [h2]);
    expect(a.map((v) => [v.version, v.hash, v.parents, v.message])).toEqual([
      [1, h1, [], "Default scorecard"],
      [2, h2, [h1], "weight"],
      // The revert says what version 1 said, but on version 2: another version.
      [3, h3, [h2], "Reverted to version 1"],
    ]);
    expect(h3).not.toBe(h1);
    const b = await scorecardVersions(db, "b");
    expect(b[1]?.parents).toEqual([b[0]?.hash]);
    expect(b[1]?.hash).toMatch(/^[0-9a-f]{64}$/);
    // Nothing lost: the same rows, with the new fields.
    expect(a.map(({ hash: _h, parents: _p, ...rest }) => rest)).toEqual(rows.slice(0, 3));

    // b's live version is 1, so its lineage's head is version 1, and a save goes on from there.
    const [la, lb] = await scorecardLineages(db);
    expect(la?.head).toBe(h3);
    expect(lb?.head).toBe(b[0]?.hash);
    await saveScorecard(db, card("a", 30), "heavier", at(4));
    const after = await scorecardVersions(db, "a");
    expect(after.at(-1)).toMatchObject({
      version: 4,
      parents: [h3],
      hash: versionHash(Scorecard.parse(card("a", 30)), [h3]),
    });
    db.close();
  });
});

describe("taking a teammate's scorecard", () => {
  it("fast-forwards theirs, merges a diverged one with both sides in the history, and ends where they end", async () => {
    const alice = new VitalsDb("lineage-alice", options);
    const bob = new VitalsDb("lineage-bob", options);
    // Both start from the same default (same content, no parents: the same version on both devices).
    await saveScorecard(alice, card("a", 20), "Default scorecard", at(1));
    await saveScorecard(bob, card("a", 20), "Default scorecard", at(2));
    expect((await scorecardLineages(alice))[0]?.head).toBe((await scorecardLineages(bob))[0]?.head);

    // Offline: Alice raises the weight, Bob raises band B.
    await saveScorecard(alice, card("a", 25), "weight 25", at(3));
    await saveScorecard(bob, card("a", 20, 70), "band B 70", at(3));

    // Bob imports Alice's: diverged on the default; the three-way merge takes both changes.
    const [cls] = classifyScorecards(await scorecardLineages(bob), await scorecardLineages(alice));
    expect(cls?.kind).toBe("diverged");
    const byHash = new Map((await scorecardLineages(bob))[0]?.versions.map((v) => [v.hash, v]));
    const base = byHash.get(cls?.base as string)?.scorecard;
    const mine = (await scorecardLineages(bob))[0]?.versions.at(-1)?.scorecard as Scorecard;
    const theirs = cls?.missing.at(-1)?.scorecard as Scorecard;
    const merged = mergeScorecards(base, mine, theirs);
    expect(merged.ok).toBe(true);
    if (!merged.ok || !cls) return;
    await takeScorecard(bob, { cls, merged: merged.scorecard, message: "Merged alice.json" }, at(4));
    const bobVersions = await scorecardVersions(bob, "a");
    expect(bobVersions.map((v) => v.message)).toEqual([
      "Default scorecard",
      "band B 70",
      "weight 25",
      "Merged alice.json",
    ]);
    expect(bobVersions.at(-1)?.parents).toEqual([...[bobVersions[1]?.hash, bobVersions[2]?.hash]].sort());
    const live = Scorecard.parse((await bob.scorecards.get("a"))?.scorecard);
    expect([live.factors[0]?.weight, live.bands[1]?.min]).toEqual([25, 70]);

    // Alice imports Bob's: his is ahead of hers (it has hers in it): a fast-forward, nothing to choose.
    const [back] = classifyScorecards(await scorecardLineages(alice), await scorecardLineages(bob));
    expect(back?.kind).toBe("theirsAhead");
    if (!back) return;
    await takeScorecard(alice, { cls: back }, at(5));
    const [la] = await scorecardLineages(alice);
    const [lb] = await scorecardLineages(bob);
    expect(la?.head).toBe(lb?.head);
    expect(new Set(la?.versions.map((v) => v.hash))).toEqual(new Set(lb?.versions.map((v) => v.hash)));
    // And again: the same now, both ways; an import of an older file changes nothing.
    expect(classifyScorecards([la as ScorecardLineage], [lb as ScorecardLineage])[0]?.kind).toBe("same");
    const before = await alice.scorecardVersions.count();
    await takeScorecard(
      alice,
      { cls: classifyScorecards([la as ScorecardLineage], [lb as ScorecardLineage])[0] as ScorecardClass },
      at(6),
    );
    expect(await alice.scorecardVersions.count()).toBe(before);
    alice.close();
    bob.close();
  });

  it("a new scorecard arrives with its whole history; a diverged one taken without a merge keeps mine live", async () => {
    const alice = new VitalsDb("lineage-new-a", options);
    const bob = new VitalsDb("lineage-new-b", options);
    await saveScorecard(alice, card("x", 10), "one", at(1));
    await saveScorecard(alice, card("x", 11), "two", at(2));
    const [cls] = classifyScorecards(await scorecardLineages(bob), await scorecardLineages(alice));
    expect(cls?.kind).toBe("new");
    await takeScorecard(bob, { cls: cls as ScorecardClass }, at(3));
    expect((await scorecardVersions(bob, "x")).map((v) => [v.version, v.message, v.savedAt])).toEqual([
      [1, "one", at(1)],
      [2, "two", at(2)],
    ]);
    await saveScorecard(alice, card("x", 12), "three", at(4));
    await saveScorecard(bob, card("x", 13), "bob", at(4));
    const [div] = classifyScorecards(await scorecardLineages(bob), await scorecardLineages(alice));
    expect(div?.kind).toBe("diverged");
    await takeScorecard(bob, { cls: div as ScorecardClass }, at(5));
    expect(Scorecard.parse((await bob.scorecards.get("x"))?.scorecard).factors[0]?.weight).toBe(13);
    expect((await scorecardVersions(bob, "x")).map((v) => v.message)).toEqual(["one", "two", "bob", "three"]);
    alice.close();
    bob.close();
  });
});
