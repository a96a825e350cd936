import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../../core/io/csv.ts";
import { eventMetricOf, guessDateFormat, guessDecimal, guessImport, savedMappingFor } from "../../../core/io/guess.ts";
import { Mapping } from "../../../core/io/mapping.ts";

/** A fixture's header and rows, read as the wizard's peek reads them. */
async function fixture(name: string): Promise<{ header: string[]; rows: string[][] }> {
  const out = { header: [] as string[], rows: [] as string[][] };
  await readCsv(name, readFileSync(`test/fixtures/csv/${name}`, "utf8"), {
    header: (cells) => {
      out.header = cells;
    },
    row: (_line, cells) => {
      out.rows.push(cells);
    },
  });
  return out;
}

describe("the date format, from the values", () => {
  it("reads MM/DD/YYYY when a day is over 12 in the second place", () => {
    expect(guessDateFormat(["10/16/2024", "3/4/2024", ""])).toMatchObject({ kind: "sure", format: "MM/DD/YYYY" });
  });
  it("reads DD/MM/YYYY when a day is over 12 in the first place", () => {
    expect(guessDateFormat(["16/10/2024", "03/04/2024"])).toMatchObject({ kind: "sure", format: "DD/MM/YYYY" });
  });
  it("reads ISO days and days with times, and says there are times", () => {
    expect(guessDateFormat(["2024-10-16", "2024-10-17"])).toMatchObject({ format: "YYYY-MM-DD", withTime: false });
    expect(guessDateFormat(["2024-10-16T14:03:00Z", "2024-10-17 08:00:00"])).toMatchObject({
      kind: "sure",
      format: "YYYY-MM-DD",
      withTime: true,
    });
    expect(guessDateFormat(["10/16/2024 2:03", "11/1/2024 14:00"])).toMatchObject({
      format: "MM/DD/YYYY",
      withTime: true,
    });
    expect(guessDateFormat(["16.10.2024", "01.02.2025"])).toMatchObject({ kind: "sure", format: "DD.MM.YYYY" });
  });
  it("asks when every day is 12 or less, with examples from the file", () => {
    expect(guessDateFormat(["03/04/2024", "05/06/2024", "03/04/2024", "11/12/2024", "01/01/2024"])).toEqual({
      kind: "ambiguous",
      formats: ["MM/DD/YYYY", "DD/MM/YYYY"],
      withTime: false,
      examples: ["03/04/2024", "05/06/2024", "11/12/2024"],
    });
  });
  it("goes by the most values a format reads as real dates, so one typo does not flip it", () => {
    // 02/30 is no real date either way; the rest are only MM/DD/YYYY.
    expect(guessDateFormat(["01/15/2023", "02/30/2022", "06/01/2021", "11/30/2024"])).toMatchObject({
      format: "MM/DD/YYYY",
    });
  });
  it("finds none in text or numbers", () => {
    expect(guessDateFormat(["Solved", "42", ""])).toEqual({ kind: "none" });
  });
});

describe("the decimal mark, from the numbers", () => {
  it("reads a comma from 118,5 and 1.204,50, a point from 118.5 and $1,204.50", () => {
    expect(guessDecimal(["112", "118,5", "1.204"])).toBe(",");
    expect(guessDecimal(["1.204,50 €"])).toBe(",");
    expect(guessDecimal(["$1,204.50", "118.5"])).toBe(".");
  });
  it("keeps a point when nothing tells (1,204 or 1.204 alone)", () => {
    expect(guessDecimal(["1,204", "12"])).toBe(".");
    expect(guessDecimal(["1.204"])).toBe(".");
  });
});

