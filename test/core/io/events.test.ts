import { describe, expect, it } from "vitest";
import { cellsOf } from "../../../core/io/columns.ts";
import { Mapping, type MappingInput } from "../../../core/io/mapping.ts";
import { type AccountLink, ImportPlanner } from "../../../core/io/plan.ts";
import { Account } from "../../../core/schema/account.ts";
import { formatDay, parseIsoDay } from "../../../core/schema/day.ts";

function plan(mapping: MappingInput, rows: string[][], existing: Account[] = [], links: AccountLink[] = []) {
  const [header = [], ...body] = rows;
  const planner = new ImportPlanner("file.csv", header, Mapping.parse(mapping), existing, links);
  body.forEach((cells, i) => {
    planner.addRow(i + 2, cells);
  });
  return planner.finish();
}

const acme = Account.parse({ id: "A1", name: "Acme" });
const globex = Account.parse({ id: "A2", name: "Globex" });
const day = (iso: string) => parseIsoDay(iso) as number;

describe("events files cover a period (no event is 0, not missing)", () => {
  const tickets: MappingInput = {
    shape: "events",
    dateFormat: "MM/DD/YYYY",
    account: { by: "id", column: "Account ID" },
    dayColumn: "Created",
    events: [
      { metric: "tickets", value: { from: "count" } },
      { metric: "csat", value: { from: "column", column: "CSAT" } },
    ],
  };
  const rows = [
    ["Account ID", "Created", "CSAT"],
    ["A1", "3/14/2024 10:02", "5"],
    ["A1", "1/2/2024", ""],
    ["nobody", "12/30/2024", ""], // rejected (no such account), but the file still covers that day
    ["A1", "6/1/2024", "4"],
  ];

  it("by default from the file's first to its last day, for each metric the file makes", () => {
    const result = plan(tickets, rows, [acme, globex]);
    expect(result.coverage.map((c) => [c.metric, formatDay(c.from), formatDay(c.to)])).toEqual([
      ["tickets", "2024-01-02", "2024-12-30"],
      ["csat", "2024-01-02", "2024-12-30"],
    ]);
  });

  it("the period the mapping saves wins, each end on its own", () => {
    const both = plan({ ...tickets, period: { from: "2024-01-01", to: "2024-12-31" } }, rows, [acme]);
    expect(both.coverage[0]).toEqual({ metric: "tickets", from: day("2024-01-01"), to: day("2024-12-31") });
    const end = plan({ ...tickets, period: { to: "2025-01-31" } }, rows, [acme]);
    expect(end.coverage[0]).toEqual({ metric: "tickets", from: day("2024-01-02"), to: day("2025-01-31") });
  });

  it("zero-filling can be turned off, and a period must not end before it starts", () => {
    expect(plan({ ...tickets, zeroFill: false }, rows, [acme]).coverage).toEqual([]);
    expect(Mapping.safeParse({ ...tickets, period: { from: "2024-12-31", to: "2024-01-01" } }).success).toBe(false);
  });
});

