import { describe, expect, it } from "vitest";
import { cellsOf } from "../../../core/io/columns.ts";
import { Mapping, type MappingInput } from "../../../core/io/mapping.ts";
import { ImportPlanner } from "../../../core/io/plan.ts";
import { standardOutcomesMapping } from "../../../core/io/standard.ts";
import { Account } from "../../../core/schema/account.ts";
import { parseIsoDay } from "../../../core/schema/day.ts";

/** Plans rows (header first) under a mapping; lines are counted from 1 for the header. */
function plan(mapping: MappingInput, rows: string[][], existing: Account[] = []) {
  const [header = [], ...body] = rows;
  const planner = new ImportPlanner("file.csv", header, Mapping.parse(mapping), existing);
  body.forEach((cells, i) => {
    planner.addRow(i + 2, cells);
  });
  return planner.finish();
}

const acme = Account.parse({
  id: "001A",
  name: "Acme Corp",
  domains: ["acme.com"],
  externalIds: { zendesk: "9001" },
});
const globex = Account.parse({ id: "001B", name: "Globex", domains: ["globex.io"] });

describe("wide files (a CRM account export)", () => {
  const mapping: MappingInput = {
    shape: "wide",
    dateFormat: "MM/DD/YYYY",
    account: { by: "id", column: "Account ID" },
    asOf: { day: "2025-03-01" },
    attributes: [
      { column: "Account Name", attribute: "name" },
      { column: "Website", attribute: "domains" },
      { column: "ARR", attribute: "arr" },
      { column: "Customer Since", attribute: "startDate" },
      { column: "Exec Sponsor", attribute: "exec_sponsor", type: "boolean" },
      { column: "Tier", attribute: "tier" },
    ],
    metrics: [{ column: "Active Users", metric: "active_users" }],
  };
  const header = [
    "Account ID",
    "Account Name",
    "Website",
    "ARR",
    "Customer Since",
    "Exec Sponsor",
    "Tier",
    "Active Users",
  ];

  it("creates and updates accounts, keeping fields the file does not set, and takes metric values as of the day", () => {
    const result = plan(
      mapping,
      [
        header,
        ["001A", "Acme Corp", "https://www.acme.com", "$120,000.00", "01/15/2023", "Yes", "Gold", "42"],
        ["001C", "Initech, Inc.", "initech.com", "", "", "no", "", ""],
      ],
      [acme],
    );
    expect(result.rejects).toEqual([]);
    expect(
      result.accounts.map((a) => [a.id, a.name, a.domains, a.arr, a.startDate, a.externalIds, a.attributes]),
    ).toEqual([
      [
        "001A",
        "Acme Corp",
        ["acme.com"],
        120000,
        "2023-01-15",
        { zendesk: "9001" },
        { exec_sponsor: true, tier: "Gold" },
      ],
      ["001C", "Initech, Inc.", ["initech.com"], undefined, undefined, {}, { exec_sponsor: false }],
    ]);
    expect(cellsOf(result.observations)).toEqual([
      { accountId: "001A", metric: "active_users", day: parseIsoDay("2025-03-01"), values: [42] },
    ]);
  });

  it("rejects a row whole, naming each bad cell, and imports the rest", () => {
    const result = plan(mapping, [
      header,
      ["001A", "Acme", "acme.com", "lots", "13/45/2023", "maybe", "", "12"],
      ["001B", "Globex", "globex.io", "5,000", "02/01/2024", "", "", "7"],
      ["001A", "Acme again", "", "", "", "", "", ""],
      ["", "No id", "", "", "", "", "", ""],
    ]);
    expect(result.rejects).toEqual([
      { line: 2, column: "ARR", reason: '"lots" is not a number (expected e.g. 1234.5 or 1,234.5)' },
      { line: 2, column: "Customer Since", reason: '"13/45/2023" is not a real date (MM/DD/YYYY)' },
      { line: 2, column: "Exec Sponsor", reason: '"maybe" is not yes/no (expected TRUE/FALSE, Yes/No or 1/0)' },
      { line: 5, column: "Account ID", reason: "no account: the cell is empty" },
    ]);
    // Line 4 repeats 001A, but line 2 was rejected, so line 4 is the first good row for it.
    expect(result.accounts.map((a) => a.id)).toEqual(["001A", "001B"]);
    expect(result.accounts[0]?.name).toBe("Acme again");
  });

  it("refuses a second row for the same account, naming the first line", () => {
    const result = plan(mapping, [
      header,
      ["001B", "Globex", "", "", "", "", "", ""],
      ["001B", "Globex 2", "", "", "", "", "", ""],
    ]);
    expect(result.rejects).toEqual([
      {
        line: 3,
        column: "Account ID",
        reason: 'account "001B" is already on line 2 (or merge repeated accounts: first, latest or sum)',
      },
    ]);
  });

  it("names every mapped column the file lacks, and the columns it has", () => {
    expect(() => plan(mapping, [["Account ID", "Name"]])).toThrow(
      'file.csv: the mapping reads "Account Name", "Website", "ARR", "Customer Since", "Exec Sponsor", "Tier", "Active Users", which the file does not have (its columns: "Account ID", "Name")',
    );
  });

  it("matches header variants: case, spaces, underscores, BOM", () => {
    const result = plan(
      {
        shape: "wide",
        account: { by: "id", column: "Account ID" },
        attributes: [{ column: "Account Name", attribute: "name" }],
      },
      [
        ["\uFEFFaccount_id", "ACCOUNT NAME"],
        ["x1", "Umbrella"],
      ],
    );
    expect(result.accounts.map((a) => [a.id, a.name])).toEqual([["x1", "Umbrella"]]);
  });
});

