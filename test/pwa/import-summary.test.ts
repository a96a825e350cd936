import { describe, expect, it } from "vitest";
import type { ImportRow } from "../../core/store/db.ts";
import { importSummary } from "../../pwa/src/pages/data/import-summary.ts";

const row = (counts: Record<string, number>): ImportRow => ({
  id: "i1",
  seq: 1,
  at: "2026-12-07T03:00:00Z",
  fileName: "tickets.csv",
  shape: "events",
  status: "applied",
  counts,
});
const extras = { linksNew: 0, linksUnchanged: 0, coverageNew: 0, coverageUnchanged: 0 };

describe("what the Data page says an import did", () => {
  it("counts what was written, and the rows rejected", () => {
    expect(
      importSummary(row({ rowsRead: 1200, rowsRejected: 1, accountsNew: 2, observationsNew: 1199, outcomesNew: 3 }), {
        ...extras,
        linksNew: 1,
      }),
    ).toBe(
      "Imported tickets.csv: 2 new accounts, 1,199 new values, 3 outcomes, 1 new links to accounts. 1 of 1,200 rows were rejected and not imported. Scores are up to date.",
    );
  });

  it("never says Imported when nothing was written", () => {
    expect(importSummary(row({ rowsRead: 247, rowsRejected: 247 }))).toBe(
      "Nothing imported from tickets.csv: all 247 rows were rejected.",
    );
    expect(importSummary(row({ rowsRead: 10, rowsRejected: 2 }))).toBe(
      "Nothing imported from tickets.csv: 2 of 10 rows were rejected and the rest hold what is already stored.",
    );
    expect(importSummary(row({ rowsRead: 10 }))).toBe("Nothing changed: tickets.csv holds what is already stored.");
  });
});