describe("what a real export holds", () => {
  it("a Zendesk tickets export (m/d/yyyy with times) is events, keyed by the requester's email, dated by Created at", async () => {
    const { header, rows } = await fixture("zendesk-tickets-us.csv");
    const guess = guessImport(header, rows);
    expect(guess.shape).toBe("events");
    expect(guess.account).toEqual({ by: "email", column: "Requester email" });
    expect(guess.dayColumn).toBe("Created at");
    expect(guess.dateColumns).toEqual(["Created at", "Solved at"]);
    expect(guess.dates).toMatchObject({ kind: "sure", format: "MM/DD/YYYY", withTime: true });
    expect(guess.kindColumn).toBe("Status");
    expect(guess.because).toMatch(/rows per account in “Requester email”.*“Created at”.*“Status”/);
  });

  it("the small Zendesk export (ISO with times) is events too, never an accounts file for its Id column", async () => {
    const { header, rows } = await fixture("zendesk-tickets.csv");
    const guess = guessImport(header, rows);
    expect(guess.shape).toBe("events");
    expect(guess.account.column).not.toBe("Id");
    expect(guess.dayColumn).toBe("Created at");
    expect(guess.dates).toMatchObject({ kind: "sure", format: "YYYY-MM-DD" });
  });

  it("a Salesforce accounts export is one row per account, by Account ID, with MM/DD/YYYY dates", async () => {
    const { header, rows } = await fixture("salesforce-accounts.csv");
    const guess = guessImport(header, rows);
    expect(guess.shape).toBe("wide");
    expect(guess.account).toEqual({ by: "id", column: "Account ID" });
    expect(guess.dateColumns).toEqual(["Customer Since", "Renewal Date"]);
    expect(guess.dates).toMatchObject({ kind: "sure", format: "MM/DD/YYYY" });
    expect(guess.decimal).toBe(".");
  });

  it("a product-analytics long file is one row per value, with DD.MM.YYYY days and a decimal comma", async () => {
    const { header, rows } = await fixture("mixpanel-daily-usage.csv");
    const guess = guessImport(header, rows);
    expect(guess.shape).toBe("long");
    expect(guess.account).toEqual({ by: "domain", column: "account_domain" });
    expect(guess).toMatchObject({ dayColumn: "date", metricColumn: "metric", valueColumn: "value", decimal: "," });
    expect(guess.dates).toMatchObject({ kind: "sure", format: "DD.MM.YYYY" });
  });

  it("an invoices export is events by the customer's email, dated by its date and not the due date", async () => {
    const { header, rows } = await fixture("stripe-invoices.csv");
    const guess = guessImport(header, rows);
    expect(guess.shape).toBe("events");
    expect(guess.account).toEqual({ by: "email", column: "Customer Email" });
    expect(guess.dayColumn).toBe("Date (UTC)");
    expect(guess.kindColumn).toBe("Status");
    expect(guess.decimal).toBe(".");
  });

  it("a Vitals accounts file is an accounts file; a Vitals observations file is one", async () => {
    const accounts = readFileSync("test/fixtures/cli/accounts.csv", "utf8").trim().split("\n");
    expect(accounts[0]).toMatch(/^id,/);
    expect(
      guessImport(
        ["id", "name", "domains", "segment"],
        [
          ["a1", "Acme", "acme.com", "SMB"],
          ["a2", "Globex", "globex.io", "Enterprise"],
        ],
      ).shape,
    ).toBe("accounts");
    expect(
      guessImport(
        ["account_id", "metric", "day", "value"],
        [
          ["a1", "logins", "2025-01-01", "3"],
          ["a2", "logins", "2025-01-01", "5"],
        ],
      ).shape,
    ).toBe("observations");
  });

  it("an id column that repeats with dates is events, not an accounts file", () => {
    const rows = [
      ["a1", "login", "2025-01-02"],
      ["a1", "login", "2025-01-03"],
      ["a2", "export", "2025-01-03"],
      ["a2", "login", "2025-01-04"],
    ];
    const guess = guessImport(["id", "event", "date"], rows);
    expect(guess.shape).toBe("events");
    expect(guess.account.column).toBe("id");
  });

  it("a churn export whose column says churned or renewed is outcomes", () => {
    const guess = guessImport(
      ["Account ID", "Close Date", "Outcome"],
      [
        ["001", "2024-03-01", "Churned"],
        ["002", "2024-04-01", "Renewed"],
        ["003", "2024-05-01", "Churned"],
      ],
    );
    expect(guess).toMatchObject({ shape: "outcomes", kindColumn: "Outcome", dayColumn: "Close Date" });
  });

  it("defaults the day to a column of dates even when it is not first and not named like a day", () => {
    const guess = guessImport(
      ["Account", "Note", "When"],
      [
        ["a1", "called", "16/10/2024"],
        ["a1", "emailed", "17/10/2024"],
      ],
    );
    expect(guess.dayColumn).toBe("When");
    expect(guess.dates).toMatchObject({ kind: "sure", format: "DD/MM/YYYY" });
  });

  it("has no day column rather than the first column when no column holds dates or is named for one", () => {
    expect(guessImport(["id", "name"], [["a1", "Acme"]]).dayColumn).toBe("");
  });
});

