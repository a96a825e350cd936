import Dexie from "dexie";
import { describe, expect, it } from "vitest";
import { BACKUP_TABLES } from "../../../core/schema/backup.ts";
import { classifyScorecard } from "../../../core/scorecard/classify.ts";
import { DEFAULT_SCORECARDS } from "../../../core/scoring/defaults.ts";
import { backupFrameForTests as frame, readBackup, storeTableOf, writeBackup } from "../../../core/store/backup.ts";
import { mergeBackup } from "../../../core/store/backup-merge.ts";
import { replacedBackup, replaceWithBackup, storeIsEmpty } from "../../../core/store/backup-restore.ts";
import { allBlocks, readBlocks, writeBlocks } from "../../../core/store/block-table.ts";
import type { VitalsDb, YearBlockRow } from "../../../core/store/db.ts";
import { scorecardLineages, takeScorecard } from "../../../core/store/scorecard-lineage.ts";
import { saveScorecard, scorecardVersions } from "../../../core/store/scorecards.ts";
import { fillEverything } from "../../support/backup-store.ts";
import { freshStores } from "../../support/stores.ts";

const freshDb = freshStores("backup");

const AT = "2025-03-01T12:00:00.000Z";

/** A store where every table a user makes has rows (test/support/backup-store.ts). */
async function everything() {
  return fillEverything(await freshDb());
}

