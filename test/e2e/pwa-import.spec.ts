import { expect, type Page, test } from "@playwright/test";

/** The import wizard as a CSM uses it: file, what it holds, mapping, dry run with rejected rows, import, undo. */

// Under CI load a first run (creating and storing the demo portfolio in IndexedDB) can take a minute.
test.setTimeout(300_000);

async function openData(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /^Portfolio/ })).toBeVisible({ timeout: 150_000 });
  await page.getByRole("link", { name: "Data" }).click();
  await expect(page.getByRole("heading", { name: "Import a CSV file" })).toBeVisible();
}

test("the first own import asks the browser once to keep the data, and the Data page shows the answer", async ({
  page,
}) => {
  // Count the app's calls to navigator.storage.persist, and answer "no" as a browser often does.
  await page.addInitScript(() => {
    const w = window as unknown as { persistCalls: number };
    w.persistCalls = 0;
    const storage = navigator.storage;
    storage.persisted = async () => false;
    storage.persist = async () => {
      w.persistCalls++;
      return false;
    };
  });
  const calls = () => page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls);
  await openData(page);
  // The demo is not the user's data: loading it asked nothing.
  expect(await calls()).toBe(0);
  const storage = page.getByRole("region", { name: "Storage on this device" });
  await expect(storage).not.toContainText("After your first import");
  // Two imports of the user's own files: the first asks, the second does not ask again.
  const imports = [
    { file: "accounts.csv", kind: /Vitals accounts file/, done: "Imported accounts.csv: 3 new accounts" },
    { file: "observations.csv", kind: /Vitals observations file/, done: "Imported observations.csv: 0 new accounts" },
  ];
  for (const [round, { file, kind, done }] of imports.entries()) {
    await page.getByLabel("CSV file", { exact: true }).setInputFiles(`test/fixtures/cli/${file}`);
    await page.getByLabel(kind).check();
    await page.getByRole("button", { name: "Check the file" }).click();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: done })).toBeVisible({ timeout: 100_000 });
    expect(await calls(), `after import ${round + 1}`).toBe(1);
  }
  await expect(storage).toContainText(
    "Vitals asked the browser to keep the data: the browser said no (it often grants this to installed apps).",
  );
  await page.reload();
  await page.getByRole("link", { name: "Data" }).click();
  await expect(page.getByRole("region", { name: "Storage on this device" })).toContainText("After your first import");
});

test("import Vitals files: a dry run lists every rejected row, the import adds the rest, undo takes it back", async ({
  page,
}) => {
  await openData(page);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/cli/accounts.csv");
  await expect(page.getByRole("heading", { name: /First rows of accounts\.csv/ })).toBeVisible();
  await page.getByLabel(/Vitals accounts file/).check();
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report.getByRole("row", { name: /Accounts new/ })).toContainText("3");
  await expect(report.getByRole("row", { name: /Rows rejected/ })).toHaveText(/^Rows rejected\s*0$/);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported accounts.csv: 3 new accounts" })).toBeVisible({
    timeout: 100_000,
  });

  await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/cli/observations-bad.csv");
  await page.getByLabel(/Vitals observations file/).check();
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(report.getByRole("row", { name: /Rows rejected/ })).toContainText("3");
  const rejects = report.locator("table.rejects tbody tr");
  await expect(rejects).toHaveCount(3);
  await expect(rejects.nth(0)).toContainText("3");
  await expect(rejects.nth(0)).toContainText("day");
  await expect(rejects.nth(0)).toContainText('"02/20/2025" is not a date in the format YYYY-MM-DD');
  await expect(rejects.nth(1)).toContainText('no account with id "a9"');
  await expect(rejects.nth(2)).toContainText('"lots" is not a number');
  await expect(report.getByRole("row", { name: /Values new/ })).toContainText("1");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported observations-bad.csv" })).toBeVisible({
    timeout: 100_000,
  });

  const log = page.getByRole("region", { name: "Imports" });
  await expect(log.getByRole("row")).toHaveCount(3); // header + two imports
  page.once("dialog", (d) => void d.accept());
  await log.getByRole("button", { name: "Undo import" }).click();
  await expect(log.getByRole("status")).toHaveText("The import of observations-bad.csv was undone.", {
    timeout: 100_000,
  });
  await expect(log.getByRole("row").nth(1)).toContainText("undone");
  // The accounts import is now the latest one still applied: it can be undone next.
  await expect(log.getByRole("row").nth(2).getByRole("button", { name: "Undo import" })).toBeVisible();

  // The new accounts are in the table.
  await page.getByRole("link", { name: "Accounts" }).click();
  await page.getByLabel("Search").fill("Globex");
  await expect(page.getByRole("link", { name: "Globex", exact: true })).toBeVisible();
});