describe("links files: any column can be the link to the account", () => {
  const subscriptions: MappingInput = {
    shape: "links",
    account: { by: "id", column: "account_id" },
    links: [{ kind: "Subscription", column: "subscription_id" }],
  };
  const usage: MappingInput = {
    shape: "long",
    account: { by: "externalId", system: "subscription", column: "subscription_id" },
    metricColumn: "metric",
    dayColumn: "day",
    valueColumn: "value",
  };

  it("pairs each id with its account (the kind in lower case); blank ids are skipped", () => {
    const result = plan(
      subscriptions,
      [
        ["account_id", "subscription_id"],
        ["A1", "S-1"],
        ["A1", "S-2"],
        ["A2", "S-3"],
        ["A2", ""],
        ["A1", "S-1"],
      ],
      [acme, globex],
    );
    expect(result.links).toEqual([
      { kind: "subscription", key: "S-1", accountId: "A1" },
      { kind: "subscription", key: "S-2", accountId: "A1" },
      { kind: "subscription", key: "S-3", accountId: "A2" },
    ]);
    expect(result.rejects).toEqual([]);
  });

  it("rejects an id paired with two accounts, in the file or against the store, and unknown accounts", () => {
    const result = plan(
      subscriptions,
      [
        ["account_id", "subscription_id"],
        ["A1", "S-1"],
        ["A2", "S-1"],
        ["A2", "S-9"],
        ["A3", "S-4"],
      ],
      [acme, globex],
      [{ kind: "subscription", key: "S-9", accountId: "A1" }],
    );
    expect(result.rejects).toEqual([
      { line: 3, column: "subscription_id", reason: 'subscription "S-1" names two accounts: "A1" (line 2) and "A2"' },
      { line: 4, column: "subscription_id", reason: 'subscription "S-9" already names account "A1", not "A2"' },
      { line: 5, column: "account_id", reason: 'no account with id "A3"' },
    ]);
    expect(result.links).toEqual([{ kind: "subscription", key: "S-1", accountId: "A1" }]);
  });

  it("a later file keyed by the id joins through the stored links; unknown ids are rejected", () => {
    const links: AccountLink[] = [
      { kind: "subscription", key: "S-1", accountId: "A1" },
      { kind: "subscription", key: "S-2", accountId: "A1" },
      { kind: "subscription", key: "S-3", accountId: "A2" },
    ];
    const result = plan(
      usage,
      [
        ["subscription_id", "metric", "day", "value"],
        ["S-1", "active_users", "2024-12-01", "10"],
        ["S-2", "active_users", "2024-12-01", "4"],
        ["S-3", "active_users", "2024-12-01", "7"],
        ["S-404", "active_users", "2024-12-01", "1"],
      ],
      [acme, globex],
      links,
    );
    // A1's two subscriptions on one day: their active users are summed (the metric's same-day rule).
    expect(cellsOf(result.observations).map((c) => [c.accountId, c.values])).toEqual([
      ["A1", [14]],
      ["A2", [7]],
    ]);
    expect(result.rejects).toEqual([
      { line: 5, column: "subscription_id", reason: 'no account with subscription id "S-404"' },
    ]);
  });
});

describe("same-day values are combined as the metric means", () => {
  const survey: MappingInput = {
    shape: "long",
    account: { by: "id", column: "account" },
    metricColumn: "metric",
    dayColumn: "day",
    valueColumn: "value",
  };
  const rows = [
    ["account", "metric", "day", "value"],
    ["A1", "csat", "2024-12-01", "5"],
    ["A1", "csat", "2024-12-01", "2"],
    ["A1", "nps", "2024-12-01", "10"],
    ["A1", "nps", "2024-12-01", "3"],
    ["A1", "logins", "2024-12-01", "4"],
    ["A1", "logins", "2024-12-01", "6"],
    ["A1", "tickets", "2024-12-01", "1"],
    ["A1", "tickets", "2024-12-01", "1"],
    ["A1", "invoice_days_overdue", "2024-12-01", "3"],
    ["A1", "invoice_days_overdue", "2024-12-01", "30"],
    ["A1", "logins", "2024-12-02", "9"],
  ];
  const values = (result: ReturnType<typeof plan>) =>
    Object.fromEntries(cellsOf(result.observations).map((c) => [`${c.metric} ${formatDay(c.day)}`, c.values]));

  it("defaults by metric: CSAT averaged, counts summed, NPS answers and tickets kept, overdue days the highest", () => {
    const result = plan(survey, rows, [acme]);
    expect(values(result)).toEqual({
      "csat 2024-12-01": [3.5],
      "invoice_days_overdue 2024-12-01": [30],
      "logins 2024-12-01": [10],
      "logins 2024-12-02": [9],
      "nps 2024-12-01": [10, 3],
      "tickets 2024-12-01": [1, 1],
    });
    expect(result.sameDay).toEqual([
      { metric: "csat", rule: "mean", combinedDays: 1, combinedValues: 2 },
      { metric: "nps", rule: "each", combinedDays: 1, combinedValues: 2 },
      { metric: "logins", rule: "sum", combinedDays: 1, combinedValues: 2 },
      { metric: "tickets", rule: "each", combinedDays: 1, combinedValues: 2 },
      { metric: "invoice_days_overdue", rule: "max", combinedDays: 1, combinedValues: 2 },
    ]);
  });

  it("the mapping chooses per metric: NPS computed from the day's answers, the last, the minimum; '*' for the rest", () => {
    const result = plan({ ...survey, sameDay: { nps: "nps", csat: "last", "*": "min" } }, rows, [acme]);
    expect(values(result)).toEqual({
      "csat 2024-12-01": [2],
      "invoice_days_overdue 2024-12-01": [3],
      "logins 2024-12-01": [4],
      "logins 2024-12-02": [9],
      // One promoter (10), one detractor (3): (1 − 1) / 2 = 0.
      "nps 2024-12-01": [0],
      "tickets 2024-12-01": [1],
    });
  });

  it("events are kept one by one by default (a window counts them)", () => {
    const result = plan(
      {
        shape: "events",
        account: { by: "id", column: "account" },
        dayColumn: "day",
        events: [{ metric: "tickets", value: { from: "count" } }],
      },
      [
        ["account", "day"],
        ["A1", "2024-12-01"],
        ["A1", "2024-12-01"],
      ],
      [acme],
    );
    expect(cellsOf(result.observations)[0]?.values).toEqual([1, 1]);
    expect(result.sameDay).toEqual([{ metric: "tickets", rule: "each", combinedDays: 1, combinedValues: 2 }]);
  });
});

