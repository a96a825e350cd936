import { describe, expect, it } from "vitest";
import { attributeKey, columnUses, metricName } from "../../pwa/src/import/column-uses.ts";

describe("what a CRM export's columns first become in the import wizard", () => {
  it("reads the CRM's names for fields and a TRUE/FALSE column as a yes/no attribute (test/fixtures/real-exports)", () => {
    const header = ["Account ID", "Account Name", "Website", "ARR", "Customer Since", "Exec Sponsor", "Account Owner"];
    const rows = [
      ["0015g01000AAA", "Acme Corp", "https://www.acmecorp.com", "$18,000.00", "1/1/2020", "FALSE", "Sam Ortiz"],
      ["0015g01001AAA", "Globex", "https://www.globex.com", "$15,000.00", "2/2/2021", "TRUE", "Dana Whitfield"],
    ];
    expect(columnUses(header, rows)).toEqual({
      "Account ID": { use: "ignore" },
      "Account Name": { use: "field", field: "name" },
      Website: { use: "field", field: "domains" },
      ARR: { use: "field", field: "arr" },
      "Customer Since": { use: "field", field: "startDate" },
      "Exec Sponsor": { use: "attribute", type: "boolean" },
      "Account Owner": { use: "field", field: "owner" },
    });
  });
  it("leaves a column of words ignored, and without rows guesses no attribute", () => {
    expect(columnUses(["Notes", "Active"], [["call back", "yes"]])).toEqual({
      Notes: { use: "ignore" },
      Active: { use: "attribute", type: "boolean" },
    });
    expect(columnUses(["Active"])).toEqual({ Active: { use: "ignore" } });
  });
  it("names a custom attribute as scorecards do: Exec Sponsor → exec_sponsor", () => {
    expect(attributeKey(" Exec Sponsor ")).toBe("exec_sponsor");
    expect(attributeKey("Training-Completed?")).toBe("training_completed");
    expect(attributeKey("日本")).toBe("日本");
  });
});

describe("the names a column becomes", () => {
  it("a metric: snake_case, never starting with a digit, never empty", () => {
    expect(metricName(" 7d Logins ")).toBe("m_7d_logins");
    expect(metricName("NPS (score)")).toBe("nps_score");
    expect(metricName("%%")).toBe("metric");
  });
});
