import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { IDBKeyRange, indexedDB } from "fake-indexeddb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaUrl } from "../../core/schema/json-schemas.ts";
import { scorecardFileName, scorecardFileText } from "../../core/scorecard/file.ts";
import { backupFrameForTests as frame, writeBackup } from "../../core/store/backup.ts";
import { exportBundle } from "../../core/store/bundles.ts";
import { VitalsDb } from "../../core/store/db.ts";
import { scorecardLineages } from "../../core/store/scorecard-lineage.ts";
import { fillEverything } from "../support/backup-store.ts";
import { vitals } from "./run-vitals.ts";

const AT = "2025-03-01T12:00:00.000Z";
const dir = mkdtempSync(join(tmpdir(), "vitals-cli-backup-"));
const file = join(dir, "team.vitals.gz");
let db: VitalsDb;

beforeAll(async () => {
  db = await fillEverything(new VitalsDb("cli-backup", { indexedDB, IDBKeyRange }));
  const { blob } = await writeBackup(db, { exportedAt: AT });
  writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
});
afterAll(async () => {
  db.close();
  await db.delete();
  rmSync(dir, { recursive: true, force: true });
});

/** The file's frames after gzip, as written (each: u32 JSON length, JSON, u32 binary length, binary). */
function framesOf(path: string): Buffer[] {
  const plain = gunzipSync(readFileSync(path));
  const out: Buffer[] = [];
  for (let at = 0; at < plain.length; ) {
    const text = plain.readUInt32LE(at);
    const end = at + 8 + text + plain.readUInt32LE(at + 4 + text);
    out.push(plain.subarray(at, end));
    at = end;
  }
  return out;
}
const write = (name: string, frames: readonly Uint8Array[]) => {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(Buffer.concat(frames)));
  return path;
};

describe("vitals backup", () => {
  it("verify prints the version, the checksum and every table's rows", async () => {
    const run = await vitals("backup", "verify", file);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`${file}: a Vitals backup, version 2, exported ${AT}`);
    expect(lines[1]).toMatch(/^checksum: ok \(SHA-256 [0-9a-f]{64} over \d+ data frames\); counts: ok$/);
    const counts = Object.fromEntries(
      lines.slice(2, -1).map((l) => {
        const [name, count] = l.trim().split(/\s+/);
        return [name, Number(count?.replace(/,/g, ""))];
      }),
    );
    // Worked from fillEverything: 3 default scorecards, one saved twice more; 2 accounts; 5 observations on 3
    // account × metric × year blocks (a1's active users in 2024 and 2025, a2's two tickets of one day in 2025).
    expect(counts).toMatchObject({
      accounts: 2,
      yearBlocks: 3,
      observations: 5,
      scorecards: 3,
      scorecardVersions: 5,
      notes: 1,
      alerts: 1,
      tasks: 1,
      mappings: 1,
    });
  }, 60_000);

  it("restore writes the data as the app's bundle of everything, and each scorecard with its history", async () => {
    const out = join(dir, "restored.json");
    const cards = join(dir, "cards");
    const run = await vitals("backup", "restore", file, "-o", out, "--scorecard-files", cards);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `${out}: 3 scorecards, 2 accounts, 5 observations, 1 ratings, 1 outcomes, 1 overrides`,
    );
    // The same bundle the app exports from the store the backup was made of.
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(
      JSON.parse(JSON.stringify(await exportBundle(db, "everything", AT))),
    );
    // The same scorecard files as the app's "Export scorecards as files".
    const lineages = await scorecardLineages(db);
    expect(readdirSync(cards).sort()).toEqual(lineages.map((l) => scorecardFileName(l.id)).sort());
    for (const l of lineages) {
      expect(readFileSync(join(cards, scorecardFileName(l.id)), "utf8")).toBe(
        scorecardFileText(l, schemaUrl("scorecard")),
      );
    }
    // Which the command reads as a valid bundle (`vitals score --scorecards` takes it; scoring this small store's
    // data would only say the default scorecards' other metrics are missing from it).
    const check = await vitals("check", out);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
  }, 60_000);

  it("refuses a cut-short, changed, damaged or newer file whole, naming the file and what is wrong; writes nothing", async () => {
    const frames = framesOf(file);
    const bytes = readFileSync(file);
    const cut = join(dir, "cut.vitals.gz");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    // A note's text changed after writing: the checksum no longer matches.
    const changed = write(
      "changed.vitals.gz",
      frames.map((f) => {
        const text = f.toString("latin1");
        return text.includes('"table":"notes"')
          ? Buffer.from(text.replace("Champion is leaving", "Champion is staying"), "latin1")
          : f;
      }),
    );
    // A row that is not valid (its frame and the manifest rewritten to match, as a buggy writer would).
    const newer = write("newer.vitals.gz", [
      frame({ format: "vitals-backup", version: 3, exportedAt: AT }),
      ...frames.slice(1),
    ]);
    const badRow = write("bad-row.vitals.gz", [
      frames[0] as Buffer,
      frame({ table: "notes", rows: [{ id: 1, accountId: "a1", at: AT, author: "dana", text: 7 }] }),
      frame({ manifest: true, frames: 1, counts: {}, observations: 0, sha256: "0".repeat(64) }),
    ]);
    const cases: [string, RegExp][] = [
      [cut, /cut\.vitals\.gz cannot be restored: the file is damaged or cut short/],
      [changed, /changed\.vitals\.gz cannot be restored: its checksum does not match .*: it was changed or damaged$/m],
      [
        newer,
        /newer\.vitals\.gz cannot be restored: it is a version 3 backup, made by a newer Vitals: restoring it needs a Vitals that reads backup version 3; this one reads up to version 2$/m,
      ],
      [badRow, /bad-row\.vitals\.gz cannot be restored: notes row 1 \(frame 1\) is not valid: \$\.notes\[0\]\.text: /],
    ];
    for (const [path, message] of cases) {
      const out = join(dir, "never.json");
      for (const args of [
        ["verify", path],
        ["restore", path, "-o", out],
      ]) {
        const run = await vitals("backup", ...args);
        expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(message);
        expect(readdirSync(dir)).not.toContain("never.json");
      }
    }
  }, 180_000);

  it("a missing file or a wrong call is a usage error", async () => {
    const missing = await vitals("backup", "verify", join(dir, "nope.gz"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`vitals: cannot read backup file ${join(dir, "nope.gz")}: no such file\n`);
    const noOut = await vitals("backup", "restore", file);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("backup restore needs -o <bundle.json>");
    const unknown = await vitals("backup", "load", file);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown backup command "load"');
  }, 60_000);
});
