import { describe, expect, it } from "vitest";
import { restoreBundle } from "../../../core/schema/bundle.ts";
import { versionHash } from "../../../core/scorecard/lineage.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { exportBundle, importBundle, previewBundleImport } from "../../../core/store/bundles.ts";
import { undoImport } from "../../../core/store/imports.ts";
import { loadPortfolio } from "../../../core/store/portfolio.ts";
import { listScorecards, revertScorecard, saveScorecard, scorecardVersions } from "../../../core/store/scorecards.ts";
import { addCsmRows, freshStores, importAccounts, importUsage, saveDefaultScorecards } from "../../support/stores.ts";

const freshDb = freshStores("bundles");

/** A store with a bit of everything: scorecards with history, accounts, usage, events, inputs, outcomes, overrides. */
async function seeded() {
  const db = await freshDb();
  await saveDefaultScorecards(db);
  await importAccounts(db, [
    ["id", "name", "domains", "arr", "segment"],
    ["a1", "Acme, Inc.", "acme.com; acme.io", "120000", "SMB"],
    ["a2", "Globex", "globex.io", "45000", "Enterprise"],
  ]);
  await importUsage(db, [
    ["a1", "active_users", "2025-01-31", "12.5"],
    ["a1", "active_users", "2025-02-01", "14"],
    ["a2", "tickets", "2025-02-01", "1"],
    ["a2", "tickets", "2025-02-01", "1"],
  ]);
  await addCsmRows(db);
  return db;
}

