import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { HARNESS_URL } from "./chromium.ts";

// Imports through the real data worker (a module Worker reading real Blobs) into IndexedDB, in Chromium, on the
// data harness page (test/harness/data.ts). Each test has a fresh browser context, so a fresh, empty database.

const DATA_URL = `${HARNESS_URL}data.html`;
const fixture = (name: string) => readFileSync(`test/fixtures/csv/${name}`, "utf8");
/** A fixture export and its mapping, as the page builds a `File` from them. */
const fileOf = (base: string) => ({
  name: `${base}.csv`,
  text: fixture(`${base}.csv`),
  mapping: JSON.parse(fixture(`${base}.mapping.json`)) as unknown,
});
const ACCOUNTS = fileOf("salesforce-accounts");
const TICKETS = fileOf("zendesk-tickets");

/** The Salesforce accounts the store holds after the import (Umbrella, line 5, is rejected). */
const ACCOUNT_IDS = ["0015g00000AcmeAAA", "0015g00000GlobAAA", "0015g00000HooliAA", "0015g00000InitAAA"];
const ACME = ACCOUNT_IDS[0] as string;
const GLOBEX = ACCOUNT_IDS[1] as string;
const INITECH = ACCOUNT_IDS[3] as string;
/** February 2025 as the store numbers months (year × 12 + month − 1). */
/** 1 February 2025 as a day of its year. */
const FEB_2025_START = 31;

const ZERO_COUNTS = {
  accountsNew: 0,
  accountsUpdated: 0,
  accountsUnchanged: 0,
  observationsNew: 0,
  observationsUpdated: 0,
  observationsUnchanged: 0,
  outcomesNew: 0,
  outcomesUpdated: 0,
  outcomesUnchanged: 0,
  rowsRejected: 0,
  rowsSkipped: 0,
  rowsCombined: 0,
  rowsRead: 0,
};

async function openHarness(page: Page) {
  await page.goto(DATA_URL);
  await expect(page.locator("#status")).toHaveText("ready (worker)");
}

/** Dry run of a fixture in the page, from a File (a real Blob the worker reads); returns it with its progress. */
function plan(page: Page, file: { name: string; text: string; mapping: unknown }) {
  return page.evaluate(async ({ name, text, mapping }) => {
    const progress = window.data.recordProgress();
    const dry = await window.data.client.planImport(new File([text], name, { type: "text/csv" }), name, mapping, {
      onProgress: progress.onProgress,
    });
    await progress.released; // every progress call of the job has arrived
    return { dry, progress: progress.events };
  }, file);
}

/** Applies a dry run; returns the import's log entry with the job's progress. */
function apply(page: Page, planId: string) {
  return page.evaluate(async (id) => {
    const progress = window.data.recordProgress();
    const row = await window.data.client.applyImport(id, { onProgress: progress.onProgress });
    await progress.released;
    return { row, progress: progress.events };
  }, planId);
}

const snapshot = (page: Page) => page.evaluate(() => window.data.snapshot());