describe("one-row-per-account files: repeated accounts merged by the rule the user picks", () => {
  const accounts = (repeated: unknown): MappingInput =>
    ({
      shape: "wide",
      dateFormat: "MM/DD/YYYY",
      account: { by: "id", column: "Account ID" },
      asOf: { day: "2024-12-31" },
      attributes: [
        { column: "Name", attribute: "name" },
        { column: "Seats", attribute: "seats" },
        { column: "Owner", attribute: "owner" },
      ],
      metrics: [{ column: "Active Users", metric: "active_users" }],
      repeated,
    }) as MappingInput;
  const rows = [
    ["Account ID", "Name", "Seats", "Owner", "Active Users", "Modified"],
    ["A1", "Acme", "50", "Dana", "20", "11/1/2024"],
    ["A2", "Globex", "10", "", "3", "11/1/2024"],
    ["A1", "Acme Corp", "70", "", "30", "12/15/2024"],
    ["A1", "Acme (old)", "40", "Lee", "5", "6/30/2023"],
  ];
  const summary = (result: ReturnType<typeof plan>) =>
    result.accounts.map((a) => [a.id, a.name, a.seats, a.owner ?? null]);
  const users = (result: ReturnType<typeof plan>) => cellsOf(result.observations).map((c) => [c.accountId, c.values]);

  it("reject (the default) refuses the later rows, naming the first line", () => {
    const result = plan(accounts({ rule: "reject" }), rows);
    expect(result.rejects.map((r) => r.line)).toEqual([4, 5]);
  });

  it("first keeps the first row of each account", () => {
    const result = plan(accounts({ rule: "first" }), rows);
    expect(result.rejects).toEqual([]);
    expect(summary(result)).toEqual([
      ["A1", "Acme", 50, "Dana"],
      ["A2", "Globex", 10, null],
    ]);
    expect(result.repeated).toEqual({ rule: "first", accounts: 1, rows: 2 });
  });

  it("latest keeps the row with the latest day in the chosen column", () => {
    const result = plan(accounts({ rule: "latest", column: "Modified" }), rows);
    expect(summary(result)).toEqual([
      ["A1", "Acme Corp", 70, null],
      ["A2", "Globex", 10, null],
    ]);
    expect(users(result)).toEqual([
      ["A1", [30]],
      ["A2", [3]],
    ]);
    expect(Mapping.safeParse(accounts({ rule: "latest" })).success).toBe(false);
  });

  it("sum adds the number columns and takes the rest from the first row that has it", () => {
    const result = plan(accounts({ rule: "sum" }), rows);
    expect(summary(result)).toEqual([
      ["A1", "Acme", 160, "Dana"],
      ["A2", "Globex", 10, null],
    ]);
    expect(users(result)).toEqual([
      ["A1", [55]],
      ["A2", [3]],
    ]);
  });
});