describe("bundles", () => {
  it("export → import into an empty store → export is lossless", async () => {
    const source = await seeded();
    const first = await exportBundle(source, "everything", "2025-03-01T12:00:00.000Z");
    // Through JSON text, as a file would carry it, and back through the reader with its upgrade step.
    const read = restoreBundle(JSON.parse(JSON.stringify(first)));
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const target = await freshDb();
    await importBundle(target, read.value, "merge", { id: "b1", at: "2025-03-02T08:00:00Z", fileName: "vitals.json" });
    const second = await exportBundle(target, "everything", "2025-03-01T12:00:00.000Z");
    expect(second).toEqual(first);
    expect(first.observations).toHaveLength(4);
    expect(await loadPortfolio(target)).toEqual(await loadPortfolio(source));
  });

  it("loads the stored portfolio as per-metric columns, manual inputs apart as ratings", async () => {
    const db = await seeded();
    const { accounts, metrics, ratings } = await loadPortfolio(db);
    expect(accounts.map((a) => a.id)).toEqual(["a1", "a2"]);
    expect(metrics.map((m) => [m.metric, Array.from(m.account), Array.from(m.value)])).toEqual([
      ["active_users", [0, 0], [12.5, 14]],
      ["tickets", [1, 1], [1, 1]],
    ]);
    expect(ratings.map((r) => [r.account, r.metric, r.value])).toEqual([[0, "csm_sentiment", 4]]);
  });

  it("merge classifies a version 1 bundle's scorecards by lineage: a card changed on both sides is kept, never overwritten", async () => {
    const db = await seeded();
    const [onboarding, adoption, renewal] = DEFAULT_SCORECARDS;
    if (!onboarding || !adoption || !renewal) throw new Error("defaults missing");
    // Here: onboarding edited after the default (so the default is an older version of it).
    await saveScorecard(db, { ...onboarding, name: "Onboarding, ours" }, "our edit", "2025-02-01T00:00:00.000Z");
    const bundle = {
      format: "vitals-bundle" as const,
      version: 1 as const,
      exportedAt: "2025-03-01T00:00:00Z",
      scorecards: [
        // The default we started from: mine is ahead (whatever its date says).
        { ...onboarding, updatedAt: "2026-01-01T00:00:00.000Z" },
        // A teammate's edit of the default: not a version of mine, so changed on both sides, even though older.
        { ...adoption, name: "Adoption, tuned", updatedAt: "2024-12-15T00:00:00.000Z" },
        // The same content as mine, saved at another time.
        { ...renewal, updatedAt: "2025-02-15T00:00:00.000Z" },
        { ...adoption, id: "renewal-smb", name: "Renewal SMB", updatedAt: "2025-02-15T00:00:00.000Z" },
      ],
    };
    const expected = [
      { id: "onboarding", kind: "mineAhead", versionsAdded: 0 },
      { id: "adoption-smb", kind: "diverged", versionsAdded: 1, theirsHere: 2 },
      { id: renewal.id, kind: "same", versionsAdded: 0 },
      { id: "renewal-smb", kind: "new", versionsAdded: 1 },
    ];
    expect((await previewBundleImport(db, bundle, "merge")).scorecards).toEqual(expected);
    const done = await importBundle(db, bundle, "merge", {
      id: "b1",
      at: "2025-03-02T00:00:00Z",
      fileName: "team.json",
    });
    expect(done.scorecards).toEqual(expected);
    const names = (await listScorecards(db)).map((c) => [c.id, c.name]);
    expect(names).toEqual([
      ["adoption-smb", "Adoption (SMB)"],
      ["enterprise-renewal", renewal.name],
      ["onboarding", "Onboarding, ours"],
      ["renewal-smb", "Renewal SMB"],
    ]);
    // The teammate's edit is in the history, with its own lineage (no known parents), and can be taken by a revert.
    const versions = await scorecardVersions(db, "adoption-smb");
    expect(versions.map((v) => [v.version, v.scorecard.name, v.message, v.parents.length])).toEqual([
      [1, "Adoption (SMB)", "Default", 0],
      [2, "Adoption, tuned", "Imported from team.json (changed here too: yours stayed live)", 0],
    ]);
    expect(versions[1]?.hash).toBe(versionHash({ ...adoption, name: "Adoption, tuned" }, []));
    // The same file again adds nothing: its card is now a version here (still not live: still diverged).
    const again = await importBundle(db, bundle, "merge", {
      id: "b2",
      at: "2025-03-03T00:00:00Z",
      fileName: "team.json",
    });
    expect(again.scorecards[1]).toEqual({ id: "adoption-smb", kind: "diverged", versionsAdded: 0, theirsHere: 2 });
    expect(await scorecardVersions(db, "adoption-smb")).toHaveLength(2);
    expect(await revertScorecard(db, "adoption-smb", 2)).toEqual({ ok: true, value: 3 });
    expect((await listScorecards(db)).find((c) => c.id === "adoption-smb")?.name).toBe("Adoption, tuned");
  });

  it("replace makes the bundle's kinds of content the whole of what is stored", async () => {
    const db = await seeded();
    const other = await freshDb();
    await saveScorecard(
      other,
      { ...(DEFAULT_SCORECARDS[1] as object), id: "only-one", name: "Only one" } as never,
      "x",
    );
    const bundle = await exportBundle(other, "scorecards");
    expect((await previewBundleImport(db, bundle, "replace")).undoable).toBe(false);
    await importBundle(db, bundle, "replace", { id: "b2", at: "2025-03-02T00:00:00Z", fileName: "only.json" });
    expect((await listScorecards(db)).map((c) => c.id)).toEqual(["only-one"]);
    // A scorecards-only bundle leaves accounts and data alone.
    expect(await db.accounts.count()).toBe(2);
  });

  it("data merged from a bundle can be undone from the import log", async () => {
    const db = await seeded();
    const before = await exportBundle(db, "everything", "t");
    const incoming = {
      ...before,
      accounts: [{ ...(before.accounts?.[0] as object), name: "Acme (renamed)" } as never],
      observations: [],
    };
    await importBundle(db, incoming, "merge", { id: "b3", at: "2025-03-03T00:00:00Z", fileName: "x.json" });
    expect((await db.accounts.get("a1"))?.name).toBe("Acme (renamed)");
    await undoImport(db, "b3");
    const after = await exportBundle(db, "everything", "t");
    expect(after.accounts).toEqual(before.accounts);
    expect(after.observations).toEqual(before.observations);
  });
});