test("dry run writes nothing; apply, import tickets, undo restores the store exactly; re-import is unchanged", async ({
  page,
}) => {
  await openHarness(page);

  // Dry run of the accounts: one bad row (line 5) with both of its bad columns, four new accounts, nothing written.
  const accounts = await plan(page, ACCOUNTS);
  expect(accounts.dry.counts).toEqual({ ...ZERO_COUNTS, accountsNew: 4, rowsRejected: 1, rowsRead: 5 });
  expect(accounts.dry.rejects).toEqual([
    { line: 5, column: "Annual Revenue", reason: expect.stringContaining('"about 50k"') },
    { line: 5, column: "Customer Since", reason: expect.stringContaining('"02/30/2022"') },
  ]);
  expect(accounts.dry.rejectsTotal).toBe(2);
  const rejectsCsv = await page.evaluate((id) => window.data.client.rejectsCsv(id), accounts.dry.planId);
  // Line, column and reason, then the rejected row as the file had it, under the file's own header.
  expect(rejectsCsv.trim().split("\r\n")).toEqual([
    expect.stringMatching(/^line,column,reason,Account ID,Account Name,Website,/),
    expect.stringMatching(/^5,Annual Revenue,.*,0015g00000UmbrAAA,Umbrella Holdings,umbrella\.example,/),
    expect.stringMatching(/^5,Customer Since,.*,0015g00000UmbrAAA,Umbrella Holdings,umbrella\.example,/),
  ]);
  expect(accounts.progress.length).toBeGreaterThan(0);
  expect(accounts.progress.every((p) => p.phase === "reading")).toBe(true);
  // In bytes of the Blob the worker read (the file starts with a byte-order mark: 3 bytes, 1 character).
  const bytes = Buffer.byteLength(ACCOUNTS.text);
  expect(bytes).toBe(ACCOUNTS.text.length + 2);
  expect(accounts.progress.at(-1)).toEqual({ phase: "reading", done: bytes, total: bytes });
  expect(await snapshot(page)).toEqual({ accounts: [], blocks: [], imports: [], undo: [] });

  // Apply: the four accounts, read back from IndexedDB by another connection of the page.
  const first = await apply(page, accounts.dry.planId);
  expect(first.row).toMatchObject({ fileName: ACCOUNTS.name, shape: "wide", status: "applied" });
  expect(first.row.counts).toEqual(accounts.dry.counts);
  expect(first.progress.length).toBeGreaterThan(0);
  expect(first.progress.every((p) => p.phase === "writing")).toBe(true);
  const withAccounts = await snapshot(page);
  expect(withAccounts.accounts.map((a) => a.id)).toEqual(ACCOUNT_IDS);
  expect(withAccounts.accounts[0]).toMatchObject({
    name: "Acme, Inc.",
    domains: ["acme.com"],
    arr: 120_000,
    seats: 150,
    startDate: "2023-01-15",
    attributes: { exec_sponsor: true },
  });
  expect(withAccounts.accounts[2]?.name).toBe("Hooli\n(EMEA)"); // a newline inside a quoted field
  expect(withAccounts.blocks).toEqual([]);
  expect(withAccounts.imports.map((i) => [i.id, i.status])).toEqual([[first.row.id, "applied"]]);

  // The tickets: rejected rows for a personal email, an unknown customer and a bad satisfaction value; eight
  // observations from the other four tickets. Progress: reading (bytes), then comparing (observations).
  const tickets = await plan(page, TICKETS);
  expect(tickets.dry.counts).toEqual({ ...ZERO_COUNTS, observationsNew: 8, rowsRejected: 3, rowsRead: 7 });
  expect(tickets.dry.rejects.map((r) => [r.line, r.column])).toEqual([
    [6, "Requester email"],
    [8, "Requester email"],
    [9, "Satisfaction Score"],
  ]);
  const phases = tickets.progress.map((p) => p.phase);
  expect(phases).toContain("reading");
  expect(phases).toContain("comparing");
  expect(phases.indexOf("comparing")).toBeGreaterThan(phases.lastIndexOf("reading"));
  expect(tickets.progress.at(-1)).toEqual({ phase: "comparing", done: 8, total: 8 });
  expect(await snapshot(page)).toEqual(withAccounts); // a dry run writes nothing

  const applied = await apply(page, tickets.dry.planId);
  expect(applied.row.counts).toEqual(tickets.dry.counts);
  expect(applied.progress.length).toBeGreaterThan(0);
  expect(applied.progress.every((p) => p.phase === "writing")).toBe(true);
  expect(applied.progress.at(-1)).toEqual({ phase: "writing", done: 8, total: 8 });
  const withTickets = await snapshot(page);
  expect(withTickets.accounts).toEqual(withAccounts.accounts);
  // Worked out from the file: Acme's urgent ticket rated Bad on the 3rd; Globex's High ticket on the 10th and the
  // one rated Good on the 11th; Initech's ticket on the 20th.
  // Year blocks: day d of February 2025 is day 30 + d of the year (1 January is day 0).
  const block = (accountId: string, metric: string, days: number[], values: number[]) => ({
    accountId,
    metric,
    year: 2025,
    days: days.map((d) => FEB_2025_START + d - 1),
    values,
  });
  expect(withTickets.blocks).toEqual([
    block(ACME, "csat", [3], [1]),
    block(ACME, "tickets", [3], [1]),
    block(ACME, "urgent_tickets", [3], [1]),
    block(GLOBEX, "csat", [11], [5]),
    block(GLOBEX, "tickets", [10, 11], [1, 1]),
    block(GLOBEX, "urgent_tickets", [10], [1]),
    block(INITECH, "tickets", [20], [1]),
  ]);
  expect(await page.evaluate(() => window.data.client.listImports())).toEqual([applied.row, first.row]);

  // Undo the tickets: accounts and blocks exactly as before them; the log keeps the import, marked undone.
  await page.evaluate((id) => window.data.client.undoImport(id), applied.row.id);
  const undone = await snapshot(page);
  expect(undone.accounts).toEqual(withAccounts.accounts);
  expect(undone.blocks).toEqual(withAccounts.blocks);
  expect(undone.undo).toEqual(withAccounts.undo); // the undone import's before-images are gone
  expect(undone.imports.map((i) => [i.id, i.status])).toEqual([
    [first.row.id, "applied"],
    [applied.row.id, "undone"],
  ]);
  const again = await page.evaluate(
    (id) =>
      window.data.client.undoImport(id).then(
        () => null,
        (e: Error) => e.name,
      ),
    applied.row.id,
  );
  expect(again).toBe("InputError");

  // The same accounts file again: nothing new, nothing changed.
  const reimport = await plan(page, ACCOUNTS);
  expect(reimport.dry.counts).toEqual({ ...ZERO_COUNTS, accountsUnchanged: 4, rowsRejected: 1, rowsRead: 5 });
});