async function gunzip(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await new Response(blob.stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
}
async function gzip(bytes: Uint8Array): Promise<Blob> {
  return new Response(
    new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip")),
  ).blob();
}
/** The bytes with the first occurrence of one text replaced by another of the same length. */
function replaceBytes(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const a = new TextEncoder().encode(from);
  const b = new TextEncoder().encode(to);
  expect(b.length).toBe(a.length);
  for (let i = 0; i + a.length <= bytes.length; i++) {
    if (a.every((x, k) => bytes[i + k] === x)) {
      const out = bytes.slice();
      out.set(b, i);
      return out;
    }
  }
  throw new Error(`${from} is not in the bytes`);
}

/** The store's tables as plain data, to compare two stores. */
async function dump(db: VitalsDb) {
  const out: Record<string, unknown> = {};
  for (const t of BACKUP_TABLES) out[t] = await db.table(storeTableOf(t)).toArray();
  out.meta = (out.meta as { key: string }[]).filter(
    (r) => !["inputs", "views.dashboard", "backup.replaced"].includes(r.key),
  );
  return out;
}

describe("backups", () => {
  it("every table round-trips: restored into an empty store, it exports the same bytes", async () => {
    const source = await everything();
    const first = await writeBackup(source, { exportedAt: AT });
    expect(first.manifest.counts).toEqual({
      accounts: 2,
      yearBlocks: 3,
      manualInputs: 1,
      outcomes: 1,
      scorecards: DEFAULT_SCORECARDS.length,
      scorecardVersions: DEFAULT_SCORECARDS.length + 2,
      alerts: 1,
      playTemplates: 1,
      tasks: 1,
      notes: 1,
      overrides: 1,
      imports: 2,
      importUndo: await source.importUndo.count(),
      mappings: 1,
      coverage: 1,
      links: 1,
      meta: 1,
    });
    // a1's blocks of 2024 and 2025, and a2's ticket day twice (events).
    expect(first.manifest.observations).toBe(5);
    const target = await freshDb();
    expect(await storeIsEmpty(target)).toBe(true);
    const content = await readBackup(first.blob, "backup.gz");
    await replaceWithBackup(target, content);
    const second = await writeBackup(target, { exportedAt: AT });
    expect(await gunzip(second.blob)).toEqual(await gunzip(first.blob));
    expect(await dump(target)).toEqual(await dump(source));
    // The typed arrays of undo records come back as typed arrays.
    const undo = (await target.importUndo.toArray()).find((u) => u.table === "yearBlocks");
    expect((undo?.entries[0]?.before as { touched?: unknown } | null)?.touched ?? new Uint16Array()).toBeInstanceOf(
      Uint16Array,
    );
  });

  it("leaves out every stored view, heads and chunks alike: the next scoring makes them again", async () => {
    const source = await everything();
    const stamp = { stamp: "s1" };
    await source.meta.bulkPut([
      { key: "views.dashboard", value: stamp },
      { key: "views.rows", value: { ...stamp, chunks: 2 } },
      { key: "views.rows.0", value: { view: [{ id: "a1" }] } },
      { key: "views.rows.1", value: { view: [{ id: "a2" }] } },
      { key: "views.badges", value: { ...stamp, chunks: 1 } },
      { key: "views.badges.0", value: { entries: [] } },
    ]);
    const { manifest, blob } = await writeBackup(source, { exportedAt: AT });
    // The one meta row a user made (as in the round trip above), not the six views.
    expect(manifest.counts.meta).toBe(1);
    const content = await readBackup(blob, "backup.gz");
    expect((content.rows.meta as { key: string }[]).map((r) => r.key).filter((k) => k.startsWith("views."))).toEqual(
      [],
    );
  });

  it("refuses a newer version, naming the version it needs, and changes nothing", async () => {
    const bytes = new Uint8Array([...frame({ format: "vitals-backup", version: 3, exportedAt: AT })]);
    await expect(readBackup(await gzip(bytes), "new.gz")).rejects.toThrow(
      "new.gz cannot be restored: it is a version 3 backup, made by a newer Vitals: restoring it needs a Vitals that reads backup version 3; this one reads up to version 2; nothing was changed",
    );
  });

  it("refuses a cut-short file whole", async () => {
    const { blob } = await writeBackup(await everything(), { exportedAt: AT });
    const raw = new Uint8Array(await blob.arrayBuffer());
    // Cut inside the compressed data: gzip cannot finish.
    await expect(readBackup(new Blob([raw.slice(0, raw.length - 20)]), "cut.gz")).rejects.toThrow(
      /^cut\.gz cannot be restored: the file is damaged or cut short: its compressed data cannot be read/,
    );
    // Cut at a frame boundary and compressed again: a whole gzip stream without its manifest.
    const plain = await gunzip(blob);
    const header = new DataView(plain.buffer).getUint32(0, true) + 8;
    await expect(readBackup(await gzip(plain.slice(0, header)), "head.gz")).rejects.toThrow(
      "head.gz cannot be restored: the file is cut short: it ends after 0 data frames, without its manifest; nothing was changed",
    );
    await expect(readBackup(await gzip(plain.slice(0, header + 5)), "mid.gz")).rejects.toThrow(
      "mid.gz cannot be restored: the file is cut short inside frame 1; nothing was changed",
    );
  });

  it("refuses a changed file by its checksum, and a damaged row by its table and field", async () => {
    const { blob } = await writeBackup(await everything(), { exportedAt: AT });
    const plain = await gunzip(blob);
    // Same length, other content: only the checksum can tell.
    const changed = replaceBytes(plain, "Acme, Inc.", "Acme, Ltd.");
    await expect(readBackup(await gzip(changed), "changed.gz")).rejects.toThrow(
      /^changed\.gz cannot be restored: its checksum does not match \(the manifest says [0-9a-f]{64}, the frames give [0-9a-f]{64}\): it was changed or damaged; nothing was changed$/,
    );
    const bad = replaceBytes(plain, '"rating":4', '"rating":9');
    await expect(readBackup(await gzip(bad), "bad.gz")).rejects.toThrow(
      /^bad\.gz cannot be restored: manualInputs row 1 \(frame \d+\) is not valid: \$\.manualInputs\[0\]\.rating: /,
    );
    await expect(readBackup(new Blob(['{"format":"vitals-bundle"}']), "b.json")).rejects.toThrow(
      "b.json cannot be restored: it is not a Vitals backup (a backup is gzip-compressed; this file is not); nothing was changed",
    );
  });

  it("replace keeps what it replaced until the user lets it go; a failed restore changes nothing", async () => {
    const source = await everything();
    const { blob } = await writeBackup(source, { exportedAt: AT });
    const target = await freshDb();
    await saveScorecard(target, { ...(DEFAULT_SCORECARDS[1] as object), id: "mine", name: "Mine" } as never, "x");
    expect(await storeIsEmpty(target)).toBe(false);
    const before = await dump(target);
    const content = await readBackup(blob, "b.gz");
    // A cancel half way rolls the whole restore back.
    let calls = 0;
    await expect(
      replaceWithBackup(target, content, {
        stop: () => {
          if (++calls === 3) throw new DOMException("cancelled", "AbortError");
        },
      }),
    ).rejects.toThrow("cancelled");
    expect(await dump(target)).toEqual(before);
    const kept = await writeBackup(target);
    await replaceWithBackup(target, content, {
      keep: { at: AT, fileName: "b.gz", bytes: new Uint8Array(await kept.blob.arrayBuffer()) },
    });
    expect(await dump(target)).toEqual(await dump(source));
    const replaced = await replacedBackup(target);
    expect(replaced?.fileName).toBe("b.gz");
    // Putting the kept backup back gives the store as it was.
    const back = await readBackup(new Blob([replaced?.bytes as Uint8Array<ArrayBuffer>]), "kept.gz");
    await replaceWithBackup(target, back);
    expect(await dump(target)).toEqual(before);
  });

  it("merge adds what is new, keeps what this store has, and keeps both scorecard histories", async () => {
    const source = await everything();
    const { blob } = await writeBackup(source, { exportedAt: AT });
    const target = await everything();
    const first = DEFAULT_SCORECARDS[0];
    if (!first) throw new Error("no default scorecard");
    await saveScorecard(target, { ...first, name: "My own edit" }, "mine", "2025-01-04T00:00:00.000Z");
    await target.notes.add({ accountId: "a2", at: "2025-02-22T10:00:00.000Z", author: "lee", text: "Mine" });
    await source.notes.add({ accountId: "a2", at: "2025-02-23T10:00:00.000Z", author: "kim", text: "Theirs" });
    // An alert open here and snoozed there takes the snooze; one triaged on both sides keeps mine.
    const open = {
      id: "al2",
      scorecardId: "onboarding",
      ruleId: "band",
      kind: "band",
      accountId: "a2",
      status: "open" as const,
      raisedOn: "2025-02-26",
      title: "Band fell",
      message: "Now C",
      since: "2025-02-26",
      updatedOn: "2025-02-28",
    };
    await target.alerts.put(open);
    await source.alerts.put({ ...open, status: "snoozed", snoozedUntil: "2025-03-20", updatedOn: "2025-02-27" });
    await target.alerts.put({ ...open, id: "al3", status: "done", doneOn: "2025-02-28", resolution: "done" });
    await source.alerts.put({ ...open, id: "al3", status: "snoozed", snoozedUntil: "2025-03-20" });
    const theirs = await readBackup((await writeBackup(source, { exportedAt: AT })).blob, "theirs.gz");
    const meta = { id: "m1", at: AT, fileName: "theirs.gz" };
    const dry = await mergeBackup(target, theirs, meta, { dryRun: true });
    expect(await target.notes.count()).toBe(2);
    const done = await mergeBackup(target, theirs, meta);
    expect(done.tables).toEqual(dry.tables);
    expect(done.tables.notes).toEqual({ added: 1, same: 1, kept: 0, updated: 0 });
    expect(done.tables.alerts).toEqual({ added: 0, same: 1, kept: 1, updated: 1 });
    // The snooze made there, on this store's own alert (its condition as this store last scored it).
    expect(await target.alerts.get("al2")).toEqual({ ...open, status: "snoozed", snoozedUntil: "2025-03-20" });
    expect((await target.alerts.get("al3"))?.status).toBe("done");
    // Their history is the same as mine up to version 3; mine has a 4th: mine is ahead, nothing to add.
    expect(done.scorecards).toEqual(
      DEFAULT_SCORECARDS.map((c) => ({
        id: c.id,
        kind: c.id === first.id ? "mineAhead" : "same",
        versionsAdded: 0,
      })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect((await target.scorecards.get(first.id))?.scorecard.name).toBe("My own edit");
    // A backup whose scorecard went another way: its version joins the history, the live one stays mine.
    await saveScorecard(source, { ...first, name: "Their edit" }, "theirs", "2025-01-05T00:00:00.000Z");
    const diverged = await readBackup((await writeBackup(source, { exportedAt: AT })).blob, "theirs2.gz");
    const again = await mergeBackup(target, diverged, { ...meta, id: "m2", fileName: "theirs2.gz" });
    expect(again.scorecards.find((c) => c.id === first.id)).toEqual({
      id: first.id,
      kind: "diverged",
      versionsAdded: 1,
      theirsHere: 5,
    });
    const versions = await scorecardVersions(target, first.id);
    expect(versions.map((v) => [v.version, v.scorecard.name, v.message])).toEqual([
      [1, first.name, "Default"],
      [2, "Edited once", "first edit"],
      [3, "Edited twice", "second edit"],
      [4, "My own edit", "mine"],
      [5, "Their edit", "theirs (version 4 in theirs2.gz)"],
    ]);
    expect((await target.scorecards.get(first.id))?.scorecard.name).toBe("My own edit");
    expect(blob.size).toBeGreaterThan(0);
    // The same file again adds nothing: their version is in the history already.
    const twice = await mergeBackup(target, diverged, { ...meta, id: "m3", fileName: "theirs2.gz" });
    expect(twice.scorecards.find((c) => c.id === first.id)).toEqual({
      id: first.id,
      kind: "diverged",
      versionsAdded: 0,
      theirsHere: 5,
    });
    expect(await scorecardVersions(target, first.id)).toHaveLength(5);
  });

  it("merge fast-forwards a scorecard that is ahead in the backup, and brings new ones with their history", async () => {
    const source = await everything();
    const target = await everything();
    const first = DEFAULT_SCORECARDS[0];
    if (!first) throw new Error("no default scorecard");
    await saveScorecard(source, { ...first, name: "Ahead" }, "their next edit", "2025-01-06T00:00:00.000Z");
    await saveScorecard(
      source,
      { ...first, id: "brand-new", name: "Brand new" },
      "created",
      "2025-01-07T00:00:00.000Z",
    );
    await saveScorecard(
      source,
      { ...first, id: "brand-new", name: "Brand new 2" },
      "edited",
      "2025-01-08T00:00:00.000Z",
    );
    const theirs = await readBackup((await writeBackup(source, { exportedAt: AT })).blob, "ahead.gz");
    const done = await mergeBackup(target, theirs, { id: "m1", at: AT, fileName: "ahead.gz" });
    expect(done.scorecards.filter((c) => c.kind !== "same")).toEqual([
      { id: "brand-new", kind: "new", versionsAdded: 2 },
      { id: first.id, kind: "theirsAhead", versionsAdded: 1 },
    ]);
    expect((await target.scorecards.get(first.id))?.scorecard.name).toBe("Ahead");
    expect((await target.scorecards.get(first.id))?.version).toBe(4);
    expect((await scorecardVersions(target, first.id)).map((v) => v.message)).toEqual([
      "Default",
      "first edit",
      "second edit",
      "their next edit",
    ]);
    expect((await scorecardVersions(target, "brand-new")).map((v) => v.scorecard.name)).toEqual([
      "Brand new",
      "Brand new 2",
    ]);
    // Both stores now hold the same scorecards and histories.
    expect(await target.scorecards.toArray()).toEqual(await source.scorecards.toArray());
    expect(await target.scorecardVersions.toArray()).toEqual(await source.scorecardVersions.toArray());
  });

  it("merge classifies by the stored lineage: two stores that diverged, merged and merged back end with one history", async () => {
    const origin = await everything();
    const start = await readBackup((await writeBackup(origin, { exportedAt: AT })).blob, "start.gz");
    const a = await freshDb();
    const b = await freshDb();
    await replaceWithBackup(a, start);
    await replaceWithBackup(b, start);
    const first = DEFAULT_SCORECARDS[0];
    if (!first) throw new Error("no default scorecard");
    // Offline, each side edits the same scorecard its own way.
    await saveScorecard(a, { ...first, name: "A's edit" }, "a", "2025-01-10T00:00:00.000Z");
    await saveScorecard(b, { ...first, name: "B's edit", description: "from B" }, "b", "2025-01-11T00:00:00.000Z");
    const fromB = await readBackup((await writeBackup(b, { exportedAt: AT })).blob, "b.gz");
    const intoA = await mergeBackup(a, fromB, { id: "m1", at: AT, fileName: "b.gz" });
    expect(intoA.scorecards.find((c) => c.id === first.id)).toEqual({
      id: first.id,
      kind: "diverged",
      versionsAdded: 1,
      theirsHere: 5,
    });
    // Never silently overwritten: A's stays live, B's is version 5 with B's own hash and parents.
    expect((await a.scorecards.get(first.id))?.scorecard.name).toBe("A's edit");
    const bEdit = (await scorecardVersions(b, first.id)).at(-1);
    const inA = (await scorecardVersions(a, first.id)).at(-1);
    expect([inA?.version, inA?.scorecard.name, inA?.hash, inA?.parents]).toEqual([
      5,
      "B's edit",
      bEdit?.hash,
      bEdit?.parents,
    ]);
    // A merges the two (a version with both as parents) as the scorecard import does.
    const [lineage] = await scorecardLineages(a, [first.id]);
    const cls = classifyScorecard(lineage, {
      id: first.id,
      head: bEdit?.hash as string,
      versions: [],
    });
    expect(cls.kind).toBe("diverged");
    await takeScorecard(
      a,
      { cls, merged: { ...first, name: "A's edit", description: "from B" } },
      "2025-01-12T00:00:00.000Z",
    );
    // B merges A's backup: A's merge descends from B's edit, so B moves ahead to it, gaining A's edit and the merge.
    const fromA = await readBackup((await writeBackup(a, { exportedAt: AT })).blob, "a.gz");
    const intoB = await mergeBackup(b, fromA, { id: "m2", at: AT, fileName: "a.gz" });
    expect(intoB.scorecards.find((c) => c.id === first.id)).toEqual({
      id: first.id,
      kind: "theirsAhead",
      versionsAdded: 2,
    });
    expect((await b.scorecards.get(first.id))?.scorecard).toMatchObject({ name: "A's edit", description: "from B" });
    // And back: nothing more to take; both hold the same versions (by hash) and the same live one.
    const fromB2 = await readBackup((await writeBackup(b, { exportedAt: AT })).blob, "b2.gz");
    const back = await mergeBackup(a, fromB2, { id: "m3", at: AT, fileName: "b2.gz" });
    expect(back.scorecards.find((c) => c.id === first.id)).toEqual({ id: first.id, kind: "same", versionsAdded: 0 });
    const hashes = async (db: VitalsDb) =>
      (await scorecardVersions(db, first.id)).map((v) => [v.hash, v.parents.join()]).sort();
    expect(await hashes(a)).toEqual(await hashes(b));
    expect(await hashes(a)).toHaveLength(6);
    const liveHash = async (db: VitalsDb) => {
      const live = await db.scorecards.get(first.id);
      return (await db.scorecardVersions.get([first.id, live?.version as number]))?.hash;
    };
    expect(await liveHash(a)).toBe(await liveHash(b));
  });

  it("a backup of a store before version 6 (versions without hashes) reads with the lineage version 6 gives them", async () => {
    const source = await everything();
    const hashed = await source.scorecardVersions.toArray();
    await source.scorecardVersions.toCollection().modify((row) => {
      const r = row as unknown as { hash?: string; parents?: string[] };
      delete r.hash;
      delete r.parents;
    });
    const content = await readBackup((await writeBackup(source, { exportedAt: AT })).blob, "old.gz");
    expect(content.rows.scorecardVersions).toEqual(hashed);
    // Merged into a store of today, it is the same history: nothing to add.
    const target = await everything();
    const done = await mergeBackup(target, content, { id: "m1", at: AT, fileName: "old.gz" });
    expect(done.scorecards.every((c) => c.kind === "same" && c.versionsAdded === 0)).toBe(true);
  });

  it("an export is one snapshot: an edit made while it runs waits, and is wholly after it", async () => {
    const db = await everything();
    // Three pages of year blocks, so the export reads blocks after the edit below was asked for.
    const blocks = Array.from({ length: 2500 }, (_, i) => ({
      accountId: `x${String(i).padStart(4, "0")}`,
      metric: "logins",
      year: 2025,
      days: new Uint16Array([0, 1]),
      values: new Float64Array([i, i + 0.5]),
    }));
    await writeBlocks(db, blocks);
    const before = { notes: await db.notes.toArray(), blocks: await allBlocks(db) };
    let edit: Promise<unknown> | undefined;
    const { blob } = await writeBackup(db, {
      exportedAt: AT,
      onProgress: () => {
        // After the first page of blocks: a note and the last block change in one transaction (outside the
        // export's own, as another tab's edit would be).
        edit ??= Dexie.ignoreTransaction(() =>
          db.transaction("rw", db.notes, db.accountYears, async () => {
            await db.notes.add({ accountId: "a1", at: "2025-03-01T13:00:00.000Z", author: "lee", text: "Meanwhile" });
            await writeBlocks(db, [{ ...(blocks[2499] as YearBlockRow), values: new Float64Array([-1, -1]) }]);
          }),
        );
      },
    });
    expect(edit).toBeDefined();
    await edit;
    const content = await readBackup(blob, "snapshot.gz");
    expect(content.rows.notes).toEqual(before.notes);
    expect(content.blocks).toEqual(before.blocks);
    // The edit was made, after the export.
    expect(await db.notes.count()).toBe(before.notes.length + 1);
    const [edited] = (await readBlocks(db, [["x2499", "logins", 2025]])).blocks;
    expect(Array.from(edited?.values ?? [])).toEqual([-1, -1]);
  });
});