test("map a CRM export's columns by hand, save the mapping, and see bad cells rejected by line and column", async ({
  page,
}) => {
  await openData(page);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/csv/salesforce-accounts.csv");
  await page.getByLabel(/One row per account/).check();
  await page.getByLabel("in the column").selectOption("Account ID");
  await page.getByLabel("Dates look like").selectOption("MM/DD/YYYY");
  await page.getByLabel("What Account Name becomes").selectOption("field:name");
  await page.getByLabel("What Annual Revenue becomes").selectOption("field:arr");
  await page.getByLabel("What Customer Since becomes").selectOption("field:startDate");
  await page.getByLabel("What Executive Sponsor becomes").selectOption("attribute:boolean");
  await page.getByLabel("Save this mapping as").fill("Salesforce accounts");
  await page.getByRole("button", { name: "Save mapping" }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Saved the mapping "Salesforce accounts".' })).toBeVisible();
  await expect(page.getByLabel(/Saved mapping: Salesforce accounts/)).toBeChecked();

  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report.getByRole("row", { name: /Accounts new/ })).toContainText("4");
  await expect(report.getByRole("row", { name: /Rows rejected/ })).toContainText("1");
  const rejects = report.locator("table.rejects tbody tr");
  await expect(rejects).toHaveCount(2);
  await expect(rejects.nth(0)).toContainText("Annual Revenue");
  await expect(rejects.nth(1)).toContainText("Customer Since");
  await expect(rejects.nth(1)).toContainText('"02/30/2022" is not a real date');
});

test("a US tickets export is preselected as events, keyed by email, dated by Created at in MM/DD/YYYY", async ({
  page,
}) => {
  await openData(page);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/csv/zendesk-tickets-us.csv");
  await expect(page.getByLabel(/One row per event/)).toBeChecked();
  await expect(page.getByLabel(/Vitals accounts file/)).not.toBeChecked();
  await expect(
    page.getByText(/rows per account in “Requester email”, each with a date \(“Created at”\)/),
  ).toBeVisible();
  await expect(page.getByLabel("Accounts are named by")).toHaveValue("email");
  await expect(page.getByLabel("in the column")).toHaveValue("Requester email");
  await expect(page.getByLabel("Dates look like")).toHaveValue("MM/DD/YYYY");
  await expect(
    page.getByText(/Detected from Created at, Solved at \(11\/22\/2024 9:41, .*\); times are ignored\./),
  ).toBeVisible();
  await expect(page.getByLabel("Day column")).toHaveValue("Created at");
});

test("dates that read two ways are asked, with examples from the file, before the file is checked", async ({
  page,
}, testInfo) => {
  await openData(page);
  const file = testInfo.outputPath("logins.csv");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(
    file,
    "Account,Event,When\nacme.com,login,03/04/2024\nacme.com,login,05/06/2024\nglobex.io,export,11/12/2024\n",
  );
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(file);
  await expect(page.getByLabel(/One row per event/)).toBeChecked();
  await expect(page.getByLabel("Day column")).toHaveValue("When");
  await expect(page.getByRole("textbox", { name: "Metric name" })).toHaveValue("logins"); // from the file's name
  const ask = page.getByRole("note").filter({ hasText: "The dates in When" });
  await expect(ask).toHaveText(
    "The dates in When (03/04/2024, 05/06/2024, 11/12/2024) read as MM/DD/YYYY or DD/MM/YYYY: choose the one your file uses.",
  );
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByRole("alert")).toContainText("choose how the dates look first");
  await page.getByLabel("Dates look like").selectOption("DD/MM/YYYY");
  await expect(ask).toBeHidden();
});

test("an account on several rows: keep the latest by a date column imports it once, with no rejected row", async ({
  page,
}, testInfo) => {
  await openData(page);
  const file = testInfo.outputPath("accounts-repeated.csv");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(
    file,
    "Account ID,Account Name,Seats,Updated\nR-1,Repeato Old,10,2024-01-05\nR-1,Repeato,12,2024-06-05\nR-2,Twice Co,3,2024-02-01\n",
  );
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(file);
  await page.getByLabel(/One row per account/).check();
  await page.getByLabel("in the column").selectOption("Account ID");
  await expect(page.getByLabel("Repeated accounts")).toHaveValue("reject");
  await page.getByLabel("Repeated accounts").selectOption({ label: "keep the latest by Updated" });
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report.getByRole("row", { name: /Accounts new/ })).toContainText("2");
  await expect(report.getByRole("row", { name: /Rows rejected/ })).toHaveText(/^Rows rejected\s*0$/);
  await expect(report).toContainText("1 accounts were on several rows: 1 rows merged by the rule “latest”.");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const status = page.getByRole("status").filter({ hasText: "accounts-repeated.csv" });
  await expect(status).toContainText(/2 new accounts/, { timeout: 150_000 });
  await expect(status).not.toContainText(/rejected/);
});