describe("long files (product analytics: account, metric, day, value)", () => {
  const mapping: MappingInput = {
    shape: "long",
    dateFormat: "DD.MM.YYYY",
    decimal: ",",
    account: { by: "domain", column: "domain" },
    metricColumn: "metric",
    dayColumn: "date",
    valueColumn: "value",
  };
  it("turns rows into observation cells, matching accounts by domain", () => {
    const result = plan(
      mapping,
      [
        ["domain", "metric", "date", "value"],
        ["acme.com", "active_users", "01.03.2025", "1.234,5"],
        ["ACME.com", "active_users", "01.03.2025", "10"],
        ["globex.io", "logins", "28.02.2025", ""],
        ["globex.io", "bad metric!", "28.02.2025", "3"],
        ["unknown.example", "logins", "28.02.2025", "3"],
        ["gmail.com", "logins", "28.02.2025", "3"],
      ],
      [acme, globex],
    );
    expect(cellsOf(result.observations)).toEqual([
      // Two values of a count on one day are summed (the metric's default same-day rule), and the plan says so.
      { accountId: "001A", metric: "active_users", day: parseIsoDay("2025-03-01"), values: [1244.5] },
    ]);
    expect(result.sameDay).toEqual([{ metric: "active_users", rule: "sum", combinedDays: 1, combinedValues: 2 }]);
    // The row whose value went into line 2's is listed, so no row goes unaccounted for.
    expect(result.combined).toEqual([
      {
        line: 3,
        reason:
          'active_users on 2025-03-01 for account "001A": summed with line 2: the day\'s value is 1244.5, the sum of ' +
          '2 values (same-day rule "sum")',
      },
    ]);
    expect(result.rowsSkipped).toBe(1);
    expect(result.rejects).toEqual([
      {
        line: 5,
        column: "metric",
        reason: "\"bad metric!\": a metric name uses letters, digits, '.', '_' and '-' only",
      },
      { line: 6, column: "domain", reason: 'no account with domain "unknown.example"' },
      {
        line: 7,
        column: "domain",
        reason: '"gmail.com" is a personal email address, which never identifies an account',
      },
    ]);
  });
});