test("an AbortSignal cancels a long dry run from its first progress call; the worker stops and still answers", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openHarness(page);
  const outcome = await page.evaluate(async () => {
    const { client, recordProgress } = window.data;
    // Ten accounts, so the long file's rows are all importable and a dry run that ran on would compare them.
    const ids = Array.from({ length: 10 }, (_, i) => `acc-${i}`);
    const accountsFile = new File([`id,name\n${ids.map((id) => `${id},Account ${id}`).join("\n")}\n`], "a.csv");
    const accounts = await client.planImport(accountsFile, "a.csv", {
      shape: "wide",
      account: { by: "id", column: "id" },
      attributes: [{ column: "name", attribute: "name" }],
    });
    await client.applyImport(accounts.planId);

    // 300,000 long-format rows (about 8 MB): a read of many 1 MB chunks.
    const rows: string[] = ["account,metric,day,value"];
    for (let i = 0; i < 300_000; i++) {
      const day = String((i % 28) + 1).padStart(2, "0");
      const month = String((Math.floor(i / 280) % 12) + 1).padStart(2, "0");
      rows.push(`acc-${i % 10},logins,2024-${month}-${day},${i % 97}`);
    }
    const big = new File([`${rows.join("\n")}\n`], "big.csv", { type: "text/csv" });
    const mapping = {
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    };
    const controller = new AbortController();
    const progress = recordProgress(() => controller.abort());
    const error = await client
      .planImport(big, "big.csv", mapping, { signal: controller.signal, onProgress: progress.onProgress })
      .then(
        () => null,
        (e: Error) => ({ name: e.name, message: e.message }),
      );
    // The worker lets go of the progress callback when the job has ended there; all its calls have arrived.
    await progress.released;

    // The worker still answers: a small dry run and the import log.
    const small = await client.planImport(
      new File(["account,metric,day,value\nacc-1,logins,2025-01-02,3\n"], "small.csv"),
      "small.csv",
      mapping,
    );
    const imports = await client.listImports();
    return { size: big.size, error, progress: progress.events, small: small.counts, imports: imports.length };
  });
  expect(outcome.error).toEqual({ name: "AbortError", message: expect.any(String) });
  // The job stopped while reading: it never got to comparing the file with the store (which it would have
  // reached, with progress, had it read on to the end).
  expect(outcome.progress.length).toBeGreaterThan(0);
  expect(outcome.progress[0]).toMatchObject({ phase: "reading", total: outcome.size });
  expect((outcome.progress[0]?.done ?? outcome.size) < outcome.size).toBe(true);
  expect(outcome.progress.filter((p) => p.phase !== "reading")).toEqual([]);
  expect(outcome.small).toMatchObject({ observationsNew: 1, rowsRejected: 0, rowsRead: 1 });
  expect(outcome.imports).toBe(1);
});