test("every row rejected: one line per problem with its count, lines and fix; the import says nothing was imported", async ({
  page,
}, testInfo) => {
  await openData(page);
  // 247 tickets from requesters no account knows, dated in DD/MM/YYYY (days over 12 say so).
  const rows = Array.from(
    { length: 247 },
    (_, i) => `${5000 + i},Solved,asker${i}@nobody-${i % 7}.example,${(i % 15) + 13}/10/2024 09:30`,
  );
  const file = testInfo.outputPath("tickets.csv");
  const { readFileSync, writeFileSync } = await import("node:fs");
  writeFileSync(file, `Ticket ID,Status,Requester email,Created at\n${rows.join("\n")}\n`);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(file);
  await expect(page.getByLabel(/One row per event/)).toBeChecked();
  await expect(page.getByLabel("Dates look like")).toHaveValue("DD/MM/YYYY");
  // The user picks the wrong format: every day is rejected, and the report says what to choose.
  await page.getByLabel("Dates look like").selectOption("MM/DD/YYYY");
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report.getByRole("row", { name: /Rows rejected/ })).toContainText("247");
  await expect(
    report.getByText("Every row would be rejected (247): importing this file now changes nothing."),
  ).toBeVisible();
  const groups = report.locator("ul.reject-groups > li");
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0)).toHaveText(
    "Requester email: no account with email — 247 rows (lines 2–248), e.g. “asker0@nobody-0.example”, “asker1@nobody-1.example”, “asker2@nobody-2.example”. Import these accounts first (a CRM export), or name accounts by another column.",
  );
  await expect(groups.nth(1)).toHaveText(
    "Created at: not a real date (MM/DD/YYYY) — 247 rows (lines 2–248), e.g. “13/10/2024 09:30”, “14/10/2024 09:30”, “15/10/2024 09:30”. Choose the date format DD/MM/YYYY?",
  );
  // The row-by-row list stays folded under the groups.
  await expect(report.locator("table.rejects")).toBeHidden();

  const download = page.waitForEvent("download");
  await report.getByRole("button", { name: "Download rejected rows with their cells (CSV)" }).click();
  const saved = testInfo.outputPath("rejects.csv");
  await (await download).saveAs(saved);
  const lines = readFileSync(saved, "utf8").split("\r\n");
  expect(lines[0]).toBe("line,column,reason,Ticket ID,Status,Requester email,Created at");
  expect(lines[1]).toBe(
    '2,Requester email,"no account with email ""asker0@nobody-0.example""",5000,Solved,asker0@nobody-0.example,13/10/2024 09:30',
  );

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Nothing imported from tickets.csv: all 247 rows were rejected." }),
  ).toBeVisible({ timeout: 100_000 });
});

test("choosing the same file again after Undo reads it again", async ({ page }) => {
  await openData(page);
  const input = page.getByLabel("CSV file", { exact: true });
  await input.setInputFiles("test/fixtures/cli/accounts.csv");
  await expect(page.getByLabel(/Vitals accounts file/)).toBeChecked();
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported accounts.csv: 3 new accounts" })).toBeVisible({
    timeout: 100_000,
  });
  await expect(page.getByRole("heading", { name: /First rows of accounts\.csv/ })).toBeHidden();
  const log = page.getByRole("region", { name: "Imports" });
  page.once("dialog", (d) => void d.accept());
  await log.getByRole("button", { name: "Undo import" }).click();
  await expect(log.getByRole("status")).toHaveText("The import of accounts.csv was undone.", { timeout: 100_000 });
  await input.setInputFiles("test/fixtures/cli/accounts.csv");
  await expect(page.getByRole("heading", { name: /First rows of accounts\.csv/ })).toBeVisible();
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report.getByRole("row", { name: /Accounts new/ })).toContainText("3");
});

test("a file that is not what the user says it is gets a clear error naming the columns", async ({ page }) => {
  await openData(page);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/csv/zendesk-tickets.csv");
  await page.getByLabel(/Vitals observations file/).check();
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByRole("alert")).toContainText(
    'zendesk-tickets.csv: an observations file needs the columns "metric", "day", "value"',
  );
  await expect(page.getByRole("alert")).toContainText('"Requester email"');
});

