import { describe, expect, it } from "vitest";
import { guessImport } from "../../core/io/guess.ts";
import { Mapping } from "../../core/io/mapping.ts";
import { DATE_FORMATS } from "../../core/io/values.ts";
import { OutcomeKind } from "../../core/schema/observation.ts";
import type { FilePeek } from "../../core/worker/data-api.ts";
import { OUTCOME_KINDS } from "../../pwa/src/import/column-uses.ts";
import { EDITED_KINDS, initialDraft, isEdited, mappingOf } from "../../pwa/src/import/mapping-draft.ts";

/** A file as the worker's peek shows it to the page: its header, first rows and the guesses from them. */
function peek(header: string[], rows: string[][], fileName = "export.csv"): FilePeek {
  return {
    header,
    rows: rows.map((cells, i) => ({ line: i + 2, cells })),
    delimiter: ",",
    guess: guessImport(header, rows, fileName),
  };
}

const crm = peek(
  ["Account ID", "Account Name", "Website", "ARR", "Renewal Date", "Churned", "Logins 30d"],
  [
    ["0015A", "Acme Corp", "acme.com", "18000", "2025-03-31", "no", "120"],
    ["0015B", "Globex", "globex.com", "15000", "2025-04-15", "yes", "3"],
  ],
  "accounts.csv",
);

describe("the import wizard's mapping draft", () => {
  it("uses core's date formats and outcome kinds rather than copies of them", () => {
    expect(OUTCOME_KINDS).toEqual(OutcomeKind.options);
    expect(DATE_FORMATS).toContain(initialDraft(crm).dateFormat);
  });

  it("starts from the worker's guesses, as of the day it is given", () => {
    const d = initialDraft(crm, "2025-06-01");
    expect(d).toMatchObject({ accountColumn: "Account ID", dateFormat: "YYYY-MM-DD", asOfDay: "2025-06-01" });
    expect(d.columns["Account Name"]).toEqual({ use: "field", field: "name" });
    expect(d.columns.Churned).toEqual({ use: "churn" });
  });

  it("makes, for every kind edited here, a mapping core's schema accepts", () => {
    const d = initialDraft(crm, "2025-06-01");
    for (const kind of EDITED_KINDS) {
      const draft = {
        ...d,
        accountBy: "externalId" as const,
        system: "salesforce",
        dayColumn: "Renewal Date",
        kindColumn: "Churned",
        metricColumn: "Account Name",
        valueColumn: "ARR",
        linkColumn: "Website",
        linkKind: "Workspace",
      };
      const parsed = Mapping.safeParse(mappingOf(kind, draft));
      expect(parsed.error?.issues ?? [], kind).toEqual([]);
      expect(parsed.data?.shape).toBe(kind);
      expect(parsed.data?.account).toEqual({ by: "externalId", system: "salesforce", column: "Account ID" });
    }
  });

  it("a wide file: each column's use, a churn flag and metrics as of the chosen day, the latest row by a column", () => {
    const d = initialDraft(crm, "2025-06-01");
    const mapping = mappingOf("wide", {
      ...d,
      columns: { ...d.columns, "Logins 30d": { use: "metric", metric: "logins_30d" } },
      repeated: "latest:Renewal Date",
    });
    expect(Mapping.parse(mapping)).toMatchObject({
      shape: "wide",
      attributes: [
        { column: "Account Name", attribute: "name" },
        { column: "Website", attribute: "domains" },
        { column: "ARR", attribute: "arr" },
        { column: "Renewal Date", attribute: "renewalDate" },
      ],
      metrics: [{ column: "Logins 30d", metric: "logins_30d" }],
      churnFlag: { column: "Churned" },
      asOf: { day: "2025-06-01" },
      repeated: { rule: "latest", column: "Renewal Date" },
    });
    // No metric and no churn flag: nothing is as of a day.
    const names = mappingOf("wide", { ...d, columns: { "Account Name": { use: "field", field: "name" } } });
    expect("asOf" in names).toBe(false);
    expect(mappingOf("wide", { ...d, repeated: "sum" })).toMatchObject({ repeated: { rule: "sum" } });
  });

  it("an events file's filter values and an outcomes file's words are read from their comma-separated text", () => {
    const d = initialDraft(crm);
    const events = mappingOf("events", {
      ...d,
      dayColumn: "Renewal Date",
      events: [{ metric: "tickets", from: "count", column: "", filterColumn: "ARR", filterValues: " open, ,pending " }],
    });
    expect(events).toMatchObject({
      events: [{ metric: "tickets", value: { from: "count" }, filter: { column: "ARR", values: ["open", "pending"] } }],
    });
    const outcomes = mappingOf("outcomes", {
      ...d,
      dayColumn: "Renewal Date",
      kindColumn: "Churned",
      kindWords: { churned: "Closed Lost, lost", renewed: "Closed Won", expanded: "", downgraded: "" },
    });
    expect(outcomes).toMatchObject({ kinds: { "Closed Lost": "churned", lost: "churned", "Closed Won": "renewed" } });
  });

  it("asks for the date format, with the file's examples, while the dates read more than one way", () => {
    const dates = peek(["id", "day", "value"], [["a", "03/04/2025", "1"]]);
    const d = initialDraft(dates);
    expect(d.dateFormat).toBe("");
    expect(() => mappingOf("long", d, "03/04/2025")).toThrow(
      "choose how the dates look first: 03/04/2025 could be read more than one way",
    );
    const chosen = {
      ...d,
      dateFormat: "DD/MM/YYYY" as const,
      metricColumn: "id",
      dayColumn: "day",
      valueColumn: "value",
    };
    expect(Mapping.parse(mappingOf("long", chosen)).dateFormat).toBe("DD/MM/YYYY");
  });

  it("tells the kinds edited here from Vitals files and saved mappings", () => {
    expect(isEdited("wide")).toBe(true);
    expect(isEdited("accounts")).toBe(false);
    expect(isEdited("saved:wide")).toBe(false);
    expect(isEdited(null)).toBe(false);
  });
});