describe("same-day rows: each row not imported as a value of its own is listed with its line and why", () => {
  const mapping: MappingInput = {
    shape: "long",
    account: { by: "id", column: "account" },
    metricColumn: "metric",
    dayColumn: "day",
    valueColumn: "value",
    sameDay: { seats: "last", overdue_days: "max", nps: "nps", csat: "mean", tickets: "each" },
  };
  it("names the line the day's value stands on under each rule, and the NPS answers left out", () => {
    const result = plan(
      mapping,
      [
        ["account", "metric", "day", "value"],
        ["001A", "seats", "2025-03-01", "40"], // 2: replaced by line 4 (last)
        ["001A", "overdue_days", "2025-03-01", "3"], // 3: line 6 has the highest
        ["001A", "seats", "2025-03-01", "42"], // 4: the day's last seats: kept
        ["001A", "nps", "2025-03-01", "10"], // 5: the first valid answer: the day's NPS stands here
        ["001A", "overdue_days", "2025-03-01", "9"], // 6: the highest: kept
        ["001A", "nps", "2025-03-01", "11"], // 7: not an answer
        ["001A", "nps", "2025-03-01", "3"], // 8: counted with line 5: (1 promoter − 1 detractor) / 2 = 0
        ["001A", "csat", "2025-03-01", "4"], // 9: the mean's line
        ["001A", "csat", "2025-03-01", "5"], // 10: averaged with line 9: 4.5
        ["001A", "tickets", "2025-03-01", "1"], // 11, 12: each kept
        ["001A", "tickets", "2025-03-01", "1"],
        ["001B", "nps", "2025-03-02", "-1"], // 13: a lone answer outside 0–10: left out, nothing kept
        ["001B", "seats", "2025-03-02", "7"], // 14: alone: kept
      ],
      [acme, globex],
    );
    const day = parseIsoDay("2025-03-01");
    expect(cellsOf(result.observations)).toEqual([
      { accountId: "001A", metric: "csat", day, values: [4.5] },
      { accountId: "001A", metric: "nps", day, values: [0] },
      { accountId: "001A", metric: "overdue_days", day, values: [9] },
      { accountId: "001A", metric: "seats", day, values: [42] },
      { accountId: "001A", metric: "tickets", day, values: [1, 1] },
      { accountId: "001B", metric: "seats", day: parseIsoDay("2025-03-02"), values: [7] },
    ]);
    const on = (metric: string, account = "001A", d = "2025-03-01") => `${metric} on ${d} for account "${account}"`;
    expect(result.combined).toEqual([
      { line: 2, reason: `${on("seats")}: line 4 has the day's last value, 42, which is kept (same-day rule "last")` },
      {
        line: 3,
        reason: `${on("overdue_days")}: line 6 has the day's highest value, 9, which is kept (same-day rule "max")`,
      },
      { line: 7, reason: `${on("nps")}: 11 is not an NPS answer (0 to 10), so it is left out (same-day rule "nps")` },
      { line: 8, reason: `${on("nps")}: counted with line 5 in the day's NPS, 0 (same-day rule "nps")` },
      {
        line: 10,
        reason: `${on("csat")}: averaged with line 9: the day's value is 4.5, the mean of 2 values (same-day rule "mean")`,
      },
      {
        line: 13,
        reason: `${on("nps", "001B", "2025-03-02")}: -1 is not an NPS answer (0 to 10), so it is left out (same-day rule "nps")`,
      },
    ]);
    // 13 rows: 6 listed, 7 are the lines the 7 values stand on (tickets' two each).
    expect(result.rowsRead).toBe(13);
    expect(result.rejects).toEqual([]);
  });
});

describe("event files (a help desk's ticket export)", () => {
  const mapping: MappingInput = {
    shape: "events",
    account: { by: "email", column: "Requester email" },
    dayColumn: "Created at",
    events: [
      { metric: "tickets", value: { from: "count" } },
      {
        metric: "urgent_tickets",
        value: { from: "count" },
        filter: { column: "Priority", values: ["Urgent", "High"] },
      },
      { metric: "csat", value: { from: "column", column: "Satisfaction", map: { Good: 5, Bad: 1 } } },
    ],
  };
  const header = ["Id", "Requester email", "Created at", "Priority", "Satisfaction"];
  it("makes one observation per event per metric, with filters and value maps", () => {
    const result = plan(
      mapping,
      [
        header,
        ["1", "dana@acme.com", "2025-02-27 10:00:00", "Urgent", "Bad"],
        ["2", "lee@acme.com", "2025-02-27 16:30:00", "Low", ""],
        ["3", "kim@globex.io", "2025-02-28", "high", "good"],
        ["4", "someone@gmail.com", "2025-02-28", "Low", ""],
        ["5", "kim@globex.io", "2025-02-28", "Low", "Meh"],
      ],
      [acme, globex],
    );
    const d27 = parseIsoDay("2025-02-27");
    const d28 = parseIsoDay("2025-02-28");
    expect(cellsOf(result.observations)).toEqual([
      { accountId: "001A", metric: "csat", day: d27, values: [1] },
      { accountId: "001A", metric: "tickets", day: d27, values: [1, 1] },
      { accountId: "001A", metric: "urgent_tickets", day: d27, values: [1] },
      { accountId: "001B", metric: "csat", day: d28, values: [5] },
      { accountId: "001B", metric: "tickets", day: d28, values: [1] },
      { accountId: "001B", metric: "urgent_tickets", day: d28, values: [1] },
    ]);
    expect(result.rejects).toEqual([
      {
        line: 5,
        column: "Requester email",
        reason: '"someone@gmail.com" is a personal email address, which never identifies an account',
      },
      { line: 6, column: "Satisfaction", reason: '"Meh" is not one of "Good", "Bad"' },
    ]);
  });
});

