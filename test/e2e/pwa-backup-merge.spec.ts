import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { editAdoption, go, installedProfile } from "../support/pwa.ts";
import { backupFrames, backupRows } from "./backup-file.ts";

/**
 * Two CSMs, two browser profiles (two contexts: two stores), both start from the same backup. Offline, each edits
 * "Adoption (SMB)" its own way (a real divergence), adds a note to the same account and triages a different alert.
 * Alice's backup is merged into Bob's: the preview and the result name the diverged scorecard (Bob's stays live,
 * Alice's joins its history), and Bob's store then holds both notes, both triaged alerts and both versions.
 */

// Each profile's first run creates, imports and scores the 500 demo accounts (a minute or more under CI load); the
// restore, the saves and the merge rescore them.
test.setTimeout(900_000);

async function exportEverything(page: Page, path: string) {
  await go(page, "#/data");
  const download = page.waitForEvent("download", { timeout: 300_000 });
  await page.getByRole("button", { name: "Export everything" }).click();
  await (await download).saveAs(path);
  await expect(page.getByRole("status").filter({ hasText: /^Saved vitals-backup-/ })).toBeVisible({ timeout: 60_000 });
}

async function addNote(page: Page, accountHash: string, author: string, text: string) {
  await go(page, accountHash);
  const notes = page.getByRole("region", { name: "Notes" });
  await expect(notes).toBeVisible({ timeout: 60_000 });
  await page.getByLabel("Your name").fill(author);
  await notes.getByLabel("New note").fill(text);
  await notes.getByRole("button", { name: "Add note" }).click();
  await expect(notes.getByRole("status")).toContainText("Note added");
}

/** Triages an open alert of the inbox (the first, or the first that is not `other`): snoozes it or marks it done. */
async function triage(page: Page, action: "Snooze" | "Mark done", other?: string): Promise<string> {
  await go(page, "#/alerts");
  const items = page.locator(".alert-list > li");
  await expect(items.first()).toBeVisible({ timeout: 60_000 });
  const item = other === undefined ? items.first() : items.filter({ hasNotText: other }).first();
  // Its account and title ("Acme: Score dropped"), which name it in the inbox.
  const text = ((await item.locator("strong").first().textContent()) ?? "").trim();
  await item.getByRole("button", { name: action, exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: action === "Snooze" ? "Snoozed until" : "Marked done." }),
  ).toBeVisible({ timeout: 60_000 });
  return text;
}

interface AlertRow {
  id: string;
  status: string;
}
interface VersionRow {
  scorecardId: string;
  version: number;
  message: string;
  hash: string;
  scorecard: { factors: { weight: number }[] };
}

