import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { AccountsTableRow, ShownScore } from "../../../core/insights/portfolio-view.ts";
import { accountsCsv } from "../../../core/io/accounts-export.ts";

const shown: ShownScore = {
  scorecardId: "c",
  scorecardName: "Card",
  score: 41.6,
  points: 42,
  grade: "D",
  color: "red",
  label: "At risk",
  coverage: 1,
  delta: -12.46,
  deltaDays: 30,
  drags: [],
};

const row = (over: Partial<AccountsTableRow>): AccountsTableRow => ({
  id: "a1",
  name: "Acme",
  shown,
  spark: [],
  arr: 120000,
  renewalDate: "2025-06-30",
  segment: "SMB",
  stage: "Live",
  owner: "Dana",
  utilization: null,
  dayBefore: null,
  ...over,
});

describe("Accounts → Export CSV", () => {
  it("escapes text a spreadsheet would run as a formula and keeps scores, deltas and ARR numeric", () => {
    const csv = accountsCsv([
      row({
        id: "-5",
        name: '=HYPERLINK("http://evil.example","Open")',
        owner: "@SUM(1)",
        segment: "+cmd|' /C calc'!A0",
      }),
      row({ id: "a2", name: "Globex, Inc.", shown: null, arr: null, renewalDate: null }),
    ]);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("account_id,name,score,grade,label,delta,arr,renewal_date,segment,stage,owner");
    expect(lines[1]).toBe(
      `"'-5","'=HYPERLINK(""http://evil.example"",""Open"")",42,D,At risk,-12.5,120000,2025-06-30,"'+cmd|' /C calc'!A0",Live,"'@SUM(1)"`,
    );
    expect(lines[2]).toBe(`a2,"Globex, Inc.",,,,,,,SMB,Live,Dana`);
    expect(Papa.parse<string[]>(csv.trim(), { delimiter: ",", header: false }).data[1]?.[1]).toBe(
      `'=HYPERLINK("http://evil.example","Open")`,
    );
  });
});
