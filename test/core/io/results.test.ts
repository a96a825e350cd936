import { describe, expect, it } from "vitest";
import { readResultsCsv } from "../../../core/io/results.ts";

const HEADER =
  "account_id,name,scorecard,score,grade,label,color,coverage,delta,top_drags,rollup,override_score,override_grade,override_until";

describe("a results file (vitals score --format csv, vitals sql) read for badges and the app", () => {
  it("reads each row's result, and names every problem by file, physical line and column", () => {
    // Line 2 is blank, the first record spans lines 3–4 (a quoted line break), line 5 is blank.
    const text = `${HEADER}\n\na1,"Acme\nEurope",example,69,B,Good,green,1.000,-26.7,NPS; Logins,,,,\r\n\na2,Globex,example,4x6,D,At risk,purple,0.600,,,,,,\n`;
    const { accounts, problems } = readResultsCsv("r.csv", text, "2025-03-01", new Map());
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      id: "a1",
      name: "Acme\nEurope",
      scorecard: "example",
      shown: 69,
      grade: "B",
      label: "Good",
      color: "green",
      coverage: 1,
      asOf: "2025-03-01",
    });
    expect(accounts[0]?.drags.map((d) => d.text)).toEqual(["NPS", "Logins"]);
    expect(problems).toEqual([
      { file: "r.csv", line: 6, at: "score", message: '"4x6" is not a number' },
      expect.objectContaining({ file: "r.csv", line: 6, at: "color" }),
    ]);
  });

  it("a file without a column of the results is refused at line 1, naming the column", () => {
    const { accounts, problems } = readResultsCsv(
      "r.csv",
      `${HEADER.replace(",grade,", ",")}\n`,
      "2025-03-01",
      new Map(),
    );
    expect(accounts).toEqual([]);
    expect(problems).toEqual([
      {
        file: "r.csv",
        line: 1,
        message: 'missing column "grade" (a results file has the columns of vitals score --format csv)',
      },
    ]);
  });
});
