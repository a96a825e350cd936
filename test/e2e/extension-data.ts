import type { Page, Worker } from "@playwright/test";
import type { BadgeAccount, BadgeAccountInput, BadgeSet } from "../../core/schema/badge.ts";
import type { SetInfo } from "../../extension/background/badge-store.ts";
import { type ExtensionFixture, expect } from "./fixtures.ts";

/** A set as a file holds it (defaults not filled in). */
export type BadgeSetInput = Omit<BadgeSet, "accounts"> & { accounts: BadgeAccountInput[] };

/** A badge account with plain defaults (B, 72, green, "Good"); a test overrides what it is about. */
export function badgeAccount(over: Partial<BadgeAccountInput> & { id: string; name: string }): BadgeAccountInput {
  return {
    scorecard: "Adoption (SMB)",
    score: 72.4,
    shown: 72,
    grade: "B",
    color: "green",
    label: "Good",
    delta: -3,
    coverage: 1,
    asOf: "2026-11-20",
    ...over,
  };
}

/** A badge set of these accounts, as "Export for the extension" writes it. */
export function badgeSet(
  accounts: BadgeAccountInput[],
  over: Partial<Omit<BadgeSetInput, "accounts">> = {},
): BadgeSetInput {
  return { format: "vitals-badges", version: 1, generatedAt: "2026-11-20T10:00:00.000Z", accounts, ...over };
}

/** Opens the extension's options page in a new tab. */
export async function openOptions(extension: ExtensionFixture): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.id}/options.html`);
  await expect(page.getByRole("heading", { name: "Vitals options" })).toBeVisible();
  return page;
}

/** Chooses a file in the options page's "Import bundle" input (the text as is, so tests can feed broken files). */
export async function importFile(options: Page, fileName: string, text: string): Promise<void> {
  await options.getByLabel("Import bundle").setInputFiles({
    name: fileName,
    mimeType: "application/json",
    buffer: Buffer.from(text, "utf8"),
  });
}

/**
 * Gives the extension a badge set the way a user does: the options page's "Import bundle" (the real flow: parse,
 * store, tell the background, which tells the tabs). Resolves once the page reports the import; closes the page.
 */
export async function seedBadges(
  extension: ExtensionFixture,
  set: BadgeSetInput,
  fileName = "badges.json",
): Promise<void> {
  const options = await openOptions(extension);
  await importFile(options, fileName, JSON.stringify(set));
  await expect(options.getByRole("status")).toContainText(
    `Imported ${set.accounts.length.toLocaleString("en-US")} account`,
    {
      timeout: 30_000,
    },
  );
  await options.close();
}

/** Reads one key of one store of the extension's own IndexedDB, in the background service worker. */
function readStored(background: Worker, store: "meta", key: string): Promise<unknown> {
  return background.evaluate(
    async ({ store, key }) => {
      const request = indexedDB.open("vitals-badges");
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        // A fresh profile has no stores until the first set is written.
        if (!db.objectStoreNames.contains(store)) return undefined;
        const get = db.transaction(store).objectStore(store).get(key);
        return await new Promise<unknown>((resolve, reject) => {
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        });
      } finally {
        db.close();
      }
    },
    { store, key },
  );
}

/** What the extension knows about its stored set (source, when, how many accounts), or undefined. */
export async function storedSetInfo(background: Worker): Promise<SetInfo | undefined> {
  const row = (await readStored(background, "meta", "set")) as { value: SetInfo } | undefined;
  return row?.value;
}

/** The stored badge of one account, or undefined (the set is stored in chunks of accounts as JSON: all are read). */
export async function storedAccount(background: Worker, id: string): Promise<BadgeAccount | undefined> {
  return background.evaluate(async (wanted) => {
    const request = indexedDB.open("vitals-badges");
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains("chunks")) return undefined;
      const all = db.transaction("chunks").objectStore("chunks").getAll();
      const chunks = await new Promise<{ accounts: string[] }[]>((resolve, reject) => {
        all.onsuccess = () => resolve(all.result);
        all.onerror = () => reject(all.error);
      });
      for (const chunk of chunks)
        for (const json of chunk.accounts) {
          const account = JSON.parse(json) as BadgeAccount;
          if (account.id === wanted) return account;
        }
      return undefined;
    } finally {
      db.close();
    }
  }, id);
}

/** The id of the tab whose content script last reported on `url` (-1 while none has). */
async function reportingTab(background: Worker, url: string): Promise<number> {
  return background.evaluate(async (url) => {
    const all = await chrome.storage.session.get(null);
    const key = Object.keys(all).find((k) => k.startsWith("report:") && (all[k] as { url?: string }).url === url);
    return key === undefined ? -1 : Number(key.slice(7));
  }, url);
}

/**
 * Opens the popup as a page describing the tab showing `url`, once that tab's content script has reported on it
 * (a toolbar popup describes the active tab; a test names it).
 */
export async function popupForPage(extension: ExtensionFixture, url: string): Promise<Page> {
  await expect.poll(() => reportingTab(extension.background, url)).toBeGreaterThan(0);
  const popup = await extension.context.newPage();
  await popup.goto(
    `chrome-extension://${extension.id}/popup.html?tab=${await reportingTab(extension.background, url)}`,
  );
  return popup;
}
