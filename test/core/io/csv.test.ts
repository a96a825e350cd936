import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cellsOf } from "../../../core/io/columns.ts";
import { planCsv, readCsv } from "../../../core/io/csv.ts";
import { Mapping } from "../../../core/io/mapping.ts";
import type { Account } from "../../../core/schema/account.ts";
import { parseIsoDay } from "../../../core/schema/day.ts";

const fixture = (name: string) => readFileSync(`test/fixtures/csv/${name}`, "utf8");
const mapping = (name: string) => Mapping.parse(JSON.parse(fixture(name)));
const d = (iso: string) => parseIsoDay(iso);

async function crmAccounts(): Promise<Account[]> {
  return (
    await planCsv(
      "salesforce-accounts.csv",
      fixture("salesforce-accounts.csv"),
      mapping("salesforce-accounts.mapping.json"),
      [],
    )
  ).accounts;
}

describe("reading CSV files", () => {
  it("counts physical lines, including newlines inside quoted fields, and strips the BOM", async () => {
    const rows: [number, string[]][] = [];
    let header: string[] = [];
    const summary = await readCsv("x.csv", '\uFEFFa,b\n1,"two\nlines"\n3,4\n', {
      header: (h) => {
        header = h;
      },
      row: (line, cells) => rows.push([line, cells]),
    });
    expect(header).toEqual(["a", "b"]);
    expect(rows).toEqual([
      [2, ["1", "two\nlines"]],
      [4, ["3", "4"]],
    ]);
    expect(summary.delimiter).toBe(",");
  });

  it("detects a ';' separator", async () => {
    const summary = await readCsv("x.csv", "a;b\n1;2\n", { header: () => {}, row: () => {} });
    expect(summary.delimiter).toBe(";");
  });

  it("rejects a row with more fields than the header, and an empty file", async () => {
    const summary = await readCsv("x.csv", "a,b\n1,2,3\n4,5\n", { header: () => {}, row: () => {} });
    expect(summary.problems).toEqual([
      { line: 2, reason: 'the row has 3 fields but the header has 2 (a "," inside a value that is not quoted?)' },
    ]);
    await expect(readCsv("empty.csv", "", { header: () => {}, row: () => {} })).rejects.toThrow(
      "empty.csv is empty: there is no header row",
    );
  });
});

describe("realistic exports", () => {
  it("a Salesforce account report: BOM, quoted commas, a name over two lines, $ amounts, US dates, TRUE/yes", async () => {
    const plan = await planCsv(
      "salesforce-accounts.csv",
      fixture("salesforce-accounts.csv"),
      mapping("salesforce-accounts.mapping.json"),
      [],
    );
    expect(
      plan.accounts.map((a) => [
        a.id,
        a.name,
        a.domains,
        a.arr,
        a.seats,
        a.startDate,
        a.renewalDate,
        a.segment,
        a.attributes,
      ]),
    ).toEqual([
      [
        "0015g00000AcmeAAA",
        "Acme, Inc.",
        ["acme.com"],
        120000,
        150,
        "2023-01-15",
        "2026-01-14",
        "SMB",
        { exec_sponsor: true },
      ],
      [
        "0015g00000GlobAAA",
        "Globex Corporation",
        ["globex.io"],
        480500,
        900,
        "2021-06-01",
        "2025-05-31",
        "Enterprise",
        { exec_sponsor: false },
      ],
      [
        "0015g00000HooliAA",
        "Hooli\n(EMEA)",
        ["hooli.xyz"],
        1250000,
        2400,
        "2020-03-01",
        "2026-02-28",
        "Enterprise",
        { exec_sponsor: true },
      ],
      ["0015g00000InitAAA", "Initech", ["initech.com"], 36000, 40, "2024-11-30", "2025-11-29", "SMB", {}],
    ]);
    expect(plan.rejects).toEqual([
      { line: 5, column: "Annual Revenue", reason: '"about 50k" is not a number (expected e.g. 1234.5 or 1,234.5)' },
      { line: 5, column: "Customer Since", reason: '"02/30/2022" is not a real date (MM/DD/YYYY)' },
    ]);
  });

  it("a Zendesk ticket export: events by requester email, filters, value maps, personal addresses refused", async () => {
    const plan = await planCsv(
      "zendesk-tickets.csv",
      fixture("zendesk-tickets.csv"),
      mapping("zendesk-tickets.mapping.json"),
      await crmAccounts(),
    );
    expect(cellsOf(plan.observations).map((c) => [c.accountId.slice(10), c.metric, c.day, c.values])).toEqual([
      ["AcmeAAA", "csat", d("2025-02-03"), [1]],
      ["AcmeAAA", "tickets", d("2025-02-03"), [1]],
      ["AcmeAAA", "urgent_tickets", d("2025-02-03"), [1]],
      ["GlobAAA", "csat", d("2025-02-11"), [5]],
      ["GlobAAA", "tickets", d("2025-02-10"), [1]],
      ["GlobAAA", "tickets", d("2025-02-11"), [1]],
      ["GlobAAA", "urgent_tickets", d("2025-02-10"), [1]],
      ["InitAAA", "tickets", d("2025-02-20"), [1]],
    ]);
    expect(plan.rejects).toEqual([
      {
        line: 6,
        column: "Requester email",
        reason: '"jo.bloggs@gmail.com" is a personal email address, which never identifies an account',
      },
      { line: 8, column: "Requester email", reason: 'no account with email "morgan@unknown-customer.example"' },
      { line: 9, column: "Satisfaction Score", reason: '"Great" is not one of "Good", "Bad"' },
    ]);
    expect([plan.rowsRead, plan.rowsSkipped]).toEqual([7, 0]);
  });

  it("a product-analytics daily usage export: ';' separator, DD.MM.YYYY, decimal comma, empty values skipped", async () => {
    const plan = await planCsv(
      "mixpanel-daily-usage.csv",
      fixture("mixpanel-daily-usage.csv"),
      mapping("mixpanel-daily-usage.mapping.json"),
      await crmAccounts(),
    );
    expect(cellsOf(plan.observations).map((c) => [c.accountId.slice(10), c.metric, c.day, c.values])).toEqual([
      ["AcmeAAA", "active_users", d("2025-02-01"), [112]],
      ["AcmeAAA", "active_users", d("2025-02-02"), [118.5]],
      ["AcmeAAA", "key_events", d("2025-02-01"), [1204]],
      ["GlobAAA", "active_users", d("2025-02-01"), [640]],
      ["HooliAA", "active_users", d("2025-02-01"), [2050]],
      ["InitAAA", "active_users", d("2025-02-01"), [31]],
    ]);
    expect(plan.rejects).toEqual([{ line: 8, column: "date", reason: '"31.02.2025" is not a real date (DD.MM.YYYY)' }]);
    expect(plan.rowsSkipped).toBe(1);
  });

  it("a mapping naming a column the file lacks fails before any row is read, listing the file's columns", async () => {
    await expect(
      planCsv("zendesk-tickets.csv", fixture("zendesk-tickets.csv"), mapping("mixpanel-daily-usage.mapping.json"), []),
    ).rejects.toThrow(
      /^zendesk-tickets\.csv: the mapping reads "account_domain", "metric", "date", "value", which the file does not have \(its columns: "Id", "Subject"/,
    );
  });
});
