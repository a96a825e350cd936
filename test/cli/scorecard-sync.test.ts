import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { schemaUrl } from "../../core/schema/json-schemas.ts";
import { Scorecard } from "../../core/schema/scorecard.ts";
import { scorecardFileText } from "../../core/scorecard/file.ts";
import { type LineageVersion, versionHash } from "../../core/scorecard/lineage.ts";
import { renewalCard } from "../support/renewal-card.ts";
import { vitals } from "./run-vitals.ts";

const dir = mkdtempSync(join(tmpdir(), "vitals-cli-merge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const card = (weight: number, bandB = 65, label = "Logins"): Scorecard =>
  Scorecard.parse(renewalCard(weight, bandB, label));
const v = (scorecard: Scorecard, parents: string[], message: string): LineageVersion => ({
  hash: versionHash(scorecard, parents),
  parents,
  scorecard,
  savedAt: "2025-01-01T00:00:00.000Z",
  message,
});
const file = (name: string, versions: LineageVersion[]) => {
  const path = join(dir, name);
  const head = versions.at(-1) as LineageVersion;
  writeFileSync(path, scorecardFileText({ id: "renewal", head: head.hash, versions }, schemaUrl("scorecard")));
  return path;
};

const v1 = v(card(20), [], "first");
const mine = file("mine.json", [v1, v(card(25, 65, "Weekly logins"), [v1.hash], "mine")]);
const theirs = file("theirs.json", [v1, v(card(20, 70), [v1.hash], "theirs")]);
const clash = file("clash.json", [v1, v(card(30, 70), [v1.hash], "clash")]);

describe("vitals diff and vitals merge", { timeout: 120_000 }, () => {
  it("diff prints each change in words with its JSON path", async () => {
    const run = await vitals("diff", mine, theirs);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n").slice(1)).toEqual([
      '$.factors[0].label: factor "Logins": label "Weekly logins" → "Logins"',
      '$.factors[0].weight: factor "Logins": weight 25 → 20',
      "$.bands[1].min: band B from 65 to 70",
      "",
    ]);
    expect((await vitals("diff", mine, mine)).stdout).toBe(`${mine} and ${mine} say the same.\n`);
  });

  it("merge takes each side's changes from the common version and keeps both histories", async () => {
    const out = join(dir, "merged.json");
    const run = await vitals("merge", mine, theirs, "-o", out);
    expect(run.stderr).toBe(`Merged ${theirs} into ${mine}.\n`);
    expect(run.code).toBe(0);
    const merged = JSON.parse(readFileSync(out, "utf8"));
    expect([merged.factors[0].label, merged.factors[0].weight, merged.bands[1].min]).toEqual(["Weekly logins", 25, 70]);
    expect(merged.lineage.versions.map((x: { message: string }) => x.message)).toEqual([
      "first",
      "mine",
      "theirs",
      `Merged ${theirs}`,
    ]);
    // Merging the result with either side again changes nothing: it has both.
    const again = await vitals("merge", out, theirs);
    expect(again.stderr).toBe(`${out} already has everything of ${theirs}.\n`);
    const forward = await vitals("merge", theirs, out);
    expect(forward.stderr).toBe(`${out} is ahead of ${theirs}: took it (a fast-forward).\n`);
  });

  it("merge fails on a conflict, naming the file and JSON path, and writes nothing", async () => {
    const out = join(dir, "never.json");
    const run = await vitals("merge", mine, clash, "-o", out);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")[1]).toBe(
      `${clash}: $.factors[0].weight: conflict: factor "Logins": weight 25 → 30 (${mine}: $.factors[0].weight; both changed it)`,
    );
    expect(() => readFileSync(out)).toThrow();
    expect((await vitals("merge", mine)).code).toBe(2);
  });
});