test("export everything as a backup, clear the demo, merge the backup back: the same portfolio comes back", async ({
  page,
}, testInfo) => {
  await openData(page);
  const download = page.waitForEvent("download", { timeout: 120_000 });
  await page.getByRole("button", { name: "Export everything" }).click();
  const file = testInfo.outputPath("everything.vitals.gz");
  await (await download).saveAs(file);

  await page.getByRole("link", { name: "Dashboard" }).click();
  // The figures are read once the dashboard shows them (read at once, they could be none yet: CI saw that once).
  await expect(page.locator(".kpi-value").first()).toHaveText(/\d/, { timeout: 60_000 });
  const kpis = await page.locator(".kpi-value").allTextContents();
  expect(kpis.length).toBeGreaterThan(0);
  const bands = await page.getByRole("region", { name: "Accounts and ARR by band" }).locator("tbody").textContent();
  await page.getByRole("button", { name: "Clear demo data" }).click();
  await expect(page.getByRole("heading", { name: "No accounts yet" })).toBeVisible({ timeout: 150_000 });

  await page.getByRole("link", { name: "Data" }).click();
  await page.getByLabel("Import a bundle").setInputFiles(file);
  const preview = page.getByRole("region", { name: "Backup to restore" });
  await expect(preview).toContainText(/backup version 2.*checked: 500 accounts/, { timeout: 60_000 });
  // The scorecards stayed when the demo was cleared: the store is not empty, so merge is offered first.
  await expect(preview.getByRole("radio", { name: /^Merge/ })).toBeChecked();
  await expect(preview).toContainText("Accounts: 500 new, 0 kept as you have them");
  await preview.getByRole("button", { name: "Restore the backup" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /Merged everything\.vitals\.gz: 500 new accounts/ }),
  ).toBeVisible({
    timeout: 120_000,
  });
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.locator(".kpi-value").first()).toHaveText(kpis[0] as string);
  expect(await page.locator(".kpi-value").allTextContents()).toEqual(kpis);
  expect(await page.getByRole("region", { name: "Accounts and ARR by band" }).locator("tbody").textContent()).toBe(
    bands,
  );
});

test("a malformed bundle is refused with every problem and its JSON path, and nothing changes", async ({
  page,
}, testInfo) => {
  await openData(page);
  const file = testInfo.outputPath("broken.json");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(
    file,
    JSON.stringify({
      format: "vitals-bundle",
      version: 1,
      scorecards: [
        {
          id: "x",
          name: "X",
          factors: [
            {
              id: "f",
              label: "F",
              weight: 0,
              source: { kind: "attribute", key: "k" },
              rule: { kind: "linear", worst: 1, best: 1 },
            },
          ],
        },
      ],
    }),
  );
  await page.getByLabel("Import a bundle").setInputFiles(file);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("broken.json is not a valid bundle; nothing was imported");
  // Each problem names the scorecard and factor by id as well as by position.
  await expect(alert).toContainText(
    '$.scorecards[0].factors[0].weight: scorecard "x", factor "f": weight must be greater than 0',
  );
  await expect(alert).toContainText(
    '$.scorecards[0].factors[0].rule.best: scorecard "x", factor "f": worst and best must differ',
  );
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.locator(".kpi").first()).toContainText("500");
});

test("rows a same-day rule folds into another's are counted and listed by line with what became of them", async ({
  page,
}) => {
  await openData(page);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles("test/fixtures/cli/accounts.csv");
  await page.getByLabel(/Vitals accounts file/).check();
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported accounts.csv: 3 new accounts" })).toBeVisible({
    timeout: 100_000,
  });
  // Acme's active users twice on 1 March (two subscriptions): summed, the second row listed, none left unsaid.
  const usage = [
    "account_domain,metric,date,value",
    "acme.com,active_users,2025-03-01,10",
    "acme.com,active_users,2025-03-01,5",
    "globex.io,active_users,2025-03-01,7",
  ].join("\n");
  await page
    .getByLabel("CSV file", { exact: true })
    .setInputFiles({ name: "usage.csv", mimeType: "text/csv", buffer: Buffer.from(`${usage}\n`) });
  await expect(page.getByRole("heading", { name: /First rows of usage\.csv/ })).toBeVisible();
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByRole("region", { name: "What the import will change" });
  await expect(report.getByRole("row", { name: /Rows read/ })).toHaveText(/^Rows read\s*3$/);
  await expect(report.getByRole("row", { name: /Values new/ })).toHaveText(/^Values new\s*2$/);
  await expect(report.getByRole("row", { name: /Rows combined/ })).toHaveText(
    /^Rows combined with another of the same day\s*1$/,
  );
  const combined = report.getByRole("table", { name: "Combined rows" }).locator("tbody tr");
  await expect(combined).toHaveCount(1);
  await expect(combined.nth(0)).toHaveText(
    /^3\s*active_users on 2025-03-01 for account "a1": summed with line 2: the day's value is 15, the sum of 2 values \(same-day rule "sum"\)$/,
  );
});
