import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { editAdoption, go, installedProfile } from "../support/pwa.ts";

/**
 * Two CSMs, two browser profiles (two contexts: two stores), share scorecards as files. Both edit "Adoption (SMB)"
 * offline, the same weight differently (a real conflict) and a band each; Bob imports Alice's files (diverged: a
 * side-by-side list of changes with a choice each and the live preview of the merged draft), Alice imports Bob's
 * (a fast-forward). They end with the same scorecard and both histories.
 */

// Each profile's first run creates, imports and scores the 500 demo accounts (a minute or more under CI load), and
// each save and import rescores them.
test.setTimeout(420_000);

async function scorecardsPage(page: Page) {
  await go(page, "#/scorecards");
  await expect(page.getByRole("heading", { level: 1, name: "Scorecards" })).toBeVisible();
}

/** Exports every scorecard as its own file into `dir`; returns the paths. */
async function exportFiles(page: Page, dir: string): Promise<string[]> {
  await scorecardsPage(page);
  const downloads: Promise<string>[] = [];
  const seen = new Promise<void>((resolve) => {
    page.on("download", (d) => {
      const path = join(dir, d.suggestedFilename());
      downloads.push(d.saveAs(path).then(() => path));
      if (downloads.length === 3) resolve();
    });
  });
  await page.getByRole("button", { name: "Export scorecards as files" }).click();
  await seen;
  await expect(page.getByRole("status").filter({ hasText: "Saved 3 files" })).toBeVisible();
  return (await Promise.all(downloads)).sort();
}

/**
 * The exported files' content: each scorecard's live fields, and its history as a set of version hashes. (Not when
 * it was saved: each profile saved the default scorecards on its own first run, the same version at another time.)
 */
function contentOf(paths: string[]) {
  return paths.map((p) => {
    const { lineage, updatedAt: _at, ...card } = JSON.parse(readFileSync(p, "utf8"));
    return { card, head: lineage.head, versions: lineage.versions.map((v: { hash: string }) => v.hash).sort() };
  });
}

test("two profiles exchange scorecard files both ways after offline edits with a conflict, and end the same", async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL as string;
  const dir = mkdtempSync(join(tmpdir(), "vitals-sync-"));
  const contexts: BrowserContext[] = [];
  try {
    const open = async (who: string) => {
      // Installed before going offline, as a user's installed app is: each page is then served from the precache.
      const { context, page } = await installedProfile(browser, baseURL, 200_000);
      contexts.push(context);
      // From here on both work offline: the app needs no network, and files move by hand.
      await context.setOffline(true);
      return { who, page, dir: mkdtempSync(join(dir, `${who}-`)) };
    };
    const [alice, bob] = [await open("alice"), await open("bob")];

    await editAdoption(alice.page, {
      weight: "25",
      band: { number: 2, from: "70" },
      message: "Alice: heavier seats, stricter B",
    });
    await editAdoption(bob.page, {
      weight: "30",
      band: { number: 3, from: "55" },
      message: "Bob: heavier seats, stricter C",
    });

    // Bob imports Alice's files: Adoption (SMB) diverged, the other two the same.
    const fromAlice = await exportFiles(alice.page, alice.dir);
    expect(fromAlice.map((p) => p.split("/").at(-1))).toEqual([
      "adoption-smb.scorecard.json",
      "enterprise-renewal.scorecard.json",
      "onboarding.scorecard.json",
    ]);
    const b = bob.page;
    await scorecardsPage(b);
    await b.getByLabel("Import scorecard files").setInputFiles(fromAlice);
    const what = b.getByRole("table", { name: "What the files hold" });
    await expect(what.getByRole("row").filter({ hasText: "Adoption (SMB)" })).toContainText("Diverged");
    await expect(what.getByRole("row").filter({ hasText: "Onboarding" })).toContainText("Already have it");
    await expect(what.getByRole("row").filter({ hasText: "Enterprise renewal" })).toContainText("Already have it");

    const changes = b.getByRole("table", { name: /^Adoption \(SMB\): your version → theirs/ });
    const row = (text: string) => changes.getByRole("row").filter({ hasText: text });
    await expect(row('factor "License utilization": weight 30 → 25')).toContainText("both (conflict)");
    await expect(row("band B from 65 to 70")).toContainText("them");
    await expect(row("band C from 55 to 50")).toContainText("you");
    await expect(changes.locator("tbody tr")).toHaveCount(3);
    // Nothing can be saved while the conflict is open; the preview shows the merged draft meanwhile.
    const importButton = b.getByRole("button", { name: "Import 3 scorecards" });
    await expect(importButton).toBeDisabled();
    await expect(b.getByText("Choose mine or theirs for 1 change you both made before importing.")).toBeVisible();
    await expect(b.getByText(/^Scores as of \d{4}-\d{2}-\d{2}, computed in \d+ ms\.$/)).toBeVisible({
      timeout: 30_000,
    });
    await expect(b.getByRole("table", { name: "Accounts by band" })).toBeVisible();
    await row("weight 30 → 25").getByLabel("Theirs").check();
    await expect(b.getByText("Ready to import.")).toBeVisible();
    await importButton.click();
    await expect(
      b
        .getByRole("status")
        .filter({ hasText: "Imported: 0 new, 0 brought up to date, 1 merged, 2 unchanged; 2 versions" }),
    ).toBeVisible({ timeout: 90_000 });

    // Alice imports Bob's files: his has hers in it now, a fast-forward.
    const fromBob = await exportFiles(b, bob.dir);
    const a = alice.page;
    await scorecardsPage(a);
    await a.getByLabel("Import scorecard files").setInputFiles(fromBob);
    await expect(
      a.getByRole("table", { name: "What the files hold" }).getByRole("row").filter({ hasText: "Adoption (SMB)" }),
    ).toContainText("Theirs is ahead");
    await expect(a.getByRole("table", { name: /your version → theirs/ })).toHaveCount(0);
    await a.getByRole("button", { name: "Import 3 scorecards" }).click();
    await expect(a.getByRole("status").filter({ hasText: "1 brought up to date" })).toBeVisible({ timeout: 90_000 });

    // The same scorecards, the same histories.
    const aliceNow = contentOf(await exportFiles(a, mkdtempSync(join(dir, "alice-end-"))));
    const bobNow = contentOf(await exportFiles(b, mkdtempSync(join(dir, "bob-end-"))));
    expect(aliceNow).toEqual(bobNow);
    const adoption = aliceNow[0]?.card;
    expect(adoption.factors[0].weight).toBe(25);
    expect(adoption.bands.map((x: { grade: string; min: number }) => `${x.grade}${x.min}`)).toEqual([
      "A80",
      "B70",
      "C55",
      "D0",
    ]);
    expect(aliceNow[0]?.versions).toHaveLength(4);
    for (const page of [a, b]) {
      await go(page, "#/scorecards/adoption-smb");
      const versions = page.getByRole("region", { name: "Versions" });
      await expect(versions.getByRole("row").nth(1)).toContainText("Merged adoption-smb.scorecard.json");
      await expect(versions).toContainText("Alice: heavier seats, stricter B");
      await expect(versions).toContainText("Bob: heavier seats, stricter C");
    }
  } finally {
    for (const c of contexts) await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
