import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { VitalsDb } from "../../../core/store/db.ts";
import { saveScorecard, scorecardVersions } from "../../../core/store/scorecards.ts";
import { createSyncApi } from "../../../core/worker/sync-api.ts";
import { renewalCard } from "../../support/renewal-card.ts";

const options = { indexedDB, IDBKeyRange };

describe("scorecard files through the worker API", () => {
  it("exports one stable file per scorecard; a diverged import needs a choice per conflict, then both end the same", async () => {
    const alice = new VitalsDb("sync-alice", options);
    const bob = new VitalsDb("sync-bob", options);
    const aliceApi = createSyncApi(
      () => alice,
      () => "2025-02-01T00:00:00.000Z",
    );
    const bobApi = createSyncApi(
      () => bob,
      () => "2025-02-02T00:00:00.000Z",
    );
    await saveScorecard(alice, renewalCard(20), "Default scorecard", "2025-01-01T00:00:00.000Z");
    await saveScorecard(bob, renewalCard(20), "Default scorecard", "2025-01-01T09:00:00.000Z");
    await saveScorecard(alice, renewalCard(25, 70), "weight and band", "2025-01-02T00:00:00.000Z");
    await saveScorecard(bob, renewalCard(30, 65, "Weekly logins"), "weight and label", "2025-01-02T00:00:00.000Z");

    const files = await aliceApi.exportScorecardFiles();
    expect(files.map((f) => f.fileName)).toEqual(["renewal.scorecard.json"]);
    const text = files[0]?.text as string;
    expect(text.split("\n").slice(0, 3)).toEqual([
      "{",
      '  "$schema": "http://vitals.localhost:8482/schemas/scorecard.schema.json",',
      '  "id": "renewal",',
    ]);
    expect(await aliceApi.exportScorecardFiles()).toEqual(files);

    const read = await bobApi.readScorecardFiles([
      { fileName: "renewal.scorecard.json", text },
      { fileName: "broken.json", text: "{" },
    ]);
    expect(read.problems.map((p) => p.fileName)).toEqual(["broken.json"]);
    expect(read.items).toHaveLength(1);
    const item = read.items[0];
    expect(item).toMatchObject({ id: "renewal", kind: "diverged", adds: 1, hasBase: true, mine: { version: 2 } });
    expect(item?.changes.map((c) => [c.words, c.changedBy])).toEqual([
      ['factor "Logins": label "Weekly logins" → "Logins"', "a"],
      ['factor "Logins": weight 30 → 25', "both"],
      ["band B from 65 to 70", "b"],
    ]);
    // Unchosen, the conflict stays open and nothing can be saved.
    const open = await bobApi.mergeDraft(read.importId, "renewal", {});
    expect(open).toMatchObject({ ok: false, open: ["factors/logins/weight"] });
    await expect(bobApi.importScorecardFiles(read.importId, { renewal: {} })).rejects.toThrow(
      'the merge of "renewal" is not finished: choose mine or theirs for factors/logins/weight',
    );
    expect(await bob.scorecardVersions.count()).toBe(2);
    // Theirs for the weight: the draft keeps my label, takes their band and weight.
    const chosen = await bobApi.mergeDraft(read.importId, "renewal", { "factors/logins/weight": "b" });
    expect(chosen.ok).toBe(true);
    const done = await bobApi.importScorecardFiles(read.importId, { renewal: { "factors/logins/weight": "b" } });
    expect(done).toMatchObject({ merged: ["renewal"], versionsAdded: 2 });
    expect((await scorecardVersions(bob, "renewal")).map((v) => v.message)).toEqual([
      "Default scorecard",
      "weight and label",
      "weight and band",
      "Merged renewal.scorecard.json",
    ]);

    // Back to Alice: a fast-forward; then both export the same file.
    const back = await aliceApi.readScorecardFiles(await bobApi.exportScorecardFiles());
    expect(back.items[0]?.kind).toBe("theirsAhead");
    await aliceApi.importScorecardFiles(back.importId);
    const [a] = await aliceApi.exportScorecardFiles();
    const [b] = await bobApi.exportScorecardFiles();
    const body = (t: string) => JSON.parse(t) as { lineage: { head: string; versions: { hash: string }[] } };
    expect(body(a?.text as string).lineage.head).toBe(body(b?.text as string).lineage.head);
    expect(new Set(body(a?.text as string).lineage.versions.map((v) => v.hash))).toEqual(
      new Set(body(b?.text as string).lineage.versions.map((v) => v.hash)),
    );
    const live = JSON.parse(a?.text as string);
    expect([live.factors[0].label, live.factors[0].weight, live.bands[1].min]).toEqual(["Weekly logins", 25, 70]);
    alice.close();
    bob.close();
  });

  it("a file edited by hand is a new version on top of the one it was exported as", async () => {
    const alice = new VitalsDb("sync-hand-a", options);
    const bob = new VitalsDb("sync-hand-b", options);
    const aliceApi = createSyncApi(() => alice);
    const bobApi = createSyncApi(() => bob);
    await saveScorecard(alice, renewalCard(20), "first", "2025-01-01T00:00:00.000Z");
    await saveScorecard(bob, renewalCard(20), "first", "2025-01-01T00:00:00.000Z");
    const [file] = await aliceApi.exportScorecardFiles();
    const edited = JSON.parse(file?.text as string);
    edited.factors[0].weight = 40;
    const read = await bobApi.readScorecardFiles([
      { fileName: "renewal.scorecard.json", text: JSON.stringify(edited) },
    ]);
    expect(read.items[0]).toMatchObject({
      kind: "theirsAhead",
      adds: 1,
      theirs: { message: "Edited in renewal.scorecard.json" },
    });
  });
});