test("a backup merged into another profile after offline edits on both keeps everything and names the diverged scorecard", async ({
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL as string;
  const dir = mkdtempSync(join(tmpdir(), "vitals-backup-merge-"));
  const contexts: BrowserContext[] = [];
  // Installed (the service worker controls the page), so the app's pages load offline from its precache.
  const profile = async () => {
    const opened = await installedProfile(browser, baseURL, 240_000);
    contexts.push(opened.context);
    return opened;
  };
  try {
    const alice = await profile();
    const start = join(dir, "start.vitals.gz");
    await exportEverything(alice.page, start);
    const startFrames = backupFrames(start);
    const startAlerts = backupRows(startFrames, "alerts") as AlertRow[];

    // Bob starts from Alice's backup (his own first run's demo is replaced).
    const bob = await profile();
    const b = bob.page;
    await go(b, "#/data");
    await b.getByLabel("Import a bundle").setInputFiles(start);
    const first = b.getByRole("region", { name: "Backup to restore" });
    await expect(first).toContainText(/checked: 500 accounts/, { timeout: 120_000 });
    await first.getByRole("radio", { name: /^Replace/ }).check();
    await first.getByRole("button", { name: "Restore the backup" }).click();
    await expect(b.getByRole("status").filter({ hasText: /^Restored start\.vitals\.gz: 500 accounts/ })).toBeVisible({
      timeout: 300_000,
    });

    // The same account in both (the same data: the same first row of the table).
    await go(alice.page, "#/accounts");
    const href = (await alice.page.locator(".accounts-table tbody tr a").first().getAttribute("href")) ?? "";
    expect(href).toMatch(/^#\/accounts\//);

    // Offline from here on: the files move by hand.
    await alice.context.setOffline(true);
    await bob.context.setOffline(true);
    // Each triages another alert (the inboxes are the same until a scorecard changes).
    const aliceAlert = await triage(alice.page, "Snooze");
    expect(aliceAlert).not.toBe("");
    await triage(b, "Mark done", aliceAlert);
    await addNote(alice.page, href, "Alice", "Alice: champion moved to finance");
    await addNote(b, href, "Bob", "Bob: renewal call booked");
    await editAdoption(alice.page, { weight: "25", message: "Alice: seats weigh more" });
    await editAdoption(b, { weight: "30", message: "Bob: seats weigh much more" });

    const fromAlice = join(dir, "alice.vitals.gz");
    await exportEverything(alice.page, fromAlice);
    const aliceAlerts = backupRows(backupFrames(fromAlice), "alerts") as AlertRow[];
    const snoozed = aliceAlerts.find(
      (a) => a.status === "snoozed" && startAlerts.find((s) => s.id === a.id)?.status === "open",
    );
    expect(snoozed).toBeDefined();

    // Bob merges Alice's backup: the preview says per scorecard what happens, the diverged one by name.
    await go(b, "#/data");
    await b.getByLabel("Import a bundle").setInputFiles(fromAlice);
    const preview = b.getByRole("region", { name: "Backup to restore" });
    await expect(preview).toContainText(/checked: 500 accounts/, { timeout: 120_000 });
    await expect(preview.getByRole("radio", { name: /^Merge/ })).toBeChecked();
    const cards = preview.getByRole("list", { name: "Scorecards" });
    await expect(cards.getByRole("listitem").filter({ hasText: "adoption-smb" })).toHaveText(
      "adoption-smb: changed on both sides: yours stays live, the backup's is kept as version 3 in its history (compare or revert there)",
    );
    await expect(cards.getByRole("listitem").filter({ hasText: "onboarding" })).toHaveText("onboarding: the same here");
    await expect(preview).toContainText("Notes: 1 new");
    await expect(preview).toContainText(/Alerts: \d+ new, 1 snoozed, done or given a play in the backup \(taken\)/);
    await preview.getByRole("button", { name: "Restore the backup" }).click();
    await expect(
      b.getByRole("status").filter({
        hasText:
          "Merged alice.vitals.gz: 0 new accounts; adoption-smb was changed on both sides: yours stays live, the backup's is version 3 in its history.",
      }),
    ).toBeVisible({ timeout: 300_000 });

    // Nothing lost: Bob's store holds both notes, both triaged alerts, both versions (his live).
    const after = join(dir, "bob-after.vitals.gz");
    await exportEverything(b, after);
    const frames = backupFrames(after);
    const notes = (backupRows(frames, "notes") as { text: string }[]).map((n) => n.text);
    expect(notes).toEqual(expect.arrayContaining(["Alice: champion moved to finance", "Bob: renewal call booked"]));
    const alerts = new Map((backupRows(frames, "alerts") as AlertRow[]).map((a) => [a.id, a.status]));
    expect(alerts.get(snoozed?.id ?? "")).toBe("snoozed");
    const done = [...alerts].filter(
      ([id, status]) => status === "done" && startAlerts.find((s) => s.id === id)?.status === "open",
    );
    expect(done).toHaveLength(1);
    const versions = (backupRows(frames, "scorecardVersions") as VersionRow[])
      .filter((v) => v.scorecardId === "adoption-smb")
      .map((v) => [v.version, v.scorecard.factors[0]?.weight, v.message]);
    expect(versions).toEqual([
      [1, expect.any(Number), expect.any(String)],
      [2, 30, "Bob: seats weigh much more"],
      [3, 25, "Alice: seats weigh more (version 2 in alice.vitals.gz)"],
    ]);
    const live = (backupRows(frames, "scorecards") as { id: string; version: number }[]).find(
      (s) => s.id === "adoption-smb",
    );
    expect(live?.version).toBe(2);
    // Alice's version is in Bob's history, where he can look at it.
    await go(b, "#/scorecards/adoption-smb");
    await expect(b.getByRole("region", { name: "Versions" })).toContainText("Alice: seats weigh more", {
      timeout: 30_000,
    });
  } finally {
    for (const c of contexts) await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