test("a write that hits the storage quota fails with a WriteError in plain words and leaves the store as it was", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openHarness(page);

  // Chromium's own quota for this origin, cut to 512 KB. It is set before the first write: in this Chromium,
  // IndexedDB learns the room left on an origin's first write and counts down from it, so an override set after
  // a write is not seen by the writes that follow.
  const origin = new URL(page.url()).origin;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 512 * 1024 });

  // Some data first, well under that quota.
  const accounts = await plan(page, ACCOUNTS);
  await apply(page, accounts.dry.planId);
  const before = await snapshot(page);
  expect(before.accounts).toHaveLength(4);
  expect(before.imports).toHaveLength(1);

  // A dry run of 20,000 accounts (a few MB to write, with its undo records), planned while there is room.
  const big = await page.evaluate(async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `big-${i},Account number ${i} ${"x".repeat(60)}`);
    const file = new File([`id,name\n${lines.join("\n")}\n`], "big.csv", { type: "text/csv" });
    return window.data.client.planImport(file, "big.csv", {
      shape: "wide",
      account: { by: "id", column: "id" },
      attributes: [{ column: "name", attribute: "name" }],
    });
  });
  expect(big.counts.accountsNew).toBe(20_000);

  // Writing it does not fit: IndexedDB aborts the transaction with a QuotaExceededError.
  const failed = await page.evaluate(
    (id) =>
      window.data.client.applyImport(id).then(
        () => null,
        (e: Error) => ({ name: e.name, message: e.message }),
      ),
    big.planId,
  );
  expect(failed).toEqual({ name: "WriteError", message: expect.stringContaining("no room left") });
  // It names the file and how much room the import needed (20,000 accounts of ~100 characters, with their undo
  // records: megabytes) against what the browser says is free (quota − usage of navigator.storage.estimate(): this
  // Chromium's estimate does not see the DevTools override, so it is the profile's own quota, not the 512 KB).
  const said = failed?.message.match(
    /importing big\.csv needs about (\d+\.\d) MB \(about (\d+(?:\.\d)?) (KB|MB|GB) is free for Vitals\)/,
  );
  expect(said).not.toBeNull();
  const estimate = await page.evaluate(() => navigator.storage.estimate());
  const free = Math.max(0, (estimate.quota ?? 0) - (estimate.usage ?? 0));
  const unit = { KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30 }[said?.[3] as "KB" | "MB" | "GB"];
  expect(Number(said?.[2]) * unit).toBeGreaterThan(free * 0.95);
  expect(Number(said?.[2]) * unit).toBeLessThan(free * 1.05);
  expect(failed?.message).toContain("Nothing was saved");
  expect(await snapshot(page)).toEqual(before);
  expect(await page.evaluate(() => window.data.client.listImports())).toEqual(before.imports.toReversed());

  // With the quota back, the same dry run applies: it was the quota that failed the write, and a failed write
  // leaves the dry run ready to apply again.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin });
  const applied = await page.evaluate((id) => window.data.client.applyImport(id), big.planId);
  expect(applied.counts.accountsNew).toBe(20_000);
  const after = await page.evaluate(() => window.data.snapshot().then((s) => s.accounts.length));
  expect(after).toBe(20_004);
});