describe("outcome files (account, day, kind)", () => {
  const mapping: MappingInput = {
    shape: "outcomes",
    dateFormat: "MM/DD/YYYY",
    account: { by: "externalId", system: "zendesk", column: "Org" },
    dayColumn: "Closed",
    kindColumn: "Stage",
    kinds: { "Closed Lost": "churned", "Closed Won": "renewed" },
  };
  const header = ["Org", "Closed", "Stage"];

  it("reads each row's kind in the kinds' names, usual words or the mapping's own, and names every bad cell", () => {
    const result = plan(
      mapping,
      [
        header,
        ["9001", "03/01/2025", "closed lost"],
        ["9001", "03/02/2025", "Expansion"],
        ["9001", "04/01/2025", " DOWNGRADED "],
        ["9001", "05/01/2025", ""],
        ["4242", "03/01/2025", "Churned"],
        ["9001", "13/01/2025", "renewed"],
        ["9001", "06/01/2025", "paused"],
        ["9001", "", "renewed"],
      ],
      [acme, globex],
    );
    expect(result.outcomes).toEqual([
      { accountId: "001A", day: "2025-03-01", kind: "churned" },
      { accountId: "001A", day: "2025-03-02", kind: "expanded" },
      { accountId: "001A", day: "2025-04-01", kind: "downgraded" },
    ]);
    expect(result.observations.length).toBe(0);
    expect(result.rowsSkipped).toBe(1);
    expect(result.rejects).toEqual([
      { line: 6, column: "Org", reason: 'no account with zendesk id "4242"' },
      { line: 7, column: "Closed", reason: '"13/01/2025" is not a real date (MM/DD/YYYY)' },
      {
        line: 8,
        column: "Stage",
        reason:
          '"paused" is not an outcome: use churned, renewed, expanded or downgraded (or "Closed Lost", "Closed Won")',
      },
      { line: 9, column: "Closed", reason: "the day is empty" },
    ]);
  });

  it("keeps one outcome per account and day: the same one twice is skipped, a different one rejected", () => {
    const result = plan(
      mapping,
      [header, ["9001", "03/01/2025", "Closed Won"], ["9001", "03/01/2025", "renewed"], ["9001", "03/01/2025", "lost"]],
      [acme],
    );
    expect(result.outcomes).toEqual([{ accountId: "001A", day: "2025-03-01", kind: "renewed" }]);
    expect(result.rowsSkipped).toBe(1);
    expect(result.rejects).toEqual([
      {
        line: 4,
        column: "Stage",
        reason: 'account "001A" already has the outcome "renewed" on 2025-03-01 (line 2)',
      },
    ]);
  });

  it("a Vitals outcomes file is read by its header", () => {
    const result = plan(
      standardOutcomesMapping("outcomes.csv", ["account_id", "day", "kind"]),
      [
        ["account_id", "day", "kind"],
        ["001B", "2025-01-31", "churned"],
      ],
      [globex],
    );
    expect(result.outcomes).toEqual([{ accountId: "001B", day: "2025-01-31", kind: "churned" }]);
    expect(() => standardOutcomesMapping("outcomes.csv", ["account", "when"])).toThrow(
      'outcomes.csv: an outcomes file needs the columns "day", "kind" (its columns: "account", "when")',
    );
  });
});

describe("a churn flag column in a snapshot (wide) file", () => {
  const mapping: MappingInput = {
    shape: "wide",
    account: { by: "id", column: "customerID" },
    asOf: { column: "snapshot" },
    attributes: [{ column: "Contract", attribute: "contract" }],
    metrics: [{ column: "tenure", metric: "tenure_months" }],
    churnFlag: { column: "Churn" },
  };
  const header = ["customerID", "snapshot", "Contract", "tenure", "Churn"];

  it("records churned (yes) or renewed (no) on each row's as-of day, nothing for an empty flag", () => {
    const result = plan(mapping, [
      header,
      ["7590-VHVEG", "2025-03-01", "Month-to-month", "1", "No"],
      ["5575-GNVDE", "2025-03-01", "One year", "34", "Yes"],
      ["3668-QPYBK", "2025-03-01", "Month-to-month", "2", ""],
      ["9237-HQITU", "2025-03-01", "Month-to-month", "2", "maybe"],
    ]);
    expect(result.outcomes).toEqual([
      { accountId: "7590-VHVEG", day: "2025-03-01", kind: "renewed" },
      { accountId: "5575-GNVDE", day: "2025-03-01", kind: "churned" },
    ]);
    expect(result.accounts.map((a) => a.id)).toEqual(["3668-QPYBK", "5575-GNVDE", "7590-VHVEG"]);
    expect(result.rejects).toEqual([
      { line: 5, column: "Churn", reason: '"maybe" is not yes/no (expected TRUE/FALSE, Yes/No or 1/0)' },
    ]);
  });

  it("rejects a flagged row when the mapping gives no as-of day for its outcome", () => {
    const { asOf: _asOf, metrics: _metrics, ...noDay } = mapping as Extract<MappingInput, { shape: "wide" }>;
    const result = plan(noDay, [header, ["7590-VHVEG", "", "One year", "1", "Yes"]]);
    expect(result.outcomes).toEqual([]);
    expect(result.accounts).toEqual([]);
    expect(result.rejects).toEqual([
      { line: 2, reason: "the mapping has a churn flag column but no as-of day (the day its outcome is recorded on)" },
    ]);
  });
});