describe("the metric an events file counts, from its name", () => {
  it("names tickets, invoices and logins for what the default scorecards read, else the file's own name", () => {
    expect(eventMetricOf("zendesk-tickets-us.csv")).toBe("tickets");
    expect(eventMetricOf("Stripe Invoices 2024.csv")).toBe("invoices");
    expect(eventMetricOf("user_logins.csv")).toBe("logins");
    expect(eventMetricOf("Feature Adoption.csv")).toBe("feature_adoption");
    expect(eventMetricOf("2024.csv")).toBe("events");
  });
  it("comes with the guesses", async () => {
    const { header, rows } = await fixture("stripe-invoices.csv");
    expect(guessImport(header, rows, "stripe-invoices.csv").eventMetric).toBe("invoices");
  });
});

describe("the real-shaped exports of test/fixtures/real-exports", () => {
  const real = async (name: string) => {
    const out = { header: [] as string[], rows: [] as string[][] };
    await readCsv(name, readFileSync(`test/fixtures/real-exports/${name}`, "utf8"), {
      header: (cells) => {
        out.header = cells;
      },
      row: (_line, cells) => {
        if (out.rows.length < 500) out.rows.push(cells);
      },
    });
    return guessImport(out.header, out.rows, name);
  };

  it("usage keyed by subscription_id is one row per value named by a subscription id, never by its date column", async () => {
    const g = await real("feature-usage.csv");
    expect(g.shape).toBe("long");
    expect(g.account).toEqual({ by: "externalId", system: "subscription", column: "subscription_id" });
    expect(g).toMatchObject({ dayColumn: "event_date", metricColumn: "metric_name", valueColumn: "metric_value" });
  });
  it("an events file counts what its own id names: invoices by Invoice Number, tickets by Ticket ID", async () => {
    expect((await real("invoices.csv")).eventMetric).toBe("invoices");
    expect((await real("support-tickets.csv")).eventMetric).toBe("tickets");
  });
  it("an invoices export sums its number columns as invoice_amount and invoice_days_overdue; tickets have none", async () => {
    expect((await real("invoices.csv")).eventColumns).toEqual([
      { column: "Amount", metric: "invoice_amount" },
      { column: "Days Overdue", metric: "invoice_days_overdue" },
    ]);
    expect((await real("support-tickets.csv")).eventColumns).toEqual([]);
  });
  it("a subscriptions export offers its Subscription ID column as a link of the kind subscription", async () => {
    expect((await real("subscriptions.csv")).link).toEqual({ column: "Subscription ID", kind: "subscription" });
  });
  it("a column named Paid or Valid is no id of a kind; camelCase ids are (workspaceId)", () => {
    const g = guessImport(
      ["when", "workspaceId", "Paid"],
      [
        ["2024-01-02", "w1", "TRUE"],
        ["2024-01-03", "w1", "FALSE"],
        ["2024-01-04", "w2", "TRUE"],
      ],
    );
    expect(g.account).toEqual({ by: "externalId", system: "workspace", column: "workspaceId" });
    expect(g.link.kind).toBe("");
  });
});

describe("a saved mapping for the same kind of file", () => {
  const tickets = Mapping.parse(JSON.parse(readFileSync("test/fixtures/csv/zendesk-tickets.mapping.json", "utf8")));
  const accounts = Mapping.parse(
    JSON.parse(readFileSync("test/fixtures/csv/salesforce-accounts.mapping.json", "utf8")),
  );
  const saved = [
    { name: "Salesforce accounts", mapping: accounts },
    { name: "Zendesk tickets", mapping: tickets },
  ];
  it("is picked when the file has every column it reads", async () => {
    const { header } = await fixture("zendesk-tickets.csv");
    expect(savedMappingFor(header, saved)?.name).toBe("Zendesk tickets");
  });
  it("is not picked when a column is missing", async () => {
    const { header } = await fixture("zendesk-tickets-us.csv"); // no "Satisfaction Score"
    expect(savedMappingFor(header, saved)).toBeUndefined();
  });
});