test("a tab closed in the middle of an import loses nothing already stored and leaves nothing half-written", async ({
  context,
}) => {
  test.setTimeout(180_000);
  const page = await context.newPage();
  await openHarness(page);
  // The page says on the console when the import's first batch is written; the test closes the tab on hearing it
  // (an event, not a poll, so the close comes well before the other 29 batches and the commit).
  const writing = page.waitForEvent("console", { predicate: (m) => m.text() === "vitals: writing", timeout: 150_000 });
  // An import already stored: 2,000 accounts with a month of logins.
  const stored = await page.evaluate(async () => {
    const { client } = window.data;
    const ids = Array.from({ length: 2000 }, (_, i) => `acc-${String(i).padStart(4, "0")}`);
    const accounts = await client.planImport(
      new File([`id,name\n${ids.map((id) => `${id},Account ${id}`).join("\n")}\n`], "accounts.csv"),
      "accounts.csv",
      { shape: "wide", account: { by: "id", column: "id" }, attributes: [{ column: "name", attribute: "name" }] },
    );
    await client.applyImport(accounts.planId);
    const long = {
      shape: "long",
      account: { by: "id", column: "account" },
      metricColumn: "metric",
      dayColumn: "day",
      valueColumn: "value",
    };
    const january = ids.flatMap((id, i) =>
      Array.from({ length: 31 }, (_, d) => `${id},logins,2025-01-${String(d + 1).padStart(2, "0")},${i % 50}`),
    );
    const first = await client.planImport(
      new File([`account,metric,day,value\n${january.join("\n")}\n`], "january.csv"),
      "january.csv",
      long,
    );
    await client.applyImport(first.planId);
    // The next file: February of ten years for every account in 3 metrics (60,000 blocks in 20,000 rows of an
    // account × year, thirty batches), planned, then applied while the test closes the tab at its first "writing"
    // progress.
    const february: string[] = [];
    for (let m = 0; m < 3; m++) {
      for (let year = 2016; year <= 2025; year++) {
        for (const id of ids) {
          for (let d = 1; d <= 28; d++)
            february.push(`${id},metric-${m},${year}-02-${String(d).padStart(2, "0")},${d}`);
        }
      }
    }
    const next = await client.planImport(
      new File([`account,metric,day,value\n${february.join("\n")}\n`], "february.csv"),
      "february.csv",
      long,
    );
    const before = await window.data.snapshot();
    let said = false;
    window.data.client
      .applyImport(next.planId, {
        onProgress: (phase) => {
          if (phase !== "writing" || said) return;
          said = true;
          console.log("vitals: writing");
        },
      })
      .catch(() => undefined);
    return before;
  });
  expect(stored.imports).toHaveLength(2);
  await writing;
  await page.close();

  // A new tab of the same origin: the two stored imports are all there, nothing of the closed tab's import is.
  const reopened = await context.newPage();
  await openHarness(reopened);
  const after = await snapshot(reopened);
  expect(after.imports).toEqual(stored.imports);
  expect(after.accounts).toEqual(stored.accounts);
  expect(after.undo).toEqual(stored.undo);
  expect(after.blocks).toEqual(stored.blocks);
  expect(after.blocks).toHaveLength(2000);
  // And the store takes imports again.
  const counts = await reopened.evaluate(async () => {
    const dry = await window.data.client.planImport(
      new File(["account,metric,day,value\nacc-0001,logins,2025-02-01,3\n"], "one.csv"),
      "one.csv",
      {
        shape: "long",
        account: { by: "id", column: "account" },
        metricColumn: "metric",
        dayColumn: "day",
        valueColumn: "value",
      },
    );
    return (await window.data.client.applyImport(dry.planId)).counts;
  });
  expect(counts).toMatchObject({ observationsNew: 1 });
});
